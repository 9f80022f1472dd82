"""Bytes or text in, one lxml tree out: the only place a page is parsed.

Everything downstream (metadata, selectors, main text, pagination) works on this tree, so a
page costs one parse. Decoding follows what the bytes say about themselves, with one practical
exception: bytes that are valid UTF-8 are read as UTF-8 even when a meta tag claims Latin-1,
because Indonesian portals often declare iso-8859-1 and serve UTF-8, and a text in a single-byte
charset that happens to be valid UTF-8 is vanishingly rare.
"""

from __future__ import annotations

import codecs
import re
import threading

from lxml import etree

# Past this many characters a page is cut (with a warning): the cost of a parse grows with
# size, and no news article is anywhere near this long.
MAX_CHARS = 4_000_000

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# Browsers read these labels as windows-1252 (WHATWG Encoding), and so do we.
_AS_CP1252 = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"})

_FEED_ROOT = re.compile(
    r"\s*(?:<!--.*?-->\s*|<!doctype[^>]*>\s*|<\?.*?\?>\s*)*<(rss|feed|rdf:rdf|urlset|sitemapindex)\b",
    re.I | re.S,
)
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")

# remove_blank_text drops whitespace-only text between block elements in C (libxml2 keeps it
# where it separates inline words), so the Python passes see far fewer text nodes.
_PARSER_OPTIONS = {
    "encoding": "utf-8",
    "collect_ids": False,
    "remove_comments": True,
    "remove_pis": True,
    "remove_blank_text": True,
    "huge_tree": True,
}
_local = threading.local()  # an lxml parser must not serve two threads at once


def _parser() -> etree.HTMLParser:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = etree.HTMLParser(**_PARSER_OPTIONS)
    return parser


class NotAPage(ValueError):
    """The input is not an HTML page (a feed, an image, a PDF, empty): nothing to extract."""


def decode(data: bytes, warnings: list[str]) -> str:
    """Decode page bytes: BOM, then valid UTF-8, then the declared charset, then UTF-8 lossy."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET.search(data[:4096])
    if match is not None:
        label = match.group(1).decode("ascii", errors="replace").lower()
        if label in _AS_CP1252:
            label = "cp1252"
        try:
            return data.decode(label, errors="replace")
        except LookupError:
            warnings.append(f"unknown charset {label!r} in meta; decoded as UTF-8")
    else:
        warnings.append("bytes are not UTF-8 and declare no charset; decoded as UTF-8")
    return data.decode("utf-8", errors="replace")


def parse(html: str | bytes, warnings: list[str]) -> etree._Element:
    """Parse a page into an lxml tree rooted at <html>; NotAPage when it is no HTML page."""
    raw: bytes | None = None
    if isinstance(html, bytes):
        has_bom = html.startswith(tuple(bom for bom, _ in _BOMS))
        if html[:64].lstrip().startswith(_BINARY_MAGIC) or (not has_bom and b"\x00" in html[:1024]):
            raise NotAPage("binary content, not an HTML page")
        if not has_bom and len(html) <= MAX_CHARS and _is_utf8(html) and b"\x00" not in html:
            raw = html  # libxml2 reads these very bytes: no decode and re-encode
            html = html[:4096].decode("utf-8", errors="ignore")  # for the checks below
        else:
            html = decode(html, warnings)
    elif not isinstance(html, str):
        raise TypeError(f"html must be str or bytes, not {type(html).__name__}")
    if len(html) > MAX_CHARS:
        warnings.append(f"page of {len(html)} characters cut to the first {MAX_CHARS}")
        html = html[:MAX_CHARS]
    if not html or html.isspace():
        raise NotAPage("empty document")
    start = html[:4096]
    feed = _FEED_ROOT.match(start)
    if feed is not None:
        raise NotAPage(f"an XML document <{feed.group(1)}> (a feed or sitemap), not an HTML page")
    if start.count("\ufffd") > 200:
        raise NotAPage("mostly undecodable bytes, not an HTML page")
    if raw is None:
        # lxml refuses an encoding declaration in text; NUL characters end libxml2's input
        # early; lone surrogates cannot be encoded.
        html = _XML_DECLARATION.sub("", html, count=1)
        raw = html.replace("\x00", "").encode("utf-8", errors="replace")
    parser = _parser()
    try:
        root = etree.fromstring(raw, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise NotAPage(f"unparseable document: {error}") from None
    if root is None:
        raise NotAPage("empty document")
    # libxml2 recovers from any broken markup but stops at a fatal error (nesting deeper than
    # it allows): what followed is lost, and the caller must hear of it.
    for entry in parser.error_log:
        if entry.level == etree.ErrorLevels.FATAL:
            warnings.append(f"page cut short by the HTML parser: {entry.message}")
            break
    return root


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
