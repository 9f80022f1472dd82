"""Time helpers shared by every stage: instants are ISO 8601 strings with an offset.

They live apart from any store so the query language, the pipelines and the crawl components
can all use them without importing one another.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> str:
    """Now, in UTC, to the second, as ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def iso_to_epoch(value: str | None) -> float | None:
    """Epoch seconds of an ISO 8601 instant, or None when absent or unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None  # a naive time has no instant; the extractor never produces one
    return moment.timestamp()


def newest(*values: str | None) -> str | None:
    """The latest of several ISO instants, ignoring empty and unreadable ones."""
    dated = [(iso_to_epoch(v), v) for v in values if v]
    known = [(t, v) for t, v in dated if t is not None]
    return max(known)[1] if known else None
