"""Text features for pantau's own second stage: lowercased words and character n-grams.

Words carry most of what separates Indonesian from Malay (*bahwa*/*bahawa*, *karena*/*kerana*);
character n-grams of the space-padded word carry spelling and affixes (Javanese *-ipun*, *dh*,
Sundanese *eu*) and still work on words never seen in training.
"""

from __future__ import annotations

import re
import unicodedata

# A word: letters, optionally joined by an apostrophe or hyphen (Indonesian reduplication
# "anak-anak", Sundanese "ka'"). Digits and underscores are not letters here.
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

# Word features get a prefix that n-grams cannot start with (an underscore is never part of a
# word), so "di" the word and "di" the bigram stay distinct features.
WORD_PREFIX = "_"


def normalise(text: str) -> str:
    """Lowercase without diacritics: Javanese and Sundanese are written both with accents
    (*sijiné*, *énggal*) and without, and the training sentences are mostly without."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered  # most news text: nothing to strip
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def letter_count(text: str) -> int:
    """How many letters the text has: the measure of "too short to judge"."""
    return sum(map(str.isalpha, text))


def words(text: str) -> list[str]:
    """The lowercased words of the text, in order."""
    return _WORD.findall(normalise(text))


def char_ngrams(word: str, smallest: int, largest: int) -> list[str]:
    """N-grams of the space-padded word, so word starts and ends are features of their own
    (the lone padding space is not one)."""
    padded = f" {word} "
    grams = list(word) if smallest == 1 else []
    for size in range(max(smallest, 2), largest + 1):
        grams.extend(padded[start : start + size] for start in range(len(padded) - size + 1))
    return grams
