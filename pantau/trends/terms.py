"""Candidate terms and phrases of a document: unstemmed words and 2- to 3-word phrases.

Words are cut as the store's full-text index cuts Latin-script text (lower-cased, accents
stripped, runs of letters and digits), so a reported term can be pasted into a search. Phrases
never run across sentence or clause punctuation, and never start or end with a stopword or a
bare number; stopwords inside a phrase are kept ("surat suara di tps"). Counting is per document:
a key is in a document's set once however often the document repeats it.

Cutting words is the cost that grows with the store (every baseline document is cut on every
report), so it runs on UTF-8 bytes with a 256-entry translation table and ``split``: all in C,
several times faster than a Unicode regex. Tokens are therefore ``bytes`` inside this package and
decoded only for the report.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path

MAX_WORDS = 3
BREAK = b"\x01"  # the token standing for punctuation that ends a phrase

# Typographic marks, replaced before the byte table sees the text: these end a phrase...
_BREAK_MARKS = (
    " - ",
    "\u201c",
    "\u201d",
    "\u201e",
    "\u00ab",
    "\u00bb",
    "\u2013",
    "\u2014",
    "\u2022",
    "\u2026",
)
# ...and these only separate words (curly apostrophes, no-break and thin spaces, common symbols).
_SPACE_MARKS = (
    "\u2018",
    "\u2019",
    "\u201a",
    "\u00a0",
    "\u2009",
    "\u200b",
    "\u202f",
    "\u00a3",
    "\u20ac",
    "\u00a5",
    "\u00a9",
    "\u00ae",
    "\u00b0",
    "\u2122",
    "\u00b7",
)
# Combining marks left by NFKD decomposition (a regex strips them in C, not char by char).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _byte_table() -> bytes:
    table = bytearray(range(256))
    for code in range(128):
        char = chr(code)
        if char in '.!?;:,()[]{}"|\n\r\x01':
            table[code] = BREAK[0]
        elif not char.isalnum():
            table[code] = ord(" ")
    return bytes(table)  # bytes >= 128 (UTF-8 letters) pass through unchanged


_TABLE = _byte_table()

Key = bytes | tuple[bytes, ...]


def load_stopwords(path: str | Path | None = None) -> frozenset[str]:
    """Stopwords from a file of one word per line ('#' comments); the packaged list by default."""
    if path is None:
        text = resources.files("pantau.trends").joinpath("stopwords.txt").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    words = set()
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word)
    return frozenset(words)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return load_stopwords()


def fold(text: str) -> str:
    """Lower-case and strip accents, as the store's full-text tokenizer does."""
    text = text.lower()
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def pieces(title: str | None, body: str | None) -> list[bytes]:
    """Words and phrase breaks (``BREAK``) of a document, title first, as UTF-8 bytes."""
    text = f"{title or ''}\n{body or ''}".lower()
    for mark in _BREAK_MARKS:
        text = text.replace(mark, "\x01")
    for mark in _SPACE_MARKS:
        text = text.replace(mark, " ")
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return text.encode("utf-8").translate(_TABLE).replace(BREAK, b" \x01 ").split()


def document_keys(tokens: list[bytes], max_words: int = MAX_WORDS) -> tuple[set[Key], ...]:
    """The distinct 1-, 2- and 3-grams of a document (unfiltered: filtering is per distinct key,
    far cheaper than per occurrence). Unigrams are bytes, longer n-grams tuples of bytes."""
    sets: list[set[Key]] = [set(tokens)]
    if max_words >= 2:
        sets.append(set(zip(tokens, tokens[1:], strict=False)))
    if max_words >= 3:
        sets.append(set(zip(tokens, tokens[1:], tokens[2:], strict=False)))
    return tuple(sets)


def _good_edge(word: bytes, stop: frozenset[str]) -> bool:
    text = word.decode("utf-8")
    return text.isalnum() and len(text) > 1 and not text.isdigit() and text not in stop


def _is_word(word: bytes) -> bool:
    return word.decode("utf-8").isalnum()


def is_candidate(key: Key, stop: frozenset[str] | None = None) -> bool:
    """Whether an n-gram may be reported: content words at both ends, no punctuation inside."""
    stop = stopwords() if stop is None else stop
    if isinstance(key, bytes):
        return _good_edge(key, stop)
    return (
        _good_edge(key[0], stop)
        and _good_edge(key[-1], stop)
        and all(_is_word(word) for word in key[1:-1])
    )


def key_words(key: Key) -> tuple[bytes, ...]:
    return (key,) if isinstance(key, bytes) else key


def key_text(key: Key) -> str:
    return b" ".join(key_words(key)).decode("utf-8")


def terms_of(title: str | None, body: str | None, max_words: int = MAX_WORDS) -> set[str]:
    """Every reportable term of one document, as text (for tests and the curious)."""
    found: set[str] = set()
    for keys in document_keys(pieces(title, body), max_words):
        found.update(key_text(key) for key in keys if is_candidate(key))
    return found
