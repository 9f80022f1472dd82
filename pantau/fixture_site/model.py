"""The data model both fixture sites render from: article bodies as blocks, dates, text helpers.

One YAML file per article holds every field; pages, feeds, sitemaps, the REST API and the
expected extraction output are all derived from it, so none of them can drift from the others.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
RECORDED_DIR = PACKAGE_DIR / "recorded"

# Indonesian time zones by UTC offset in hours; outlets print the abbreviation after the time.
ZONE_NAMES = {7: "WIB", 8: "WITA", 9: "WIT"}
WIB = timezone(timedelta(hours=7))

DAYS_ID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
MONTHS_ID_SHORT = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Mei",
    "Jun",
    "Jul",
    "Agu",
    "Sep",
    "Okt",
    "Nov",
    "Des",
]
MONTHS_EN_SHORT = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
]
DATE_STYLES = ("short", "long", "numeric", "english")


class FixtureDataError(ValueError):
    """A data file of the fixture sites is wrong; the message names the file and the key."""


@dataclass(frozen=True)
class Block:
    """One piece of an article body, in page order.

    kind: "p" (a paragraph; ``html`` is its inline HTML), "page" (a page break of a split
    article), "related" (a "Baca Juga" insertion; ``ref`` is the target article key, ``style``
    is "box" or "inline"), "ad" (an advertisement slot), "figure" (an image inside the body;
    ``ref`` is the image path, ``html`` its caption).
    """

    kind: str
    html: str = ""
    ref: str = ""
    style: str = ""


# --- text -------------------------------------------------------------------------------------


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(fragment: str) -> str:
    """The visible text of an inline HTML fragment, whitespace collapsed (what readers see)."""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    return " ".join("".join(collector.parts).split())


def esc(text: str) -> str:
    """Escape text for an HTML element or a double-quoted attribute."""
    return html.escape(text, quote=True)


def esc_text(text: str) -> str:
    """Escape text for an HTML element only, leaving quotes for typography to handle."""
    return html.escape(text, quote=False)


def paragraphs(blocks: list[Block]) -> list[str]:
    """Inline HTML of the body paragraphs, all pages, in order (what counts as article text)."""
    return [block.html for block in blocks if block.kind == "p"]


def body_text(blocks: list[Block]) -> str:
    """The expected extracted body: paragraphs' text joined by a blank line."""
    return "\n\n".join(plain_text(p) for p in paragraphs(blocks))


def split_pages(blocks: list[Block]) -> list[list[Block]]:
    """The blocks of each page of a (possibly split) article."""
    pages: list[list[Block]] = [[]]
    for block in blocks:
        if block.kind == "page":
            pages.append([])
        else:
            pages[-1].append(block)
    return pages


def replace_body(blocks: list[Block], body: str) -> list[Block]:
    """New body text (paragraphs separated by blank lines) laid over the same number of pages.

    Insertions (related links, ads, figures) are dropped: an edited article is re-laid out.
    """
    texts = [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]
    if not texts:
        raise FixtureDataError("new body has no paragraph")
    page_count = min(len(split_pages(blocks)), len(texts))
    per_page = -(-len(texts) // page_count)
    result: list[Block] = []
    for index, text in enumerate(texts):
        if index and index % per_page == 0:
            result.append(Block("page"))
        result.append(Block("p", html=esc(text)))
    return result


def summary(blocks: list[Block], words: int = 30) -> str:
    """A teaser made of the first words of the body, as outlets put in meta description."""
    tokens = body_text(blocks).split()
    text = " ".join(tokens[:words])
    return text + ("..." if len(tokens) > words else "")


def slugify(text: str) -> str:
    """URL slug the way both CMSes make one: lower-case words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --- dates ------------------------------------------------------------------------------------


def zone_name(moment: datetime) -> str:
    offset = moment.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else -1
    if offset is None or offset != timedelta(hours=hours) or hours not in ZONE_NAMES:
        raise FixtureDataError(f"{moment.isoformat()}: offset must be WIB, WITA or WIT")
    return ZONE_NAMES[hours]


def printed_date(moment: datetime, style: str) -> str:
    """A date as the portal prints it under the headline, in one of its house styles."""
    day, month = moment.weekday(), moment.month - 1
    clock = f"{moment:%H:%M} {zone_name(moment)}"
    if style == "short":  # Rabu 18 Jan 2023 14:32 WIB
        return f"{DAYS_ID[day]} {moment.day} {MONTHS_ID_SHORT[month]} {moment.year} {clock}"
    if style == "long":  # Rabu, 18 Januari 2023 14:32 WIB
        return f"{DAYS_ID[day]}, {moment.day} {MONTHS_ID[month]} {moment.year} {clock}"
    if style == "numeric":  # 18/01/2023, 14:32 WIB
        return f"{moment:%d/%m/%Y}, {clock}"
    if style == "english":  # Wednesday 18 Jan 2023 14:32 WIB
        return f"{DAYS_EN[day]} {moment.day} {MONTHS_EN_SHORT[month]} {moment.year} {clock}"
    raise FixtureDataError(f"unknown date style {style!r}; use one of {', '.join(DATE_STYLES)}")


def long_date_id(moment: datetime) -> str:
    """'21 Januari 2023', the date WordPress themes print for Indonesian sites."""
    return f"{moment.day} {MONTHS_ID[moment.month - 1]} {moment.year}"


def rfc822(moment: datetime) -> str:
    """RSS pubDate form, keeping the offset the moment carries."""
    return format_datetime(moment)


def http_date(moment: datetime) -> str:
    """HTTP Last-Modified form (always GMT)."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def to_datetime(value: Any, where: str) -> datetime:
    """A timezone-aware datetime from a YAML value (string or already parsed), minute-exact.

    Pages print minutes only, so a second or a microsecond would make the expected output
    unreachable from the printed date.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as error:
            raise FixtureDataError(f"{where}: not an ISO 8601 date: {value!r}") from error
    else:
        raise FixtureDataError(f"{where}: expected an ISO 8601 date, got {value!r}")
    if moment.tzinfo is None:
        raise FixtureDataError(f"{where}: date {value!r} has no UTC offset")
    if moment.second or moment.microsecond:
        raise FixtureDataError(f"{where}: date {value!r} must be exact to the minute")
    zone_name(moment)
    return moment


def moment(value: datetime | str | None) -> datetime:
    """A caller's time (aware datetime or ISO 8601 string; None: now) in a zone pages print."""
    if value is None:
        return now_wib()
    result = datetime.fromisoformat(value) if isinstance(value, str) else value
    if result.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset; pages print WIB, WITA or WIT")
    zone_name(result)
    return result


def now_wib() -> datetime:
    """The current minute in WIB, for mutations that do not name a time."""
    return datetime.now(WIB).replace(second=0, microsecond=0)


# --- mutable sites ----------------------------------------------------------------------------


class EditableSite:
    """The article list of a site and the edits tests make to it (both sites share this)."""

    name: str
    articles: list[Any]  # dataclasses with keys, title, blocks, published, modified

    def find(self, key: str) -> Any:
        for article in self.articles:
            if key in article.keys:
                return article
        raise KeyError(f"{self.name} has no article with key {key!r}")

    def update(
        self, key: str, body: str | None, title: str | None, modified: datetime | str | None
    ) -> Any:
        old = self.find(key)
        # By default the edit is newer than the last one even within the same minute, so a
        # crawler comparing lastmod always sees it.
        when = moment(modified) if modified else max(now_wib(), old.modified + timedelta(minutes=1))
        new = replace(
            old,
            title=title if title is not None else old.title,
            blocks=replace_body(old.blocks, body) if body is not None else old.blocks,
            modified=when,
        )
        if new.modified < new.published:
            raise ValueError(f"modified {new.modified.isoformat()} is before publication")
        self.articles[self.articles.index(old)] = new
        return new


# --- loading ----------------------------------------------------------------------------------


class Fields:
    """Typed access to one YAML mapping; every error names the file and the key."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise FixtureDataError(f"{where}: expected a mapping, got {type(data).__name__}")
        self.data = data
        self.where = where

    def _get(self, key: str, kind: type | tuple[type, ...], default: Any) -> Any:
        if key not in self.data:
            if default is _REQUIRED:
                raise FixtureDataError(f"{self.where}: missing key {key!r}")
            return default
        value = self.data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise FixtureDataError(f"{self.where}: key {key!r} has the wrong type: {value!r}")
        return value

    def text(self, key: str, default: Any = None) -> str:
        value = self._get(key, str, _REQUIRED if default is None else default)
        if not value.strip() and default is None:
            raise FixtureDataError(f"{self.where}: key {key!r} is empty")
        return value

    def number(self, key: str, default: Any = None) -> int:
        return self._get(key, int, _REQUIRED if default is None else default)

    def flag(self, key: str, default: bool) -> bool:
        return self._get(key, bool, default)

    def choice(self, key: str, options: tuple[str, ...], default: str) -> str:
        value = self.text(key, default)
        if value not in options:
            raise FixtureDataError(
                f"{self.where}: key {key!r} is {value!r}; use one of {', '.join(options)}"
            )
        return value

    def texts(self, key: str, default: Any = None) -> list[str]:
        value = self._get(key, list, _REQUIRED if default is None else default)
        if not all(isinstance(item, str) and item.strip() for item in value):
            raise FixtureDataError(f"{self.where}: key {key!r} must list non-empty strings")
        return list(value)

    def numbers(self, key: str) -> list[int]:
        value = self._get(key, list, _REQUIRED)
        if not all(isinstance(item, int) and not isinstance(item, bool) for item in value):
            raise FixtureDataError(f"{self.where}: key {key!r} must list integers")
        return list(value)

    def date(self, key: str, default: Any = None) -> datetime:
        if key not in self.data and default is not None:
            return default
        return to_datetime(self._get(key, (str, datetime), _REQUIRED), f"{self.where}: {key}")

    def blocks(self, key: str) -> list[Block]:
        raw = self._get(key, list, _REQUIRED)
        return [parse_block(item, f"{self.where}: {key}[{i}]") for i, item in enumerate(raw)]


_REQUIRED = object()


def parse_block(item: Any, where: str) -> Block:
    """One body entry: a string is a paragraph; a one-key mapping is an insertion."""
    if isinstance(item, str):
        if not plain_text(item):
            raise FixtureDataError(f"{where}: empty paragraph")
        return Block("p", html=" ".join(item.split()))
    if not isinstance(item, dict) or len(item) != 1:
        raise FixtureDataError(f"{where}: expected a paragraph string or a one-key mapping")
    ((key, value),) = item.items()
    if key == "page_break":
        return Block("page")
    if key in ("related", "related_inline") and isinstance(value, str):
        return Block("related", ref=value, style="box" if key == "related" else "inline")
    if key == "ad" and isinstance(value, str):
        return Block("ad", html=value)
    if key == "figure" and isinstance(value, dict):
        figure = Fields(value, where)
        return Block("figure", ref=figure.text("image"), html=figure.text("caption"))
    raise FixtureDataError(
        f"{where}: unknown body entry {key!r}; use page_break, related, related_inline, ad "
        "or figure"
    )


def load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise FixtureDataError(f"{path}: not valid YAML: {error}") from error


def article_files(site: str) -> list[Path]:
    folder = DATA_DIR / site / "articles"
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise FixtureDataError(f"{folder}: no article files")
    return files
