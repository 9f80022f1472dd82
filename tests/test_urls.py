import pytest

from pantau.urls import content_hash, doc_id, normalize_url

SAME_ARTICLE = [
    "https://www.republika.co.id/berita/rp8abc/kominfo-siapkan-strategi",
    "http://republika.co.id/berita/rp8abc/kominfo-siapkan-strategi/",
    "https://m.republika.co.id/berita/rp8abc/kominfo-siapkan-strategi",
    "https://republika.co.id/amp/berita/rp8abc/kominfo-siapkan-strategi",
    "https://republika.co.id/berita/rp8abc/kominfo-siapkan-strategi?utm_source=twitter&fbclid=x",
    "https://REPUBLIKA.co.id:443/berita/rp8abc/kominfo-siapkan-strategi#komentar",
]


@pytest.mark.parametrize("url", SAME_ARTICLE)
def test_variants_of_one_article_share_an_id(url):
    assert doc_id(url) == doc_id(SAME_ARTICLE[0])
    assert normalize_url(url) == "https://republika.co.id/berita/rp8abc/kominfo-siapkan-strategi"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://x.id/berita/1/a", "https://x.id/berita/2/a"),
        ("https://x.id/read?id=1", "https://x.id/read?id=2"),
        ("https://x.id:8080/a", "https://x.id:8081/a"),
        ("https://news.x.id/a", "https://sport.x.id/a"),
    ],
)
def test_different_articles_keep_different_ids(a, b):
    assert doc_id(a) != doc_id(b)


def test_wordpress_amp_suffix_and_query_order():
    assert normalize_url("https://nanjombangnews.com/2023/01/21/judul/amp/") == normalize_url(
        "https://nanjombangnews.com/2023/01/21/judul/"
    )
    assert normalize_url("https://x.id/a?b=2&a=1") == "https://x.id/a?a=1&b=2"


def test_content_hash_ignores_whitespace_and_case_only():
    assert content_hash("Judul", "Isi  berita\n\nlagi") == content_hash("judul", "isi berita lagi")
    assert content_hash("Judul", "Isi berita") != content_hash("Judul", "Isi berita baru")
