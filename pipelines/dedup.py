"""Dedup and story-cluster stage: every item leaves with a cluster_id and, when it is a copy,
the doc id of the story's original in duplicate_of.

The same text twice from one source is one article at two addresses: it is dropped and counted
in ``dedup/exact_same_source``. The same or nearly the same text from another outlet is a
republication: kept, in the original's cluster, so the spread across outlets stays visible.
The index lives in the crawl's store (tables ``cluster_*``), so clusters survive restarts.

Settings: ``PANTAU_CLUSTER_THRESHOLD`` (Jaccard similarity of 3-word shingle sets at which two
bodies are one story) and ``PANTAU_CLUSTER_PERMUTATIONS`` (MinHash size).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import DropItem

from pantau.clustering import (
    DEFAULT_PERMUTATIONS,
    DEFAULT_THRESHOLD,
    ClusterIndex,
    SameSourceCopy,
)
from pantau.store import store_for_crawler
from pantau.times import iso_to_epoch
from pantau.urls import content_hash

logger = logging.getLogger(__name__)


def _setting(crawler: Any, name: str, default: float, kind: type) -> Any:
    raw = crawler.settings.get(name, default)
    try:
        return kind(raw)
    except (TypeError, ValueError):
        raise ValueError(f"setting {name} must be a {kind.__name__}, got {raw!r}") from None


class DedupClusterPipeline:
    """Assigns story clusters with :class:`pantau.clustering.ClusterIndex` in the crawl store."""

    def __init__(self, crawler: Any, index: ClusterIndex) -> None:
        self.crawler = crawler
        self.index = index

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupClusterPipeline:
        threshold = _setting(crawler, "PANTAU_CLUSTER_THRESHOLD", DEFAULT_THRESHOLD, float)
        num_perm = _setting(crawler, "PANTAU_CLUSTER_PERMUTATIONS", DEFAULT_PERMUTATIONS, int)
        store = store_for_crawler(crawler)
        try:
            index = ClusterIndex(
                store.conn, threshold=threshold, num_perm=num_perm, transaction=store.transaction
            )
        except ValueError as exc:
            raise ValueError(
                f"PANTAU_CLUSTER_THRESHOLD={threshold!r} / PANTAU_CLUSTER_PERMUTATIONS="
                f"{num_perm!r}: {exc}"
            ) from exc
        return cls(crawler, index)

    def process_item(self, item: Any) -> Any:
        if not item.get("id") or not item.get("source"):
            raise DropItem(f"{item.get('url')!r}: no id or source, cannot place it in a cluster")
        stats = self.crawler.stats
        chash = item.get("content_hash") or content_hash(item.get("title"), item.get("body"))
        try:
            placed = self.index.add(
                item["id"],
                source=item["source"],
                body=item.get("body"),
                content_hash=chash,
                published_ts=iso_to_epoch(item.get("published_at")),
                seen_ts=iso_to_epoch(item.get("crawled_at")),
            )
        except SameSourceCopy as copy:
            stats.inc_value("dedup/exact_same_source")
            logger.info("dropped %s: %s", item.get("url"), copy)
            raise DropItem(f"{item.get('url')}: {copy}") from copy
        item["cluster_id"] = placed.cluster_id
        item["duplicate_of"] = placed.duplicate_of
        stats.inc_value(f"dedup/{placed.match}")
        if placed.match in ("exact", "near"):
            logger.debug(
                "%s joins story %s (%s match with %s, similarity %.2f)",
                item.get("url"),
                placed.cluster_id,
                placed.match,
                placed.matched_id,
                placed.similarity,
            )
        return item
