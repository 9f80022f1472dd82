"""One bulk batch against the loopback cluster: every answer sorted, retries with backoff."""

from __future__ import annotations

from pathlib import Path

import pytest
from es_fake import FakeCluster, cluster_fixture, es_env, make_item  # noqa: F401

from pantau.es.bulk import send_batch
from pantau.es.config import es_config_from, make_client
from pantau.es.documents import to_record
from pantau.es.index_config import load_index_config
from pantau.es.setup import run_setup

WRITE = "pantau-articles-write"


def _client(cluster: FakeCluster, tmp_path: Path, *, setup: bool = True):
    config = es_config_from(es_env(cluster.url, tmp_path))
    client = make_client(config).options(max_retries=0)
    if setup:
        run_setup(client, load_index_config())
    cluster.requests.clear()
    return client


def _send(client, records, sleeps=None, **kwargs):
    pauses = [] if sleeps is None else sleeps
    return send_batch(client, records, WRITE, sleep=pauses.append, **kwargs)


def test_action_lines_carry_id_and_external_version(
    cluster: FakeCluster,
    tmp_path: Path,
) -> None:
    client = _client(cluster, tmp_path)
    records = [to_record(make_item(n)) for n in range(3)]
    result = _send(client, records)
    assert (result.sent, result.accepted, result.retried) == (3, 3, 0)
    (request,) = cluster.bulk_requests()
    assert request.query["require_alias"] == "true"
    actions, sources = request.body[0::2], request.body[1::2]
    for action, source, record in zip(actions, sources, records, strict=True):
        assert action == {
            "index": {
                "_index": WRITE,
                "_id": record["id"],
                "version": record["version"],
                "version_type": "external",
            }
        }
        assert source == record["doc"]
    assert set(cluster.docs("pantau-articles")) == {r["id"] for r in records}


def test_per_item_429_and_503_are_retried_with_growing_pauses(
    cluster: FakeCluster,
    tmp_path: Path,
) -> None:
    client = _client(cluster, tmp_path)
    records = [to_record(make_item(n)) for n in range(4)]
    cluster.item_failures = {"doc00001": [429, 429], "doc00002": [503]}
    sleeps: list[float] = []
    result = _send(client, records, sleeps, initial_backoff=0.5, max_backoff=30)
    assert (result.accepted, result.retried, result.pending, result.rejected) == (4, 3, [], [])
    assert sleeps == [0.5, 1.0]
    resent = [[line["index"]["_id"] for line in r.body[0::2]] for r in cluster.bulk_requests()]
    assert resent == [[r["id"] for r in records], ["doc00001", "doc00002"], ["doc00001"]]


def test_a_whole_request_503_is_retried(cluster: FakeCluster, tmp_path: Path) -> None:
    client = _client(cluster, tmp_path)
    cluster.request_failures = [503]
    result = _send(client, [to_record(make_item(n)) for n in range(3)])
    assert (result.accepted, result.retried, result.unreachable) == (3, 3, None)


def test_retries_give_up_and_keep_the_item_pending(
    cluster: FakeCluster,
    tmp_path: Path,
) -> None:
    client = _client(cluster, tmp_path)
    cluster.item_failures = {"doc00000": [503] * 10}
    result = _send(client, [to_record(make_item(0)), to_record(make_item(1))], max_retries=2)
    assert result.accepted == 1
    assert [(f.index, f.status) for f in result.pending] == [(0, 503)]
    assert result.done == {1}


def test_an_older_copy_is_a_counted_conflict(cluster: FakeCluster, tmp_path: Path) -> None:
    client = _client(cluster, tmp_path)
    newer = to_record(make_item(1, modified_at="2024-02-01T08:00:00+07:00", title="Koreksi"))
    older = to_record(make_item(1))
    assert _send(client, [newer]).accepted == 1
    again = _send(client, [older, newer])
    assert (again.accepted, again.conflicts, again.rejected, again.pending) == (0, 2, [], [])
    assert cluster.docs("pantau-articles")["doc00001"][1]["title"] == "Koreksi"


def test_a_document_the_mapping_refuses_is_rejected_with_the_reason(
    cluster: FakeCluster,
    tmp_path: Path,
) -> None:
    client = _client(cluster, tmp_path)
    bad = to_record(make_item(2, language_score="tinggi"))
    result = _send(client, [to_record(make_item(1)), bad])
    assert result.accepted == 1 and result.retried == 0
    (failure,) = result.rejected
    assert failure.index == 1 and failure.status == 400
    assert "language_score" in failure.reason


def test_a_missing_alias_refuses_the_batch_without_rejecting_items(
    cluster: FakeCluster,
    tmp_path: Path,
) -> None:
    client = _client(cluster, tmp_path, setup=False)
    result = _send(client, [to_record(make_item(n)) for n in range(2)])
    assert result.refused and "require_alias" in result.refused
    assert result.rejected == [] and len(result.pending) == 2
    assert cluster.indices == {}  # no index was invented under the alias name


def test_an_unreachable_cluster_keeps_everything_pending(
    cluster: FakeCluster,
    tmp_path: Path,
) -> None:
    client = _client(cluster, tmp_path)
    cluster.stop()
    result = _send(client, [to_record(make_item(n)) for n in range(2)])
    assert result.unreachable and "Connection" in result.unreachable
    assert len(result.pending) == 2 and result.accepted == 0


@pytest.mark.parametrize("status", [401, 403, 413])
def test_refused_requests(cluster: FakeCluster, tmp_path: Path, status: int) -> None:
    client = _client(cluster, tmp_path)
    cluster.request_failures = [status]
    result = _send(client, [to_record(make_item(0))])
    assert result.refused.startswith(f"status {status}")
    assert len(result.pending) == 1 and not result.rejected
