"""Build the language data files from the training part of the labelled corpus.

    python -m pantau.language.build [--corpus labelled.jsonl]

Writes, inside this package (so nothing is built at run time):
- profiles/<code>: langdetect profiles (its own JSON format) for the languages langdetect lacks;
- family.json: the second stage's count tables and the decision constants, chosen here by
  5-fold cross-validation within the training part.

Only corpus.training() is read: the held-out part stays unseen so that the benchmark and the
accuracy test measure the models on sentences they were not built from. (The cross-source
measurements build from a file holding only some of the corpora, and measure on another.)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
from langdetect.utils.lang_profile import LangProfile

from pantau.language import corpus, features, lexical, second_opinion
from pantau.language.base import PROFILES_DIR
from pantau.language.family import (
    MALAYIC,
    Decision,
    group_features,
    pair_char_features,
    pair_evidence,
    pair_word_features,
    pair_word_ratio,
    second_group_vector,
    second_pair_evidence,
)
from pantau.language.naive_bayes import CountTable, NaiveBayes, contrast

FAMILY_FILE = Path(__file__).resolve().parent / "family.json"

# Languages whose stock langdetect profile serves well and is kept.
STOCK = frozenset({"en", "id"})

GROUP_ALPHA, PAIR_WORD_ALPHA, PAIR_CHAR_ALPHA = 0.1, 0.1, 0.03
# Features seen once in all of training are dropped from the stored group and character tables
# (they are most of the vocabulary and barely change a decision); the pair's word table is kept
# whole, since single Malay words are often the only sign.
GROUP_MIN_COUNT, PAIR_WORD_MIN_COUNT, PAIR_CHAR_MIN_COUNT = 2, 1, 2

FOLDS = 5
# Shares of Indonesian training sentences that each decision must keep Indonesian in
# cross-validation. Their losses add up with the first stage's (about 0.2% of Indonesian goes
# to languages outside the family there), and the whole detector must keep 99%. The pair's
# threshold trades directly against Malay, which has no accuracy to spare at 99.7%, while the
# group's offset at 99.7% costs the regional languages about 0.2% each; so the group keeps more.
GROUP_INDONESIAN_KEPT = 0.997
PAIR_INDONESIAN_KEPT = 0.995
OFFSETS = [float(value) for value in range(0, 61)]
TEMPERATURES = [float(value) for value in (1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 60, 80)]
SLOPES = [0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0]
# Weights tried for CLD3's opinion (0: not at all); ties go to the smaller weight.
SECOND_WEIGHTS = [0.0, 0.25, 0.5, 1.0, 2.0]
# A language of the family the build has no class for is named when CLD3 names it and the text's
# share of Indonesian-or-Malay vocabulary is below what all but this share of the Indonesian
# training samples have, or CLD3's probability is at least the smallest of UNLEARNT_PROBABILITIES
# that names such a language for at most that share of them.
UNLEARNT_INDONESIAN_LOST = 0.003
UNLEARNT_PROBABILITIES = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0]

# A language with fewer training samples than this (one document's paragraphs, say) gets no class
# of its own in the group model: so few cannot be cross-validated, and a class fitted to them
# claims any text that shares their topic. The detector leaves such languages to CLD3.
MIN_CLASS_SAMPLES = 50
# The pair's trained evidence is weighted n / (n + PAIR_PRIOR_SAMPLES) for n Malay samples: with
# hundreds it counts nearly fully, with a handful the frequency evidence decides.
PAIR_PRIOR_SAMPLES = 200


def build_profile(code: str, texts: Sequence[str]) -> dict:
    """A langdetect profile, counted by langdetect's own LangProfile."""
    profile = LangProfile(name=code)
    for text in texts:
        profile.update(text)
    profile.omit_less_freq()
    return {"freq": dict(sorted(profile.freq.items())), "n_words": profile.n_words, "name": code}


@dataclass
class Prepared:
    """One training sample's features, computed once for all folds."""

    code: str
    fold: int
    group: dict[str, int]
    pair_words: dict[str, int]
    pair_chars: dict[str, int]
    frequency: float  # the large-corpus Malay-over-Indonesian word evidence
    coverage: float  # share of the words in the large-corpus Indonesian or Malay lists
    opinion: second_opinion.Opinion


def _fold(sample: corpus.Sample) -> int:
    # A salt other than the held-out split's, so folds cut across it independently.
    key = ("cv:" + corpus.group_key(sample.id)).encode("utf-8")
    return int.from_bytes(hashlib.sha1(key).digest()[:4], "big") % FOLDS


def _prepare(samples: Sequence[corpus.Sample]) -> list[Prepared]:
    prepared = []
    frequencies = lexical.shared_contrast()
    for sample in samples:
        word_list = features.words(sample.text)
        prepared.append(
            Prepared(
                code=sample.code,
                fold=_fold(sample),
                group=group_features(word_list),
                pair_words=pair_word_features(word_list),
                pair_chars=pair_char_features(word_list),
                frequency=frequencies.log_ratio(word_list),
                coverage=frequencies.coverage(word_list),
                opinion=second_opinion.opinion(sample.text),
            )
        )
    return prepared


def _group_label(code: str) -> str:
    return MALAYIC if code in ("id", "ms") else code


def _group_classes(prepared: Sequence[Prepared]) -> list[str]:
    """Group classes with enough samples to be learnt (the Indonesian-or-Malay one always)."""
    sizes = Counter(_group_label(p.code) for p in prepared)
    return sorted(
        name for name, size in sizes.items() if size >= MIN_CLASS_SAMPLES or name == MALAYIC
    )


def train_tables(prepared: Sequence[Prepared], group_classes: list[str]) -> dict:
    """The three stored tables from the given samples."""
    group = CountTable(group_classes)
    words, chars = CountTable(["id", "ms"]), CountTable(["id", "ms"])
    for sample in prepared:
        if _group_label(sample.code) in group_classes:
            group.add(sample.group, _group_label(sample.code))
        if sample.code in ("id", "ms"):
            words.add(sample.pair_words, sample.code)
            chars.add(sample.pair_chars, sample.code)
    return {
        "group": group.to_json(GROUP_ALPHA, GROUP_MIN_COUNT),
        "pair_words": words.to_json(PAIR_WORD_ALPHA, PAIR_WORD_MIN_COUNT),
        "pair_chars": chars.to_json(PAIR_CHAR_ALPHA, PAIR_CHAR_MIN_COUNT),
    }


@dataclass
class CrossValidated:
    """Every sample's evidence from models that never saw it, part by part."""

    classes: list[str]
    group_scores: np.ndarray  # (samples, classes) group log-likelihoods
    group_second: np.ndarray  # (samples, classes) CLD3's log-probabilities of the classes
    pair_parts: np.ndarray  # (samples, 4) words, characters, frequency, CLD3 log odds


def _cross_validate(prepared: Sequence[Prepared]) -> CrossValidated:
    classes = _group_classes(prepared)
    group_scores = np.zeros((len(prepared), len(classes)))
    pair_parts = np.zeros((len(prepared), 4))
    for fold in range(FOLDS):
        tables = train_tables([p for p in prepared if p.fold != fold], classes)
        group = NaiveBayes(tables["group"])
        words, chars = NaiveBayes(tables["pair_words"]), NaiveBayes(tables["pair_chars"])
        word_ratio, char_ratio = pair_word_ratio(words), chars.ratio("ms", "id")
        for position, sample in enumerate(prepared):
            if sample.fold != fold:
                continue
            group_scores[position] = group.scores(sample.group)
            pair_parts[position, :3] = (
                contrast(word_ratio, words.known(sample.pair_words)),
                contrast(char_ratio, chars.known(sample.pair_chars)),
                sample.frequency,
            )
    for position, sample in enumerate(prepared):
        pair_parts[position, 3] = second_pair_evidence(sample.opinion)
    group_second = np.asarray([second_group_vector(p.opinion, classes) for p in prepared])
    return CrossValidated(classes, group_scores, group_second, pair_parts)


def _log_loss(probabilities: np.ndarray) -> float:
    return float(-np.log(np.clip(probabilities, 1e-12, 1.0)).mean())


def _smallest(grid: Sequence[float], good: Callable[[float], bool]) -> float:
    for value in grid:
        if good(value):
            return value
    return grid[-1]


def _softmax_loss(scores: np.ndarray, truth: np.ndarray) -> float:
    scaled = scores - scores.max(axis=1, keepdims=True)
    shares = np.exp(scaled)
    shares /= shares.sum(axis=1, keepdims=True)
    return _log_loss(shares[np.arange(len(truth)), truth])


def _balanced_accuracy(hits: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([hits[truth == label].mean() for label in np.unique(truth)]))


def unlearnt_rules(prepared: Sequence[Prepared], classes: list[str]) -> dict[str, float]:
    """When CLD3 may name a family language the build has no class for (see Decision)."""
    indonesian = [p for p in prepared if p.code == "id"]
    shares = np.sort([p.coverage for p in indonesian])
    learnt = {c for c in classes if c != MALAYIC} | {"id", "ms"}
    unlearnt = set(second_opinion.FAMILY.values()) - learnt
    named = [p.opinion.probability for p in indonesian if p.opinion.code in unlearnt]
    least = _smallest(
        UNLEARNT_PROBABILITIES,
        lambda value: sum(p >= value for p in named) <= UNLEARNT_INDONESIAN_LOST * len(indonesian),
    )
    return {
        "unlearnt_max_coverage": round(
            float(shares[int(UNLEARNT_INDONESIAN_LOST * shares.size)]), 6
        ),
        "unlearnt_min_probability": least,
    }


def choose_decision(
    codes: Sequence[str], validated: CrossValidated, malay_samples: int
) -> tuple[Decision, dict]:
    """The decision constants, and the cross-validated figures they give."""
    classes = validated.classes
    codes_arr = np.asarray(codes)
    in_group = np.asarray([_group_label(code) in classes for code in codes])
    truth = np.asarray(
        [
            classes.index(_group_label(c)) if ok else -1
            for c, ok in zip(codes, in_group, strict=True)
        ]
    )
    malayic = classes.index(MALAYIC)
    indonesian = codes_arr == "id"
    scores, second = validated.group_scores, validated.group_second

    def offset_for(fused: Callable[[float], np.ndarray]) -> float:
        return _smallest(
            OFFSETS,
            lambda o: (
                (fused(o)[indonesian].argmax(axis=1) == malayic).mean() >= GROUP_INDONESIAN_KEPT
            ),
        )

    def shifted(offset: float) -> np.ndarray:
        moved = scores.copy()
        moved[:, malayic] += offset
        return moved

    # Temperature first, on pantau's own evidence: it calibrates the group model's shares.
    plain_offset = offset_for(shifted)
    temperature = min(
        TEMPERATURES,
        key=lambda t: _softmax_loss(shifted(plain_offset)[in_group] / t, truth[in_group]),
    )

    def fused_with(weight: float) -> Callable[[float], np.ndarray]:
        return lambda offset: shifted(offset) / temperature + weight * second

    def group_quality(weight: float) -> float:
        fused = fused_with(weight)(offset_for(fused_with(weight)))
        hits = fused.argmax(axis=1) == truth
        return _balanced_accuracy(hits[in_group], truth[in_group])

    quality = {weight: group_quality(weight) for weight in SECOND_WEIGHTS}
    group_weight = max(SECOND_WEIGHTS, key=lambda w: (quality[w], -w))
    offset = offset_for(fused_with(group_weight))
    group_hits = fused_with(group_weight)(offset).argmax(axis=1) == truth

    trained_weight = malay_samples / (malay_samples + PAIR_PRIOR_SAMPLES)
    in_pair = np.isin(codes_arr, ["id", "ms"])
    is_malay = codes_arr == "ms"

    def pair_for(second_weight: float) -> np.ndarray:
        parts = validated.pair_parts
        return np.asarray(
            [
                pair_evidence(*row, trained_weight=trained_weight, second_weight=second_weight)
                for row in parts
            ]
        )

    def threshold_for(pair: np.ndarray) -> float:
        indonesian_pair = np.sort(pair[indonesian])
        return float(indonesian_pair[math.ceil(PAIR_INDONESIAN_KEPT * indonesian_pair.size) - 1])

    def malay_recall(second_weight: float) -> float:
        pair = pair_for(second_weight)
        return float((pair[is_malay] > threshold_for(pair)).mean())

    # Too few Malay samples to compare weights on: CLD3's log odds are left out of the pair.
    pair_weights = SECOND_WEIGHTS if malay_samples >= MIN_CLASS_SAMPLES else [0.0]
    recall = {weight: malay_recall(weight) for weight in pair_weights}
    pair_weight = max(pair_weights, key=lambda w: (recall[w], -w))
    pair = pair_for(pair_weight)
    threshold = threshold_for(pair)

    def pair_loss(slope: float) -> float:
        malay = 1.0 / (1.0 + np.exp(-slope * (pair[in_pair] - threshold)))
        return _log_loss(np.where(is_malay[in_pair], malay, 1.0 - malay))

    slope = min(SLOPES, key=pair_loss)

    final_hits = group_hits.copy()
    says_malay = pair > threshold
    final_hits[indonesian] &= ~says_malay[indonesian]
    final_hits[is_malay] &= says_malay[is_malay]
    figures = {
        code: round(float(final_hits[codes_arr == code].mean()), 4)
        for code in sorted(set(codes_arr[in_group]))
    }
    decision = Decision(
        malayic_offset=offset,
        group_temperature=temperature,
        pair_threshold=round(threshold, 6),
        pair_slope=slope,
        second_group_weight=group_weight,
        second_pair_weight=pair_weight,
        trained_pair_weight=round(trained_weight, 6),
    )
    return decision, figures


def build(corpus_path: Path, profiles_dir: Path, family_file: Path) -> dict:
    """Build every data file; returns the cross-validated accuracy per language."""
    samples = list(corpus.training(corpus_path))
    missing = {"id", "ms"} - {sample.code for sample in samples}
    if missing:
        raise ValueError(f"{corpus_path}: no training samples for {', '.join(sorted(missing))}")
    by_code: dict[str, list[str]] = defaultdict(list)
    for sample in samples:
        by_code[sample.code].append(sample.text)

    profiles_dir.mkdir(parents=True, exist_ok=True)
    for stale in profiles_dir.iterdir():
        if stale.is_file() and stale.name not in by_code:
            stale.unlink()  # a language no longer in the corpus must not linger
    for code in sorted(set(by_code) - STOCK):
        profile = build_profile(code, by_code[code])
        text = json.dumps(profile, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        (profiles_dir / code).write_text(text, encoding="utf-8")

    prepared = _prepare(samples)
    validated = _cross_validate(prepared)
    malay_samples = sum(p.code == "ms" for p in prepared)
    decision, figures = choose_decision([p.code for p in prepared], validated, malay_samples)
    decision = replace(decision, **unlearnt_rules(prepared, validated.classes))
    stored = train_tables(prepared, validated.classes)
    stored["decision"] = asdict(decision)
    stored["cross_validated_accuracy"] = figures
    stored["training_samples"] = len(samples)
    family_file.write_text(
        json.dumps(stored, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
        encoding="utf-8",
    )
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=corpus.DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        parser.error(f"labelled corpus not found: {args.corpus}")
    figures = build(args.corpus, PROFILES_DIR, FAMILY_FILE)
    print("cross-validated accuracy on the training part (second stage alone):")
    for code, accuracy in figures.items():
        print(f"  {code:4} {accuracy:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
