"""Saved-query alerts at ingest: every new or changed item is matched against every rule.

Runs before the store pipeline. Rules are read and compiled once, at spider open; matches are
recorded in the crawl's store as they come (so a killed crawl loses none), and each rule's
channels get one digest at spider close, together with anything an earlier run still owes.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from pantau.alerts import AlertEngine, alert_settings, load_rules, queries_path
from pantau.store import store_for_crawler
from pantau.urls import content_hash

logger = logging.getLogger("pantau.alerts")


class AlertsPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.engine: AlertEngine | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AlertsPipeline:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        folder = queries_path(self.crawler.settings)
        if folder.is_dir():
            rules, errors = load_rules(folder)
            for error in errors:
                logger.error("alerts: rule file skipped: %s", error)
        else:
            rules = []
            logger.warning("alerts: no saved queries, %s is not a folder", folder)
        active = [rule.id for rule in rules if rule.enabled]
        logger.info("alerts: %d saved quer(ies) active: %s", len(active), ", ".join(active))
        self.store = store_for_crawler(self.crawler)
        self.engine = AlertEngine(self.store, rules, alert_settings(self.crawler.settings))

    def process_item(self, item: Any, spider: Any = None) -> Any:
        assert self.engine is not None, "open_spider was not called"
        doc = ItemAdapter(item).asdict()
        if not doc.get("id"):
            logger.warning("alerts: item without id not matched: %r", doc.get("url"))
            return item
        try:
            stored = self.store.get(doc["id"])
            if stored is not None and _unchanged(stored, doc):
                return item  # matched when it was first stored; re-crawls add nothing
            first_seen = stored["first_seen_at"] if stored else None
            self.engine.process_item(doc, first_seen)
        except Exception:
            # Alerting must not cost the item its place in the store; the error is logged loudly.
            logger.exception("alerts: matching failed for %s", doc.get("url"))
        return item

    def close_spider(self, spider: Any = None) -> None:
        if self.engine is None:
            return
        report = self.engine.finish()
        for rule_id, channel, count in report.delivered:
            logger.info("alerts: %s digest sent for %s (%d alert(s))", channel, rule_id, count)


def _unchanged(stored: dict[str, Any], doc: dict[str, Any]) -> bool:
    """The store's own test: same text hash and same modification mark."""
    digest = doc.get("content_hash") or content_hash(doc.get("title"), doc.get("body"))
    return stored.get("content_hash") == digest and stored.get("modified_at") == doc.get(
        "modified_at"
    )
