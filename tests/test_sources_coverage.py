"""The shipped source folder: coverage an election desk needs, and every file checkable."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from crawler.sources import KINDS, PROVINCES, SOURCES_DIR, SourceError, load_sources
from pantau.cli import main

SOURCES = load_sources(SOURCES_DIR)
NATIONAL = (
    "detik kompas tribunnews liputan6 cnnindonesia antaranews tempo okezone sindonews suara "
    "kumparan merdeka viva jpnn tirto beritasatu idntimes mediaindonesia jawapos cnbcindonesia "
    "tvonenews metrotvnews republika"
).split()


def routes(source):
    return [
        *source.sitemaps,
        *source.feeds,
        *source.listings,
        *filter(None, [source.wordpress_api]),
    ]


def test_the_folder_validates_and_covers_the_desk():
    assert len(list(SOURCES_DIR.glob("*.yaml"))) >= 60
    assert len(SOURCES) >= 60
    kinds = Counter(s.kind for s in SOURCES)
    assert set(kinds) == set(KINDS)
    assert kinds["local"] >= 8 and kinds["factcheck"] >= 9 and kinds["official"] >= 4
    provinces = {s.region for s in SOURCES} - {"national"}
    assert len(provinces) >= 20
    assert {"Aceh", "Papua"} <= provinces  # Aceh to Papua
    assert set(NATIONAL) <= {s.id for s in SOURCES if s.kind == "national"}
    english = {s.id for s in SOURCES if s.language == "en"}
    assert {"thejakartapost", "jakartaglobe", "antaranews-en", "tempo-en"} <= english


def test_local_outlets_are_four_key_wordpress_files():
    local = [s for s in SOURCES if s.kind == "local"]
    assert len(local) >= 8
    for source in local:
        assert source.platform == "wordpress", source.id
        assert source.wordpress_api and source.feeds and source.sitemaps


def test_no_two_sources_share_a_discovery_url():
    seen = Counter(url.rstrip("/") for s in SOURCES for url in routes(s))
    assert [u for u, n in seen.items() if n > 1] == []


@pytest.mark.parametrize("path", sorted(SOURCES_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_file_says_where_its_routes_were_found(path):
    comments = " ".join(
        line.lstrip("# ")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    )
    assert re.search(r"Routes found:", comments), path.name


def test_disabled_sources_say_why():
    for source in (s for s in SOURCES if not s.enabled):
        text = Path(source.path).read_text(encoding="utf-8")
        assert "# Disabled:" in text, source.id


def test_regions_are_provinces_and_kinds_are_known(tmp_path):
    assert len(PROVINCES) == 38
    good = "id: a\nname: A\nurl: https://a.id/\nplatform: wordpress\n"
    (tmp_path / "a.yaml").write_text(good + "kind: regional\nregion: jawa  timur\n")
    (source,) = load_sources(tmp_path)
    assert (source.kind, source.region) == ("regional", "Jawa Timur")
    for extra, message in [
        ("region: Jawa Timr\n", "did you mean 'Jawa Timur'?"),
        ("region: Sabah\n", "'Sabah' is not an Indonesian province"),
        ("kind: blog\n", "kind: 'blog' is not one of national, regional"),
    ]:
        (tmp_path / "a.yaml").write_text(good + extra)
        with pytest.raises(SourceError, match=re.escape(message)):
            load_sources(tmp_path)


def test_sources_filters_by_kind_and_region(capsys):
    assert main(["sources", "--kind", "factcheck", "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(listed) >= 9 and {r["kind"] for r in listed} == {"factcheck"}
    assert main(["sources", "--kind", "local", "--region", "Jawa Timur"]) == 0
    out = capsys.readouterr().out
    assert "nanjombangnews" in out and "beritajatim" in out and "suarapapua" not in out
    assert out.rstrip().endswith("2 source(s), all valid")
    assert main(["sources", "--kind", "factcheck", "--region", "Jawa Timur"]) == 0
    assert capsys.readouterr().out.strip() == "0 source(s), all valid"
    assert main(["sources", "--region", "Atlantis"]) == 1
    assert "not an Indonesian province" in capsys.readouterr().err
