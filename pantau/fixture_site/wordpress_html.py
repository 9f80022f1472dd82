# ruff: noqa: E501  (markup lines stay whole so the rendered pages read like the real ones)
"""Templates of the WordPress site: a Jannah-like news theme, the RSS feed, core sitemaps.

Pure functions of a ``Context``; the REST API (wordpress_api.py) reuses ``content_html`` and
``excerpt_html`` so the API and the pages carry the same text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

from .model import esc, esc_text, long_date_id, plain_text, rfc822

if TYPE_CHECKING:
    from .wordpress import WpInfo, WpPost

EXCERPT_WORDS = 55  # WordPress's default excerpt length
# WordPress pages (not posts): linked from the footer, never articles.
STATIC_PAGES = {
    "/redaksi/": (
        "Redaksi",
        "Pemimpin Redaksi: Lilik Nur Hidayati. Redaktur: Ahmad Syaifuddin. Alamat redaksi: "
        "Jl. KH. Wahid Hasyim, Jombang, Jawa Timur.",
    ),
    "/pedoman-media-siber/": (
        "Pedoman Media Siber",
        "Kemerdekaan berpendapat, kemerdekaan berekspresi, dan kemerdekaan pers adalah hak asasi "
        "manusia yang dilindungi Pancasila, Undang-Undang Dasar 1945, dan Deklarasi Universal Hak "
        "Asasi Manusia PBB.",
    ),
}
_TAG = re.compile(r"(<[^>]*>)")


@dataclass
class Context:
    base: str
    external: str
    info: WpInfo
    posts: list[WpPost]  # newest first

    def url(self, path: str) -> str:
        return self.base + path

    def by_slug(self, slug: str) -> WpPost:
        return next(p for p in self.posts if p.slug == slug)


# --- text the WordPress way -------------------------------------------------------------------


def _texturize_text(text: str) -> str:
    text = re.sub(r'(^|[\s(\[])"', r"\1&#8220;", text)
    text = text.replace('"', "&#8221;")
    text = re.sub(r"(^|[\s(\[])'", r"\1&#8216;", text)
    text = text.replace("'", "&#8217;")
    text = text.replace(" - ", " &#8211; ").replace("...", "&#8230;")
    return text


def texturize(markup: str) -> str:
    """wptexturize's main rules on the text between tags: curly quotes, dashes, ellipses."""
    return "".join(
        part if part.startswith("<") else _texturize_text(part) for part in _TAG.split(markup)
    )


def content_paragraphs(post: WpPost) -> list[str]:
    """The post's text paragraphs as WordPress outputs them (texturized inline HTML)."""
    return [texturize(b.html) for b in post.blocks if b.kind == "p"]


def content_html(ctx: Context, post: WpPost) -> str:
    """``the_content`` output: what the theme shows in .entry-content and the API returns."""
    parts = []
    for slot, block in enumerate(post.blocks):
        if block.kind == "p":
            parts.append(f"<p>{texturize(block.html)}</p>")
        elif block.kind == "related":
            target = ctx.by_slug(block.ref)
            link = f'<a href="{ctx.url(target.path)}">{title_html(target)}</a>'
            if block.style == "inline":
                parts.append(f"<p><strong>Baca Juga: {link}</strong></p>")
            else:
                parts.append(
                    f'<div class="related-inline"><span class="related-title">Baca Juga</span><ul><li>{link}</li></ul></div>'
                )
        elif block.kind == "ad":
            parts.append(
                f'<div class="stream-item stream-item-in-post stream-item-inline-post aligncenter"><span class="stream-title">{esc(block.html)}</span><ins class="adsbygoogle" data-ad-slot="{slot}"></ins></div>'
            )
        elif block.kind == "figure":
            media = post.featured_media + 100 + slot
            parts.append(
                f'<figure id="attachment_{media}" aria-describedby="caption-attachment-{media}" style="width: 800px" class="wp-caption aligncenter">'
                f'<img loading="lazy" decoding="async" class="size-full wp-image-{media}" src="{ctx.url(block.ref)}" alt="" width="800" height="450" />'
                f'<figcaption id="caption-attachment-{media}" class="wp-caption-text">{esc(block.html)}</figcaption></figure>'
            )
        else:
            raise ValueError(f"unknown block kind {block.kind!r}")
    return "\n".join(parts) + "\n"


def excerpt_html(post: WpPost) -> str:
    words = " ".join(plain_text(p) for p in content_paragraphs(post)).split()
    text = " ".join(words[:EXCERPT_WORDS])
    more = " [&hellip;]" if len(words) > EXCERPT_WORDS else ""
    return f"<p>{esc_text(text)}{more}</p>\n"


def title_html(post: WpPost) -> str:
    return texturize(esc_text(post.title))


def display_title(post: WpPost) -> str:
    """The title as readers see it (curly quotes and all): og:title and JSON-LD agree with it."""
    return plain_text(title_html(post))


# --- theme ------------------------------------------------------------------------------------


def _head(ctx: Context, title: str, extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="id-ID" prefix="og: https://ogp.me/ns#">
<head>
	<meta charset="UTF-8" />
	<meta name="viewport" content="width=device-width, initial-scale=1.0" />
	<title>{title}</title>
{extra}	<link rel="alternate" type="application/rss+xml" title="{esc(ctx.info.name)} &raquo; Feed" href="{ctx.url("/feed/")}" />
	<link rel="stylesheet" id="tie-css-base-css" href="{ctx.url("/wp-content/themes/jannah/assets/css/base.min.css")}" type="text/css" media="all" />
	<link rel="https://api.w.org/" href="{ctx.url("/wp-json/")}" />
	<meta name="generator" content="WordPress {ctx.info.wp_version}" />
</head>
"""


def _header(ctx: Context, body_class: str) -> str:
    menu = "".join(
        f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category"><a href="{ctx.url(f"/category/{c.slug}/")}">{esc(c.name)}</a></li>'
        for c in ctx.info.categories.values()
    )
    return f"""<body class="{body_class}">
<div class="background-overlay">
<div id="tie-container" class="site tie-container">
<div id="tie-wrapper">
<header id="theme-header" class="theme-header header-layout-3 main-nav-dark main-nav-default-dark main-nav-below">
	<nav id="top-nav" class="has-date-breaking-components top-nav header-nav" aria-label="Secondary Navigation">
		<div class="topbar-today-date">{esc(ctx.info.description)}</div>
		<ul class="components"><li class="social-icons-item"><a class="social-link facebook-social-icon" rel="external noopener nofollow" href="https://www.facebook.com/nanjombangnews">Facebook</a></li></ul>
	</nav>
	<div class="container header-container">
		<div id="logo" class="image-logo"><a title="{esc(ctx.info.name)}" href="{ctx.url("/")}"><img src="{ctx.url("/wp-content/uploads/2022/05/logo-nanjombang.png")}" alt="{esc(ctx.info.name)}" /></a></div>
	</div>
	<div class="main-nav-wrapper"><nav id="main-nav" class="main-nav header-nav" aria-label="Primary Navigation">
		<ul id="menu-menu-utama" class="menu"><li class="menu-item menu-item-home"><a href="{ctx.url("/")}">Beranda</a></li>{menu}</ul>
	</nav></div>
</header>
<div id="content" class="site-content container"><div id="main-content-row" class="tie-row main-content-row">
"""


def _sidebar(ctx: Context) -> str:
    recent = "".join(
        f'<li class="widget-single-post-item widget-post-list"><div class="post-widget-body"><a class="post-title the-subtitle" href="{ctx.url(p.path)}">{title_html(p)}</a><div class="post-meta"><span class="date meta-item tie-icon">{long_date_id(p.date)}</span></div></div></li>'
        for p in ctx.posts[:5]
    )
    return f"""<aside class="sidebar tie-col-md-4 tie-col-xs-12 normal-side" aria-label="Primary Sidebar">
	<div id="posts-list-widget-2" class="container-wrapper widget posts-list"><div class="widget-title the-global-title"><div class="the-subtitle">Berita Terbaru</div></div><ul class="posts-list-items">{recent}</ul></div>
	<div id="stream-item-widget-3" class="widget stream-item-widget"><div class="stream-item-widget-content"><span class="stream-title">Iklan</span><ins class="adsbygoogle"></ins></div></div>
</aside>
"""


def _footer(ctx: Context) -> str:
    return f"""</div></div>
<footer id="footer" class="site-footer dark-skin dark-widgetized-area">
	<div id="site-info" class="site-info site-info-layout-2"><div class="container"><div class="tie-row"><div class="tie-col-md-12">
		<div class="copyright-text copyright-text-first">&copy; Copyright 2024, All Rights Reserved &nbsp;|&nbsp; {esc(ctx.info.name)}</div>
		<div class="footer-menu"><ul><li><a href="{ctx.url("/redaksi/")}">Redaksi</a></li><li><a href="{ctx.url("/pedoman-media-siber/")}">Pedoman Media Siber</a></li><li><a href="{ctx.external}/">Jaringan Media Siber</a></li></ul></div>
	</div></div></div></div>
</footer>
</div></div></div>
<script type="text/javascript" src="{ctx.url("/wp-content/themes/jannah/assets/js/scripts.min.js")}" id="tie-scripts-js"></script>
</body>
</html>
"""


def _post_card(ctx: Context, post: WpPost) -> str:
    category = ctx.info.categories[post.categories[0]]
    return f"""	<li class="post-item tie-standard">
		<a aria-label="{esc(display_title(post))}" href="{ctx.url(post.path)}" class="post-thumb"><span class="post-cat-wrap"><span class="post-cat tie-cat-{category.id}">{esc(category.name)}</span></span><img width="390" height="220" src="{ctx.url(post.image)}" class="attachment-jannah-image-large size-jannah-image-large wp-post-image" alt="" /></a>
		<div class="post-details">
			<div class="post-meta clearfix"><span class="author-meta single-author no-avatars"><span class="meta-item meta-author-wrapper"><span class="meta-author"><a href="{ctx.url(f"/author/{ctx.info.users[post.author].slug}/")}" class="author-name tie-icon">{esc(ctx.info.users[post.author].name)}</a></span></span></span><span class="date meta-item tie-icon">{long_date_id(post.date)}</span></div>
			<h2 class="post-title"><a href="{ctx.url(post.path)}">{title_html(post)}</a></h2>
			<p class="post-excerpt">{esc_text(plain_text(excerpt_html(post)))}</p>
		</div>
	</li>
"""


def _listing(ctx: Context, heading: str, posts: list[WpPost], nav: str = "") -> str:
    cards = "".join(_post_card(ctx, p) for p in posts) or "\t<li>Tidak ada pos.</li>\n"
    main = f"""<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">
<header class="entry-header-outer container-wrapper"><h1 class="page-title">{esc(heading)}</h1></header>
<div class="mag-box wide-post-box"><div class="container-wrapper"><div class="mag-box-container clearfix"><ul id="posts-container" class="posts-items">
{cards}</ul></div></div></div>
{nav}</div>
"""
    return main


def home_pages(ctx: Context) -> int:
    return max(1, -(-len(ctx.posts) // ctx.info.home_page_size))


def home(ctx: Context, number: int) -> str:
    size = ctx.info.home_page_size
    shown = ctx.posts[(number - 1) * size : number * size]
    nav = ""
    if number < home_pages(ctx):
        nav = f'<div class="pages-nav"><a class="next-page" href="{ctx.url(f"/page/{number + 1}/")}">Berikutnya</a></div>\n'
    title = f"{esc(ctx.info.name)} &#8211; {esc(ctx.info.description)}"
    extra = f'	<link rel="canonical" href="{ctx.url("/" if number == 1 else f"/page/{number}/")}" />\n'
    return (
        _head(ctx, title, extra)
        + _header(ctx, "home blog wp-embed-responsive")
        + _listing(ctx, "Berita Terbaru", shown, nav)
        + _sidebar(ctx)
        + _footer(ctx)
    )


def archive(ctx: Context, kind: str, slug: str) -> str | None:
    """Category, tag or author archive page, or None when the slug is unknown."""
    terms = {
        "category": ctx.info.categories,
        "tag": ctx.info.tags,
        "author": ctx.info.users,
    }[kind]
    term = next((t for t in terms.values() if t.slug == slug), None)
    if term is None:
        return None
    if kind == "category":
        posts = [p for p in ctx.posts if term.id in p.categories]
    elif kind == "tag":
        posts = [p for p in ctx.posts if term.id in p.tags]
    else:
        posts = [p for p in ctx.posts if p.author == term.id]
    title = f"{esc(term.name)} Archives - {esc(ctx.info.name)}"
    return (
        _head(ctx, title)
        + _header(ctx, f"archive {kind}")
        + _listing(ctx, term.name, posts)
        + _sidebar(ctx)
        + _footer(ctx)
    )


def static_page(ctx: Context, path: str) -> str:
    title, text = STATIC_PAGES[path]
    main = f"""<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">
<article id="the-post" class="container-wrapper post-content tie-standard">
	<header class="entry-header-outer"><div class="entry-header"><h1 class="post-title entry-title">{esc(title)}</h1></div></header>
	<div class="entry-content entry clearfix"><p>{esc(text)}</p></div>
</article>
</div>
"""
    return (
        _head(
            ctx,
            f"{esc(title)} - {esc(ctx.info.name)}",
            f'<link rel="canonical" href="{ctx.url(path)}" />\n',
        )
        + _header(ctx, "page-template-default page")
        + main
        + _sidebar(ctx)
        + _footer(ctx)
    )


def not_found(ctx: Context) -> str:
    main = '<div class="main-content tie-col-md-8" role="main"><div class="container-wrapper"><h2>Oops! Halaman tidak ditemukan</h2></div></div>\n'
    return (
        _head(ctx, f"Halaman tidak ditemukan - {esc(ctx.info.name)}")
        + _header(ctx, "error404")
        + main
        + _sidebar(ctx)
        + _footer(ctx)
    )


def _schema(ctx: Context, post: WpPost) -> str:
    """Rank Math style JSON-LD: a @graph whose article node is a BlogPosting."""
    url = ctx.url(post.path)
    user = ctx.info.users[post.author]
    person_id = ctx.url(f"/author/{user.slug}/")
    graph: list[dict[str, Any]] = [
        {
            "@type": ["Person", "Organization"],
            "@id": ctx.url("/#person"),
            "name": ctx.info.name,
        },
        {
            "@type": "WebSite",
            "@id": ctx.url("/#website"),
            "url": ctx.url("/"),
            "name": ctx.info.name,
            "inLanguage": "id",
        },
        {
            "@type": "ImageObject",
            "@id": ctx.url(post.image),
            "url": ctx.url(post.image),
            "width": "1200",
            "height": "675",
            "inLanguage": "id",
        },
        {
            "@type": "WebPage",
            "@id": url + "#webpage",
            "url": url,
            "name": display_title(post),
            "datePublished": post.date.isoformat(),
            "dateModified": post.modified.isoformat(),
            "isPartOf": {"@id": ctx.url("/#website")},
            "primaryImageOfPage": {"@id": ctx.url(post.image)},
            "inLanguage": "id",
        },
        {"@type": "Person", "@id": person_id, "name": user.name, "url": person_id},
        {
            "@type": "BlogPosting",
            "headline": display_title(post),
            "datePublished": post.date.isoformat(),
            "dateModified": post.modified.isoformat(),
            "articleSection": ", ".join(ctx.info.categories[c].name for c in post.categories),
            "author": {"@id": person_id, "name": user.name},
            "publisher": {"@id": ctx.url("/#person")},
            "description": plain_text(excerpt_html(post))[:160],
            "name": display_title(post),
            "@id": url + "#richSnippet",
            "isPartOf": {"@id": url + "#webpage"},
            "image": {"@id": ctx.url(post.image)},
            "inLanguage": "id",
            "mainEntityOfPage": {"@id": url + "#webpage"},
        },
    ]
    data = {"@context": "https://schema.org", "@graph": graph}
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json" class="rank-math-schema">{text}</script>\n'


def _post_head(ctx: Context, post: WpPost) -> str:
    url = ctx.url(post.path)
    description = esc(plain_text(excerpt_html(post))[:160])
    tags = "".join(
        f'<meta property="article:tag" content="{esc(ctx.info.tags[t].name)}" />\n'
        for t in post.tags
    )
    return f"""<meta name="description" content="{description}"/>
<meta name="robots" content="follow, index, max-snippet:-1, max-video-preview:-1, max-image-preview:large"/>
<link rel="canonical" href="{url}" />
<meta property="og:locale" content="id_ID" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{esc(display_title(post))}" />
<meta property="og:description" content="{description}" />
<meta property="og:url" content="{url}" />
<meta property="og:site_name" content="{esc(ctx.info.name)}" />
{tags}<meta property="article:section" content="{esc(ctx.info.categories[post.categories[0]].name)}" />
<meta property="og:updated_time" content="{post.modified.isoformat()}" />
<meta property="og:image" content="{ctx.url(post.image)}" />
<meta property="og:image:width" content="1200" />
<meta property="og:image:height" content="675" />
<meta property="article:published_time" content="{post.date.isoformat()}" />
<meta property="article:modified_time" content="{post.modified.isoformat()}" />
<meta name="twitter:card" content="summary_large_image" />
<meta name="twitter:title" content="{esc(display_title(post))}" />
{_schema(ctx, post)}<link rel="alternate" type="application/json" href="{ctx.url(f"/wp-json/wp/v2/posts/{post.id}")}" />
<link rel="shortlink" href="{ctx.url(f"/?p={post.id}")}" />
"""


def _share(ctx: Context, post: WpPost, where: str) -> str:
    url = ctx.url(post.path)
    return f"""<div id="share-buttons-{where}" class="share-buttons share-buttons-{where}"><div class="share-links">
	<a href="https://www.facebook.com/sharer.php?u={url}" rel="external noopener nofollow" title="Facebook" target="_blank" class="facebook-share-btn large-share-button"><span class="share-btn-icon tie-icon-facebook"></span> <span class="social-text">Facebook</span></a>
	<a href="https://twitter.com/intent/tweet?text={esc(display_title(post))}&#038;url={url}" rel="external noopener nofollow" title="X" target="_blank" class="twitter-share-btn large-share-button"><span class="share-btn-icon tie-icon-twitter"></span> <span class="social-text">X</span></a>
	<a href="https://api.whatsapp.com/send?text={esc(display_title(post))}%20{url}" rel="external noopener nofollow" title="WhatsApp" target="_blank" class="whatsapp-share-btn"><span class="share-btn-icon tie-icon-whatsapp"></span> <span class="screen-reader-text">WhatsApp</span></a>
	<a href="https://telegram.me/share/url?url={url}" rel="external noopener nofollow" title="Telegram" target="_blank" class="telegram-share-btn"><span class="share-btn-icon tie-icon-paper-plane"></span> <span class="screen-reader-text">Telegram</span></a>
</div></div>
"""


def _check_also(ctx: Context, post: WpPost) -> str:
    if not post.check_also:
        return ""
    other = ctx.by_slug(post.check_also)
    return f"""	<div id="check-also-box" class="container-wrapper check-also-right">
		<div class="widget-title the-global-title"><div class="the-subtitle">Check Also</div><a href="#" id="check-also-close" class="remove"><span class="screen-reader-text">Close</span></a></div>
		<div class="widget posts-list-big-first has-first-big-post"><ul class="posts-list-items">
			<li class="widget-single-post-item widget-post-list tie-standard">
				<div class="post-widget-thumbnail"><a aria-label="{esc(other.title)}" href="{ctx.url(other.path)}" class="post-thumb"><img width="390" height="220" src="{ctx.url(other.image)}" class="attachment-jannah-image-large size-jannah-image-large wp-post-image" alt="" /></a></div>
				<div class="post-widget-body"><a class="post-title the-subtitle" href="{ctx.url(other.path)}">{title_html(other)}</a>
					<div class="post-meta"><span class="date meta-item tie-icon">{long_date_id(other.date)}</span></div>
				</div>
				<p class="post-excerpt">{esc_text(plain_text(excerpt_html(other))[:100])} &hellip;</p>
			</li>
		</ul></div>
	</div>
"""


def post(ctx: Context, post: WpPost) -> str:
    user = ctx.info.users[post.author]
    category = ctx.info.categories[post.categories[0]]
    cats = "".join(
        f'<a class="post-cat tie-cat-{c}" href="{ctx.url(f"/category/{ctx.info.categories[c].slug}/")}">{esc(ctx.info.categories[c].name)}</a>'
        for c in post.categories
    )
    tags = "".join(
        f'<a href="{ctx.url(f"/tag/{ctx.info.tags[t].slug}/")}" rel="tag">{esc(ctx.info.tags[t].name)}</a>'
        for t in post.tags
    )
    caption = (
        f'<figcaption class="single-caption-text"><span class="tie-icon-camera" aria-hidden="true"></span> {esc(post.image_caption)}</figcaption>'
        if post.image_caption
        else ""
    )
    main = f"""<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">
<article id="the-post" class="container-wrapper post-content tie-standard">
	<header class="entry-header-outer">
		<nav id="breadcrumb"><a href="{ctx.url("/")}"><span class="tie-icon-home" aria-hidden="true"></span> Beranda</a><em class="delimiter">/</em><a href="{ctx.url(f"/category/{category.slug}/")}">{esc(category.name)}</a><em class="delimiter">/</em><span class="current">{title_html(post)}</span></nav>
		<div class="entry-header">
			<span class="post-cat-wrap">{cats}</span>
			<h1 class="post-title entry-title">{title_html(post)}</h1>
			<div class="single-post-meta post-meta clearfix">
				<span class="author-meta single-author no-avatars"><span class="meta-item meta-author-wrapper meta-author-{user.id}"><span class="meta-author"><a href="{ctx.url(f"/author/{user.slug}/")}" class="author-name tie-icon" title="{esc(user.name)}">{esc(user.name)}</a></span></span></span>
				<span class="date meta-item tie-icon"><time class="entry-date published" datetime="{post.date.isoformat()}">{long_date_id(post.date)}</time></span>
				<time class="updated" datetime="{post.modified.isoformat()}" hidden>{long_date_id(post.modified)}</time>
				<div class="tie-alignright"><span class="meta-views meta-item"><span class="tie-icon-fire" aria-hidden="true"></span> 1.024 </span><span class="meta-reading-time meta-item"><span class="tie-icon-bookmark" aria-hidden="true"></span> 2 menit</span></div>
			</div>
		</div>
	</header>
	<div class="featured-area"><div class="featured-area-inner"><figure class="single-featured-image"><img width="780" height="439" src="{ctx.url(post.image)}" class="attachment-jannah-image-post size-jannah-image-post wp-post-image" alt="" decoding="async" fetchpriority="high" />{caption}</figure></div></div>
{_share(ctx, post, "top")}	<div class="entry-content entry clearfix">
{content_html(ctx, post)}	</div>
{_check_also(ctx, post)}	<div class="post-bottom-meta post-bottom-tags post-tags-modern"><div class="post-bottom-meta-title"><span class="tie-icon-tags" aria-hidden="true"></span> Tags</div><span class="tagcloud">{tags}</span></div>
{_share(ctx, post, "bottom")}</article>
<div class="post-components"><div id="comments" class="comments-area"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title the-global-title">Tinggalkan Balasan</h3></div></div></div>
</div>
"""
    body_class = f"post-template-default single single-post postid-{post.id} single-format-standard"
    return (
        _head(ctx, f"{title_html(post)} - {esc(ctx.info.name)}", _post_head(ctx, post))
        + _header(ctx, body_class)
        + main
        + _sidebar(ctx)
        + _footer(ctx)
    )


# --- machine-readable -------------------------------------------------------------------------


def robots(ctx: Context) -> str:
    return f"""User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php

Sitemap: {ctx.url("/wp-sitemap.xml")}
"""


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def feed(ctx: Context) -> str:
    items = []
    for p in ctx.posts[: ctx.info.feed_size]:
        names = [ctx.info.categories[c].name for c in p.categories] + [
            ctx.info.tags[t].name for t in p.tags
        ]
        categories = "".join(f"\t\t<category>{_cdata(name)}</category>\n" for name in names)
        items.append(
            f"""	<item>
		<title>{title_html(p)}</title>
		<link>{ctx.url(p.path)}</link>
		<comments>{ctx.url(p.path)}#respond</comments>
		<dc:creator>{_cdata(ctx.info.users[p.author].name)}</dc:creator>
		<pubDate>{rfc822(p.date.astimezone(UTC))}</pubDate>
{categories}		<guid isPermaLink="false">{ctx.url(f"/?p={p.id}")}</guid>

		<description>{_cdata(excerpt_html(p).strip().removeprefix("<p>").removesuffix("</p>"))}</description>
		<content:encoded>{_cdata(content_html(ctx, p))}</content:encoded>
		<wfw:commentRss>{ctx.url(p.path)}feed/</wfw:commentRss>
		<slash:comments>0</slash:comments>
	</item>
"""
        )
    newest = max(p.modified for p in ctx.posts).astimezone(UTC)
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>{esc(ctx.info.name)}</title>
	<atom:link href="{ctx.url("/feed/")}" rel="self" type="application/rss+xml" />
	<link>{ctx.url("")}</link>
	<description>{esc(ctx.info.description)}</description>
	<lastBuildDate>{rfc822(newest)}</lastBuildDate>
	<language>id</language>
	<sy:updatePeriod>
	hourly	</sy:updatePeriod>
	<sy:updateFrequency>
	1	</sy:updateFrequency>
	<generator>https://wordpress.org/?v={ctx.info.wp_version}</generator>
{"".join(items)}</channel>
</rss>
"""


def _w3c_gmt(post: WpPost) -> str:
    return post.modified.astimezone(UTC).isoformat()


def sitemap(ctx: Context, path: str) -> str | None:
    """A WordPress core sitemap (index, posts, categories, tags, users) or None."""
    if path == "/wp-sitemap.xml":
        names = [
            "posts-post-1",
            "taxonomies-category-1",
            "taxonomies-post_tag-1",
            "users-1",
        ]
        entries = "".join(
            f"<sitemap><loc>{ctx.url(f'/wp-sitemap-{name}.xml')}</loc></sitemap>" for name in names
        )
        return _sitemap_doc(ctx, "wp-sitemap-index.xsl", "sitemapindex", entries)
    if path == "/wp-sitemap-posts-post-1.xml":
        posts = sorted(ctx.posts, key=lambda p: p.id)
        entries = "".join(
            f"<url><loc>{ctx.url(p.path)}</loc><lastmod>{_w3c_gmt(p)}</lastmod></url>"
            for p in posts
        )
        return _sitemap_doc(ctx, "wp-sitemap.xsl", "urlset", entries)
    archives = {
        "/wp-sitemap-taxonomies-category-1.xml": ("category", ctx.info.categories),
        "/wp-sitemap-taxonomies-post_tag-1.xml": ("tag", ctx.info.tags),
        "/wp-sitemap-users-1.xml": ("author", ctx.info.users),
    }
    if path in archives:
        kind, terms = archives[path]
        entries = "".join(
            f"<url><loc>{ctx.url(f'/{kind}/{t.slug}/')}</loc></url>" for t in terms.values()
        )
        return _sitemap_doc(ctx, "wp-sitemap.xsl", "urlset", entries)
    return None


def _sitemap_doc(ctx: Context, stylesheet: str, root: str, entries: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<?xml-stylesheet type="text/xsl" href="{ctx.url("/" + stylesheet)}" ?>\n'
        f'<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</{root}>\n'
    )
