"""Trends from Elasticsearch: the same report, counted by the cluster.

One search does most of the work: ``significant_text`` over the unstemmed text against a
background filter of the baseline (terms), a ``terms`` on topics with a ``date_histogram``
inside (volume), and under a ``global`` aggregation the story clusters with the first time each
outlet carried them (``terms`` on source with ``min``) and their outlet ``cardinality`` in the
window. ``significant_text`` takes no sub-aggregations, so a second search asks, per listed
term, for its outlets (``cardinality``) and earliest articles (``top_hits``).

The scores are recomputed here from the counts Elasticsearch returns, with the same function as
the embedded store, so both back ends rank the same counts the same way (Elasticsearch's own JLH
treats a term missing from the background exactly as pantau.trends.scoring.jlh does). Counts
differ in one respect: Elasticsearch counts documents, with ``filter_duplicate_text`` keeping the
repeated passages of republished copies out of the term statistics, where the embedded store
counts each story once.

Terms and phrases come from ``body.phrases`` (the ``pantau_phrases`` analyser: unstemmed words
and their 2- and 3-word shingles, with Elasticsearch's Indonesian and English stopwords removed
at index time). A shingle across a removed stopword carries the filler ``_``; those, and phrases
that start or end with a number, are excluded by the search itself, and what is left is held to
the same rule as the embedded store's phrases (pantau.trends.terms.is_candidate: no stopword of
pantau's own list at either end). Elasticsearch's phrases therefore never span a stopword, where
the embedded store's may ("surat suara di tps"). An index made before ``body.phrases`` existed
reports no terms until ``pantau es migrate`` builds a new generation (``pantau es status`` says
so); ``text_field="body.exact"`` counts single words there meanwhile.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pantau.trends.embedded import NO_TOPIC, check_limits
from pantau.trends.report import (
    empty_notes,
    rank_clusters,
    rank_terms,
    report_header,
    score_terms,
)
from pantau.trends.terms import is_candidate
from pantau.trends.window import TrendWindow, epoch_ms, resolve_window

TIME_FIELD = "@timestamp"  # published_at, or crawled_at when unknown (pantau.es.documents)
TEXT_FIELD = "body.phrases"  # unstemmed words and their shingles (pantau_phrases)
SOURCE_FIELDS = ["title", "body"]  # re-analysed with the text field's analyser
PHRASE_FIELDS = ["title.exact", "body.exact"]
HEURISTICS = {
    "jlh": {"jlh": {}},
    "chi2": {"chi_square": {"background_is_superset": False, "include_negatives": False}},
    "gnd": {"gnd": {"background_is_superset": False}},
}
# Ask for this many times --limit terms: some fail --min-outlets, some start or end with one of
# pantau's stopwords that Elasticsearch's own lists lack.
CANDIDATES_PER_TERM = 8
# Lucene regular expression (whole term): shingles with the filler of a removed stopword, bare
# numbers, and phrases that start or end with one. Short on purpose: the stopword list itself
# is applied afterwards, in reportable(), rather than as a regular expression thousands of
# characters long.
EXCLUDE = "(.*_.*)|([0-9]+)|([0-9]+ .*)|(.* [0-9]+)"
TOPIC_BUCKETS = 50
OUTLETS_PER_STORY = 200
EXAMPLES_PER_TERM = 3


def _filters(topic: str | None, source: str | None) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if topic:
        found.append({"term": {"topics": topic}})
    if source:
        found.append({"term": {"source": source}})
    return found


def _range(start: datetime | None, end: datetime) -> dict[str, Any]:
    bounds = {"lt": end.isoformat()}
    if start is not None:
        bounds["gte"] = start.isoformat()
    return {"range": {TIME_FIELD: bounds}}


def _bool(*clauses: dict[str, Any]) -> dict[str, Any]:
    return {"bool": {"filter": list(clauses)}}


def trends_body(
    frame: TrendWindow,
    topic: str | None,
    source: str | None,
    *,
    limit: int,
    min_docs: int,
    score: str,
    text_field: str = TEXT_FIELD,
) -> dict[str, Any]:
    """The main search for a resolved frame (see es_trends_request)."""
    filters = _filters(topic, source)
    in_window = _range(frame.start, frame.end)
    buckets = frame.bucket_starts()
    volume_terms: dict[str, Any] = {"field": "topics", "size": TOPIC_BUCKETS, "missing": NO_TOPIC}
    if topic:
        volume_terms["include"] = [topic]  # co-topics of the filtered articles would blur it
    return {
        "size": 0,
        "track_total_hits": True,
        "query": _bool(in_window, *filters),
        "aggs": {
            "terms": {
                "significant_text": {
                    "field": text_field,
                    "source_fields": SOURCE_FIELDS,
                    "filter_duplicate_text": True,
                    "size": limit * CANDIDATES_PER_TERM,
                    "min_doc_count": min_docs,
                    "background_filter": _bool(_range(frame.baseline_start, frame.start), *filters),
                    "exclude": EXCLUDE,
                    **HEURISTICS[score],
                }
            },
            "volume": {
                "terms": volume_terms,
                "aggs": {
                    "over_time": {
                        "date_histogram": {
                            "field": TIME_FIELD,
                            "calendar_interval": frame.interval,
                            "time_zone": frame.as_dict()["timezone"],
                            "min_doc_count": 0,
                            "extended_bounds": {
                                "min": buckets[0] * 1000,
                                "max": buckets[-1] * 1000,
                            },
                        }
                    }
                },
            },
            "clusters": {
                "global": {},
                "aggs": {
                    "history": {
                        # Every earlier article of the filtered set, so "new" means new ever.
                        "filter": _bool(
                            _range(None, frame.end), {"exists": {"field": "cluster_id"}}, *filters
                        ),
                        "aggs": {
                            "stories": {
                                "terms": {
                                    "field": "cluster_id",
                                    "size": limit * CANDIDATES_PER_TERM,
                                    "order": {"in_window>outlets": "desc"},
                                },
                                "aggs": {
                                    "in_window": {
                                        "filter": in_window,
                                        "aggs": {"outlets": {"cardinality": {"field": "source"}}},
                                    },
                                    "by_source": {
                                        "terms": {"field": "source", "size": OUTLETS_PER_STORY},
                                        "aggs": {"first": {"min": {"field": TIME_FIELD}}},
                                    },
                                    "first": {
                                        "top_hits": {
                                            "size": 1,
                                            "sort": [{TIME_FIELD: "asc"}],
                                            "_source": ["title", "url", "source", TIME_FIELD],
                                        }
                                    },
                                },
                            }
                        },
                    }
                },
            },
        },
    }


def es_trends_request(
    window: str | timedelta,
    baseline: str | timedelta,
    topic: str | None = None,
    source: str | None = None,
    *,
    now: datetime | str | None = None,
    limit: int = 20,
    min_docs: int = 3,
    score: str = "jlh",
    text_field: str = TEXT_FIELD,
) -> dict[str, Any]:
    """The body of the main search (pass it as ``client.search(index=..., **body)``)."""
    return _prepare(window, baseline, topic, source, now, limit, min_docs, 1, score, text_field)[1]


def _prepare(
    window: str | timedelta,
    baseline: str | timedelta,
    topic: str | None,
    source: str | None,
    now: datetime | str | None,
    limit: int,
    min_docs: int,
    min_outlets: int,
    score: str,
    text_field: str,
) -> tuple[TrendWindow, dict[str, Any]]:
    check_limits(limit, min_docs, min_outlets, 1, score)
    frame = resolve_window(window, baseline, now)
    body = trends_body(
        frame, topic, source, limit=limit, min_docs=min_docs, score=score, text_field=text_field
    )
    return frame, body


def es_term_details_request(
    terms: list[str], frame: TrendWindow, topic: str | None, source: str | None
) -> dict[str, Any]:
    """The follow-up search: outlets and earliest articles of each term in the window."""
    per_term = {
        term: {
            "bool": {
                "should": [{"match_phrase": {field: term}} for field in PHRASE_FIELDS],
                "minimum_should_match": 1,
            }
        }
        for term in terms
    }
    return {
        "size": 0,
        "query": _bool(_range(frame.start, frame.end), *_filters(topic, source)),
        "aggs": {
            "details": {
                "filters": {"filters": per_term},
                "aggs": {
                    "outlets": {"cardinality": {"field": "source"}},
                    "examples": {
                        "top_hits": {
                            "size": EXAMPLES_PER_TERM,
                            "sort": [{TIME_FIELD: "asc"}],
                            "_source": ["title", "url", "source"],
                        }
                    },
                },
            }
        },
    }


def _aggs(response: Any) -> dict[str, Any]:
    body = getattr(response, "body", response)  # an ObjectApiResponse or a plain dict
    return body.get("aggregations", {})


def _total(response: Any) -> int:
    body = getattr(response, "body", response)
    total = body.get("hits", {}).get("total", 0)
    return total.get("value", 0) if isinstance(total, dict) else int(total)


def _volume(frame: TrendWindow, aggs: dict[str, Any]) -> dict[str, Any]:
    buckets = frame.bucket_starts()
    series: dict[str, dict[int, int]] = {}
    for topic_bucket in aggs.get("volume", {}).get("buckets", []):
        counts = {
            int(b["key"] // 1000): b["doc_count"] for b in topic_bucket["over_time"]["buckets"]
        }
        series[topic_bucket["key"]] = counts
    order = sorted(series, key=lambda name: (-sum(series[name].values()), name))
    return {
        "interval": frame.interval,
        "series": {
            name: [[frame.iso(b), series[name].get(b, 0)] for b in buckets] for name in order
        },
    }


def _clusters(
    frame: TrendWindow, aggs: dict[str, Any], min_outlets: int, limit: int
) -> list[dict[str, Any]]:
    start_ms = epoch_ms(frame.start)
    stories = aggs.get("clusters", {}).get("history", {}).get("stories", {}).get("buckets", [])
    summaries = []
    for bucket in stories:
        window = bucket["in_window"]
        if not window["doc_count"]:
            continue
        sources = bucket["by_source"]["buckets"]
        # An outlet whose articles all lack a time has no first time: it counts as carrying the
        # story from before the window, and cannot be the first outlet.
        firsts = sorted((b["first"]["value"], b["key"]) for b in sources if b["first"]["value"])
        new = [src for first, src in firsts if first >= start_ms]
        hits = bucket["first"]["hits"]["hits"]
        first_doc = hits[0]["_source"] if hits else {}
        summaries.append(
            {
                "cluster_id": bucket["key"],
                "new_outlets": len(new),
                "outlets": len(sources),
                "outlets_before": len(sources) - len(new),
                "docs_window": window["doc_count"],
                "first_seen": frame.iso(firsts[0][0] / 1000) if firsts else None,
                "first_source": firsts[0][1] if firsts else None,
                "new_sources": new,
                "title": first_doc.get("title"),
                "url": first_doc.get("url"),
            }
        )
    return rank_clusters(summaries, min_outlets=min_outlets, limit=limit)


def reportable(term: str) -> bool:
    """Whether a term or phrase Elasticsearch returned may be reported (see the module's notes)."""
    words = term.split(" ")
    if "_" in words or not all(words):
        return False
    keys = [word.encode("utf-8") for word in words]
    return is_candidate(keys[0] if len(keys) == 1 else tuple(keys))


def _reportable_buckets(aggs: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in aggs.get("terms", {}).get("buckets", []) if reportable(b["key"])]


def report_from_es(
    frame: TrendWindow,
    main: Any,
    details: Any | None,
    *,
    topic: str | None,
    source: str | None,
    limit: int,
    min_docs: int,
    min_outlets: int,
    score: str,
) -> dict[str, Any]:
    """The report (the shape compute_trends returns) from the two search responses."""
    aggs = _aggs(main)
    significant = aggs.get("terms", {})
    fg_total, bg_total = significant.get("doc_count", 0), significant.get("bg_count", 0)
    per_term = _aggs(details).get("details", {}).get("buckets", {}) if details else {}
    rows = []
    for bucket in _reportable_buckets(aggs):
        info = per_term.get(bucket["key"], {})
        outlets = info.get("outlets", {}).get("value", 0)
        if outlets < min_outlets:
            continue
        rows.append(
            {
                "term": bucket["key"],
                "docs_window": bucket["doc_count"],
                "docs_baseline": bucket["bg_count"],
                "outlets": outlets,
                "examples": [
                    {key: hit["_source"].get(key) for key in ("title", "url", "source")}
                    for hit in info.get("examples", {}).get("hits", {}).get("hits", [])
                ],
            }
        )
    terms = rank_terms(score_terms(rows, fg_total=fg_total, bg_total=bg_total, score=score), limit)
    return {
        "window": report_header(
            frame,
            backend="elasticsearch",
            topic=topic,
            source=source,
            counts=(_total(main), fg_total, bg_total),
            score=score,
            min_docs=min_docs,
            min_outlets=min_outlets,
        ),
        "terms": terms,
        "clusters": _clusters(frame, aggs, min_outlets, limit),
        "volume": _volume(frame, aggs),
        "notes": empty_notes(fg_total, bg_total),
    }


def trends_from_es(
    client: Any,
    *,
    window: str | timedelta,
    baseline: str | timedelta,
    topic: str | None = None,
    source: str | None = None,
    now: datetime | str | None = None,
    limit: int = 20,
    min_docs: int = 3,
    min_outlets: int = 2,
    score: str = "jlh",
    index: str = "pantau-articles",
    text_field: str = TEXT_FIELD,
) -> dict[str, Any]:
    """The report from Elasticsearch (``client`` is an ``elasticsearch.Elasticsearch``)."""
    frame, body = _prepare(
        window, baseline, topic, source, now, limit, min_docs, min_outlets, score, text_field
    )
    main = client.search(index=index, **body)
    keys = [bucket["key"] for bucket in _reportable_buckets(_aggs(main))]
    details = (
        client.search(index=index, **es_term_details_request(keys, frame, topic, source))
        if keys
        else None
    )
    return report_from_es(
        frame,
        main,
        details,
        topic=topic,
        source=source,
        limit=limit,
        min_docs=min_docs,
        min_outlets=min_outlets,
        score=score,
    )


__all__ = [
    "es_term_details_request",
    "es_trends_request",
    "report_from_es",
    "reportable",
    "trends_from_es",
]
