"""The source registry: the sources of one crawl, for every component that needs them.

Spiders select what they crawl (``select``); pipelines and middlewares look a source up by the
id every request and item carries (``get``), through the crawler rather than the spider.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from crawler.components import shared
from crawler.sources import Source, SourceError, load_sources, select_sources


class SourceRegistry:
    def __init__(self, location: str | None = None) -> None:
        self.location = location  # PANTAU_SOURCES: a file or folder; None = the default folder
        self._by_id: dict[str, Source] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> SourceRegistry:
        return shared(crawler, cls, lambda: cls(crawler.settings.get("PANTAU_SOURCES") or None))

    def select(
        self, wanted: str | Iterable[str] | None, platforms: Iterable[str] | None = None
    ) -> list[Source]:
        """Load and validate the source files, pick ``wanted`` (ids, or a file or folder; all
        enabled sources when empty), keep those of ``platforms``, and register them.

        Raises SourceError naming the file and key when a source file is wrong.
        """
        try:
            chosen = select_sources(load_sources(self.location), wanted)
        except SourceError as exc:
            raise SourceError(f"cannot start the crawl: {exc}") from exc
        if platforms is not None:
            allowed = set(platforms)
            chosen = [s for s in chosen if s.platform in allowed]
        self.register(chosen)
        return chosen

    def register(self, sources: Iterable[Source]) -> None:
        for source in sources:
            self._by_id[source.id] = source

    def get(self, source_id: str | None) -> Source | None:
        return self._by_id.get(source_id) if source_id else None

    def language(self, source_id: str | None) -> str | None:
        """The language a source file declares: the fallback for texts too short to judge."""
        source = self.get(source_id)
        return source.language if source else None

    def __iter__(self) -> Iterator[Source]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)
