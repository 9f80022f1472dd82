"""What every pantau spider shares, so a new platform needs none of the news spider's code.

A spider subclasses ``PantauSpider``, names the ``platforms`` it crawls, and yields requests and
items. Its sources come from the registry (``self.sources``, chosen by ``-a sources=``); article
requests carry ``source``, ``key`` and ``lastmod`` in ``meta`` and the crawl-state middlewares do
the rest (incremental filtering, outcomes, stats); cursors are read and advanced through
``self.state``. A page that yields nothing usable raises ``crawler.errors.UnusablePage``.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy

from crawler.components import count
from crawler.registry import SourceRegistry
from crawler.sources import Source
from crawler.state import CrawlState


class PantauSpider(scrapy.Spider):
    platforms: ClassVar[tuple[str, ...]] = ()

    def __init__(self, sources: str | None = None, refresh: str | bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.sources_arg = sources
        self.refresh = str(refresh).lower() in ("1", "true", "yes")
        self.sources: list[Source] = []
        self.sources_by_id: dict[str, Source] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> PantauSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.sources = SourceRegistry.from_crawler(crawler).select(
            spider.sources_arg, cls.platforms or None
        )
        spider.sources_by_id = {s.id: s for s in spider.sources}
        spider.state = CrawlState.from_crawler(crawler)
        hosts = {urlsplit(s.url).hostname or "" for s in spider.sources}
        domains = {d.split(":")[0] for s in spider.sources for d in s.allowed_domains}
        spider.allowed_domains = sorted((domains | hosts) - {""})
        return spider

    def source_of(self, response: Any) -> Source:
        return self.sources_by_id[response.meta["source"]]

    def count(self, source_id: str | None, counter: str, value: int = 1) -> None:
        count(self.crawler, source_id, counter, value)

    def fetch_failed(self, failure: Any) -> None:
        """Errback of fetches whose outcome FetchOutcomeMiddleware already logged and recorded;
        having one keeps Scrapy from logging the failure again with a traceback."""
        return None
