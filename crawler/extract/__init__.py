"""Article extraction: HTML in, fields out. Pure functions, one lxml parse per page.

    extract_article(html, url, selectors=None, *, now=None, default_tz="+07:00") -> dict

The cascade, field by field: a source's selector override when it is given and matches;
otherwise the page's structured data (JSON-LD NewsArticle/Article/ReportageNewsArticle, incl.
@graph and lists), then OpenGraph / article:* / other meta (pubdate, dtk:publishdate,
content_PublishedDate, author, ...), then elements (<time datetime>, itemprop, rel=author, a
date printed beside the headline); the body comes from the generic main-text extractor
(crawler.extract.maintext) unless a `body` selector is given.

Every value that was present but could not be used is reported in `warnings` (e.g. "unparseable
date 'xyz' in meta article:published_time"): nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from lxml import etree

from . import fields, maintext
from .dates import find_date, parse_date, parse_offset
from .document import NotAPage, parse
from .metadata import Head, choose_title, headings, read_head, title_candidates
from .pagination import is_next_page_of
from .selectors import SELECTOR_KEYS, select, selected_values, validate_selectors
from .text import dedupe

__all__ = [
    "FIELDS",
    "SELECTOR_KEYS",
    "ExtractionError",
    "extract_article",
    "find_date",
    "find_next_page",
    "is_next_page_of",
    "join_pages",
    "parse_date",
    "validate_selectors",
]

FIELDS = (
    "title",
    "body",
    "authors",
    "published_at",
    "modified_at",
    "section",
    "tags",
    "canonical_url",
    "image",
    "next_page",
    "warnings",
)


class ExtractionError(ValueError):
    """The page yields neither a title nor a body: not an article the spider can keep."""


def extract_article(
    html: str | bytes,
    url: str,
    selectors: Mapping[str, Any] | None = None,
    *,
    now: datetime | None = None,
    default_tz: str = "+07:00",
) -> dict[str, Any]:
    """Extract one article page. Missing values are None (or [] for lists).

    `selectors` are the source's overrides (keys in SELECTOR_KEYS; ValueError on an unknown
    key or a bad selector). `now` anchors relative dates ("2 jam yang lalu"); `default_tz` is
    the zone of dates printed without one (the source's: WIB, WITA, WIT or "+08:00"). Raises
    ExtractionError when the page has no title and no body.
    """
    if not isinstance(url, str):
        raise TypeError(f"url must be a str, not {type(url).__name__}")
    compiled = validate_selectors(selectors)
    parse_offset(default_tz)  # a bad zone is the caller's error, named before any work
    warnings: list[str] = []
    try:
        root = parse(html, warnings)
    except NotAPage as error:
        raise ExtractionError(f"no title and no body: {error} ({url})") from None
    head = read_head(root, url, warnings)
    captions = maintext.strip_junk(root)
    for xpath in compiled.get("remove", ()):
        for match in xpath(root):
            if isinstance(match, etree._Element) and match.getparent() is not None:
                _drop(match)

    heads = headings(root)
    title, title_element = _title(root, compiled, head, heads)
    body, used_selector = _body(root, compiled, title, warnings)
    if captions and head.is_article and not used_selector:
        # Photo stories carry their text in the captions of the pictures: when those say more
        # than the text found elsewhere, they are the body.
        caption_text = "\n\n".join(dedupe(captions))
        if len(caption_text) > 2 * len(body.text or ""):
            body = maintext.Body(paragraphs=dedupe(captions), container=body.container)
    text = body.text
    if not title and text is None:
        raise ExtractionError(f"no title and no body found ({url})")

    page = fields.Page(
        root, url, compiled, head, body, title_element, now, default_tz, title, warnings
    )
    published, modified = fields.dates(page)
    return {
        "title": title or None,
        "body": text,
        "authors": fields.authors(page),
        "published_at": published,
        "modified_at": modified,
        "section": fields.section(page),
        "tags": fields.tags(page),
        "canonical_url": fields.canonical(page),
        "image": fields.image(page),
        "next_page": fields.next_page(page),
        "warnings": warnings,
    }


def find_next_page(
    html: str | bytes, url: str, selectors: Mapping[str, Any] | None = None
) -> str | None:
    """The absolute URL of the next page of this (split) article, or None."""
    try:
        return extract_article(html, url, selectors)["next_page"]
    except ExtractionError:
        return None


def join_pages(pages: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One item from the extractions of an article's pages, first page first.

    Metadata comes from the first page that has it; bodies are joined in order (a paragraph a
    page repeats from the previous one, such as a lead, is kept once); warnings are kept.
    """
    if not pages:
        raise ValueError("join_pages needs at least one page")
    joined: dict[str, Any] = dict(pages[0])
    paragraphs: list[str] = []
    seen: set[str] = set()
    for page in pages:
        for paragraph in (page.get("body") or "").split("\n\n"):
            if paragraph and paragraph not in seen:
                seen.add(paragraph)
                paragraphs.append(paragraph)
        for key in FIELDS:
            if joined.get(key) in (None, []) and page.get(key) not in (None, []):
                joined[key] = page[key]
    joined["body"] = "\n\n".join(paragraphs) or None
    joined["authors"] = dedupe([name for page in pages for name in page.get("authors") or []])
    joined["tags"] = dedupe([tag for page in pages for tag in page.get("tags") or []])
    joined["warnings"] = [w for page in pages for w in page.get("warnings") or []]
    joined["next_page"] = None
    return joined


# -- fields -----------------------------------------------------------------------------


def _drop(element: etree._Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = element.getparent()
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _title(
    root: etree._Element, compiled: dict, head: Head, heads: list
) -> tuple[str | None, etree._Element | None]:
    chosen = selected_values(root, compiled, "title")
    if chosen:
        for element, text in heads:
            if text == chosen[0]:
                return chosen[0], element
        return chosen[0], None
    return choose_title(title_candidates(head, root), heads, head.site_names)


def _body(
    root: etree._Element, compiled: dict, title: str | None, warnings: list[str]
) -> tuple[maintext.Body, bool]:
    if "body" in compiled:
        elements = [m for m in select(root, compiled, "body") if isinstance(m, etree._Element)]
        if elements:
            body = maintext.render(elements, title=title)
            if body.text is not None:
                return body, True
        warnings.append("body selector matched no text; used the generic extractor")
    container = maintext.find_container(root)
    if container is None:
        return maintext.Body(), False
    return maintext.render([container], title=title), False
