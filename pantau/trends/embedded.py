"""Trends over the embedded SQLite store.

Counting unit for terms: a story. A story cluster (an article and its republished copies) counts
once, in the period where it first appeared, with the text of its earliest document; a document
without a cluster is a story of its own. Otherwise one wire story copied by many outlets would
flood the term list with every phrase of its text. The copies are not lost: the outlets carrying a
term count every outlet that published a story holding it in the window (copies included), and
the spread of copies is the report's story section. Volume counts articles (every copy).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from pantau.store.sqlite import SqliteStore
from pantau.trends.counting import SAMPLE_STORIES, Story, count_terms
from pantau.trends.report import (
    empty_notes,
    rank_clusters,
    rank_terms,
    report_header,
    score_terms,
)
from pantau.trends.scoring import scorer
from pantau.trends.terms import MAX_WORDS
from pantau.trends.window import TrendsError, TrendWindow, resolve_window

NO_TOPIC = "(none)"
EXAMPLES_PER_TERM = 3


def check_limits(limit: int, min_docs: int, min_outlets: int, max_words: int, score: str) -> None:
    """Reject settings that cannot give a meaningful report, naming the flag."""
    if limit < 1:
        raise TrendsError(f"--limit must be at least 1, got {limit}")
    if min_docs < 1:
        raise TrendsError(f"--min-docs must be at least 1, got {min_docs}")
    if min_outlets < 1:
        raise TrendsError(f"--min-outlets must be at least 1, got {min_outlets}")
    if not 1 <= max_words <= MAX_WORDS:
        raise TrendsError(f"--max-words must be between 1 and {MAX_WORDS}, got {max_words}")
    try:
        scorer(score)
    except ValueError as exc:
        raise TrendsError(f"--score: {exc}") from None


def compute_trends(
    store: SqliteStore,
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
    max_words: int = MAX_WORDS,
    sample: int | None = SAMPLE_STORIES,
) -> dict[str, Any]:
    """The emerging-narratives report over the embedded store (JSON-serializable).

    ``sample`` bounds how many stories of the window and of the baseline are read in full to
    shortlist terms (None: all of them); the listed terms' counts are exact either way (see
    pantau.trends.counting).
    """
    check_limits(limit, min_docs, min_outlets, max_words, score)
    if sample is not None and sample < 1:
        raise TrendsError(f"sample must be at least 1 story, got {sample}")
    frame = resolve_window(window, baseline, now)
    where, params = _filters("d", topic, source)
    window_stories, baseline_rowids, articles = _load(store, frame, where, params)
    rows = count_terms(
        store,
        window_stories,
        baseline_rowids,
        min_docs=min_docs,
        min_outlets=min_outlets,
        max_words=max_words,
        score=score,
        limit=limit,
        sample=sample,
    )
    scored = score_terms(
        rows, fg_total=len(window_stories), bg_total=len(baseline_rowids), score=score
    )
    terms = rank_terms(scored, limit)
    for term in terms:
        term["examples"] = _examples(window_stories, term.pop("_docs"))
    return {
        "window": report_header(
            frame,
            backend="sqlite",
            topic=topic,
            source=source,
            counts=(len(articles), len(window_stories), len(baseline_rowids)),
            score=score,
            min_docs=min_docs,
            min_outlets=min_outlets,
        ),
        "terms": terms,
        "clusters": _clusters(store, frame, topic, source, min_outlets, limit),
        "volume": _volume(frame, articles, topic),
        "notes": empty_notes(len(window_stories), len(baseline_rowids)),
    }


# -- loading ----------------------------------------------------------------------------------
def _filters(alias: str, topic: str | None, source: str | None) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if source:
        clauses.append(f"{alias}.source = ?")
        params.append(source)
    if topic:
        clauses.append(f"EXISTS (SELECT 1 FROM json_each({alias}.topics) WHERE value = ?)")
        params.append(topic)
    return "".join(f" AND {c}" for c in clauses), params


def _load(
    store: SqliteStore, frame: TrendWindow, where: str, params: list[Any]
) -> tuple[list[Story], list[int], list[tuple]]:
    """Window stories, the rowids of the baseline stories' first documents, and the window's
    articles (seen_ts, topics)."""
    start = frame.start.timestamp()
    cursor = store.conn.cursor()
    cursor.row_factory = None  # plain tuples: these loops read every row of the period
    cursor.execute(
        f"SELECT d.rowid, d.cluster_id FROM documents d WHERE d.seen_ts >= ? AND d.seen_ts < ?"
        f"{where} ORDER BY d.seen_ts, d.rowid",
        (frame.baseline_start.timestamp(), start, *params),
    )
    stories: dict[str, Story | None] = {}  # cluster -> its window story (None: a baseline one)
    baseline_rowids: list[int] = []
    for rowid, cluster in cursor:
        if cluster:
            if cluster in stories:
                continue
            stories[cluster] = None
        baseline_rowids.append(rowid)
    cursor.execute(
        "SELECT d.rowid, d.source, d.title, d.body, d.url, d.seen_ts, d.topics, d.cluster_id "
        f"FROM documents d WHERE d.seen_ts >= ? AND d.seen_ts < ?{where} "
        "ORDER BY d.seen_ts, d.rowid",
        (start, frame.end.timestamp(), *params),
    )
    window_stories: list[Story] = []
    articles: list[tuple] = []
    for rowid, src, title, body, url, ts, topics, cluster in cursor:
        articles.append((ts, topics))
        if cluster in stories:
            known = stories[cluster]
            if known is not None:
                known.outlets.add(src)  # a copy: one more outlet for the story, no new text
            continue
        story = Story(rowid, src, title, body, url, {src})
        window_stories.append(story)
        if cluster:
            stories[cluster] = story
    return window_stories, baseline_rowids, articles


def _examples(window_stories: list[Story], docs: list[int]) -> list[dict[str, Any]]:
    """The earliest stories holding the term, from different outlets where possible."""
    chosen: list[int] = []
    outlets: set[str] = set()
    for index in docs:
        if window_stories[index].source not in outlets:
            chosen.append(index)
            outlets.add(window_stories[index].source)
        if len(chosen) == EXAMPLES_PER_TERM:
            break
    for index in docs:
        if len(chosen) == EXAMPLES_PER_TERM:
            break
        if index not in chosen:
            chosen.append(index)
    chosen.sort()
    return [
        {
            "title": window_stories[i].title,
            "url": window_stories[i].url,
            "source": window_stories[i].source,
        }
        for i in chosen
    ]


# -- stories ----------------------------------------------------------------------------------
def _clusters(
    store: SqliteStore,
    frame: TrendWindow,
    topic: str | None,
    source: str | None,
    min_outlets: int,
    limit: int,
) -> list[dict[str, Any]]:
    """Story clusters with documents in the window, by the outlets that first carried them there.

    An outlet is new when its first document of the story falls in the window; the history
    before the window counts in full (not just the baseline), so an old story does not look new.
    """
    start, end = frame.start.timestamp(), frame.end.timestamp()
    inner_where, inner_params = _filters("w", topic, source)
    outer_where, outer_params = _filters("d", topic, source)
    rows = store.conn.execute(
        "WITH active AS (SELECT DISTINCT w.cluster_id FROM documents w "
        f"WHERE w.cluster_id IS NOT NULL AND w.seen_ts >= ? AND w.seen_ts < ?{inner_where}) "
        "SELECT d.cluster_id, d.source, MIN(d.seen_ts) AS first_ts, "
        "SUM(d.seen_ts >= ?) AS in_window FROM documents d "
        f"JOIN active a ON a.cluster_id = d.cluster_id WHERE d.seen_ts < ?{outer_where} "
        "GROUP BY d.cluster_id, d.source",
        (start, end, *inner_params, start, end, *outer_params),
    ).fetchall()
    per_cluster: dict[str, list[tuple[float, str, int]]] = defaultdict(list)
    for row in rows:
        per_cluster[row["cluster_id"]].append((row["first_ts"], row["source"], row["in_window"]))
    summaries = []
    for cluster_id, outlets in per_cluster.items():
        outlets.sort()
        new = [src for first, src, _ in outlets if first >= start]
        summaries.append(
            {
                "cluster_id": cluster_id,
                "new_outlets": len(new),
                "outlets": len(outlets),
                "outlets_before": len(outlets) - len(new),
                "docs_window": sum(n for _, _, n in outlets),
                "first_seen": frame.iso(outlets[0][0]),
                "first_source": outlets[0][1],
                "new_sources": new,
            }
        )
    ranked = rank_clusters(summaries, min_outlets=min_outlets, limit=limit)
    for story in ranked:
        first = store.conn.execute(
            "SELECT d.title, d.url FROM documents d WHERE d.cluster_id = ? AND d.source = ? "
            f"AND d.seen_ts < ?{outer_where} ORDER BY d.seen_ts, d.rowid LIMIT 1",
            (story["cluster_id"], story["first_source"], end, *outer_params),
        ).fetchone()
        story["title"] = first["title"] if first else None
        story["url"] = first["url"] if first else None
    return ranked


# -- volume -----------------------------------------------------------------------------------
def _volume(frame: TrendWindow, articles: list[tuple], topic: str | None) -> dict[str, Any]:
    """Articles per topic per bucket over the window, empty buckets included."""
    buckets = frame.bucket_starts()
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for ts, topics_json in articles:
        bucket = frame.bucket_of(ts)
        doc_topics = json.loads(topics_json) if topics_json else []
        if topic:
            doc_topics = [topic]  # the filter guarantees it; co-topics would blur the one asked
        for name in doc_topics or [NO_TOPIC]:
            counts[name][bucket] += 1
    order = sorted(counts, key=lambda name: (-sum(counts[name].values()), name))
    return {
        "interval": frame.interval,
        "series": {
            name: [[frame.iso(b), counts[name].get(b, 0)] for b in buckets] for name in order
        },
    }
