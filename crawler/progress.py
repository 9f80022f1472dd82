"""Crawl progress on the terminal and the per-source summary at the end.

Everything is read from the crawler's stats (keys ``pantau/<source>/<counter>``), which the
spider and the store pipeline keep, so the summary is exactly what the crawl counted.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

SUMMARY_COLUMNS = (
    ("pages", "pages"),
    ("new", "new"),
    ("updated", "updated"),
    ("unchanged", "unchanged"),
    ("skipped_unchanged", "skipped"),
    ("extraction_failed", "failed"),
    ("dropped", "dropped"),
    ("discovery_errors", "disc.err"),
    ("fetch_errors", "fetch.err"),
)


def per_source(stats: dict[str, Any]) -> dict[str, dict[str, int]]:
    """``{source: {counter: n}}`` from a flat Scrapy stats dict."""
    table: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if not key.startswith("pantau/") or key.count("/") != 2:
            continue
        _, source, counter = key.split("/")
        table.setdefault(source, {})[counter] = int(value)
    return table


def format_summary(table: dict[str, dict[str, int]], sources: list[str] | None = None) -> str:
    names = sources or sorted(table)
    width = max([len("source"), *(len(n) for n in names)])
    header = "source".ljust(width) + "".join(f"{label:>10}" for _, label in SUMMARY_COLUMNS)
    lines = [header, "-" * len(header)]
    for name in names:
        row = table.get(name, {})
        lines.append(
            name.ljust(width) + "".join(f"{row.get(key, 0):>10}" for key, _ in SUMMARY_COLUMNS)
        )
    return "\n".join(lines)


class ProgressReporter:
    """Prints one status line every few seconds while the crawl runs (PANTAU_PROGRESS)."""

    def __init__(self, crawler: Any, interval: float, stream: TextIO) -> None:
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressReporter:
        if not crawler.settings.getbool("PANTAU_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler, crawler.settings.getfloat("PANTAU_PROGRESS_INTERVAL", 2.0), sys.stderr)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        self.report(final=True)

    def report(self, final: bool = False) -> None:
        table = per_source(self.crawler.stats.get_stats())
        total = {k: sum(row.get(k, 0) for row in table.values()) for k, _ in SUMMARY_COLUMNS}
        line = (
            f"[{time.monotonic() - self.started:6.1f}s] pages {total['pages']}, "
            f"new {total['new']}, updated {total['updated']}, "
            f"unchanged {total['unchanged'] + total['skipped_unchanged']}, "
            f"failed {total['extraction_failed']}"
        )
        tty = self.stream.isatty()
        end = "\n" if final or not tty else ""
        self.stream.write(("\r" if tty else "") + line + end)
        self.stream.flush()
