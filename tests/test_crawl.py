"""Real Scrapy crawls of the loopback fixture sites, first run and incremental re-runs."""

from __future__ import annotations

import difflib
import json
import re
from urllib.parse import urlsplit

import pytest
from crawl_helpers import article_requests, crawl

from pantau.fixture_site import FixtureSites, story_pairs
from pantau.schema import ITEM_FIELDS
from pantau.store import SqliteStore

UPDATED_BODY = (
    "REPUBLIKA.CO.ID, JAKARTA -- Badan Pengawas Pemilu (Bawaslu) memperbarui imbauannya kepada "
    "warga agar melaporkan setiap dugaan serangan fajar selama masa tenang Pemilu 2024.\n\n"
    "Anggota Bawaslu mengatakan laporan dapat disampaikan melalui posko pengaduan di setiap "
    "kecamatan maupun lewat layanan daring yang dibuka hingga hari pemungutan suara.\n\n"
    "Bawaslu juga menambah jumlah pengawas di desa-desa yang dinilai rawan politik uang."
)
COMPARED = (
    "title",
    "body",
    "authors",
    "published_at",
    "modified_at",
    "section",
    "tags",
    "image",
    "language",
)


@pytest.fixture(scope="module")
def sites():
    with FixtureSites() as live:
        yield live
        assert live.errors == []


@pytest.fixture(scope="module")
def first(sites, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("crawl")
    run = crawl(sites, workdir, name="first")
    assert run.returncode == 0, run.stderr[-3000:]
    return workdir, run


def by_url(items):
    return {item["url"].rstrip("/"): item for item in items}


def test_every_expected_article_is_extracted_as_recorded(sites, first):
    _, run = first
    items = by_url(run.items)
    problems = []
    for site in ("portal", "wordpress"):
        for expected in sites.expected_articles(site):
            item = items.get(expected["url"].rstrip("/"))
            if item is None:
                problems.append(f"missing: {expected['url']}")
                continue
            for field in COMPARED:
                got, want = item.get(field), expected.get(field)
                if got != want:
                    diff = "\n".join(
                        difflib.unified_diff(
                            str(want).split("\n"),
                            str(got).split("\n"),
                            "expected",
                            "crawled",
                            lineterm="",
                        )
                    )
                    problems.append(f"{expected['url']} {field}:\n{diff}")
    assert not problems, "\n\n".join(problems)


def test_items_carry_every_schema_field(first):
    _, run = first
    assert run.items
    for item in run.items:
        assert set(ITEM_FIELDS) <= set(item), set(ITEM_FIELDS) - set(item)
        assert item["source_type"] == "news"
        assert item["id"] and item["content_hash"] and item["crawled_at"]


def test_store_holds_one_row_per_article(sites, first):
    workdir, run = first
    store = SqliteStore(workdir / "pantau.db")
    expected = len(sites.expected_articles("portal")) + len(sites.expected_articles("wordpress"))
    assert store.count() == expected == len({i["id"] for i in run.items})
    store.close()


def test_summary_per_source(first):
    _, run = first
    lines = {line.split()[0]: line.split()[1:] for line in run.stdout.splitlines()[2:]}
    assert set(lines) == {"republika-fixture", "nanjombangnews-fixture"}
    pages, new = int(lines["republika-fixture"][0]), int(lines["republika-fixture"][1])
    assert pages > new >= 10
    failed = int(lines["republika-fixture"][5])
    assert failed == 1  # the empty "untitled" trap page


def test_traps_are_not_followed_or_flooded(sites, first):
    _, run = first
    paths = [path for site, _, path in run.requests]
    assert not any(site == "external" for site, _, _ in run.requests)
    assert not any(p.startswith("/search") for p in paths), "robots.txt disallows /search"
    assert sum(p.startswith("/arsip/") for p in paths) <= 1
    assert sum(p.startswith("/loop/") for p in paths) <= 6
    assert "is application/pdf, not HTML" in run.stderr
    assert "malformed XML" in run.stderr and "sitemap-video.xml" in run.stderr
    assert "extraction failed for" in run.stderr and "rkosong00" in run.stderr
    urls = {item["url"] for item in run.items}
    assert not any("rgal3mb24" in u for u in urls), "the oversize page must be dropped"
    flaky = [p for p in paths if "rp5asn722" in p]
    assert len(flaky) >= 2 and any("rp5asn722" in u for u in urls), "Retry-After then success"


def test_split_articles_are_joined(first):
    _, run = first
    items = by_url(run.items)
    split = [i for u, i in items.items() if "rp2rcu418" in u or "rp8kmf301" in u]
    assert len(split) == 2
    assert not any(re.search(r"\?page=|-part\d", i["url"]) for i in split)
    assert all(len(i["body"].split("\n\n")) >= 6 for i in split)


def test_second_crawl_fetches_no_article_page(sites, first):
    workdir, _ = first
    run = crawl(sites, workdir, name="second")
    assert run.returncode == 0, run.stderr[-3000:]
    assert article_requests(run) == []
    # discovery still happened
    paths = [p for _, _, p in run.requests]
    assert any(p.startswith("/sitemap") for p in paths)
    assert any(p.startswith("/wp-json/wp/v2/posts") and "modified_after" in p for p in paths)
    assert run.items == []


def test_changed_articles_are_refetched_and_updated_in_place(sites, first):
    workdir, _ = first
    crawl(sites, workdir, name="settle")  # any retry-after leftovers settle first
    portal = sites.update_article("portal", "rp9srf210", body=UPDATED_BODY)
    wp = sites.update_article(
        "wordpress", "4127", title="Kominfo Siapkan Tiga Strategi (Diperbarui)"
    )
    run = crawl(sites, workdir, name="third")
    assert run.returncode == 0, run.stderr[-3000:]
    fetched = article_requests(run)
    assert fetched and all("rp9srf210" in p for p in fetched), fetched
    assert {i["url"].rstrip("/") for i in run.items} == {
        portal["url"].rstrip("/"),
        wp["url"].rstrip("/"),
    }
    store = SqliteStore(workdir / "pantau.db")
    rows = store.conn.execute(
        "SELECT COUNT(*) FROM documents WHERE url LIKE '%rp9srf210%'"
    ).fetchone()[0]
    assert rows == 1
    updated = [i for i in run.items if "rp9srf210" in i["url"]][0]
    assert store.get(updated["id"])["body"].endswith(UPDATED_BODY.split("\n\n")[-1])
    assert store.get(updated["id"])["modified_at"] == portal["modified_at"]
    assert "Diperbarui" in [i for i in run.items if i["url"] == wp["url"]][0]["title"]
    store.close()
    assert "updated" in run.stdout.splitlines()[0]


def test_republished_stories_share_a_cluster(first):
    workdir, run = first
    store = SqliteStore(workdir / "pantau.db")
    by_path = {urlsplit(d["url"]).path.rstrip("/"): d for d in store.iter_documents()}
    pairs = story_pairs()
    assert pairs, "the fixture sites carry republished stories"
    for portal_path, wordpress_path in pairs:
        original = by_path[portal_path.rstrip("/")]
        copy = by_path[wordpress_path.rstrip("/")]
        assert copy["cluster_id"] == original["cluster_id"], (portal_path, wordpress_path)
        # the crawl may meet the copy first; the store still names the earlier original
        assert copy["duplicate_of"] == original["id"]
        assert original["duplicate_of"] is None
        summary = store.cluster_summary(original["cluster_id"])
        assert summary["outlets"] == 2 and summary["first_source"] == "republika-fixture"
    assert len({d["cluster_id"] for d in by_path.values()}) == len(by_path) - len(pairs)
    crawled = {i["id"]: i["cluster_id"] for i in run.items}
    assert all(crawled[d["id"]] == d["cluster_id"] for d in by_path.values())
    store.close()


def test_feed_export_through_scrapy_itself(sites, tmp_path):
    import os
    import subprocess
    import sys

    from crawl_helpers import FAST, ROOT

    folder = tmp_path / "src"
    folder.mkdir()
    sites.write_sources(folder)
    out = tmp_path / "out.jsonl"
    cmd = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "news",
        "-a",
        f"sources={folder / 'nanjombangnews-fixture.yaml'}",
        "-O",
        str(out),
        "-s",
        f"PANTAU_STORE={tmp_path / 's.db'}",
        "-s",
        f"PANTAU_QUERIES={tmp_path}",
    ]
    for key, value in FAST.items():
        cmd += ["-s", f"{key}={value}"]
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "ELASTICSEARCH_URL"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    items = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(items) == len(sites.expected_articles("wordpress"))
    assert all(i["source"] == "nanjombangnews-fixture" for i in items)
