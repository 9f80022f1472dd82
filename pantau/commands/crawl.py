"""`pantau crawl [SOURCE...]`: crawl with progress, then a summary per source."""

from __future__ import annotations

import argparse
import sys

from crawler.progress import format_summary, per_source
from crawler.sources import SourceError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("crawl", help="crawl the configured outlets into the store")
    p.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="source ids, or one YAML file or folder (default: every enabled source)",
    )
    p.add_argument("--store", help="SQLite store path (default: $PANTAU_STORE or data/pantau.db)")
    p.add_argument("--sources-dir", help="folder or file of source definitions")
    p.add_argument(
        "--refresh", action="store_true", help="fetch every article again, ignoring the crawl state"
    )
    p.add_argument("-O", "--output", help="also write every item to this JSON-lines file")
    p.add_argument("--log-level", default="WARNING", help="Scrapy log level (default WARNING)")
    p.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy setting",
    )
    p.set_defaults(func=run)


def parse_overrides(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise SystemExit(f"pantau: --set wants NAME=VALUE, got {pair!r}")
        out[name] = value
    return out


def run(args: argparse.Namespace) -> int:
    from pantau.crawling import run_crawl

    overrides = {
        "PANTAU_STORE": args.store,
        "PANTAU_SOURCES": args.sources_dir,
        "PANTAU_PROGRESS": True,
        "LOG_LEVEL": args.log_level.upper(),
        **parse_overrides(args.set),
    }
    try:
        stats, sources = run_crawl(
            args.sources, overrides=overrides, refresh=args.refresh, output=args.output
        )
    except SourceError as exc:
        print(f"pantau: {exc}", file=sys.stderr)
        return 2
    table = per_source(stats)
    print(format_summary(table, sources))
    unreachable = [s for s in sources if not table.get(s, {}).get("pages")]
    if unreachable:
        # a scheduled job should notice an outlet that answered nothing at all
        print(f"pantau: no page could be fetched from: {', '.join(unreachable)}", file=sys.stderr)
        return 1
    reason = stats.get("finish_reason", "unknown")
    if reason != "finished":
        print(f"crawl ended early: {reason}", file=sys.stderr)
        return 1
    return 0
