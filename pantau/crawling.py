"""Running the `news` spider in-process, as `pantau crawl` and `pantau demo` do."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ENV_PREFIXES = ("PANTAU_", "ELASTICSEARCH_", "KIBANA_")


def project_settings(overrides: dict[str, Any] | None = None) -> Any:
    """crawler.settings, then PANTAU_*/ELASTICSEARCH_* from the environment, then overrides."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    for key, value in os.environ.items():
        if key.startswith(ENV_PREFIXES):
            settings.set(key, value, priority="project")
    for key, value in (overrides or {}).items():
        if value is not None:
            settings.set(key, value, priority="cmdline")
    if settings.get("PANTAU_MAX_PAGE_BYTES"):
        settings.set("DOWNLOAD_MAXSIZE", int(settings.get("PANTAU_MAX_PAGE_BYTES")), "cmdline")
    return settings


def run_crawl(
    sources: list[str] | None = None,
    *,
    overrides: dict[str, Any] | None = None,
    refresh: bool = False,
    output: str | Path | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Crawl the chosen sources (all enabled ones by default); return stats and source ids.

    Raises SourceError before anything is fetched when a source file is wrong.
    """
    from scrapy.crawler import CrawlerProcess

    from crawler.sources import load_sources, select_sources

    settings = project_settings(overrides)
    if output:
        settings.set("FEEDS", {str(output): {"format": "jsonlines", "overwrite": True}}, "cmdline")
    chosen = select_sources(
        load_sources(settings.get("PANTAU_SOURCES") or None), ",".join(sources or []) or None
    )
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("news")
    process.crawl(
        crawler,
        sources=",".join(s.id for s in chosen) if not _is_path(sources) else sources[0],
        refresh=refresh,
    )
    process.start()
    return crawler.stats.get_stats(), [s.id for s in chosen]


def _is_path(sources: list[str] | None) -> bool:
    return bool(sources) and len(sources) == 1 and Path(sources[0]).exists()
