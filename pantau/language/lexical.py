"""Malay-versus-Indonesian evidence from word frequencies in large corpora.

The labelled sentences hold under a thousand Malay examples, all from one corpus, too few to
learn the many everyday words that differ (wang/uang, kerana/karena, boleh/bisa, polis/polisi,
sahaja/saja) in a way that carries over to other text. wordfreq ships frequency lists for both
languages built from far larger and more varied text; the log ratio of a word's frequency in
Malay and in Indonesian, summed over the text, is the part of the second stage's
Indonesian/Malay evidence that no build can over-fit.

Informal Indonesian (informal.yaml: gak, banget, yg, dgn, krn, ...) never counts towards Malay.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import yaml

# Weight of the frequency evidence beside the trained pair model's word and character evidence
# (pantau.language.family.pair_evidence; the build picks the Malay threshold on the sum), and
# the floor that keeps a word missing from one list from counting as infinitely telling. The
# frequency evidence counts at least as much as the trained one: built on one corpus and measured
# on another, the trained part's figures drop and this part's hold.
WEIGHT = 1.0
FLOOR = 1e-7

INFORMAL_FILE = Path(__file__).resolve().parent / "informal.yaml"


@cache
def informal_words() -> frozenset[str]:
    """Informal Indonesian words that may lean Indonesian but never Malay."""
    try:
        stored = yaml.safe_load(INFORMAL_FILE.read_text(encoding="utf-8"))
        words = stored["indonesian"]
        if not all(isinstance(word, str) and word == word.lower() for word in words):
            raise TypeError("every entry must be a lowercase word")
    except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
        raise ValueError(f"{INFORMAL_FILE}: not a list of informal words ({error})") from error
    return frozenset(words)


class FrequencyContrast:
    """log(f_ms / f_id) per word, from wordfreq's lists; loaded once, read-only after."""

    def __init__(self) -> None:
        from wordfreq import get_frequency_dict

        malay = get_frequency_dict("ms")
        indonesian = get_frequency_dict("id")
        self._ratio = {
            word: math.log((malay.get(word, 0.0) + FLOOR) / (indonesian.get(word, 0.0) + FLOOR))
            for word in malay.keys() | indonesian.keys()
        }
        for word in informal_words():
            if self._ratio.get(word, 0.0) > 0.0:
                self._ratio[word] = 0.0

    def coverage(self, words: list[str]) -> float:
        """Share of the words found in either list: Indonesian and Malay text has most of its
        words there, Javanese and Sundanese text about half."""
        if not words:
            return 0.0
        ratio = self._ratio
        return sum(word.lower() in ratio for word in words) / len(words)

    def log_ratio(self, words: Iterable[str]) -> float:
        """Positive leans Malay, negative Indonesian; unknown words say nothing."""
        ratio = self._ratio
        return sum(ratio.get(word.lower(), 0.0) for word in words)


_lock = threading.Lock()
_shared: FrequencyContrast | None = None


def shared_contrast() -> FrequencyContrast:
    global _shared
    if _shared is None:
        with _lock:
            if _shared is None:
                _shared = FrequencyContrast()
    return _shared
