from pathlib import Path

import pytest

from crawler.discovery import (
    DiscoveryError,
    iso_instant,
    next_listing_page,
    parse_feed,
    parse_sitemap,
    wordpress_post_fields,
    wordpress_time,
)

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not present")

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://x.id/sitemap-news.xml</loc><lastmod>2024-01-21T10:00:00+07:00</lastmod></sitemap>
  <sitemap><loc>/sitemap-posts.xml</loc></sitemap>
</sitemapindex>"""

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://x.id/berita/a1/judul</loc>
    <news:news><news:publication><news:name>X</news:name><news:language>id</news:language>
    </news:publication><news:publication_date>2024-01-18T14:32:00+07:00</news:publication_date>
    <news:title>Judul</news:title></news:news></url>
  <url><loc>https://x.id/berita/a2/dua</loc><lastmod>2024-01-19</lastmod></url>
  <url><loc>https://x.id/berita/a3/tiga</loc></url>
</urlset>"""


def test_sitemap_index_and_google_news_urlset():
    index = parse_sitemap(INDEX, "https://x.id/sitemap.xml")
    assert [c.url for c in index.sitemaps] == [
        "https://x.id/sitemap-news.xml",
        "https://x.id/sitemap-posts.xml",
    ]
    assert index.articles == []
    news = parse_sitemap(NEWS, "https://x.id/sitemap-news.xml")
    assert [(c.url, c.lastmod) for c in news.articles] == [
        ("https://x.id/berita/a1/judul", "2024-01-18T14:32:00+07:00"),
        ("https://x.id/berita/a2/dua", "2024-01-19T00:00:00+00:00"),
        ("https://x.id/berita/a3/tiga", None),
    ]


def test_gzipped_sitemap():
    import gzip

    assert len(parse_sitemap(gzip.compress(NEWS), "https://x.id/").articles) == 3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty document"),
        (b"<urlset><url><loc>x</loc></url>", "malformed XML"),
        (b"<html><body>404</body></html>", "root element is <html>"),
        (b"\x1f\x8bnot gzip", "broken gzip"),
    ],
)
def test_broken_sitemaps_say_why(body, message):
    with pytest.raises(DiscoveryError, match=message):
        parse_sitemap(body, "https://x.id/")


def test_xml_entities_are_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><urlset><url><loc>&b;</loc></url></urlset>'
    )
    found = parse_sitemap(bomb, "https://x.id/").articles
    assert all("aaaaaaaaaa" not in c.url for c in found)


@needs_shared
@pytest.mark.parametrize(
    "name", ["feeds/free-cekfakta.xml", "feeds/radarbogor-feed.xml", "social/rss_generic"]
)
def test_real_feeds(name):
    path = SHARED / name
    if path.is_dir():
        path = next(path.glob("*.xml"))
    found = parse_feed(path.read_bytes(), "https://example.id/")
    assert len(found) >= 3
    assert all(c.url.startswith("http") for c in found)
    assert all(c.lastmod and c.lastmod[-6] in "+-" for c in found)


def test_atom_feed():
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom">
      <entry><link rel="alternate" href="https://x.id/a"/><updated>2024-01-01T01:00:00Z</updated></entry>
      <entry><link href="/b"/><published>2024-01-02T01:00:00+07:00</published></entry>
    </feed>"""
    found = parse_feed(atom, "https://x.id/")
    assert [(c.url, c.lastmod) for c in found] == [
        ("https://x.id/a", "2024-01-01T01:00:00+00:00"),
        ("https://x.id/b", "2024-01-02T01:00:00+07:00"),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Fri, 05 Jun 2026 14:30:00 +0700", "2026-06-05T14:30:00+07:00"),
        ("2024-01-18T14:32:00Z", "2024-01-18T14:32:00+00:00"),
        ("kemarin sore", None),
        (None, None),
    ],
)
def test_iso_instant(value, expected):
    assert iso_instant(value) == expected


def test_next_listing_page_prefers_rel_then_label_then_number():
    base = "https://x.id/indeks"
    assert next_listing_page([("?page=2", "2", None)], base, 1) == "https://x.id/indeks?page=2"
    assert (
        next_listing_page(
            [("?page=3", "3", None), ("/indeks?page=2", "Selanjutnya", None)], base, 1
        )
        == "https://x.id/indeks?page=2"
    )
    assert next_listing_page([("/p/9", "x", "next")], base, 1) == "https://x.id/p/9"
    assert next_listing_page([("https://other.id/indeks?page=2", "Next", None)], base, 1) is None
    assert next_listing_page([("/berita/a1/x", "Berita", None)], base, 1) is None


def test_wordpress_post_with_embeds():
    post = {
        "link": "https://lokal.id/2024/01/21/judul/",
        "date": "2024-01-21T10:00:00",
        "date_gmt": "2024-01-21T03:00:00",
        "modified": "2024-01-22T08:30:00",
        "modified_gmt": "2024-01-22T01:30:00",
        "title": {"rendered": "Kominfo &#8211; Strategi Pemilu"},
        "content": {"rendered": "<p>Isi.</p>"},
        "_embedded": {
            "author": [{"name": "Redaksi"}],
            "wp:term": [
                [{"name": "Politik", "taxonomy": "category"}],
                [
                    {"name": "Pemilu 2024", "taxonomy": "post_tag"},
                    {"name": "Hoaks", "taxonomy": "post_tag"},
                ],
            ],
            "wp:featuredmedia": [{"source_url": "https://lokal.id/img.jpg"}],
        },
    }
    fields = wordpress_post_fields(post, "+07:00")
    assert fields["title"] == "Kominfo – Strategi Pemilu"
    assert fields["authors"] == ["Redaksi"]
    assert fields["section"] == "Politik" and fields["tags"] == ["Pemilu 2024", "Hoaks"]
    assert fields["published_at"] == "2024-01-21T10:00:00+07:00"
    assert fields["modified_at"] == "2024-01-22T08:30:00+07:00"
    assert fields["image"] == "https://lokal.id/img.jpg"


def test_wordpress_time_in_other_zones():
    assert wordpress_time(None, "2024-01-21T03:00:00", "+08:00") == "2024-01-21T11:00:00+08:00"
    assert wordpress_time("2024-01-21T10:00:00", None, "+09:00") == "2024-01-21T10:00:00+09:00"
    assert wordpress_time("garbage", "garbage", "+07:00") is None
