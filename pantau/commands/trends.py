"""``pantau trends``: the emerging-narratives report, over the store or Elasticsearch."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from pantau.store import SqliteStore, StoreError, store_path
from pantau.trends import TrendsError, compute_trends
from pantau.trends.counting import SAMPLE_STORIES
from pantau.trends.render_html import render_html
from pantau.trends.render_text import format_report
from pantau.trends.scoring import SCORERS


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def register(subparsers: Any) -> None:
    """Add ``trends`` to a CLI."""
    p = subparsers.add_parser(
        "trends",
        help="emerging terms, growing stories and volume per topic",
        description="Terms and phrases whose share of stories grew most in the window against "
        "the period before it, the stories that reached new outlets, and articles per topic "
        "over time. Uses Elasticsearch when ELASTICSEARCH_URL is set, else the store.",
    )
    p.add_argument("--window", default="24h", help="recent period: 24h, 7d, ... (default 24h)")
    p.add_argument(
        "--baseline", default="30d", help="the period before the window to compare with (30d)"
    )
    p.add_argument("--topic", help="only articles tagged with this topic id")
    p.add_argument("--source", help="only articles of this source id")
    p.add_argument("--now", help="end of the window, ISO date/time (default: now), for reruns")
    p.add_argument("--limit", type=_positive, default=20, help="terms and stories (default 20)")
    p.add_argument(
        "--min-docs", type=_positive, default=3, help="stories a term needs in the window (3)"
    )
    p.add_argument(
        "--min-outlets", type=_positive, default=2, help="outlets a term or story needs (2)"
    )
    p.add_argument("--score", choices=sorted(SCORERS), default="jlh", help="significance (jlh)")
    p.add_argument(
        "--exact",
        action="store_true",
        help=f"read every story in full, not samples of {SAMPLE_STORIES} per period (slower)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--html", metavar="FILE", help="also write a self-contained HTML page")
    p.add_argument("--store", help="store file (default: PANTAU_STORE, else data/pantau.db)")
    p.set_defaults(func=run_trends)


def _options(args: argparse.Namespace) -> dict[str, Any]:
    """The report settings both back ends take."""
    names = ("window", "baseline", "topic", "source", "now", "limit", "min_docs", "min_outlets")
    return {name: getattr(args, name) for name in (*names, "score")}


def _from_store(args: argparse.Namespace) -> dict[str, Any]:
    path = Path(args.store) if args.store else store_path()
    if not path.exists():
        raise TrendsError(f"no store at {path} (give --store or set PANTAU_STORE)")
    store = SqliteStore(path)
    try:
        return compute_trends(
            store,
            **_options(args),
            sample=None if args.exact else SAMPLE_STORIES,
        )
    finally:
        store.close()


def _from_es(args: argparse.Namespace) -> dict[str, Any]:
    from elasticsearch import ApiError, TransportError

    from pantau.es.config import es_config_from, make_client
    from pantau.trends.es import trends_from_es

    config = es_config_from(os.environ)
    try:
        return trends_from_es(make_client(config), **_options(args), index=config.names.articles)
    except (ApiError, TransportError) as exc:
        # An ApiError's text carries the root cause; a TransportError's is generic ("Connection
        # error") and the detail is in .message.
        detail = str(exc) if isinstance(exc, ApiError) else getattr(exc, "message", str(exc))
        raise StoreError(
            config.scrub(f"Elasticsearch at {config.display_url} failed: {detail}")
        ) from None


def run_trends(args: argparse.Namespace) -> int:
    """Run the command for parsed arguments; 0 on success, 1 when the back end fails, 2 on
    bad input."""
    try:
        if os.environ.get("ELASTICSEARCH_URL"):
            report = _from_es(args)
        else:
            report = _from_store(args)
    except TrendsError as exc:
        print(f"pantau trends: {exc}", file=sys.stderr)
        return 2
    except (StoreError, ValueError) as exc:  # EsConfigError is a ValueError
        print(f"pantau trends: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(format_report(report))
    if args.html:
        target = Path(args.html)
        try:
            target.write_text(render_html(report), encoding="utf-8")
        except OSError as exc:
            print(f"pantau trends: cannot write {target}: {exc.strerror}", file=sys.stderr)
            return 1
        print(f"wrote {target}", file=sys.stderr)
    return 0
