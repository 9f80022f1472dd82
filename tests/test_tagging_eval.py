"""Topic tagging meets its quality targets on the labelled evaluation set.

tests/tagging_eval/cases.jsonl holds sentences and short articles in Indonesian and English,
labelled by the topic descriptions in pantau/lexicons/topics.yaml, with many hard negatives.
benchmarks/tagging_eval.py prints the same figures with the cases missed.
"""

from __future__ import annotations

from collections import Counter

import pytest

from pantau.tagging import load_lexicon
from pantau.tagging.evaluation import load_cases, score

MIN_PRECISION = 0.90
MIN_RECALL = 0.85


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return load_cases()


def test_eval_set_is_big_enough(cases: list[dict]) -> None:
    topics = set(load_lexicon().topics)
    positives = Counter(topic for case in cases for topic in case["topics"])
    assert set(positives) == topics
    assert min(positives.values()) >= 20
    assert sum(1 for case in cases if not case["topics"]) >= 80  # hard negatives
    assert {case["language"] for case in cases} == {"id", "en"}
    assert len({case["id"] for case in cases}) == len(cases)


def test_precision_and_recall_per_topic(cases: list[dict]) -> None:
    scores = score(cases, load_lexicon())
    below = {
        topic: (round(s.precision, 3), round(s.recall, 3), s.missed, s.wrong)
        for topic, s in scores.items()
        if s.precision < MIN_PRECISION or s.recall < MIN_RECALL
    }
    assert below == {}


def test_score_counts(cases: list[dict]) -> None:
    # The scorer itself, on two cases: one hit and one miss of "hoaks", one false "pemilu".
    lexicon = load_lexicon()
    sample = [
        {"id": "a", "language": "id", "text": "Hoaks beredar.", "topics": ["hoaks"]},
        {"id": "b", "language": "id", "text": "Pemilu damai.", "topics": ["hoaks"]},
    ]
    scores = score(sample, lexicon)
    assert (scores["hoaks"].true_positives, scores["hoaks"].false_negatives) == (1, 1)
    assert scores["hoaks"].missed == ["b"]
    assert scores["pemilu"].wrong == ["b"]
    assert scores["pemilu"].precision == 0.0
    with pytest.raises(ValueError, match="unknown topic"):
        score([{"id": "c", "text": "x", "topics": ["nope"]}], lexicon)
