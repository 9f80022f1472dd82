"""Fact-check verdicts end to end: a real crawl stores them, search finds them, and a store
made before the fields existed gains them on open."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from loopback_outlets import ROBOTS_OPEN, feed, outlets, write_source

from pantau.fixture_site.responses import html_page, plain, rss_document
from pantau.store.sqlite import SqliteStore

PAGES = Path(__file__).parent / "factcheck_pages"
TBH = (PAGES / "turnbackhoax" / "surat-suara-tercoblos.html").read_text(encoding="utf-8")
KOMPAS = (PAGES / "kompas-cekfakta" / "hoaks-kpu-sirekap.html").read_text(encoding="utf-8")
DATES = ["Sat, 10 Feb 2024 09:15:00 +0700", "Fri, 16 Feb 2024 10:33:00 +0700"]


def test_a_crawl_stores_verdicts_of_factcheckers_only(tmp_path):
    with outlets("checker", "portal") as made:
        for outlet in made.values():
            outlet.serve(
                {
                    "/robots.txt": plain(ROBOTS_OPEN),
                    "/rss": rss_document(feed(outlet.url, ["/a/1", "/a/2"], DATES)),
                    "/a/1": html_page(TBH),
                    "/a/2": html_page(KOMPAS),
                }
            )
        sources = tmp_path / "sources"
        sources.mkdir()
        write_source(
            sources, "checker", made["checker"].url, f"{{feeds: ['{made['checker'].url}/rss']}}"
        )
        write_source(
            sources, "portal", made["portal"].url, f"{{feeds: ['{made['portal'].url}/rss']}}"
        )
        text = (sources / "checker.yaml").read_text().replace("kind: regional", "kind: factcheck")
        (sources / "checker.yaml").write_text(text)
        (tmp_path / "no-queries").mkdir()
        env = {**os.environ, "PANTAU_QUERIES": str(tmp_path / "no-queries")}
        env.pop("ELASTICSEARCH_URL", None)
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pantau",
                "crawl",
                "--sources-dir",
                str(sources),
                "--store",
                str(tmp_path / "p.db"),
                "-O",
                str(tmp_path / "out.jsonl"),
                "-s",
                "DOWNLOAD_DELAY=0",
                "-s",
                "AUTOTHROTTLE_ENABLED=False",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert run.returncode == 0, run.stderr[-2000:]
    items = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    by = {(i["source"], i["url"].rsplit("/", 1)[-1]): i for i in items}
    assert len(by) == 4
    assert by[("checker", "1")]["verdict"] == "false"
    assert by[("checker", "1")]["verdict_label"] == "Salah"
    assert by[("checker", "1")]["claim"].startswith("Video memperlihatkan surat suara")
    assert (by[("checker", "2")]["verdict"], by[("checker", "2")]["verdict_label"]) == (
        "false",
        "HOAKS",
    )
    # The same pages on a news portal are reporting, not findings.
    assert by[("portal", "1")]["verdict"] is None and by[("portal", "2")]["claim"] is None

    store = SqliteStore(tmp_path / "p.db")
    try:
        hits = store.search("verdict:false")
        assert {h["source"] for h in hits} == {"checker"} and len(hits) == 2
        assert [h["url"][-1] for h in store.search("verdict_label:salah")] == ["1"]
        assert store.search("verdict:false AND sirekap")[0]["verdict_label"] == "HOAKS"
    finally:
        store.close()


def test_an_older_store_gains_the_verdict_columns(tmp_path):
    path = tmp_path / "old.db"
    old = SqliteStore(path)
    old.upsert(
        {
            "id": "a",
            "url": "https://x.id/a",
            "canonical_url": "https://x.id/a",
            "source": "x",
            "title": "Lama",
            "body": "isi lama",
        }
    )
    old.close()
    conn = sqlite3.connect(path)  # make it look like a store from before the fields existed
    conn.execute("DROP INDEX documents_verdict")
    for column in ("claim", "verdict", "verdict_label"):
        conn.execute(f"ALTER TABLE documents DROP COLUMN {column}")
    conn.commit()
    conn.close()

    store = SqliteStore(path)
    try:
        assert store.get("a")["title"] == "Lama" and store.get("a")["verdict"] is None
        store.upsert(
            {
                "id": "b",
                "url": "https://x.id/b",
                "canonical_url": "https://x.id/b",
                "source": "x",
                "title": "[SALAH] Baru",
                "body": "isi",
                "claim": "Baru",
                "verdict": "false",
                "verdict_label": "SALAH",
            }
        )
        assert [h["id"] for h in store.search("verdict:false")] == ["b"]
        assert store.search("NOT verdict:false")[0]["id"] == "a"
    finally:
        store.close()
    reopened = SqliteStore(path)  # a second open finds nothing to add
    reopened.close()
