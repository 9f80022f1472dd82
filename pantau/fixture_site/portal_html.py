# ruff: noqa: E501  (markup lines stay whole so the rendered pages read like the real ones)
"""Templates of the portal: HTML pages, RSS, sitemaps and robots.txt in Republika's style.

Every function takes a ``Context`` (the site root URL and the article list) and returns text;
nothing here reads files or keeps state, so the recorded copies can be re-rendered exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from .model import (
    MONTHS_ID,
    Block,
    esc,
    printed_date,
    rfc822,
    slugify,
    split_pages,
    summary,
)

if TYPE_CHECKING:
    from .portal import PortalArticle, PortalInfo

MAX_PER_BOX = 6


@dataclass
class Context:
    base: str  # site root URL without trailing slash
    external: str  # root URL of a host the crawler must not follow
    info: PortalInfo
    articles: list[PortalArticle]  # newest first
    traps: dict[str, str]

    def url(self, path: str) -> str:
        return self.base + path

    def by_id(self, article_id: str) -> PortalArticle:
        return next(a for a in self.articles if a.id == article_id)


# --- page frame -------------------------------------------------------------------------------


def _head(ctx: Context, title: str, extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="alternate" type="application/rss+xml" title="{esc(ctx.info.name)}" href="{ctx.url("/rss")}">
<link rel="icon" href="{ctx.url("/files/images/favicon.png")}">
<link rel="stylesheet" href="{ctx.url("/files/css/style.min.css")}">
{extra}<script>window.googletag = window.googletag || {{cmd: []}};</script>
</head>
"""


def _header(ctx: Context) -> str:
    menu = "\n".join(
        f'      <li><a href="{ctx.url("/kanal/" + slug)}">{esc(name)}</a></li>'
        for slug, name in ctx.info.sections.items()
    )
    return f"""<body>
<header class="header">
  <div class="top-bar">
    <span class="date-now">Republika Online</span>
    <a class="top-link" href="{ctx.url("/rss")}">RSS</a>
  </div>
  <div class="logo"><a href="{ctx.url("/")}"><img src="{ctx.url("/files/images/logo.png")}" alt="{esc(ctx.info.name)}"></a></div>
  <form class="search-form" action="{ctx.url("/search")}" method="get"><input type="text" name="q" placeholder="Cari berita"><button type="submit">Cari</button></form>
  <nav class="main-menu">
    <ul>
      <li><a href="{ctx.url("/")}">Home</a></li>
{menu}
      <li><a href="{ctx.url("/indeks")}">Indeks</a></li>
    </ul>
  </nav>
</header>
<div class="ads ads-leaderboard"><div id="div-gpt-ad-leaderboard">ADVERTISEMENT</div></div>
"""


def _sidebar(ctx: Context) -> str:
    t = ctx.traps
    popular = [
        (t["oversize"], "Galeri Foto: Kampanye Akbar Jelang Pemilu 2024"),
        (t["no_content"], "Pemilu 2024: Pembaruan Terkini"),
        (t["redirect_into_loop"], "Berita Pemilu Pindah Alamat"),
    ] + [(a.path, a.title) for a in ctx.articles[:3]]
    items = "\n".join(
        f'      <li><a href="{ctx.url(path)}">{esc(title)}</a></li>' for path, title in popular
    )
    return f"""  <aside class="sidebar">
    <div class="ads ads-300x250"><div id="div-gpt-ad-sidebar">ADVERTISEMENT</div></div>
    <h3 class="sidebar-title">Terpopuler</h3>
    <ol class="popular">
{items}
    </ol>
    <h3 class="sidebar-title">Dokumen</h3>
    <p><a href="{ctx.url(t["pdf"])}">Unduh: Indeks Kerawanan Pemilu 2024 (PDF)</a></p>
  </aside>
"""


def _footer(ctx: Context) -> str:
    return f"""<footer class="footer">
  <ul class="footer-links">
    <li><a href="{ctx.url("/indeks")}">Indeks Berita</a></li>
    <li><a href="{ctx.url(ctx.traps["calendar"])}">Arsip</a></li>
    <li><a href="{ctx.url("/rss")}">RSS</a></li>
    <li><a href="{ctx.url("/sitemap.xml")}">Sitemap</a></li>
    <li><a href="{ctx.external}/">Mitra: Portal Info Pemilu</a></li>
    <li><a href="https://www.facebook.com/RepublikaOnline">Facebook</a></li>
    <li><a href="https://twitter.com/republikaonline">Twitter</a></li>
  </ul>
  <p class="copyright">Copyright &copy; 2024 Republika Online. All rights reserved.</p>
</footer>
</body>
</html>
"""


def _frame(ctx: Context, title: str, main: str, head_extra: str = "") -> str:
    return (
        _head(ctx, title, head_extra)
        + _header(ctx)
        + '<main class="main-wrapper">\n'
        + main
        + _sidebar(ctx)
        + "</main>\n"
        + _footer(ctx)
    )


# --- listings ---------------------------------------------------------------------------------


def _list_items(ctx: Context, articles: list[PortalArticle]) -> str:
    if not articles:
        return '    <p class="empty">Tidak ada berita.</p>\n'
    items = []
    for a in articles:
        items.append(
            f"""      <li class="list-item">
        <div class="item-img"><a href="{ctx.url(a.path)}"><img src="{ctx.url(a.image)}" alt="{esc(a.title)}"></a></div>
        <div class="item-text">
          <span class="kanal"><a href="{ctx.url("/kanal/" + a.section)}">{esc(ctx.info.sections[a.section])}</a></span>
          <h3><a href="{ctx.url(a.path)}">{esc(a.title)}</a></h3>
          <span class="date">{esc(printed_date(a.published, "short"))}</span>
        </div>
      </li>"""
        )
    return '    <ul class="list-berita">\n' + "\n".join(items) + "\n    </ul>\n"


def home(ctx: Context) -> str:
    lead = ctx.articles[0]
    boxes = []
    for slug, name in ctx.info.sections.items():
        in_section = [a for a in ctx.articles if a.section == slug][:2]
        if in_section:
            boxes.append(
                f'  <section class="kanal-box">\n    <h2><a href="{ctx.url("/kanal/" + slug)}">'
                f"{esc(name)}</a></h2>\n" + _list_items(ctx, in_section) + "  </section>\n"
            )
    main = f"""  <section class="headline">
    <a href="{ctx.url(lead.path)}"><img src="{ctx.url(lead.image)}" alt="{esc(lead.title)}"></a>
    <h1><a href="{ctx.url(lead.path)}">{esc(lead.title)}</a></h1>
    <p>{esc(summary(lead.blocks, 20))}</p>
  </section>
  <section class="terkini">
    <h2>Berita Terkini</h2>
{_list_items(ctx, ctx.articles[:MAX_PER_BOX])}    <a class="more" href="{ctx.url("/indeks")}">Indeks Berita</a>
    <a class="more" href="{ctx.url(ctx.traps["robots_disallowed"])}">Cari: pemilu 2024</a>
  </section>
""" + "".join(boxes)
    extra = f"""<meta name="description" content="{esc(ctx.info.description)}">
<link rel="canonical" href="{ctx.url("/")}">
<meta property="og:type" content="website">
<meta property="og:title" content="{esc(ctx.info.name)}">
<meta property="og:url" content="{ctx.url("/")}">
"""
    return _frame(ctx, f"{ctx.info.name} - {ctx.info.description}", main, extra)


def index(ctx: Context, number: int) -> str:
    size = ctx.info.index_page_size
    last = max(1, -(-len(ctx.articles) // size))
    shown = ctx.articles[(number - 1) * size : number * size]
    links = []
    if number > 1:
        links.append(_index_link(ctx, number - 1, "Sebelumnya", "prev"))
    for n in range(1, last + 1):
        links.append(
            f'<span class="active">{n}</span>' if n == number else _index_link(ctx, n, str(n))
        )
    if number < last:
        links.append(_index_link(ctx, number + 1, "Selanjutnya", "next"))
    head = f'<link rel="canonical" href="{ctx.url(_index_path(number))}">\n'
    if number < last:
        head += f'<link rel="next" href="{ctx.url(_index_path(number + 1))}">\n'
    main = f"""  <section class="indeks">
    <h1>Indeks Berita</h1>
    <div class="date-filter"><a href="{ctx.url(ctx.traps["calendar"])}">Pilih tanggal</a></div>
{_list_items(ctx, shown)}    <div class="pagination">{" ".join(links)}</div>
  </section>
"""
    suffix = f" - Halaman {number}" if number > 1 else ""
    return _frame(ctx, f"Indeks Berita{suffix} | {ctx.info.name}", main, head)


def _index_path(number: int) -> str:
    return "/indeks" if number == 1 else f"/indeks?page={number}"


def _index_link(ctx: Context, number: int, label: str, rel: str = "") -> str:
    rel_attr = f' rel="{rel}"' if rel else ""
    css = f' class="{rel}"' if rel else ""
    return f'<a href="{ctx.url(_index_path(number))}"{css}{rel_attr}>{label}</a>'


def _listing(ctx: Context, heading: str, articles: list[PortalArticle]) -> str:
    main = f"""  <section class="kanal-list">
    <h1>{esc(heading)}</h1>
{_list_items(ctx, articles)}  </section>
"""
    return _frame(ctx, f"{heading} | {ctx.info.name}", main)


def section(ctx: Context, slug: str) -> str:
    name = ctx.info.sections[slug]
    return _listing(ctx, name, [a for a in ctx.articles if a.section == slug])


def tag(ctx: Context, name: str) -> str:
    return _listing(ctx, f"Topik: {name}", [a for a in ctx.articles if name in a.tags])


def search(ctx: Context, query: str) -> str:
    words = query.lower().split()
    found = [a for a in ctx.articles if words and all(w in a.title.lower() for w in words)]
    return _listing(ctx, f"Hasil pencarian: {query}", found)


def archive(ctx: Context, day: date, before: date, after: date) -> str:
    """A calendar page; it links to the next day whatever the date, which is the trap."""
    shown = [a for a in ctx.articles if a.published.date() == day]
    main = f"""  <section class="arsip">
    <h1>Arsip {day.day} {MONTHS_ID[day.month - 1]} {day.year}</h1>
{_list_items(ctx, shown)}    <div class="arsip-nav">
      <a href="{ctx.url(f"/arsip/{before:%Y/%m/%d}")}" class="prev">&laquo; Hari sebelumnya</a>
      <a href="{ctx.url(f"/arsip/{after:%Y/%m/%d}")}" class="next">Hari berikutnya &raquo;</a>
    </div>
  </section>
"""
    return _frame(ctx, f"Arsip {day:%d/%m/%Y} | {ctx.info.name}", main)


def not_found(ctx: Context) -> str:
    main = '  <section class="error"><h1>Halaman tidak ditemukan</h1></section>\n'
    return _frame(ctx, f"404 | {ctx.info.name}", main)


# --- article ----------------------------------------------------------------------------------


def _jsonld(ctx: Context, a: PortalArticle) -> str:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": ctx.url(a.path)},
        "headline": a.title,
        "description": summary(a.blocks),
        "image": {"@type": "ImageObject", "url": ctx.url(a.image), "width": 780, "height": 390},
        "datePublished": a.published.isoformat(),
        "dateModified": a.modified.isoformat(),
        "author": [{"@type": "Person", "name": name} for name in a.reporters],
        "editor": {"@type": "Person", "name": a.editor},
        "publisher": {
            "@type": "Organization",
            "name": ctx.info.name,
            "logo": {"@type": "ImageObject", "url": ctx.url("/files/images/logo.png")},
        },
        "articleSection": ctx.info.sections[a.section],
        "keywords": a.tags,
        "inLanguage": a.language,
    }
    crumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": ctx.url("/")},
            {
                "@type": "ListItem",
                "position": 2,
                "name": ctx.info.sections[a.section],
                "item": ctx.url("/kanal/" + a.section),
            },
        ],
    }
    return "".join(
        '<script type="application/ld+json">'
        + json.dumps(block, ensure_ascii=False).replace("</", "<\\/")
        + "</script>\n"
        for block in (data, crumbs)
    )


def _article_head(ctx: Context, a: PortalArticle, page_paths: list[str], part: int) -> str:
    canonical = ctx.url(page_paths[part - 1] if a.split == "part" else a.path)
    lines = [
        f'<meta name="description" content="{esc(summary(a.blocks))}">',
        f'<meta name="keywords" content="{esc(", ".join(a.tags))}">',
        '<meta name="robots" content="index, follow, max-image-preview:large">',
        f'<link rel="canonical" href="{canonical}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{esc(a.title)}">',
        f'<meta property="og:description" content="{esc(summary(a.blocks))}">',
        f'<meta property="og:url" content="{ctx.url(a.path)}">',
        f'<meta property="og:image" content="{ctx.url(a.image)}">',
        f'<meta property="og:site_name" content="{esc(ctx.info.name)}">',
        '<meta name="twitter:card" content="summary_large_image">',
    ]
    if a.date_meta:
        lines += [
            f'<meta property="article:published_time" content="{a.published.isoformat()}">',
            f'<meta property="article:modified_time" content="{a.modified.isoformat()}">',
            f'<meta property="article:section" content="{esc(ctx.info.sections[a.section])}">',
        ] + [f'<meta property="article:tag" content="{esc(t)}">' for t in a.tags]
    if a.split == "query":
        if part > 1:
            lines.append(f'<link rel="prev" href="{ctx.url(page_paths[part - 2])}">')
        if part < len(page_paths):
            lines.append(f'<link rel="next" href="{ctx.url(page_paths[part])}">')
    head = "\n".join(lines) + "\n"
    return head + (_jsonld(ctx, a) if a.jsonld else "")


def _byline(a: PortalArticle) -> str:
    names = esc(", ".join(a.reporters))
    if a.byline == "short":
        return f'  <div class="author-info">Rep: {names}/ Red: {esc(a.editor)}</div>\n'
    return (
        f'  <div class="author-info">\n    <div class="reporter">Reporter: {names}</div>\n'
        f'    <div class="redaktur">Redaktur: {esc(a.editor)}</div>\n  </div>\n'
    )


def _share(ctx: Context, a: PortalArticle, where: str) -> str:
    url = ctx.url(a.path)
    return f"""  <div class="share-box share-{where}">
    <span class="share-label">Bagikan</span>
    <a class="share-fb" href="https://www.facebook.com/sharer/sharer.php?u={url}">Facebook</a>
    <a class="share-x" href="https://twitter.com/intent/tweet?url={url}">X</a>
    <a class="share-wa" href="https://api.whatsapp.com/send?text={url}">WhatsApp</a>
    <a class="share-tg" href="https://t.me/share/url?url={url}">Telegram</a>
    <button class="copy-link" data-url="{url}">Salin Tautan</button>
  </div>
"""


def _block(ctx: Context, block: Block, slot: int) -> str:
    if block.kind == "p":
        return f"<p>{block.html}</p>"
    if block.kind == "related":
        target = ctx.by_id(block.ref)
        link = f'<a href="{ctx.url(target.path)}">{esc(target.title)}</a>'
        if block.style == "inline":
            return f"<p><strong>Baca Juga:</strong> {link}</p>"
        return (
            '<div class="baca-juga"><p class="baca-juga-title">Baca Juga:</p>'
            f"<ul><li>{link}</li></ul></div>"
        )
    if block.kind == "ad":
        return (
            f'<div class="ads-on-body"><div class="ads-label">ADVERTISEMENT</div>'
            f'<div id="div-gpt-ad-{esc(block.html)}-{slot}"></div>'
            '<div class="scroll-label">SCROLL TO CONTINUE WITH CONTENT</div></div>'
        )
    if block.kind == "figure":
        return (
            f'<figure class="caption-in"><img src="{ctx.url(block.ref)}" alt="">'
            f"<figcaption>{esc(block.html)}</figcaption></figure>"
        )
    raise ValueError(f"unknown block kind {block.kind!r}")


def _pagination(ctx: Context, a: PortalArticle, page_paths: list[str], part: int) -> str:
    count = len(page_paths)
    if count == 1:
        return ""
    if a.split == "query":
        items = []
        if part > 1:
            items.append(
                f'<li><a class="prev" href="{ctx.url(page_paths[part - 2])}">Sebelumnya</a></li>'
            )
        for n in range(1, count + 1):
            items.append(
                f'<li class="active"><span>{n}</span></li>'
                if n == part
                else f'<li><a href="{ctx.url(page_paths[n - 1])}">{n}</a></li>'
            )
        if part < count:
            items.append(
                f'<li><a class="next" href="{ctx.url(page_paths[part])}">Selanjutnya</a></li>'
            )
        return f'  <div class="pagination-detail"><ul>{"".join(items)}</ul></div>\n'
    links = [
        f'<span class="current">Halaman {n}</span>'
        if n == part
        else f'<a href="{ctx.url(page_paths[n - 1])}">Halaman {n}</a>'
        for n in range(1, count + 1)
    ]
    if part < count:
        links.append(f'<a class="next" href="{ctx.url(page_paths[part])}">Halaman Selanjutnya</a>')
    return f'  <div class="halaman">{" ".join(links)}</div>\n'


def article(ctx: Context, a: PortalArticle, part: int) -> str:
    paths = a.page_paths()
    blocks = split_pages(a.blocks)[part - 1]
    section_name = ctx.info.sections[a.section]
    body = "\n    ".join(_block(ctx, b, i) for i, b in enumerate(blocks))
    tags = " ".join(f'<a href="{ctx.url("/tag/" + slugify(t))}">{esc(t)}</a>' for t in a.tags)
    related = [x for x in ctx.articles if x.id != a.id and x.section == a.section][:3]
    related_items = "".join(
        f'<li><a href="{ctx.url(x.path)}">{esc(x.title)}</a></li>' for x in related
    )
    figure = ""
    if part == 1:
        figure = f"""  <figure class="main-img">
    <img src="{ctx.url(a.image)}" alt="{esc(a.title)}">
    <figcaption class="caption">{esc(a.caption)}</figcaption>
  </figure>
"""
    main = f"""  <div class="breadcrumb"><a href="{ctx.url("/")}">Home</a> <span>&gt;</span> <a href="{ctx.url("/kanal/" + a.section)}">{esc(section_name)}</a></div>
  <article class="main-content">
  <div class="max-card__title"><h1>{esc(a.title)}</h1></div>
  <div class="date-info"><span>{esc(printed_date(a.published, a.date_style))}</span></div>
{_byline(a)}{_share(ctx, a, "top")}{figure}  <div class="article-content">
    {body}
  </div>
{_pagination(ctx, a, paths, part)}  <div class="tag-wrap"><span class="tag-title">Topik:</span> {tags}</div>
{_share(ctx, a, "bottom")}  </article>
  <section class="berita-terkait"><h3>Berita Terkait</h3><ul>{related_items}</ul></section>
"""
    suffix = f" - Halaman {part}" if part > 1 else ""
    title = f"{a.title}{suffix} | {ctx.info.name}"
    return _frame(ctx, title, main, _article_head(ctx, a, paths, part))


# --- machine-readable -------------------------------------------------------------------------


def robots(ctx: Context) -> str:
    return f"""User-agent: *
Disallow: /search
Disallow: /api/
Allow: /

Sitemap: {ctx.url("/sitemap.xml")}
"""


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss(ctx: Context) -> str:
    shown = ctx.articles[: ctx.info.feed_size]
    items = []
    for a in shown:
        items.append(
            f"""<item>
<title>{_cdata(a.title)}</title>
<link>{ctx.url(a.path)}</link>
<guid isPermaLink="true">{ctx.url(a.path)}</guid>
<pubDate>{rfc822(a.published)}</pubDate>
<dc:creator>{_cdata(", ".join(a.reporters))}</dc:creator>
<category>{_cdata(ctx.info.sections[a.section])}</category>
<description>{_cdata(summary(a.blocks))}</description>
<media:content url="{ctx.url(a.image)}" medium="image" type="image/jpeg"/>
</item>"""
        )
    newest = max(a.modified for a in ctx.articles)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
<title>{esc(ctx.info.name)} RSS Feed</title>
<link>{ctx.url("/")}</link>
<atom:link href="{ctx.url("/rss")}" rel="self" type="application/rss+xml"/>
<description>{esc(ctx.info.description)}</description>
<language>id</language>
<lastBuildDate>{rfc822(newest)}</lastBuildDate>
{chr(10).join(items)}
</channel>
</rss>
"""


def sitemap_index(ctx: Context) -> str:
    newest = max(a.modified for a in ctx.articles).isoformat()
    entries = "\n".join(
        f"  <sitemap>\n    <loc>{ctx.url(path)}</loc>\n    <lastmod>{newest}</lastmod>\n  </sitemap>"
        for path in ("/sitemap-news.xml", "/sitemap-posts.xml", ctx.traps["broken_sitemap"])
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{entries}
</sitemapindex>
"""


def news_sitemap(ctx: Context) -> str:
    entries = []
    for a in ctx.articles[: ctx.info.news_sitemap_size]:
        entries.append(
            f"""  <url>
    <loc>{ctx.url(a.path)}</loc>
    <lastmod>{a.modified.isoformat()}</lastmod>
    <news:news>
      <news:publication>
        <news:name>{esc(ctx.info.name)}</news:name>
        <news:language>{a.language}</news:language>
      </news:publication>
      <news:publication_date>{a.published.isoformat()}</news:publication_date>
      <news:title>{esc(a.title)}</news:title>
      <news:keywords>{esc(", ".join(a.tags))}</news:keywords>
    </news:news>
    <image:image><image:loc>{ctx.url(a.image)}</image:loc></image:image>
  </url>"""
        )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
{chr(10).join(entries)}
</urlset>
"""


def posts_sitemap(ctx: Context) -> str:
    entries = [
        f"  <url>\n    <loc>{ctx.url(a.path)}</loc>\n    <lastmod>{a.modified.isoformat()}</lastmod>\n"
        "    <changefreq>daily</changefreq>\n    <priority>0.8</priority>\n  </url>"
        for a in ctx.articles
    ]
    # The CMS also lists an unfinished draft: a sitemap entry is no promise of an article.
    entries.append(
        f"  <url>\n    <loc>{ctx.url(ctx.traps['no_content'])}</loc>\n"
        f"    <lastmod>{ctx.articles[0].published.isoformat()}</lastmod>\n  </url>"
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{chr(10).join(entries)}
</urlset>
"""


def broken_sitemap(ctx: Context) -> str:
    """A sitemap cut off mid-element, as a timed-out generator leaves it."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">
  <url>
    <loc>{ctx.url("/video/debat-capres-2024")}</loc>
    <video:video>
      <video:title>Debat Capres 2024 & Sorotan <b>Hoaks</video:title>
      <lastmod>2024-01-0"""


# --- traps ------------------------------------------------------------------------------------


def no_content() -> str:
    """An 'article' the CMS published empty: no title, no text, only a script."""
    return """<!DOCTYPE html>
<html lang="id">
<head><meta charset="utf-8"><title></title></head>
<body>
<div class="article-content">
<p>&nbsp;</p>
<script>var _artikel = {"id": null, "status": "draft"};</script>
</div>
</body>
</html>
"""


def oversize(ctx: Context, size: int) -> str:
    """A photo gallery page padded to ``size`` bytes with thumbnails, far above a sane limit."""
    head = _head(ctx, f"Galeri Foto: Kampanye Akbar | {ctx.info.name}") + _header(ctx)
    tail = "</div>\n" + _footer(ctx)
    opening = '<div class="gallery"><h1>Galeri Foto: Kampanye Akbar Jelang Pemilu 2024</h1>\n'
    parts = [head, opening]
    used = len((head + opening + tail).encode("utf-8"))
    n = 0
    while used < size:
        item = (
            f'<figure class="foto"><img src="{ctx.url(f"/uploads/galeri/kampanye-{n:06d}.jpg")}" '
            f'alt="Suasana kampanye akbar, foto {n}"><figcaption>Foto {n}: suasana kampanye '
            "akbar di lapangan.</figcaption></figure>\n"
        )
        parts.append(item)
        used += len(item.encode("utf-8"))
        n += 1
    parts.append(tail)
    return "".join(parts)


def pdf_bytes() -> bytes:
    """A small, valid one-page PDF (a document, not an article)."""
    text = b"BT /F1 18 Tf 72 770 Td (Indeks Kerawanan Pemilu 2024) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
