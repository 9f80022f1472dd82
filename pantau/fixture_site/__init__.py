"""Fixture news sites on 127.0.0.1 for crawl tests and ``pantau demo``.

Two sites mirror real outlets' structure: PORTAL (Republika-like: index pages, split
articles, Google News sitemap, RSS, traps) and WORDPRESS (NanjombangNews-like: REST API, feed,
core sitemaps), plus EXTERNAL, a host every page links to and no crawler may follow. Each runs
on its own port, so each is its own source (host:port).

    with FixtureSites() as sites:
        sites.portal_url, sites.wordpress_url          # "http://127.0.0.1:PORT"
        sites.source_definitions()                     # source YAML dicts with live URLs
        sites.requests                                 # [(site, method, path_with_query)]
        sites.update_article("portal", "rp3blk808", body="...")

Expected extraction output is kept beside every recorded page (``recorded/<site>/``); see
README.md for the routes, traps and conventions.
"""

from __future__ import annotations

import threading
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import yaml

from .model import FixtureDataError
from .portal import TRAPS
from .record import SITES, absolute, expected_articles, make_site, story_pairs
from .responses import Response, html_page, unavailable
from .server import SiteServer

__all__ = [
    "SITES",
    "TRAPS",
    "FixtureDataError",
    "FixtureSites",
    "RequestRecord",
    "expected_articles",
    "story_pairs",
]

EXTERNAL = "external"


class RequestRecord(NamedTuple):
    """One request a fixture site received (equal to the plain tuple it holds)."""

    site: str  # "portal", "wordpress" or "external"
    method: str
    path: str  # path with query, as sent


def _external_page(path: str) -> Response:
    return html_page(
        '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
        "<title>Portal Info Pemilu</title></head><body><h1>Portal Info Pemilu</h1>"
        f"<p>Situs mitra. Anda membuka {path}.</p></body></html>\n"
    )


class FixtureSites:
    """Runs the fixture sites; a context manager. All methods are thread-safe."""

    def __init__(self, host: str = "127.0.0.1", ports: dict[str, int] | None = None) -> None:
        if host != "127.0.0.1":
            raise ValueError("fixture sites bind to 127.0.0.1 only")
        ports = ports or {}
        self._lock = threading.RLock()
        self._log: list[RequestRecord] = []
        self._errors: list[str] = []
        self._down: dict[str, str] = {}  # site -> "503" while set_down
        self._servers = {
            name: SiteServer(name, self._answer, host, ports.get(name, 0))
            for name in (*SITES, EXTERNAL)
        }
        self._apps: dict[str, Any] = {}
        self._started = False

    # --- lifecycle -----------------------------------------------------------------------

    def start(self) -> FixtureSites:
        if self._started:
            return self
        try:
            for server in self._servers.values():
                server.start()
            with self._lock:
                external = self._servers[EXTERNAL].url
                self._apps = {
                    name: make_site(name, self._servers[name].url, external) for name in SITES
                }
        except BaseException:
            self.stop()
            raise
        self._started = True
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            server.stop()
        self._started = False

    def __enter__(self) -> FixtureSites:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- addresses -----------------------------------------------------------------------

    def url(self, site: str) -> str:
        """Root URL of a site ("portal", "wordpress" or "external"), no trailing slash."""
        if site not in self._servers:
            raise ValueError(
                f"unknown fixture site {site!r}; use one of {', '.join(self._servers)}"
            )
        return self._servers[site].url

    @property
    def portal_url(self) -> str:
        return self.url("portal")

    @property
    def wordpress_url(self) -> str:
        return self.url("wordpress")

    @property
    def external_url(self) -> str:
        return self.url(EXTERNAL)

    @property
    def traps(self) -> dict[str, str]:
        """Absolute URLs of the portal's traps, the flaky article and the external host."""
        urls = {name: self.portal_url + path for name, path in TRAPS.items()}
        with self._lock:
            portal = self._app("portal")
            urls["retry_after"] = self.portal_url + portal.find(portal.info.flaky).path
        urls["external"] = self.external_url + "/"
        return urls

    # --- request log ---------------------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request received so far, in arrival order (a copy)."""
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    @property
    def errors(self) -> list[str]:
        """Exceptions raised while answering (a fixture bug, never expected)."""
        with self._lock:
            return list(self._errors)

    # --- sources -------------------------------------------------------------------------

    def source_definitions(self) -> list[dict[str, Any]]:
        """Source definitions (the crawler/sources YAML shape) with the live URLs filled in."""
        with self._lock:
            portal, wordpress = self._app("portal"), self._app("wordpress")
            p, w = self.portal_url, self.wordpress_url
            return [
                {
                    "id": portal.info.source_id,
                    "name": portal.info.source_name,
                    "url": f"{p}/",
                    "language": "id",
                    "platform": "generic",
                    "discovery": {
                        "sitemaps": [f"{p}/sitemap.xml"],
                        "feeds": [f"{p}/rss"],
                        "listings": [f"{p}/indeks"],
                    },
                    "article_urls": "/berita/[a-z0-9]+/",
                    "selectors": {},
                },
                {
                    "id": wordpress.info.source_id,
                    "name": wordpress.info.source_name,
                    "url": f"{w}/",
                    "language": "id",
                    "platform": "wordpress",
                },
            ]

    def write_sources(self, folder: str | Path) -> list[Path]:
        """Write one ``<id>.yaml`` per source into ``folder``; returns the paths."""
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for definition in self.source_definitions():
            path = target / f"{definition['id']}.yaml"
            text = yaml.safe_dump(definition, sort_keys=False, allow_unicode=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
        return written

    # --- content and mutations -----------------------------------------------------------

    def expected_articles(self, site: str) -> list[dict[str, Any]]:
        """Expected extraction output of the site's current articles, with absolute URLs."""
        with self._lock:
            return [absolute(r, self.url(site)) for r in self._app(site).expected()]

    def update_article(
        self,
        site: str,
        key: str,
        body: str | None = None,
        title: str | None = None,
        modified: datetime | None = None,
    ) -> dict[str, Any]:
        """Edit an article (portal id or slug; WordPress slug or post id).

        ``body`` is plain text, paragraphs separated by blank lines; ``modified`` defaults to
        now (WIB). Page, sitemap lastmod, feed and REST ``modified`` all change with it.
        Returns the article's new expected output (absolute URLs).
        """
        with self._lock:
            app = self._app(site)
            article = app.update(key, body, title, modified)
            return self._expected_of(site, article)

    def add_article(self, site: str, title: str, body: str, **options: Any) -> dict[str, Any]:
        """Publish a new article; returns its expected output (absolute URLs).

        Options: ``section`` (portal section slug or WordPress category slug, default
        "politik"), ``tags``, ``authors``, ``published`` (aware datetime, default now),
        ``slug``, ``language``.
        """
        with self._lock:
            app = self._app(site)
            article = app.add(title, body, **options)
            return self._expected_of(site, article)

    def set_down(self, site: str, down: bool = True, refuse: bool = False) -> None:
        """Take a site down: every request answers 503, or with ``refuse`` the port closes.

        ``set_down(site, False)`` brings it back on the same port.
        """
        if site not in self._servers:
            raise ValueError(f"unknown fixture site {site!r}")
        server = self._servers[site]
        with self._lock:
            if down and not refuse:
                self._down[site] = "503"
            else:
                self._down.pop(site, None)
        if down and refuse:
            server.stop()
        elif not server.running:
            server.start()

    # --- internals -----------------------------------------------------------------------

    def _app(self, site: str) -> Any:
        if not self._apps:
            raise RuntimeError("FixtureSites is not started; use it as a context manager")
        if site not in self._apps:
            raise ValueError(f"unknown fixture site {site!r}; use one of {', '.join(SITES)}")
        return self._apps[site]

    def _expected_of(self, site: str, article: Any) -> dict[str, Any]:
        records = self._app(site).expected()
        record = next(r for r in records if r["url"] == article.path)
        return absolute(record, self.url(site))

    def _answer(self, site: str, method: str, target: str, headers: dict[str, str]) -> Response:
        with self._lock:
            self._log.append(RequestRecord(site, method, target))
            if self._down.get(site):
                return unavailable(retry_after=None)
            if method not in ("GET", "HEAD"):
                return Response(405, b"", headers=[("Allow", "GET, HEAD")])
            parts = urlsplit(target)
            try:
                if site == EXTERNAL:
                    return _external_page(parts.path)
                return self._app(site).handle(parts.path or "/", parts.query)
            except Exception:  # a fixture bug: answer 500 and keep it for the test
                self._errors.append(f"{site} {method} {target}:\n{traceback.format_exc()}")
                return Response(500, b"internal fixture error")
