"""``pantau alerts``: list recorded alerts, try a rule on the store, run rules over the store."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from pantau.alerts import (
    AlertEngine,
    AlertLog,
    Rule,
    RuleError,
    alert_settings,
    load_rule_file,
    load_rules,
    queries_path,
    rule_where,
    window_start,
)
from pantau.alerts.engine import item_time
from pantau.alerts.records import wib_iso
from pantau.query import matched_terms, parse_when
from pantau.store import SqliteStore, StoreError, store_path


def register(subparsers: Any) -> None:
    """Add ``alerts`` with its ``list``, ``test`` and ``run`` subcommands to a CLI."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", help="store file (default: PANTAU_STORE, else data/pantau.db)")
    common.add_argument(
        "--queries",
        help="folder of rule files (default: PANTAU_QUERIES, else index_config/queries)",
    )
    parser = subparsers.add_parser("alerts", help="saved-query alerts")
    commands = parser.add_subparsers(dest="alerts_command", metavar="{list,test,run}")
    commands.required = True

    listing = commands.add_parser("list", parents=[common], help="alerts recorded in the store")
    listing.add_argument("--since", help="matched since: ISO date/time or a span like 24h, 7d")
    listing.add_argument("--rule", help="only this rule id")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(func=cmd_list)

    trying = commands.add_parser(
        "test", parents=[common], help="what a rule would match in the store (records nothing)"
    )
    trying.add_argument("file", metavar="FILE", help="rule file, or a rule id in --queries")
    trying.add_argument("--since", help="only documents since: ISO date/time or a span like 7d")
    trying.add_argument("--limit", type=int, default=50, help="documents to show (default 50)")
    trying.add_argument("--json", action="store_true", help="one JSON object per line")
    trying.set_defaults(func=cmd_test)

    running = commands.add_parser(
        "run", parents=[common], help="match the rules over the store, record and deliver alerts"
    )
    running.add_argument("--rule", help="only this rule id")
    running.add_argument("--since", help="only documents since: ISO date/time or a span like 7d")
    running.set_defaults(func=cmd_run)


# -- list -----------------------------------------------------------------------------------------
def cmd_list(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        since = _since(args.since)
        store = _open(args.store)
    except _UsageError as exc:
        return _fail(str(exc))
    try:
        alerts = AlertLog(store).list_alerts(since_ts=since, rule_id=args.rule)
    finally:
        store.close()
    for alert in alerts:
        record = {
            "id": alert["id"],
            "rule": alert["rule_id"],
            "rule_name": alert["rule_name"],
            "severity": alert["severity"],
            "kind": alert["kind"],
            "url": alert["url"],
            "title": alert["title"],
            "source": alert["source"],
            "published_at": alert["published_at"],
            "matched_terms": alert["matched_terms"],
            "matched_at": alert["matched_at"],
            "delivered": alert["delivered"],
            "deliveries": {ch: d["status"] for ch, d in alert["deliveries"].items()},
        }
        if alert["kind"] == "spike":
            record.update(
                window_start=alert["window_start"],
                window_end=alert["window_end"],
                match_count=alert["match_count"],
            )
        if args.json:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            continue
        state = {True: "delivered", False: "undelivered", None: "counted"}[alert["delivered"]]
        out.write(
            f"{alert['matched_at']}  {alert['rule_id']}  [{alert['severity']}]  {state}  "
            f"{alert['source'] or '-'}  {alert['title'] or '(untitled)'}  {alert['url'] or ''}\n"
        )
    if not args.json:
        out.write(f"{len(alerts)} alert(s)\n")
    return 0


# -- test -----------------------------------------------------------------------------------------
def cmd_test(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        rule = _rule_for_test(args.file, args.queries)
        since = _since(args.since)
        store = _open(args.store)
    except _UsageError as exc:
        return _fail(str(exc))
    try:
        where, params = rule_where(rule, "documents")
        if since is not None:
            where += " AND documents.seen_ts >= ?"
            params.append(since)
        docs = list(store.iter_documents(where, tuple(params)))
    finally:
        store.close()
    docs.reverse()  # newest first, as search shows them
    if not args.json:
        state = "" if rule.enabled else " (disabled)"
        out.write(f"rule {rule.id}{state}: {len(docs)} matching document(s) in the store\n")
    for doc in docs[: max(args.limit, 0)]:
        terms = matched_terms(rule.compiled, doc)
        if args.json:
            fields = ("id", "url", "title", "source", "published_at", "first_seen_at")
            record = {key: doc.get(key) for key in fields} | {"matched_terms": terms}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            when = doc.get("published_at") or f"first seen {doc.get('first_seen_at')}"
            out.write(f"- {doc.get('title') or '(untitled)'}\n  {doc.get('source')} | {when}\n")
            out.write(f"  matched: {', '.join(terms) or '-'}\n  {doc.get('url')}\n")
    if rule.spike and not args.json:
        spike = rule.spike
        counts = Counter(
            window_start(item_time(d, d.get("first_seen_at")), spike.window) for d in docs
        )
        fired = sorted((start, n) for start, n in counts.items() if n >= spike.count)
        out.write(
            f"spike {spike.count} per {spike.window_text}: would fire in {len(fired)} window(s)\n"
        )
        for start, n in fired:
            out.write(f"  {wib_iso(start)} .. {wib_iso(start + spike.window)}: {n} matches\n")
    return 0


def _rule_for_test(target: str, queries: str | None) -> Rule:
    path = Path(target)
    if not path.is_file():
        # Not a file: take it as the id of a rule in the queries folder.
        rules, _ = load_rules(queries or queries_path())
        found = [rule for rule in rules if rule.id == target]
        if not found:
            raise _UsageError(f"{target}: no such rule file, nor a valid rule with that id")
        return found[0]
    try:
        return load_rule_file(path)
    except RuleError as exc:
        raise _UsageError(f"{path}: {exc}") from exc


# -- run ------------------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    _ensure_logging()
    folder = Path(args.queries) if args.queries else queries_path()
    rules, errors = load_rules(folder)
    for error in errors:
        sys.stderr.write(f"rule file skipped: {error}\n")
    if args.rule and args.rule not in {rule.id for rule in rules}:
        return _fail(f"no valid rule with id {args.rule!r} in {folder}")
    try:
        since = _since(args.since)
        settings = alert_settings()
        store = _open(args.store)
    except (_UsageError, ValueError) as exc:
        return _fail(str(exc))
    try:
        engine = AlertEngine(store, rules, settings)
        new = engine.scan_store(since_ts=since, rule_id=args.rule)
        report = engine.finish()
    finally:
        store.close()
    for rule_id, count in new.items():
        out.write(f"{rule_id}: {count} new alert(s)\n")
    for rule_id, channel, count in report.delivered:
        out.write(f"delivered {channel} digest for {rule_id} ({count} alert(s))\n")
    for rule_id, channel, count, reason in report.skipped:
        out.write(f"skipped {channel} for {rule_id} ({count} alert(s)): {reason}\n")
    for rule_id, channel, count, error in report.failed:
        out.write(f"FAILED {channel} for {rule_id} ({count} alert(s)), kept for later: {error}\n")
    return 1 if errors or report.failed else 0


# -- shared ---------------------------------------------------------------------------------------
class _UsageError(Exception):
    pass


def _open(path: str | None) -> SqliteStore:
    target = Path(path) if path else store_path()
    if not target.is_file():
        raise _UsageError(f"no store at {target} (set --store or PANTAU_STORE)")
    try:
        return SqliteStore(target)
    except StoreError as exc:
        raise _UsageError(str(exc)) from exc


def _since(value: str | None) -> float | None:
    if not value:
        return None
    moment = parse_when(value)
    if moment is None:
        raise _UsageError(f"cannot read --since {value!r}: use an ISO date/time or a span like 24h")
    return moment.timestamp()


def _fail(message: str) -> int:
    sys.stderr.write(f"pantau alerts: {message}\n")
    return 2


def _ensure_logging() -> None:
    # The "log" channel writes through logging; without any handler its digests would vanish.
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")


__all__ = ["cmd_list", "cmd_run", "cmd_test", "register"]
