"""Split articles: is_next_page_of (table) and find_next_page on article and listing pages."""

from __future__ import annotations

import pytest

from crawler.extract import find_next_page, is_next_page_of

ARTICLE = "https://news.contoh.co.id/berita/rov8x1320/kpu-tetapkan-jadwal-kampanye"


@pytest.mark.parametrize(
    ("current", "candidate", "expected"),
    [
        (ARTICLE, ARTICLE + "?page=2", True),
        (ARTICLE + "?page=2", ARTICLE + "?page=3", True),
        (ARTICLE + "?page=2", ARTICLE + "?page=4", False),
        (ARTICLE + "?page=3", ARTICLE + "?page=2", False),
        (ARTICLE, ARTICLE + "?hal=2", True),
        (ARTICLE, ARTICLE + "?page=3", False),
        (ARTICLE, ARTICLE + "?page=all", False),
        (ARTICLE, ARTICLE + "?utm_source=2", False),  # not a page parameter
        (ARTICLE + "?utm_source=x", ARTICLE + "?utm_source=x&page=2", True),
        (ARTICLE, ARTICLE + "/2", True),
        (ARTICLE + "/", ARTICLE + "/2/", True),
        (ARTICLE, ARTICLE + "/page/2", True),
        (ARTICLE + "/2", ARTICLE + "/3", True),
        (ARTICLE, ARTICLE + "/halaman-2", True),
        (ARTICLE + "/halaman-2", ARTICLE + "/halaman-3", True),
        (ARTICLE, ARTICLE + "/halaman-3", False),
        (ARTICLE, ARTICLE + "-part2", True),
        (ARTICLE + "-part2", ARTICLE + "-part3", True),
        (ARTICLE + "-part2", ARTICLE + "-part4", False),
        (ARTICLE, ARTICLE + "_page2", True),
        (ARTICLE, ARTICLE + "-2", False),  # WordPress's next post with the same title
        # a number inside a slug is not a page number
        ("https://a.co.id/berita/pemilu-2024", "https://a.co.id/berita/pemilu-2025", False),
        (ARTICLE, ARTICLE + "/3", False),
        # detik: the page number sits inside the path
        (
            "https://finance.detik.com/readfoto/2016/02/23/153201/3149106/461/1/gardu-induk",
            "https://finance.detik.com/readfoto/2016/02/23/153201/3149106/461/2/gardu-induk",
            True,
        ),
        # the next article, not the next page: two segments differ
        (
            "https://www.antaranews.com/berita/527615/penerbangan-dibatalkan",
            "https://www.antaranews.com/berita/527616/riset-pangan",
            False,
        ),
        # another host
        (ARTICLE, "https://lain.co.id/berita/rov8x1320/kpu-tetapkan-jadwal-kampanye?page=2", False),
        (
            ARTICLE,
            "https://bola.contoh.co.id/berita/rov8x1320/kpu-tetapkan-jadwal-kampanye?page=2",
            False,
        ),
        ("https://contoh.co.id/a/b?page=1", "https://www.contoh.co.id/a/b?page=2", True),
        (ARTICLE, ARTICLE, False),
    ],
)
def test_is_next_page_of(current: str, candidate: str, expected: bool) -> None:
    assert is_next_page_of(current, candidate) is expected


PARAGRAPHS = "".join(
    f"<p>Paragraf {i}: Komisi Pemilihan Umum menetapkan jadwal kampanye, kata ketua KPU, "
    f"dan Bawaslu akan mengawasi, menurut keterangan tertulis yang diterima wartawan.</p>"
    for i in range(6)
)


def article(pager: str, head: str = "", sidebar: str = "") -> str:
    return (
        f"<html><head><title>KPU Tetapkan Jadwal</title>{head}</head><body>"
        "<div class='wrap'><div class='main'><h1>KPU Tetapkan Jadwal</h1>"
        f"<div class='detail-text'>{PARAGRAPHS}{pager}</div></div>"
        f"<div class='sidebar'>{sidebar}</div></div></body></html>"
    )


def test_halaman_links_in_the_article() -> None:
    pager = (
        "<div class='paging'>Halaman <a href='?page=1'>1</a> <a href='?page=2'>2</a> "
        "<a href='?page=3'>3</a> <a href='?page=2'>Selanjutnya</a></div>"
    )
    assert find_next_page(article(pager), ARTICLE) == ARTICLE + "?page=2"
    assert find_next_page(article(pager), ARTICLE + "?page=2") == ARTICLE + "?page=3"


def test_berikutnya_with_a_path_page_number() -> None:
    pager = f"<a class='next' href='{ARTICLE}/2'>Berikutnya »</a>"
    assert find_next_page(article(pager), ARTICLE) == ARTICLE + "/2"


def test_part_suffix_pages_chain() -> None:
    pager = (
        f"<div class='halaman'><a href='{ARTICLE}'>Halaman 1</a> <span>Halaman 2</span> "
        f"<a href='{ARTICLE}-part3'>Halaman 3</a></div>"
    )
    assert find_next_page(article(pager), ARTICLE + "-part2") == ARTICLE + "-part3"


def test_last_page_has_no_next_page() -> None:
    pager = "<div class='paging'><a href='?page=1'>Sebelumnya</a> <a href='?page=1'>1</a> 2</div>"
    assert find_next_page(article(pager), ARTICLE + "?page=2") is None


def test_next_article_link_is_not_a_next_page() -> None:
    sidebar = "<a href='/berita/rov9x/pilkada-serentak'>Berita Selanjutnya</a>"
    pager = "<a href='/berita/rov9x/pilkada-serentak' rel='next'>Selanjutnya</a>"
    assert find_next_page(article(pager, sidebar=sidebar), ARTICLE) is None


def test_rel_next_in_the_head_of_an_article_page() -> None:
    head = f'<meta property="og:type" content="article"><link rel="next" href="{ARTICLE}?page=2">'
    assert find_next_page(article("", head=head), ARTICLE) == ARTICLE + "?page=2"


def test_rel_next_of_a_page_that_does_not_say_it_is_an_article_is_not_trusted() -> None:
    head = f'<link rel="next" href="{ARTICLE}?page=2">'
    assert find_next_page(article("", head=head), ARTICLE) is None


def test_listing_pagination_is_not_article_pagination() -> None:
    listing_url = "https://news.contoh.co.id/indeks"
    teasers = "".join(
        f"<li><a href='/berita/{i}/judul-{i}'>Judul berita nomor {i} tentang pemilu</a>"
        f"<span>Rabu, 18/01/2023 1{i % 10}:00 WIB</span></li>"
        for i in range(30)
    )
    html = (
        "<html><head><title>Indeks Berita</title>"
        f"<link rel='next' href='{listing_url}?page=2'></head><body><h1>Indeks Berita</h1>"
        f"<ul class='indeks'>{teasers}</ul><div class='paging'><a href='?page=2'>2</a> "
        "<a href='?page=2'>Selanjutnya</a></div></body></html>"
    )
    assert find_next_page(html, listing_url) is None


def test_selector_override_for_the_next_page() -> None:
    pager = "<span class='nav-hal'><a href='/lain/halaman-dua'>Baca halaman 2</a></span>"
    next_page = find_next_page(article(pager), ARTICLE, {"next_page": "span.nav-hal a"})
    assert next_page == "https://news.contoh.co.id/lain/halaman-dua"


def test_unreadable_page_has_no_next_page() -> None:
    assert find_next_page(b"", ARTICLE) is None
