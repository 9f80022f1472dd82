"""Language of short real posts and feed items: tests/tagging_eval/short_posts.jsonl.

Titles, leads and posts taken verbatim from the real feeds and social-media captures in
../shared/data (feeds/ and social/; `material` names the file), labelled by hand, with the
language their source declares (the feed's channel language; none for the social captures).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pantau.language import UNDETERMINED, detect_language
from pantau.language.detector import LOW_CONFIDENCE, MIN_LETTERS
from pantau.language.features import letter_count

CASES_FILE = Path(__file__).resolve().parent / "tagging_eval" / "short_posts.jsonl"
CASES = [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line]


def test_the_set_covers_the_kinds_of_post() -> None:
    languages = {case["language"] for case in CASES}
    assert {"id", "en", UNDETERMINED} <= languages
    assert len({case["id"] for case in CASES}) == len(CASES)
    assert sum(letter_count(case["text"]) < MIN_LETTERS for case in CASES) >= 2


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_language_of_real_short_posts(case: dict) -> None:
    code, score = detect_language(case["text"], declared=case["declared"])
    assert code == case["language"]
    if letter_count(case["text"]) < MIN_LETTERS:
        assert score < LOW_CONFIDENCE  # too short to be sure, and the score says so
