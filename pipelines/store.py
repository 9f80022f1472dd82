"""Store stage: write each item to the embedded store; count it as new, updated or unchanged.

The crawl state records the item once it has passed every stage (``CrawlState`` listens to
``item_scraped``), so this stage only writes.
"""

from __future__ import annotations

from typing import Any

from crawler.components import count
from pantau.store import store_for_crawler


class StorePipeline:
    """Upserts by document id."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.store = store_for_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        count(self.crawler, item.get("source"), self.store.upsert(item))
        return item
