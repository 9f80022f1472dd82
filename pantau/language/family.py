"""The second stage: which language of pantau's home family (or English) a text is.

langdetect has no Malay, Javanese or Sundanese and calls them all Indonesian; with profiles for
them it still confuses Indonesian and Malay, whose short news sentences often share every word.
So when langdetect's answer is a language of the family, two naive Bayes models trained on the
labelled sentences decide:

1. *group*: English, Indonesian-or-Malay (one class), Javanese, Sundanese and the regional
   languages, on words and character 1-5-grams;
2. *pair*: Indonesian against Malay, on the presence of words and of character 3-5-grams, with
   the large-corpus word frequencies of pantau.language.lexical added to the trained evidence.

Both decisions also weigh CLD3's opinion (pantau.language.second_opinion), and the pair's trained
evidence counts in proportion to how many Malay samples it was trained on: with a handful it is
noise that looks like signal in cross-validation, so the frequency evidence decides alone.

Indonesian is by far the most common language pantau reads, so both decisions lean towards it:
an offset for the Indonesian-or-Malay class and a threshold that the Malay evidence must pass,
both chosen at build time by cross-validation on the training part (never the held-out part),
on the same evidence the detector then uses; so are the weights of CLD3's opinion.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from pantau.language import features, lexical
from pantau.language.naive_bayes import NaiveBayes, contrast
from pantau.language.second_opinion import Opinion

MALAYIC = "id|ms"  # the group class standing for Indonesian and Malay together

# Feature choices, shared by the build (counting) and the detector (scoring).
GROUP_NGRAMS = (1, 5)
# A word occurrence counts as much as this many n-grams in the group model: a whole word is a
# surer sign than its pieces, and weighting it so keeps Indonesian slang from looking regional.
GROUP_WORD_WEIGHT = 5
PAIR_NGRAMS = (3, 5)
# How much the pair's character evidence counts beside its word evidence (words are the surer
# sign; characters help with words never seen in training).
PAIR_CHAR_WEIGHT = 0.25


def group_terms(word: str) -> list[str]:
    """One word's features in the group model."""
    return [features.WORD_PREFIX + word] * GROUP_WORD_WEIGHT + features.char_ngrams(
        word, *GROUP_NGRAMS
    )


def pair_char_terms(word: str) -> list[str]:
    return features.char_ngrams(word, *PAIR_NGRAMS)


def group_features(word_list: list[str]) -> Counter[str]:
    return Counter(term for word in word_list for term in group_terms(word))


def pair_word_features(word_list: list[str]) -> dict[str, int]:
    return dict.fromkeys((features.WORD_PREFIX + word for word in word_list), 1)


def pair_char_features(word_list: list[str]) -> dict[str, int]:
    informal = lexical.informal_words()  # their letters say nothing reliable either way
    return dict.fromkeys(
        (term for word in word_list if word not in informal for term in pair_char_terms(word)), 1
    )


def pair_word_ratio(table: NaiveBayes) -> np.ndarray:
    """Per-word Malay-over-Indonesian ratio, informal Indonesian never leaning Malay."""
    ratio = table.ratio("ms", "id")
    for word in lexical.informal_words():
        row = table.index.get(features.WORD_PREFIX + word)
        if row is not None:
            ratio[row] = min(ratio[row], 0.0)
    return ratio


def second_pair_evidence(opinion: Opinion) -> float:
    """CLD3's Malay-over-Indonesian log odds."""
    return opinion.log_probability("ms") - opinion.log_probability("id")


def second_group_vector(opinion: Opinion, classes: list[str]) -> np.ndarray:
    """CLD3's log-probability of each group class (the Indonesian-or-Malay class sums both)."""
    values = []
    for name in classes:
        if name == MALAYIC:
            values.append(
                np.logaddexp(opinion.log_probability("id"), opinion.log_probability("ms"))
            )
        else:
            values.append(opinion.log_probability(name))
    return np.asarray(values, dtype=np.float64)


def pair_evidence(
    by_words: float,
    by_chars: float,
    by_frequency: float,
    by_second: float = 0.0,
    *,
    trained_weight: float = 1.0,
    second_weight: float = 0.0,
) -> float:
    """Malay-over-Indonesian evidence from its parts; positive values lean Malay."""
    return (
        trained_weight * (by_words + PAIR_CHAR_WEIGHT * by_chars)
        + lexical.WEIGHT * by_frequency
        + second_weight * by_second
    )


@dataclass(frozen=True)
class Decision:
    """The constants the build chooses by cross-validation."""

    malayic_offset: float  # nats added to the Indonesian-or-Malay class's log-likelihood
    group_temperature: float  # divides log-likelihoods before the softmax (calibration)
    pair_threshold: float  # Malay evidence needed to say Malay
    pair_slope: float  # logistic slope turning pair evidence into a probability
    second_group_weight: float = 0.0  # weight of CLD3's log-probabilities in the group decision
    second_pair_weight: float = 0.0  # weight of CLD3's Malay-over-Indonesian log odds
    trained_pair_weight: float = 1.0  # weight of the pair's trained evidence (Malay data share)
    # A language of the family the build had no class for is named when CLD3 names it, and either
    # less than this share of the text's words is Indonesian or Malay vocabulary ...
    unlearnt_max_coverage: float = 0.0
    # ... or CLD3's probability is at least this.
    unlearnt_min_probability: float = 1.0


@dataclass(frozen=True)
class _WordRows:
    group: np.ndarray  # the word's summed group log-likelihoods, one per class
    pair_word: int | None
    pair_chars: tuple[int, ...]


# Distinct words remembered with their table rows; news vocabulary repeats, so most words of a
# text are found here and their n-grams are not cut and looked up again.
WORD_CACHE_LIMIT = 200_000
NEGLIGIBLE = 1e-9


class FamilyModel:
    """The two stored models and the decision constants; read-only, shared across threads."""

    def __init__(self, stored: Mapping) -> None:
        try:
            self.group = NaiveBayes(stored["group"])
            self.pair_words = NaiveBayes(stored["pair_words"])
            self.pair_chars = NaiveBayes(stored["pair_chars"])
            self.decision = Decision(**stored["decision"])
        except (KeyError, TypeError) as error:
            raise ValueError(f"family model is malformed: {error!r}") from error
        if MALAYIC not in self.group.classes:
            raise ValueError(f"family model has no {MALAYIC!r} class")
        self.codes = [c for c in self.group.classes if c != MALAYIC] + ["id", "ms"]
        self._malayic = self.group.classes.index(MALAYIC)
        self._offsets = np.zeros(len(self.group.classes))
        self._offsets[self._malayic] = self.decision.malayic_offset
        self._word_ratio = pair_word_ratio(self.pair_words)
        self._char_ratio = self.pair_chars.ratio("ms", "id")
        # Filled from many threads at once: a lost race only means a word is looked up twice.
        self._rows: dict[str, _WordRows] = {}

    def _word_rows(self, word: str) -> _WordRows:
        found = self._rows.get(word)
        if found is None:
            found = _WordRows(
                group=self.group.score_rows(self.group.known(group_terms(word))),
                pair_word=self.pair_words.index.get(features.WORD_PREFIX + word),
                pair_chars=tuple(self.pair_chars.known(pair_char_features([word]))),
            )
            if len(self._rows) >= WORD_CACHE_LIMIT:
                self._rows = {}
            self._rows[word] = found
        return found

    def probabilities(
        self, word_list: list[str], opinion: Opinion | None = None
    ) -> dict[str, float]:
        """Probability of each code; "id" and "ms" split the Indonesian-or-Malay share.

        `opinion` is CLD3's view of the same text (pantau.language.second_opinion.opinion).
        """
        decision = self.decision
        group_vectors: list[np.ndarray] = [self._offsets]
        word_rows: set[int] = set()
        char_rows: set[int] = set()
        for word in word_list:
            rows = self._word_rows(word)
            group_vectors.append(rows.group)
            if rows.pair_word is not None:
                word_rows.add(rows.pair_word)
            char_rows.update(rows.pair_chars)
        scores = np.sum(group_vectors, axis=0)
        scaled = scores / decision.group_temperature
        if opinion is not None and decision.second_group_weight:
            scaled = scaled + decision.second_group_weight * second_group_vector(
                opinion, self.group.classes
            )
        shares = np.exp(scaled - scaled.max())
        shares /= shares.sum()
        result = {
            name: float(share)
            for position, (name, share) in enumerate(zip(self.group.classes, shares, strict=True))
            if position != self._malayic
        }
        malayic = float(shares[self._malayic])
        evidence = pair_evidence(
            contrast(self._word_ratio, word_rows),
            contrast(self._char_ratio, char_rows),
            lexical.shared_contrast().log_ratio(word_list),
            second_pair_evidence(opinion) if opinion is not None else 0.0,
            trained_weight=decision.trained_pair_weight,
            second_weight=decision.second_pair_weight,
        )
        malay = _logistic(decision.pair_slope * (evidence - decision.pair_threshold))
        result["id"] = malayic * (1.0 - malay)
        result["ms"] = malayic * malay
        return result


def _logistic(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)
