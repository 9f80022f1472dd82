"""Per-source selector overrides: validated once, compiled once, applied to the parsed tree.

A value is a CSS selector, or XPath when it starts with "xpath:". Every key takes one selector
or a list tried in order (the first that matches wins); `remove` takes a list and removes every
match before the body text is read. An XPath may end in an attribute or text() step and select
strings directly (e.g. "xpath://meta[@name='x']/@content").
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from cssselect import HTMLTranslator, SelectorError
from lxml import etree

from .text import element_text, squash

SELECTOR_KEYS = frozenset(
    {
        "title",
        "body",
        "date",
        "modified",
        "authors",
        "section",
        "tags",
        "image",
        "next_page",
        "remove",
    }
)

_TRANSLATOR = HTMLTranslator()
# Attributes that hold the value when a selector picks an element rather than its text.
_VALUE_ATTRIBUTES = {
    "date": ("datetime", "content", "data-date"),
    "modified": ("datetime", "content", "data-date"),
    "image": ("content", "src", "data-src", "data-original", "data-lazy-src", "href", "srcset"),
    "next_page": ("href", "content", "data-href"),
}


@lru_cache(maxsize=512)
def compile_selector(selector: str) -> etree.XPath:
    """Compile one CSS or "xpath:" selector; ValueError naming it when it is invalid."""
    if not isinstance(selector, str) or not selector.strip():
        raise ValueError(f"empty selector {selector!r}")
    text = selector.strip()
    if text.startswith("xpath:"):
        expression = text[len("xpath:") :].strip()
    else:
        try:
            expression = _TRANSLATOR.css_to_xpath(text)
        except SelectorError as error:
            raise ValueError(f"invalid CSS selector {selector!r}: {error}") from None
    try:
        return etree.XPath(expression)
    except etree.XPathSyntaxError as error:
        raise ValueError(f"invalid XPath selector {selector!r}: {error}") from None


def validate_selectors(selectors: Mapping[str, Any] | None) -> dict[str, tuple[etree.XPath, ...]]:
    """Check keys and values; return compiled selectors. ValueError names the key at fault."""
    if selectors is None:
        return {}
    if not isinstance(selectors, Mapping):
        raise ValueError(f"selectors must be a mapping, not {type(selectors).__name__}")
    compiled = {}
    for key, value in selectors.items():
        if key not in SELECTOR_KEYS:
            known = ", ".join(sorted(SELECTOR_KEYS))
            raise ValueError(f"unknown selector key {key!r} (known keys: {known})")
        values = [value] if isinstance(value, str) else value
        if (
            not isinstance(values, list | tuple)
            or not values
            or not all(isinstance(item, str) for item in values)
        ):
            raise ValueError(f"selector {key!r} must be a string or a non-empty list of strings")
        try:
            compiled[key] = tuple(compile_selector(item) for item in values)
        except ValueError as error:
            raise ValueError(f"selector {key!r}: {error}") from None
    return compiled


def select(
    root: etree._Element, compiled: dict[str, tuple[etree.XPath, ...]], key: str
) -> list[Any]:
    """Matches (elements or strings) of the first selector for `key` that matches anything."""
    for xpath in compiled.get(key, ()):
        try:
            found = xpath(root)
        except etree.XPathEvalError:
            continue
        if isinstance(found, list) and found:
            return found
        if isinstance(found, str) and found.strip():
            return [found]
    return []


def selected_values(
    root: etree._Element, compiled: dict[str, tuple[etree.XPath, ...]], key: str
) -> list[str]:
    """The text (or value attribute, for dates, images and links) of each match."""
    values = []
    for match in select(root, compiled, key):
        if isinstance(match, str):
            value = squash(match)
        elif isinstance(match, etree._Element):
            value = ""
            for attribute in _VALUE_ATTRIBUTES.get(key, ()):
                if match.get(attribute):
                    value = squash(match.get(attribute))
                    break
            if not value:
                value = element_text(match)
        else:
            continue
        if value:
            values.append(value)
    return values
