"""Crawl state as a Scrapy component any spider reuses.

``CrawlState`` (an extension, one per crawl) decides which article keys need fetching, remembers
each outcome, and keeps per-source cursors:

- ``admit()``: of the keys a discovery page lists, those new to the state or whose modification
  mark moved, and not yet scheduled this run (called by ``IncrementalMiddleware``);
- on ``item_scraped`` (the item passed every stage, the store included) its keys are recorded as
  stored with the item's newest mark; on ``item_dropped`` as dropped; ``item_error`` records
  nothing, so the page is fetched again next run; ``request_dropped`` (a redirect back to a page
  already seen) is recorded as lost, so it is not retried until it changes;
- cursors: ``cursor()`` to build a request, ``advance_cursor()`` for each newer value seen,
  ``cursor_complete()`` once the last page feeding it was read; a cursor is committed at the end
  of a finished run, and only when no page that feeds it failed.

The back ends (``crawler.state.backends``) are the SQLite store, or Redis when the crawl is
shared by several processes (``PANTAU_REDIS_URL``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from scrapy import signals

from crawler import signals as pantau_signals
from crawler.components import count, shared
from crawler.state.backends import Mark, MarkStore, RunLedger, later
from pantau.times import iso_to_epoch, newest

logger = logging.getLogger(__name__)

__all__ = ["CrawlState", "Mark", "later"]


def mark_moved(known: Mark | None, lastmod: str | None) -> bool:
    """New keys, and known ones whose modification mark moved past what was stored."""
    if known is None:
        return True
    if lastmod is None or known.lastmod is None:
        return False
    new, old = iso_to_epoch(lastmod), iso_to_epoch(known.lastmod)
    return new is not None and old is not None and new > old + 1


class CrawlState:
    def __init__(self, crawler: Any, marks: MarkStore, ledger: RunLedger) -> None:
        self.crawler = crawler
        self.marks = marks
        self.ledger = ledger
        self.refresh = crawler.settings.getbool("PANTAU_REFRESH")
        # item id -> (source, keys, mark): what to record once the item has passed every stage
        self._pending: dict[str, tuple[str, tuple[str, ...], str | None]] = {}
        # keys left alone as unchanged, per source; counted at the end unless fetched after all
        self._skipped: dict[str, set[str]] = {}
        self._admitted: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlState:
        return shared(crawler, cls, lambda: cls._build(crawler))

    @classmethod
    def _build(cls, crawler: Any) -> CrawlState:
        from crawler.state.choose import backends_for

        marks, ledger = backends_for(crawler)
        state = cls(crawler, marks, ledger)
        connect = crawler.signals.connect
        connect(state.spider_opened, signal=signals.spider_opened)
        connect(state.item_scraped, signal=signals.item_scraped)
        connect(state.item_dropped, signal=signals.item_dropped)
        connect(state.item_error, signal=signals.item_error)
        connect(state.request_dropped, signal=signals.request_dropped)
        connect(state.spider_closed, signal=signals.spider_closed)
        return state

    def spider_opened(self, spider: Any) -> None:
        # `-a refresh=1` on the Scrapy command line means the same as PANTAU_REFRESH
        self.refresh = self.refresh or bool(getattr(spider, "refresh", False))

    # -- deciding what to fetch --------------------------------------------------------------
    def admit(self, candidates: Sequence[tuple[str, str, str | None]]) -> list[bool]:
        """For each ``(source, key, lastmod)``: fetch it now? One look-up per batch."""
        by_source: dict[str, list[str]] = {}
        for source, key, _ in candidates:
            by_source.setdefault(source, []).append(key)
        known: dict[tuple[str, str], Mark] = {}
        if not self.refresh:
            for source, keys in by_source.items():
                for key, mark in self.marks.marks(source, keys).items():
                    known[source, key] = mark
        wanted = [
            i
            for i, (source, key, lastmod) in enumerate(candidates)
            if mark_moved(known.get((source, key)), lastmod)
        ]
        won = self.ledger.claim([candidates[i][1] for i in wanted])
        admitted = [False] * len(candidates)
        for i, first in zip(wanted, won, strict=True):
            admitted[i] = first
        for i, (source, key, _) in enumerate(candidates):
            if admitted[i]:
                self._admitted.add(key)
                count(self.crawler, source, "articles_seen")
            elif i not in wanted:
                self._skipped.setdefault(source, set()).add(key)
        return admitted

    def expect(self, item: Any, keys: Sequence[str], mark: str | None) -> None:
        """Remember what to record for ``item`` once it has passed every stage."""
        item_id = item.get("id")
        if not item_id:
            return
        keys = tuple(dict.fromkeys(k for k in keys if k))
        earlier = self._pending.get(item_id)
        if earlier is not None:  # two routes, or a redirect, brought one article twice
            keys = tuple(dict.fromkeys([*earlier[1], *keys]))
            mark = newest(mark, earlier[2])
        self._pending[item_id] = (item["source"], keys, mark)

    def fetch_failed(
        self, source: str, key: str, lastmod: str | None, *, status: str = "failed"
    ) -> None:
        """A page that will not fix itself: not fetched again until its mark moves."""
        self.marks.record(source, [key], lastmod=lastmod, doc_id=None, status=status)

    def route_failed(
        self,
        source: str,
        kind: str,
        url: str,
        reason: str,
        *,
        cursor: str | None = None,
        logged: bool = False,
    ) -> None:
        """A discovery route could not be read: one warning line (unless the caller wrote its
        own), a count, the health record, and the cursor it feeds (if any) stays put."""
        if not logged:
            logger.warning("%s: %s %s failed: %s", source, kind, url, reason)
        count(self.crawler, source, "discovery_errors")
        if cursor:
            self.cursor_failed(source, cursor)
        self.crawler.signals.send_catch_log(
            signal=pantau_signals.route_failed, source=source, kind=kind, url=url, reason=reason
        )

    # -- cursors ------------------------------------------------------------------------------
    def cursor(self, source: str, name: str) -> str | None:
        """The committed value of a source's cursor (None on a refresh: start from scratch)."""
        return None if self.refresh else self.marks.cursor(source, name)

    def advance_cursor(self, source: str, name: str, value: str | None) -> None:
        if value:
            self.ledger.propose_cursor(source, name, value)

    def cursor_complete(self, source: str, name: str) -> None:
        self.ledger.cursor_outcome(source, name, complete=True)

    def cursor_failed(self, source: str, name: str) -> None:
        self.ledger.cursor_outcome(source, name, complete=False)

    # -- outcomes, from signals ---------------------------------------------------------------
    def item_scraped(self, item: Any, response: Any = None, spider: Any = None) -> None:
        self._settle(item, "stored")

    def item_dropped(
        self, item: Any, response: Any = None, exception: Any = None, spider: Any = None
    ) -> None:
        self._settle(item, "dropped")
        count(self.crawler, item.get("source"), "dropped")

    def item_error(
        self, item: Any, response: Any = None, spider: Any = None, failure: Any = None
    ) -> None:
        logger.error("item %s failed in a pipeline: %s", item.get("url"), failure.value)
        self._pending.pop(item.get("id"), None)  # not recorded: fetched again next run
        count(self.crawler, item.get("source"), "pipeline_errors")

    def request_dropped(self, request: Any, spider: Any = None) -> None:
        key, source = request.meta.get("key"), request.meta.get("source")
        if not key or not source:
            return
        logger.warning(
            "%s: %s led nowhere (redirect loop?); not retried until it changes", source, key
        )
        count(self.crawler, source, "fetch_errors")
        self.fetch_failed(source, key, request.meta.get("lastmod"), status="lost")

    def _settle(self, item: Any, status: str) -> None:
        pending = self._pending.pop(item.get("id"), None) if item.get("id") else None
        if pending is None:
            return
        source, keys, mark = pending
        mark = newest(mark, item.get("modified_at"), item.get("published_at"))
        self.marks.record(source, keys, lastmod=mark, doc_id=item["id"], status=status)

    def spider_closed(self, spider: Any, reason: str) -> None:
        for source, keys in self._skipped.items():
            count(self.crawler, source, "skipped_unchanged", len(keys - self._admitted))
        if reason != "finished":
            return  # an interrupted run re-lists from the old cursors and misses nothing
        for source, name, value in self.ledger.settled_cursors():
            self.marks.set_cursor(source, name, value)
