"""Significance heuristics of the kind Elasticsearch's significant_terms offers.

Each takes the foreground (the window: documents holding the term, all documents) and the
background (the baseline) and returns how much more the term belongs to the window. The baseline
is the period *before* the window, so it does not contain the window (Elasticsearch calls this a
background that is not a superset). Terms that did not grow score 0: the report lists what rose.
"""

from __future__ import annotations

import math
from collections.abc import Callable

Scorer = Callable[[int, int, int, int], float]


def jlh(fg_count: int, fg_total: int, bg_count: int, bg_total: int) -> float:
    """(fg% - bg%) * (fg% / bg%): the absolute rise times the relative rise.

    The absolute part alone favours very common words, the relative part alone favours one-off
    rarities; the product favours medium-rare terms that rose clearly. A term absent from the
    baseline is scored as if one baseline document held it (the smoothing Elasticsearch applies
    when its background misses a term), so a brand-new phrase gets a large finite score.
    """
    if fg_total <= 0 or bg_total <= 0 or fg_count <= 0:
        return 0.0
    fg = fg_count / fg_total
    bg = max(bg_count, 1) / bg_total
    if fg <= bg:
        return 0.0
    return (fg - bg) * (fg / bg)


def _table(fg_count: int, fg_total: int, bg_count: int, bg_total: int) -> tuple[float, ...]:
    """The 2x2 contingency table: (window|baseline) x (has term|has not)."""
    n11, n01 = fg_count, fg_total - fg_count
    n10, n00 = bg_count, bg_total - bg_count
    return float(n11), float(n01), float(n10), float(n00)


def chi_square(fg_count: int, fg_total: int, bg_count: int, bg_total: int) -> float:
    """Pearson's chi-square of the 2x2 table, for terms whose share rose (else 0)."""
    if fg_total <= 0 or bg_total <= 0 or fg_count / fg_total <= bg_count / bg_total:
        return 0.0
    n11, n01, n10, n00 = _table(fg_count, fg_total, bg_count, bg_total)
    n = n11 + n01 + n10 + n00
    with_term, without_term = n11 + n10, n01 + n00
    denominator = fg_total * bg_total * with_term * without_term
    if denominator == 0:
        return 0.0
    return n * (n11 * n00 - n10 * n01) ** 2 / denominator


def gnd(fg_count: int, fg_total: int, bg_count: int, bg_total: int) -> float:
    """exp(-NGD), the Google normalized distance between "in the window" and "has the term".

    1 means the term and the window always go together; near 0 means unrelated.
    """
    if fg_total <= 0 or bg_total <= 0 or fg_count <= 0:
        return 0.0
    if fg_count / fg_total <= bg_count / bg_total:
        return 0.0
    with_term = fg_count + bg_count
    n = fg_total + bg_total
    log_x, log_y, log_xy = math.log(with_term), math.log(fg_total), math.log(fg_count)
    spread = math.log(n) - min(log_x, log_y)
    if spread <= 0:
        return 0.0
    return math.exp(-(max(log_x, log_y) - log_xy) / spread)


SCORERS: dict[str, Scorer] = {"jlh": jlh, "chi2": chi_square, "gnd": gnd}


def scorer(name: str) -> Scorer:
    try:
        return SCORERS[name]
    except KeyError:
        raise ValueError(
            f"unknown score {name!r}; choose one of: {', '.join(sorted(SCORERS))}"
        ) from None
