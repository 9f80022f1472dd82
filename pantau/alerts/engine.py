"""One alerting run: match documents, record alerts, fire spikes, deliver digests.

The ingest pipeline feeds items one by one and calls ``finish`` at spider close; ``pantau
alerts run`` scans what the store already holds and calls ``finish`` too. Both deliver every
digest still owed, including those a receiver refused on an earlier run.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pantau.alerts.channels import SENDERS, DeliveryError, Digest
from pantau.alerts.config import AlertSettings
from pantau.alerts.matching import rule_hits, rule_where
from pantau.alerts.records import AlertLog, PendingGroup
from pantau.alerts.rules import Rule
from pantau.query import PreparedDoc, matched_terms
from pantau.store import SqliteStore
from pantau.times import iso_to_epoch

logger = logging.getLogger("pantau.alerts")

# Spike windows are aligned to WIB midnight, so a 1d window is a calendar day in Jakarta.
_WIB_OFFSET = 7 * 3600
_MAX_RETRY_WAIT = 60.0  # cap on a receiver's Retry-After, so a close never hangs for long


def window_start(ts: float, window: int) -> float:
    """Start of the fixed window (aligned to WIB midnight) that holds the instant ``ts``."""
    return math.floor((ts + _WIB_OFFSET) / window) * window - _WIB_OFFSET


def item_time(item: Mapping[str, Any], first_seen: str | None = None) -> float:
    """The time a spike counts an item at: published, else first seen, else crawled, else now."""
    for value in (item.get("published_at"), first_seen, item.get("crawled_at")):
        moment = iso_to_epoch(value)
        if moment is not None:
            return moment
    return time.time()


@dataclass
class DeliveryReport:
    """What one ``deliver`` did, as (rule id, channel, alert count) per digest."""

    delivered: list[tuple[str, str, int]] = field(default_factory=list)
    failed: list[tuple[str, str, int, str]] = field(default_factory=list)
    skipped: list[tuple[str, str, int, str]] = field(default_factory=list)


class AlertEngine:
    """Rules applied to one store; ``sleep`` is injectable so tests need not wait."""

    def __init__(
        self,
        store: SqliteStore,
        rules: Iterable[Rule],
        settings: AlertSettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.log = AlertLog(store)
        self.store = store
        self.all_rules = {rule.id: rule for rule in rules}
        self.rules = [rule for rule in self.all_rules.values() if rule.enabled]
        self.settings = settings
        self.sleep = sleep
        self._touched: dict[str, set[float]] = {}  # spike rule id -> window starts to check
        self._warned: set[str] = set()

    # -- matching -----------------------------------------------------------------------------
    def process_item(self, item: Mapping[str, Any], first_seen: str | None = None) -> list[str]:
        """Match one item against every enabled rule; the ids of alerts recorded just now."""
        prepared = PreparedDoc(item)
        ts = item_time(item, first_seen)
        new = []
        for rule in self.rules:
            terms = rule_hits(rule, prepared)
            if terms is not None and (alert_id := self._record(rule, item, terms, ts)):
                new.append(alert_id)
        return new

    def scan_store(
        self, *, since_ts: float | None = None, rule_id: str | None = None
    ) -> dict[str, int]:
        """Match what the store already holds (e.g. for a new rule); new alerts per rule id."""
        new: dict[str, int] = {}
        for rule in self.rules:
            if rule_id and rule.id != rule_id:
                continue
            new[rule.id] = 0
            where, params = rule_where(rule, "documents")
            if since_ts is not None:
                where += " AND documents.seen_ts >= ?"
                params.append(since_ts)
            for doc in self.store.iter_documents(where, tuple(params)):
                terms = matched_terms(rule.compiled, doc)
                ts = item_time(doc, doc.get("first_seen_at"))
                new[rule.id] += self._record(rule, doc, terms, ts) is not None
        return new

    def _record(
        self, rule: Rule, doc: Mapping[str, Any], terms: list[str], ts: float
    ) -> str | None:
        # A spike rule notifies per window, not per item: its matches are counted, not sent.
        channels = [] if rule.spike else rule.notify
        alert_id = self.log.record_match(rule, doc, terms, ts, channels)
        if rule.spike:
            self._touched.setdefault(rule.id, set()).add(window_start(ts, rule.spike.window))
        return alert_id

    def check_spikes(self) -> list[str]:
        """Fire each touched window whose match count reached its rule's threshold, once."""
        fired = []
        for rule_id, starts in sorted(self._touched.items()):
            rule = self.all_rules[rule_id]
            assert rule.spike is not None
            for start in sorted(starts):
                end = start + rule.spike.window
                count = self.log.window_count(rule.id, start, end)
                if count >= rule.spike.count:
                    alert_id = self.log.record_spike(rule, start, end, count, rule.notify)
                    if alert_id:
                        fired.append(alert_id)
        self._touched.clear()
        return fired

    def finish(self) -> DeliveryReport:
        """End of a run: fire spikes, then deliver everything still owed."""
        self.check_spikes()
        return self.deliver()

    # -- delivery -----------------------------------------------------------------------------
    def deliver(self) -> DeliveryReport:
        """Send one digest per rule and channel for every undelivered alert, and record it."""
        report = DeliveryReport()
        groups = self.log.pending_groups()
        self._warn_unconfigured(groups)
        broken: dict[str, str] = {}  # channel -> error, once it failed in this run
        for group in groups:
            ids = [alert["id"] for alert in group.alerts]
            channel, count = group.channel, len(ids)
            reason = self._unusable(channel)
            if reason:
                self.log.mark(ids, channel, "skipped", error=reason)
                report.skipped.append((group.rule_id, channel, count, reason))
                continue
            if channel in broken:
                # A receiver that just failed every retry is not hammered again for each rule.
                error = f"not tried: {channel} failed earlier in this run ({broken[channel]})"
                self.log.mark(ids, channel, "failed", error=error)
                report.failed.append((group.rule_id, channel, count, error))
                continue
            attempts, error = self._send(channel, self._digest(group))
            if error is None:
                self.log.mark(ids, channel, "delivered", attempts=attempts)
                report.delivered.append((group.rule_id, channel, count))
                continue
            self.log.mark(ids, channel, "failed", attempts=attempts, error=error)
            report.failed.append((group.rule_id, channel, count, error))
            broken[channel] = error
            logger.warning(
                "alerts: %s digest for %s (%d alert(s)) failed after %d attempt(s): %s; "
                "kept for the next run",
                channel,
                group.rule_id,
                count,
                attempts,
                error,
            )
        return report

    def _unusable(self, channel: str) -> str | None:
        if channel not in SENDERS:
            return f"unknown channel {channel!r}"
        missing = self.settings.missing(channel)
        return f"not configured (set {missing})" if missing else None

    def _warn_unconfigured(self, groups: list[PendingGroup]) -> None:
        rules_by_channel: dict[str, set[str]] = {}
        for group in groups:
            if self._unusable(group.channel):
                rules_by_channel.setdefault(group.channel, set()).add(group.rule_id)
        for channel, rule_ids in sorted(rules_by_channel.items()):
            if channel not in self._warned:
                self._warned.add(channel)
                logger.warning(
                    "alerts: rule(s) %s notify %s, which is %s; those alerts stay in the store "
                    "(pantau alerts list)",
                    ", ".join(sorted(rule_ids)),
                    channel,
                    self._unusable(channel),
                )

    def _digest(self, group: PendingGroup) -> Digest:
        rule = self.all_rules.get(group.rule_id)
        latest = group.alerts[-1]
        for alert in group.alerts:
            if alert["kind"] == "spike":
                start = iso_to_epoch(alert["window_start"]) or 0.0
                end = iso_to_epoch(alert["window_end"]) or 0.0
                alert["samples"] = self.log.window_samples(group.rule_id, start, end)
        return Digest(
            rule_id=group.rule_id,
            rule_name=rule.name if rule else latest["rule_name"],
            severity=rule.severity if rule else latest["severity"],
            alerts=group.alerts,
        )

    def _send(self, channel: str, digest: Digest) -> tuple[int, str | None]:
        """Try a bounded number of times with doubling waits; (attempts, last error or None)."""
        sender = SENDERS[channel]
        delay = self.settings.backoff
        attempts = 0
        while True:
            attempts += 1
            try:
                sender(self.settings, digest)
                return attempts, None
            except DeliveryError as exc:
                error, retryable, retry_after = str(exc), exc.retryable, exc.retry_after
            except Exception as exc:  # a bug in one channel must not lose the others' digests
                logger.exception("alerts: %s sender crashed", channel)
                error, retryable, retry_after = repr(exc), False, None
            error = self._redact(error)
            if not retryable or attempts > self.settings.retries:
                return attempts, error
            wait = delay if retry_after is None else min(max(delay, retry_after), _MAX_RETRY_WAIT)
            self.sleep(wait)
            delay *= 2

    def _redact(self, text: str) -> str:
        for secret in self.settings.secrets():
            text = text.replace(secret, "***")
        return text
