"""Multinomial naive Bayes over feature counts: counting (build time) and scoring (run time).

A table of counts is all the model is, so the data file stays a readable JSON of counts and the
log-probabilities are derived when it is loaded.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping

import numpy as np


class CountTable:
    """Feature counts per class, as gathered from training texts."""

    def __init__(self, classes: list[str]) -> None:
        self.classes = list(classes)
        self._column = {name: column for column, name in enumerate(self.classes)}
        self.counts: dict[str, list[int]] = {}
        self.totals = [0] * len(self.classes)

    def add(self, features: Mapping[str, int], label: str) -> None:
        column = self._column[label]
        width = len(self.classes)
        for feature, count in features.items():
            row = self.counts.get(feature)
            if row is None:
                row = self.counts[feature] = [0] * width
            row[column] += count
        self.totals[column] += sum(features.values())

    def to_json(self, alpha: float, min_count: int) -> dict:
        """The table as stored: features seen fewer than min_count times in all are dropped, but
        the totals and vocabulary size stay those of the full table, so the kept features score
        as they did before the drop."""
        kept = {
            feature: [
                value for column, count in enumerate(row) if count for value in (column, count)
            ]
            for feature, row in sorted(self.counts.items())
            if sum(row) >= min_count
        }
        return {
            "classes": self.classes,
            "alpha": alpha,
            "totals": self.totals,
            "vocabulary_size": len(self.counts),
            "counts": kept,  # feature -> [class index, count, class index, count, ...]
        }


class NaiveBayes:
    """Scores texts against a stored count table."""

    def __init__(self, stored: Mapping) -> None:
        try:
            self.classes: list[str] = list(stored["classes"])
            alpha = float(stored["alpha"])
            totals = [int(total) for total in stored["totals"]]
            size = int(stored["vocabulary_size"])
            counts: Mapping[str, list[int]] = stored["counts"]
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"naive Bayes table is malformed: {error!r}") from error
        if len(totals) != len(self.classes):
            raise ValueError("naive Bayes table: totals and classes differ in length")
        self.index = {feature: row for row, feature in enumerate(counts)}
        table = np.zeros((len(counts), len(self.classes)))
        for row, pairs in enumerate(counts.values()):
            table[row, pairs[0::2]] = pairs[1::2]
        denominators = np.log(np.asarray(totals, dtype=np.float64) + alpha * size)
        self.log_probs = (np.log(table + alpha) - denominators).astype(np.float32)

    def known(self, features: Iterable[str]) -> list[int]:
        """Rows of the features the table knows; unknown ones tell nothing about any class."""
        index = self.index
        return [index[feature] for feature in features if feature in index]

    def scores(self, features: Mapping[str, int]) -> np.ndarray:
        """Log-likelihood per class of a bag of feature counts."""
        rows = [
            row
            for feature, count in features.items()
            if (row := self.index.get(feature)) is not None
            for _ in range(count)
        ]
        return self.score_rows(rows)

    def score_rows(self, rows: list[int]) -> np.ndarray:
        """Log-likelihood per class of feature rows (a row listed twice counts twice)."""
        if not rows:
            return np.zeros(len(self.classes))
        return self.log_probs[rows].sum(axis=0, dtype=np.float64)

    def ratio(self, positive: str, negative: str) -> np.ndarray:
        """Per-feature log-likelihood ratio of two classes."""
        log_probs = self.log_probs.astype(np.float64)
        return (
            log_probs[:, self.classes.index(positive)] - log_probs[:, self.classes.index(negative)]
        )


def contrast(ratio: np.ndarray, rows: Collection[int]) -> float:
    """Presence-only evidence: the summed ratio of the features present, scaled by
    1/sqrt(how many), so a long text and a short one with the same tell-tale words score alike."""
    if not rows:
        return 0.0
    return float(ratio[list(rows)].sum()) / math.sqrt(len(rows))
