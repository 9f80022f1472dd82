"""Text normalization and word shingles: the sets whose overlap decides near-duplicates.

Pure functions. Republished copies differ from their original in ways that must not count:
case, punctuation, diacritics, "Baca juga" links the copying site inserts, and a trailing block
of the copying site's own related-article teasers ("Check Also", "Berita Terkait").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# A line starting with one of these is an inserted link to another article, not story text.
_LINK_LINE = re.compile(r"^\s*(baca|simak|lihat)\s+(juga|pula)\b", re.IGNORECASE)
# A line that is only one of these starts the site's related-articles tail: cut from there on.
_TAIL_MARKER = re.compile(
    r"^\s*(check also|artikel terkait|berita terkait|related posts?)\s*:?\s*$",
    re.IGNORECASE,
)
# Anything that is not a letter or digit separates words (hyphenated reduplication
# "nilai-nilai" becomes two words, "1.321" two numbers, quotes and dashes vanish).
_NON_WORD = re.compile(r"[\W_]+")
_COMBINING = re.compile(r"[\u0300-\u036f]")

DEFAULT_SHINGLE_SIZES: tuple[int, ...] = (3,)


def strip_boilerplate(body: str) -> str:
    """The story text of a body: inserted link lines dropped, related-articles tail cut off."""
    kept: list[str] = []
    for line in body.splitlines():
        if _TAIL_MARKER.match(line):
            break
        if not _LINK_LINE.match(line):
            kept.append(line)
    return "\n".join(kept)


def normalize_words(text: str) -> list[str]:
    """Lower-cased words without punctuation or diacritics ("Pemilu, 2024!" -> pemilu 2024)."""
    if not text.isascii():  # most Indonesian text is plain ASCII: skip the Unicode work
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _NON_WORD.sub(" ", text.casefold()).split()


def shingles(words: list[str], sizes: Iterable[int] = DEFAULT_SHINGLE_SIZES) -> set[str]:
    """Distinct word n-grams for every n in ``sizes``, each joined by single spaces.

    A text shorter than the smallest n is one shingle of all its words, so a short post still
    has a signature (and an identical short post still matches it); no words, no shingles.
    """
    sizes = sorted(set(sizes))
    if not sizes or sizes[0] < 1:
        raise ValueError(f"shingle sizes must be positive integers, got {sizes!r}")
    if not words:
        return set()
    if len(words) < sizes[0]:
        return {" ".join(words)}
    found: set[str] = set()
    for n in sizes:
        found.update(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return found


def body_shingles(body: str | None, sizes: Iterable[int] = DEFAULT_SHINGLE_SIZES) -> set[str]:
    """Shingles of an article body after boilerplate removal and normalization."""
    if not body:
        return set()
    return shingles(normalize_words(strip_boilerplate(body)), sizes)
