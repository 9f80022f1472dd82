"""Articles split over several pages: find the URL of the next page of the same article.

A link counts only when its URL is the current one with its page number raised by one
("?page=2", "?hal=3", ".../2", ".../1/slug" -> ".../2/slug"): a "Berita Selanjutnya" link to
another article, or any other URL, never does. Links are looked for near the article text (in
the body container and up to two ancestors around it), because a listing page has the same
"?page=2" links in its site-wide pagination; the page's <link rel="next"> is trusted only on
pages that declare themselves articles.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urldefrag, urlsplit

from lxml import etree

from .text import absolute_url, element_text

_PAGE_PARAMS = frozenset({"page", "hal", "halaman", "p", "pg", "paged", "part", "pagenum", "pages"})
_NEXT_TEXT = re.compile(
    r"^\W*(?:selanjutnya|berikutnya|lanjut(?:kan)?|next(?: page)?|halaman (?:berikutnya|"
    r"selanjutnya)|›|»|>|>>|→)\W*$",
    re.I,
)
_ANCESTORS = 2


def is_next_page_of(current: str, candidate: str) -> bool:
    """True when `candidate` is `current` with its page number raised by one."""
    try:
        a, b = urlsplit(current), urlsplit(candidate)
    except ValueError:
        return False
    if (a.hostname or "").removeprefix("www.") != (b.hostname or "").removeprefix("www."):
        return False
    path_a, path_b = a.path.rstrip("/"), b.path.rstrip("/")
    query_a, query_b = dict(parse_qsl(a.query)), dict(parse_qsl(b.query))
    if path_a == path_b:
        return _query_is_next(query_a, query_b)
    if query_a != query_b and not _only_page_params_differ(query_a, query_b):
        return False
    return _path_is_next(path_a.split("/"), path_b.split("/"))


def _query_is_next(query_a: dict[str, str], query_b: dict[str, str]) -> bool:
    changed = {
        key for key in query_a.keys() | query_b.keys() if query_a.get(key) != query_b.get(key)
    }
    if len(changed) != 1:
        return False
    key = changed.pop()
    after = query_b.get(key, "")
    if not after.isdigit():
        return False
    before = query_a.get(key)
    if before is None:  # page 1 carries no number: the next page is 2
        return key.lower() in _PAGE_PARAMS and int(after) == 2
    return before.isdigit() and int(after) == int(before) + 1


def _only_page_params_differ(query_a: dict[str, str], query_b: dict[str, str]) -> bool:
    keys = {key for key in query_a.keys() | query_b.keys() if query_a.get(key) != query_b.get(key)}
    return all(key.lower() in _PAGE_PARAMS for key in keys)


def _path_is_next(a: list[str], b: list[str]) -> bool:
    if len(b) == len(a) + 1 and b[:-1] == a:  # ".../slug" -> ".../slug/2" or ".../halaman-2"
        return _page_number(b[-1]) == 2
    if len(b) == len(a) + 2 and b[:-2] == a:  # ".../slug" -> ".../slug/page/2"
        return b[-2].lower() in _PAGE_PARAMS and b[-1] == "2"
    if len(a) != len(b):
        return False
    differing = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(differing) != 1:
        return False
    x, y = a[differing[0]], b[differing[0]]
    before, after = _page_number(x), _page_number(y)
    if before is not None and after is not None:
        return after == before + 1 and after < 1000
    return _suffix_is_next(x, y)


# "slug" -> "slug-part2" -> "slug-part3": a page word is required, since a bare number after a
# slug is as often another article ("pemilu-2024", WordPress's "judul-2").
_PAGE_SUFFIX = re.compile(r"^(.*?)[-_]?(?:part|page|hal|halaman)-?(\d+)$", re.I)


def _suffix_is_next(current: str, candidate: str) -> bool:
    found = _PAGE_SUFFIX.match(candidate)
    if found is None:
        return False
    base, number = found.group(1), int(found.group(2))
    here = _PAGE_SUFFIX.match(current)
    if here is not None:
        return here.group(1) == base and number == int(here.group(2)) + 1
    return current == base and number == 2


_PAGE_SEGMENT = re.compile(r"(?:(?:halaman|hal|page|part)-?)?(\d+)", re.I)


def _page_number(segment: str) -> int | None:
    """The page number a path segment stands for: "2", "halaman-2", "page2"; else None."""
    match = _PAGE_SEGMENT.fullmatch(segment)
    return int(match.group(1)) if match else None


def _host_of(href: str) -> str:
    """The host of an absolute URL, by string slicing (cheaper than urlsplit for a filter)."""
    host = href.split("/", 3)[2].split("@")[-1].split(":")[0].lower()
    return host.removeprefix("www.")


def next_page_near(
    container: etree._Element | None, url: str, rel_next: str | None, trust_rel_next: bool
) -> str | None:
    """The next-page URL among the links around the article text, else <link rel="next">."""
    parts = urlsplit(url)
    slug = max(parts.path.split("/"), key=len)
    suffixed = _PAGE_SUFFIX.match(slug)  # page 2 of "slug-part2" links to "slug-part3"
    key = (suffixed.group(1) if suffixed else slug) or parts.query
    if container is not None and key:
        scope = container
        for _ in range(_ANCESTORS):
            parent = scope.getparent()
            if parent is None or parent.tag in ("body", "html"):
                break
            scope = parent
        best = None
        host = (parts.hostname or "").removeprefix("www.")
        for anchor in scope.iter("a"):  # a C-level tag filter; few anchors reach Python checks
            raw = anchor.get("href")
            if not raw or not (raw.startswith("?") or key in raw):
                continue  # a link to another page of this article repeats its slug or query
            if "://" in raw[:12] and _host_of(raw) != host:  # share buttons carry our URL too
                continue
            href = absolute_url(raw, url)
            if href is None or not is_next_page_of(url, href):
                continue
            href = urldefrag(href).url  # "#bigpic2": the same page to fetch
            rel = (anchor.get("rel") or "").lower().split()
            if "next" in rel or _NEXT_TEXT.match(element_text(anchor)):
                return href
            best = best or href
        if best is not None:
            return best
    if trust_rel_next and rel_next is not None and is_next_page_of(url, rel_next):
        return rel_next
    return None
