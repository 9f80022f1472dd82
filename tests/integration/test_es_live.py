"""Against a real cluster: setup, analysis, indexing, search, percolation, migrate, Kibana.

Runs only when ELASTICSEARCH_URL is set (and the Kibana part only when KIBANA_URL is set), with
the same credential variables as everywhere else (docs/elasticsearch.md). Everything it creates
is named with a fresh prefix (``pantau-it-<random>``) and removed afterwards, so it can run beside
a real deployment.

    docker compose up -d        # or any Elasticsearch 8 / Kibana 8
    set -a; . ./.env; set +a
    ELASTICSEARCH_URL=https://localhost:9200 ELASTICSEARCH_USERNAME=elastic \\
    ELASTICSEARCH_PASSWORD=$ELASTIC_PASSWORD ELASTICSEARCH_CA_CERTS=certs/ca/ca.crt \\
    KIBANA_URL=http://localhost:5601 .venv/bin/pytest tests/integration -v
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"), reason="ELASTICSEARCH_URL is not set"
)

# The item factory of the unit tests, one folder up.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from es_fake import make_item  # noqa: E402

from pantau.alerts.rules import rule_from_mapping  # noqa: E402
from pantau.es.config import EsConfig, es_config_from, kibana_config_from, make_client  # noqa: E402
from pantau.es.index_config import IndexConfig, load_index_config  # noqa: E402
from pantau.es.indexer import Indexer  # noqa: E402
from pantau.es.kibana import auth_header, import_saved_objects, saved_objects, ssl_context  # noqa: E402
from pantau.es.migrate import run_migrate  # noqa: E402
from pantau.es.percolator import percolate, register_saved_queries  # noqa: E402
from pantau.es.search import EsSearchBackend  # noqa: E402
from pantau.es.setup import run_setup  # noqa: E402
from pantau.trends.es import EXCLUDE, reportable, trends_from_es  # noqa: E402


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EsConfig, Any, IndexConfig]]:
    tmp = tmp_path_factory.mktemp("live")
    prefix = f"pantau-it-{uuid.uuid4().hex[:8]}"
    config = es_config_from(
        {
            **os.environ,
            "PANTAU_ES_PREFIX": prefix,
            "PANTAU_ES_SPOOL": str(tmp / "spool"),
            "PANTAU_ES_DEADLETTER": str(tmp / "deadletter.jsonl"),
        }
    )
    client = make_client(config)
    index_config = load_index_config(names=config.names)
    yield config, client, index_config
    # By name: clusters refuse wildcard deletes (action.destructive_requires_name).
    made = client.indices.get(index=f"{prefix}-*", allow_no_indices=True).body
    for index in made:
        client.options(ignore_status=404).indices.delete(index=index)
    for obj in index_config.of_kind("index_templates"):
        client.options(ignore_status=404).indices.delete_index_template(name=obj.name)
    for obj in index_config.of_kind("component_templates"):
        client.options(ignore_status=404).cluster.delete_component_template(name=obj.name)
    for obj in index_config.of_kind("ilm"):
        client.options(ignore_status=404).ilm.delete_lifecycle(name=obj.name)
    client.close()


def _rules() -> list[Any]:
    return [
        rule_from_mapping(
            {
                "id": "uang",
                "name": "Politik uang",
                "query": '"serangan fajar" OR amplop',
                "filters": {"language": ["id"]},
                "severity": "high",
            }
        ),
        rule_from_mapping({"id": "pilih", "name": "Memilih", "query": "memilih tps"}),
    ]


def test_setup_is_idempotent(live: tuple) -> None:
    _, client, index_config = live
    first = run_setup(client, index_config, _rules())
    assert "created" in {c.action for c in first}
    second = run_setup(client, index_config, _rules())
    assert {c.action for c in second} == {"unchanged"}, [c.line() for c in second]


@pytest.mark.parametrize(
    "analyzer, text, tokens",
    [
        ("pantau_id", "pemilihan memilih pemilu", ["pilih", "pilih", "pemilu"]),
        ("pantau_id", "Megawati Gibran KPU", ["megawati", "gibran", "kpu"]),
        ("pantau_id", "kementerian berita", ["menteri", "berita"]),
        ("pantau_exact", "Pemilihan Umum", ["pemilihan", "umum"]),
    ],
)
def test_indonesian_analysis(live: tuple, analyzer: str, text: str, tokens: list[str]) -> None:
    config, client, _ = live
    found = client.indices.analyze(index=config.names.articles, analyzer=analyzer, text=text)
    assert [t["token"] for t in found.body["tokens"]] == tokens


def test_index_search_and_percolate(live: tuple) -> None:
    config, client, _ = live
    indexer = Indexer(client, config)
    items = [
        make_item(1, body="Warga memilih di TPS; serangan fajar dilaporkan.", source="kompas"),
        make_item(2, body="Proses pemilihan berjalan lancar.", source="detik"),
        make_item(3, language="en", title="Voters are choosing", body="Voting ran smoothly."),
        make_item(4, language_score="tinggi"),  # the mapping refuses it
    ]
    for item in items:
        indexer.add(item)
    report = indexer.replay()
    assert report.stopped is None
    counts = indexer.counters.snapshot()
    assert (counts["accepted"], counts["rejected"]) == (3, 1)
    indexer.add(items[0])  # the same copy again: a 409, counted, not an error
    indexer.replay()
    assert indexer.counters.snapshot()["conflicts"] == 1
    client.indices.refresh(index=config.names.articles)

    search = EsSearchBackend(client, config.names)
    assert {h["id"] for h in search.search("pilih")} == {"doc00001", "doc00002"}  # stemmed
    assert [h["id"] for h in search.search('"serangan fajar"')] == ["doc00001"]
    assert [h["id"] for h in search.search("outlet:detik pemilihan")] == ["doc00002"]
    assert [h["id"] for h in search.search("choose")] == ["doc00003"]  # English stemming
    assert search.search("pilih", source="kompas")[0]["cluster"]["outlets"] >= 1

    register_saved_queries(client, _rules(), config.names)
    matches = percolate(client, items[:3], config.names)
    assert [sorted(m["id"] for m in found) for found in matches] == [["pilih", "uang"], [], []]


def test_phrase_analysis(live: tuple) -> None:
    config, client, _ = live
    found = client.indices.analyze(
        index=config.names.articles, analyzer="pantau_phrases", text="Surat suara di TPS"
    )
    tokens = {t["token"] for t in found.body["tokens"]}
    assert {"surat", "suara", "tps", "surat suara"} <= tokens
    assert "di" not in tokens and "suara di" not in tokens  # the stopword is gone
    assert all(re.fullmatch(EXCLUDE, t) for t in tokens if "_" in t)


def test_trends_report_phrases(live: tuple) -> None:
    config, client, _ = live
    indexer = Indexer(client, config)
    outlets = ("kompas", "detik", "tempo")
    # Each copy worded apart: filter_duplicate_text drops runs of six or more repeated tokens.
    places = ("Bekasi", "Sleman", "Garut", "Kendari", "Jayapura", "Ambon")
    openings = (
        "Warga melapor",
        "Panwas menyita",
        "Saksi memotret",
        "Polisi memeriksa",
        "Relawan mengunggah",
        "Petugas mengamankan",
    )
    for n, (place, opening) in enumerate(zip(places, openings, strict=True)):
        indexer.add(
            make_item(
                500 + n,
                source=outlets[n % 3],
                title=f"{place}: temuan surat suara tercoblos",
                body=f"{opening} surat suara tercoblos di {place} pagi ini ({n}).",
                published_at="2024-02-14T09:00:00+07:00",
            )
        )
    for n in range(12):  # the baseline: other news
        indexer.add(
            make_item(
                600 + n,
                title=f"Harga beras naik di pasar {n}",
                body=f"Pedagang pasar mengeluhkan harga beras yang naik {n}.",
                published_at=f"2024-01-{20 + n % 8:02d}T09:00:00+07:00",
            )
        )
    assert indexer.replay().stopped is None
    client.indices.refresh(index=config.names.articles)
    report = trends_from_es(
        client,
        window="24h",
        baseline="30d",
        now="2024-02-14T18:00:00+07:00",
        index=config.names.articles,
        min_docs=3,
        min_outlets=2,
    )
    terms = [t["term"] for t in report["terms"]]
    assert "surat suara tercoblos" in terms or "surat suara" in terms, terms
    assert all(reportable(term) for term in terms)


def test_dashboard_requests_run(live: tuple) -> None:
    """Each Vega panel's request, with Kibana's placeholders filled in, is a valid search."""
    config, client, _ = live
    fill = {
        '"%dashboard_context-must_clause%"': '{"match_all": {}}',
        '"%dashboard_context-must_not_clause%"': '{"match_none": {}}',
        '"%dashboard_context-filter_clause%"': '{"match_all": {}}',
        '{"%autointerval%": true}': '"1d"',
        '{"%timefilter%": "min"}': '"now-30d"',
        '{"%timefilter%": "max"}': '"now"',
    }
    for obj in saved_objects(config.names):
        if obj["type"] != "visualization":
            continue
        spec = json.loads(json.loads(obj["attributes"]["visState"])["params"]["spec"])
        request = spec["data"]["url"]
        text = json.dumps(request["body"])
        for placeholder, value in fill.items():
            text = text.replace(placeholder, value)
        found = client.search(index=request["index"], body=json.loads(text))
        assert "aggregations" in found.body, obj["id"]


def test_migrate_keeps_documents_and_versions(live: tuple) -> None:
    config, client, index_config = live
    names = config.names
    run_setup(client, index_config)
    indexer = Indexer(client, config)
    indexer.add(make_item(99, modified_at="2024-03-01T08:00:00+07:00"))
    assert indexer.replay().stopped is None
    before = client.get(index=names.articles, id="doc00099", version=True).body["_version"]
    changes = run_migrate(client, index_config, force=True, keep_old=True, say=lambda _: None)
    assert any(c.name == names.articles_index(2) and c.action == "created" for c in changes)
    behind = client.indices.get_alias(name=names.articles_write).body
    assert list(behind) == [names.articles_index(2)]
    after = client.get(index=names.articles, id="doc00099", version=True).body["_version"]
    assert after == before


@pytest.mark.skipif(not os.environ.get("KIBANA_URL"), reason="KIBANA_URL is not set")
def test_kibana_import(live: tuple) -> None:
    config, _, _ = live
    kibana = kibana_config_from(os.environ)
    objects = saved_objects(config.names)
    try:
        results = import_saved_objects(kibana, objects)
        assert [r.line() for r in results if not r.ok] == []
    finally:
        space = f"/s/{kibana.space}" if kibana.space else ""
        for obj in objects:
            request = urllib.request.Request(
                f"{kibana.url}{space}/api/saved_objects/{obj['type']}/{obj['id']}",
                method="DELETE",
                headers={"kbn-xsrf": "pantau", **auth_header(kibana)},
            )
            with urllib.request.urlopen(request, timeout=30, context=ssl_context(kibana)):
                pass
