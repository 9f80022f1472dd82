"""PORTAL: a big news portal in Republika's structure (index pages, split articles, sitemaps).

Articles live at ``/berita/<id>/<slug>``; split articles continue at ``?page=2`` or at
``<slug>-part2``. The traps a polite crawler must survive are listed in ``TRAPS``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote

from . import portal_html as page
from .model import (
    DATA_DIR,
    DATE_STYLES,
    Block,
    EditableSite,
    Fields,
    FixtureDataError,
    article_files,
    body_text,
    load_yaml,
    moment,
    replace_body,
    slugify,
    split_pages,
)
from .responses import (
    Response,
    html_page,
    plain,
    redirect,
    rss_document,
    unavailable,
    xml_document,
)

SITE = "portal"

# Trap name -> path. Each is linked from a page the crawler reaches (sidebar, footer, sitemap
# index); what a crawler should do with each is in README.md.
TRAPS = {
    "calendar": "/arsip/2023/01/01",
    "pdf": "/berita/rdok24pdf/indeks-kerawanan-pemilu-2024.pdf",
    "oversize": "/berita/rgal3mb24/galeri-foto-kampanye-akbar-pemilu-2024",
    "redirect_into_loop": "/berita/rpindah00/berita-dipindahkan",
    "redirect_loop": "/loop/a",
    "broken_sitemap": "/sitemap-video.xml",
    "no_content": "/berita/rkosong00/untitled",
    "robots_disallowed": "/search?q=pemilu+2024",
}
OVERSIZE_BYTES = 3 * 1024 * 1024
_ARTICLE_PATH = re.compile(r"^/berita/([a-z0-9]+)/([^/]+)$")
_ARCHIVE_PATH = re.compile(r"^/arsip/(\d{4})/(\d{2})/(\d{2})$")


@dataclass
class PortalInfo:
    """Site-wide settings from data/portal/site.yaml."""

    name: str
    source_id: str
    source_name: str
    description: str
    sections: dict[str, str]
    index_page_size: int
    feed_size: int
    news_sitemap_size: int
    flaky: str  # id of the article that answers 503 (Retry-After) the first time


@dataclass
class PortalArticle:
    id: str
    slug: str
    title: str
    section: str
    language: str
    published: datetime
    modified: datetime
    reporters: list[str]
    editor: str
    tags: list[str]
    image: str
    caption: str
    blocks: list[Block]
    date_style: str = "short"
    byline: str = "full"  # "full": Reporter:/Redaktur: lines; "short": "Rep: X/ Red: Y"
    jsonld: bool = True
    date_meta: bool = True
    split: str = "none"  # "none", "query" (?page=2) or "part" (<slug>-part2, "Halaman 2")

    @property
    def keys(self) -> tuple[str, ...]:
        """What update_article accepts to name this article: its id or its slug."""
        return (self.id, self.slug)

    @property
    def path(self) -> str:
        return f"/berita/{self.id}/{self.slug}"

    def page_paths(self) -> list[str]:
        count = len(split_pages(self.blocks))
        if self.split == "query":
            return [self.path] + [f"{self.path}?page={n}" for n in range(2, count + 1)]
        return [self.path] + [f"{self.path}-part{n}" for n in range(2, count + 1)]

    @property
    def has_modified_signal(self) -> bool:
        """Whether the page states a modification time (JSON-LD or article:modified_time)."""
        return self.jsonld or self.date_meta


def load_info() -> PortalInfo:
    path = DATA_DIR / SITE / "site.yaml"
    f = Fields(load_yaml(path), str(path))
    sections = f.data.get("sections")
    if not isinstance(sections, dict) or not sections:
        raise FixtureDataError(f"{path}: key 'sections' must map slugs to names")
    return PortalInfo(
        name=f.text("name"),
        source_id=f.text("source_id"),
        source_name=f.text("source_name"),
        description=f.text("description"),
        sections={str(k): str(v) for k, v in sections.items()},
        index_page_size=f.number("index_page_size"),
        feed_size=f.number("feed_size"),
        news_sitemap_size=f.number("news_sitemap_size"),
        flaky=f.text("flaky"),
    )


def load_articles(info: PortalInfo) -> list[PortalArticle]:
    articles = [_parse_article(path, info) for path in article_files(SITE)]
    known = {a.id for a in articles}
    if len(known) != len(articles):
        raise FixtureDataError(f"{DATA_DIR / SITE}: two articles share an id")
    for article in articles:
        for block in article.blocks:
            if block.kind == "related" and block.ref not in known:
                raise FixtureDataError(f"{article.id}: related link to unknown id {block.ref!r}")
    if info.flaky not in known:
        raise FixtureDataError(f"portal site.yaml: flaky names unknown id {info.flaky!r}")
    return articles


def _parse_article(path: Any, info: PortalInfo) -> PortalArticle:
    f = Fields(load_yaml(path), str(path))
    published = f.date("published")
    article = PortalArticle(
        id=f.text("id"),
        slug=f.text("slug"),
        title=f.text("title"),
        section=f.choice("section", tuple(info.sections), ""),
        language=f.choice("language", ("id", "en", "jv"), "id"),
        published=published,
        modified=f.date("modified", published),
        reporters=f.texts("reporters"),
        editor=f.text("editor"),
        tags=f.texts("tags"),
        image=f.text("image"),
        caption=f.text("caption"),
        blocks=f.blocks("body"),
        date_style=f.choice("date_style", DATE_STYLES, "short"),
        byline=f.choice("byline", ("full", "short"), "full"),
        jsonld=f.flag("jsonld", True),
        date_meta=f.flag("date_meta", True),
        split=f.choice("split", ("none", "query", "part"), "none"),
    )
    if not re.fullmatch(r"r[a-z0-9]{8}", article.id):
        raise FixtureDataError(f"{path}: id {article.id!r} must look like rp8abc123")
    if article.slug != slugify(article.slug):
        raise FixtureDataError(f"{path}: slug {article.slug!r} is not a URL slug")
    pages = len(split_pages(article.blocks))
    if (pages > 1) != (article.split != "none"):
        raise FixtureDataError(f"{path}: split is {article.split!r} but body has {pages} page(s)")
    if article.modified < article.published:
        raise FixtureDataError(f"{path}: modified is before published")
    return article


def expected_record(article: PortalArticle, info: PortalInfo) -> dict[str, Any]:
    """What extraction must produce from the article's pages (URLs relative to the site root)."""
    return {
        "url": article.path,
        "canonical_url": article.path,
        "source": info.source_id,
        "title": article.title,
        "body": body_text(article.blocks),
        "authors": list(article.reporters),
        "published_at": article.published.isoformat(),
        "modified_at": article.modified.isoformat() if article.has_modified_signal else None,
        "section": info.sections[article.section],
        "tags": list(article.tags),
        "image": article.image,
        "language": article.language,
    }


class PortalSite(EditableSite):
    """Routes a request path to a rendered answer; holds the mutable article list."""

    name = SITE

    def __init__(self, base: str, external: str, flaky: bool = True) -> None:
        self.info = load_info()
        self.articles = load_articles(self.info)
        self.base = base
        self.external = external
        # The flaky article answers 503 once per site instance, then works.
        self._flaky_pending = flaky
        self._oversize: bytes | None = None

    # --- mutations -----------------------------------------------------------------------

    def add(
        self,
        title: str,
        body: str,
        *,
        section: str = "politik",
        tags: list[str] | None = None,
        authors: list[str] | None = None,
        published: datetime | None = None,
        slug: str | None = None,
        language: str = "id",
    ) -> PortalArticle:
        if section not in self.info.sections:
            known = ", ".join(self.info.sections)
            raise ValueError(f"unknown section {section!r}; use one of {known}")
        when = moment(published)
        digest = hashlib.sha1(f"{title}{when.isoformat()}".encode()).hexdigest()
        article = PortalArticle(
            id="rz" + digest[:7],
            slug=slug or slugify(title),
            title=title,
            section=section,
            language=language,
            published=when,
            modified=when,
            reporters=authors or ["Redaksi"],
            editor="Redaksi",
            tags=tags or [],
            image="/uploads/images/2024/02/ilustrasi-berita.jpg",
            caption="Ilustrasi.",
            blocks=replace_body([Block("p")], body),
        )
        if any(a.id == article.id or a.path == article.path for a in self.articles):
            raise ValueError(f"an article like {article.path} already exists")
        self.articles.append(article)
        return article

    def expected(self) -> list[dict[str, Any]]:
        return [expected_record(a, self.info) for a in self.newest_first()]

    # --- views ---------------------------------------------------------------------------

    def newest_first(self) -> list[PortalArticle]:
        return sorted(self.articles, key=lambda a: (a.published, a.id), reverse=True)

    def context(self) -> page.Context:
        return page.Context(
            base=self.base,
            external=self.external,
            info=self.info,
            articles=self.newest_first(),
            traps=TRAPS,
        )

    def handle(self, path: str, query: str) -> Response:
        params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        ctx = self.context()
        if path == "/":
            return html_page(page.home(ctx))
        if path == "/indeks":
            return html_page(page.index(ctx, _page_number(params.get("page"))))
        if path.startswith("/kanal/"):
            section = path.removeprefix("/kanal/")
            if section in self.info.sections:
                return html_page(page.section(ctx, section))
        if path.startswith("/tag/"):
            tag = next((t for a in self.articles for t in a.tags if slugify(t) == path[5:]), None)
            if tag:
                return html_page(page.tag(ctx, tag))
        if path == "/search":
            return html_page(page.search(ctx, params.get("q", "")))
        if path in ("/loop/a", "/loop/b"):
            return redirect(self.base + ("/loop/b" if path == "/loop/a" else "/loop/a"), 302)
        if path == "/robots.txt":
            return plain(page.robots(ctx))
        if path == "/rss":
            return rss_document(page.rss(ctx), self.last_change())
        if path == "/sitemap.xml":
            return xml_document(page.sitemap_index(ctx), self.last_change())
        if path == "/sitemap-news.xml":
            return xml_document(page.news_sitemap(ctx), self.last_change())
        if path == "/sitemap-posts.xml":
            return xml_document(page.posts_sitemap(ctx), self.last_change())
        if path == TRAPS["broken_sitemap"]:
            return xml_document(page.broken_sitemap(ctx))
        archive = _ARCHIVE_PATH.match(path)
        if archive:
            return self._archive(ctx, archive)
        article = _ARTICLE_PATH.match(unquote(path))
        if article:
            return self._article_or_trap(ctx, path, article.group(1), article.group(2), params)
        return html_page(page.not_found(ctx), status=404)

    def last_change(self) -> datetime:
        return max(a.modified for a in self.articles)

    def _archive(self, ctx: page.Context, match: re.Match[str]) -> Response:
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return html_page(page.not_found(ctx), status=404)
        return html_page(page.archive(ctx, day, day - timedelta(days=1), day + timedelta(days=1)))

    def _article_or_trap(
        self, ctx: page.Context, path: str, article_id: str, slug: str, params: dict[str, str]
    ) -> Response:
        if path == TRAPS["pdf"]:
            return Response(200, page.pdf_bytes(), "application/pdf")
        if path == TRAPS["oversize"]:
            if self._oversize is None:
                self._oversize = page.oversize(ctx, OVERSIZE_BYTES).encode("utf-8")
            return Response(200, self._oversize)
        if path == TRAPS["redirect_into_loop"]:
            return redirect(self.base + TRAPS["redirect_loop"], 302)
        if path == TRAPS["no_content"]:
            return html_page(page.no_content())
        try:
            article = self.find(article_id)
        except KeyError:
            return html_page(page.not_found(ctx), status=404)
        part = 1
        if article.split == "part":
            found = re.fullmatch(re.escape(article.slug) + r"-part(\d+)", slug)
            if found:
                part = int(found.group(1))
        elif article.split == "query":
            part = _page_number(params.get("page"))
        if part == 1 and slug != article.slug:
            return redirect(self.base + article.path)  # wrong slug: the CMS redirects to canonical
        if part > len(split_pages(article.blocks)):
            return html_page(page.not_found(ctx), status=404)
        if article.id == self.info.flaky and self._flaky_pending:
            self._flaky_pending = False
            return unavailable(retry_after="1")
        return html_page(page.article(ctx, article, part), last_modified=article.modified)


def _page_number(raw: str | None) -> int:
    """Page parameter the PHP way: anything not a positive integer means the first page."""
    return int(raw) if raw and raw.isdigit() and int(raw) > 0 else 1


def render_static_paths(site: PortalSite) -> list[str]:
    """Every path recorded to disk: listings, feeds, sitemaps and all article pages."""
    paths = ["/", "/robots.txt", "/rss", "/sitemap.xml", "/sitemap-news.xml", "/sitemap-posts.xml"]
    pages = -(-len(site.articles) // site.info.index_page_size)
    paths += ["/indeks"] + [f"/indeks?page={n}" for n in range(2, pages + 1)]
    for article in site.newest_first():
        paths += article.page_paths()
    return paths
