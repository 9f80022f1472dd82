"""The Elasticsearch side of `pantau trends`: request bodies, and responses into the report.

The responses are canned, written to the shapes the Elasticsearch reference documents for
significant_text, terms, date_histogram, cardinality, min, top_hits, filters and global.
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import datetime, timedelta

import pytest

from pantau.commands.trends import register, run_trends
from pantau.trends.es import (
    EXCLUDE,
    es_term_details_request,
    es_trends_request,
    report_from_es,
    reportable,
    trends_from_es,
)
from pantau.trends.scoring import jlh
from pantau.trends.window import WIB, resolve_window

NOW = "2024-02-14T18:00:00+07:00"
START = datetime(2024, 2, 13, 18, 0, tzinfo=WIB)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _hit(source: str, title: str, n: int) -> dict:
    return {
        "_index": "pantau-articles-v1",
        "_id": f"{source}-{n}",
        "_source": {"title": title, "url": f"https://{source}.example/{n}", "source": source},
    }


def main_response() -> dict:
    """What the main search returns for a 24h window."""
    hour = timedelta(hours=1)
    return {
        "took": 12,
        "timed_out": False,
        "hits": {"total": {"value": 70, "relation": "eq"}, "max_score": None, "hits": []},
        "aggregations": {
            "terms": {
                "doc_count": 70,
                "bg_count": 1200,
                "buckets": [
                    {"key": "tercoblos", "doc_count": 24, "score": 160.1, "bg_count": 0},
                    {"key": "bawaslu", "doc_count": 30, "score": 0.5, "bg_count": 300},
                    {"key": "viral", "doc_count": 5, "score": 6.0, "bg_count": 1},
                    # Phrases Elasticsearch's stopword lists let through, but pantau's does not.
                    {"key": "tercoblos sebelum", "doc_count": 20, "score": 90.0, "bg_count": 0},
                    {"key": "para saksi", "doc_count": 19, "score": 80.0, "bg_count": 0},
                ],
            },
            "volume": {
                "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": 0,
                "buckets": [
                    {
                        "key": "ekonomi",
                        "doc_count": 3,
                        "over_time": {
                            "buckets": [
                                {"key_as_string": "x", "key": _ms(START), "doc_count": 1},
                                {"key_as_string": "x", "key": _ms(START + hour), "doc_count": 2},
                            ]
                        },
                    },
                    {
                        "key": "pemilu",
                        "doc_count": 5,
                        "over_time": {
                            "buckets": [
                                {"key_as_string": "x", "key": _ms(START + 5 * hour), "doc_count": 5}
                            ]
                        },
                    },
                ],
            },
            "clusters": {
                "doc_count": 5000,
                "history": {
                    "doc_count": 40,
                    "stories": {
                        "doc_count_error_upper_bound": 0,
                        "sum_other_doc_count": 0,
                        "buckets": [
                            {
                                "key": "story-grow",
                                "doc_count": 4,
                                "in_window": {"doc_count": 3, "outlets": {"value": 3}},
                                "by_source": {
                                    "buckets": [
                                        {
                                            "key": source,
                                            "doc_count": 1,
                                            "first": {"value": when and float(_ms(when))},
                                        }
                                        for source, when in (
                                            ("outlet02", START + 2 * hour),
                                            ("outlet01", START - 30 * hour),
                                            ("outlet03", START + 5 * hour),
                                            ("outlet04", START + 8 * hour),
                                            ("outlet05", None),  # no time at all
                                        )
                                    ]
                                },
                                "first": {
                                    "hits": {
                                        "total": {"value": 4, "relation": "eq"},
                                        "hits": [_hit("outlet01", "Logistik pemilu terlambat", 1)],
                                    }
                                },
                            },
                            {
                                "key": "story-old",
                                "doc_count": 5,
                                "in_window": {"doc_count": 1, "outlets": {"value": 1}},
                                "by_source": {
                                    "buckets": [
                                        {
                                            "key": f"outlet0{k}",
                                            "doc_count": 1,
                                            "first": {"value": float(_ms(START - 100 * hour))},
                                        }
                                        for k in range(1, 5)
                                    ]
                                },
                                "first": {"hits": {"hits": [_hit("outlet01", "Harga beras", 2)]}},
                            },
                            {
                                "key": "story-before",
                                "doc_count": 2,
                                "in_window": {"doc_count": 0, "outlets": {"value": 0}},
                                "by_source": {"buckets": []},
                                "first": {"hits": {"hits": []}},
                            },
                        ],
                    },
                },
            },
        },
    }


def details_response() -> dict:
    return {
        "hits": {"total": {"value": 70, "relation": "eq"}, "hits": []},
        "aggregations": {
            "details": {
                "buckets": {
                    "tercoblos": {
                        "doc_count": 24,
                        "outlets": {"value": 9},
                        "examples": {
                            "hits": {
                                "hits": [
                                    _hit("outlet01", "Surat suara tercoblos <b>di TPS</b>", 3),
                                    _hit("outlet02", "Bawaslu selidiki", 4),
                                ]
                            }
                        },
                    },
                    "bawaslu": {
                        "doc_count": 30,
                        "outlets": {"value": 12},
                        "examples": {"hits": {"hits": []}},
                    },
                    # Many outlets, but a phrase pantau does not report (it starts with a
                    # stopword): the report must leave it out on its own.
                    "para saksi": {
                        "doc_count": 19,
                        "outlets": {"value": 9},
                        "examples": {"hits": {"hits": []}},
                    },
                    # One outlet only: below --min-outlets 2.
                    "viral": {
                        "doc_count": 5,
                        "outlets": {"value": 1},
                        "examples": {"hits": {"hits": []}},
                    },
                }
            }
        },
    }


class FakeClient:
    """Answers searches from canned responses and keeps the requests."""

    def __init__(self, *responses: dict) -> None:
        self.responses = list(responses)
        self.calls: list[tuple[str, dict]] = []

    def search(self, *, index: str, **body: object) -> dict:
        self.calls.append((index, body))
        return self.responses.pop(0)


# -- request bodies -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("score", "heuristic"),
    [
        ("jlh", {"jlh": {}}),
        ("chi2", {"chi_square": {"background_is_superset": False, "include_negatives": False}}),
        ("gnd", {"gnd": {"background_is_superset": False}}),
    ],
)
def test_request_body(score: str, heuristic: dict) -> None:
    body = es_trends_request(
        "24h", "30d", topic="pemilu", source="outlet01", now=NOW, limit=10, score=score
    )
    json.dumps(body)
    filters = [{"term": {"topics": "pemilu"}}, {"term": {"source": "outlet01"}}]
    window = {"range": {"@timestamp": {"gte": "2024-02-13T18:00:00+07:00", "lt": NOW}}}
    assert body["size"] == 0
    assert body["query"] == {"bool": {"filter": [window, *filters]}}
    sig = body["aggs"]["terms"]["significant_text"]
    assert sig["field"] == "body.phrases" and sig["source_fields"] == ["title", "body"]
    assert sig["filter_duplicate_text"] is True
    assert sig["min_doc_count"] == 3 and sig["size"] >= 10
    assert sig["exclude"] == EXCLUDE
    baseline = {
        "range": {
            "@timestamp": {"gte": "2024-01-14T18:00:00+07:00", "lt": "2024-02-13T18:00:00+07:00"}
        }
    }
    assert sig["background_filter"] == {"bool": {"filter": [baseline, *filters]}}
    assert {k: v for k, v in sig.items() if k in ("jlh", "chi_square", "gnd")} == heuristic
    volume = body["aggs"]["volume"]
    assert volume["terms"]["field"] == "topics" and volume["terms"]["include"] == ["pemilu"]
    histogram = volume["aggs"]["over_time"]["date_histogram"]
    assert histogram["calendar_interval"] == "hour" and histogram["time_zone"] == "+07:00"
    assert histogram["min_doc_count"] == 0
    assert histogram["extended_bounds"] == {
        "min": _ms(START),
        "max": _ms(START + timedelta(hours=23)),
    }
    clusters = body["aggs"]["clusters"]
    assert clusters["global"] == {}
    history = clusters["aggs"]["history"]
    assert {"range": {"@timestamp": {"lt": NOW}}} in history["filter"]["bool"]["filter"]
    stories = history["aggs"]["stories"]
    assert stories["terms"]["field"] == "cluster_id"
    assert stories["terms"]["order"] == {"in_window>outlets": "desc"}
    assert stories["aggs"]["in_window"]["aggs"]["outlets"] == {"cardinality": {"field": "source"}}
    assert stories["aggs"]["by_source"]["aggs"]["first"] == {"min": {"field": "@timestamp"}}


# Lucene matches an include/exclude expression against the whole term, as re.fullmatch does;
# the expression uses only syntax the two share (groups, alternation, classes, .*, +).
@pytest.mark.parametrize(
    ("term", "excluded"),
    [
        ("suara _", True),  # a shingle across a removed stopword
        ("_ tps", True),
        ("surat suara _", True),
        ("2024", True),
        ("2024 pemilu", True),
        ("pemilu 2024", True),
        ("pilkada 2024 serentak", False),  # a number inside a phrase is fine
        ("surat suara", False),
        ("tercoblos", False),
        ("surat suara tercoblos", False),
    ],
)
def test_exclude_expression(term: str, excluded: bool) -> None:
    assert bool(re.fullmatch(EXCLUDE, term)) is excluded


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("surat suara", True),
        ("tercoblos", True),
        ("pilkada 2024 serentak", True),
        ("yang", False),  # a stopword of pantau's list
        ("para saksi", False),  # starts with one
        ("saksi para", False),  # ends with one
        ("suara _ tps", False),
        ("x", False),  # one letter
        ("2024", False),
        ("", False),
    ],
)
def test_reportable(term: str, expected: bool) -> None:
    assert reportable(term) is expected


def test_day_interval_and_no_filters() -> None:
    body = es_trends_request("7d", "30d", now=NOW)
    assert body["query"]["bool"]["filter"] == [
        {"range": {"@timestamp": {"gte": "2024-02-07T18:00:00+07:00", "lt": NOW}}}
    ]
    volume = body["aggs"]["volume"]
    assert "include" not in volume["terms"]
    assert volume["aggs"]["over_time"]["date_histogram"]["calendar_interval"] == "day"


def test_term_details_request() -> None:
    frame = resolve_window("24h", "30d", NOW)
    body = es_term_details_request(["tercoblos", "surat suara"], frame, "pemilu", None)
    per_term = body["aggs"]["details"]["filters"]["filters"]
    assert per_term["surat suara"]["bool"]["should"] == [
        {"match_phrase": {"title.exact": "surat suara"}},
        {"match_phrase": {"body.exact": "surat suara"}},
    ]
    sub = body["aggs"]["details"]["aggs"]
    assert sub["outlets"] == {"cardinality": {"field": "source"}}
    assert sub["examples"]["top_hits"]["size"] == 3
    assert {"term": {"topics": "pemilu"}} in body["query"]["bool"]["filter"]


# -- responses into the report --------------------------------------------------------------------
def test_report_from_es() -> None:
    frame = resolve_window("24h", "30d", NOW)
    report = report_from_es(
        frame,
        main_response(),
        details_response(),
        topic=None,
        source=None,
        limit=10,
        min_docs=3,
        min_outlets=2,
        score="jlh",
    )
    json.dumps(report)
    assert report["window"]["backend"] == "elasticsearch"
    assert report["window"]["documents"] == 70
    assert report["window"]["baseline_stories"] == 1200
    assert [t["term"] for t in report["terms"]] == ["tercoblos", "bawaslu"]  # viral: 1 outlet
    top = report["terms"][0]
    assert top["score"] == pytest.approx(jlh(24, 70, 0, 1200), rel=1e-5)
    assert (top["docs_window"], top["docs_baseline"], top["outlets"]) == (24, 0, 9)
    assert top["examples"][0] == {
        "title": "Surat suara tercoblos <b>di TPS</b>",
        "url": "https://outlet01.example/3",
        "source": "outlet01",
    }
    assert [c["cluster_id"] for c in report["clusters"]] == ["story-grow"]
    grown = report["clusters"][0]
    assert grown["new_outlets"] == 3 and grown["outlets"] == 5 and grown["outlets_before"] == 2
    assert grown["new_sources"] == ["outlet02", "outlet03", "outlet04"]
    assert grown["first_source"] == "outlet01"
    assert grown["first_seen"] == "2024-02-12T12:00:00+07:00"
    assert grown["title"] == "Logistik pemilu terlambat"
    volume = report["volume"]
    assert volume["interval"] == "hour"
    assert list(volume["series"]) == ["pemilu", "ekonomi"]  # busiest first
    assert len(volume["series"]["ekonomi"]) == 24
    assert volume["series"]["ekonomi"][:3] == [
        ["2024-02-13T18:00:00+07:00", 1],
        ["2024-02-13T19:00:00+07:00", 2],
        ["2024-02-13T20:00:00+07:00", 0],
    ]
    assert sum(n for _, n in volume["series"]["pemilu"]) == 5


def test_trends_from_es_asks_details_for_the_significant_terms() -> None:
    client = FakeClient(main_response(), details_response())
    report = trends_from_es(client, window="24h", baseline="30d", now=NOW, index="x-articles")
    assert [index for index, _ in client.calls] == ["x-articles", "x-articles"]
    asked = client.calls[1][1]["aggs"]["details"]["filters"]["filters"]
    assert list(asked) == ["tercoblos", "bawaslu", "viral"]  # no phrase edged by a stopword
    assert report["terms"][0]["term"] == "tercoblos"


def test_trends_from_es_without_significant_terms_makes_one_search() -> None:
    empty = main_response()
    empty["aggregations"]["terms"]["buckets"] = []
    client = FakeClient(empty)
    report = trends_from_es(client, window="24h", baseline="30d", now=NOW)
    assert len(client.calls) == 1 and report["terms"] == []


def test_both_back_ends_give_the_same_shape(tmp_path) -> None:
    from pantau.store.sqlite import SqliteStore
    from pantau.trends import compute_trends
    from pantau.trends.synthetic import CorpusPlan, generate_corpus

    store = SqliteStore(tmp_path / "s.db")
    with store.transaction():
        for item in generate_corpus(CorpusPlan(now=datetime.fromisoformat(NOW), docs_per_day=8)):
            store.upsert(item)
    embedded = compute_trends(store, window="24h", baseline="30d", now=NOW)
    store.close()
    elastic = trends_from_es(
        FakeClient(main_response(), details_response()), window="24h", baseline="30d", now=NOW
    )
    assert embedded["terms"] and embedded["clusters"]
    assert set(embedded) == set(elastic)
    assert set(embedded["window"]) == set(elastic["window"])
    assert set(embedded["terms"][0]) == set(elastic["terms"][0])
    assert set(embedded["clusters"][0]) == set(elastic["clusters"][0])
    assert set(embedded["volume"]) == set(elastic["volume"])


# -- the command picks Elasticsearch when it is configured ---------------------------------------
def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="pantau")
    register(parser.add_subparsers(dest="command"))
    return parser.parse_args(["trends", *argv])


def test_command_uses_elasticsearch_when_configured(monkeypatch, capsys) -> None:
    import pantau.es.config

    client = FakeClient(main_response(), details_response())
    monkeypatch.setenv("ELASTICSEARCH_URL", "http://127.0.0.1:9")
    monkeypatch.delenv("PANTAU_ES_PREFIX", raising=False)
    monkeypatch.setattr(pantau.es.config, "make_client", lambda config, **kw: client)
    assert run_trends(_args("--now", NOW, "--json")) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["window"]["backend"] == "elasticsearch"
    assert client.calls[0][0] == "pantau-articles"


def test_command_reports_an_unreachable_cluster(monkeypatch, capsys) -> None:
    import elasticsearch

    import pantau.es.config

    class Down:
        def search(self, **_: object) -> dict:
            raise elasticsearch.ConnectionError("connection refused")

    monkeypatch.setenv("ELASTICSEARCH_URL", "http://user:secret@127.0.0.1:9")
    monkeypatch.setattr(pantau.es.config, "make_client", lambda config, **kw: Down())
    assert run_trends(_args("--now", NOW)) == 1
    err = capsys.readouterr().err
    assert "Elasticsearch at" in err and "connection refused" in err
    assert "secret" not in err
