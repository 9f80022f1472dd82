"""`pantau sources`: list (and filter) the configured outlets, validating every file;
`pantau sources check`: probe every discovery route of the chosen outlets live."""

from __future__ import annotations

import argparse
import json
import sys

from crawler.sources import (
    KINDS,
    Source,
    SourceError,
    filter_sources,
    load_sources,
    select_sources,
)

EPILOG = """\
pantau sources check [ID|PATH ...] probes each route of each source (default: every enabled
source): robots.txt verdict, HTTP status, articles listed, newest article's date, and a sample of
article pages (title, body, date extracted). Each source ends ok, degraded or broken; the exit
status is 1 when any source is broken, 2 when a source file is invalid. Nothing is stored.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sources",
        help="list, filter and validate the source files; `check` probes them live",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "words",
        nargs="*",
        metavar="PATH | check [ID|PATH ...]",
        help="a YAML file or folder to list (default: crawler/sources/); or `check` and the "
        "sources to probe",
    )
    p.add_argument("--kind", choices=KINDS, help="only sources of this kind")
    p.add_argument("--region", help='only sources of this province (or "national")')
    p.add_argument("--json", action="store_true", help="one JSON object per source")
    p.add_argument("--sources-dir", help="folder or file of source definitions (for check)")
    p.add_argument(
        "--timeout", type=float, default=90.0, help="check: seconds per source (default 90)"
    )
    p.add_argument(
        "--sample", type=int, default=3, help="check: article pages fetched per source (3)"
    )
    p.add_argument(
        "--delay", type=float, default=1.0, help="check: seconds between requests to one host"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    words = list(args.words or [])
    if words and words[0] == "check":
        return _check(args, words[1:])
    if len(words) > 1:
        print("pantau: sources takes one PATH (or `check ID...`)", file=sys.stderr)
        return 2
    try:
        sources = load_sources(words[0] if words else args.sources_dir)
        sources = filter_sources(sources, kind=args.kind, region=args.region)
    except SourceError as exc:
        print(f"pantau: invalid sources:\n{exc}", file=sys.stderr)
        return 1
    for s in sources:
        _print_source(s, args.json)
    if not args.json:
        print(f"{len(sources)} source(s), all valid")
    return 0


def _routes(s: Source) -> dict:
    return {
        "sitemaps": list(s.sitemaps),
        "feeds": list(s.feeds),
        "listings": list(s.listings),
        "wordpress_api": s.wordpress_api,
    }


def _print_source(s: Source, as_json: bool) -> None:
    routes = _routes(s)
    if as_json:
        record = {
            "id": s.id,
            "name": s.name,
            "url": s.url,
            "platform": s.platform,
            "kind": s.kind,
            "region": s.region,
            "language": s.language,
            "enabled": s.enabled,
            "file": s.path,
            **routes,
        }
        print(json.dumps(record, ensure_ascii=False))
        return
    found = ", ".join(f"{k} {len(v) if isinstance(v, list) else 1}" for k, v in routes.items() if v)
    state = "" if s.enabled else "  (disabled)"
    print(f"{s.id:24} {s.kind:13} {s.region:18} {s.platform:9} {s.url}  [{found}]{state}")


def _check(args: argparse.Namespace, wanted: list[str]) -> int:
    from crawler.probe import ProbeSettings, probe_sources
    from crawler.settings import USER_AGENT

    try:
        known = load_sources(args.sources_dir)
        chosen = (
            select_sources(known, wanted or None) if wanted else [s for s in known if s.enabled]
        )
        chosen = filter_sources(chosen, kind=args.kind, region=args.region)
    except SourceError as exc:
        print(f"pantau: invalid sources:\n{exc}", file=sys.stderr)
        return 2
    if not chosen:
        print("pantau: no source to check", file=sys.stderr)
        return 2
    settings = ProbeSettings(
        user_agent=USER_AGENT,
        source_timeout=args.timeout,
        host_delay=max(0.0, args.delay),
        sample=max(0, args.sample),
    )
    reports = probe_sources(chosen, settings)
    for report in reports:
        if args.json:
            print(json.dumps(report.to_json(), ensure_ascii=False))
        else:
            _print_report(report)
    counts = {v: sum(r.verdict == v for r in reports) for v in ("ok", "degraded", "broken")}
    if not args.json:
        print(", ".join(f"{n} {v}" for v, n in counts.items()))
    return 1 if counts["broken"] else 0


def _print_report(report) -> None:
    print(f"{report.id} ({report.kind}, {report.region})")
    for r in report.routes:
        status = f"HTTP {r.status}" if r.status is not None else "not fetched"
        newest = r.newest or "-"
        problem = f"  ! {r.error}" if r.error else ""
        print(
            f"  {r.kind:8} robots {r.robots:10} {status:12} items {r.items:<5} "
            f"newest {newest:25} {r.url}{problem}"
        )
    for p in report.pages:
        marks = " ".join(
            f"{k} {'yes' if getattr(p, k) else 'no '}" for k in ("title", "body", "date")
        )
        problem = f"  ! {p.error}" if p.error else ""
        print(f"  article  robots {p.robots:10} {marks}  {p.url}{problem}")
    print(f"  => {report.verdict}")
