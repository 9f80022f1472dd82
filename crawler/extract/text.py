"""Small text helpers shared by the extraction modules."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_STRING = etree.XPath("string()")


def squash(text: str | None) -> str:
    """Collapse every run of whitespace (incl. no-break spaces) to one space; drop zero-width
    characters. str.split() does the work: several times faster than a regex on short texts."""
    if not text:
        return ""
    if _ZERO_WIDTH.search(text):
        text = _ZERO_WIDTH.sub("", text)
    return " ".join(text.split())


def element_text(element: etree._Element) -> str:
    """All text under an element, whitespace collapsed."""
    return squash(_STRING(element))


def absolute_url(value: str | None, base: str) -> str | None:
    """Resolve `value` against `base`; None unless the result is an http(s) URL with a host."""
    value = squash(value)
    if not value or value.startswith(("javascript:", "mailto:", "data:", "#")):
        return None
    try:
        joined = urljoin(base, value)
        parts = urlsplit(joined)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc or "." not in parts.netloc:
        return None
    return joined


def dedupe(values: list[str]) -> list[str]:
    """Drop repeats (case-insensitively), keeping the first spelling and the order."""
    seen: set[str] = set()
    kept = []
    for value in values:
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept
