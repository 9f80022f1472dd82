"""Small outlets served on 127.0.0.1 for `pantau sources check` and fact-check crawl tests: each
is a mapping of path -> Response on its own port, with a log of the paths asked for."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pantau.fixture_site.responses import Response, html_page, plain, rss_document
from pantau.fixture_site.server import SiteServer

ROBOTS_OPEN = "User-agent: *\nDisallow: /search\n"


def article(title: str, date: str | None = "2024-02-10T09:00:00+07:00", paragraphs: int = 4) -> str:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(
        f"<p>Paragraf {i} tentang {title.lower()}: KPU dan Bawaslu menjelaskan tahapan pemilu "
        "kepada wartawan di kantor masing-masing, disertai data dari setiap kabupaten.</p>"
        for i in range(1, paragraphs + 1)
    )
    return (
        f"<html><head><title>{title}</title>{meta}</head><body><main><article>"
        f"<h1>{title}</h1>{body}</article></main></body></html>"
    )


def feed(base: str, paths: list[str], dates: list[str]) -> str:
    items = "".join(
        f"<item><title>Berita {i}</title><link>{base}{path}</link><pubDate>{date}</pubDate></item>"
        for i, (path, date) in enumerate(zip(paths, dates, strict=True))
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'
    )


class Outlet:
    """One site: routes filled in after start (they need the port), a request log."""

    def __init__(self, name: str) -> None:
        self.routes: dict[str, Response] = {}
        self.default: Response = html_page("<html><body>not here</body></html>", status=404)
        self.requests: list[str] = []
        self.server = SiteServer(name, self._answer)
        self.server.start()

    @property
    def url(self) -> str:
        return self.server.url

    def _answer(self, site: str, method: str, path: str, headers: dict[str, str]) -> Response:
        self.requests.append(path)
        return self.routes.get(path, self.default)

    def serve(self, routes: dict[str, Response], default: Response | None = None) -> None:
        self.routes.update(routes)
        if default is not None:
            self.default = default


@contextmanager
def outlets(*names: str) -> Iterator[dict[str, Outlet]]:
    made = {name: Outlet(name) for name in names}
    try:
        yield made
    finally:
        for outlet in made.values():
            outlet.server.stop()


def write_source(folder: Path, source_id: str, base: str, discovery: str, extra: str = "") -> None:
    host = base.split("://", 1)[1]
    (folder / f"{source_id}.yaml").write_text(
        f"id: {source_id}\nname: {source_id}\nurl: {base}/\nkind: regional\nregion: Jawa Timur\n"
        f"discovery: {discovery}\nallowed_domains: ['{host}']\n{extra}",
        encoding="utf-8",
    )


__all__ = ["ROBOTS_OPEN", "Outlet", "article", "feed", "outlets", "plain", "rss_document"]
