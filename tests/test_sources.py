from pathlib import Path

import pytest

from crawler.sources import SOURCES_DIR, SourceError, load_sources, select_sources


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_sources_are_valid():
    sources = {s.id: s for s in load_sources(SOURCES_DIR)}
    assert {"republika", "nanjombangnews"} <= set(sources)
    rep = sources["republika"]
    assert rep.is_article_url("https://www.republika.co.id/berita/rp8abc/judul")
    assert not rep.is_article_url("https://www.republika.co.id/indeks")
    assert not rep.is_article_url("https://example.com/berita/rp8abc/judul")
    wp = sources["nanjombangnews"]
    assert wp.wordpress_api == "https://nanjombangnews.com/wp-json/wp/v2/posts"
    assert wp.feeds == ("https://nanjombangnews.com/feed/",)
    assert wp.sitemaps == ("https://nanjombangnews.com/wp-sitemap.xml",)


def test_a_wordpress_outlet_needs_four_keys(tmp_path):
    write(
        tmp_path, "x.yaml", "id: lokal\nname: Lokal\nurl: https://lokal.id/\nplatform: wordpress\n"
    )
    (src,) = load_sources(tmp_path)
    assert src.language == "id" and src.timezone == "+07:00"
    assert src.allows("https://www.lokal.id/2024/01/01/a/") and not src.allows("https://x.id/")


def test_a_file_may_hold_a_list(tmp_path):
    write(
        tmp_path,
        "many.yaml",
        "sources:\n"
        "  - {id: a, name: A, url: 'https://a.id/', platform: wordpress}\n"
        "  - {id: b, name: B, url: 'https://b.id/', platform: wordpress, timezone: WITA}\n",
    )
    sources = load_sources(tmp_path)
    assert [s.id for s in sources] == ["a", "b"]
    assert sources[1].timezone == "+08:00"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: a\nname: A\nurl: https://a.id/\nplatfrom: wordpress\n", "platfrom: unknown key"),
        ("id: a\nname: A\nurl: https://a.id/\nplatform: blogger\n", "platform: 'blogger'"),
        ("id: a\nurl: https://a.id/\nplatform: wordpress\n", "name: required key is missing"),
        ("id: A B\nname: A\nurl: https://a.id/\nplatform: wordpress\n", "id: 'A B'"),
        ("id: a\nname: A\nurl: a.id\nplatform: wordpress\n", "url: expected an http(s) URL"),
        (
            "id: a\nname: A\nurl: https://a.id/\ndiscovery: {feeds: https://a.id/rss}\n",
            "discovery.feeds: expected a list",
        ),
        (
            "id: a\nname: A\nurl: https://a.id/\ndiscovery: {listings: ['https://a.id/i']}\n",
            "article_urls: listings need",
        ),
        (
            "id: a\nname: A\nurl: https://a.id/\ndiscovery: {feeds: ['https://a.id/r']}\n"
            "article_urls: '(['\n",
            "article_urls: invalid regular expression",
        ),
        (
            "id: a\nname: A\nurl: https://a.id/\nplatform: wordpress\nselectors: {titel: h1}\n",
            "selectors.titel: unknown selector",
        ),
        ("id: a\nname: A\nurl: https://a.id/\n", "discovery: a generic source needs"),
        (
            "id: a\nname: A\nurl: https://a.id/\nplatform: wordpress\nselectors: {title: 'h1[['}\n",
            "selectors.title:",
        ),
        ("id: [a\n", "not valid YAML"),
        ("", "the file is empty"),
    ],
)
def test_mistakes_name_the_file_and_key(tmp_path, text, message):
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(SourceError) as err:
        load_sources(tmp_path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_every_broken_file_is_reported_at_once(tmp_path):
    write(tmp_path, "one.yaml", "id: a\nname: A\nurl: https://a.id/\nplatform: nope\n")
    write(tmp_path, "two.yaml", "id: b\nname: B\nurl: https://b.id/\ncolour: red\n")
    with pytest.raises(SourceError) as err:
        load_sources(tmp_path)
    assert "one.yaml" in str(err.value) and "two.yaml" in str(err.value)


def test_duplicate_ids_are_refused(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        write(tmp_path, name, "id: same\nname: S\nurl: https://s.id/\nplatform: wordpress\n")
    with pytest.raises(SourceError, match="already used"):
        load_sources(tmp_path)


def test_select_by_id_and_by_path(tmp_path):
    everything = load_sources(SOURCES_DIR)
    assert [s.id for s in select_sources(everything, "republika")] == ["republika"]
    with pytest.raises(SourceError, match="unknown source id"):
        select_sources(everything, "republika,nope")
    path = write(tmp_path, "x.yaml", "id: x\nname: X\nurl: https://x.id/\nplatform: wordpress\n")
    assert [s.id for s in select_sources(everything, str(path))] == ["x"]
