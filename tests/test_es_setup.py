"""`pantau es setup` and `migrate` against the loopback cluster: shapes, idempotence, swaps."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from es_fake import FakeCluster, cluster_fixture, es_env, make_item  # noqa: F401

from pantau.alerts.rules import load_rules, rule_from_mapping
from pantau.es.bulk import send_batch
from pantau.es.config import es_config_from, make_client
from pantau.es.documents import to_record
from pantau.es.index_config import load_index_config
from pantau.es.migrate import MigrateError, run_migrate
from pantau.es.percolator import percolate, register_saved_queries, rule_query
from pantau.es.setup import run_setup
from pantau.es.status import cluster_status

CONFIG = load_index_config()
REPO = Path(__file__).resolve().parents[1]


def _client(cluster: FakeCluster, tmp_path: Path) -> Any:
    return make_client(es_config_from(es_env(cluster.url, tmp_path)))


def _rule(rule_id: str, query: str, **filters: list[str]) -> Any:
    return rule_from_mapping(
        {
            "id": rule_id,
            "name": f"Aturan {rule_id}",
            "query": query,
            "filters": filters,
            "severity": "high",
        }
    )


def _puts(cluster: FakeCluster, prefix: str) -> dict[str, Any]:
    return {
        r.path: r.body for r in cluster.requests if r.method == "PUT" and r.path.startswith(prefix)
    }


def _changed_config(tmp_path: Path) -> Any:
    """index_config/ with one more protected word: an analysis change, so a new generation."""
    folder = tmp_path / "index_config"
    shutil.copytree(CONFIG.folder, folder, ignore=shutil.ignore_patterns("kibana", "queries"))
    path = folder / "component_templates" / "pantau-analysis.json"
    body = json.loads(path.read_text())
    body["template"]["settings"]["analysis"]["filter"]["pantau_id_protected"]["keywords"].append(
        "sirekap2"
    )
    path.write_text(json.dumps(body))
    return load_index_config(folder)


def test_first_setup_creates_everything_in_order(cluster: FakeCluster, tmp_path: Path) -> None:
    changes = run_setup(_client(cluster, tmp_path), CONFIG, [])
    assert {c.action for c in changes} == {"created"}
    order = [r.path for r in cluster.requests if r.method == "PUT"]
    assert order == [
        "/_ilm/policy/pantau-articles",
        "/_ilm/policy/pantau-retired",
        "/_component_template/pantau-analysis",
        "/_component_template/pantau-article-mappings",
        "/_component_template/pantau-settings",
        "/_index_template/pantau-articles",
        "/_index_template/pantau-queries",
        "/pantau-articles-v1",
        "/pantau-queries-v1",
    ]
    policies = _puts(cluster, "/_ilm")
    assert policies["/_ilm/policy/pantau-articles"]["policy"]["_meta"]["pantau_hash"]
    template = _puts(cluster, "/_index_template")["/_index_template/pantau-articles"]
    assert template["composed_of"] == [
        "pantau-settings",
        "pantau-analysis",
        "pantau-article-mappings",
    ]
    assert template["_meta"]["pantau_hash"] == CONFIG.articles_template.digest
    created = _puts(cluster, "/pantau-articles-v1")["/pantau-articles-v1"]
    assert created["aliases"] == {
        "pantau-articles": {},
        "pantau-articles-write": {"is_write_index": True},
    }
    stamp = created["mappings"]["_meta"]["pantau_templates"]
    assert stamp == CONFIG.template_digest(CONFIG.articles_template)
    index = cluster.indices["pantau-articles-v1"]
    assert index.mappings["properties"]["title"]["analyzer"] == "pantau_id"  # from the template
    assert index.settings["index"]["lifecycle"]["name"] == "pantau-articles"
    queries = cluster.indices["pantau-queries-v1"]
    assert queries.aliases == {"pantau-queries": {"is_write_index": True}}
    assert queries.mappings["properties"]["query"] == {"type": "percolator"}


def test_a_second_setup_changes_nothing(cluster: FakeCluster, tmp_path: Path) -> None:
    client = _client(cluster, tmp_path)
    rules = [_rule("uang", '"politik uang"')]
    run_setup(client, CONFIG, rules)
    cluster.requests.clear()
    changes = run_setup(client, CONFIG, rules)
    assert {c.action for c in changes} == {"unchanged"}
    assert cluster.writes() == []


def test_setup_restores_missing_aliases_without_deleting(
    cluster: FakeCluster, tmp_path: Path
) -> None:
    client = _client(cluster, tmp_path)
    run_setup(client, CONFIG)
    send_batch(client, [to_record(make_item(1))], "pantau-articles-write")
    cluster.indices["pantau-articles-v1"].aliases = {}
    cluster.requests.clear()
    changes = run_setup(client, CONFIG)
    assert [c.line() for c in changes if c.action == "updated"] == [
        "updated   alias pantau-articles: now on pantau-articles-v1"
    ]
    assert cluster.indices["pantau-articles-v1"].aliases["pantau-articles-write"] == {
        "is_write_index": True
    }
    assert "doc00001" in cluster.docs("pantau-articles")
    assert not [r for r in cluster.requests if r.method == "DELETE"]


def test_changed_analysis_warns_then_migrate_swaps_generations(
    cluster: FakeCluster,
    tmp_path: Path,
) -> None:
    client = _client(cluster, tmp_path)
    run_setup(client, CONFIG, [_rule("uang", '"politik uang"')])
    newer = to_record(make_item(1, modified_at="2024-02-01T00:00:00+07:00", title="Koreksi"))
    send_batch(client, [to_record(make_item(n)) for n in range(3)], "pantau-articles-write")
    changed = _changed_config(tmp_path)
    warnings = [c for c in run_setup(client, changed) if c.action == "warning"]
    assert [c.name for c in warnings] == ["pantau-articles-v1", "pantau-queries-v1"]
    assert "pantau es migrate" in warnings[0].detail

    # A crawl writes to the old generation while the first copy runs.
    def crawl_meanwhile(fake: FakeCluster) -> None:
        fake.after_reindex.clear()
        old = fake.indices["pantau-articles-v1"].docs
        old["doc00001"] = (newer["version"], newer["doc"])
        old["doc00009"] = (to_record(make_item(9))["version"], make_item(9))

    cluster.after_reindex.append(crawl_meanwhile)
    cluster.requests.clear()
    changes = run_migrate(client, changed, say=lambda _: None, poll=0)
    lines = [c.line() for c in changes if c.action != "unchanged"]
    assert "created   index pantau-articles-v2" in lines
    assert "created   index pantau-queries-v2" in lines
    assert any(
        line.startswith("updated   index pantau-articles-v2: 2 written during the copy")
        for line in lines
    )
    swaps = [r.body["actions"] for r in cluster.requests if r.path == "/_aliases"]
    assert swaps[0] == [  # one request: both aliases move at once
        {"remove": {"index": "pantau-articles-v1", "alias": "pantau-articles"}},
        {"add": {"index": "pantau-articles-v2", "alias": "pantau-articles"}},
        {"remove": {"index": "pantau-articles-v1", "alias": "pantau-articles-write"}},
        {
            "add": {
                "index": "pantau-articles-v2",
                "alias": "pantau-articles-write",
                "is_write_index": True,
            }
        },
    ]
    copies = [r.body for r in cluster.requests if r.path == "/_reindex"]
    assert copies[0]["dest"] == {"index": "pantau-articles-v2", "version_type": "external"}
    assert copies[0]["conflicts"] == "proceed"
    new_docs = cluster.docs("pantau-articles")
    assert set(new_docs) == {"doc00000", "doc00001", "doc00002", "doc00009"}
    assert new_docs["doc00001"] == (newer["version"], newer["doc"])  # versions travel along
    assert cluster.indices["pantau-articles-v1"].aliases == {}
    retired = cluster.indices["pantau-articles-v1"].settings["index"]["lifecycle"]
    assert retired["name"] == "pantau-retired" and retired["origination_date"] > 0
    assert set(cluster.docs("pantau-queries")) == {"uang"}

    cluster.requests.clear()
    again = run_migrate(client, changed, say=lambda _: None, poll=0)
    assert [c.action for c in again if "index" in c.kind and "v" in c.name][-2:] == [
        "unchanged"
    ] * 2
    assert cluster.writes() == []


def test_migrate_can_keep_the_old_generation(cluster: FakeCluster, tmp_path: Path) -> None:
    client = _client(cluster, tmp_path)
    run_setup(client, CONFIG)
    run_migrate(client, CONFIG, force=True, keep_old=True, say=lambda _: None, poll=0)
    assert "lifecycle" in cluster.indices["pantau-articles-v1"].settings["index"]
    assert (
        cluster.indices["pantau-articles-v1"].settings["index"]["lifecycle"]["name"]
        == "pantau-articles"
    )
    assert cluster.indices["pantau-articles-v2"].aliases["pantau-articles-write"]["is_write_index"]


def test_migrate_refuses_an_index_it_did_not_make(cluster: FakeCluster, tmp_path: Path) -> None:
    client = _client(cluster, tmp_path)
    client.indices.create(
        index="articles-by-hand",
        aliases={"pantau-articles": {}, "pantau-articles-write": {"is_write_index": True}},
    )
    with pytest.raises(MigrateError, match="articles-by-hand is not a versioned index"):
        run_migrate(client, CONFIG, say=lambda _: None, poll=0)
    assert "articles-by-hand" in cluster.indices


# -- saved queries --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query, filters, expected_query, expected_filter",
    [
        ("prabowo gibran", {}, "prabowo gibran", None),
        (
            'outlet:kompas "serangan fajar"',
            {"language": ["id"]},
            'source:kompas "serangan fajar"',
            [{"terms": {"language": ["id"]}}],
        ),
        (
            "Topic:hoaks",
            {"sources": ["detik", "tempo"], "topics": ["pemilu"]},
            "topics:hoaks",
            [{"terms": {"source": ["detik", "tempo"]}}, {"terms": {"topics": ["pemilu"]}}],
        ),
    ],
)
def test_rule_query(query: str, filters: dict, expected_query: str, expected_filter: Any) -> None:
    built = rule_query(_rule("r", query, **filters))["bool"]
    (clause,) = built["must"]
    assert clause["query_string"]["query"] == expected_query
    assert clause["query_string"]["default_operator"] == "AND"
    assert clause["query_string"]["quote_field_suffix"] == ".exact"
    assert built.get("filter") == expected_filter


def test_saved_queries_follow_the_rule_files(cluster: FakeCluster, tmp_path: Path) -> None:
    client = _client(cluster, tmp_path)
    run_setup(client, CONFIG)
    rules = [_rule("uang", '"serangan fajar"', language=["id"]), _rule("hoaks", "hoaks kpu")]
    first = register_saved_queries(client, rules)
    assert [(c.action, c.name) for c in first] == [("created", "uang"), ("created", "hoaks")]
    stored = cluster.docs("pantau-queries")["uang"][1]
    assert stored["rule"] == {
        "id": "uang",
        "name": "Aturan uang",
        "severity": "high",
        "query": '"serangan fajar"',
    }

    cluster.requests.clear()
    rules = [_rule("uang", '"serangan fajar" OR amplop', language=["id"])]
    second = register_saved_queries(client, rules)
    assert [(c.action, c.name) for c in second] == [("updated", "uang"), ("removed", "hoaks")]
    assert set(cluster.docs("pantau-queries")) == {"uang"}

    docs = [
        make_item(1, body="Warga melaporkan serangan fajar di desa."),
        make_item(2, body="Warga menerima amplop.", language="en"),
        make_item(3, body="Tidak ada apa-apa."),
    ]
    matches = percolate(client, docs)
    assert [[m["id"] for m in found] for found in matches] == [["uang"], [], []]


def test_the_starter_rule_files_register(cluster: FakeCluster, tmp_path: Path) -> None:
    rules, errors = load_rules(REPO / "index_config" / "queries")
    assert errors == [] and rules
    client = _client(cluster, tmp_path)
    changes = run_setup(client, CONFIG, rules)
    registered = [c.name for c in changes if c.kind == "saved query"]
    assert registered == [rule.id for rule in rules]
    assert {c.action for c in changes if c.kind == "saved query"} == {"created"}


def test_status_names_aliases_counts_and_template_state(
    cluster: FakeCluster, tmp_path: Path
) -> None:
    client = _client(cluster, tmp_path)
    assert "missing (run `pantau es setup`)" in "\n".join(cluster_status(client, CONFIG))
    run_setup(client, CONFIG)
    send_batch(client, [to_record(make_item(n)) for n in range(2)], "pantau-articles-write")
    lines = cluster_status(client, CONFIG)
    assert lines[0].startswith("cluster   pantau-fake (Elasticsearch 8.")
    assert lines[1] == (
        "articles  pantau-articles -> pantau-articles-v1 (writes: pantau-articles-v1), "
        "2 document(s), templates current"
    )
