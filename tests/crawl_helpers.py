"""Running real crawls of the fixture sites in a child process (Scrapy's reactor runs once
per process), and reading what they did."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "PANTAU_RETRY_AFTER_MAX": "5",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
}


@dataclass
class CrawlRun:
    returncode: int
    stdout: str
    stderr: str
    items: list[dict]
    requests: list[tuple[str, str, str]]


def crawl_command(
    sites,
    workdir: Path,
    *args: str,
    store: Path | None = None,
    env: dict[str, str] | None = None,
    settings: dict[str, str] | None = None,
) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of a `pantau crawl` of the fixture sites.

    Source files for the live ports are written once per work folder; saved queries come from
    an empty folder unless ``env`` names some, and a configured cluster is never used.
    """
    sources = workdir / "sources"
    if not sources.exists():
        sources.mkdir(parents=True)
        sites.write_sources(sources)
    cmd = [
        sys.executable,
        "-m",
        "pantau",
        "crawl",
        "--sources-dir",
        str(sources),
        "--store",
        str(store or workdir / "pantau.db"),
        *args,
    ]
    for key, value in (settings or {}).items():
        cmd += ["-s", f"{key}={value}"]
    run_env = {**os.environ, "PANTAU_QUERIES": str(workdir / "no-queries"), **(env or {})}
    run_env.pop("ELASTICSEARCH_URL", None)
    return cmd, run_env


def crawl(
    sites,
    workdir: Path,
    *args: str,
    store: Path | None = None,
    env: dict[str, str] | None = None,
    settings: dict[str, str] | None = None,
    name: str = "run",
) -> CrawlRun:
    """`pantau crawl` over the fixture sites; returns items, output and the requests made."""
    out = workdir / f"{name}.jsonl"
    cmd, run_env = crawl_command(
        sites,
        workdir,
        "-O",
        str(out),
        "--log-level",
        "INFO",
        *args,
        store=store,
        env=env,
        settings={**FAST, **(settings or {})},
    )
    sites.clear_log()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=run_env, timeout=240)
    (workdir / f"{name}.log").write_text(proc.stderr)
    items = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    return CrawlRun(proc.returncode, proc.stdout, proc.stderr, items, list(sites.requests))


def article_requests(run: CrawlRun) -> list[str]:
    """Requests for article pages (not discovery: sitemaps, feeds, listings, API, robots)."""
    paths = []
    for site, _method, path in run.requests:
        if site == "portal" and path.startswith("/berita/"):
            paths.append(path)
        elif site == "wordpress" and re.match(r"^/\d{4}/\d{2}/", path):
            paths.append(path)
    return paths
