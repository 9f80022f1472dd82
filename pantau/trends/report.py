"""The report's parts that do not depend on the back end: ranking terms and stories.

Both back ends produce raw counts; these functions score, filter, rank and shape them, so the
embedded store and Elasticsearch answer with the same report for the same counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pantau.trends.scoring import scorer
from pantau.trends.window import TrendWindow

# A shorter term is dropped when a longer phrase holding it covers at least this share of its
# window documents: "suara tercoblos" adds nothing next to "surat suara tercoblos".
COVERED_SHARE = 0.8
MAX_RELATED = 5


def _significant(value: float) -> float:
    return float(f"{value:.6g}")


def score_terms(
    candidates: Iterable[dict[str, Any]], *, fg_total: int, bg_total: int, score: str = "jlh"
) -> list[dict[str, Any]]:
    """Add score and shares to candidates holding term, docs_window, docs_baseline; keep risers."""
    heuristic = scorer(score)
    scored = []
    for cand in candidates:
        value = heuristic(cand["docs_window"], fg_total, cand["docs_baseline"], bg_total)
        if value <= 0:
            continue
        cand = dict(cand)
        cand["score"] = _significant(value)
        cand["share_window"] = _significant(cand["docs_window"] / fg_total)
        cand["share_baseline"] = _significant(cand["docs_baseline"] / bg_total)
        scored.append(cand)
    return scored


def _sub_phrases(words: tuple[str, ...]) -> Iterable[tuple[str, ...]]:
    for size in range(1, len(words)):
        for at in range(len(words) - size + 1):
            yield words[at : at + size]


def rank_terms(scored: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """Best first (score, then longer phrase, then alphabetical), with covered parts dropped.

    A term may carry ``_group``, the exact set of window stories holding it: terms with the same
    set are one piece of evidence (the phrases of one recurring wording), so only the best is
    listed and the others become its ``related`` terms.
    """
    by_words = {tuple(t["term"].split()): t for t in scored}
    covered: set[tuple[str, ...]] = set()
    for words, longer in by_words.items():
        for part in _sub_phrases(words):
            shorter = by_words.get(part)
            if shorter and longer["docs_window"] >= COVERED_SHARE * shorter["docs_window"]:
                covered.add(part)
    ordered = [t for words, t in by_words.items() if words not in covered]
    ordered.sort(key=lambda t: (-t["score"], -len(t["term"].split()), t["term"]))
    kept: list[dict[str, Any]] = []
    leaders: dict[Any, dict[str, Any]] = {}
    for term in ordered:
        group = term.pop("_group", None)
        leader = leaders.get(group) if group is not None else None
        if leader is not None:
            if len(leader["related"]) < MAX_RELATED:
                leader["related"].append(term["term"])
            continue
        if len(kept) == limit:
            continue  # keep folding the rest into the listed terms
        term["related"] = []
        kept.append(term)
        if group is not None:
            leaders[group] = term
    return kept


def rank_clusters(
    clusters: Iterable[dict[str, Any]], *, min_outlets: int, limit: int
) -> list[dict[str, Any]]:
    """Stories that reached new outlets in the window, most new outlets first."""
    grown = [c for c in clusters if c["new_outlets"] >= 1 and c["outlets"] >= min_outlets]
    grown.sort(
        key=lambda c: (-c["new_outlets"], -c["docs_window"], c["first_seen"] or "", c["cluster_id"])
    )
    return grown[:limit]


def empty_notes(fg_total: int, bg_total: int) -> list[str]:
    """Plain-language reasons a report may look empty."""
    notes = []
    if fg_total == 0:
        notes.append("no documents in the window")
    if bg_total == 0:
        notes.append(
            "no documents in the baseline, so no term can be shown to have grown; "
            "widen --baseline or wait for the store to hold older documents"
        )
    return notes


def report_header(
    frame: TrendWindow,
    *,
    backend: str,
    topic: str | None,
    source: str | None,
    counts: tuple[int, int, int],
    score: str,
    min_docs: int,
    min_outlets: int,
) -> dict[str, Any]:
    """The report's "window" part: the frame, the filters and settings, and ``counts`` =
    (articles in the window, stories in the window, stories in the baseline)."""
    documents, stories, baseline_stories = counts
    return {
        **frame.as_dict(),
        "topic": topic,
        "source": source,
        "backend": backend,
        "documents": documents,
        "stories": stories,
        "baseline_stories": baseline_stories,
        "score": score,
        "min_docs": min_docs,
        "min_outlets": min_outlets,
    }
