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

    Each spider crawls the sources of its platforms (the news spider: generic and WordPress
    sites), all in one process. Raises SourceError before anything is fetched when a source
    file is wrong.
    """
    from scrapy.crawler import CrawlerProcess

    from crawler.sources import load_sources, select_sources

    settings = project_settings(overrides)
    if refresh:
        settings.set("PANTAU_REFRESH", True, "cmdline")
    chosen = select_sources(
        load_sources(settings.get("PANTAU_SOURCES") or None), ",".join(sources or []) or None
    )
    process = CrawlerProcess(settings)
    plan = [
        (spider, [s for s in chosen if s.platform in spider.platforms])
        for spider in pantau_spiders(process.spider_loader)
    ]
    plan = [(spider, mine) for spider, mine in plan if mine] or plan[:1]
    parts: list[Path] = []
    crawlers = []
    for spider, mine in plan:
        if output:
            part = Path(output) if len(plan) == 1 else Path(f"{output}.{spider.name}.part")
            parts.append(part)
            feeds = {str(part): {"format": "jsonlines", "overwrite": True}}
            # a subclass carries this run's feed, so the spider class itself stays as it was
            custom = {**(spider.custom_settings or {}), "FEEDS": feeds}
            spider = type(spider.__name__, (spider,), {"custom_settings": custom})
        crawler = process.create_crawler(spider)
        selection = sources[0] if _is_path(sources) else ",".join(s.id for s in mine)
        process.crawl(crawler, sources=selection, refresh=refresh)
        crawlers.append(crawler)
    process.start()
    if output and len(parts) > 1:
        _join_parts(parts, Path(output))
    return merge_stats([c.stats.get_stats() for c in crawlers]), [s.id for s in chosen]


def pantau_spiders(loader: Any) -> list[type]:
    """Every spider built on the shared crawl components, the news spider first."""
    from crawler.spiders.base import PantauSpider

    found = [loader.load(name) for name in loader.list()]
    spiders = [cls for cls in found if issubclass(cls, PantauSpider) and cls.platforms]
    return sorted(spiders, key=lambda cls: (cls.name != "news", cls.name))


def merge_stats(all_stats: list[dict[str, Any]]) -> dict[str, Any]:
    """One stats dict for several crawlers: counts add up; the first unusual end is kept."""
    merged: dict[str, Any] = {}
    for stats in all_stats:
        for key, value in stats.items():
            if key == "finish_reason":
                if merged.get(key, "finished") == "finished":
                    merged[key] = value
            elif isinstance(value, int | float) and not isinstance(value, bool):
                merged[key] = merged.get(key, 0) + value
            else:
                merged.setdefault(key, value)
    return merged


def _join_parts(parts: list[Path], output: Path) -> None:
    with output.open("wb") as joined:
        for part in parts:
            if part.exists():
                joined.write(part.read_bytes())
                part.unlink()


def _is_path(sources: list[str] | None) -> bool:
    return bool(sources) and len(sources) == 1 and Path(sources[0]).exists()
