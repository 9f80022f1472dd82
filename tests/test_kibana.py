"""Kibana saved objects: generated from data, committed, and imported object by object."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from es_fake import FakeKibana, kibana_fixture  # noqa: F401

from pantau.cli import main
from pantau.es.config import KibanaConfig
from pantau.es.kibana import (
    KibanaError,
    committed_path,
    import_saved_objects,
    kibana_query,
    load_topics,
    read_ndjson,
    rule_searches,
    saved_objects,
    to_ndjson,
)
from pantau.es.names import IndexNames
from pantau.trends.es import EXCLUDE, TEXT_FIELD

OBJECTS = saved_objects()
BY_ID = {obj["id"]: obj for obj in OBJECTS}


def _vega(object_id: str) -> dict[str, Any]:
    state = json.loads(BY_ID[object_id]["attributes"]["visState"])
    assert state["type"] == "vega"
    return json.loads(state["params"]["spec"])


def test_the_committed_file_is_what_the_data_generates() -> None:
    assert committed_path().read_text(encoding="utf-8") == to_ndjson(OBJECTS), (
        "index_config/kibana/pantau.ndjson is stale: run `python -m pantau.es.kibana`"
    )


def test_every_topic_has_a_saved_search() -> None:
    topics = load_topics()
    assert topics  # read from pantau/lexicons/topics.yaml
    for topic_id, label in topics.items():
        search = BY_ID[f"pantau-topic-{topic_id}"]
        source = json.loads(search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
        assert source["query"] == {"query": f'topics:"{topic_id}"', "language": "lucene"}
        assert search["attributes"]["title"] == f"Topik: {label}"
        assert search["references"][0]["id"] == "pantau-articles"


def test_the_data_view_is_the_read_alias() -> None:
    view = BY_ID["pantau-articles"]
    assert view["type"] == "index-pattern"
    assert view["attributes"]["title"] == "pantau-articles"
    assert view["attributes"]["timeFieldName"] == "@timestamp"


def test_every_reference_resolves_inside_the_file() -> None:
    present = {(obj["type"], obj["id"]) for obj in OBJECTS}
    for obj in OBJECTS:
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in present, f"{obj['id']} -> {ref['id']}"
    positions = {obj["id"]: n for n, obj in enumerate(OBJECTS)}
    for obj in OBJECTS:  # referenced objects come first
        assert all(positions[ref["id"]] < positions[obj["id"]] for ref in obj["references"])


def test_the_narasi_dashboard_has_its_panels_on_the_grid() -> None:
    dashboard = BY_ID["pantau-narasi"]
    assert dashboard["attributes"]["title"] == "Narasi"
    panels = json.loads(dashboard["attributes"]["panelsJSON"])
    refs = {ref["name"]: ref["id"] for ref in dashboard["references"]}
    shown = {refs[panel["panelRefName"]] for panel in panels}
    assert shown == {
        "pantau-vis-volume-topik",
        "pantau-vis-media-teratas",
        "pantau-vis-wilayah-teratas",
        "pantau-vis-kata-kunci",
        "pantau-vis-kata-kunci-naik",
        "pantau-vis-kata-signifikan",
        "pantau-vis-klaster-terbesar",
        "pantau-search-terbaru",
    }
    cells = set()
    for panel in panels:
        grid = panel["gridData"]
        assert grid["x"] + grid["w"] <= 48
        area = {
            (x, y)
            for x in range(grid["x"], grid["x"] + grid["w"])
            for y in range(grid["y"], grid["y"] + grid["h"])
        }
        assert not cells & area, f"panel {panel['panelIndex']} overlaps another"
        cells |= area


def test_volume_and_top_panels_follow_the_dashboard() -> None:
    volume = _vega("pantau-vis-volume-topik")["data"]["url"]
    assert volume["%context%"] is True and volume["%timefield%"] == "@timestamp"
    assert volume["index"] == "pantau-articles"
    topics = volume["body"]["aggs"]["topics"]
    assert topics["terms"]["field"] == "topics"
    histogram = topics["aggs"]["time"]["date_histogram"]
    assert histogram["fixed_interval"] == {"%autointerval%": True}  # 8.x: no plain interval
    for object_id, field in (
        ("pantau-vis-media-teratas", "source"),
        ("pantau-vis-wilayah-teratas", "regions"),
        ("pantau-vis-kata-kunci", "keywords"),
    ):
        request = _vega(object_id)["data"]["url"]
        assert request["%context%"] is True
        assert request["body"]["aggs"]["top"]["terms"]["field"] == field


@pytest.mark.parametrize(
    "object_id, path",
    [
        ("pantau-vis-kata-kunci-naik", ("rising", "significant_terms")),
        ("pantau-vis-kata-signifikan", ("sample", "aggs", "words", "significant_text")),
    ],
)
def test_rising_panels_compare_the_last_day_with_the_last_month(
    object_id: str, path: tuple[str, ...]
) -> None:
    request = _vega(object_id)["data"]["url"]
    assert "%context%" not in request  # its own window, the dashboard's query and filters
    query = request["body"]["query"]["bool"]
    assert query["must"] == ["%dashboard_context-must_clause%"]
    assert query["must_not"] == ["%dashboard_context-must_not_clause%"]
    assert query["filter"] == [
        "%dashboard_context-filter_clause%",
        {"range": {"@timestamp": {"gte": "now-24h"}}},
    ]
    agg: Any = request["body"]["aggs"]
    for key in path:
        agg = agg[key]
    assert agg["background_filter"] == {"range": {"@timestamp": {"gte": "now-30d"}}}
    if "significant_text" in path:
        assert agg["field"] == TEXT_FIELD and agg["source_fields"] == ["body"]
        assert agg["exclude"] == EXCLUDE
        assert agg["filter_duplicate_text"] is True
    else:
        assert agg["field"] == "keywords"


def test_largest_clusters_rank_by_outlets() -> None:
    request = _vega("pantau-vis-klaster-terbesar")["data"]["url"]
    clusters = request["body"]["aggs"]["clusters"]
    assert clusters["terms"]["field"] == "cluster_id"
    assert clusters["terms"]["order"] == {"outlets": "desc"}
    assert clusters["aggs"]["outlets"] == {"cardinality": {"field": "source"}}


def test_another_prefix_gets_its_own_ids_and_alias() -> None:
    other = saved_objects(IndexNames("pantau-test"), {"pemilu": "Pemilu"})
    assert {obj["id"].split("-")[1] for obj in other} == {"test"}
    assert "pantau-test-articles" in to_ndjson(other)
    assert '"pantau-articles"' not in to_ndjson(other)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("prabowo gibran", "prabowo AND gibran"),
        ('"politik uang" OR amplop', '"politik uang" OR amplop'),
        ("outlet:kompas hoaks", "source:kompas AND hoaks"),
        ("(a OR b) c", "(a OR b) AND c"),
        ("a AND (", "a AND ("),  # unreadable: left for Kibana to report
    ],
)
def test_kibana_query_spells_out_the_and(query: str, expected: str) -> None:
    assert kibana_query(query) == expected


def _config(kibana: FakeKibana, **extra: Any) -> KibanaConfig:
    return KibanaConfig(url=kibana.url, username="elastic", password="s3cret", **extra)


def test_import_reports_each_object(kibana: FakeKibana) -> None:
    kibana.authorization = "Basic " + base64.b64encode(b"elastic:s3cret").decode()
    results = import_saved_objects(_config(kibana), OBJECTS)
    assert [(r.type, r.id) for r in results] == [(o["type"], o["id"]) for o in OBJECTS]
    assert all(r.ok for r in results)
    (request,) = kibana.requests
    assert request.query == {"overwrite": ["true"]}
    headers = {key.lower(): value for key, value in request.headers.items()}
    assert headers["kbn-xsrf"]
    assert headers["content-type"].startswith("multipart/form-data; boundary=")
    assert len(kibana.objects) == len(OBJECTS)
    again = import_saved_objects(_config(kibana), OBJECTS)
    assert all(r.ok for r in again)


def test_import_failures_are_per_object(kibana: FakeKibana) -> None:
    kibana.fail_ids = {"pantau-vis-kata-kunci": "boom"}
    dashboard = BY_ID["pantau-narasi"]
    results = import_saved_objects(_config(kibana), [BY_ID["pantau-vis-kata-kunci"], dashboard])
    lines = [r.line() for r in results]
    assert (
        lines[0] == "error visualization pantau-vis-kata-kunci (Kata kunci teratas): unknown: boom"
    )
    assert lines[1].startswith("error dashboard pantau-narasi (Narasi): missing references: ")


def test_import_into_a_space(kibana: FakeKibana) -> None:
    import_saved_objects(_config(kibana, space="pemilu"), [BY_ID["pantau-articles"]])
    assert kibana.requests[0].path == "/s/pemilu/api/saved_objects/_import"


def test_refused_credentials_and_no_kibana_are_clear(kibana: FakeKibana) -> None:
    kibana.authorization = "Basic other"
    with pytest.raises(KibanaError) as refused:
        import_saved_objects(_config(kibana), OBJECTS[:1])
    assert "401" in str(refused.value) and "KIBANA_USERNAME" in str(refused.value)
    assert "s3cret" not in str(refused.value)
    kibana.stop()
    with pytest.raises(KibanaError, match="cannot reach Kibana"):
        import_saved_objects(_config(kibana), OBJECTS[:1])


def test_pantau_kibana_import(
    kibana: FakeKibana, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KIBANA_URL", kibana.url)
    monkeypatch.delenv("PANTAU_ES_PREFIX", raising=False)
    monkeypatch.delenv("PANTAU_QUERIES", raising=False)
    assert main(["kibana", "import"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].endswith(" imported, 0 failed")
    imported = {key[1] for key in kibana.objects}
    assert {obj["id"] for obj in OBJECTS} <= imported
    rule_ids = {i for i in imported if i.startswith("pantau-rule-")}
    assert rule_ids  # one saved search per alert rule in index_config/queries
    kibana.fail_ids = {"pantau-narasi": "nope"}
    assert main(["kibana", "import", "--no-rules"]) == 1
    assert "error dashboard pantau-narasi (Narasi): unknown: nope" in capsys.readouterr().out


def test_pantau_kibana_import_without_kibana_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KIBANA_URL", raising=False)
    assert main(["kibana", "import"]) == 2
    assert "KIBANA_URL is not set" in capsys.readouterr().err


def test_rule_searches_carry_the_filters() -> None:
    from pantau.alerts.rules import rule_from_mapping

    rule = rule_from_mapping(
        {
            "id": "uang",
            "name": "Uang",
            "query": "amplop caleg",
            "filters": {"language": ["id"], "sources": ["kompas", "detik"]},
        }
    )
    (search,) = rule_searches(IndexNames(), [rule])
    source = json.loads(search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
    assert source["query"]["query"] == (
        '(amplop AND caleg) AND language:("id") AND source:("kompas" OR "detik")'
    )


def test_read_ndjson_names_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.ndjson"
    path.write_text('{"type": "search", "id": "a", "attributes": {}}\n{"type": "search"}\n')
    with pytest.raises(ValueError, match="broken.ndjson:2"):
        read_ndjson(path)
    assert read_ndjson(committed_path()) == json.loads(json.dumps(OBJECTS))
