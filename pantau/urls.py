"""URL identity: one article, one id, whatever tracking junk or mobile variant points at it."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that never change which article a URL names.
_TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_[a-z]+|_ga|yclid|igshid|ref|ref_src|"
    r"source|src|amp|amp_js_v|usqp|outputType|output|from|share|s_cid|cmpid|tag_from)$",
    re.IGNORECASE,
)
# Host prefixes of mobile/AMP mirrors: m.republika.co.id and republika.co.id are the same article.
_MOBILE_HOST = re.compile(r"^(m|mobile|amp|wap)\.", re.IGNORECASE)
# Path forms of AMP mirrors: /amp/..., .../amp, ...?amp=1 (handled as a parameter above).
_AMP_PATH = re.compile(r"(^/amp(?=/)|/amp/?$|\.amp(?=\.html?$|$))", re.IGNORECASE)


def normalize_url(url: str) -> str:
    """The canonical spelling of an article URL, used for identity and dedup.

    Lower-cases scheme and host, drops ``www.``/mobile/AMP host and path variants, the fragment,
    default ports, tracking parameters and a trailing slash; sorts what parameters remain
    (``?page=2`` of a split article is folded by the spider before this is called).
    """
    parts = urlsplit(url.strip())
    scheme = (parts.scheme or "http").lower()
    if scheme == "http":
        scheme = "https"  # http and https copies of one article are one article
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    host = _MOBILE_HOST.sub("", host)
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    path = _AMP_PATH.sub("", path) or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING_PARAMS.match(k)
    )
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def doc_id(canonical_url: str) -> str:
    """Stable document id: sha1 of the normalized canonical URL (store and Elasticsearch)."""
    return hashlib.sha1(normalize_url(canonical_url).encode("utf-8")).hexdigest()


def content_hash(title: str | None, body: str | None) -> str:
    """Hash of the normalized text, so a re-crawl can tell changed from unchanged."""
    text = " ".join(f"{title or ''} {body or ''}".split()).lower()
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
