"""Accuracy of the detector on the held-out labelled sentences (never used to build it).

An accuracy check, not a timing one (benchmarks/langid_accuracy.py measures speed). Skipped when
the shared data is not beside the repository.
"""

from __future__ import annotations

from collections import Counter

import pytest

from pantau.language import corpus, detect_language

CORPUS = corpus.DEFAULT_CORPUS
pytestmark = pytest.mark.skipif(not CORPUS.is_file(), reason=f"shared data missing: {CORPUS}")

# The targets set for single held-out sentences. Indonesian meets its target with 351 of 354
# (one more miss would take it below): the build's constants are chosen on the training part
# alone, so a change that makes any language worse shows up here.
TARGETS = {"id": 0.99, "en": 0.99, "jv": 0.99, "ms": 0.90, "su": 0.90}


@pytest.fixture(scope="module")
def accuracy() -> dict[str, float]:
    right: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for sample in corpus.held_out(CORPUS):
        if sample.code in TARGETS:
            seen[sample.code] += 1
            right[sample.code] += detect_language(sample.text)[0] == sample.code
    return {code: right[code] / seen[code] for code in seen}


@pytest.mark.parametrize("code", sorted(TARGETS))
def test_meets_target(accuracy: dict[str, float], code: str) -> None:
    assert accuracy[code] >= TARGETS[code]


def test_split_is_stable_and_keeps_translations_together() -> None:
    samples = corpus.load(CORPUS)
    held = [sample for sample in samples if corpus.is_held_out(sample.id)]
    assert 0.15 < len(held) / len(samples) < 0.25
    # Every translation of a held-out sentence is held out too.
    held_keys = {corpus.group_key(sample.id) for sample in held}
    trained_keys = {corpus.group_key(s.id) for s in samples if not corpus.is_held_out(s.id)}
    assert not held_keys & trained_keys
