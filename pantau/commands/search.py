"""`pantau search QUERY`: Lucene-syntax search over the store (or Elasticsearch)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from pantau.query import QueryError

HIT_FIELDS = (
    "id",
    "url",
    "title",
    "source",
    "published_at",
    "score",
    "section",
    "language",
    "topics",
    "keywords",
    "cluster_id",
    "duplicate_of",
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="search stored articles (Lucene query syntax)")
    p.add_argument("query", help='e.g. \'"politik uang" OR "serangan fajar" -source:x\'')
    p.add_argument("--source", help="only this source id")
    p.add_argument("--since", help="ISO date/time or a span like 24h, 7d")
    p.add_argument("--until", help="ISO date/time or a span like 24h, 7d")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true", help="one JSON object per hit")
    p.add_argument("--store", help="SQLite store path (default: $PANTAU_STORE or data/pantau.db)")
    p.set_defaults(func=run)


def backend(store_path: str | None) -> Any:
    """Elasticsearch when ELASTICSEARCH_URL is set, else the embedded store."""
    if os.environ.get("ELASTICSEARCH_URL"):
        from pantau.es.search import EsSearchBackend

        return EsSearchBackend.from_env()
    from pantau.store import open_store

    return open_store(store_path)


def run(args: argparse.Namespace) -> int:
    if args.limit < 1:
        print("pantau: --limit must be at least 1", file=sys.stderr)
        return 2
    try:
        hits = backend(args.store).search(
            args.query, source=args.source, since=args.since, until=args.until, limit=args.limit
        )
    except QueryError as exc:
        print(f"pantau: {exc}", file=sys.stderr)
        return 2
    for rank, hit in enumerate(hits, 1):
        cluster = hit.get("cluster") or {}
        if args.json:
            out = {k: hit.get(k) for k in HIT_FIELDS}
            out.update(
                outlets=cluster.get("outlets", 1),
                first_source=cluster.get("first_source"),
                first_seen=cluster.get("first_seen"),
            )
            print(json.dumps(out, ensure_ascii=False))
            continue
        when = (hit.get("published_at") or "")[:16].replace("T", " ")
        print(f"{rank:3}. [{hit['source']}] {when}  {hit.get('title') or '(no title)'}")
        print(f"     {hit['url']}  score {hit.get('score', 0):.2f}")
        if cluster.get("outlets", 1) > 1:
            print(
                f"     story carried by {cluster['outlets']} outlets, first seen at "
                f"{cluster['first_source']} {cluster['first_seen']}"
            )
    if not args.json:
        print(f"{len(hits)} hit(s)", file=sys.stderr)
    return 0
