"""DedupClusterPipeline in a Scrapy crawler, writing into the crawl's real SQLite store."""

import logging
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from pantau.clustering import cluster_summary
from pantau.store import store_for_crawler
from pantau.urls import content_hash, doc_id
from pipelines.dedup import DedupClusterPipeline

FIXTURES = Path(__file__).parent / "fixtures" / "clustering"
SEED_COPY = (FIXTURES / "seed-nanjombangnews.txt").read_text("utf-8")
SEED_ORIGINAL = (FIXTURES / "seed-republika-original.txt").read_text("utf-8")
OTHER_STORY = (FIXTURES / "same-topic-bawaslu.txt").read_text("utf-8")


def article(url, source, body, published_at=None, title="Kominfo siapkan tiga strategi"):
    return ArticleItem(
        id=doc_id(url),
        url=url,
        canonical_url=url,
        source=source,
        title=title,
        body=body,
        published_at=published_at,
        crawled_at="2023-01-20T10:00:00+07:00",
        content_hash=content_hash(title, body),
    )


REPUBLIKA = ("https://republika.co.id/berita/kominfo-strategi", "republika", SEED_ORIGINAL)
NANJOMBANG = ("https://nanjombangnews.com/kominfo-strategi", "nanjombangnews", SEED_COPY)


@pytest.fixture
def make_crawler(tmp_path):
    stores = []

    def make(**settings):
        crawler = get_crawler(settings_dict={"PANTAU_STORE": str(tmp_path / "p.db"), **settings})
        pipeline = DedupClusterPipeline.from_crawler(crawler)
        stores.append(store_for_crawler(crawler))
        return crawler, pipeline

    yield make
    for store in stores:
        store.close()


def test_a_republished_copy_gets_the_originals_cluster(make_crawler):
    crawler, pipeline = make_crawler()
    original = pipeline.process_item(article(*REPUBLIKA, "2023-01-18T15:00:00+07:00"))
    copy = pipeline.process_item(article(*NANJOMBANG, "2023-01-19T09:00:00+07:00"))
    other = pipeline.process_item(article("https://b.id/x", "b", OTHER_STORY))
    assert (original["cluster_id"], original["duplicate_of"]) == (original["id"], None)
    assert (copy["cluster_id"], copy["duplicate_of"]) == (original["id"], original["id"])
    assert (other["cluster_id"], other["duplicate_of"]) == (other["id"], None)
    stats = crawler.stats.get_stats()
    assert (stats["dedup/new"], stats["dedup/near"]) == (2, 1)


def test_same_text_same_source_is_dropped_and_counted(make_crawler, caplog):
    caplog.set_level(logging.INFO, logger="pipelines.dedup")
    crawler, pipeline = make_crawler()
    pipeline.process_item(article(*REPUBLIKA))
    twin = article("https://republika.co.id/berita/kominfo-strategi-2", "republika", SEED_ORIGINAL)
    with pytest.raises(DropItem, match="same source 'republika'"):
        pipeline.process_item(twin)
    assert crawler.stats.get_value("dedup/exact_same_source") == 1
    assert "kominfo-strategi-2" in caplog.text


def test_same_text_from_another_source_is_kept_as_a_republication(make_crawler):
    crawler, pipeline = make_crawler()
    original = pipeline.process_item(article(*REPUBLIKA))
    mirror = pipeline.process_item(article("https://mirror.id/a", "mirror", SEED_ORIGINAL))
    assert (mirror["cluster_id"], mirror["duplicate_of"]) == (original["id"], original["id"])
    assert crawler.stats.get_value("dedup/exact") == 1


def test_a_late_earlier_copy_becomes_the_original_in_the_stored_documents(make_crawler):
    crawler, pipeline = make_crawler()
    store = store_for_crawler(crawler)
    copy = pipeline.process_item(article(*NANJOMBANG, "2023-01-19T09:00:00+07:00"))
    store.upsert(copy)
    mirror = pipeline.process_item(
        article("https://m.id/a", "m", SEED_COPY, "2023-01-20T09:00+07:00")
    )
    store.upsert(mirror)
    late = pipeline.process_item(article(*REPUBLIKA, "2023-01-18T15:00:00+07:00"))
    store.upsert(late)
    assert (late["cluster_id"], late["duplicate_of"]) == (copy["id"], None)
    assert store.get(copy["id"])["duplicate_of"] == late["id"]
    assert store.get(mirror["id"])["duplicate_of"] == late["id"]
    summary = cluster_summary(store.conn, copy["id"])
    assert (summary["size"], summary["outlets"], summary["first_source"]) == (3, 3, "republika")
    assert summary["first_seen"] == "2023-01-18T15:00:00+07:00"


def test_clusters_survive_a_new_crawl_on_the_same_store(make_crawler):
    _, first_run = make_crawler()
    original = first_run.process_item(article(*REPUBLIKA))
    store_for_crawler(first_run.crawler).close()
    _, second_run = make_crawler()
    recrawled = second_run.process_item(article(*REPUBLIKA))
    copy = second_run.process_item(article(*NANJOMBANG))
    assert recrawled["cluster_id"] == copy["cluster_id"] == original["cluster_id"]
    assert second_run.crawler.stats.get_value("dedup/known") == 1


def test_settings_reach_the_index(make_crawler):
    _, pipeline = make_crawler(PANTAU_CLUSTER_THRESHOLD="0.45", PANTAU_CLUSTER_PERMUTATIONS=64)
    assert pipeline.index.threshold == 0.45
    assert pipeline.index.signer.num_perm == 64


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"PANTAU_CLUSTER_THRESHOLD": "high"}, "PANTAU_CLUSTER_THRESHOLD must be a float"),
        ({"PANTAU_CLUSTER_THRESHOLD": 2}, "PANTAU_CLUSTER_THRESHOLD=2.0"),
        ({"PANTAU_CLUSTER_PERMUTATIONS": "many"}, "PANTAU_CLUSTER_PERMUTATIONS must be a int"),
    ],
)
def test_bad_settings_are_named(make_crawler, settings, message):
    with pytest.raises(ValueError, match=message):
        make_crawler(**settings)


def test_an_item_without_id_is_dropped_with_its_url(make_crawler):
    _, pipeline = make_crawler()
    item = article(*REPUBLIKA)
    del item["id"]
    with pytest.raises(DropItem, match="republika.co.id/berita/kominfo-strategi"):
        pipeline.process_item(item)
