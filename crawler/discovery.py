"""Pure parsers for discovery documents: sitemaps, feeds, listing pages, WordPress posts.

Each takes bytes or text and returns plain data, so discovery is tested without a crawl and a
broken document raises DiscoveryError with the reason instead of yielding half an answer.
"""

from __future__ import annotations

import gzip
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree

_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_NEXT_WORDS = {"selanjutnya", "berikutnya", "next", "lanjut", "›", "»", ">", ">>", "older posts"}


class DiscoveryError(ValueError):
    """A discovery document could not be read; the message says why."""


@dataclass(frozen=True)
class Candidate:
    url: str
    lastmod: str | None = None  # ISO 8601 with offset, when the document gave one


@dataclass(frozen=True)
class SitemapResult:
    sitemaps: list[Candidate]  # child sitemaps of an index
    articles: list[Candidate]


def _xml_root(body: bytes, what: str) -> etree._Element:
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except OSError as exc:
            raise DiscoveryError(f"{what}: broken gzip: {exc}") from exc
    if not body.strip():
        raise DiscoveryError(f"{what}: empty document")
    try:
        return etree.fromstring(body, parser=_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"{what}: malformed XML: {exc}") from exc


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(element: etree._Element, name: str) -> str | None:
    for child in element.iter():
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def iso_instant(value: str | None) -> str | None:
    """ISO 8601 with offset from W3C datetime or RFC 822 dates; None when unreadable."""
    if not value:
        return None
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def parse_sitemap(body: bytes, base_url: str) -> SitemapResult:
    """A sitemap index or urlset (Google News sitemaps included), with lastmod marks."""
    root = _xml_root(body, "sitemap")
    kind = _local(root.tag)
    if kind not in ("sitemapindex", "urlset"):
        raise DiscoveryError(f"sitemap: root element is <{kind}>, not <urlset> or <sitemapindex>")
    found: list[Candidate] = []
    for entry in root:
        if _local(entry.tag) not in ("sitemap", "url"):
            continue
        loc = _child_text(entry, "loc")
        if not loc:
            continue
        lastmod = _child_text(entry, "lastmod") or _child_text(entry, "publication_date")
        found.append(Candidate(urljoin(base_url, loc), iso_instant(lastmod)))
    if kind == "sitemapindex":
        return SitemapResult(sitemaps=found, articles=[])
    return SitemapResult(sitemaps=[], articles=found)


def parse_feed(body: bytes, base_url: str) -> list[Candidate]:
    """Items of an RSS 2.0, RSS 1.0 or Atom feed with their newest date."""
    root = _xml_root(body, "feed")
    found: list[Candidate] = []
    for entry in root.iter():
        name = _local(entry.tag)
        if name == "item":
            link = _child_text(entry, "link") or _guid_link(entry)
            date = (
                _child_text(entry, "updated")
                or _child_text(entry, "pubDate")
                or _child_text(entry, "date")
            )
        elif name == "entry":
            link = _atom_link(entry)
            date = _child_text(entry, "updated") or _child_text(entry, "published")
        else:
            continue
        if link:
            found.append(Candidate(urljoin(base_url, link.strip()), iso_instant(date)))
    if not found and _local(root.tag) not in ("rss", "feed", "RDF"):
        raise DiscoveryError(f"feed: root element <{_local(root.tag)}> is not RSS or Atom")
    return found


def _guid_link(entry: etree._Element) -> str | None:
    for child in entry:
        if _local(child.tag) == "guid" and child.get("isPermaLink", "true") != "false":
            return (child.text or "").strip() or None
    return None


def _atom_link(entry: etree._Element) -> str | None:
    for child in entry:
        if _local(child.tag) == "link" and child.get("rel", "alternate") == "alternate":
            return child.get("href")
    return None


def listing_links(hrefs: Iterator[tuple[str, str, str | None]], base_url: str) -> list[str]:
    """Absolute http(s) links, in page order and without repeats, from (href, text, rel)."""
    seen: dict[str, None] = {}
    for href, _text, _rel in hrefs:
        url = urljoin(base_url, href.strip()).split("#", 1)[0]
        if urlsplit(url).scheme in ("http", "https"):
            seen.setdefault(url, None)
    return list(seen)


def next_listing_page(
    links: list[tuple[str, str, str | None]], current_url: str, page: int
) -> str | None:
    """The link to the next index page: rel=next, a "Selanjutnya"-style label, or page N+1."""
    current = urlsplit(current_url)
    wanted = str(page + 1)
    numbered = None
    for href, text, rel in links:
        url = urljoin(current_url, href.strip()).split("#", 1)[0]
        parts = urlsplit(url)
        if parts.netloc != current.netloc or url == current_url:
            continue
        label = " ".join(text.split()).lower()
        if rel and "next" in rel.lower().split():
            return url
        if label in _NEXT_WORDS:
            return url
        params = dict(parse_qsl(parts.query))
        same_path = parts.path.rstrip("/") == current.path.rstrip("/")
        if same_path and params.get("page") == wanted and numbered is None:
            numbered = url
        elif re.search(rf"/page/{wanted}/?$", parts.path) and numbered is None:
            numbered = url
    return numbered


def wordpress_time(local: str | None, gmt: str | None, offset: str) -> str | None:
    """WordPress gives naive local and GMT times; render the instant in the source's zone."""
    if gmt:
        try:
            moment = datetime.fromisoformat(gmt).replace(tzinfo=UTC)
        except ValueError:
            moment = None
        if moment is not None:
            sign = 1 if offset[0] == "+" else -1
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
            return moment.astimezone(zone).isoformat()
    if local:
        try:
            return datetime.fromisoformat(f"{local}{offset}").isoformat()
        except ValueError:
            return None
    return None


def wordpress_post_fields(post: dict, offset: str) -> dict:
    """Item fields from one /wp-json/wp/v2/posts entry fetched with ``_embed``."""
    embedded = post.get("_embedded") or {}
    authors = [
        a.get("name") for a in embedded.get("author") or [] if isinstance(a, dict) and a.get("name")
    ]
    categories, tags = [], []
    for group in embedded.get("wp:term") or []:
        for term in group or []:
            if not isinstance(term, dict) or not term.get("name"):
                continue
            name = html.unescape(term["name"])
            (tags if term.get("taxonomy") == "post_tag" else categories).append(name)
    media = embedded.get("wp:featuredmedia") or []
    image = media[0].get("source_url") if media and isinstance(media[0], dict) else None
    return {
        "url": post.get("link"),
        "title": html.unescape(_rendered(post.get("title"))).strip(),
        "body_html": _rendered(post.get("content")),
        "authors": authors,
        "published_at": wordpress_time(post.get("date"), post.get("date_gmt"), offset),
        "modified_at": wordpress_time(post.get("modified"), post.get("modified_gmt"), offset),
        "section": categories[0] if categories else None,
        "tags": tags,
        "image": image,
    }


def _rendered(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("rendered") or "")
    return str(value or "")
