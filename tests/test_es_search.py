"""Search over Elasticsearch: the request it makes and the hits it gives back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from es_fake import FakeCluster, cluster_fixture, es_env, make_item  # noqa: F401

from pantau.cli import main
from pantau.es.bulk import send_batch
from pantau.es.config import es_config_from, make_client
from pantau.es.documents import to_record
from pantau.es.index_config import load_index_config
from pantau.es.search import EsSearchBackend, build_search
from pantau.es.setup import run_setup
from pantau.query import QueryError


@pytest.mark.parametrize(
    "query, kwargs, check",
    [
        (
            "prabowo gibran",
            {},
            lambda b: (
                b["query"]["bool"]["must"][0]["query_string"]
                == {
                    "query": "prabowo gibran",
                    "fields": ["title^2", "body", "title_en^2", "body_en"],
                    "default_operator": "AND",
                    "quote_field_suffix": ".exact",
                    "lenient": True,
                }
            ),
        ),
        ("outlet:kompas", {}, lambda b: "source:kompas" in json.dumps(b["query"])),
        ("", {}, lambda b: b["query"]["bool"]["must"] == [{"match_all": {}}]),
        ("*", {}, lambda b: b["sort"] == [{"@timestamp": "desc"}] and "highlight" not in b),
        ("pemilu", {}, lambda b: b["sort"] == ["_score", {"@timestamp": "desc"}]),
        ("pemilu", {"limit": 5}, lambda b: b["size"] == 5),
        (
            "pemilu",
            {"source": "detik"},
            lambda b: {"term": {"source": "detik"}} in b["query"]["bool"]["filter"],
        ),
        (
            "pemilu",
            {"since": "2024-02-01T00:00:00+07:00", "until": "2024-02-14"},
            lambda b: (
                b["query"]["bool"]["filter"]
                == [
                    {
                        "range": {
                            "@timestamp": {
                                "gte": "2024-02-01T00:00:00+07:00",
                                "lte": "2024-02-14T23:59:59.999999+07:00",  # the whole day, in WIB
                            }
                        }
                    }
                ]
            ),
        ),
        (
            "pemilu",
            {},
            lambda b: b["_source"] == {"excludes": ["@timestamp", "body_en", "title_en"]},
        ),
    ],
)
def test_request_body(query: str, kwargs: dict[str, Any], check: Any) -> None:
    assert check(build_search(query, **kwargs))


def test_an_unreadable_date_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="kemarin"):
        build_search("pemilu", since="kemarin")


def _indexed(cluster: FakeCluster, tmp_path: Path) -> Any:
    config = es_config_from(es_env(cluster.url, tmp_path))
    client = make_client(config)
    run_setup(client, load_index_config())
    items = [
        make_item(1, cluster_id="debat", source="kompas", published_at="2024-01-02T08:00:00+07:00"),
        make_item(2, cluster_id="debat", source="detik", published_at="2024-01-02T09:00:00+07:00"),
        make_item(3, cluster_id="lain", body="Hujan deras di Bogor.", title="Cuaca", language="en"),
    ]
    send_batch(client, [to_record(item) for item in items], "pantau-articles-write")
    return client


def test_hits_look_like_the_store_s(cluster: FakeCluster, tmp_path: Path) -> None:
    backend = EsSearchBackend(_indexed(cluster, tmp_path))
    hits = backend.search("prabowo gibran", limit=10)
    assert [hit["id"] for hit in hits] == ["doc00002", "doc00001"]  # equal scores: newest first
    first = hits[1]
    assert {"id", "url", "title", "source", "published_at", "score", "cluster_id"} <= first.keys()
    assert first["cluster"] == {
        "outlets": 2,
        "size": 2,
        "first_source": "kompas",
        "first_url": "https://berita.example/1",
        "first_seen": "2024-01-02T08:00:00+07:00",
    }
    assert "@timestamp" not in first and "title_en" not in first
    (search,) = [r for r in cluster.requests if r.path == "/pantau-articles/_search"][:1]
    assert search.body["size"] == 10


def test_the_cluster_s_parse_error_becomes_a_query_error(
    cluster: FakeCluster, tmp_path: Path
) -> None:
    backend = EsSearchBackend(_indexed(cluster, tmp_path))
    with pytest.raises(QueryError, match="Failed to parse query"):
        backend.search('"serangan fajar')


def test_pantau_search_uses_elasticsearch_when_configured(
    cluster: FakeCluster,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _indexed(cluster, tmp_path)
    for key, value in es_env(cluster.url, tmp_path).items():
        monkeypatch.setenv(key, value)
    assert main(["search", "hujan bogor", "--json"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["id"] == "doc00003"
