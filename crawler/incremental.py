"""The two middlewares that put crawl state between the spiders and the network.

``IncrementalMiddleware`` (spider middleware) sees what callbacks yield: article requests (with
``source``, ``key`` and ``lastmod`` in ``meta``) go on only when ``CrawlState.admit`` says the
article is new or changed, checked in batches; items are registered with their keys so the
state records them once they are stored; a page the spider raised on (``UnusablePage``,
``ExtractionError``, a broken discovery page) is logged, counted and, for an article, remembered.
Items that a listing yields directly (an API page of posts) are filtered the same way when the
listing request says ``meta["incremental"] = "items"``.

``FetchOutcomeMiddleware`` (downloader middleware, outermost) sees every final answer: it counts
pages and HTTP statuses per source, and records failed fetches: a 4xx, a page refused by
robots.txt or over the size cap will not fix itself, so it is remembered; network errors and
5xx are left for the next run.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Request, Response

from crawler.components import count
from crawler.discovery import DiscoveryError
from crawler.errors import BrokenRoute, UnusablePage
from crawler.extract import ExtractionError
from crawler.state import CrawlState
from pantau.times import newest
from pantau.urls import normalize_url

logger = logging.getLogger(__name__)

BATCH = 500  # candidates looked up together: one round trip to the state back end


class IncrementalMiddleware:
    def __init__(self, crawler: Any, state: CrawlState) -> None:
        self.crawler = crawler
        self.state = state

    @classmethod
    def from_crawler(cls, crawler: Any) -> IncrementalMiddleware:
        return cls(crawler, CrawlState.from_crawler(crawler))

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Any = None
    ) -> Iterator[Any]:
        waiting: list[Any] = []
        for obj in result:
            if self._needs_admission(response, obj):
                waiting.append(obj)
                if len(waiting) >= BATCH:
                    yield from self._admit(response, waiting)
                    waiting = []
            else:
                yield self._register(response, obj)
        yield from self._admit(response, waiting)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Any = None
    ) -> AsyncIterator[Any]:
        waiting: list[Any] = []
        async for obj in result:
            if self._needs_admission(response, obj):
                waiting.append(obj)
                if len(waiting) >= BATCH:
                    for admitted in self._admit(response, waiting):
                        yield admitted
                    waiting = []
            else:
                yield self._register(response, obj)
        for admitted in self._admit(response, waiting):
            yield admitted

    def process_spider_exception(
        self, response: Response, exception: Exception, spider: Any = None
    ) -> list[Any] | None:
        meta = response.meta
        source = meta.get("source")
        if source is None:
            return None
        if isinstance(exception, UnusablePage | ExtractionError):
            counter = getattr(exception, "counter", "extraction_failed")
            if counter == "extraction_failed":
                logger.warning("%s: extraction failed for %s: %s", source, response.url, exception)
            else:
                logger.warning("%s: %s %s", source, response.url, exception)
            count(self.crawler, source, counter)
            if meta.get("key"):
                status = getattr(exception, "status", "failed")
                self.state.fetch_failed(source, meta["key"], meta.get("lastmod"), status=status)
            return []
        if isinstance(exception, DiscoveryError | BrokenRoute):
            logger.warning(
                "%s: %s (%s); the other discovery routes go on", source, exception, response.url
            )
            self.state.route_failed(
                source,
                meta.get("kind", "route"),
                response.url,
                str(exception),
                cursor=meta.get("cursor"),
                logged=True,
            )
            return []
        return None

    # -- helpers ---------------------------------------------------------------------------------
    @staticmethod
    def _needs_admission(response: Response, obj: Any) -> bool:
        if isinstance(obj, Request):
            key = obj.meta.get("key")
            # the next page of the article being read continues it: it is not a new candidate
            return bool(key and obj.meta.get("source")) and key != response.meta.get("key")
        return response.meta.get("incremental") == "items" and bool(obj.get("url"))

    def _admit(self, response: Response, waiting: list[Any]) -> Iterator[Any]:
        if not waiting:
            return
        candidates = [self._candidate(obj) for obj in waiting]
        for obj, admitted in zip(waiting, self.state.admit(candidates), strict=True):
            if not admitted:
                continue
            if isinstance(obj, Request):
                yield obj
            else:
                _, key, mark = self._candidate(obj)
                self.state.expect(obj, [key, normalize_url(obj["url"])], mark)
                yield obj

    @staticmethod
    def _candidate(obj: Any) -> tuple[str, str, str | None]:
        if isinstance(obj, Request):
            return obj.meta["source"], obj.meta["key"], obj.meta.get("lastmod")
        mark = obj.get("modified_at") or obj.get("published_at")
        return obj["source"], normalize_url(obj["url"]), mark

    def _register(self, response: Response, obj: Any) -> Any:
        """An item from an article page: remember its keys (the requested one and its own URL)."""
        if isinstance(obj, Request) or not response.meta.get("key"):
            return obj
        lastmod = response.meta.get("lastmod")
        keys = [response.meta["key"]]
        if obj.get("url"):
            keys.append(normalize_url(obj["url"]))
        self.state.expect(obj, keys, newest(lastmod))
        return obj


class FetchOutcomeMiddleware:
    def __init__(self, crawler: Any, state: CrawlState) -> None:
        self.crawler = crawler
        self.state = state

    @classmethod
    def from_crawler(cls, crawler: Any) -> FetchOutcomeMiddleware:
        return cls(crawler, CrawlState.from_crawler(crawler))

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        source = request.meta.get("source")
        if source is None:
            return response
        count(self.crawler, source, f"http_{response.status}")
        allowed = request.meta.get("handle_httpstatus_list") or ()
        if response.status < 400 or response.status in allowed:
            if 300 <= response.status < 400:
                return response  # a redirect: counted when its target answers
            count(self.crawler, source, "pages")
            return response
        reason = f"HTTP {response.status}"
        if request.meta.get("key"):
            lasting = 400 <= response.status < 500 and response.status not in (408, 429)
            self._article_failed(request, reason, lasting=lasting)
        else:
            self._route_failed(request, reason)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        source = request.meta.get("source")
        if source is None:
            return None
        # a page over the size cap is cancelled; it will not shrink by itself
        lasting = isinstance(exception, IgnoreRequest | DownloadCancelledError)
        reason = str(exception) or type(exception).__name__
        if isinstance(exception, IgnoreRequest) and "robots.txt" in reason:
            count(self.crawler, source, "robots_forbidden")
        if request.meta.get("key"):
            self._article_failed(request, reason, lasting=lasting)
        else:
            self._route_failed(request, reason)
        return None

    def _article_failed(self, request: Request, reason: str, *, lasting: bool) -> None:
        source = request.meta["source"]
        logger.warning("%s: article %s not fetched: %s", source, request.url, reason)
        count(self.crawler, source, "fetch_errors")
        if lasting:
            self.state.fetch_failed(source, request.meta["key"], request.meta.get("lastmod"))

    def _route_failed(self, request: Request, reason: str) -> None:
        meta = request.meta
        self.state.route_failed(
            meta["source"],
            meta.get("kind", "route"),
            request.url,
            reason,
            cursor=meta.get("cursor"),
        )
