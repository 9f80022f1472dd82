"""The index stage in real crawls against a loopback site and the loopback cluster.

Each crawl runs in its own process (Scrapy's reactor starts once per process), driven by
CRAWL below: a spider reads the site served here and yields items; after the Elasticsearch
pipeline a last pipeline prints ``ACK <id>``, which is the moment Scrapy considers the item
handed on. The cluster can be down, vanish mid-crawl, or the crawl can be killed; nothing
acknowledged may be missing from the index once the cluster is back and the spool replayed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from es_fake import (  # noqa: F401
    FakeCluster,
    cluster_fixture,
    dead_letters,
    es_env,
    make_item,
)
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from pantau.es.config import EsConfigError, es_config_from, make_client
from pantau.es.index_config import load_index_config
from pantau.es.indexer import Indexer
from pantau.es.setup import run_setup
from pantau.es.spool import Spool, decode
from pipelines.elasticsearch import ElasticsearchPipeline

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
ARTICLES = 12
BAD = 3  # this article carries a value the mapping refuses

CRAWL = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, sys.argv[3])
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from es_fake import make_item

    class Site(scrapy.Spider):
        name = "site"
        start_urls = [sys.argv[2]]

        def parse(self, response):
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href, self.article)

        def article(self, response):
            number = int(response.url.rsplit("/", 1)[1])
            extra = {"language_score": "tinggi"} if number == BAD else {}
            yield make_item(number, url=response.url, title=response.css("h1::text").get(),
                            **extra)

    class Ack:
        def process_item(self, item):
            print("ACK", item["id"], flush=True)
            return item

    settings = json.loads(sys.argv[1])
    settings.update({
        "ITEM_PIPELINES": {
            "pipelines.elasticsearch.ElasticsearchPipeline": 700,
            "__main__.Ack": 800,
        },
        "ROBOTSTXT_OBEY": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "CONCURRENT_REQUESTS": 2,
    })
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(Site)
    process.crawl(crawler)
    process.start()
    stats = {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("elasticsearch/")}
    print("STATS", json.dumps(stats), flush=True)
    """
).replace("BAD", str(BAD))


class Site:
    """An index page linking ARTICLES article pages, each answered after ``delay`` seconds."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.served = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:
                if self.path == "/":
                    links = "".join(f'<a href="/a/{n}">{n}</a>' for n in range(ARTICLES))
                    page = f"<html><body>{links}</body></html>"
                else:
                    time.sleep(site.delay)
                    number = int(self.path.rsplit("/", 1)[1])
                    page = f"<html><body><h1>Berita {number}</h1></body></html>"
                    site.served += 1
                data = page.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _settings(cluster: FakeCluster, tmp_path: Path, **extra: Any) -> dict[str, str]:
    return es_env(cluster.url, tmp_path, PANTAU_ES_BATCH_SIZE=5, **extra)


def _set_up(cluster: FakeCluster, tmp_path: Path) -> None:
    config = es_config_from(_settings(cluster, tmp_path))
    run_setup(make_client(config), load_index_config())


def _start_crawl(settings: dict[str, str], site: Site) -> subprocess.Popen:
    # A file, not -c: Scrapy reads the spider's source to check its callbacks.
    script = Path(settings["PANTAU_ES_SPOOL"]).parent / "crawl.py"
    script.write_text(CRAWL)
    return subprocess.Popen(
        [sys.executable, "-W", "error", str(script), json.dumps(settings), site.url, str(TESTS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=REPO,
        text=True,
    )


def _finish(child: subprocess.Popen) -> tuple[list[str], dict[str, int], str]:
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    acked = [line.split()[1] for line in out.splitlines() if line.startswith("ACK ")]
    (stats_line,) = [line for line in out.splitlines() if line.startswith("STATS ")]
    return acked, json.loads(stats_line[6:]), err


def _crawl(settings: dict[str, str], site: Site) -> tuple[list[str], dict[str, int], str]:
    return _finish(_start_crawl(settings, site))


def _good_ids() -> set[str]:
    return {make_item(n)["id"] for n in range(ARTICLES) if n != BAD}


def _spooled_ids(tmp_path: Path) -> set[str]:
    spool = Spool(tmp_path / "spool")
    return {record["id"] for path in spool.iter_files() for record in decode(path.read_bytes())[0]}


def test_a_cluster_lost_mid_crawl_gets_everything_from_the_next_crawl(
    cluster: FakeCluster,
    tmp_path: Path,
) -> None:
    _set_up(cluster, tmp_path)
    slow = Site(delay=0.1)
    try:
        # 1. The cluster answers the first batch, then vanishes for the rest of the crawl.
        child = _start_crawl(_settings(cluster, tmp_path), slow)
        deadline = time.monotonic() + 30
        while not cluster.bulk_requests() and time.monotonic() < deadline:
            time.sleep(0.005)
        cluster.stop()
        started = time.monotonic()
        acked, stats, err = _finish(child)
        assert time.monotonic() - started < 20  # the crawl does not wait out the outage
        first = set(cluster.docs("pantau-articles"))
        assert len(acked) == ARTICLES
        assert 0 < len(first) < ARTICLES
        assert stats["elasticsearch/unreachable"] >= 1
        waiting = stats["elasticsearch/left_in_spool"]
        spooled = _spooled_ids(tmp_path)
        assert waiting == len(spooled) > 0
        assert (
            stats["elasticsearch/accepted"] + waiting + stats["elasticsearch/rejected"] == ARTICLES
        )
        assert "pantau es replay" in err

        # 2. Back up: the next crawl sends the spool first, then its own items, which are
        # the same articles again and so answered 409; one item needs retries on the way.
        cluster.start()
        cluster.requests.clear()
        cluster.item_failures = {make_item(5)["id"]: [429, 503]}
        slow.delay = 0
        acked, stats, _ = _crawl(_settings(cluster, tmp_path), slow)
    finally:
        slow.close()
    assert len(acked) == ARTICLES
    assert set(cluster.docs("pantau-articles")) == _good_ids()
    first_bulk = [line["index"]["_id"] for line in cluster.bulk_requests()[0].body[0::2]]
    assert set(first_bulk) <= spooled  # what waited goes first
    assert stats["elasticsearch/spooled"] == ARTICLES
    assert stats["elasticsearch/sent"] == ARTICLES + waiting
    # A batch the cluster stored just as it vanished was never acknowledged: it stayed in the
    # spool and is answered 409 now, like every fresh copy of an article already indexed.
    assert stats["elasticsearch/accepted"] == len(_good_ids() - first)
    answered = ("accepted", "conflicts", "rejected")
    assert sum(stats[f"elasticsearch/{name}"] for name in answered) == ARTICLES + waiting
    assert stats["elasticsearch/retried"] == 2
    assert stats["elasticsearch/left_in_spool"] == 0
    assert all(len(r.body) // 2 <= 5 for r in cluster.bulk_requests())  # PANTAU_ES_BATCH_SIZE
    letters = dead_letters(tmp_path)
    assert {letter["id"] for letter in letters} == {make_item(BAD)["id"]}
    assert letters[0]["status"] == 400 and "language_score" in letters[0]["reason"]
    assert letters[0]["doc"]["url"].endswith(f"/a/{BAD}")
    assert not list((tmp_path / "spool").iterdir())


def test_killing_the_crawl_loses_no_acknowledged_item(
    cluster: FakeCluster,
    tmp_path: Path,
) -> None:
    _set_up(cluster, tmp_path)
    cluster.bulk_delay = 0.3  # sends are in flight when the kill comes
    slow = Site(delay=0.05)
    try:
        child = _start_crawl(_settings(cluster, tmp_path), slow)
        assert child.stdout is not None
        acked = []
        for line in child.stdout:
            if line.startswith("ACK "):
                acked.append(line.split()[1])
            if len(acked) == 7:
                break
        child.send_signal(signal.SIGKILL)
        child.communicate()
    finally:
        slow.close()
    assert len(acked) == 7
    cluster.bulk_delay = 0
    config = es_config_from(_settings(cluster, tmp_path))
    report = Indexer(make_client(config), config).replay()
    assert report.stopped is None
    indexed = set(cluster.docs("pantau-articles"))
    letters = {letter.get("id") for letter in dead_letters(tmp_path)}
    assert set(acked) <= indexed | letters
    assert Spool(tmp_path / "spool").pending_count() == 0


# -- the pipeline object itself, with a real crawler object --------------------------------------
def test_without_a_url_the_stage_is_off() -> None:
    crawler = get_crawler(settings_dict={})
    with pytest.raises(NotConfigured):
        ElasticsearchPipeline.from_crawler(crawler)


def test_a_wrong_setting_stops_the_crawl_with_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    crawler = get_crawler(settings_dict={"ELASTICSEARCH_URL": "localhost:9200"})
    with pytest.raises(EsConfigError, match="ELASTICSEARCH_URL"):
        ElasticsearchPipeline.from_crawler(crawler)


def test_an_item_is_on_disk_before_process_item_returns(
    cluster: FakeCluster,
    tmp_path: Path,
) -> None:
    _set_up(cluster, tmp_path)
    settings = es_env(cluster.url, tmp_path, PANTAU_ES_BATCH_SIZE=100, PANTAU_ES_FLUSH_SECONDS=60)
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    pipeline = ElasticsearchPipeline.from_crawler(crawler)
    pipeline.open_spider()
    item = make_item(1)
    assert pipeline.process_item(item) is item
    assert Spool(tmp_path / "spool").pending_count() == 1
    assert cluster.docs("pantau-articles") == {}
    pipeline.finish()
    assert set(cluster.docs("pantau-articles")) == {item["id"]}
    assert crawler.stats.get_value("elasticsearch/accepted") == 1
    assert crawler.stats.get_value("elasticsearch/left_in_spool") == 0
