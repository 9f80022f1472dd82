"""The report's time frame: the window, the baseline before it, and the volume buckets.

Both back ends resolve the frame here, so the same flags give the same instants everywhere. The
reference time ("now") fixes the time zone of the buckets: day buckets start at local midnight of
that zone. Without ``--now`` the reference is the current time in WIB, the zone analysts work in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from pantau.query import parse_when

WIB = timezone(timedelta(hours=7))
# Hour buckets while the window is short enough for them to stay readable, day buckets beyond.
HOURLY_UP_TO = timedelta(hours=48)
_BUCKET_SECONDS = {"hour": 3600, "day": 86400}


class TrendsError(ValueError):
    """A trends request cannot be answered as asked; the message names the bad input."""


@dataclass(frozen=True)
class TrendWindow:
    """[baseline_start, start) is the baseline, [start, end) the window."""

    start: datetime
    end: datetime
    baseline_start: datetime
    window_spec: str
    baseline_spec: str

    @property
    def interval(self) -> str:
        return "hour" if self.end - self.start <= HOURLY_UP_TO else "day"

    @property
    def offset_seconds(self) -> int:
        offset = self.end.utcoffset()
        return int(offset.total_seconds()) if offset else 0

    @property
    def zone(self) -> timezone:
        return timezone(timedelta(seconds=self.offset_seconds))

    def bucket_of(self, ts: float) -> int:
        """Epoch seconds of the start of the bucket holding ``ts`` (in the report's zone)."""
        size = _BUCKET_SECONDS[self.interval]
        off = self.offset_seconds
        return int(math.floor((ts + off) / size) * size - off)

    def bucket_starts(self) -> list[int]:
        """Every bucket overlapping the window, the first and last possibly partial."""
        size = _BUCKET_SECONDS[self.interval]
        first = self.bucket_of(self.start.timestamp())
        last = self.bucket_of(self.end.timestamp() - 1e-6)
        return list(range(first, last + 1, size))

    def iso(self, ts: float) -> str:
        return datetime.fromtimestamp(ts, self.zone).isoformat()

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "baseline_start": self.baseline_start.isoformat(),
            "baseline_end": self.start.isoformat(),
            "window": self.window_spec,
            "baseline": self.baseline_spec,
            "interval": self.interval,
            "timezone": _offset_name(self.offset_seconds),
        }


def _offset_name(seconds: int) -> str:
    sign = "+" if seconds >= 0 else "-"
    hours, rest = divmod(abs(seconds), 3600)
    return f"{sign}{hours:02d}:{rest // 60:02d}"


def resolve_now(now: datetime | str | None) -> datetime:
    """The reference time as an aware datetime; a naive or date-only text is read in WIB."""
    if now is None:
        return datetime.now(WIB).replace(microsecond=0)
    if isinstance(now, datetime):
        return now if now.tzinfo else now.replace(tzinfo=WIB)
    moment = parse_when(now)
    if moment is None:
        raise TrendsError(f"--now: cannot read {now!r}; give an ISO date or time")
    return moment


def _start_before(spec: str | timedelta, ref: datetime, flag: str) -> tuple[datetime, str]:
    if isinstance(spec, timedelta):
        return ref - spec, _span_name(spec)
    moment = parse_when(spec, now=ref)
    if moment is None:
        raise TrendsError(
            f"{flag}: cannot read {spec!r}; give a span such as 24h, 7d, 2w or an ISO date"
        )
    return moment, spec.strip()


def _span_name(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def resolve_window(
    window: str | timedelta, baseline: str | timedelta, now: datetime | str | None = None
) -> TrendWindow:
    """The frame for ``--window``/``--baseline`` ending at ``now``.

    A span counts back from the end of the window (for ``--window``) or from the start of the
    window (for ``--baseline``, which is the period just before the window); an ISO date is taken
    as that part's start.
    """
    end = resolve_now(now)
    start, window_name = _start_before(window, end, "--window")
    if start >= end:
        raise TrendsError(f"--window: {window!r} does not start before the reference time {end}")
    baseline_start, baseline_name = _start_before(baseline, start, "--baseline")
    if baseline_start >= start:
        raise TrendsError(
            f"--baseline: {baseline!r} does not start before the window's start {start}"
        )
    return TrendWindow(start, end, baseline_start, window_name, baseline_name)


def epoch_ms(moment: datetime) -> int:
    return int(moment.astimezone(UTC).timestamp() * 1000)
