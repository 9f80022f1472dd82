"""The cascade for each field but title and body, over one parsed page.

For every field: the source's selector override when it matches, then the page's structured
data (JSON-LD), then meta tags, then elements and printed text near the article. Later, costlier
sources are only looked at when the earlier ones gave nothing (`Page` reads them lazily).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from functools import cached_property

from lxml import etree

from . import maintext
from .dates import find_date, parse_date
from .metadata import (
    AUTHOR_META,
    HOME_WORDS,
    IMAGE_META,
    MODIFIED_META,
    PUBLISHED_META,
    SECTION_META,
    TAG_META,
    Head,
    clean_authors,
    clean_section,
    clean_tags,
    json_ld_strings,
)
from .pagination import next_page_near
from .selectors import selected_values
from .text import absolute_url, element_text, squash

# Links with rel= (author, tag) and microdata authors, found in one libxml2 scan so that only
# matches become Python objects.
# ("descendant::" rather than ".//": libxml2 walks the latter as descendant-or-self::node()/
# child::, at twice the cost; an attribute's value test is dearer than its presence.)
_MARKED = etree.XPath("descendant::a[@rel] | descendant::*[@itemprop][not(self::meta)]")
_TAG_LINKS = etree.XPath(
    "descendant::a[contains(@href, '/tag/') or contains(@href, '/tags/') or "
    "contains(@href, '/topik/') or contains(@href, '/topic/')]"
)
_TIME_HINTS = {
    "published": ("datepublished", "published", "publish", "entry-date", "pubdate", "post-date"),
    "modified": ("datemodified", "updated", "modified"),
}


@dataclass
class Page:
    """One parsed page and what was already found on it."""

    root: etree._Element
    url: str
    selectors: dict[str, tuple[etree.XPath, ...]]
    head: Head
    body: maintext.Body
    title_element: etree._Element | None
    now: datetime | None
    default_tz: str
    title: str | None = None
    warnings: list[str] = field(default_factory=list)

    def selected(self, key: str) -> list[str]:
        return selected_values(self.root, self.selectors, key)

    @property
    def anchor(self) -> etree._Element | None:
        """Where the article is shown: its headline, else its text."""
        return self.title_element if self.title_element is not None else self.body.container

    @cached_property
    def near(self) -> list[etree._Element]:
        """The region of the article, where its byline, dates and tags sit.

        The smallest element holding both the headline and the text; when that is the whole
        page (headline and text far apart), the surroundings of each.
        """
        title, container = self.title_element, self.body.container
        if title is not None and container is not None:
            ancestors = set(container.iterancestors())
            ancestors.add(container)
            common = next((a for a in title.iterancestors() if a in ancestors), None)
            if common is not None and common.tag not in ("body", "html"):
                return [common]
        scopes = (vicinity(self.anchor), vicinity(container))
        return list(dict.fromkeys(scope for scope in scopes if scope is not None))

    @cached_property
    def scopes(self) -> list[etree._Element]:
        """`near` without the regions inside another one (searched once, as part of it)."""
        near = self.near
        return [s for s in near if not any(o is not s and within(s, [o]) for o in near)]

    @cached_property
    def times(self) -> list[etree._Element]:
        """<time> elements of the article region (a sidebar's teasers carry their own)."""
        return [element for scope in self.scopes for element in scope.iter("time")]

    @cached_property
    def marked(self) -> list[etree._Element]:
        """Links with rel= and microdata authors in the article region."""
        return [element for scope in self.scopes for element in _MARKED(scope)]

    @property
    def rel_links(self) -> list[etree._Element]:
        return [element for element in self.marked if element.tag == "a" and element.get("rel")]

    @cached_property
    def breadcrumb_links(self) -> list[str]:
        """Link texts of the breadcrumb trail printed above the headline (or the text).

        Looked for among the elements before the anchor and its ancestors, and their
        children: a trail sits above what it leads to, and a class test on every element of
        the page would cost more than the rest of this field.
        """
        node = self.anchor
        for _ in range(_CRUMB_LEVELS):
            if node is None or node.tag in ("body", "html"):
                break
            sibling = node.getprevious()
            while sibling is not None:
                for candidate in (sibling, *sibling):
                    if _is_breadcrumb(candidate):
                        return [element_text(link) for link in candidate.iter("a")]
                sibling = sibling.getprevious()
            node = node.getparent()
        return []

    @cached_property
    def around_title(self) -> maintext.Nearby:
        return maintext.nearby_texts(self.anchor)

    @cached_property
    def around_body(self) -> maintext.Nearby:
        container = self.body.container
        if container is self.anchor:
            return maintext.Nearby()
        return maintext.nearby_texts(container)

    def read_date(self, value: str) -> str | None:
        """A date value read whole, else a date found inside it."""
        return parse_date(value, now=self.now, default_tz=self.default_tz) or find_date(
            value, now=self.now, default_tz=self.default_tz
        )

    def printed_date(self) -> tuple[str | None, str | None]:
        """A date printed beside the headline, else beside the text (read only if needed)."""
        for side in ("around_title", "around_body"):
            nearby = getattr(self, side)
            found, text = maintext.printed_date(nearby, now=self.now, default_tz=self.default_tz)
            if found is not None:
                return found, text
        return None, None


_CRUMB_LEVELS = 5


def _is_breadcrumb(element: etree._Element) -> bool:
    marks = (
        f"{element.get('class') or ''} {element.get('id') or ''} {element.get('aria-label') or ''}"
    )
    return "breadcrumb" in marks.lower()


def vicinity(element: etree._Element | None, levels: int = 3) -> etree._Element | None:
    """The region around an element where its article's byline, dates and tags sit."""
    if element is None:
        return None
    for _ in range(levels):
        parent = element.getparent()
        if parent is None or parent.tag == "html":
            break
        element = parent
    return element


def within(element: etree._Element, scopes: list[etree._Element]) -> bool:
    return any(ancestor in scopes for ancestor in element.iterancestors())


# -- dates ------------------------------------------------------------------------------


def dates(page: Page) -> tuple[str | None, str | None]:
    """(published_at, modified_at)."""
    article = page.head.article or {}
    meta = page.head.meta
    published = _stamped(page, "published")
    modified = _stamped(page, "modified")
    created = [
        value
        for value in json_ld_strings(article.get("dateCreated")) + meta.get("datecreated", [])
        if value
    ]
    stamped = [value for _, value in published + modified]
    stamped += [found for found in map(page.read_date, created) if found]

    printed = printed_text = None
    # The printed date is read only when it is needed: as the last resort, or to check dates
    # stamped UTC (which some CMSs write in local time).
    if not published or any(value.endswith("+00:00") for value in stamped):
        printed, printed_text = page.printed_date()
    if printed is not None and _utc_is_local(stamped, printed):
        offset = datetime.fromisoformat(printed).tzinfo
        published = [(source, _restamp(value, offset)) for source, value in published]
        modified = [(source, _restamp(value, offset)) for source, value in modified]
        page.warnings.append(
            f"dates stamped UTC on this page are local time (printed {printed_text!r}); "
            f"read them as {printed[-6:]}"
        )
    published_at = published[0][1] if published else printed
    modified_at = modified[0][1] if modified else None
    return published_at, modified_at


_SOURCES = {  # kind: (selector key, JSON-LD key, meta names)
    "published": ("date", "datePublished", PUBLISHED_META),
    "modified": ("modified", "dateModified", MODIFIED_META),
}


def _stamped(page: Page, kind: str) -> list[tuple[str, str]]:
    """(source, ISO date) of one kind, from selectors, JSON-LD and meta, else <time> elements."""
    selector, json_key, meta_names = _SOURCES[kind]
    article = page.head.article or {}
    candidates = [(f"selector {selector}", v) for v in page.selected(selector)]
    candidates += [(f"JSON-LD {json_key}", v) for v in json_ld_strings(article.get(json_key))]
    candidates += [(f"meta {key}", v) for key in meta_names for v in page.head.meta.get(key, ())]
    return _parse_each(page, candidates) or _parse_each(page, _time_elements(page, kind))


def _parse_each(page: Page, candidates: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Parse (source, text) date candidates; unparseable ones become warnings.

    A value is read whole first; failing that, a date inside it is looked for ("Selasa, 23
    Februari 2016 15:06 WIB | 998 Views").
    """
    parsed = []
    for source, value in candidates:
        value = squash(value)
        if not value:
            continue
        result = page.read_date(value)
        if result is None:
            page.warnings.append(f"unparseable date {value!r} in {source}")
        else:
            parsed.append((source, result))
    return parsed


def _time_elements(page: Page, kind: str) -> list[tuple[str, str]]:
    """Dates from <time> elements marked published/modified, or the first in the article.

    (Microdata dates on other elements are printed dates, which the printed-date search reads.)
    """
    hints = _TIME_HINTS[kind]
    marked, nearby = [], []
    for element in page.times:
        marks = f"{element.get('itemprop') or ''} {element.get('class') or ''}".lower().strip()
        if any(hint in marks for hint in hints):
            # "updated" marks a modification time unless the element also says published.
            if kind == "published" and "updated" in marks and "publish" not in marks:
                continue
            marked.append((f"<time {marks}>", _time_value(element)))
        elif kind == "published" and not nearby:
            nearby.append(("<time> near the article", _time_value(element)))
    return marked + nearby


def _time_value(element: etree._Element) -> str:
    return element.get("datetime") or element.get("content") or element_text(element)


def _utc_is_local(stamped: list[str], printed: str) -> bool:
    """A date stamped UTC whose clock reads what the page prints in local time.

    Some CMSs write local wall-clock time with a "Z" (detik's `pubdate`); the printed date is
    the evidence that tells them from a true UTC time.
    """
    shown = datetime.fromisoformat(printed)
    if not shown.utcoffset():
        return False
    wall = shown.replace(tzinfo=None, second=0)
    for value in stamped:
        moment = datetime.fromisoformat(value)
        if moment.utcoffset() == timedelta(0) and moment.replace(tzinfo=None, second=0) == wall:
            return True
    return False


def _restamp(value: str, offset: tzinfo | None) -> str:
    moment = datetime.fromisoformat(value)
    if moment.utcoffset():
        return value
    return moment.replace(tzinfo=offset).isoformat(timespec="seconds")


# -- the other fields -------------------------------------------------------------------------


def authors(page: Page) -> list[str]:
    sites = page.head.site_names
    cheap = (
        page.selected("authors"),
        json_ld_strings((page.head.article or {}).get("author")),
        [value for key in AUTHOR_META for value in page.head.meta.get(key, ())],
    )
    for values in cheap:
        names = clean_authors(values, sites)
        if names:
            return names
    elements = [
        e
        for e in page.marked
        if (e.get("itemprop") or "").lower() == "author"
        or "author" in (e.get("rel") or "").lower().split()
    ]
    marked = [element_text(e) or e.get("content") or "" for e in elements]
    # Last, a byline inside the text or printed beside the headline ("Penulis: X | Editor: Y").
    for values in (marked, page.body.bylines, maintext.printed_bylines(page.around_title)):
        names = clean_authors(values, sites)
        if names:
            return names
    return []


def section(page: Page) -> str | None:
    values = page.selected("section")
    values += json_ld_strings((page.head.article or {}).get("articleSection"))
    values += [value for key in SECTION_META for value in page.head.meta.get(key, ())]
    for value in values:
        found = clean_section(value)
        if found:
            return found
    # Last, the breadcrumb trail: its most specific entry that is neither home nor the title.
    for trail in (page.head.breadcrumbs, page.breadcrumb_links):
        for name in reversed(trail):
            found = clean_section(name)
            if found and found.casefold() not in HOME_WORDS and found != page.title:
                return found
    return None


def tags(page: Page) -> list[str]:
    chosen = page.selected("tags")
    if chosen:
        return clean_tags(chosen, split_commas=False)
    keywords = (page.head.article or {}).get("keywords")
    if keywords:
        return clean_tags(json_ld_strings(keywords), split_commas=True)
    for key in TAG_META:
        values = page.head.meta.get(key)
        if values:
            return clean_tags(values, split_commas=key != "article:tag")
    links = []
    for element in page.rel_links:
        rel = element.get("rel", "").lower().split()
        # WordPress marks category links rel="category tag": those are sections, not tags.
        if "tag" in rel and "category" not in rel:
            links.append(element_text(element))
    if not links:  # tag pages linked from the article ("/tag/pemilu-2024", "/topik/...")
        links = [element_text(a) for scope in page.scopes for a in _TAG_LINKS(scope)]
    return clean_tags(links, split_commas=False)


def canonical(page: Page) -> str | None:
    if page.head.canonical:
        return page.head.canonical
    article = page.head.article or {}
    candidates = list(page.head.meta.get("og:url", ()))
    candidates += json_ld_strings(article.get("url"))
    candidates += json_ld_strings(article.get("mainEntityOfPage"))
    for value in candidates:
        resolved = absolute_url(value, page.url)
        if resolved:
            return resolved
    return None


def image(page: Page) -> str | None:
    candidates = page.selected("image")
    candidates += json_ld_strings((page.head.article or {}).get("image"), key="url")
    candidates += [value for key in IMAGE_META for value in page.head.meta.get(key, ())]
    for value in candidates:
        words = value.split()  # a srcset: the first address
        resolved = absolute_url(words[0], page.url) if words else None
        if resolved:
            return resolved
    scope = vicinity(page.body.container, 1)
    if scope is not None:
        for element in scope.iter("img"):
            resolved = absolute_url(element.get("src") or element.get("data-src"), page.url)
            if resolved:
                return resolved
    return None


def next_page(page: Page) -> str | None:
    for value in page.selected("next_page"):
        resolved = absolute_url(value, page.url)
        if resolved and resolved != page.url:
            return resolved
    if page.body.text is None:  # a page without article text is not a page of an article
        return None
    head = page.head
    return next_page_near(page.body.container, page.url, head.rel_next, head.is_article)
