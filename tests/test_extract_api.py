"""extract_article's contract: fields, the metadata cascade, selectors, bad input."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.extract import (
    FIELDS,
    SELECTOR_KEYS,
    ExtractionError,
    extract_article,
    join_pages,
    validate_selectors,
)
from crawler.extract.metadata import clean_authors, clean_tags, strip_site_name

URL = "https://www.contoh-berita.co.id/berita/2023/01/18/kpu-tetapkan-jadwal"
PARAGRAPHS = [
    "JAKARTA -- Komisi Pemilihan Umum (KPU) menetapkan jadwal kampanye Pemilu 2024 selama "
    "75 hari, mulai 28 November 2023 hingga 10 Februari 2024, kata ketua KPU di Jakarta.",
    "Menurut dia, jadwal itu sudah dibahas bersama pemerintah, DPR, dan Bawaslu, sehingga "
    "semua pihak memiliki waktu yang cukup untuk mempersiapkan logistik dan pengawasan.",
    "Bawaslu menyatakan akan menambah pengawas di daerah rawan, terutama di wilayah yang pada "
    "pemilu sebelumnya mencatat banyak laporan pelanggaran dan sengketa hasil.",
]


def page(head: str = "", body_extra: str = "", paragraphs: list[str] | None = None) -> str:
    """A plain article page; `head` and `body_extra` add what a test is about."""
    text = "".join(f"<p>{p}</p>" for p in (PARAGRAPHS if paragraphs is None else paragraphs))
    return (
        f"<html><head><title>KPU Tetapkan Jadwal Kampanye - Contoh Berita</title>{head}</head>"
        "<body><nav><a href='/'>Beranda</a> <a href='/politik'>Politik</a></nav>"
        f"<h1>KPU Tetapkan Jadwal Kampanye</h1>{body_extra}"
        f"<div class='isi-berita'>{text}</div><footer>Hak cipta</footer></body></html>"
    )


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# -- the result ---------------------------------------------------------------------------


def test_result_has_every_field_with_empty_values_for_missing_ones() -> None:
    result = extract_article(page(), URL)
    assert tuple(result) == FIELDS
    assert result["title"] == "KPU Tetapkan Jadwal Kampanye"
    assert result["body"] == "\n\n".join(PARAGRAPHS)
    assert result["authors"] == [] and result["tags"] == []
    for key in ("published_at", "modified_at", "section", "canonical_url", "image", "next_page"):
        assert result[key] is None, key
    assert result["warnings"] == []


def test_title_without_body_is_kept_and_body_is_none() -> None:
    result = extract_article(
        "<html><head><title>Hanya Judul</title></head><body></body></html>", URL
    )
    assert result["title"] == "Hanya Judul"
    assert result["body"] is None


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "empty document"),
        (b"", "empty document"),
        ("   \n\t ", "empty document"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "binary"),
        (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
            "feed",
        ),
        ('<?xml version="1.0"?><urlset><url><loc>https://a.id/</loc></url></urlset>', "sitemap"),
        ("<html><body><div></div></body></html>", "no title and no body"),
        ('{"status": "ok", "items": []}', "no title and no body"),
        ("<<<>>><<>", "no title and no body"),
    ],
)
def test_pages_without_title_and_body_raise_extraction_error(
    content: str | bytes, reason: str
) -> None:
    with pytest.raises(ExtractionError, match=reason):
        extract_article(content, URL)


def test_non_string_input_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="html"):
        extract_article(12345, URL)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="url"):
        extract_article(page(), None)  # type: ignore[arg-type]


def test_broken_html_still_yields_the_article() -> None:
    broken = (
        page().replace("</p>", "").replace("</div>", "").replace("</body></html>", "<div><span")
    )
    result = extract_article(broken, URL)
    assert result["title"] == "KPU Tetapkan Jadwal Kampanye"
    assert result["body"].startswith("JAKARTA -- Komisi Pemilihan Umum")
    assert "75 hari" in result["body"] and "sengketa hasil." in result["body"]


def test_huge_page_is_handled() -> None:
    filler = "<div class='iklan'><a href='/x'>tautan</a></div>" * 25_000  # about 1.2 MB
    result = extract_article(page(body_extra=filler), URL)
    assert result["body"] == "\n\n".join(PARAGRAPHS)


def test_markup_nested_past_the_parsers_limit_is_reported() -> None:
    deep = "<div>" * 3000 + "<p>Teks yang tidak terbaca.</p>" + "</div>" * 3000
    result = extract_article(page(body_extra=deep), URL)
    assert result["title"] == "KPU Tetapkan Jadwal Kampanye"
    assert any("cut short by the HTML parser" in warning for warning in result["warnings"])


def test_absurdly_nested_json_ld_is_skipped_with_a_warning() -> None:
    block = "[" * 5000 + '{"@type": "NewsArticle", "headline": "X"}' + "]" * 5000
    head = f'<script type="application/ld+json">{block}</script>'
    result = extract_article(page(head=head), URL)
    assert result["title"] == "KPU Tetapkan Jadwal Kampanye"
    assert "invalid JSON-LD block skipped (nested too deep)" in result["warnings"]


def test_utf8_bytes_declared_as_latin1_are_read_as_utf8() -> None:
    html = page(
        head='<meta charset="iso-8859-1">', paragraphs=[PARAGRAPHS[0] + " “Kami siap,” ujarnya."]
    )
    result = extract_article(html.encode("utf-8"), URL)
    assert "“Kami siap,” ujarnya." in result["body"]
    assert result["warnings"] == []


def test_cp1252_bytes_declared_as_latin1_are_read_as_cp1252() -> None:
    html = page(head='<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')
    html = html.replace("75 hari", "75 hari “penuh”")
    result = extract_article(html.encode("cp1252"), URL)
    assert "75 hari “penuh”" in result["body"]


def test_undeclared_non_utf8_bytes_decode_with_replacement_and_a_warning() -> None:
    html = page().replace("75 hari", "75 hari “penuh”").encode("cp1252")
    result = extract_article(html, URL)
    assert "75 hari \ufffdpenuh\ufffd" in result["body"]
    assert any("not UTF-8" in warning for warning in result["warnings"])


def test_utf16_with_bom_is_decoded() -> None:
    result = extract_article(page().encode("utf-16"), URL)
    assert result["body"] == "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize("as_bytes", [False, True])
def test_xml_declaration_in_an_html_page_is_accepted(as_bytes: bool) -> None:
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + page()
    result = extract_article(html.encode("utf-8") if as_bytes else html, URL)
    assert result["title"] == "KPU Tetapkan Jadwal Kampanye"
    assert result["body"] == "\n\n".join(PARAGRAPHS)


# -- the metadata cascade -------------------------------------------------------------------


def test_json_ld_in_a_graph_wins_over_meta() -> None:
    head = ld(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebSite", "name": "Contoh Berita"},
                {
                    "@type": ["NewsArticle"],
                    "headline": "KPU Tetapkan Jadwal Kampanye 75 Hari",
                    "datePublished": "2023-01-18T14:32:00+07:00",
                    "dateModified": "2023-01-18T15:00:00+07:00",
                    "author": [{"@type": "Person", "name": "Budi Santoso"}, "Sri Wahyuni"],
                    "articleSection": ["Politik", "Nasional"],
                    "keywords": ["pemilu", ["kpu", "kampanye"]],
                    "image": [{"@type": "ImageObject", "url": "/img/kpu.jpg"}],
                },
            ],
        }
    ) + (
        '<meta property="og:title" content="Judul Lain">'
        '<meta property="article:published_time" content="2020-01-01T00:00:00+07:00">'
    )
    result = extract_article(page(head=head), URL)
    assert result["title"] == "KPU Tetapkan Jadwal Kampanye 75 Hari"
    assert result["published_at"] == "2023-01-18T14:32:00+07:00"
    assert result["modified_at"] == "2023-01-18T15:00:00+07:00"
    assert result["authors"] == ["Budi Santoso", "Sri Wahyuni"]
    assert result["section"] == "Politik"
    assert result["tags"] == ["pemilu", "kpu", "kampanye"]
    assert result["image"] == "https://www.contoh-berita.co.id/img/kpu.jpg"


@pytest.mark.parametrize("kind", ["NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting"])
def test_json_ld_article_types_in_a_top_level_list(kind: str) -> None:
    head = ld([{"@type": "Organization", "name": "X"}, {"@type": kind, "headline": "Dari JSON-LD"}])
    assert extract_article(page(head=head), URL)["title"] == "Dari JSON-LD"


def test_invalid_json_ld_is_reported_and_meta_is_used() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
        '<meta property="og:title" content="Dari OpenGraph">'
    )
    result = extract_article(page(head=head), URL)
    assert result["title"] == "Dari OpenGraph"
    assert "invalid JSON-LD block skipped" in result["warnings"]


def test_json_ld_with_a_trailing_comma_is_repaired() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Koma",}</script>'
    )
    assert extract_article(page(head=head), URL)["title"] == "Koma"


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        (
            'property="article:published_time" content="2023-01-18T14:32:00+07:00"',
            "2023-01-18T14:32:00+07:00",
        ),
        ('name="pubdate" content="2023-01-18T14:32:00+07:00"', "2023-01-18T14:32:00+07:00"),
        ('name="content_PublishedDate" content="2023-01-18 14:32:00"', "2023-01-18T14:32:00+07:00"),
        ('name="dtk:publishdate" content="2023/01/18 14:32:10"', "2023-01-18T14:32:10+07:00"),
        ('name="publishdate" content="2023-01-18 14:32:00"', "2023-01-18T14:32:00+07:00"),
        ('itemprop="datePublished" content="2023-01-18T07:32:00Z"', "2023-01-18T07:32:00+00:00"),
    ],
)
def test_publication_time_from_meta(meta: str, expected: str) -> None:
    assert extract_article(page(head=f"<meta {meta}>"), URL)["published_at"] == expected


def test_unparseable_meta_date_is_a_warning_and_the_next_source_is_used() -> None:
    head = (
        '<meta property="article:published_time" content="xyz">'
        '<meta name="pubdate" content="2023-01-18 14:32:00">'
    )
    result = extract_article(page(head=head), URL)
    assert result["published_at"] == "2023-01-18T14:32:00+07:00"
    assert "unparseable date 'xyz' in meta article:published_time" in result["warnings"]


def test_time_element_then_printed_date() -> None:
    timed = page(body_extra='<time datetime="2023-01-18T14:32:00+07:00">Rabu</time>')
    assert extract_article(timed, URL)["published_at"] == "2023-01-18T14:32:00+07:00"
    printed = page(body_extra="<div class='info'>Rabu, 18 Januari 2023 14:32 WITA</div>")
    assert extract_article(printed, URL)["published_at"] == "2023-01-18T14:32:00+08:00"


def test_dates_without_a_zone_are_in_the_sources_zone() -> None:
    html = page(
        head='<meta name="pubdate" content="2023-01-18 14:32:00">',
        body_extra="<div class='tgl'>Rabu, 18 Januari 2023 14:32</div>",
    )
    assert extract_article(html, URL)["published_at"] == "2023-01-18T14:32:00+07:00"
    result = extract_article(html, URL, default_tz="WITA")
    assert result["published_at"] == "2023-01-18T14:32:00+08:00"
    printed_only = page(body_extra="<div class='tgl'>Rabu, 18 Januari 2023 14:32</div>")
    assert extract_article(printed_only, URL, default_tz="+09:00")["published_at"] == (
        "2023-01-18T14:32:00+09:00"
    )
    with pytest.raises(ValueError, match="time zone"):
        extract_article(html, URL, default_tz="Makassar")


def test_bare_dates_in_the_text_are_not_taken_for_the_publication_date() -> None:
    result = extract_article(page(paragraphs=[p + " Rabu (18/1/2023)." for p in PARAGRAPHS]), URL)
    assert result["published_at"] is None


def test_printed_relative_date_needs_now() -> None:
    html = page(body_extra="<span class='waktu'>2 jam yang lalu</span>")
    now = datetime(2023, 1, 18, 15, 0, tzinfo=timezone(timedelta(hours=7)))
    assert extract_article(html, URL, now=now)["published_at"] == "2023-01-18T13:00:00+07:00"
    assert extract_article(html, URL)["published_at"] is None


def test_utc_stamp_that_is_really_local_time_is_restamped() -> None:
    """detik-style: pubdate says "Z" but the page prints the same clock time as WIB."""
    head = '<meta name="pubdate" content="2015-11-05 T10:08:58Z">'
    html = page(head=head, body_extra="<div class='date'>Kamis, 05/11/2015 10:08 WIB</div>")
    result = extract_article(html, URL)
    assert result["published_at"] == "2015-11-05T10:08:58+07:00"
    assert any("local time" in warning for warning in result["warnings"])


def test_true_utc_stamp_is_kept() -> None:
    head = '<meta property="article:published_time" content="2015-11-05T03:08:58Z">'
    html = page(head=head, body_extra="<div class='date'>Kamis, 05/11/2015 10:08 WIB</div>")
    result = extract_article(html, URL)
    assert result["published_at"] == "2015-11-05T03:08:58+00:00"
    assert result["warnings"] == []


def test_canonical_and_image_resolve_against_the_page_url() -> None:
    head = (
        '<link rel="canonical" href="/berita/kpu">'
        '<meta property="og:image" content="//cdn.contoh.id/a.jpg">'
    )
    result = extract_article(page(head=head), URL)
    assert result["canonical_url"] == "https://www.contoh-berita.co.id/berita/kpu"
    assert result["image"] == "https://cdn.contoh.id/a.jpg"


def test_broken_image_urls_fall_through_to_the_next_source() -> None:
    head = ld({"@type": "NewsArticle", "image": ["http:http://cdn.x.id/a.jpg"]}) + (
        '<meta property="og:image" content="https://cdn.x.id/b.jpg">'
    )
    assert extract_article(page(head=head), URL)["image"] == "https://cdn.x.id/b.jpg"


def test_tags_from_article_tag_and_news_keywords() -> None:
    tags = (
        '<meta property="article:tag" content="Pemilu 2024">'
        '<meta property="article:tag" content="KPU">'
    )
    assert extract_article(page(head=tags), URL)["tags"] == ["Pemilu 2024", "KPU"]
    keywords = '<meta name="news_keywords" content="pemilu, kpu , Pemilu">'
    assert extract_article(page(head=keywords), URL)["tags"] == ["pemilu", "kpu"]


def test_meta_keywords_are_not_tags() -> None:
    assert (
        extract_article(page(head='<meta name="keywords" content="berita, terkini">'), URL)["tags"]
        == []
    )


def test_printed_byline_gives_authors() -> None:
    byline = "<div class='byline'>Reporter: Budi Santoso, Sri Wahyuni | Redaktur: Joko</div>"
    assert extract_article(page(body_extra=byline), URL)["authors"] == [
        "Budi Santoso",
        "Sri Wahyuni",
    ]


# -- cleaning helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["Reporter: Budi Santoso"], ["Budi Santoso"]),
        (["Redaktur: Esthi Maharani"], ["Esthi Maharani"]),  # an editor, when no writer is named
        (["Editor: Rina"], ["Rina"]),
        (["Penulis: Andi Saputra"], ["Andi Saputra"]),
        (["Rep: Dessy Suciati Saputri/ Red: Esthi Maharani"], ["Dessy Suciati Saputri"]),
        (["Penulis: Andi | Editor: Rina"], ["Andi"]),
        (["Editor: Rina", "Pewarta: Budi"], ["Budi"]),
        (["Oleh Nur Aini"], ["Nur Aini"]),
        (["Budi dan Sri", "budi"], ["Budi", "Sri"]),
        (["https://www.facebook.com/detikdotcom"], []),
        (["Kompas Cyber Media"], []),
        (["PT. VIVA MEDIA BARU - VIVA.co.id"], []),
        (["Redaksi"], ["Redaksi"]),
    ],
)
def test_clean_authors(values: list[str], expected: list[str]) -> None:
    assert clean_authors(values, ["kompas", "kompas.com"]) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["News:", "Editor:B Kunto Wibisono", "brotoseno"], ["brotoseno"]),
        (
            ["Topic: Indra Birowo", "Celebrity: Hot Gossip"],
            ["Indra Birowo", "Celebrity: Hot Gossip"],
        ),
        (["#Pemilu", "pemilu"], ["Pemilu"]),
    ],
)
def test_clean_tags(values: list[str], expected: list[str]) -> None:
    assert clean_tags(values, split_commas=False) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Polres Serahkan Anggota ke Kejaksaan - Kompas.com Regional",
            "Polres Serahkan Anggota ke Kejaksaan",
        ),
        ("Marcella Promo Wisata | Republika Online", "Marcella Promo Wisata"),
        ("KapanLagi.com: Brandon Salim Makin Dekat", "Brandon Salim Makin Dekat"),
        ("Tri Indonesia: Broadband Dorong Ekosistem", "Tri Indonesia: Broadband Dorong Ekosistem"),
        ("Jokowi - Prabowo Bertemu di Istana", "Jokowi - Prabowo Bertemu di Istana"),
    ],
)
def test_strip_site_name(title: str, expected: str) -> None:
    sites = [
        "kompas.com",
        "kompas",
        "republika online",
        "republika",
        "kapanlagi.com",
        "kapanlagi",
        "liputan6",
    ]
    assert strip_site_name(title, sites) == expected


# -- selectors ----------------------------------------------------------------------------------


def test_selector_keys_are_the_documented_ones() -> None:
    documented = "title body date modified authors section tags image next_page remove"
    assert set(documented.split()) == SELECTOR_KEYS


@pytest.mark.parametrize(
    ("selectors", "message"),
    [
        ({"headline": "h1"}, "unknown selector key 'headline'"),
        ({"body": "div[[["}, "selector 'body': invalid CSS selector"),
        ({"date": "xpath://div[@class="}, "selector 'date': invalid XPath selector"),
        ({"title": 3}, "selector 'title' must be a string"),
        ({"remove": []}, "selector 'remove' must be a string or a non-empty list"),
        ({"tags": [{"css": "a"}]}, "selector 'tags' must be a string or a non-empty list"),
        ({"title": None}, "selector 'title' must be a string"),
        (["title"], "selectors must be a mapping"),
        ({"tags": [""]}, "empty selector"),
    ],
)
def test_bad_selectors_are_errors_naming_the_key(selectors: object, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        validate_selectors(selectors)
    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        extract_article(page(), URL, selectors)


def test_selectors_override_every_field() -> None:
    extra = (
        "<div class='meta'><span class='tgl' data-date='2023-01-18T14:32:00+07:00'>Rabu</span>"
        "<span class='ubah'>19/01/2023 08:00 WIB</span><a class='penulis'>Budi</a>"
        "<a class='penulis'>Sri</a><b class='kanal'>Politik</b>"
        "<img class='utama' data-src='/img/utama.jpg'></div>"
        "<div class='topik'><a>Pemilu</a><a>KPU</a></div>"
        "<div class='paging'><a class='lanjut' href='?hal=2'>Lanjut</a></div>"
    )
    selectors = {
        "title": "xpath://title/text()",
        "body": ["div.tidak-ada", "div.isi-berita"],
        "remove": "div.isi-berita p:nth-child(2)",
        "date": "span.tgl",
        "modified": "span.ubah",
        "authors": "a.penulis",
        "section": "b.kanal",
        "tags": "div.topik a",
        "image": "img.utama",
        "next_page": "a.lanjut",
    }
    result = extract_article(page(body_extra=extra), URL, selectors)
    assert result["title"] == "KPU Tetapkan Jadwal Kampanye - Contoh Berita"
    assert result["body"] == PARAGRAPHS[0] + "\n\n" + PARAGRAPHS[2]
    assert result["published_at"] == "2023-01-18T14:32:00+07:00"
    assert result["modified_at"] == "2023-01-19T08:00:00+07:00"
    assert result["authors"] == ["Budi", "Sri"]
    assert result["section"] == "Politik"
    assert result["tags"] == ["Pemilu", "KPU"]
    assert result["image"] == "https://www.contoh-berita.co.id/img/utama.jpg"
    assert result["next_page"] == URL + "?hal=2"


def test_nested_body_matches_are_read_once() -> None:
    result = extract_article(page(), URL, {"body": "div.isi-berita, div.isi-berita p"})
    assert result["body"] == "\n\n".join(PARAGRAPHS)


def test_selector_that_matches_nothing_falls_back_with_a_warning() -> None:
    result = extract_article(page(), URL, {"body": "article.tidak-ada", "title": "h2.tidak-ada"})
    assert result["body"] == "\n\n".join(PARAGRAPHS)
    assert result["title"] == "KPU Tetapkan Jadwal Kampanye"
    assert "body selector matched no text; used the generic extractor" in result["warnings"]


def test_unparseable_selected_date_is_a_warning() -> None:
    html = page(body_extra="<span class='tgl'>2 jam yang lalu</span>")
    result = extract_article(html, URL, {"date": "span.tgl"})
    assert result["published_at"] is None
    assert "unparseable date '2 jam yang lalu' in selector date" in result["warnings"]


# -- boilerplate ------------------------------------------------------------------------------


def test_related_lines_captions_and_share_bars_are_not_body() -> None:
    paragraphs = [
        PARAGRAPHS[0],
        "<strong>Baca Juga:</strong> <a href='/x'>Bawaslu Petakan Kerawanan</a>",
        PARAGRAPHS[1],
        "Simak juga: <a href='/v'>Video Debat</a>",
        "<a href='/y'>Judul berita lain yang hanya tautan saja tanpa teks lain</a>",
        "Lihat juga: <a href='/z'>Foto Rapat</a>",
        "Baca juga <a href='/w'>Partai Baru</a>",
        PARAGRAPHS[2],
        "ADVERTISEMENT",
    ]
    extra = (
        "<figure><img src='/a.jpg'><figcaption>Ketua KPU di Jakarta. (Foto: Antara)</figcaption>"
        "</figure><div class='share-bar'><a>Facebook</a> <a>Twitter</a></div>"
    )
    html = page(paragraphs=paragraphs).replace(
        "<div class='isi-berita'>", f"<div class='isi-berita'>{extra}"
    )
    assert extract_article(html, URL)["body"] == "\n\n".join(PARAGRAPHS)


def test_text_in_br_separated_div_and_dateline_are_paragraphs() -> None:
    body = (
        "<div class='text_detail'><strong>Jakarta</strong> - <p>"
        + "<br><br>".join(PARAGRAPHS)
        + "</p></div>"
    )
    html = f"<html><head><title>Judul</title></head><body><h1>Judul</h1>{body}</body></html>"
    result = extract_article(html, URL)
    assert result["body"] == "\n\n".join(["Jakarta - " + PARAGRAPHS[0], *PARAGRAPHS[1:]])


def test_join_pages_keeps_order_and_drops_repeated_paragraphs() -> None:
    first = extract_article(page(paragraphs=PARAGRAPHS[:2]), URL)
    second = extract_article(page(paragraphs=PARAGRAPHS[1:]), URL + "?page=2")
    joined = join_pages([first, second])
    assert joined["body"] == "\n\n".join(PARAGRAPHS)
    with pytest.raises(ValueError, match="at least one page"):
        join_pages([])


def test_mangled_pages_give_a_result_or_extraction_error_only() -> None:
    """Cut, spliced and corrupted copies of a recorded page never crash the extractor."""
    source = Path(__file__).parent / "extract_pages" / "republika" / "pemilu-kominfo-page1.html"
    original = source.read_bytes()
    rng = random.Random(20240214)  # fixed: the same mangled pages every run
    junk = [b"<", b">", b"</div>", b"<p>", b"<!--", b"]]>", b"\x00", b"\xff\xfe", b"&#xD800;", b'"']
    for _ in range(120):
        data = bytearray(original)
        for _ in range(rng.randint(1, 6)):
            start = rng.randrange(len(data))
            action = rng.random()
            if action < 0.3:
                del data[start : start + rng.randint(1, 5000)]
            elif action < 0.6:
                data[start:start] = rng.choice(junk) * rng.randint(1, 50)
            elif action < 0.8:
                data = data[:start]
            else:
                data[start : start + 64] = bytes(rng.randrange(256) for _ in range(64))
        try:
            result = extract_article(bytes(data), URL)
        except ExtractionError:
            continue
        assert tuple(result) == FIELDS
        assert result["body"] is None or isinstance(result["body"], str)
        if result["published_at"] is not None:
            assert datetime.fromisoformat(result["published_at"]).utcoffset() is not None
