"""Splitting text into the words the lexicon is matched against."""

from __future__ import annotations

import re

# Runs of letters, or runs of digits. Everything else separates words, hyphens included, so
# "take-down" is the phrase "take down", "bagi-bagi amplop" is three words, "Prabowo-Gibran" is two
# names, and hashtags such as "#Pemilu2024" give "Pemilu" and "2024".
_WORD = re.compile(r"[^\W\d_]+|\d+")


def tokenize(text: str | None) -> list[str]:
    """The words of a text in order, case kept."""
    if not text:
        return []
    return _WORD.findall(text)
