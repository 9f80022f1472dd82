"""The fixture sites: served over real HTTP on 127.0.0.1 and fetched with urllib."""

from __future__ import annotations

import json
import re
import urllib.robotparser
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from http.client import HTTPMessage
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPRedirectHandler, Request, build_opener, urlopen

import pytest
import yaml

from pantau.fixture_site import FixtureSites, expected_articles, story_pairs
from pantau.fixture_site.model import (
    Block,
    FixtureDataError,
    parse_block,
    printed_date,
    replace_body,
    to_datetime,
)
from pantau.fixture_site.record import committed, file_name, recording
from pantau.fixture_site.wordpress_html import texturize

SEED = Path(__file__).resolve().parents[1] / ".." / "shared" / "seed-article.txt"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
WIB = timezone(timedelta(hours=7))
EXPECTED_KEYS = {
    "url",
    "canonical_url",
    "source",
    "title",
    "body",
    "authors",
    "published_at",
    "modified_at",
    "section",
    "tags",
    "image",
    "language",
}


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(
    url: str, headers: dict[str, str] | None = None, follow: bool = True, method: str = "GET"
) -> tuple[int, HTTPMessage, bytes]:
    """Status, headers and body of a request; HTTP errors are answers, not exceptions."""
    request = Request(url, headers=headers or {}, method=method)
    opener = build_opener() if follow else build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def fetch_json(url: str) -> tuple[int, HTTPMessage, object]:
    status, headers, body = fetch(url)
    return status, headers, json.loads(body)


def xml_root(url: str) -> ET.Element:
    status, _, body = fetch(url)
    assert status == 200, url
    return ET.fromstring(body)


def lastmods(sitemap_url: str) -> dict[str, str]:
    """loc -> lastmod of a sitemap urlset."""
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in xml_root(sitemap_url).findall("sm:url", NS)
    }


@pytest.fixture(scope="module")
def sites():
    """Shared, never mutated: tests that change content start their own FixtureSites."""
    with FixtureSites() as running:
        yield running
        assert running.errors == []


@pytest.fixture
def fresh():
    with FixtureSites() as running:
        yield running
        assert running.errors == []


# --- recorded copies and expected output ------------------------------------------------------


@pytest.mark.parametrize("site", ["portal", "wordpress"])
def test_recorded_files_equal_a_fresh_rendering(site):
    rendered, on_disk = recording(site), committed(site)
    assert sorted(rendered) == sorted(on_disk), "run: python -m pantau.fixture_site record"
    changed = [name for name in rendered if rendered[name] != on_disk[name]]
    assert changed == [], f"stale recorded files (re-record): {changed}"


@pytest.mark.parametrize(
    ("site", "count", "source"),
    [("portal", 12, "republika-fixture"), ("wordpress", 7, "nanjombangnews-fixture")],
)
def test_expected_articles_have_the_schema_fields(site, count, source):
    records = expected_articles(site, "http://127.0.0.1:8000")
    assert len(records) == count
    for record in records:
        assert set(record) == EXPECTED_KEYS
        assert record["source"] == source
        assert record["url"].startswith("http://127.0.0.1:8000/")
        assert record["image"].startswith("http://127.0.0.1:8000/")
        assert record["title"] and record["body"] and record["authors"]
        assert datetime.fromisoformat(record["published_at"]).utcoffset() is not None
        for line in ("Baca Juga", "Check Also", "ADVERTISEMENT", "Reporter:"):
            assert line not in record["body"]
    languages = {r["language"] for r in expected_articles(site)}
    assert languages == ({"id", "en", "jv"} if site == "portal" else {"id"})


def test_split_articles_expect_the_text_of_every_page():
    records = {r["url"]: r for r in expected_articles("portal")}
    three_pages = records[
        "/berita/rp2rcu418/bentrok-simpatisan-dua-partai-pecah-di-yogyakarta-polisi-amankan-12-orang"
    ]
    assert three_pages["body"].startswith("REPUBLIKA.CO.ID, YOGYAKARTA -- Bentrokan")
    assert three_pages["body"].endswith("agar kejadian serupa tidak terulang.")
    assert three_pages["modified_at"] is None  # no JSON-LD, no article:modified_time
    wita = next(r for r in records.values() if "rp7wta330" in r["url"])
    assert wita["published_at"] == "2024-02-12T16:40:00+08:00"


@pytest.mark.skipif(not SEED.exists(), reason="shared seed article not available")
def test_the_seed_article_is_served_verbatim_on_wordpress():
    lines = [" ".join(line.split()) for line in SEED.read_text(encoding="utf-8").splitlines()]
    seed = next(r for r in expected_articles("wordpress") if r["url"].startswith("/2023/01/21/"))
    assert seed["title"] == lines[0]
    body = seed["body"].split("\n\n")
    # The seed lists the title, the body, then the theme's "Check Also" box.
    seed_body = [line for line in lines[1 : lines.index("Check Also")] if line]
    caption = seed_body.pop(1)
    assert body == seed_body
    assert caption not in seed["body"]


def test_republished_stories_pair_an_original_with_a_later_copy():
    portal = {r["url"]: r for r in expected_articles("portal")}
    wordpress = {r["url"]: r for r in expected_articles("wordpress")}
    pairs = story_pairs()
    assert len(pairs) == 3
    for original, copy in pairs:
        later = datetime.fromisoformat(wordpress[copy]["published_at"])
        assert later > datetime.fromisoformat(portal[original]["published_at"])


# --- pure helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "style", "printed"),
    [
        ("2023-01-18T14:32:00+07:00", "short", "Rabu 18 Jan 2023 14:32 WIB"),
        ("2023-01-18T14:32:00+07:00", "long", "Rabu, 18 Januari 2023 14:32 WIB"),
        ("2023-01-18T14:32:00+07:00", "numeric", "18/01/2023, 14:32 WIB"),
        ("2024-02-12T16:40:00+08:00", "long", "Senin, 12 Februari 2024 16:40 WITA"),
        ("2024-08-05T07:05:00+09:00", "short", "Senin 5 Agu 2024 07:05 WIT"),
        ("2024-02-11T21:05:00+07:00", "english", "Sunday 11 Feb 2024 21:05 WIB"),
    ],
)
def test_printed_dates(moment, style, printed):
    assert printed_date(datetime.fromisoformat(moment), style) == printed


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2023-01-18T14:32:00", "no UTC offset"),
        ("2023-01-18T14:32:10+07:00", "exact to the minute"),
        ("2023-01-18T14:32:00+02:00", "WIB, WITA or WIT"),
        ("18 Jan 2023", "not an ISO 8601 date"),
        (20230118, "expected an ISO 8601 date"),
    ],
)
def test_bad_dates_are_named(value, message):
    with pytest.raises(FixtureDataError, match=message):
        to_datetime(value, "a.yaml: published")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Satu   dua\n tiga ", Block("p", html="Satu dua tiga")),
        ({"page_break": True}, Block("page")),
        ({"related": "rp1srb112"}, Block("related", ref="rp1srb112", style="box")),
        ({"related_inline": "x"}, Block("related", ref="x", style="inline")),
        ({"ad": "body-1"}, Block("ad", html="body-1")),
        ({"figure": {"image": "/a.jpg", "caption": "Foto"}}, Block("figure", "Foto", "/a.jpg")),
    ],
)
def test_body_blocks(raw, expected):
    assert parse_block(raw, "a.yaml: body[0]") == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("<p> </p>", "empty paragraph"),
        ({"video": "x"}, "unknown body entry 'video'"),
        ({"related": "a", "ad": "b"}, "one-key mapping"),
        ({"figure": {"image": "/a.jpg"}}, "missing key 'caption'"),
    ],
)
def test_bad_body_blocks_are_named(raw, message):
    with pytest.raises(FixtureDataError, match=message):
        parse_block(raw, "a.yaml: body[3]")


def test_replaced_body_keeps_the_page_count():
    blocks = [Block("p", html="a"), Block("page"), Block("p", html="b")]
    new = replace_body(blocks, "Satu.\n\nDua & tiga.\n\nEmpat.")
    assert [b.kind for b in new] == ["p", "p", "page", "p"]
    assert new[1].html == "Dua &amp; tiga."


@pytest.mark.parametrize(
    ("text", "typeset"),
    [
        ("Waspadai 'Serangan Fajar'", "Waspadai &#8216;Serangan Fajar&#8217;"),
        ('"Kami siap," katanya', "&#8220;Kami siap,&#8221; katanya"),
        ("Jombang - Kericuhan...", "Jombang &#8211; Kericuhan&#8230;"),
        ('<a href="/x">"Kutipan"</a>', '<a href="/x">&#8220;Kutipan&#8221;</a>'),
    ],
)
def test_wordpress_typography(text, typeset):
    assert texturize(text) == typeset


@pytest.mark.parametrize(
    ("target", "content_type", "name"),
    [
        ("/", "text/html; charset=UTF-8", "index.html"),
        ("/indeks?page=2", "text/html", "indeks.page-2.html"),
        ("/rss", "application/rss+xml", "rss.xml"),
        ("/sitemap.xml", "application/xml", "sitemap.xml"),
        ("/2024/02/11/a-b/", "text/html", "2024/02/11/a-b.html"),
        ("/wp-json/wp/v2/posts?_embed=1", "application/json", "wp-json/wp/v2/posts._embed-1.json"),
    ],
)
def test_recorded_file_names(target, content_type, name):
    assert file_name(target, content_type) == name


# --- WordPress REST API -----------------------------------------------------------------------


def test_rest_paging_headers_and_past_the_last_page(sites):
    api = sites.wordpress_url + "/wp-json/wp/v2/posts"
    seen = []
    for page in (1, 2, 3):
        status, headers, posts = fetch_json(f"{api}?per_page=3&page={page}")
        assert status == 200
        assert headers["X-WP-Total"] == "7" and headers["X-WP-TotalPages"] == "3"
        links = headers.get_all("Link")
        assert any('rel="next"' in link for link in links) == (page < 3)
        assert any('rel="prev"' in link for link in links) == (page > 1)
        seen += posts
    assert len(seen) == 7 == len({p["id"] for p in seen})
    dates = [p["date_gmt"] for p in seen]
    assert dates == sorted(dates, reverse=True)  # newest first by default
    status, _, error = fetch_json(f"{api}?per_page=3&page=4")
    assert status == 400
    assert error == {
        "code": "rest_post_invalid_page_number",
        "message": "The page number requested is larger than the number of pages available.",
        "data": {"status": 400},
    }
    status, _, default_page = fetch_json(api)
    assert status == 200 and len(default_page) == 7  # per_page defaults to 10


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("page=abc", "page"),
        ("order=sideways", "order"),
        ("orderby=popularity", "orderby"),
        ("modified_after=kemarin", "modified_after"),
    ],
)
def test_rest_rejects_bad_parameters_like_wordpress(sites, query, param):
    status, _, error = fetch_json(f"{sites.wordpress_url}/wp-json/wp/v2/posts?{query}")
    assert status == 400
    assert error["code"] == "rest_invalid_param"
    assert error["message"] == f"Invalid parameter(s): {param}"
    assert set(error["data"]["params"]) == {param}


def test_rest_post_shape_and_embed(sites):
    api = sites.wordpress_url + "/wp-json/wp/v2/posts"
    _, _, plain = fetch_json(api + "?per_page=1")
    post = plain[0]
    for key in (
        "id", "date", "date_gmt", "modified", "modified_gmt", "slug", "link", "title",
        "content", "excerpt", "author", "categories", "tags", "featured_media", "_links",
    ):  # fmt: skip
        assert key in post
    assert "_embedded" not in post
    assert post["link"].startswith(sites.wordpress_url + "/2024/")
    local, gmt = datetime.fromisoformat(post["date"]), datetime.fromisoformat(post["date_gmt"])
    assert local - gmt == timedelta(hours=7)
    _, _, embedded = fetch_json(api + "?per_page=1&_embed")
    extra = embedded[0]["_embedded"]
    expected = sites.expected_articles("wordpress")[0]
    assert [a["name"] for a in extra["author"]] == expected["authors"]
    categories, tags = extra["wp:term"]
    assert categories[0]["name"] == expected["section"]
    assert [t["name"] for t in tags] == expected["tags"]
    assert extra["wp:featuredmedia"][0]["source_url"] == expected["image"]
    _, _, only_authors = fetch_json(api + "?per_page=1&_embed=author")
    assert set(only_authors[0]["_embedded"]) == {"author"}
    _, _, fields = fetch_json(api + "?per_page=2&_fields=id,modified_gmt")
    assert [set(p) for p in fields] == [{"id", "modified_gmt"}] * 2


@pytest.mark.parametrize(
    "bound",
    ["2023-12-05T12:00:00", "2023-12-05T05:00:00Z", "2023-12-05T13:00:00+08:00"],
)
def test_rest_modified_after_filters_by_modification_time(sites, bound):
    instant = datetime(2023, 12, 5, 12, 0, tzinfo=WIB)  # the same instant, three spellings
    wanted = {
        r["url"]
        for r in sites.expected_articles("wordpress")
        if datetime.fromisoformat(r["modified_at"]) > instant
    }
    query = urlencode({"modified_after": bound, "orderby": "modified", "order": "asc"})
    status, headers, posts = fetch_json(f"{sites.wordpress_url}/wp-json/wp/v2/posts?{query}")
    assert status == 200
    assert {p["link"] for p in posts} == wanted and len(wanted) == 4
    assert headers["X-WP-Total"] == "4"
    modified = [p["modified_gmt"] for p in posts]
    assert modified == sorted(modified)
    status, headers, none = fetch_json(
        f"{sites.wordpress_url}/wp-json/wp/v2/posts?modified_after=2030-01-01T00:00:00"
    )
    assert (status, none, headers["X-WP-TotalPages"]) == (200, [], "0")


def test_rest_single_post_and_missing_routes(sites):
    base = sites.wordpress_url
    status, headers, post = fetch_json(f"{base}/wp-json/wp/v2/posts/4127")
    assert status == 200 and post["id"] == 4127
    assert 'rel="alternate"' in headers["Link"]
    assert fetch_json(f"{base}/wp-json/wp/v2/posts/1")[2]["code"] == "rest_post_invalid_id"
    assert fetch_json(f"{base}/wp-json/wp/v2/nothing")[2]["code"] == "rest_no_route"
    status, _, same = fetch_json(f"{base}/?rest_route=/wp/v2/posts/4127")
    assert status == 200 and same == post


# --- discovery documents ----------------------------------------------------------------------


def test_portal_sitemaps(sites):
    expected = {r["url"]: r for r in sites.expected_articles("portal")}
    index = xml_root(sites.portal_url + "/sitemap.xml")
    children = [loc.text for loc in index.iterfind("sm:sitemap/sm:loc", NS)]
    assert [c.rsplit("/", 1)[1] for c in children] == [
        "sitemap-news.xml",
        "sitemap-posts.xml",
        "sitemap-video.xml",
    ]
    news = xml_root(children[0])
    urls = news.findall("sm:url", NS)
    assert len(urls) == 8
    for url in urls:
        record = expected[url.findtext("sm:loc", namespaces=NS)]
        published = url.findtext("news:news/news:publication_date", namespaces=NS)
        assert datetime.fromisoformat(published) == datetime.fromisoformat(record["published_at"])
        assert url.findtext("sm:lastmod", namespaces=NS)
    posts = xml_root(children[1])
    listed = {u.findtext("sm:loc", namespaces=NS) for u in posts.findall("sm:url", NS)}
    assert set(expected) < listed
    assert listed - set(expected) == {sites.traps["no_content"]}
    status, headers, broken = fetch(children[2])
    assert status == 200 and headers.get_content_type() == "application/xml"
    with pytest.raises(ET.ParseError):
        ET.fromstring(broken)


def test_wordpress_sitemaps(sites):
    index = xml_root(sites.wordpress_url + "/wp-sitemap.xml")
    children = [loc.text for loc in index.iterfind("sm:sitemap/sm:loc", NS)]
    assert children[0] == sites.wordpress_url + "/wp-sitemap-posts-post-1.xml"
    listed = lastmods(children[0])
    for record in sites.expected_articles("wordpress"):
        lastmod = datetime.fromisoformat(listed[record["url"]])
        assert lastmod == datetime.fromisoformat(record["modified_at"])
    for child in children[1:]:
        assert xml_root(child).findall("sm:url", NS)


def test_feeds(sites):
    portal = {r["url"]: r for r in sites.expected_articles("portal")}
    items = xml_root(sites.portal_url + "/rss").findall("channel/item")
    assert len(items) == 10
    for item in items:
        record = portal[item.findtext("link")]
        assert item.findtext("title") == record["title"]
        published = parsedate_to_datetime(item.findtext("pubDate"))
        assert published == datetime.fromisoformat(record["published_at"])
    wordpress = {r["url"]: r for r in sites.expected_articles("wordpress")}
    items = xml_root(sites.wordpress_url + "/feed/").findall("channel/item")
    assert len(items) == 7
    for item in items:
        record = wordpress[item.findtext("link")]
        assert item.findtext("dc:creator", namespaces=NS) == record["authors"][0]
        assert record["section"] in [c.text for c in item.findall("category")]
        content = item.findtext("content:encoded", namespaces=NS)
        assert record["body"].split("\n\n")[-1][:40] in content.replace("&#8220;", "“")


def test_robots(sites):
    for url, sitemap, blocked in (
        (sites.portal_url, "/sitemap.xml", "/search?q=pemilu+2024"),
        (sites.wordpress_url, "/wp-sitemap.xml", "/wp-admin/options.php"),
    ):
        status, headers, body = fetch(url + "/robots.txt")
        assert status == 200 and headers.get_content_type() == "text/plain"
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(body.decode().splitlines())
        assert parser.site_maps() == [url + sitemap]
        assert not parser.can_fetch("pantau", url + blocked)
        assert parser.can_fetch("pantau", sites.expected_articles("portal")[0]["url"])


# --- pages, traps and HTTP behaviour ----------------------------------------------------------


def test_index_pages_end_after_the_third(sites):
    seen = []
    url = sites.portal_url + "/indeks"
    for _ in range(5):
        _, _, body = fetch(url)
        html = body.decode()
        seen += re.findall(r'<h3><a href="([^"]+)">', html)
        next_link = re.search(r'<a href="([^"]+)" class="next" rel="next">Selanjutnya</a>', html)
        if not next_link:
            break
        url = next_link.group(1)
    assert url.endswith("/indeks?page=3")
    assert seen == [r["url"] for r in sites.expected_articles("portal")]


def test_split_article_pages_are_served(sites):
    by_id = {r["url"].split("/")[4]: r["url"] for r in sites.expected_articles("portal")}
    _, _, page_1 = fetch(by_id["rp8kmf301"])
    assert f'href="{by_id["rp8kmf301"]}?page=2">Selanjutnya' in page_1.decode()
    status, _, page_2 = fetch(by_id["rp8kmf301"] + "?page=2")
    assert status == 200 and "Rabu (14/2/2024)" in page_2.decode()
    for part in (2, 3):
        status, _, body = fetch(f"{by_id['rp2rcu418']}-part{part}")
        assert status == 200 and f'<span class="current">Halaman {part}</span>' in body.decode()
    assert fetch(f"{by_id['rp2rcu418']}-part4")[0] == 404


def test_redirects(sites):
    loop_a = sites.portal_url + "/loop/a"
    assert fetch(loop_a, follow=False)[1]["Location"] == sites.portal_url + "/loop/b"
    assert fetch(sites.portal_url + "/loop/b", follow=False)[1]["Location"] == loop_a
    status, headers, _ = fetch(sites.traps["redirect_into_loop"], follow=False)
    assert (status, headers["Location"]) == (302, loop_a)
    with pytest.raises(HTTPError) as caught:
        with urlopen(loop_a, timeout=10):
            pass
    caught.value.close()
    assert "infinite loop" in str(caught.value)
    post = sites.expected_articles("wordpress")[0]["url"]
    assert fetch(post.rstrip("/"), follow=False)[1]["Location"] == post
    assert fetch(sites.wordpress_url + "/?p=6122", follow=False)[1]["Location"] == post


def test_retry_after_once_then_the_article(fresh):
    url = fresh.traps["retry_after"]
    status, headers, _ = fetch(url)
    assert (status, headers["Retry-After"]) == (503, "1")
    status, _, body = fetch(url)
    assert status == 200 and "KASN Terima 240 Laporan" in body.decode()


def test_bad_input_traps(sites):
    traps = sites.traps
    status, headers, pdf = fetch(traps["pdf"])
    assert headers.get_content_type() == "application/pdf" and pdf.startswith(b"%PDF-1.4")
    status, headers, body = fetch(traps["oversize"], method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) >= 3 * 1024 * 1024
    status, _, empty = fetch(traps["no_content"])
    assert status == 200 and b"<title></title>" in empty and b"<h1>" not in empty
    _, _, day = fetch(traps["calendar"])
    assert f'{sites.portal_url}/arsip/2023/01/02" class="next"' in day.decode()
    _, _, far = fetch(sites.portal_url + "/arsip/2999/12/31")
    assert f'{sites.portal_url}/arsip/3000/01/01" class="next"' in far.decode()
    _, _, home = fetch(sites.portal_url + "/")
    for name in ("oversize", "no_content", "redirect_into_loop", "pdf", "calendar"):
        assert f'href="{traps[name]}"' in home.decode()
    assert f'href="{traps["external"]}"' in home.decode()
    assert traps["external"].split("/")[2] != sites.portal_url.split("/")[2]
    assert fetch(traps["external"])[0] == 200


def test_conditional_get(sites):
    url = sites.expected_articles("portal")[0]["url"]
    _, headers, _ = fetch(url)
    since = headers["Last-Modified"]
    assert fetch(url, {"If-Modified-Since": since})[0] == 304
    assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})[0] == 200


def test_request_log(fresh):
    fresh.clear_log()
    fetch(fresh.portal_url + "/indeks?page=2")
    fetch(fresh.wordpress_url + "/feed/", method="HEAD")
    fetch(fresh.external_url + "/")
    assert fresh.requests == [
        ("portal", "GET", "/indeks?page=2"),
        ("wordpress", "HEAD", "/feed/"),
        ("external", "GET", "/"),
    ]
    fresh.clear_log()
    assert fresh.requests == []


def test_source_definitions(fresh, tmp_path):
    portal, wordpress = fresh.source_definitions()
    assert portal["id"] == "republika-fixture" and wordpress["platform"] == "wordpress"
    assert portal["discovery"] == {
        "sitemaps": [fresh.portal_url + "/sitemap.xml"],
        "feeds": [fresh.portal_url + "/rss"],
        "listings": [fresh.portal_url + "/indeks"],
    }
    for record in fresh.expected_articles("portal"):
        assert re.search(portal["article_urls"], record["url"])
    paths = fresh.write_sources(tmp_path)
    loaded = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in paths]
    assert loaded == [portal, wordpress]
    assert [p.name for p in paths] == ["republika-fixture.yaml", "nanjombangnews-fixture.yaml"]


# --- mutations --------------------------------------------------------------------------------


def test_portal_update_is_visible_everywhere(fresh):
    when = datetime(2024, 3, 1, 9, 30, tzinfo=WIB)
    record = fresh.update_article(
        "portal",
        "rp3blk808",
        title="Kominfo Blokir 2.000 Konten Hoaks Pemilu",
        body="Paragraf pertama yang baru.\n\nParagraf kedua yang baru.",
        modified=when,
    )
    assert record["modified_at"] == when.isoformat()
    assert record["body"] == "Paragraf pertama yang baru.\n\nParagraf kedua yang baru."
    _, headers, page = fetch(record["url"])
    html = page.decode()
    assert "<h1>Kominfo Blokir 2.000 Konten Hoaks Pemilu</h1>" in html
    assert "Paragraf kedua yang baru." in html and "patroli siber 24 jam" not in html
    assert f'"dateModified": "{when.isoformat()}"' in html
    assert parsedate_to_datetime(headers["Last-Modified"]) == when
    for sitemap in ("/sitemap-posts.xml", "/sitemap-news.xml"):
        assert lastmods(fresh.portal_url + sitemap)[record["url"]] == when.isoformat()
    items = xml_root(fresh.portal_url + "/rss").findall("channel/item")
    item = next(i for i in items if i.findtext("link") == record["url"])
    assert item.findtext("title") == record["title"]
    assert item.findtext("description").startswith("Paragraf pertama")


def test_wordpress_update_is_visible_everywhere(fresh):
    when = datetime(2024, 3, 2, 10, 0, tzinfo=WIB)
    record = fresh.update_article("wordpress", "5342", body="Isi yang diperbarui.", modified=when)
    api = fresh.wordpress_url + "/wp-json/wp/v2/posts"
    _, _, post = fetch_json(api + "/5342")
    assert (post["modified"], post["modified_gmt"]) == (
        "2024-03-02T10:00:00",
        "2024-03-02T03:00:00",
    )
    assert "Isi yang diperbarui." in post["content"]["rendered"]
    _, _, changed = fetch_json(api + "?modified_after=2024-03-01T00:00:00")
    assert [p["id"] for p in changed] == [5342]
    _, _, page = fetch(record["url"])
    assert f'"article:modified_time" content="{when.isoformat()}"' in page.decode()
    sitemap = lastmods(fresh.wordpress_url + "/wp-sitemap-posts-post-1.xml")
    assert sitemap[record["url"]] == "2024-03-02T03:00:00+00:00"
    feed = xml_root(fresh.wordpress_url + "/feed/")
    item = next(i for i in feed.findall("channel/item") if i.findtext("link") == record["url"])
    assert "Isi yang diperbarui." in item.findtext("content:encoded", namespaces=NS)
    assert parsedate_to_datetime(feed.findtext("channel/lastBuildDate")) == when


def test_added_articles_are_discoverable(fresh):
    when = datetime(2024, 3, 3, 8, 0, tzinfo=WIB)
    new = fresh.add_article(
        "portal",
        "Bawaslu Umumkan Hasil Pengawasan",
        "Isi berita.",
        tags=["bawaslu"],
        published=when,
    )
    assert re.search(r"/berita/[a-z0-9]+/bawaslu-umumkan-hasil-pengawasan$", new["url"])
    _, _, index = fetch(fresh.portal_url + "/indeks")
    assert new["url"] in index.decode()
    assert new["url"] == xml_root(fresh.portal_url + "/rss").findtext("channel/item/link")
    assert fetch(new["url"])[0] == 200
    post = fresh.add_article("wordpress", "Kabar Baru dari Jombang", "Isi.", published=when)
    assert post["url"].endswith("/2024/03/03/kabar-baru-dari-jombang/")
    _, headers, posts = fetch_json(fresh.wordpress_url + "/wp-json/wp/v2/posts?per_page=1")
    assert headers["X-WP-Total"] == "8" and posts[0]["link"] == post["url"]
    assert len(fresh.expected_articles("wordpress")) == 8


def test_a_site_can_go_down_and_come_back(fresh):
    url = fresh.portal_url + "/rss"
    fresh.set_down("portal")
    assert fetch(url)[0] == 503 and fetch(fresh.portal_url + "/")[0] == 503
    assert fetch(fresh.wordpress_url + "/feed/")[0] == 200
    fresh.set_down("portal", refuse=True)
    with pytest.raises(URLError):
        with urlopen(url, timeout=5):
            pass
    fresh.set_down("portal", False)
    assert fetch(url)[0] == 200 and fresh.portal_url in url


def test_sites_bind_only_to_loopback():
    with pytest.raises(ValueError, match="127.0.0.1"):
        FixtureSites(host="0.0.0.0")


def test_edits_without_a_time_are_newer_than_the_last(fresh):
    first = fresh.update_article("wordpress", "5611", title="Judul baru")
    second = fresh.update_article("wordpress", "5611", title="Judul lebih baru")
    assert second["title"] == "Judul lebih baru"
    assert datetime.fromisoformat(second["modified_at"]) > datetime.fromisoformat(
        first["modified_at"]
    )
    with pytest.raises(ValueError, match="no UTC offset"):
        fresh.update_article("portal", "rp3blk808", modified=datetime(2024, 3, 1))
    with pytest.raises(KeyError, match="no article with key 'tidak-ada'"):
        fresh.update_article("portal", "tidak-ada", title="x")
