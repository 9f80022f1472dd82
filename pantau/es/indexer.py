"""Spool first, then send: the indexing path shared by the crawl pipeline and `pantau es replay`.

:class:`Indexer` turns items into records, appends them to the :class:`~pantau.es.spool.Spool`,
and sends sealed segments oldest first through :func:`~pantau.es.bulk.send_batch`. Each answer
settles a record: accepted and 409 conflicts are done, rejections go to the dead-letter file with
the cluster's reason, and everything else stays in the spool for the next attempt. An item that
keeps failing with 429/5xx is dead-lettered after ``max_attempts`` batches rather than holding up
the queue forever. :class:`BackgroundSender` runs the sending on its own thread during a crawl.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pantau.es.bulk import BatchResult, send_batch
from pantau.es.config import EsConfig
from pantau.es.documents import DocumentError, to_record
from pantau.es.spool import Claim, Spool, write_all

logger = logging.getLogger(__name__)

# What to do about a refused batch, by status.
REFUSAL_HINTS = {
    401: "; check ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/PASSWORD",
    403: "; the credentials lack privileges on {alias} (see docs/elasticsearch.md)",
    404: "; is the alias {alias} there? run `pantau es setup`",
    413: "; lower PANTAU_ES_BATCH_SIZE",
}
COUNTERS = ("spooled", "sent", "accepted", "retried", "rejected", "conflicts", "unreachable")


@dataclass
class Counters:
    """Running totals, safe to bump from the crawl thread and the sender thread."""

    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, name: str, amount: int = 1) -> None:
        if amount:
            with self._lock:
                self.values[name] = self.values.get(name, 0) + amount

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self.values)


class DeadLetters:
    """Append-only JSONL of what the cluster rejected, with the reason; fsynced per write."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def write(self, entries: list[dict[str, Any]]) -> None:
        if not entries:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        data = "".join(
            json.dumps({"failed_at": now, **entry}, ensure_ascii=False, default=str) + "\n"
            for entry in entries
        ).encode("utf-8")
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)

    def count(self) -> int:
        try:
            with self.path.open("rb") as handle:
                return sum(1 for line in handle if line.strip())
        except FileNotFoundError:
            return 0


@dataclass
class SendReport:
    segments: int = 0
    stopped: str | None = None  # why sending stopped early (unreachable, refused, still failing)
    timed_out: bool = False


class Indexer:
    """Items in, acknowledged documents out; see the module docstring."""

    def __init__(
        self,
        client: Any,
        config: EsConfig,
        *,
        counters: Counters | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client.options(max_retries=0) if client is not None else None
        self.config = config
        self.index = config.names.articles_write
        self.spool = Spool(config.spool_dir)
        self.deadletters = DeadLetters(config.deadletter_path)
        self.counters = counters or Counters()
        self._sleep = sleep
        self.last_problem: str | None = None

    # -- intake -----------------------------------------------------------------------------
    def add(self, item: Mapping[str, Any]) -> bool:
        """Spool one item; an item that cannot become a document is dead-lettered (False)."""
        try:
            record = to_record(item)
        except DocumentError as exc:
            logger.error("Elasticsearch: item not indexable, dead-lettered: %s", exc)
            self.deadletters.write([{"reason": str(exc), "status": None, "item": dict(item)}])
            self.counters.add("rejected")
            return False
        self.spool.append(record)
        self.counters.add("spooled")
        return True

    def batch_full(self) -> bool:
        return self.spool.open_count() >= self.config.batch_size

    def seal(self) -> Path | None:
        return self.spool.seal()

    def seal_if_older(self, seconds: float) -> Path | None:
        if self.spool.open_count() and self.spool.open_age() >= seconds:
            return self.spool.seal()
        return None

    # -- sending ----------------------------------------------------------------------------
    def send_pending(self, *, deadline: float | None = None) -> SendReport:
        """Send sealed segments oldest first until done, the deadline, or a failing cluster."""
        report = SendReport()
        recovered = self.spool.recover()
        if recovered:
            logger.info("Elasticsearch: recovered %d unfinished spool segment(s)", len(recovered))
        for path in self.spool.sealed_segments():
            if deadline is not None and time.monotonic() >= deadline:
                report.timed_out = True
                break
            claim = self.spool.claim(path)
            if claim is None:
                continue  # another sender holds it, or it is already gone
            report.segments += 1
            stopped = self._send_claim(claim)
            if stopped:
                report.stopped = stopped
                break
        return report

    def _send_claim(self, claim: Claim) -> str | None:
        try:
            if claim.damaged:
                logger.warning(
                    "Elasticsearch: %d unreadable line(s) in %s (a write cut short by a kill); "
                    "copied to the dead letters",
                    len(claim.damaged),
                    claim.path.name,
                )
                self.deadletters.write(
                    [
                        {"reason": "unreadable spool line", "status": None, "line": line}
                        for line in claim.damaged
                    ]
                )
                self.counters.add("rejected", len(claim.damaged))
            if not claim.records:
                self.spool.settle(claim, [])
                return None
            result = send_batch(
                self.client,
                claim.records,
                self.index,
                max_retries=self.config.max_retries,
                initial_backoff=self.config.initial_backoff,
                max_backoff=self.config.max_backoff,
                sleep=self._sleep,
            )
            remaining = self._settle_result(claim.records, result)
            self.spool.settle(claim, remaining)
        except BaseException:
            self.spool.release(claim)
            raise
        if result.unreachable:
            self.counters.add("unreachable")
            self._problem(f"cannot reach {self.config.display_url}: {result.unreachable}")
            return "unreachable"
        if result.refused:
            hint = REFUSAL_HINTS.get(result.refused_status or 0, "").format(alias=self.index)
            self._problem(f"{self.config.display_url} refused the batch ({result.refused}){hint}")
            return "refused"
        if remaining:
            self._problem(
                f"{len(remaining)} document(s) still failing after {self.config.max_retries} "
                f"retries ({result.pending[0].reason}); kept in the spool"
            )
            return "still failing"
        self.last_problem = None
        return None

    def _settle_result(self, records: list[dict[str, Any]], result: BatchResult) -> list[dict]:
        """Count a batch's answers, dead-letter rejections; returns the records still owed."""
        counters = self.counters
        counters.add("sent", result.sent)
        counters.add("accepted", result.accepted)
        counters.add("conflicts", result.conflicts)
        counters.add("retried", result.retried)
        letters = [
            {
                "reason": failure.reason,
                "status": failure.status,
                "id": records[failure.index]["id"],
                "version": records[failure.index]["version"],
                "doc": records[failure.index]["doc"],
            }
            for failure in result.rejected
        ]
        pending = {failure.index: failure for failure in result.pending}
        remaining: list[dict[str, Any]] = []
        item_failures = not (result.unreachable or result.refused)
        for position, record in enumerate(records):
            failure = pending.get(position)
            if failure is None:
                continue
            if item_failures:
                # The cluster answered and still would not take it: one more failed attempt.
                record = {**record, "attempts": record.get("attempts", 0) + 1}
                if record["attempts"] >= self.config.max_attempts:
                    letters.append(
                        {
                            "reason": f"failed {record['attempts']} times, last: {failure.reason}",
                            "status": failure.status,
                            "id": record["id"],
                            "version": record["version"],
                            "doc": record["doc"],
                        }
                    )
                    continue
            remaining.append(record)
        if letters:
            self.deadletters.write(letters)
            counters.add("rejected", len(letters))
            for letter in letters[:5]:
                logger.warning(
                    "Elasticsearch rejected %s (status %s): %s",
                    letter["id"],
                    letter["status"],
                    letter["reason"],
                )
        return remaining

    def _problem(self, message: str) -> None:
        message = self.config.scrub(message)
        if message != self.last_problem:  # once per distinct problem, not once per retry
            logger.warning("Elasticsearch: %s", message)
        self.last_problem = message

    def replay(self, *, deadline: float | None = None) -> SendReport:
        """Send everything the spool holds (sealing an open segment left by this process)."""
        self.seal()
        return self.send_pending(deadline=deadline)


class BackgroundSender(threading.Thread):
    """Sends sealed segments off the crawl's thread; backs off while the cluster is failing."""

    def __init__(self, indexer: Indexer) -> None:
        super().__init__(name="pantau-es-sender", daemon=True)
        self.indexer = indexer
        self._wake = threading.Event()
        self._stop_event = threading.Event()
        self._backoff = 0.0
        self._next_try = 0.0

    def notify(self) -> None:
        self._wake.set()

    def run(self) -> None:
        config = self.indexer.config
        tick = max(0.05, min(1.0, config.flush_seconds))
        while not self._stop_event.is_set():
            self._wake.wait(timeout=tick)
            self._wake.clear()
            if self._stop_event.is_set():
                break
            try:
                self.indexer.seal_if_older(config.flush_seconds)
                if time.monotonic() < self._next_try:
                    continue
                report = self.indexer.send_pending()
            except Exception:  # a bug must not kill the thread silently: the spool keeps all
                logger.exception("Elasticsearch: sending failed; documents stay in the spool")
                report = SendReport(stopped="error")
            if report.stopped:
                self._backoff = min(config.max_backoff, self._backoff * 2 or config.initial_backoff)
                self._next_try = time.monotonic() + self._backoff
            else:
                self._backoff = 0.0

    def finish(self, timeout: float) -> SendReport:
        """Stop the loop, seal what is open, and send for at most ``timeout`` seconds."""
        self._stop_event.set()
        self._wake.set()
        deadline = time.monotonic() + timeout
        self.join(timeout)
        self.indexer.seal()
        if time.monotonic() >= deadline:
            return SendReport(timed_out=True)
        return self.indexer.send_pending(deadline=deadline)
