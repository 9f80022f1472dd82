"""Language stage: sets `language` (ISO 639-1 code, else 639-3) and `language_score` (0..1).

Looks at the first PANTAU_LANGUAGE_SLICE characters (default 1000) of title and body. The source
file's declared language, looked up in the crawl's source registry, is the fallback for text too
short or too unclear to judge. The models load when the spider opens, so a missing data file
stops the crawl at start rather than on the first item.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter

from crawler.registry import SourceRegistry
from pantau.language import DEFAULT_SLICE, language_of_item
from pantau.language.detector import normalise_code, shared

logger = logging.getLogger("pantau.language")

SLICE_SETTING = "PANTAU_LANGUAGE_SLICE"


class LanguagePipeline:
    def __init__(self, crawler: Any, limit: int) -> None:
        if limit <= 0:
            raise ValueError(f"{SLICE_SETTING} must be a positive number of characters: {limit}")
        self.crawler = crawler
        self.sources = SourceRegistry.from_crawler(crawler)
        self.limit = limit
        self._warned: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> LanguagePipeline:
        return cls(crawler, crawler.settings.getint(SLICE_SETTING, DEFAULT_SLICE))

    def open_spider(self, spider: Any = None) -> None:
        shared()  # load the models now: seconds once, not on the first item

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        declared = self._declared(adapter.get("source"))
        code, score = language_of_item(
            adapter.get("title"), adapter.get("body"), declared, limit=self.limit
        )
        adapter["language"] = code
        adapter["language_score"] = round(score, 4)
        return item

    def _declared(self, source: str | None) -> str | None:
        declared = self.sources.language(source)
        if declared is None:
            return None
        try:
            return normalise_code(declared)
        except ValueError as error:
            if source not in self._warned:  # once per source, not once per item
                self._warned.add(source)
                logger.warning("language: source %r: %s; judging its text alone", source, error)
            return None
