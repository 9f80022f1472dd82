"""``pantau es``: set up, migrate, replay to and inspect the Elasticsearch side.

Every subcommand reads ELASTICSEARCH_URL and friends from the environment (docs/elasticsearch.md)
and prints what it did, one line per object; the exit status is 0 on success, 1 when the cluster
failed or refused, 2 when the configuration is missing or wrong.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from pantau.es.config import EsConfig, EsConfigError, EsNotConfigured, es_config_from, make_client
from pantau.es.index_config import IndexConfigError, load_index_config


def register(subparsers: Any) -> None:
    es = subparsers.add_parser(
        "es",
        help="Elasticsearch: setup, migrate, replay, status",
        description="Apply index_config/ to Elasticsearch and move documents there.",
    )
    sub = es.add_subparsers(dest="es_command", metavar="ACTION", required=True)

    setup = sub.add_parser(
        "setup",
        help="apply ILM policies, templates, indices, aliases and saved queries (idempotent)",
    )
    setup.add_argument(
        "--queries", help="alert rule folder (default: $PANTAU_QUERIES or index_config/queries)"
    )
    setup.add_argument("--no-queries", action="store_true", help="do not register saved queries")
    setup.set_defaults(func=run_setup)

    migrate = sub.add_parser(
        "migrate",
        help="rebuild the indices from the current templates: new generation, copy, alias swap",
    )
    migrate.add_argument(
        "--force", action="store_true", help="migrate even when the templates did not change"
    )
    migrate.add_argument(
        "--keep-old",
        action="store_true",
        help="keep the old generation for good (default: ILM deletes it after 30 days)",
    )
    migrate.set_defaults(func=run_migrate)

    replay = sub.add_parser("replay", help="send the documents waiting in the spool")
    replay.add_argument(
        "--timeout", type=float, default=600.0, help="give up after this many seconds (600)"
    )
    replay.set_defaults(func=run_replay)

    status = sub.add_parser("status", help="cluster, aliases, document counts, spool, dead letters")
    status.set_defaults(func=run_status)


def _fail(message: str, code: int) -> int:
    print(f"pantau es: {message}", file=sys.stderr)
    return code


def _guarded(action: Callable[[EsConfig], int]) -> int:
    """Read the configuration and run ``action``, turning failures into one clear line."""
    from elastic_transport import TransportError
    from elasticsearch import ApiError

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    try:
        config = es_config_from(os.environ)
    except EsNotConfigured:
        return _fail(
            "ELASTICSEARCH_URL is not set (see docs/elasticsearch.md; e.g. "
            "ELASTICSEARCH_URL=https://localhost:9200 with ELASTICSEARCH_USERNAME/PASSWORD)",
            2,
        )
    except EsConfigError as exc:
        return _fail(str(exc), 2)
    try:
        return action(config)
    except IndexConfigError as exc:
        return _fail(str(exc), 2)
    except ApiError as exc:
        return _fail(config.scrub(f"{config.display_url} answered {exc.meta.status}: {exc}"), 1)
    except TransportError as exc:
        return _fail(config.scrub(f"cannot reach {config.display_url}: {exc}"), 1)


def _print_changes(changes: list[Any]) -> int:
    for change in changes:
        print(change.line())
    counts = Counter(change.action for change in changes)
    print(", ".join(f"{n} {action}" for action, n in sorted(counts.items())))
    return 1 if counts.get("error") else 0


def run_setup(args: argparse.Namespace) -> int:
    def action(config: EsConfig) -> int:
        from pantau.es.percolator import load_saved_rules
        from pantau.es.setup import Change
        from pantau.es.setup import run_setup as apply

        index_config = load_index_config(names=config.names)
        rules = None
        notes: list[Change] = []
        if not args.no_queries:
            loaded = load_saved_rules(args.queries)
            if loaded is None:
                notes.append(Change("skipped", "saved queries", "-", "pantau.alerts not found"))
            else:
                rules, errors = loaded
                rules = [rule for rule in rules if getattr(rule, "enabled", True)]
                notes += [Change("error", "rule file", error) for error in errors]
        client = make_client(config)
        return _print_changes(apply(client, index_config, rules) + notes)

    return _guarded(action)


def run_migrate(args: argparse.Namespace) -> int:
    def action(config: EsConfig) -> int:
        from pantau.es.migrate import MigrateError
        from pantau.es.migrate import run_migrate as migrate

        client = make_client(config)
        try:
            changes = migrate(
                client,
                load_index_config(names=config.names),
                force=args.force,
                keep_old=args.keep_old,
            )
        except MigrateError as exc:
            return _fail(str(exc), 1)
        return _print_changes(changes)

    return _guarded(action)


def run_replay(args: argparse.Namespace) -> int:
    def action(config: EsConfig) -> int:
        from pantau.es.indexer import Indexer

        indexer = Indexer(make_client(config), config)
        waiting = indexer.spool.pending_count()
        print(f"spool {config.spool_dir}: {waiting} document(s) waiting")
        report = indexer.replay(deadline=time.monotonic() + args.timeout)
        counts = indexer.counters.snapshot()
        left = indexer.spool.pending_count()
        print(
            f"sent {counts['sent']}, accepted {counts['accepted']}, "
            f"conflicts {counts['conflicts']} (older or identical copies), "
            f"retried {counts['retried']}, rejected {counts['rejected']} "
            f"(see {config.deadletter_path}), left in spool {left}"
        )
        if report.stopped or report.timed_out:
            why = indexer.last_problem or ("timed out" if report.timed_out else report.stopped)
            return _fail(f"stopped early: {why}", 1)
        return 0

    return _guarded(action)


def run_status(args: argparse.Namespace) -> int:
    def action(config: EsConfig) -> int:
        from elastic_transport import TransportError

        from pantau.es.indexer import DeadLetters
        from pantau.es.spool import Spool
        from pantau.es.status import cluster_status

        names = config.names
        code = 0
        try:
            for line in cluster_status(make_client(config), load_index_config(names=names)):
                print(line)
        except TransportError as exc:
            print(config.scrub(f"cluster   cannot reach {config.display_url}: {exc}"))
            code = 1
        spool = Spool(config.spool_dir)
        print(f"spool     {config.spool_dir}: {spool.pending_count()} document(s) waiting")
        dead = DeadLetters(config.deadletter_path).count()
        print(f"dead      {config.deadletter_path}: {dead} rejected document(s)")
        return code

    return _guarded(action)
