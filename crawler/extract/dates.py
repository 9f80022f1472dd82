"""Dates as Indonesian outlets print them, turned into ISO 8601 with a UTC offset.

`parse_date` reads one date expression and nothing else: a string with words it does not
know ("Rabu (2/2). /14/2024)") gives None rather than a guess, because a wrong date is worse
than a missing one (the caller logs a warning). `find_date` looks for such an expression
inside a longer text (a byline, a header line) and parses what it finds.

Decisions, so every caller gets the same answer:
- Numeric dates are day/month/year ("18/01/2023"), never month/day; year/month/day when the
  year comes first ("2023/01/18"). Two-digit years are 20xx.
- A date without a time is midnight local: "Rabu (18/1/2023)" -> 2023-01-18T00:00:00+07:00.
- A date without a zone is in `default_tz` (WIB, +07:00, unless told otherwise). A zone in the
  text wins: WIB +07:00, WITA +08:00, WIT +09:00, GMT/UTC/Z, GMT+7, +0700.
- The offset is kept as the text gave it (a feed's "GMT" stays +00:00); instants are exact.
- A weekday that does not match the date ("Senin, 18 Januari 2023") gives None: one of the two
  is wrong and there is no telling which.
- Relative dates ("2 jam yang lalu", "kemarin") need `now`; without it they give None. Months
  and years ago are too coarse to be a publication time and give None.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

__all__ = ["find_date", "parse_date", "parse_offset"]

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "januari january jan",
        "februari pebruari february feb peb",
        "maret march mar",
        "april apr",
        "mei may",
        "juni june jun",
        "juli july jul",
        "agustus august agu agt ags agust aug",
        "september sep sept",
        "oktober october okt oct",
        "november nopember nov nop",
        "desember december des dec",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

# Monday is 0, as datetime.weekday() counts.
_WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "senin monday mon",
        "selasa tuesday tue tues",
        "rabu wednesday wed",
        "kamis thursday thu thur thurs",
        "jumat jum'at jum’at friday fri",
        "sabtu saturday sat",
        "minggu ahad sunday sun",
    )
):
    for _name in _names.split():
        _WEEKDAYS[_name] = _number

_ZONE_NAMES = {
    "wib": timedelta(hours=7),
    "wita": timedelta(hours=8),
    "wit": timedelta(hours=9),
    "utc": timedelta(0),
    "gmt": timedelta(0),
    "z": timedelta(0),
}

# Words a printed date may carry around it ("Diperbarui: Rabu, ... pukul 14.32 WIB").
_FILLER = frozenset(
    """on at pukul pkl jam pada tanggal tgl tgl. diperbarui diperbaharui diterbitkan
    dipublikasikan dipublish diunggah terbit update updated published posted publish dibuat
    created modified last waktu""".split()
)

_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted((re.escape(w) for w in _WEEKDAYS), key=len, reverse=True))

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:(?:\s*t\s*|\s+)(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(z|[+-]\d{2}(?::?\d{2})?|wita|wit|wib|utc|gmt)?"
)
_DMY = re.compile(r"(?<![\d/.-])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?![\d/.-])")
_YMD = re.compile(r"(?<![\d/.-])(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?![\d/.-])")
_D_MONTH_Y = re.compile(
    rf"(?<![\d\w])(\d{{1,2}})(?:st|nd|rd|th)?[\s.,-]*\b({_MONTH_RE})\b\.?[\s.,-]*(\d{{4}})(?!\d)"
)
_MONTH_D_Y = re.compile(
    rf"\b({_MONTH_RE})\b\.?\s*(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(\d{{4}})(?!\d)"
)
_TIME = re.compile(
    r"(?<![\d:.])(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?(?![\d:])"
    r"(?:\s*(a\.?m\.?|p\.?m\.?)(?![a-z]))?"
)
_ZONE = re.compile(
    r"(?<![a-z])(wita|wit|wib|utc|gmt|z)(?![a-z])(?:\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?)?"
    r"|(?<![\d\w])([+-])(\d{2})(?::?(\d{2}))?(?!\d)"
)
_LEFTOVER_SEPARATORS = re.compile(r"[\s,|()\[\]/.:;–—-]+")

_REL_ID = re.compile(
    r"(?:(\d+)\s*|se)(detik|menit|jam|hari|minggu|pekan|bulan|tahun)\s+(?:yang\s+)?lalu"
)
_REL_EN = re.compile(r"(\d+|an?|one)\s+(second|minute|hour|day|week|month|year)s?\s+ago")
_REL_UNITS = {
    "detik": timedelta(seconds=1),
    "second": timedelta(seconds=1),
    "menit": timedelta(minutes=1),
    "minute": timedelta(minutes=1),
    "jam": timedelta(hours=1),
    "hour": timedelta(hours=1),
    "hari": timedelta(days=1),
    "day": timedelta(days=1),
    "minggu": timedelta(weeks=1),
    "pekan": timedelta(weeks=1),
    "week": timedelta(weeks=1),
}
_REL_DAY = re.compile(r"(kemarin|yesterday|hari ini|today)\b(.*)")
_JUST_NOW = frozenset({"baru saja", "barusan", "just now", "sekarang"})

# Expressions `find_date` looks for inside a longer text: an optional weekday, a date, and an
# optional time and zone right after it.
_SEARCH = re.compile(
    rf"(?:\b(?:{_WEEKDAY_RE})\b\s*[,(]?\s*)?"
    r"(?:\d{4}-\d{2}-\d{2}(?:(?:\s*t\s*|\s+)\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"
    r"(?:\s*(?:z|[+-]\d{2}(?::?\d{2})?))?"
    r"|\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:\d{4}|\d{2})(?![\d/])"
    r"|\d{4}/\d{1,2}/\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[\s.,-]*\b(?:{_MONTH_RE})\b\.?[\s.,-]*\d{{4}}"
    rf"|\b(?:{_MONTH_RE})\b\.?\s*\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s*\d{{4}})"
    r"(?:\s*\)?\s*[,|–—-]?\s*(?:(?:pukul|pkl\.?|jam|at)\s*)?"
    r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?!\d)(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*\(?(?:wita|wit|wib|utc|gmt)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\)?"
    r"|\s*[+-]\d{2}:?\d{2})?)?"
)


@lru_cache(maxsize=64)
def parse_offset(text: str) -> timezone:
    """Read a zone such as "+07:00", "+0700", "WIB", "GMT+7"; ValueError when it is not one."""
    try:
        zone = _read_zone(text.strip().lower(), whole=True)
    except ValueError:
        zone = None
    if zone is None:
        raise ValueError(f"not a time zone offset: {text!r}")
    return zone


def parse_date(text: str, *, now: datetime | None = None, default_tz: str = "+07:00") -> str | None:
    """Turn one printed or machine date into ISO 8601 with offset, or None if it is not one.

    `now` anchors relative dates ("2 jam yang lalu"); a naive `now` is taken as `default_tz`.
    """
    local = parse_offset(default_tz)
    if not isinstance(text, str):
        return None
    s = _normalize(text)
    if not s or len(s) > 120:
        return None
    try:
        found = _parse_iso(s, local)
        if found is None:
            found = _parse_relative(s, now, local)
        if found is None:
            found = _parse_general(s, local)
    except ValueError:  # an impossible day, month or hour
        return None
    if found is None:
        return None
    return found.isoformat(timespec="seconds")


def find_date(text: str, *, now: datetime | None = None, default_tz: str = "+07:00") -> str | None:
    """Find the first date expression inside `text` (a header line, a byline) and parse it.

    A candidate with a time of day is preferred over a bare date, since the line that carries
    the publication time usually also carries other dates ("Senin (15/2)" in a teaser).
    """
    if not isinstance(text, str) or not text:
        return None
    s = _normalize(text)
    parsed = parse_date(s, now=now, default_tz=default_tz)
    if parsed is not None:
        return parsed
    date_only: str | None = None
    for match in _SEARCH.finditer(s):
        candidate = match.group(0).strip(" ,|(-")
        result = parse_date(candidate, default_tz=default_tz)
        if result is None:
            continue
        if _TIME.search(candidate[-16:]):
            return result
        if date_only is None:
            date_only = result
    return date_only


def _normalize(text: str) -> str:
    text = text.replace("\xa0", " ").replace("\u200b", "").strip().lower()
    return re.sub(r"\s+", " ", text)


def _read_zone(s: str, *, whole: bool = False) -> timezone | None:
    match = _ZONE.fullmatch(s) if whole else _ZONE.search(s)
    if match is None:
        return None
    name, sign, hours, minutes, bare_sign, bare_h, bare_m = match.groups()
    if name is not None:
        offset = _ZONE_NAMES[name]
        if sign is not None:  # "GMT+7": the number is the offset from GMT itself
            extra = timedelta(hours=int(hours), minutes=int(minutes or 0))
            offset = offset + extra if sign == "+" else offset - extra
    else:
        offset = timedelta(hours=int(bare_h), minutes=int(bare_m or 0))
        if bare_sign == "-":
            offset = -offset
    if offset >= timedelta(hours=15) or offset <= timedelta(hours=-15):
        raise ValueError(f"offset out of range: {s!r}")
    return timezone(offset)


def _parse_iso(s: str, local: timezone) -> datetime | None:
    match = _ISO.fullmatch(s)
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    tz = _read_zone(zone, whole=True) if zone else local
    if tz is None:
        raise ValueError(f"unreadable zone {zone!r}")
    return _build(
        int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), tz
    )


def _build(
    year: int, month: int, day: int, hour: int, minute: int, second: int, tz: timezone | None
) -> datetime:
    if not 1970 <= year <= 2100:
        raise ValueError(f"implausible year {year}")
    return datetime(year, month, day, hour, minute, second, tzinfo=tz)


def _anchor(now: datetime | None, local: timezone) -> datetime | None:
    if now is None:
        return None
    if now.tzinfo is None:
        now = now.replace(tzinfo=local)
    return now.replace(microsecond=0)


def _parse_relative(s: str, now: datetime | None, local: timezone) -> datetime | None:
    if s in _JUST_NOW:
        return _anchor(now, local)
    match = _REL_ID.fullmatch(s) or _REL_EN.fullmatch(s)
    if match is not None:
        count_text, unit = match.groups()
        anchor = _anchor(now, local)
        if anchor is None or unit not in _REL_UNITS:  # no anchor, or months/years: too coarse
            return None
        count = int(count_text) if count_text and count_text.isdigit() else 1
        return anchor - count * _REL_UNITS[unit]
    match = _REL_DAY.fullmatch(s)
    if match is None:
        return None
    word, rest = match.groups()
    anchor = _anchor(now, local)
    if anchor is None:
        return None
    day = anchor.astimezone(local).date()
    if word in ("kemarin", "yesterday"):
        day -= timedelta(days=1)
    clock, tz, leftover = _take_time_and_zone(rest, local)
    if not _only_filler(leftover):
        return None
    return _combine(day, clock, tz)


def _combine(day: date, clock: time | None, tz: timezone) -> datetime:
    clock = clock or time(0, 0)
    return datetime.combine(day, clock, tzinfo=tz)


def _take_time_and_zone(s: str, local: timezone) -> tuple[time | None, timezone, str]:
    clock = None
    match = _TIME.search(s)
    if match is not None:
        hour, minute, second, meridiem = match.groups()
        hour_n = int(hour)
        if meridiem:
            if not 1 <= hour_n <= 12:
                raise ValueError("bad 12-hour clock")
            hour_n = hour_n % 12 + (12 if meridiem.startswith("p") else 0)
        clock = time(hour_n, int(minute), int(second or 0))
        s = s[: match.start()] + " " + s[match.end() :]
    tz = local
    zone_match = _ZONE.search(s)
    if zone_match is not None:
        tz = _read_zone(zone_match.group(0), whole=True) or local
        s = s[: zone_match.start()] + " " + s[zone_match.end() :]
    return clock, tz, s


def _parse_general(s: str, local: timezone) -> datetime | None:
    day = None
    for pattern in (_YMD, _DMY, _D_MONTH_Y, _MONTH_D_Y):
        match = pattern.search(s)
        if match is None:
            continue
        groups = match.groups()
        if pattern is _YMD:
            year, month, day_n = int(groups[0]), int(groups[2]), int(groups[3])
        elif pattern is _DMY:
            day_n, month, year = int(groups[0]), int(groups[2]), int(groups[3])
            if len(groups[3]) == 2:
                year += 2000
        elif pattern is _D_MONTH_Y:
            day_n, month, year = int(groups[0]), _MONTHS[groups[1]], int(groups[2])
        else:
            month, day_n, year = _MONTHS[groups[0]], int(groups[1]), int(groups[2])
        day = _build(year, month, day_n, 0, 0, 0, None).date()
        s = s[: match.start()] + " " + s[match.end() :]
        break
    if day is None:
        return None
    clock, tz, leftover = _take_time_and_zone(s, local)
    weekday = None
    words = []
    for word in _LEFTOVER_SEPARATORS.split(leftover):
        if not word:
            continue
        if word in _WEEKDAYS:
            if weekday is not None and _WEEKDAYS[word] != weekday:
                return None
            weekday = _WEEKDAYS[word]
        else:
            words.append(word)
    if not _only_filler(" ".join(words)):
        return None
    if weekday is not None and day.weekday() != weekday:
        return None
    return _combine(day, clock, tz)


def _only_filler(s: str) -> bool:
    return all(word in _FILLER for word in _LEFTOVER_SEPARATORS.split(s) if word)
