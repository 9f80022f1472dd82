"""The WordPress REST API (wp/v2) of the fixture site: posts, terms, users, media.

Shapes, parameters, headers and error bodies follow WordPress core
(``WP_REST_Posts_Controller``): ``X-WP-Total``/``X-WP-TotalPages``, ``Link`` rel next/prev,
``rest_post_invalid_page_number`` past the last page, ``rest_invalid_param`` for bad input.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .model import WIB
from .responses import Response, wp_json
from .wordpress_html import Context, content_html, excerpt_html, title_html

if TYPE_CHECKING:
    from .wordpress import Term, WpPost

ORDERBY = (
    "author",
    "date",
    "id",
    "include",
    "modified",
    "parent",
    "relevance",
    "slug",
    "include_slugs",
    "title",
)
_POST_ITEM = re.compile(r"^/wp/v2/posts/(\d+)/?$")
_MEDIA_ITEM = re.compile(r"^/wp/v2/media/(\d+)/?$")


class RestError(Exception):
    """A WordPress REST error: becomes ``{"code", "message", "data": {"status", ...}}``."""

    def __init__(self, status: int, code: str, message: str, **data: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.data = status, code, message, data

    def response(self) -> Response:
        body = {"code": self.code, "message": self.message, "data": {"status": self.status}}
        body["data"].update(self.data)
        return wp_json(body, self.status)


def _invalid(name: str, code: str, message: str) -> RestError:
    return RestError(
        400,
        "rest_invalid_param",
        f"Invalid parameter(s): {name}",
        params={name: message},
        details={name: {"code": code, "message": message, "data": None}},
    )


def _integer(params: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"-?\d+", raw.strip()):
        raise _invalid(name, "rest_invalid_type", f"{name} is not of type integer.")
    value = int(raw)
    if value < low or value > high:
        if high >= 10**9:
            message = f"{name} must be greater than or equal to {low}"
        else:
            message = f"{name} must be between {low} (inclusive) and {high} (inclusive)"
        raise _invalid(name, "rest_out_of_bounds", message)
    return value


def _id_list(params: dict[str, str], name: str) -> list[int] | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not all(item.isdigit() for item in items):
        raise _invalid(name, "rest_invalid_type", f"{name}[0] is not of type integer.")
    return [int(item) for item in items]


def _date(params: dict[str, str], name: str) -> datetime | None:
    """An ISO 8601 bound; without an offset it is site-local time, as WordPress reads it."""
    raw = params.get(name)
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw.strip().replace(" ", "+"))
    except ValueError:
        raise _invalid(name, "rest_invalid_date", "Invalid date.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=WIB)


def _local(moment: datetime) -> str:
    return moment.astimezone(WIB).replace(tzinfo=None).isoformat()


def _gmt(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat()


# --- objects ----------------------------------------------------------------------------------


def _api(ctx: Context, route: str) -> str:
    return ctx.url("/wp-json" + route)


def _avatar(slug: str) -> dict[str, str]:
    digest = hashlib.md5(slug.encode()).hexdigest()  # noqa: S324 - a gravatar id, not security
    return {
        size: f"https://secure.gravatar.com/avatar/{digest}?s={size}&d=mm&r=g"
        for size in ("24", "48", "96")
    }


def user_object(ctx: Context, user: Term) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "url": "",
        "description": user.description,
        "link": ctx.url(f"/author/{user.slug}/"),
        "slug": user.slug,
        "avatar_urls": _avatar(user.slug),
        "meta": [],
        "_links": {
            "self": [{"href": _api(ctx, f"/wp/v2/users/{user.id}")}],
            "collection": [{"href": _api(ctx, "/wp/v2/users")}],
        },
    }


def term_object(ctx: Context, term: Term, taxonomy: str, full: bool) -> dict[str, Any]:
    route = "categories" if taxonomy == "category" else "tags"
    archive = "category" if taxonomy == "category" else "tag"
    data: dict[str, Any] = {"id": term.id}
    if full:
        posts = [
            p for p in ctx.posts if term.id in (p.categories if taxonomy == "category" else p.tags)
        ]
        data.update({"count": len(posts), "description": term.description})
    data.update(
        {
            "link": ctx.url(f"/{archive}/{term.slug}/"),
            "name": term.name,
            "slug": term.slug,
            "taxonomy": taxonomy,
        }
    )
    if full:
        if taxonomy == "category":
            data["parent"] = 0
        data["meta"] = []
    data["_links"] = {
        "self": [{"href": _api(ctx, f"/wp/v2/{route}/{term.id}")}],
        "collection": [{"href": _api(ctx, f"/wp/v2/{route}")}],
        "about": [{"href": _api(ctx, f"/wp/v2/taxonomies/{taxonomy}")}],
        "wp:post_type": [{"href": _api(ctx, f"/wp/v2/posts?{route}={term.id}")}],
        "curies": [{"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}],
    }
    return data


def media_object(ctx: Context, post: WpPost) -> dict[str, Any]:
    name = post.image.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    caption = f"<p>{post.image_caption}</p>\n" if post.image_caption else ""
    return {
        "id": post.featured_media,
        "date": _local(post.date),
        "slug": name,
        "type": "attachment",
        "link": ctx.url(f"{post.path}{name}/"),
        "title": {"rendered": name},
        "author": post.author,
        "featured_media": 0,
        "caption": {"rendered": caption},
        "alt_text": "",
        "media_type": "image",
        "mime_type": "image/jpeg",
        "media_details": {
            "width": 1200,
            "height": 675,
            "file": post.image.removeprefix("/wp-content/uploads/"),
            "sizes": {},
        },
        "source_url": ctx.url(post.image),
        "_links": {
            "self": [{"href": _api(ctx, f"/wp/v2/media/{post.featured_media}")}],
            "collection": [{"href": _api(ctx, "/wp/v2/media")}],
            "author": [{"embeddable": True, "href": _api(ctx, f"/wp/v2/users/{post.author}")}],
        },
    }


def post_object(ctx: Context, post: WpPost, embed: set[str] | None) -> dict[str, Any]:
    """A post in the REST 'view' context; ``embed`` names the _links to embed (None: none)."""
    pid = post.id
    info = ctx.info
    data: dict[str, Any] = {
        "id": pid,
        "date": _local(post.date),
        "date_gmt": _gmt(post.date),
        "guid": {"rendered": ctx.url(f"/?p={pid}")},
        "modified": _local(post.modified),
        "modified_gmt": _gmt(post.modified),
        "slug": post.slug,
        "status": "publish",
        "type": "post",
        "link": ctx.url(post.path),
        "title": {"rendered": title_html(post)},
        "content": {"rendered": content_html(ctx, post), "protected": False},
        "excerpt": {"rendered": excerpt_html(post), "protected": False},
        "author": post.author,
        "featured_media": post.featured_media,
        "comment_status": "open",
        "ping_status": "open",
        "sticky": False,
        "template": "",
        "format": "standard",
        "meta": {"footnotes": ""},
        "categories": list(post.categories),
        "tags": list(post.tags),
        "class_list": [
            f"post-{pid}",
            "post",
            "type-post",
            "status-publish",
            "format-standard",
            "has-post-thumbnail",
            "hentry",
        ]
        + [f"category-{info.categories[c].slug}" for c in post.categories]
        + [f"tag-{info.tags[t].slug}" for t in post.tags],
        "_links": {
            "self": [{"href": _api(ctx, f"/wp/v2/posts/{pid}")}],
            "collection": [{"href": _api(ctx, "/wp/v2/posts")}],
            "about": [{"href": _api(ctx, "/wp/v2/types/post")}],
            "author": [{"embeddable": True, "href": _api(ctx, f"/wp/v2/users/{post.author}")}],
            "replies": [{"embeddable": True, "href": _api(ctx, f"/wp/v2/comments?post={pid}")}],
            "version-history": [{"count": 1, "href": _api(ctx, f"/wp/v2/posts/{pid}/revisions")}],
            "wp:featuredmedia": [
                {"embeddable": True, "href": _api(ctx, f"/wp/v2/media/{post.featured_media}")}
            ],
            "wp:attachment": [{"href": _api(ctx, f"/wp/v2/media?parent={pid}")}],
            "wp:term": [
                {
                    "taxonomy": "category",
                    "embeddable": True,
                    "href": _api(ctx, f"/wp/v2/categories?post={pid}"),
                },
                {
                    "taxonomy": "post_tag",
                    "embeddable": True,
                    "href": _api(ctx, f"/wp/v2/tags?post={pid}"),
                },
            ],
            "curies": [{"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}],
        },
    }
    if embed is not None:
        embedded: dict[str, Any] = {}
        if not embed or "author" in embed:
            embedded["author"] = [user_object(ctx, info.users[post.author])]
        if not embed or "wp:featuredmedia" in embed:
            embedded["wp:featuredmedia"] = [media_object(ctx, post)]
        if not embed or "wp:term" in embed:
            embedded["wp:term"] = [
                [term_object(ctx, info.categories[c], "category", False) for c in post.categories],
                [term_object(ctx, info.tags[t], "post_tag", False) for t in post.tags],
            ]
        data["_embedded"] = embedded
    return data


def _embed_param(params: dict[str, str]) -> set[str] | None:
    """None: no embedding; empty set: embed everything; else the rels named."""
    if "_embed" not in params:
        return None
    raw = params["_embed"].strip()
    if raw in ("", "1", "true"):
        return set()
    return {rel.strip() for rel in raw.split(",") if rel.strip()}


def _only_fields(data: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
    raw = params.get("_fields")
    if not raw:
        return data
    wanted = {name.strip().split(".")[0] for name in raw.split(",")}
    return {k: v for k, v in data.items() if k in wanted}


# --- collections ------------------------------------------------------------------------------


def _sort_key(orderby: str, include: list[int] | None) -> Any:
    keys = {
        "date": lambda p: (p.date, p.id),
        "modified": lambda p: (p.modified, p.id),
        "id": lambda p: p.id,
        "slug": lambda p: p.slug,
        "title": lambda p: p.title.lower(),
        "author": lambda p: (p.author, p.date),
        "parent": lambda p: (0, p.date),
        "relevance": lambda p: (p.date, p.id),
        "include_slugs": lambda p: (p.date, p.id),
    }
    if orderby == "include" and include:
        return lambda p: include.index(p.id) if p.id in include else len(include)
    return keys.get(orderby, keys["date"])


def posts_collection(ctx: Context, params: dict[str, str]) -> Response:
    page = _integer(params, "page", 1, 1, 10**9)
    per_page = _integer(params, "per_page", 10, 1, 100)
    offset = _integer(params, "offset", -1, 0, 10**9)
    order = params.get("order", "desc")
    if order not in ("asc", "desc"):
        raise _invalid("order", "rest_not_in_enum", "order is not one of asc and desc.")
    orderby = params.get("orderby", "date")
    if orderby not in ORDERBY:
        listed = ", ".join(ORDERBY[:-1]) + ", and " + ORDERBY[-1]
        raise _invalid("orderby", "rest_not_in_enum", f"orderby is not one of {listed}.")
    search = params.get("search", "").strip().lower()
    if orderby == "relevance" and not search:
        raise RestError(
            400,
            "rest_no_search_term_defined",
            "You need to define a search term to order by relevance.",
        )
    bounds = {name: _date(params, name) for name in ("after", "before")}
    modified_bounds = {name: _date(params, f"modified_{name}") for name in ("after", "before")}
    include = _id_list(params, "include")
    exclude = _id_list(params, "exclude") or []
    categories = _id_list(params, "categories")
    tags = _id_list(params, "tags")
    slugs = [s for s in params.get("slug", "").split(",") if s]

    def keep(p: WpPost) -> bool:
        # WordPress date bounds are exclusive (its date_query 'inclusive' defaults to false).
        checks = [
            bounds["after"] is None or p.date > bounds["after"],
            bounds["before"] is None or p.date < bounds["before"],
            modified_bounds["after"] is None or p.modified > modified_bounds["after"],
            modified_bounds["before"] is None or p.modified < modified_bounds["before"],
            include is None or p.id in include,
            p.id not in exclude,
            categories is None or bool(set(categories) & set(p.categories)),
            tags is None or bool(set(tags) & set(p.tags)),
            not slugs or p.slug in slugs,
            not search or search in f"{p.title} {content_html(ctx, p)}".lower(),
        ]
        return all(checks)

    found = sorted(
        (p for p in ctx.posts if keep(p)),
        key=_sort_key(orderby, include),
        reverse=order == "desc" and orderby != "include",
    )
    total = len(found)
    max_pages = -(-total // per_page)
    if page > max_pages and total > 0:
        raise RestError(
            400,
            "rest_post_invalid_page_number",
            "The page number requested is larger than the number of pages available.",
        )
    start = offset if offset >= 0 else (page - 1) * per_page
    embed = _embed_param(params)
    items = [
        _only_fields(post_object(ctx, p, embed), params) for p in found[start : start + per_page]
    ]
    headers = [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(max_pages))]
    headers += _page_links(ctx, "/wp/v2/posts", params, page, max_pages)
    return wp_json(items, headers=headers)


def _page_links(
    ctx: Context, route: str, params: dict[str, str], page: int, max_pages: int
) -> list[tuple[str, str]]:
    def link(number: int, rel: str) -> tuple[str, str]:
        query = dict(params, page=str(number))
        return ("Link", f'<{_api(ctx, route)}?{urlencode(query)}>; rel="{rel}"')

    links = []
    if page > 1:
        links.append(link(min(page - 1, max_pages), "prev"))
    if max_pages > page:
        links.append(link(page + 1, "next"))
    return links


def _simple_collection(
    ctx: Context, route: str, items: list[dict[str, Any]], params: dict[str, str]
) -> Response:
    page = _integer(params, "page", 1, 1, 10**9)
    per_page = _integer(params, "per_page", 10, 1, 100)
    total = len(items)
    max_pages = -(-total // per_page)
    if page > max_pages and total > 0:
        raise RestError(
            400,
            "rest_invalid_page_number" if "users" not in route else "rest_user_invalid_page_number",
            "The page number requested is larger than the number of pages available.",
        )
    headers = [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(max_pages))]
    headers += _page_links(ctx, route, params, page, max_pages)
    return wp_json(items[(page - 1) * per_page : page * per_page], headers=headers)


def terms_collection(ctx: Context, taxonomy: str, params: dict[str, str]) -> Response:
    terms = ctx.info.categories if taxonomy == "category" else ctx.info.tags
    post_id = _id_list(params, "post")
    chosen = list(terms.values())
    if post_id:
        post = next((p for p in ctx.posts if p.id == post_id[0]), None)
        if post is None:
            raise RestError(404, "rest_post_invalid_id", "Invalid post ID.")
        wanted = post.categories if taxonomy == "category" else post.tags
        chosen = [terms[t] for t in wanted]
    chosen.sort(key=lambda t: t.name.lower())
    items = [term_object(ctx, t, taxonomy, True) for t in chosen]
    route = "/wp/v2/categories" if taxonomy == "category" else "/wp/v2/tags"
    return _simple_collection(ctx, route, items, params)


def index(ctx: Context) -> dict[str, Any]:
    return {
        "name": ctx.info.name,
        "description": ctx.info.description,
        "url": ctx.url(""),
        "home": ctx.url(""),
        "gmt_offset": "7",
        "timezone_string": "Asia/Jakarta",
        "namespaces": ["oembed/1.0", "wp/v2", "wp-site-health/v1"],
        "authentication": [],
        "routes": {
            route: {"namespace": "wp/v2", "methods": ["GET"]}
            for route in (
                "/wp/v2/posts",
                "/wp/v2/posts/(?P<id>[\\d]+)",
                "/wp/v2/categories",
                "/wp/v2/tags",
                "/wp/v2/users",
                "/wp/v2/media/(?P<id>[\\d]+)",
            )
        },
    }


def route(ctx: Context, rest_path: str, params: dict[str, str]) -> Response:
    """Answer a REST route (the part after ``/wp-json``) or its WordPress error."""
    try:
        return _route(ctx, rest_path or "/", params)
    except RestError as error:
        return error.response()


def _route(ctx: Context, rest_path: str, params: dict[str, str]) -> Response:
    path = rest_path.rstrip("/") or "/"
    if path == "/":
        return wp_json(index(ctx))
    if path == "/wp/v2/posts":
        return posts_collection(ctx, params)
    item = _POST_ITEM.match(path)
    if item:
        post = next((p for p in ctx.posts if p.id == int(item.group(1))), None)
        if post is None:
            raise RestError(404, "rest_post_invalid_id", "Invalid post ID.")
        data = _only_fields(post_object(ctx, post, _embed_param(params)), params)
        return wp_json(
            data, headers=[("Link", f'<{ctx.url(post.path)}>; rel="alternate"; type=text/html')]
        )
    if path == "/wp/v2/categories":
        return terms_collection(ctx, "category", params)
    if path == "/wp/v2/tags":
        return terms_collection(ctx, "post_tag", params)
    if path == "/wp/v2/users":
        users = [user_object(ctx, u) for u in ctx.info.users.values()]
        return _simple_collection(ctx, "/wp/v2/users", users, params)
    media = _MEDIA_ITEM.match(path)
    if media:
        post = next((p for p in ctx.posts if p.featured_media == int(media.group(1))), None)
        if post is None:
            raise RestError(404, "rest_post_invalid_id", "Invalid post ID.")
        return wp_json(media_object(ctx, post))
    raise RestError(404, "rest_no_route", "No route was found matching the URL and request method.")
