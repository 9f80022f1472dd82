"""``pantau kibana import``: load the saved objects (data view, searches, dashboard) into Kibana."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from pantau.es.config import EsConfigError, EsNotConfigured, kibana_config_from


def register(subparsers: Any) -> None:
    kibana = subparsers.add_parser(
        "kibana", help="Kibana: import the saved objects", description="Kibana saved objects."
    )
    sub = kibana.add_subparsers(dest="kibana_command", metavar="ACTION", required=True)
    imp = sub.add_parser(
        "import",
        help="import index_config/kibana/*.ndjson and the alert-rule searches (overwrite=true)",
    )
    imp.add_argument(
        "--file",
        action="append",
        help="NDJSON file to import instead of index_config/kibana/*.ndjson (repeatable)",
    )
    imp.add_argument(
        "--no-rules",
        action="store_true",
        help="leave out the saved searches generated from the alert rules",
    )
    imp.set_defaults(func=run_import)


def _objects(args: argparse.Namespace) -> list[dict[str, Any]]:
    from pantau.es.kibana import committed_path, read_ndjson, rule_searches, saved_objects
    from pantau.es.names import IndexNames
    from pantau.es.percolator import load_saved_rules

    names = IndexNames(os.environ.get("PANTAU_ES_PREFIX") or "pantau")
    if args.file:
        objects = [obj for path in args.file for obj in read_ndjson(path)]
    elif names.prefix != "pantau":
        objects = saved_objects(names)  # the committed file is spelled for the default prefix
    else:
        folder = committed_path().parent
        objects = [obj for path in sorted(folder.glob("*.ndjson")) for obj in read_ndjson(path)]
    if not args.no_rules:
        loaded = load_saved_rules()
        if loaded is not None:
            rules, errors = loaded
            for error in errors:
                print(f"skipped rule file {error}", file=sys.stderr)
            objects += rule_searches(names, [r for r in rules if getattr(r, "enabled", True)])
    return objects


def run_import(args: argparse.Namespace) -> int:
    from pantau.es.kibana import KibanaError, import_saved_objects

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    try:
        config = kibana_config_from(os.environ)
    except EsNotConfigured:
        print(
            "pantau kibana: KIBANA_URL is not set (e.g. KIBANA_URL=http://localhost:5601; "
            "see docs/elasticsearch.md)",
            file=sys.stderr,
        )
        return 2
    except EsConfigError as exc:
        print(f"pantau kibana: {exc}", file=sys.stderr)
        return 2
    try:
        objects = _objects(args)
    except (OSError, ValueError) as exc:
        print(f"pantau kibana: {exc}", file=sys.stderr)
        return 2
    try:
        results = import_saved_objects(config, objects)
    except KibanaError as exc:
        print(f"pantau kibana: {exc}", file=sys.stderr)
        return 1
    for result in results:
        print(result.line())
    failed = sum(not r.ok for r in results)
    print(f"{len(results) - failed} imported, {failed} failed")
    return 1 if failed else 0
