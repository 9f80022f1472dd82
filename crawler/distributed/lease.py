"""When is a request from the shared frontier done? Once its page has been read and every item
it yielded has passed the pipelines (or its download failed for good). Until then it stays held
on this process's lease, so a process killed midway gives it back to the frontier.

``LeaseSpiderMiddleware`` (outermost spider middleware) counts the items each page yields and
hands the request back as done when the last one has settled; ``LeaseDownloaderMiddleware``
does so for a download that failed for good. Both are off without PANTAU_REDIS_URL.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from crawler.components import shared
from crawler.distributed import redis_enabled

logger = logging.getLogger(__name__)

LEASE_ID = "_redis_id"


class Leases:
    """The requests this process took from the frontier and has not finished."""

    def __init__(self, crawler: Any) -> None:
        self.ack: Callable[[str], None] | None = None  # set by the scheduler
        self._items: dict[str, int] = {}  # lease id -> items yielded and not yet settled
        self._reading: set[str] = set()  # lease ids whose page output is still being read
        connect = crawler.signals.connect
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            connect(self._item_settled, signal=signal)

    @classmethod
    def for_crawler(cls, crawler: Any) -> Leases:
        return shared(crawler, cls, lambda: cls(crawler))

    def reading(self, lease: str) -> None:
        self._reading.add(lease)

    def item_yielded(self, lease: str) -> None:
        self._items[lease] = self._items.get(lease, 0) + 1

    def read(self, lease: str) -> None:
        self._reading.discard(lease)
        self._maybe_done(lease)

    def failed(self, lease: str) -> None:
        self._reading.discard(lease)
        self._items.pop(lease, None)
        self._done(lease)

    def outstanding(self) -> set[str]:
        return self._reading | set(self._items)

    def settle_all(self) -> int:
        """Hand back as done whatever is still open: only called when nothing is in flight."""
        left = self.outstanding()
        for lease in left:
            self.failed(lease)
        return len(left)

    def _item_settled(self, item: Any = None, response: Any = None, **_: Any) -> None:
        lease = _lease_of(response)
        if lease is None or lease not in self._items:
            return
        self._items[lease] -= 1
        self._maybe_done(lease)

    def _maybe_done(self, lease: str) -> None:
        if lease in self._reading or self._items.get(lease, 0) > 0:
            return
        self._items.pop(lease, None)
        self._done(lease)

    def _done(self, lease: str) -> None:
        if self.ack is not None:
            self.ack(lease)


def _lease_of(response: Any) -> str | None:
    request = getattr(response, "request", None)
    return request.meta.get(LEASE_ID) if request is not None else None


class LeaseSpiderMiddleware:
    def __init__(self, leases: Leases) -> None:
        self.leases = leases

    @classmethod
    def from_crawler(cls, crawler: Any) -> LeaseSpiderMiddleware:
        if not redis_enabled(crawler.settings):
            raise NotConfigured("PANTAU_REDIS_URL is not set")
        return cls(Leases.for_crawler(crawler))

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Any = None
    ) -> Iterator[Any]:
        lease = _lease_of(response)
        if lease is None:
            yield from result
            return
        self.leases.reading(lease)
        try:
            for obj in result:
                if not isinstance(obj, Request):
                    self.leases.item_yielded(lease)
                yield obj
        finally:
            self.leases.read(lease)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Any = None
    ) -> AsyncIterator[Any]:
        lease = _lease_of(response)
        if lease is not None:
            self.leases.reading(lease)
        try:
            async for obj in result:
                if lease is not None and not isinstance(obj, Request):
                    self.leases.item_yielded(lease)
                yield obj
        finally:
            if lease is not None:
                self.leases.read(lease)

    def process_spider_exception(
        self, response: Response, exception: Exception, spider: Any = None
    ) -> None:
        lease = _lease_of(response)
        if lease is not None:  # nobody handled it: the page is done, badly
            self.leases.failed(lease)
        return None


class LeaseDownloaderMiddleware:
    def __init__(self, leases: Leases) -> None:
        self.leases = leases

    @classmethod
    def from_crawler(cls, crawler: Any) -> LeaseDownloaderMiddleware:
        if not redis_enabled(crawler.settings):
            raise NotConfigured("PANTAU_REDIS_URL is not set")
        return cls(Leases.for_crawler(crawler))

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        lease = request.meta.get(LEASE_ID)
        if lease is not None:
            self.leases.failed(lease)
        return None
