"""Crawls that go wrong: killed midway, a dead site, a broken source file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest
from crawl_helpers import ROOT, article_requests, crawl, crawl_command

from pantau.fixture_site import FixtureSites


@pytest.fixture
def sites():
    with FixtureSites() as live:
        yield live


def stored(path) -> int:
    try:
        with sqlite3.connect(path, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_killed_crawl_resumes_without_loss_or_much_repetition(sites, tmp_path):
    store = tmp_path / "pantau.db"
    slow = {
        "DOWNLOAD_DELAY": "0.4",
        "AUTOTHROTTLE_ENABLED": "False",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
        "RANDOMIZE_DOWNLOAD_DELAY": "False",
    }
    cmd, env = crawl_command(sites, tmp_path, store=store, settings=slow)
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 90
    while stored(store) < 4 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    before = stored(store)
    total = len(sites.expected_articles("portal")) + len(sites.expected_articles("wordpress"))
    assert 4 <= before < total, "the crawl should have been killed midway"

    with sqlite3.connect(store) as conn:
        done = {urlsplit(u).path for (u,) in conn.execute("SELECT url FROM documents")}
    run = crawl(sites, tmp_path, store=store, name="resume")
    assert run.returncode == 0, run.stderr[-3000:]
    assert stored(store) == total
    refetched = {urlsplit(p).path for p in article_requests(run)}
    assert not refetched & done, "articles stored before the kill were fetched again"


def test_dead_site_is_reported_and_the_other_still_crawled(sites, tmp_path):
    sites.set_down("portal", refuse=True)
    run = crawl(sites, tmp_path, name="dead", settings={"RETRY_TIMES": "1"})
    # the crawl finishes, but a scheduler sees a failure naming the outlet that answered nothing
    assert run.returncode == 1, run.stderr[-3000:]
    assert "no page could be fetched from: republika-fixture" in run.stderr
    assert {i["source"] for i in run.items} == {"nanjombangnews-fixture"}
    assert "republika-fixture" in run.stderr and "Connection refused" in run.stderr
    row = next(line for line in run.stdout.splitlines() if line.startswith("republika-fixture"))
    assert int(row.split()[-2]) >= 1  # discovery errors counted
    sites.set_down("portal", False)
    again = crawl(sites, tmp_path, name="back")
    assert again.returncode == 0, again.stderr[-3000:]
    assert any(i["source"] == "republika-fixture" for i in again.items)


def test_wordpress_api_down_falls_back_to_feed_and_sitemap(sites, tmp_path):
    # a WordPress site whose REST API is blocked still yields its posts
    src = tmp_path / "sources"
    src.mkdir()
    url = sites.wordpress_url
    (src / "wp.yaml").write_text(
        f"id: wp\nname: WP\nurl: {url}/\nplatform: wordpress\n"
        f"discovery:\n  wordpress_api: {url}/wp-json/wp/v2/nothing-here\n"
    )
    run = crawl(sites, tmp_path, name="fallback")
    assert run.returncode == 0, run.stderr[-3000:]
    assert "WordPress API unusable" in run.stderr
    assert len({i["url"] for i in run.items}) == len(sites.expected_articles("wordpress"))


def test_broken_source_file_stops_before_fetching(sites, tmp_path):
    src = tmp_path / "sources"
    src.mkdir()
    (src / "bad.yaml").write_text("id: bad\nname: Bad\nurl: https://x.id/\nplatfrom: wordpress\n")
    cmd = [
        sys.executable,
        "-m",
        "pantau",
        "crawl",
        "--sources-dir",
        str(src),
        "--store",
        str(tmp_path / "s.db"),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "bad.yaml: platfrom: unknown key (did you mean 'platform'?)" in proc.stderr
    assert sites.requests == []


def test_unknown_source_id_is_named(tmp_path):
    cmd = [sys.executable, "-m", "pantau", "crawl", "nope", "--store", str(tmp_path / "s.db")]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "unknown source id(s): nope" in proc.stderr
