"""WORDPRESS: a small local-news WordPress site in NanjombangNews's structure.

Posts live at ``/<yyyy>/<mm>/<dd>/<slug>/``; the REST API (``/wp-json/wp/v2/posts``), the RSS
feed (``/feed/``) and the core sitemaps (``/wp-sitemap.xml``) all render the same posts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode

from . import wordpress_api as api
from . import wordpress_html as page
from .model import (
    DATA_DIR,
    Block,
    EditableSite,
    Fields,
    FixtureDataError,
    article_files,
    load_yaml,
    moment,
    plain_text,
    replace_body,
    slugify,
)
from .responses import Response, html_page, plain, redirect, rss_document, xml_document

SITE = "wordpress"
_POST_PATH = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([^/]+)/?$")
_ARCHIVE_PATH = re.compile(r"^/(category|tag|author)/([^/]+)/?$")
_HOME_PAGE = re.compile(r"^/page/(\d+)/?$")


@dataclass
class Term:
    id: int
    name: str
    slug: str
    description: str = ""


@dataclass
class WpInfo:
    """Site-wide settings from data/wordpress/site.yaml."""

    name: str
    description: str
    source_id: str
    source_name: str
    wp_version: str
    feed_size: int
    home_page_size: int
    users: dict[int, Term]
    categories: dict[int, Term]
    tags: dict[int, Term]


@dataclass
class WpPost:
    id: int
    slug: str
    title: str
    date: datetime  # site-local time with its +07:00 offset
    modified: datetime
    author: int
    categories: list[int]
    tags: list[int]
    featured_media: int
    image: str
    image_caption: str
    blocks: list[Block]
    check_also: str = ""  # slug of the post the theme's "Check Also" box shows
    language: str = "id"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def keys(self) -> tuple[str, ...]:
        """What update_article accepts to name this post: its slug or its id."""
        return (self.slug, str(self.id))

    @property
    def published(self) -> datetime:
        return self.date

    @property
    def path(self) -> str:
        return f"/{self.date:%Y/%m/%d}/{self.slug}/"


def load_info() -> WpInfo:
    path = DATA_DIR / SITE / "site.yaml"
    f = Fields(load_yaml(path), str(path))

    def terms(key: str) -> dict[int, Term]:
        raw = f.data.get(key)
        if not isinstance(raw, list) or not raw:
            raise FixtureDataError(f"{path}: key {key!r} must list terms")
        result = {}
        for i, item in enumerate(raw):
            t = Fields(item, f"{path}: {key}[{i}]")
            term = Term(t.number("id"), t.text("name"), t.text("slug"), t.text("description", ""))
            result[term.id] = term
        return result

    return WpInfo(
        name=f.text("name"),
        description=f.text("description"),
        source_id=f.text("source_id"),
        source_name=f.text("source_name"),
        wp_version=f.text("wp_version"),
        feed_size=f.number("feed_size"),
        home_page_size=f.number("home_page_size"),
        users=terms("users"),
        categories=terms("categories"),
        tags=terms("tags"),
    )


def load_posts(info: WpInfo) -> list[WpPost]:
    posts = [_parse_post(path, info) for path in article_files(SITE)]
    slugs = {p.slug for p in posts}
    ids = [p.id for p in posts] + [p.featured_media for p in posts]
    if len(slugs) != len(posts) or len(set(ids)) != len(ids):
        raise FixtureDataError(f"{DATA_DIR / SITE}: two posts share a slug, id or media id")
    for post in posts:
        refs = [post.check_also] + [b.ref for b in post.blocks if b.kind == "related"]
        unknown = [ref for ref in refs if ref and ref not in slugs]
        if unknown:
            raise FixtureDataError(f"{post.slug}: check_also/related name unknown slugs {unknown}")
    return posts


def _parse_post(path: Any, info: WpInfo) -> WpPost:
    f = Fields(load_yaml(path), str(path))
    date = f.date("date")
    post = WpPost(
        id=f.number("id"),
        slug=f.text("slug"),
        title=f.text("title"),
        date=date,
        modified=f.date("modified", date),
        author=f.number("author"),
        categories=f.numbers("categories"),
        tags=f.numbers("tags"),
        featured_media=f.number("featured_media"),
        image=f.text("image"),
        image_caption=f.text("image_caption", ""),
        blocks=f.blocks("body"),
        check_also=f.text("check_also", ""),
        language=f.choice("language", ("id", "en", "jv"), "id"),
        extra={"republished_from": f.text("republished_from", "")},
    )
    for key, known, values in (
        ("author", info.users, [post.author]),
        ("categories", info.categories, post.categories),
        ("tags", info.tags, post.tags),
    ):
        unknown = [v for v in values if v not in known]
        if unknown or not values:
            raise FixtureDataError(f"{path}: key {key!r} names unknown or no ids {unknown}")
    if post.slug != slugify(post.slug):
        raise FixtureDataError(f"{path}: slug {post.slug!r} is not a URL slug")
    if any(b.kind == "page" for b in post.blocks):
        raise FixtureDataError(f"{path}: WordPress posts are not split over pages")
    if post.modified < post.date:
        raise FixtureDataError(f"{path}: modified is before date")
    return post


def expected_record(post: WpPost, info: WpInfo) -> dict[str, Any]:
    """What extraction must produce from the post page (URLs relative to the site root)."""
    return {
        "url": post.path,
        "canonical_url": post.path,
        "source": info.source_id,
        "title": page.display_title(post),
        "body": "\n\n".join(plain_text(p) for p in page.content_paragraphs(post)),
        "authors": [info.users[post.author].name],
        "published_at": post.date.isoformat(),
        "modified_at": post.modified.isoformat(),
        "section": info.categories[post.categories[0]].name,
        "tags": [info.tags[t].name for t in post.tags],
        "image": post.image,
        "language": post.language,
    }


class WordPressSite(EditableSite):
    """Routes a request to the theme pages, the feed, the sitemaps or the REST API."""

    name = SITE

    def __init__(self, base: str, external: str) -> None:
        self.info = load_info()
        self.articles = load_posts(self.info)
        self.base = base
        self.external = external

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
    ) -> WpPost:
        category = next((c for c in self.info.categories.values() if c.slug == section), None)
        if category is None:
            known = ", ".join(c.slug for c in self.info.categories.values())
            raise ValueError(f"unknown category {section!r}; use one of {known}")
        tag_ids = []
        for name in tags or []:
            term = next((t for t in self.info.tags.values() if t.name == name), None)
            if term is None:
                raise ValueError(f"unknown tag {name!r}")
            tag_ids.append(term.id)
        author = next(
            (u.id for u in self.info.users.values() if u.name == (authors or ["Redaksi"])[0]),
            None,
        )
        if author is None:
            raise ValueError(f"unknown author {authors!r}")
        when = moment(published)
        top = max(max(p.id, p.featured_media) for p in self.articles)
        post = WpPost(
            id=top + 1,
            slug=slug or slugify(title),
            title=title,
            date=when,
            modified=when,
            author=author,
            categories=[category.id],
            tags=tag_ids,
            featured_media=top + 2,
            image=f"/wp-content/uploads/{when:%Y/%m}/berita-{top + 1}.jpg",
            image_caption="",
            blocks=replace_body([Block("p")], body),
            language=language,
        )
        if any(p.slug == post.slug for p in self.articles):
            raise ValueError(f"a post with slug {post.slug!r} already exists")
        self.articles.append(post)
        return post

    def expected(self) -> list[dict[str, Any]]:
        return [expected_record(p, self.info) for p in self.newest_first()]

    # --- views ---------------------------------------------------------------------------

    def newest_first(self) -> list[WpPost]:
        return sorted(self.articles, key=lambda p: (p.date, p.id), reverse=True)

    def context(self) -> page.Context:
        return page.Context(
            base=self.base, external=self.external, info=self.info, posts=self.newest_first()
        )

    def handle(self, path: str, query: str) -> Response:
        params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        ctx = self.context()
        if path.startswith("/wp-json"):
            return api.route(ctx, path.removeprefix("/wp-json"), params)
        if path == "/" and "rest_route" in params:
            rest_params = {k: v for k, v in params.items() if k != "rest_route"}
            return api.route(ctx, params["rest_route"], rest_params)
        response = self._page(ctx, path, params)
        # Every WordPress page advertises its REST API, which is how a crawler recognises one.
        response.headers.append(("Link", f'<{ctx.url("/wp-json/")}>; rel="https://api.w.org/"'))
        return response

    def _page(self, ctx: page.Context, path: str, params: dict[str, str]) -> Response:
        if path == "/" and "p" in params:
            post = next((p for p in ctx.posts if str(p.id) == params["p"]), None)
            if post:
                return redirect(ctx.url(post.path))
        if path == "/":
            return html_page(page.home(ctx, 1))
        home_page = _HOME_PAGE.match(path)
        if home_page:
            number = int(home_page.group(1))
            if 1 < number <= page.home_pages(ctx):
                return html_page(page.home(ctx, number))
        if path == "/feed":
            return redirect(ctx.url("/feed/"))
        if path in page.STATIC_PAGES:
            return html_page(page.static_page(ctx, path))
        if path == "/feed/":
            return rss_document(page.feed(ctx), self.last_change())
        if path == "/robots.txt":
            return plain(page.robots(ctx))
        sitemap = page.sitemap(ctx, path)
        if sitemap is not None:
            return xml_document(sitemap, self.last_change())
        archive = _ARCHIVE_PATH.match(path)
        if archive:
            markup = page.archive(ctx, archive.group(1), archive.group(2))
            if markup is not None:
                return html_page(markup)
        found = _POST_PATH.match(path)
        if found:
            return self._post(ctx, path, found.group(4))
        return html_page(page.not_found(ctx), status=404)

    def _post(self, ctx: page.Context, path: str, slug: str) -> Response:
        post = next((p for p in ctx.posts if p.slug == slug), None)
        if post is None:
            return html_page(page.not_found(ctx), status=404)
        if path != post.path:  # missing slash or wrong date: WordPress redirects to the permalink
            return redirect(ctx.url(post.path))
        response = html_page(page.post(ctx, post), last_modified=post.modified)
        shortlink = ctx.url("/?" + urlencode({"p": post.id}))
        response.headers.append(("Link", f"<{shortlink}>; rel=shortlink"))
        return response

    def last_change(self) -> datetime:
        return max(p.modified for p in self.articles)


def render_static_paths(site: WordPressSite) -> list[str]:
    """Every path recorded to disk: home, feed, sitemaps, REST samples and all post pages."""
    paths = [
        "/",
        "/robots.txt",
        "/feed/",
        "/wp-sitemap.xml",
        "/wp-sitemap-posts-post-1.xml",
        "/wp-json/wp/v2/posts",
        "/wp-json/wp/v2/posts?_embed=1&per_page=3",
    ]
    return paths + [p.path for p in site.newest_first()]
