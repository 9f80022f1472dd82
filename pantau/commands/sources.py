"""`pantau sources`: list the configured outlets, validating every file."""

from __future__ import annotations

import argparse
import json
import sys

from crawler.sources import SourceError, load_sources


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sources", help="list and validate the source files")
    p.add_argument("path", nargs="?", help="a YAML file or folder (default: crawler/sources/)")
    p.add_argument("--json", action="store_true", help="one JSON object per source")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        sources = load_sources(args.path)
    except SourceError as exc:
        print(f"pantau: invalid sources:\n{exc}", file=sys.stderr)
        return 1
    for s in sources:
        routes = {
            "sitemaps": list(s.sitemaps),
            "feeds": list(s.feeds),
            "listings": list(s.listings),
            "wordpress_api": s.wordpress_api,
        }
        if args.json:
            print(
                json.dumps(
                    {
                        "id": s.id,
                        "name": s.name,
                        "url": s.url,
                        "platform": s.platform,
                        "language": s.language,
                        "enabled": s.enabled,
                        "file": s.path,
                        **routes,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            found = ", ".join(
                f"{k} {len(v) if isinstance(v, list) else 1}" for k, v in routes.items() if v
            )
            state = "" if s.enabled else "  (disabled)"
            print(f"{s.id:24} {s.platform:9} {s.url}  [{found}]{state}")
    if not args.json:
        print(f"{len(sources)} source(s), all valid")
    return 0
