"""Store stage: write each item to the embedded store and remember it in the crawl state."""

from __future__ import annotations

import logging
from typing import Any

from pantau.store import store_for_crawler

logger = logging.getLogger(__name__)


class StorePipeline:
    """Upserts by document id; counts new, updated and unchanged articles per source."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.store = store_for_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        result = self.store.upsert(item)
        spider = self.crawler.spider
        if hasattr(spider, "record_stored"):
            spider.record_stored(item, result)
        else:
            self.crawler.stats.inc_value(f"pantau/{item.get('source')}/{result}")
        return item
