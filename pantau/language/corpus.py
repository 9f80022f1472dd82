"""The labelled sentences used to build and to measure the language models.

The corpus (/work/shared/data/langid/labelled.jsonl) is largely parallel: NusaX and NTREX give the
same sentence in many languages, and the langid.py documents appear both whole and paragraph by
paragraph. Splitting on the raw `id` would put a sentence's Indonesian version in training and its
Malay translation (or a paragraph and the document holding it) in the held-out part, which
flatters the figures. So the split hashes a *group key*: the id with its language part removed,
and all versions of one sentence fall on the same side.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# ISO 639-3 labels of the corpus -> the code pantau emits: ISO 639-1 where the language has one,
# else its 639-3 code (none of Indonesia's regional languages here has a 639-1 code).
LABEL_TO_CODE: dict[str, str] = {
    "ind": "id",
    "zsm": "ms",
    "msa": "ms",
    "jav": "jv",
    "sun": "su",
    "eng": "en",
    "ace": "ace",
    "ban": "ban",
    "bbc": "bbc",
    "bjn": "bjn",
    "bug": "bug",
    "mad": "mad",
    "min": "min",
    "nij": "nij",
}

HELD_OUT_PERCENT = 20

# Samples whose label is wrong, by group key, with the label their text bears out. langid.py's
# "id.wp-lang.txt" is the Banjarese Wikipedia page on Indonesian ("basa rasmi Ripublik Indonésia
# wan basa parsatuan ...": *basa*, *wan*, *nang*, *matan*, *ulih* are Banjarese, not Indonesian);
# trained as Indonesian it teaches the models that Banjarese is Indonesian.
RELABELLED: dict[str, str] = {"langid.py:tests/id.wp-lang.txt": "bjn"}

# Where the repository expects the shared data: <repo>/../shared/data/langid/labelled.jsonl.
DEFAULT_CORPUS = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "langid" / "labelled.jsonl"
)

_NTREX_LANG = re.compile(r"-ref\.[A-Za-z-]+\.txt")
_LANGID_PART = re.compile(r":(whole|para\d+)$")


@dataclass(frozen=True)
class Sample:
    id: str
    text: str
    code: str  # pantau's code (see LABEL_TO_CODE)


def group_key(sample_id: str) -> str:
    """The id without its language part, shared by all translations of one sentence."""
    if sample_id.startswith("nusax:"):
        # nusax:datasets/mt/train.csv:17/javanese -> nusax:datasets/mt/train.csv:17
        return sample_id.rsplit("/", 1)[0]
    if sample_id.startswith("NTREX:"):
        # NTREX:NTREX-128/newstest2019-ref.ind.txt:5 -> NTREX:NTREX-128/newstest2019:5
        return _NTREX_LANG.sub("", sample_id)
    # langid.py:tests/jv.wp-lang.txt:para3 -> the document, so paragraphs stay with the whole.
    return _LANGID_PART.sub("", sample_id)


def source_of(sample_id: str) -> str:
    """The corpus a sample comes from: "nusax", "NTREX" or "langid.py"."""
    return sample_id.split(":", 1)[0]


def is_held_out(sample_id: str) -> bool:
    """Stable (process- and platform-independent) 20% split on the group key."""
    digest = hashlib.sha1(group_key(sample_id).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < HELD_OUT_PERCENT


def load(path: Path = DEFAULT_CORPUS) -> list[Sample]:
    """Every labelled sample; an unknown label or a malformed line is an error naming the line."""
    samples: list[Sample] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                label, text, sample_id = record["lang"], record["text"], record["id"]
            except (ValueError, KeyError) as error:
                raise ValueError(f"{path}:{number}: not a labelled sample ({error})") from error
            if label not in LABEL_TO_CODE:
                raise ValueError(f"{path}:{number}: unknown language label {label!r}")
            code = RELABELLED.get(group_key(sample_id), LABEL_TO_CODE[label])
            samples.append(Sample(id=sample_id, text=text, code=code))
    return samples


def training(path: Path = DEFAULT_CORPUS) -> Iterator[Sample]:
    """The part the models are built from; never the held-out part."""
    return (sample for sample in load(path) if not is_held_out(sample.id))


def held_out(path: Path = DEFAULT_CORPUS) -> Iterator[Sample]:
    """The part used only for measuring."""
    return (sample for sample in load(path) if is_held_out(sample.id))
