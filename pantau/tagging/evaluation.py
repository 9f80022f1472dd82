"""Precision and recall of topic tagging against a labelled set (tests/tagging_eval/).

Each case is a JSON object: id, language, text, optional title, and `topics`, the topic ids a
reader assigns by the topic descriptions in the lexicon (an empty list for hard negatives).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pantau.tagging.lexicon import Lexicon

EVAL_CASES = Path(__file__).resolve().parents[2] / "tests" / "tagging_eval" / "cases.jsonl"
_CASE_KEYS = frozenset({"id", "language", "title", "text", "topics", "note"})


@dataclass
class TopicScore:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    missed: list[str] = field(default_factory=list)  # case ids
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        relevant = self.true_positives + self.false_negatives
        return self.true_positives / relevant if relevant else 1.0


def load_cases(path: Path = EVAL_CASES) -> list[dict[str, Any]]:
    """Read the labelled cases; a malformed line raises ValueError naming file and line."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path.name}:{number}: not JSON: {exc}") from exc
        if not isinstance(case, dict) or not {"id", "text", "topics"} <= case.keys():
            raise ValueError(f"{path.name}:{number}: needs id, text and topics")
        if not case.keys() <= _CASE_KEYS:
            raise ValueError(
                f"{path.name}:{number}: unknown keys {sorted(case.keys() - _CASE_KEYS)}"
            )
        cases.append(case)
    return cases


def score(cases: Iterable[Mapping[str, Any]], lexicon: Lexicon) -> dict[str, TopicScore]:
    """Per topic of the lexicon: how often tagging agrees with the labels."""
    scores = {topic: TopicScore() for topic in lexicon.topics}
    for case in cases:
        expected = set(case["topics"])
        unknown = expected - scores.keys()
        if unknown:
            raise ValueError(f"case {case['id']}: unknown topic(s) {sorted(unknown)}")
        tags = lexicon.tag(case.get("title"), case["text"], case.get("language"))
        found = set(tags["topics"])  # type: ignore[arg-type]
        for topic, result in scores.items():
            if topic in found and topic in expected:
                result.true_positives += 1
            elif topic in found:
                result.false_positives += 1
                result.wrong.append(case["id"])
            elif topic in expected:
                result.false_negatives += 1
                result.missed.append(case["id"])
    return scores
