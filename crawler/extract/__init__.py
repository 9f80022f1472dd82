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
from datetime import datetime, timedelta
from typing import Any

from lxml import etree

from . import maintext
from .dates import find_date, parse_date, parse_offset
from .document import NotAPage, parse
from .metadata import (
    AUTHOR_META,
    IMAGE_META,
    MODIFIED_META,
    PUBLISHED_META,
    SECTION_META,
    TAG_META,
    Head,
    choose_title,
    clean_authors,
    clean_section,
    clean_tags,
    headings,
    json_ld_strings,
    read_head,
    title_candidates,
)
from .pagination import is_next_page_of, next_page_near
from .selectors import SELECTOR_KEYS, select, selected_values, validate_selectors
from .text import absolute_url, dedupe, squash

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

    anchor = title_element if title_element is not None else body.container
    near = [s for s in (_vicinity(anchor), _vicinity(body.container)) if s is not None]
    signals = _signals(root, near)
    nearby = _Nearby(anchor, body.container)
    clock = _Clock(now, default_tz)
    published, modified = _dates(root, compiled, head, signals, near, nearby, warnings, clock)
    return {
        "title": title or None,
        "body": text,
        "authors": _authors(root, compiled, head, signals, near, nearby, body),
        "published_at": published,
        "modified_at": modified,
        "section": _section(root, compiled, head),
        "tags": _tags(root, compiled, head, signals, near),
        "canonical_url": _canonical(head, url),
        "image": _image(root, compiled, head, body.container, url),
        "next_page": _next_page(root, compiled, head, body, url),
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


class _Clock:
    """How this page's dates are read: relative to `now`, in `default_tz` when unzoned."""

    def __init__(self, now: datetime | None, default_tz: str) -> None:
        self.now, self.default_tz = now, default_tz

    def read(self, value: str) -> str | None:
        """A date value read whole, else a date found inside it."""
        return parse_date(value, now=self.now, default_tz=self.default_tz) or find_date(
            value, now=self.now, default_tz=self.default_tz
        )

    def printed(self, texts: list[str]) -> tuple[str | None, str | None]:
        return maintext.printed_date(texts, now=self.now, default_tz=self.default_tz)


def _parse_each(
    candidates: list[tuple[str, str]], warnings: list[str], clock: _Clock
) -> list[tuple[str, str]]:
    """Parse (source, text) date candidates; unparseable ones become warnings.

    A value is read whole first; failing that, a date inside it is looked for ("Selasa, 23
    Februari 2016 15:06 WIB | 998 Views").
    """
    parsed = []
    for source, value in candidates:
        value = squash(value)
        if not value:
            continue
        result = clock.read(value)
        if result is None:
            warnings.append(f"unparseable date {value!r} in {source}")
        else:
            parsed.append((source, result))
    return parsed


def _dates(
    root: etree._Element,
    compiled: dict,
    head: Head,
    signals: list[etree._Element],
    near: list[etree._Element],
    nearby: _Nearby,
    warnings: list[str],
    clock: _Clock,
) -> tuple[str | None, str | None]:
    article = head.article or {}
    published_raw = [("selector date", v) for v in selected_values(root, compiled, "date")]
    published_raw += [
        ("JSON-LD datePublished", v) for v in json_ld_strings(article.get("datePublished"))
    ]
    published_raw += [(f"meta {k}", v) for k in PUBLISHED_META for v in head.meta.get(k, ())]
    published_raw += _time_elements(signals, near, "published")
    modified_raw = [("selector modified", v) for v in selected_values(root, compiled, "modified")]
    modified_raw += [
        ("JSON-LD dateModified", v) for v in json_ld_strings(article.get("dateModified"))
    ]
    modified_raw += [(f"meta {k}", v) for k in MODIFIED_META for v in head.meta.get(k, ())]
    modified_raw += _time_elements(signals, near, "modified")
    created_raw = [("JSON-LD dateCreated", v) for v in json_ld_strings(article.get("dateCreated"))]
    created_raw += [("meta datecreated", v) for v in head.meta.get("datecreated", ())]

    published = _parse_each(published_raw, warnings, clock)
    modified = _parse_each(modified_raw, warnings, clock)
    created = _parse_each(created_raw, [], clock)
    stamped = published + modified + created
    printed = printed_text = None
    # The printed date is read only when it is needed: as the last resort, or to check dates
    # stamped UTC (which some CMSs write in local time).
    if not published or any(value.endswith("+00:00") for _, value in stamped):
        printed, printed_text = clock.printed(nearby.around_title())
        if printed is None:
            printed, printed_text = clock.printed(nearby.around_body())
    if printed is not None and _utc_is_local(stamped, printed):
        # The CMS wrote local wall-clock time with a "Z": the printed date proves it.
        offset = datetime.fromisoformat(printed).tzinfo
        published = [(s, _restamp(v, offset)) for s, v in published]
        modified = [(s, _restamp(v, offset)) for s, v in modified]
        warnings.append(
            f"dates stamped UTC on this page are local time (printed {printed_text!r}); "
            f"read them as {datetime.fromisoformat(printed).isoformat()[-6:]}"
        )
    published_at = published[0][1] if published else printed
    modified_at = modified[0][1] if modified else None
    return published_at, modified_at


class _Nearby:
    """Texts printed around the headline and around the body, read at most once each."""

    def __init__(self, title: etree._Element | None, body: etree._Element | None) -> None:
        self._anchors = (title, body if body is not title else None)
        self._texts: dict[int, list[str]] = {}

    def _around(self, which: int) -> list[str]:
        if which not in self._texts:
            self._texts[which] = maintext.nearby_texts(self._anchors[which])
        return self._texts[which]

    def around_title(self) -> list[str]:
        return self._around(0)

    def around_body(self) -> list[str]:
        return self._around(1)


def _utc_is_local(stamped: list[tuple[str, str]], printed: str) -> bool:
    shown = datetime.fromisoformat(printed)
    if not shown.utcoffset():
        return False
    wall = shown.replace(tzinfo=None, second=0)
    for _, value in stamped:
        moment = datetime.fromisoformat(value)
        if moment.utcoffset() == timedelta(0) and moment.replace(tzinfo=None, second=0) == wall:
            return True
    return False


def _restamp(value: str, offset: Any) -> str:
    moment = datetime.fromisoformat(value)
    if moment.utcoffset():
        return value
    return moment.replace(tzinfo=offset).isoformat(timespec="seconds")


def _vicinity(element: etree._Element | None, levels: int = 3) -> etree._Element | None:
    """The region around an element where its article's byline, dates and tags sit."""
    if element is None:
        return None
    for _ in range(levels):
        parent = element.getparent()
        if parent is None or parent.tag == "html":
            break
        element = parent
    return element


_ITEMPROPS = etree.XPath(".//*[@itemprop][not(self::meta)]")


def _signals(root: etree._Element, near: list[etree._Element]) -> list[etree._Element]:
    """Elements that carry a date, an author or a tag by their markup.

    <time> anywhere (a tag-filtered walk is cheap in lxml); links with rel= and microdata
    only around the article, because a test on every element of the page is not.
    """
    found = list(root.iter("time"))
    for scope in near:
        found += [a for a in scope.iter("a") if a.get("rel")]
        found += _ITEMPROPS(scope)
    return found


_TIME_HINTS = {
    "published": ("datepublished", "published", "publish", "entry-date", "pubdate", "post-date"),
    "modified": ("datemodified", "updated", "modified"),
}


def _within(element: etree._Element, scopes: list[etree._Element]) -> bool:
    return any(ancestor in scopes for ancestor in element.iterancestors())


def _time_elements(
    signals: list[etree._Element], near: list[etree._Element], kind: str
) -> list[tuple[str, str]]:
    """Dates from <time> and itemprop'd elements marked published/modified, or near the text."""
    hints = _TIME_HINTS[kind]
    marked, nearby = [], []
    for element in signals:
        itemprop = element.get("itemprop") or ""
        if element.tag != "time" and not itemprop.startswith("date"):
            continue
        marks = f"{itemprop} {element.get('class') or ''}".lower().strip()
        value = element.get("datetime") or element.get("content") or element.xpath("string()")
        if any(hint in marks for hint in hints):
            # "updated" marks a modification time unless the element also says published.
            if kind == "published" and "updated" in marks and "publish" not in marks:
                continue
            marked.append((f"<{element.tag} {marks}>", value))
        elif (
            kind == "published" and element.tag == "time" and not nearby and _within(element, near)
        ):
            nearby.append(("<time> near the article", value))
    return marked + nearby


def _authors(
    root: etree._Element,
    compiled: dict,
    head: Head,
    signals: list[etree._Element],
    near: list[etree._Element],
    nearby: _Nearby,
    body: maintext.Body,
) -> list[str]:
    sites = head.site_names
    candidates = [selected_values(root, compiled, "authors")]
    candidates.append(json_ld_strings((head.article or {}).get("author")))
    candidates.append([v for key in AUTHOR_META for v in head.meta.get(key, ())])
    marked = [
        squash(e.xpath("string()")) or e.get("content") or ""
        for e in signals
        if (e.get("itemprop") == "author" or "author" in (e.get("rel") or "")) and _within(e, near)
    ]
    candidates.append(marked)
    candidates.append(body.bylines)
    for values in candidates:
        names = clean_authors(values, sites)
        if names:
            return names
    # Last, a byline printed around the headline or the text ("Penulis: X | Editor: Y").
    for texts in (nearby.around_title(), nearby.around_body()):
        names = clean_authors(maintext.printed_bylines(texts), sites)
        if names:
            return names
    return []


def _section(root: etree._Element, compiled: dict, head: Head) -> str | None:
    values = selected_values(root, compiled, "section")
    values += json_ld_strings((head.article or {}).get("articleSection"))
    values += [v for key in SECTION_META for v in head.meta.get(key, ())]
    for value in values:
        section = clean_section(value)
        if section:
            return section
    return None


def _tags(
    root: etree._Element,
    compiled: dict,
    head: Head,
    signals: list[etree._Element],
    near: list[etree._Element],
) -> list[str]:
    chosen = selected_values(root, compiled, "tags")
    if chosen:
        return clean_tags(chosen, split_commas=False)
    keywords = (head.article or {}).get("keywords")
    if keywords:
        return clean_tags(json_ld_strings(keywords), split_commas=True)
    for key in TAG_META:
        values = head.meta.get(key)
        if values:
            return clean_tags(values, split_commas=key != "article:tag")
    links = []
    for element in signals:
        rel = (element.get("rel") or "").lower().split()
        # WordPress marks category links rel="category tag": those are sections, not tags.
        if "tag" in rel and "category" not in rel and _within(element, near):
            links.append(squash(element.xpath("string()")))
    return clean_tags(links, split_commas=False)


def _canonical(head: Head, url: str) -> str | None:
    if head.canonical:
        return head.canonical
    candidates = [v for v in head.meta.get("og:url", ())]
    article = head.article or {}
    candidates += json_ld_strings(article.get("url")) + json_ld_strings(
        article.get("mainEntityOfPage")
    )
    for value in candidates:
        resolved = absolute_url(value, url)
        if resolved:
            return resolved
    return None


def _image(
    root: etree._Element, compiled: dict, head: Head, container: etree._Element | None, url: str
) -> str | None:
    candidates = selected_values(root, compiled, "image")
    candidates += json_ld_strings((head.article or {}).get("image"), key="url")
    candidates += [v for key in IMAGE_META for v in head.meta.get(key, ())]
    for value in candidates:
        resolved = absolute_url(value.split()[0] if value.strip() else value, url)
        if resolved:
            return resolved
    scope = _vicinity(container, 1)
    if scope is not None:
        for element in scope.iter("img"):
            resolved = absolute_url(element.get("src") or element.get("data-src"), url)
            if resolved:
                return resolved
    return None


def _next_page(
    root: etree._Element, compiled: dict, head: Head, body: maintext.Body, url: str
) -> str | None:
    for value in selected_values(root, compiled, "next_page"):
        resolved = absolute_url(value, url)
        if resolved and resolved != url:
            return resolved
    if body.text is None:  # a page without article text is not a page of an article
        return None
    return next_page_near(body.container, url, head.rel_next, trust_rel_next=head.is_article)
