"""Keywords, topics and mentions of election-monitoring texts, from YAML lexicons.

    load_lexicon(folder=None) -> Lexicon   # packaged pantau/lexicons/, or $PANTAU_LEXICONS
    tag_text(title, body, language=None, lexicon=None) -> dict
        {"keywords": [...], "topics": [...],
         "entities": {"institutions": [...], "parties": [...], "people": [...]},
         "regions": [...]}

Both are pure: the same text and lexicon always give the same, sorted, result.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pantau.tagging.lexicon import Lexicon, TopicInfo
from pantau.tagging.loader import LexiconError, read_lexicon
from pantau.tagging.morphology import inflections, inflections_en
from pantau.tagging.tokens import tokenize

__all__ = [
    "DEFAULT_LEXICONS",
    "ENV_VAR",
    "Lexicon",
    "LexiconError",
    "TopicInfo",
    "inflections",
    "inflections_en",
    "lexicon_folder",
    "load_lexicon",
    "tag_text",
    "tokenize",
]

DEFAULT_LEXICONS = Path(__file__).resolve().parent.parent / "lexicons"
ENV_VAR = "PANTAU_LEXICONS"


def lexicon_folder(folder: str | Path | None = None) -> Path:
    """The folder to read: the one given, else $PANTAU_LEXICONS, else the packaged one."""
    if folder is None or folder == "":
        folder = os.environ.get(ENV_VAR) or DEFAULT_LEXICONS
    return Path(folder).expanduser().resolve()


@lru_cache(maxsize=8)
def _load(folder: Path) -> Lexicon:
    return read_lexicon(folder)


def load_lexicon(folder: str | Path | None = None) -> Lexicon:
    """Read and validate a lexicon folder (cached per folder: files are read once a process).

    Raises LexiconError naming the file and key that is wrong.
    """
    return _load(lexicon_folder(folder))


def tag_text(
    title: str | None,
    body: str | None,
    language: str | None = None,
    lexicon: Lexicon | None = None,
) -> dict[str, object]:
    """Tag a title and body. `language` (ISO 639-1 or -3) picks the side of the topic lexicon:
    Indonesian (id, and ms which detectors confuse with it), English (en), or both when unknown.
    Entities and regions are names and match whatever the language."""
    if lexicon is None:
        lexicon = load_lexicon()
    return lexicon.tag(title, body, language)
