"""Spool-first indexing in one process: sender thread, back-off, attempts, refusals."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from es_fake import (  # noqa: F401
    FakeCluster,
    cluster_fixture,
    dead_letters,
    es_env,
    make_item,
)

from pantau.es.config import es_config_from, make_client
from pantau.es.index_config import load_index_config
from pantau.es.indexer import BackgroundSender, Indexer
from pantau.es.setup import run_setup
from pantau.es.spool import OPEN

ARTICLES = "pantau-articles"


def _indexer(cluster: FakeCluster, tmp_path: Path, setup: bool = True, **extra) -> Indexer:
    config = es_config_from(es_env(cluster.url, tmp_path, **extra))
    client = make_client(config)
    if setup:
        run_setup(client, load_index_config())
    return Indexer(client, config)


def test_the_sender_waits_out_an_outage_and_catches_up(
    cluster: FakeCluster,
    tmp_path: Path,
) -> None:
    indexer = _indexer(cluster, tmp_path, PANTAU_ES_BATCH_SIZE=4)
    sender = BackgroundSender(indexer)
    sender.start()
    for n in range(4):
        indexer.add(make_item(n))
    indexer.seal()
    sender.notify()
    deadline = time.monotonic() + 10
    while len(cluster.docs(ARTICLES)) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    cluster.stop()
    for n in range(4, 12):  # the crawl goes on; batches fail and wait on disk
        indexer.add(make_item(n))
        if indexer.batch_full():
            indexer.seal()
            sender.notify()
    while indexer.counters.snapshot()["unreachable"] < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert indexer.spool.pending_count() == 8
    cluster.start()
    while len(cluster.docs(ARTICLES)) < 12 and time.monotonic() < deadline:
        time.sleep(0.01)
    report = sender.finish(5)
    assert report.stopped is None
    assert len(cluster.docs(ARTICLES)) == 12
    assert indexer.spool.pending_count() == 0
    counts = indexer.counters.snapshot()
    assert counts["accepted"] == 12 and counts["unreachable"] >= 2


def test_finishing_against_a_dead_cluster_is_quick(
    cluster: FakeCluster,
    tmp_path: Path,
) -> None:
    indexer = _indexer(cluster, tmp_path)
    sender = BackgroundSender(indexer)
    sender.start()
    cluster.stop()
    for n in range(3):
        indexer.add(make_item(n))
    started = time.monotonic()
    report = sender.finish(30)
    assert time.monotonic() - started < 3
    assert report.stopped == "unreachable"
    assert indexer.spool.pending_count() == 3
    assert "cannot reach" in (indexer.last_problem or "")


def test_an_item_failing_batch_after_batch_is_dead_lettered(
    cluster: FakeCluster,
    tmp_path: Path,
) -> None:
    indexer = _indexer(cluster, tmp_path, PANTAU_ES_MAX_RETRIES=0, PANTAU_ES_MAX_ATTEMPTS=3)
    stuck = make_item(1)["id"]
    cluster.item_failures = {stuck: [503] * 10}
    for n in range(3):
        indexer.add(make_item(n))
    for attempt in range(1, 4):
        report = indexer.replay()
        letters = dead_letters(tmp_path)
        if attempt < 3:
            assert report.stopped == "still failing" and letters == []
            assert indexer.spool.pending_count() == 1  # only the failing item stays
    assert report.stopped is None
    (letter,) = letters
    assert letter["id"] == stuck and letter["status"] == 503
    assert letter["reason"].startswith("failed 3 times")
    assert indexer.spool.pending_count() == 0
    assert set(cluster.docs(ARTICLES)) == {make_item(0)["id"], make_item(2)["id"]}


def test_a_refusing_cluster_keeps_the_spool_and_says_what_to_do(
    cluster: FakeCluster,
    tmp_path: Path,
) -> None:
    indexer = _indexer(cluster, tmp_path, setup=False)
    indexer.add(make_item(1))
    report = indexer.replay()
    assert report.stopped == "refused"
    assert "pantau es setup" in indexer.last_problem
    assert indexer.spool.pending_count() == 1 and dead_letters(tmp_path) == []


def test_unusable_items_and_unreadable_lines_go_to_the_deaddead_letters(
    cluster: FakeCluster,
    tmp_path: Path,
) -> None:
    indexer = _indexer(cluster, tmp_path)
    assert indexer.add(make_item(1, published_at="besok pagi")) is False
    indexer.add(make_item(2))
    segment = next((tmp_path / "spool").glob(f"*{OPEN}"))
    with segment.open("ab") as handle:  # what a kill in the middle of a write leaves
        handle.write(b'{"id": "doc00003", "ver')
    indexer.replay()
    reasons = [letter["reason"] for letter in dead_letters(tmp_path)]
    assert reasons[0] == "published_at is not an ISO 8601 date: 'besok pagi'"
    assert reasons[1] == "unreadable spool line"
    assert set(cluster.docs(ARTICLES)) == {make_item(2)["id"]}
    assert indexer.counters.snapshot()["rejected"] == 2


def test_two_senders_never_send_the_same_segment(
    cluster: FakeCluster,
    tmp_path: Path,
) -> None:
    writer = _indexer(cluster, tmp_path, PANTAU_ES_BATCH_SIZE=3)
    for n in range(30):
        writer.add(make_item(n))
        if writer.batch_full():
            writer.seal()
    cluster.bulk_delay = 0.02
    config = es_config_from(es_env(cluster.url, tmp_path))
    senders = [Indexer(make_client(config), config) for _ in range(3)]
    threads = [threading.Thread(target=s.send_pending) for s in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent = [line["index"]["_id"] for r in cluster.bulk_requests() for line in r.body[0::2]]
    assert sorted(sent) == sorted(make_item(n)["id"] for n in range(30))
    assert sum(s.counters.snapshot()["conflicts"] for s in senders) == 0
