"""One batch through the bulk helper, every item accounted for.

``elasticsearch.helpers.streaming_bulk`` retries only items answered with a status in
``retry_on_status`` and only when it may yield failures (``raise_on_error=False``); with the
default ``raise_on_error=True`` a single 429 raises ``BulkIndexError`` for the whole chunk. A
connection failure always propagates. So the helper runs here with raising and its own retries
off, yielding one (ok, info) per action in order, and this module sorts the answers:

- 2xx: accepted;
- 409: a stale or identical copy under external versioning, expected: counted, done;
- 429 and 5xx: sent again after a growing pause, up to ``max_retries`` times; what still fails
  stays pending (the caller keeps it in the spool);
- 401/403 (credentials), 404 (the write alias is missing: ``require_alias`` stops the cluster
  from inventing an index) and 413 (batch too large): the cluster refuses the request, not the
  item, so nothing is rejected; the batch stays pending and the reason is reported;
- any other 4xx (400 mapping errors): rejected, with the cluster's reason, for the dead letters.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REFUSED_STATUSES = frozenset({401, 403, 404, 413})
CONFLICT = 409


@dataclass
class Failure:
    index: int  # position in the batch
    status: int | None
    reason: str


@dataclass
class BatchResult:
    sent: int = 0
    accepted: int = 0
    conflicts: int = 0
    retried: int = 0  # item sends beyond the first
    rejected: list[Failure] = field(default_factory=list)  # for the dead letters
    pending: list[Failure] = field(default_factory=list)  # still retriable, keep
    refused: str | None = None  # the cluster refused the request (auth, missing alias, size)
    refused_status: int | None = None
    unreachable: str | None = None  # the cluster could not be reached

    @property
    def done(self) -> set[int]:
        """Positions that need no further sending (accepted, conflict or rejected)."""
        keep = {f.index for f in self.pending}
        return {i for i in range(self.sent) if i not in keep}


def describe_error(info: dict[str, Any]) -> str:
    """The cluster's reason for one failed item, in one line."""
    error = info.get("error")
    if isinstance(error, dict):
        text = f"{error.get('type', 'error')}: {error.get('reason', '')}".strip()
        cause = error.get("caused_by")
        if isinstance(cause, dict) and cause.get("reason"):
            text += f" (caused by {cause.get('type', '')}: {cause['reason']})"
        return text
    return str(error or f"status {info.get('status')}")


def action_for(record: dict[str, Any], index: str) -> dict[str, Any]:
    """The bulk action of a spooled record: index by id with its external version."""
    return {
        "_op_type": "index",
        "_index": index,
        "_id": record["id"],
        "version": record["version"],
        "version_type": "external",
        "_source": record["doc"],
    }


def send_batch(
    client: Any,
    records: Sequence[dict[str, Any]],
    index: str,
    *,
    max_retries: int = 5,
    initial_backoff: float = 0.5,
    max_backoff: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
) -> BatchResult:
    """Send ``records`` to ``index`` (the write alias) and sort every answer (module docstring)."""
    from elastic_transport import TransportError
    from elasticsearch.helpers import streaming_bulk

    result = BatchResult(sent=len(records))
    todo = list(range(len(records)))
    attempt = 0
    while todo:
        actions = [action_for(records[i], index) for i in todo]
        try:
            answers = list(
                streaming_bulk(
                    client,
                    actions,
                    chunk_size=len(actions),
                    raise_on_error=False,
                    raise_on_exception=False,
                    max_retries=0,
                    yield_ok=True,
                    require_alias=True,
                )
            )
        except TransportError as exc:  # connection refused, reset, timed out, TLS failure
            result.unreachable = f"{type(exc).__name__}: {exc}"
            result.pending.extend(Failure(i, None, result.unreachable) for i in todo)
            return result
        retry: list[Failure] = []
        for position, (ok, info) in zip(todo, answers, strict=True):
            detail = next(iter(info.values()))
            status = detail.get("status")
            if ok:
                result.accepted += 1
            elif status == CONFLICT:
                result.conflicts += 1
            elif status in RETRY_STATUSES or status is None:
                retry.append(Failure(position, status, describe_error(detail)))
            elif status in REFUSED_STATUSES:
                result.refused = f"status {status}: {describe_error(detail)}"
                result.refused_status = status
                result.pending.append(Failure(position, status, describe_error(detail)))
            else:
                result.rejected.append(Failure(position, status, describe_error(detail)))
        if result.refused:
            # The request, not the items, was refused: keep everything not yet settled.
            result.pending.extend(retry)
            return result
        if not retry:
            break
        if attempt >= max_retries:
            result.pending.extend(retry)
            break
        sleep(min(max_backoff, initial_backoff * 2**attempt))
        attempt += 1
        result.retried += len(retry)
        todo = [f.index for f in retry]
    return result
