"""Language identification on the held-out labelled sentences: pantau against langdetect.

    .venv/bin/python benchmarks/langid_accuracy.py [--corpus labelled.jsonl]

Prints, per language, the share of held-out sentences each detector gets right:
- pantau: pantau.language.detect_language (no declared language, as in `pantau tag`);
- stage 1: langdetect with pantau's extra profiles, seeded and vectorised (pantau's first stage);
- langdetect: stock langdetect 1.0.9, its own profiles and scalar walk, seeded (seed 0);
then pantau's most common mistakes for the main languages, the median milliseconds per sentence
(pantau twice: a first pass, where every word is new to its caches, and a second pass, as in a
long crawl where the vocabulary repeats), and how often pantau's vectorised walk names the same
language as langdetect's own scalar walk over the same profiles, and how many held-out texts
appear under more than one label (no detector can get both right; none is excluded).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from pantau.language import corpus, detect_language
from pantau.language.base import PROFILES_DIR, LangdetectStage, _profile_texts
from pantau.language.features import words

MAIN = ("id", "en", "ms", "jv", "su")


def _seeded_factory(profile_texts: list[str] | None) -> DetectorFactory:
    factory = DetectorFactory()
    if profile_texts is None:
        factory.load_profile(PROFILES_DIRECTORY)
    else:
        factory.load_json_profile(profile_texts)
    factory.set_seed(0)
    return factory


def _langdetect(factory: DetectorFactory, text: str) -> str:
    detector = factory.create()
    detector.append(text)
    try:
        return detector.detect()
    except LangDetectException:
        return "und"


def _cross_label_duplicates(samples: list[corpus.Sample]) -> dict[frozenset[str], int]:
    """Texts (compared by their words) held under more than one label, counted per label set."""
    labels: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for sample in samples:
        labels[tuple(words(sample.text))].add(sample.code)
    return Counter(frozenset(codes) for codes in labels.values() if len(codes) > 1)


def _timed(function, texts: list[str]) -> tuple[list[str], float]:
    answers, times = [], []
    for text in texts:
        start = time.perf_counter()
        answers.append(function(text))
        times.append(time.perf_counter() - start)
    return answers, statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=corpus.DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"labelled corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    samples = list(corpus.held_out(args.corpus))
    texts = [sample.text for sample in samples]

    detect_language("warm-up: load the models before timing")
    pantau, pantau_ms = _timed(lambda text: detect_language(text)[0], texts)
    again, pantau_warm_ms = _timed(lambda text: detect_language(text)[0], texts)
    if again != pantau:
        print("pantau gave different answers on the second pass", file=sys.stderr)
        return 1
    stage = LangdetectStage()

    def first_stage(text: str) -> str:
        evidence = stage.evidence(text)
        return evidence.best if evidence else "und"

    staged, stage_ms = _timed(first_stage, texts)
    stock_factory = _seeded_factory(None)
    stock, stock_ms = _timed(lambda text: _langdetect(stock_factory, text), texts)
    scalar_factory = _seeded_factory(_profile_texts(PROFILES_DIR))
    scalar = [_langdetect(scalar_factory, text) for text in texts]

    right: dict[str, Counter[str]] = defaultdict(Counter)
    mistakes: dict[str, Counter[str]] = defaultdict(Counter)
    for sample, ours, first, theirs in zip(samples, pantau, staged, stock, strict=True):
        right[sample.code]["n"] += 1
        right[sample.code]["pantau"] += ours == sample.code
        right[sample.code]["stage 1"] += first == sample.code
        right[sample.code]["langdetect"] += theirs == sample.code
        if ours != sample.code:
            mistakes[sample.code][ours] += 1

    print(f"held-out sentences: {len(samples)} ({corpus.HELD_OUT_PERCENT}% of the corpus)")
    print(f"{'lang':6}{'n':>6}{'pantau':>9}{'stage 1':>9}{'langdetect':>12}")
    order = list(MAIN) + sorted(set(right) - set(MAIN))
    for code in order:
        counts = right[code]
        n = counts["n"]
        print(
            f"{code:6}{n:>6}{counts['pantau'] / n:>9.3f}{counts['stage 1'] / n:>9.3f}"
            f"{counts['langdetect'] / n:>12.3f}"
        )
    print("pantau's mistakes on the main languages (true -> said: count):")
    for code in MAIN:
        listed = ", ".join(f"{said}: {count}" for said, count in mistakes[code].most_common(6))
        print(f"  {code} -> {listed or 'none'}")
    shared = _cross_label_duplicates(samples)
    listed = ", ".join(f"{'/'.join(sorted(k))}: {n}" for k, n in sorted(shared.items(), key=str))
    print(f"held-out texts with the same words under more than one label: {listed or 'none'}")
    print("median ms per sentence:")
    print(f"  pantau, first pass    {pantau_ms:.3f}")
    print(f"  pantau, second pass   {pantau_warm_ms:.3f}")
    print(f"  stage 1 alone         {stage_ms:.3f}")
    print(f"  stock langdetect      {stock_ms:.3f}")
    agree = sum(a == b for a, b in zip(staged, scalar, strict=True)) / len(texts)
    print(f"stage 1 names the same language as langdetect's own walk (same profiles): {agree:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
