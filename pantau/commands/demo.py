"""`pantau demo`: the whole flow on loopback, no network needed.

Serves the test suite's fixture sites, crawls them into a fresh store, then shows the
per-source summary and a few searches an analyst would run.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

DEMO_QUERIES = (
    "pemilu",
    '"politik uang" OR "serangan fajar"',
    "hoaks AND (kpu OR bawaslu)",
    "kominfo blokir*",
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="crawl the bundled loopback sites and search them")
    p.add_argument("--store", help="where to put the demo store (default: a fresh temp file)")
    p.add_argument("--keep", action="store_true", help="keep the temporary store and say where")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from crawler.progress import format_summary, per_source
    from pantau.crawling import run_crawl
    from pantau.fixture_site import FixtureSites
    from pantau.store import open_store

    os.environ.pop("ELASTICSEARCH_URL", None)  # never send the demo's pages to a real cluster
    workdir = Path(tempfile.mkdtemp(prefix="pantau-demo-"))
    store_path = Path(args.store) if args.store else workdir / "demo.db"
    if store_path.exists():
        store_path.unlink()
    with FixtureSites() as sites:
        sources_dir = workdir / "sources"
        sources_dir.mkdir()
        sites.write_sources(sources_dir)
        print(f"serving the fixture portal at {sites.portal_url}")
        print(f"serving the fixture WordPress site at {sites.wordpress_url}")
        stats, ids = run_crawl(
            None,
            overrides={
                "PANTAU_STORE": str(store_path),
                "PANTAU_SOURCES": str(sources_dir),
                "PANTAU_PROGRESS": True,
                "DOWNLOAD_DELAY": 0,
                "AUTOTHROTTLE_ENABLED": False,
                "PANTAU_RETRY_AFTER_MAX": 5,
                "LOG_LEVEL": "ERROR",
            },
        )
    print()
    print(format_summary(per_source(stats), ids))
    store = open_store(store_path)
    for query in DEMO_QUERIES:
        hits = store.search(query, limit=3)
        print(f"\n$ pantau search '{query}'  ({len(hits)} shown)")
        for hit in hits:
            cluster = hit.get("cluster") or {}
            spread = (
                f"  [story in {cluster['outlets']} outlets]"
                if cluster.get("outlets", 1) > 1
                else ""
            )
            print(f"  - [{hit['source']}] {hit['title']}{spread}")
    store.close()
    if args.keep or args.store:
        print(f"\nstore kept at {store_path}; try: pantau search pemilu --store {store_path}")
    return 0
