"""A live check of every discovery route of a source: does it still answer, list articles, and
do its article pages still extract?

    probe_sources(sources, settings) -> list[SourceReport]

For each route (sitemap, feed, listing, WordPress API): the robots.txt verdict for our
User-Agent, the HTTP status, how many article links it gave and the newest one's date; then a
sample of article pages (newest first) with whether title, body and date were extracted; then
one verdict per source:

- ok: every route answered with articles and every sampled page gave title, body and date;
- degraded: articles can still be found and read, but a route failed (moved, refused, empty,
  disallowed) or a sampled page lacked a field;
- broken: no route gives articles, or no sampled page gives a title and a body: the outlet is
  not monitored any more.

Politeness: robots.txt is read once per host and obeyed (a disallowed URL is reported, never
fetched); requests to one host go one at a time with a pause between them; each source has a
time limit after which its remaining routes and pages are reported as not probed. Nothing is
written anywhere: the check is read-only by construction (no store is opened).
"""

from __future__ import annotations

import gzip
import json
import threading
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from crawler.discovery import (
    Candidate,
    DiscoveryError,
    iso_instant,
    listing_links,
    parse_feed,
    parse_sitemap,
)
from crawler.extract import ExtractionError, extract_article
from crawler.sources import Source

MAX_BODY = 8 * 1024 * 1024  # a discovery document larger than this is abandoned


@dataclass
class ProbeSettings:
    user_agent: str
    source_timeout: float = 90.0  # seconds for all of one source's requests
    request_timeout: float = 20.0
    host_delay: float = 1.0  # pause between two requests to the same host
    sample: int = 3  # article pages fetched per source
    workers: int = 4  # sources probed at once (each host still sees one request at a time)
    max_child_sitemaps: int = 2  # of a sitemap index, the newest few are opened


@dataclass
class RouteReport:
    kind: str  # sitemap | feed | listing | wpapi
    url: str
    robots: str = "allowed"  # allowed | disallowed | unreadable (treated as allowed)
    status: int | None = None  # HTTP status; None when not fetched
    items: int = 0
    newest: str | None = None
    error: str | None = None

    @property
    def healthy(self) -> bool:
        return self.error is None and self.status == 200 and self.items > 0


@dataclass
class PageReport:
    url: str
    robots: str = "allowed"
    status: int | None = None
    title: bool = False
    body: bool = False
    date: bool = False
    error: str | None = None

    @property
    def complete(self) -> bool:
        return self.title and self.body and self.date

    @property
    def readable(self) -> bool:
        return self.title and self.body


@dataclass
class SourceReport:
    id: str
    name: str
    kind: str
    region: str
    routes: list[RouteReport] = field(default_factory=list)
    pages: list[PageReport] = field(default_factory=list)
    verdict: str = "broken"
    reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class _Budget:
    """The time a source has left."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()


class Fetcher:
    """urllib with one request at a time per host, robots.txt read once per host."""

    def __init__(self, settings: ProbeSettings, opener: Callable[..., Any] | None = None) -> None:
        self.settings = settings
        self._open = opener or urllib.request.build_opener().open
        self._guard = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}

    def _host(self, url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}".lower()

    def _lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._host_locks.setdefault(host, threading.Lock())

    def get(self, url: str, budget: _Budget) -> tuple[int, bytes, str]:
        """(status, body, content type); raises TimeoutError when the source's time is up."""
        host = self._host(url)
        with self._lock(host):
            wait = self._last.get(host, 0.0) + self.settings.host_delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            timeout = min(self.settings.request_timeout, budget.left())
            if timeout <= 0:
                raise TimeoutError("time limit for this source reached")
            request = urllib.request.Request(
                url,
                headers={
                    "User-Agent": self.settings.user_agent,
                    "Accept-Encoding": "gzip",
                    "Accept": "*/*",
                },
            )
            try:
                with self._open(request, timeout=timeout) as answer:
                    return answer.status, _read(answer), answer.headers.get("Content-Type", "")
            except urllib.error.HTTPError as exc:
                try:
                    return exc.code, b"", exc.headers.get("Content-Type", "")
                finally:
                    exc.close()
            finally:
                self._last[host] = time.monotonic()

    def robots_verdict(self, url: str, budget: _Budget) -> str:
        host = self._host(url)
        if host not in self._robots:
            parser: urllib.robotparser.RobotFileParser | None = None
            try:
                status, body, _ = self.get(host + "/robots.txt", budget)
            except (OSError, TimeoutError, ValueError):
                status, body = 0, b""
            if status == 200:
                parser = urllib.robotparser.RobotFileParser()
                parser.parse(body.decode("utf-8", "replace").splitlines())
            # Otherwise (404, 403, a network error), as in the crawl's Scrapy middleware:
            # no rules, everything allowed; the route's own status then tells what is wrong.
            self._robots[host] = parser
        parser = self._robots[host]
        if parser is None:
            return "allowed"
        return "allowed" if parser.can_fetch(self.settings.user_agent, url) else "disallowed"


def _read(answer: Any) -> bytes:
    body = answer.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise ValueError(f"larger than {MAX_BODY // (1024 * 1024)} MiB")
    if (answer.headers.get("Content-Encoding") or "").lower() == "gzip" or body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError):
            pass  # not really gzip: the parser will say what is wrong
    return body


def probe_sources(
    sources: Iterable[Source], settings: ProbeSettings, fetcher: Fetcher | None = None
) -> list[SourceReport]:
    """Probe each source (several at once, hosts one request at a time); reports in order."""
    fetcher = fetcher or Fetcher(settings)
    chosen = list(sources)
    with ThreadPoolExecutor(max_workers=max(1, settings.workers)) as pool:
        return list(pool.map(lambda s: probe_source(s, fetcher, settings), chosen))


def probe_source(source: Source, fetcher: Fetcher, settings: ProbeSettings) -> SourceReport:
    report = SourceReport(source.id, source.name, source.kind, source.region)
    budget = _Budget(settings.source_timeout)
    candidates: list[Candidate] = []
    for kind, url in _routes(source):
        route = RouteReport(kind, url)
        report.routes.append(route)
        candidates.extend(_probe_route(source, route, fetcher, budget, settings))
    for url in _sample(candidates, settings.sample):
        report.pages.append(_probe_page(source, url, fetcher, budget))
    report.verdict, report.reasons = judge(report)
    return report


def _routes(source: Source) -> list[tuple[str, str]]:
    routes: list[tuple[str, str]] = []
    if source.wordpress_api:
        query = urlencode({"per_page": 10, "orderby": "modified", "order": "desc"})
        routes.append(("wpapi", f"{source.wordpress_api}?{query}"))
    routes += [("sitemap", u) for u in source.sitemaps]
    routes += [("feed", u) for u in source.feeds]
    routes += [("listing", u) for u in source.listings]
    return routes


def _probe_route(
    source: Source, route: RouteReport, fetcher: Fetcher, budget: _Budget, settings: ProbeSettings
) -> list[Candidate]:
    found = _fetch_discovery(source, route, route.url, fetcher, budget)
    if found is None:
        return []
    candidates, children = found
    # A sitemap index lists sitemaps, not articles: open its newest few children.
    for child in sorted(children, key=lambda c: _epoch(c.lastmod), reverse=True)[
        : settings.max_child_sitemaps
    ]:
        if route.error:
            break
        child_found = _fetch_discovery(source, route, child.url, fetcher, budget, nested=True)
        if child_found is not None:
            candidates += child_found[0]
    articles = [c for c in candidates if source.allows(c.url) and source.is_article_url(c.url)]
    route.items = len(articles)
    dated = [c.lastmod for c in articles if c.lastmod]
    route.newest = max(dated, key=_epoch) if dated else None
    if route.error is None and route.status == 200 and not articles:
        route.error = "no article links" if candidates or children else "no items"
    return articles


def _fetch_discovery(
    source: Source,
    route: RouteReport,
    url: str,
    fetcher: Fetcher,
    budget: _Budget,
    *,
    nested: bool = False,
) -> tuple[list[Candidate], list[Candidate]] | None:
    try:
        verdict = fetcher.robots_verdict(url, budget)
        if not nested:
            route.robots = verdict
        if verdict == "disallowed":
            route.error = route.error or f"robots.txt disallows {url}"
            return None
        status, body, _ = fetcher.get(url, budget)
    except TimeoutError as exc:
        route.error = str(exc)
        return None
    except (OSError, ValueError) as exc:
        route.error = f"{type(exc).__name__}: {_reason(exc)}"
        return None
    if not nested:
        route.status = status
    if status != 200:
        route.error = f"HTTP {status}" + (f" at {url}" if nested else "")
        return None
    try:
        return _parse_discovery(source, route.kind, body, url)
    except (DiscoveryError, ValueError) as exc:
        route.error = f"unreadable {route.kind}: {exc}"
        return None


def _parse_discovery(
    source: Source, kind: str, body: bytes, url: str
) -> tuple[list[Candidate], list[Candidate]]:
    if kind == "sitemap":
        found = parse_sitemap(body, url)
        return found.articles, found.sitemaps
    if kind == "feed":
        return parse_feed(body, url), []
    if kind == "wpapi":
        posts = json.loads(body.decode("utf-8", "replace"))
        if not isinstance(posts, list):
            raise ValueError(f"expected a list of posts, got {type(posts).__name__}")
        out = []
        for post in posts:
            if isinstance(post, dict) and isinstance(post.get("link"), str):
                gmt = post.get("modified_gmt") or post.get("date_gmt")
                out.append(Candidate(post["link"], iso_instant(f"{gmt}+00:00") if gmt else None))
        return out, []
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fromstring(body)
    except (ValueError, etree.ParserError) as exc:
        raise ValueError(f"not an HTML page: {exc}") from exc
    anchors = (
        (a.get("href", ""), a.text_content(), a.get("rel")) for a in root.iter("a") if a.get("href")
    )
    return [Candidate(u) for u in listing_links(anchors, url) if source.is_article_url(u)], []


def _sample(candidates: list[Candidate], count: int) -> list[str]:
    """The newest article URLs (undated ones after dated, in the order the routes gave them)."""
    seen: dict[str, Candidate] = {}
    for cand in candidates:
        seen.setdefault(cand.url, cand)
    ordered = sorted(seen.values(), key=lambda c: _epoch(c.lastmod), reverse=True)
    return [c.url for c in ordered[:count]]


def _probe_page(source: Source, url: str, fetcher: Fetcher, budget: _Budget) -> PageReport:
    page = PageReport(url)
    try:
        page.robots = fetcher.robots_verdict(url, budget)
        if page.robots == "disallowed":
            page.error = "robots.txt disallows it"
            return page
        page.status, body, ctype = fetcher.get(url, budget)
    except TimeoutError as exc:
        page.error = str(exc)
        return page
    except (OSError, ValueError) as exc:
        page.error = f"{type(exc).__name__}: {_reason(exc)}"
        return page
    if page.status != 200:
        page.error = f"HTTP {page.status}"
        return page
    try:
        fields = extract_article(body, url, source.selectors, default_tz=source.timezone)
    except (ExtractionError, ValueError) as exc:
        page.error = f"extraction failed: {exc}"
        return page
    page.title = bool(fields.get("title"))
    page.body = bool(fields.get("body"))
    page.date = bool(fields.get("published_at"))
    missing = [k for k in ("title", "body", "date") if not getattr(page, k)]
    if missing:
        page.error = "no " + ", no ".join(missing)
    return page


def judge(report: SourceReport) -> tuple[str, list[str]]:
    """ok / degraded / broken, with the reasons (see the module docstring)."""
    reasons = [f"{r.kind} {r.url}: {r.error}" for r in report.routes if not r.healthy]
    reasons += [f"article {p.url}: {p.error}" for p in report.pages if not p.complete]
    if not any(r.healthy for r in report.routes):
        return "broken", reasons or ["no route gives articles"]
    if not any(p.readable for p in report.pages):
        if not report.pages:
            reasons.append("no article page to sample")
        return "broken", reasons
    return ("degraded" if reasons else "ok"), reasons


def _epoch(value: str | None) -> float:
    """An ISO instant as epoch seconds for ordering (offsets differ between routes); -inf if
    unknown, so undated items sort last."""
    from pantau.store.sqlite import iso_to_epoch

    moment = iso_to_epoch(value)
    return moment if moment is not None else float("-inf")


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason if reason is not None else exc)
