"""Malay-versus-Indonesian evidence from word frequencies in large corpora.

The labelled sentences hold under a thousand Malay examples, too few to learn the many everyday
words that differ (wang/uang, kerana/karena, boleh/bisa, polis/polisi, sahaja/saja). wordfreq
ships frequency lists for both languages built from far larger text; the log ratio of a word's
frequency in Malay and in Indonesian, summed over the text, is added to the second stage's own
Indonesian/Malay evidence.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable

# Weight of the frequency evidence beside the trained pair model's word and character evidence
# (pantau.language.family.pair_evidence; the build picks the Malay threshold on the sum), and
# the floor that keeps a word missing from one list from counting as infinitely telling. Chosen
# on the training part only (the held-out part is for measuring).
WEIGHT = 0.5
FLOOR = 1e-7


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
