"""Accuracy of the detector on labelled sentences it was not built from.

Across corpora (the targets): the models are built from the training part of some corpora and
measured on the held-out part of another one, which no choice of the build saw and which was not
looked at while pantau's language identification was developed (benchmarks/langid_accuracy.py
prints the same figures, both parts, with the baseline and CLD3 alone):
- A: built on NusaX + langid.py, measured on NTREX (Indonesian, Malay, English news);
- B: built on NTREX + langid.py, measured on NusaX (Indonesian, Javanese, Sundanese, English).
Targets not yet reached are strict expected failures, so reaching one shows up; below them, the
figures reached are asserted as floors.

Within the corpora: the shipped models on the held-out part of every corpus.

An accuracy check, not a timing one. Skipped when the shared data is not beside the repository.
"""

from __future__ import annotations

from collections import Counter

import pytest

from pantau.language import build, corpus, detect_language
from pantau.language.detector import LanguageDetector

CORPUS = corpus.DEFAULT_CORPUS
pytestmark = pytest.mark.skipif(not CORPUS.is_file(), reason=f"shared data missing: {CORPUS}")

TARGETS = {"id": 0.99, "en": 0.99, "ms": 0.90, "jv": 0.99, "su": 0.99}
DIRECTIONS = {"A": ({"nusax", "langid.py"}, "NTREX"), "B": ({"NTREX", "langid.py"}, "nusax")}
# What each direction measures, with the share reached where the target is not (yet) met.
CROSS_SOURCE = {
    ("A", "id"): None,
    ("A", "en"): None,
    ("A", "ms"): 0.85,  # 0.869 measured: Malay words absent from NusaX leave wordfreq to decide
    ("B", "id"): None,
    ("B", "en"): None,
    ("B", "jv"): 0.90,  # 0.932: no Javanese class can be built; CLD3 names it
    ("B", "su"): 0.85,  # 0.880: likewise Sundanese
}


def _accuracy(detect, samples: list[corpus.Sample]) -> dict[str, float]:
    right: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for sample in samples:
        if sample.code in TARGETS:
            seen[sample.code] += 1
            right[sample.code] += detect(sample.text)[0] == sample.code
    return {code: right[code] / seen[code] for code in seen}


@pytest.fixture(scope="module")
def cross_source(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], float]:
    samples = corpus.load(CORPUS)
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    figures = {}
    for direction, (train_sources, test_source) in DIRECTIONS.items():
        folder = tmp_path_factory.mktemp(f"cross-{direction}")
        subset = folder / "labelled.jsonl"
        # Lines and samples are in the same order: the subset keeps the file's own lines.
        kept = [
            line
            for line, sample in zip((x for x in lines if x.strip()), samples, strict=True)
            if corpus.source_of(sample.id) in train_sources
        ]
        subset.write_text("\n".join(kept) + "\n", encoding="utf-8")
        build.build(subset, folder / "profiles", folder / "family.json")
        detector = LanguageDetector.from_files(folder / "profiles", folder / "family.json")
        measured = [
            s for s in samples if corpus.source_of(s.id) == test_source and corpus.is_held_out(s.id)
        ]
        for code, share in _accuracy(detector.detect, measured).items():
            figures[direction, code] = share
    return figures


def _cases() -> list:
    cases = []
    for (direction, code), floor in CROSS_SOURCE.items():
        name = f"{direction}-{code}"
        if floor is None:
            cases.append(pytest.param(direction, code, TARGETS[code], id=name))
        else:
            cases.append(pytest.param(direction, code, floor, id=f"{name}-floor"))
            mark = pytest.mark.xfail(strict=True, reason=f"{name}: target not reached yet")
            cases.append(pytest.param(direction, code, TARGETS[code], id=name, marks=mark))
    return cases


@pytest.mark.parametrize(("direction", "code", "least"), _cases())
def test_across_corpora(
    cross_source: dict[tuple[str, str], float], direction: str, code: str, least: float
) -> None:
    assert cross_source[direction, code] >= least


def test_every_target_is_measured_across_corpora() -> None:
    assert {code for _, code in CROSS_SOURCE} == set(TARGETS)


@pytest.fixture(scope="module")
def shipped() -> dict[str, float]:
    return _accuracy(detect_language, list(corpus.held_out(CORPUS)))


@pytest.mark.parametrize("code", sorted(TARGETS))
def test_shipped_models_on_the_held_out_part(shipped: dict[str, float], code: str) -> None:
    assert shipped[code] >= TARGETS[code]


def test_split_is_stable_and_keeps_translations_together() -> None:
    samples = corpus.load(CORPUS)
    held = [sample for sample in samples if corpus.is_held_out(sample.id)]
    assert 0.15 < len(held) / len(samples) < 0.25
    # Every translation of a held-out sentence is held out too.
    held_keys = {corpus.group_key(sample.id) for sample in held}
    trained_keys = {corpus.group_key(s.id) for s in samples if not corpus.is_held_out(s.id)}
    assert not held_keys & trained_keys


def test_sources_are_the_corpora_of_the_file() -> None:
    assert {corpus.source_of(s.id) for s in corpus.load(CORPUS)} == {"nusax", "NTREX", "langid.py"}
    assert corpus.source_of("NTREX:NTREX-128/newstest2019-ref.ind.txt:5") == "NTREX"
