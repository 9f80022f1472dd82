"""A second opinion from CLD3 (the `cld3-py` package, imported as gcld3), whose model is compiled
into the package: nothing is downloaded, and the same text always gets the same answer.

CLD3 was trained on other text than pantau's labelled sentences, so it knows Javanese and
Sundanese even when a build had no samples of them, and its view of the other languages is a
check that does not share the build's blind spots. The second stage weighs it beside its own
models with a weight the build chooses by cross-validation.

CLD3 answers with one language and its probability; the rest of the probability is spread evenly
over the other languages it knows, which is what `log_probability` returns for them.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import gcld3

# CLD3's codes for the languages pantau's second stage decides between, as pantau's codes.
FAMILY = {"id": "id", "ms": "ms", "jv": "jv", "su": "su", "en": "en"}
# How many languages CLD3 knows (its model card lists 107): the share of the probability left
# over by its answer is spread over the others.
KNOWN_LANGUAGES = 107
# Probabilities are kept inside [FLOOR, 1 - FLOOR]: a sure answer of CLD3's is evidence, not a
# veto over everything pantau's own models say.
FLOOR = 1e-3
MAX_BYTES = 1000  # CLD3 reads at most this much of the text (pantau's slice is 1000 characters)


@dataclass(frozen=True)
class Opinion:
    code: str  # pantau's code when CLD3 named one of FAMILY, else CLD3's own code
    probability: float
    reliable: bool  # CLD3's own judgement that the answer can be relied on

    def log_probability(self, code: str) -> float:
        """log P(code) under this opinion (one named language, the rest spread evenly)."""
        top = min(max(self.probability, FLOOR), 1.0 - FLOOR)
        if code == self.code:
            return math.log(top)
        return math.log((1.0 - top) / (KNOWN_LANGUAGES - 1))

    @property
    def family_code(self) -> str | None:
        """The code when it is one of the languages pantau's second stage decides between."""
        return self.code if self.code in FAMILY.values() else None


NO_OPINION = Opinion(code="und", probability=0.0, reliable=False)

_local = threading.local()


def _identifier() -> gcld3.NNetLanguageIdentifier:
    # CLD3's identifier keeps scratch buffers between calls: one per thread, never shared.
    found = getattr(_local, "identifier", None)
    if found is None:
        found = _local.identifier = gcld3.NNetLanguageIdentifier(
            min_num_bytes=0, max_num_bytes=MAX_BYTES
        )
    return found


def opinion(text: str) -> Opinion:
    """CLD3's answer for the text; NO_OPINION for text without letters (CLD3 would guess)."""
    if not any(char.isalpha() for char in text):
        return NO_OPINION
    result = _identifier().FindLanguage(text)
    code = FAMILY.get(result.language, result.language)
    return Opinion(code=code, probability=float(result.probability), reliable=result.is_reliable)
