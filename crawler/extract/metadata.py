"""The cheap, structured signals of a page: JSON-LD, meta tags, <link>, <time>.

Read before the body is touched, in the order trafilatura and the outlets' own SEO markup make
reliable: JSON-LD article objects, then OpenGraph / article:* / other meta, then elements.
Values are cleaned here (site names off titles, role prefixes off author names, role entries
out of keyword lists) so that every source of a field yields the same shape.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from .text import absolute_url, dedupe, element_text, squash

ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "report",
    }
)

_BREADCRUMB_TYPES = frozenset({"breadcrumblist"})
# Breadcrumb entries that are no section.
HOME_WORDS = frozenset({"home", "beranda", "index", "indeks", "homepage", "halaman utama"})

# Meta names that carry the publication / modification time, most trustworthy first.
PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dtk:publishdate",
    "content_publisheddate",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "date",
)
MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dtk:updatedate",
    "content_modifieddate",
    "lastmod",
    "last-modified",
    "dcterms.modified",
)
TITLE_META = ("og:title", "twitter:title", "title")
IMAGE_META = (
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "twitter:image",
    "twitter:image:src",
    "image",
    "thumbnailurl",
)
SECTION_META = ("article:section", "articlesection", "section", "category")
TAG_META = ("article:tag", "news_keywords", "tags")
AUTHOR_META = ("author", "article:author", "dc.creator", "byl", "parsely-author", "content_author")

# The words that introduce a byline entry; the entry keeps only the name.
ROLE_PREFIX = re.compile(
    r"^\s*(?:(?P<role>reporter|repoter|redaktur|editor|penulis|pewarta|kontributor|koresponden|"
    r"penyunting|oleh|by|author|written by|ditulis oleh|laporan wartawan|wartawan)"
    r"\s*(?::|-|–|\b)|(?P<short>rep|red)\s*:)\s*",
    re.I,
)
# Who edited rather than wrote: named as authors only when no writer is.
_EDITOR_ROLES = frozenset({"redaktur", "editor", "penyunting", "red"})
_ROLE_WORDS = frozenset(
    "reporter repoter redaktur editor penulis pewarta kontributor koresponden penyunting "
    "author fotografer foto video".split()
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:\||•|;|\n|/)\s*")
_NAME_SPLIT = re.compile(r"\s*(?:,|&|\bdan\b|\band\b)\s*", re.I)
_DECORATION = "-|:–—»·~"
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|»|·|~)\s+")
_PUBLIC_SUFFIX_LABELS = frozenset(
    "www m amp com co id net org or go ac sch web my biz info news tv test example".split()
)


@dataclass
class Head:
    """What the page says about itself, read once."""

    meta: dict[str, list[str]] = field(default_factory=dict)
    article: dict[str, Any] | None = None
    canonical: str | None = None
    rel_next: str | None = None
    site_names: list[str] = field(default_factory=list)
    is_article: bool = False
    breadcrumbs: list[str] = field(default_factory=list)  # JSON-LD BreadcrumbList names

    def first(self, *keys: str) -> tuple[str, str] | None:
        """(key, value) of the first non-empty meta value among `keys`."""
        for key in keys:
            for value in self.meta.get(key, ()):
                if squash(value):
                    return key, value
        return None


def read_head(root: etree._Element, url: str, warnings: list[str]) -> Head:
    head = Head()
    for element in root.iter("meta", "link", "script"):  # one walk for the three tags
        tag = element.tag
        if tag == "meta":
            value = element.get("content")
            if value is None:
                continue
            key = (
                element.get("property")
                or element.get("name")
                or element.get("itemprop")
                or element.get("http-equiv")
            )
            if key:
                head.meta.setdefault(key.strip().lower(), []).append(value)
        elif tag == "link":
            rel = (element.get("rel") or "").lower().split()
            if "canonical" in rel and head.canonical is None:
                head.canonical = absolute_url(element.get("href"), url)
            elif "next" in rel and head.rel_next is None:
                head.rel_next = absolute_url(element.get("href"), url)
        elif "ld+json" in (element.get("type") or "").lower() and element.text:
            data = _load_json(element.text, warnings)
            if data is not None and head.article is None:
                head.article = _find_typed(data, ARTICLE_TYPES)
            if data is not None and not head.breadcrumbs:
                trail = _find_typed(data, _BREADCRUMB_TYPES)
                head.breadcrumbs = _breadcrumb_names(trail) if trail else []
    og_type = (head.first("og:type") or ("", ""))[1].strip().lower()
    head.is_article = head.article is not None or og_type == "article"
    head.site_names = _site_names(head, url)
    return head


def _load_json(text: str, warnings: list[str]) -> Any:
    text = text.strip()
    if text.startswith("<!--"):
        text = text[4:].rstrip("-> \n")
    try:
        return json.loads(text, strict=False)
    except RecursionError:  # nested past any real use: not worth a repair
        warnings.append("invalid JSON-LD block skipped (nested too deep)")
        return None
    except ValueError:
        pass
    # The commonest hand-written JSON-LD fault: a trailing comma.
    try:
        return json.loads(re.sub(r",\s*([}\]])", r"\1", text), strict=False)
    except (ValueError, RecursionError):
        warnings.append("invalid JSON-LD block skipped")
        return None


def _find_typed(data: Any, kinds: frozenset[str], depth: int = 0) -> dict[str, Any] | None:
    """The first JSON-LD object of one of `kinds`, in lists, @graph and main entities."""
    if depth > 4:
        return None
    if isinstance(data, list):
        for item in data:
            found = _find_typed(item, kinds, depth + 1)
            if found is not None:
                return found
        return None
    if not isinstance(data, dict):
        return None
    types = data.get("@type")
    types = types if isinstance(types, list) else [types]
    if any(isinstance(kind, str) and kind.lower() in kinds for kind in types):
        return data
    for key in ("@graph", "mainEntity", "itemListElement"):
        if key in data:
            found = _find_typed(data[key], kinds, depth + 1)
            if found is not None:
                return found
    return None


def _breadcrumb_names(trail: dict[str, Any]) -> list[str]:
    """The names of a BreadcrumbList's items, in position order."""
    items = trail.get("itemListElement")
    if not isinstance(items, list):
        return []
    ordered = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        inner = item.get("item")
        name = item.get("name") or (inner.get("name") if isinstance(inner, dict) else None)
        position = item.get("position")
        if isinstance(name, str):
            ordered.append((position if isinstance(position, int | float) else index, name))
    return [name for _, name in sorted(ordered, key=lambda pair: pair[0])]


def _site_names(head: Head, url: str) -> list[str]:
    names = [
        value for key in ("og:site_name", "application-name") for value in head.meta.get(key, ())
    ]
    publisher = (head.article or {}).get("publisher")
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        names.append(publisher["name"])
    host = urlsplit(url).hostname or ""
    labels = [label for label in host.split(".") if label not in _PUBLIC_SUFFIX_LABELS]
    if labels:
        names.append(labels[-1])
    return [name.casefold() for name in (squash(n) for n in names) if len(name) >= 3]


def json_ld_strings(value: Any, key: str = "name", depth: int = 0) -> list[str]:
    """Flatten a JSON-LD value (string, object, list, list of lists) into strings."""
    if isinstance(value, str):
        return [value]
    if depth > 6:  # real markup nests two or three levels
        return []
    if isinstance(value, dict):
        if str(value.get("@type", "")).lower() == "organization" and key == "name":
            return []
        inner = value.get(key) or value.get("@id")
        return json_ld_strings(inner, key, depth + 1) if inner is not None else []
    if isinstance(value, list):
        return [text for item in value for text in json_ld_strings(item, key, depth + 1)]
    return []


# -- titles -----------------------------------------------------------------------------


def title_candidates(head: Head, root: etree._Element) -> list[tuple[str, str]]:
    """(source, raw title) in order of trust."""
    found = []
    if head.article is not None:
        for key in ("headline", "name"):
            for value in json_ld_strings(head.article.get(key)):
                found.append((f"JSON-LD {key}", value))
    for key in TITLE_META:
        for value in head.meta.get(key, ()):
            found.append((f"meta {key}", value))
    for element in root.iter("title"):
        found.append(("<title>", element_text(element)))
        break
    return [(source, squash(value)) for source, value in found if squash(value)]


def headings(root: etree._Element, limit: int = 12) -> list[tuple[etree._Element, str]]:
    """The first h1 and h2 elements with their text, in document order."""
    found = []
    for element in root.iter("h1", "h2"):
        text = element_text(element)
        if text:
            found.append((element, text))
            if len(found) >= limit:
                break
    return found


def strip_site_name(title: str, site_names: list[str]) -> str:
    """Remove "- Kompas.com", "| Republika Online", "KapanLagi.com: " around a title."""

    def is_site(segment: str) -> bool:
        folded = segment.casefold().strip()
        return len(folded.split()) <= 6 and any(name in folded for name in site_names)

    changed = True
    while changed:
        changed = False
        separators = list(_TITLE_SEPARATOR.finditer(title))
        if separators:
            last, first = separators[-1], separators[0]
            if is_site(title[last.end() :]):
                title, changed = title[: last.start()].strip(), True
                continue
            if is_site(title[: first.start()]):
                title, changed = title[first.end() :].strip(), True
                continue
        prefix = re.match(r"^([^:]{2,40}):\s+", title)
        if prefix is not None and is_site(prefix.group(1)):
            title, changed = title[prefix.end() :].strip(), True
    return title


def choose_title(
    candidates: list[tuple[str, str]],
    heads: list[tuple[etree._Element, str]],
    site_names: list[str],
) -> tuple[str | None, etree._Element | None]:
    """Pick the title and the heading element that shows it on the page (if any).

    The first candidate wins after its site name is stripped; a heading whose text is that
    title, or a large part of it, is preferred because headings carry no site decoration.
    """
    if not candidates:
        if heads:
            return heads[0][1], heads[0][0]
        return None, None
    title = strip_site_name(candidates[0][1], site_names)
    folded = title.casefold()
    for element, text in heads:
        heading = text.casefold()
        if heading == folded:
            return text, element
    for element, text in heads:
        heading = text.casefold()
        at = folded.find(heading)
        if at < 0 or len(heading) < 0.6 * len(folded):
            continue
        # Only decoration may surround the heading ("Musik - <heading>", "<heading> | Site"),
        # not more words of the same title.
        before, after = folded[:at].rstrip(), folded[at + len(heading) :].lstrip()
        if (not before or before[-1] in _DECORATION) and (not after or after[0] in _DECORATION):
            return text, element
    return title, None


# -- authors, tags, section -------------------------------------------------------------


def clean_authors(values: list[str], site_names: list[str]) -> list[str]:
    """Names only: role prefixes off, bylines split, URLs and organisations dropped.

    The writers ("Reporter:", "Penulis:", "Pewarta:", "Oleh", unmarked names); the editors
    ("Redaktur:", "Editor:") only when a byline names no writer.
    """
    writers, editors = [], []
    for value in values:
        value = squash(value)
        if "://" in value or value.startswith("www."):  # article:author is often a profile URL
            continue
        for part in _AUTHOR_SPLIT.split(value):
            role = None
            while (match := ROLE_PREFIX.match(part)) is not None and match.end():
                role = role or (match.group("role") or match.group("short")).casefold()
                part = part[match.end() :]
            names = editors if role in _EDITOR_ROLES else writers
            for name in _NAME_SPLIT.split(part):
                name = name.strip(" .,-:()[]")
                if _is_person_name(name, site_names):
                    names.append(name)
    return dedupe(writers) or dedupe(editors)


def _is_person_name(name: str, site_names: list[str]) -> bool:
    if not 2 <= len(name) <= 60 or len(name.split()) > 6:
        return False
    folded = name.casefold()
    if any(marker in folded for marker in ("http", "www.", ".com", ".co.id", "@", "/")):
        return False
    if folded.startswith(("pt ", "pt. ")) or folded in _ROLE_WORDS:
        return False
    for site in site_names:
        if site == folded.replace(" ", "") or re.search(rf"(?<!\w){re.escape(site)}(?!\w)", folded):
            return False
    return any(char.isalpha() for char in name)


def clean_tags(values: list[str], *, split_commas: bool) -> list[str]:
    tags = []
    for value in values:
        parts = value.split(",") if split_commas else [value]
        for tag in parts:
            tag = squash(tag).strip(" #")
            if ":" in tag:
                label, _, rest = tag.partition(":")
                label = label.strip().casefold()
                if label in _ROLE_WORDS or not rest.strip():
                    continue
                if label in ("topic", "topik", "tag", "tags"):
                    tag = rest.strip()
            if tag and len(tag) <= 80:
                tags.append(tag)
    return dedupe(tags)


def clean_section(value: str | None) -> str | None:
    # One section: Rank Math writes every category into articleSection ("Nasional, Politik").
    value = squash(value).split(",")[0].strip()
    if not value or len(value) > 60:
        return None
    # okezone-style "lifestyle.okezone.com" or a URL is a host, not a section name.
    if "/" in value or (" " not in value and "." in value):
        return None
    return value
