"""Alert history in the store: one row per alert, one row per alert and channel delivery.

Alert ids are derived from what they are about (``rule:doc`` for a match, ``rule:spike:start``
for a spike window), and rows are inserted with ``INSERT OR IGNORE``, so a re-crawl, an updated
article or a second ``pantau alerts run`` never records, and so never sends, an alert twice.
A delivery row stays ``pending``/``failed`` until its channel accepts it; only then is it
``delivered``. ``skipped`` means the channel was not configured when the digest went out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from pantau.alerts.rules import Rule
from pantau.store import SqliteStore
from pantau.times import iso_to_epoch, utc_now

WIB = timezone(timedelta(hours=7), "WIB")
OPEN_STATUSES = ("pending", "failed")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS alert_records (
    id TEXT PRIMARY KEY,            -- rule:doc for a match, rule:spike:<window start> for a spike
    rule_id TEXT NOT NULL,
    rule_name TEXT NOT NULL,        -- kept so a digest can go out after the rule file is gone
    severity TEXT NOT NULL,
    kind TEXT NOT NULL,             -- match | spike
    doc_id TEXT,
    title TEXT,
    url TEXT,
    source TEXT,
    published_at TEXT,
    matched_terms TEXT NOT NULL DEFAULT '[]',
    item_ts REAL,                   -- item time (published, else first seen): spike windows
    window_start TEXT,
    window_end TEXT,
    match_count INTEGER,
    matched_at TEXT NOT NULL,
    matched_ts REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_records_window ON alert_records(rule_id, kind, item_ts);
CREATE INDEX IF NOT EXISTS alert_records_matched ON alert_records(matched_ts);
CREATE TABLE IF NOT EXISTS alert_deliveries (
    alert_id TEXT NOT NULL REFERENCES alert_records(id),
    channel TEXT NOT NULL,
    status TEXT NOT NULL,           -- pending | failed | delivered | skipped
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    delivered_at TEXT,
    PRIMARY KEY (alert_id, channel)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alert_deliveries_open ON alert_deliveries(status)
    WHERE status IN ('pending', 'failed');
"""


@dataclass(frozen=True)
class PendingGroup:
    """Undelivered alerts of one rule for one channel: they travel as one digest."""

    rule_id: str
    channel: str
    alerts: list[dict[str, Any]]


def wib_iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, WIB).isoformat(timespec="seconds")


class AlertLog:
    """The alert tables of one store."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store
        with store.transaction() as conn:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)

    # -- recording ----------------------------------------------------------------------------
    def record_match(
        self,
        rule: Rule,
        doc: Mapping[str, Any],
        terms: list[str],
        item_ts: float,
        channels: Iterable[str],
    ) -> str | None:
        """Record that ``rule`` hit ``doc``; the alert id when new, None when already known."""
        alert_id = f"{rule.id}:{doc['id']}"
        row = {
            "id": alert_id,
            "kind": "match",
            "doc_id": doc["id"],
            "title": doc.get("title"),
            "url": doc.get("url"),
            "source": doc.get("source"),
            "published_at": doc.get("published_at"),
            "matched_terms": json.dumps(terms, ensure_ascii=False),
            "item_ts": item_ts,
        }
        return alert_id if self._insert(rule, row, channels) else None

    def record_spike(
        self, rule: Rule, start: float, end: float, count: int, channels: Iterable[str]
    ) -> str | None:
        """Record a spike of ``rule`` in the window starting at ``start``; None if it fired."""
        row = {
            "id": f"{rule.id}:spike:{wib_iso(start)}",
            "kind": "spike",
            "title": f"{count} matches between {wib_iso(start)} and {wib_iso(end)}",
            "item_ts": start,
            "window_start": wib_iso(start),
            "window_end": wib_iso(end),
            "match_count": count,
        }
        return row["id"] if self._insert(rule, row, channels) else None

    def _insert(self, rule: Rule, row: dict[str, Any], channels: Iterable[str]) -> bool:
        now = utc_now()
        row = {
            **row,
            "rule_id": rule.id,
            "rule_name": rule.name,
            "severity": rule.severity,
            "matched_at": now,
            "matched_ts": iso_to_epoch(now),
        }
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self.store.transaction() as conn:
            cursor = conn.execute(
                f"INSERT OR IGNORE INTO alert_records ({cols}) VALUES ({marks})",
                tuple(row.values()),
            )
            if cursor.rowcount == 0:
                return False
            conn.executemany(
                "INSERT INTO alert_deliveries (alert_id, channel, status) VALUES (?, ?, 'pending')",
                [(row["id"], channel) for channel in channels],
            )
        return True

    # -- spike windows ------------------------------------------------------------------------
    def window_count(self, rule_id: str, start: float, end: float) -> int:
        return self.store.conn.execute(
            "SELECT COUNT(*) FROM alert_records WHERE rule_id = ? AND kind = 'match' "
            "AND item_ts >= ? AND item_ts < ?",
            (rule_id, start, end),
        ).fetchone()[0]

    def window_samples(
        self, rule_id: str, start: float, end: float, limit: int = 5
    ) -> list[dict[str, Any]]:
        """The newest matches inside a spike window, to show what the spike is about."""
        rows = self.store.conn.execute(
            "SELECT title, url, source, published_at FROM alert_records WHERE rule_id = ? "
            "AND kind = 'match' AND item_ts >= ? AND item_ts < ? ORDER BY item_ts DESC LIMIT ?",
            (rule_id, start, end, limit),
        )
        return [dict(row) for row in rows]

    # -- delivery -----------------------------------------------------------------------------
    def pending_groups(self) -> list[PendingGroup]:
        """Every undelivered alert, grouped by rule and channel, oldest item first."""
        rows = self.store.conn.execute(
            "SELECT r.*, d.channel FROM alert_deliveries d JOIN alert_records r "
            "ON r.id = d.alert_id WHERE d.status IN ('pending', 'failed') "
            "ORDER BY r.rule_id, d.channel, r.kind DESC, r.item_ts, r.id"
        )
        groups: dict[tuple[str, str], PendingGroup] = {}
        for row in rows:
            key = (row["rule_id"], row["channel"])
            if key not in groups:
                groups[key] = PendingGroup(row["rule_id"], row["channel"], [])
            groups[key].alerts.append(_alert_from_row(row))
        return list(groups.values())

    def mark(
        self,
        alert_ids: Iterable[str],
        channel: str,
        status: str,
        *,
        attempts: int = 0,
        error: str | None = None,
    ) -> None:
        """Record the outcome of one digest for every alert it carried."""
        delivered_at = utc_now() if status == "delivered" else None
        with self.store.transaction() as conn:
            conn.executemany(
                "UPDATE alert_deliveries SET status = ?, attempts = attempts + ?, "
                "last_error = ?, delivered_at = ? WHERE alert_id = ? AND channel = ? "
                "AND status IN ('pending', 'failed')",
                [(status, attempts, error, delivered_at, a, channel) for a in alert_ids],
            )

    # -- reading ------------------------------------------------------------------------------
    def list_alerts(
        self, *, since_ts: float | None = None, rule_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Recorded alerts, newest first, each with its per-channel delivery state."""
        clauses, params = ["1"], []
        if since_ts is not None:
            clauses.append("matched_ts >= ?")
            params.append(since_ts)
        if rule_id:
            clauses.append("rule_id = ?")
            params.append(rule_id)
        where = " AND ".join(clauses)
        rows = self.store.conn.execute(
            f"SELECT * FROM alert_records WHERE {where} ORDER BY matched_ts DESC, item_ts DESC, id",
            params,
        ).fetchall()
        deliveries: dict[str, dict[str, dict[str, Any]]] = {}
        for row in self.store.conn.execute(
            "SELECT alert_id, channel, status, attempts, last_error, delivered_at "
            f"FROM alert_deliveries WHERE alert_id IN (SELECT id FROM alert_records WHERE {where})",
            params,
        ):
            deliveries.setdefault(row["alert_id"], {})[row["channel"]] = {
                k: row[k] for k in ("status", "attempts", "last_error", "delivered_at")
            }
        out = []
        for row in rows:
            alert = _alert_from_row(row)
            alert["deliveries"] = deliveries.get(row["id"], {})
            alert["delivered"] = delivered_state(alert["deliveries"])
            out.append(alert)
        return out


def delivered_state(deliveries: Mapping[str, Mapping[str, Any]]) -> bool | None:
    """True when every configured channel has it, False while one still owes it.

    None for an alert with no channel of its own (a match counted toward a spike rule).
    """
    statuses = [d["status"] for d in deliveries.values()]
    if not statuses:
        return None
    if any(s in OPEN_STATUSES for s in statuses):
        return False
    return "delivered" in statuses


def _alert_from_row(row: Any) -> dict[str, Any]:
    alert = {key: row[key] for key in row.keys() if key not in ("channel", "matched_ts")}
    alert["matched_terms"] = json.loads(alert["matched_terms"] or "[]")
    return alert
