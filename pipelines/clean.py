"""First stage: tidy every item and refuse the ones that are not articles at all."""

from __future__ import annotations

import logging
import re
from typing import Any

from scrapy.exceptions import DropItem

from pantau.schema import DATE_FIELDS, LIST_FIELDS
from pantau.times import iso_to_epoch
from pantau.urls import content_hash

logger = logging.getLogger(__name__)
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(value: Any) -> str | None:
    """Collapse runs of spaces, keep paragraph breaks, drop empty strings to None."""
    if value is None:
        return None
    lines = [_SPACES.sub(" ", line).strip() for line in str(value).replace("\r", "").split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return text or None


def clean_item(item: dict[str, Any]) -> list[str]:
    """Normalize an item in place; return the problems found (bad dates become None)."""
    problems = []
    item["title"] = clean_text(item.get("title"))
    item["body"] = clean_text(item.get("body"))
    for name in LIST_FIELDS:
        if name in item or name in ("authors", "tags"):
            values = item.get(name) or []
            if isinstance(values, str):
                values = [values]
            item[name] = list(dict.fromkeys(v.strip() for v in values if v and str(v).strip()))
    for name in DATE_FIELDS:
        value = item.get(name)
        if value and iso_to_epoch(value) is None:
            problems.append(f"{name} {value!r} is not an ISO 8601 time with offset; dropped")
            item[name] = None
    if item.get("section"):
        item["section"] = clean_text(item["section"])
    item["content_hash"] = content_hash(item.get("title"), item.get("body"))
    return problems


class CleanPipeline:
    """Whitespace, lists and dates in order; an item with neither title nor body is dropped."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        for problem in clean_item(item):
            logger.warning("%s: %s", item.get("url"), problem)
        if not item.get("title") and not item.get("body"):
            self.crawler.stats.inc_value(f"pantau/{item.get('source')}/extraction_failed")
            raise DropItem(f"{item.get('url')}: no title and no body")
        if not item.get("url") or not item.get("source"):
            raise DropItem(f"item without url or source: {dict(item)!r:.200}")
        return item
