"""Putting the two stages together, with the short-text and declared-language rules."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

from pantau.language import features, lexical, second_opinion
from pantau.language.base import PROFILES_DIR, Evidence, LangdetectStage
from pantau.language.family import FamilyModel
from pantau.language.second_opinion import Opinion

FAMILY_FILE = Path(__file__).resolve().parent / "family.json"

UNDETERMINED = "und"  # ISO 639-2 "undetermined": no letters to judge and nothing declared
DEFAULT_SLICE = 1000  # characters of title + body looked at

# Fewer letters than this is too short to judge: the score is held below LOW_CONFIDENCE, in
# proportion to the letters there are.
MIN_LETTERS = 20
# Below this score the source's declared language, when given, wins over the guess.
LOW_CONFIDENCE = 0.5
# Indonesian and Malay share most of their words, so a headline or a short post of one often
# reads as the other: between these two the declared language wins below this higher score.
CLOSE_PAIR = frozenset({"id", "ms"})
CLOSE_PAIR_CONFIDENCE = 0.75
# langdetect's profiles sometimes prefer a language pantau hardly ever sees (Norwegian,
# Afrikaans) for a short English or Indonesian sentence. When one of pantau's own languages is
# within this many nats per n-gram of langdetect's favourite, the second stage decides; real
# Dutch, French or Italian sentences are several times further away.
DOMAIN_MARGIN = 0.15
# Share given to pantau's languages when langdetect itself favoured another one: even odds.
DOMAIN_PRIOR_SHARE = 0.5

_ALIASES = {
    "ind": "id",
    "in": "id",  # the withdrawn ISO 639-1 code for Indonesian, still in old feeds
    "zsm": "ms",
    "zlm": "ms",
    "msa": "ms",
    "may": "ms",
    "jav": "jv",
    "jw": "jv",  # the withdrawn code for Javanese
    "sun": "su",
    "eng": "en",
}
_CODE = re.compile(r"[a-z]{2,3}")


def normalise_code(declared: str | None) -> str | None:
    """A declared language as pantau's code: "id-ID", "ind", "IN" -> "id"; None stays None."""
    if declared is None or not declared.strip():
        return None
    primary = re.split(r"[-_]", declared.strip(), maxsplit=1)[0].lower()
    if not _CODE.fullmatch(primary):
        raise ValueError(
            f"declared language {declared!r} is not an ISO 639 code (such as 'id' or 'id-ID')"
        )
    return _ALIASES.get(primary, primary)


def bounded(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a space when one is near, so no word is half kept."""
    if limit <= 0:
        raise ValueError(f"text slice must be a positive number of characters, not {limit}")
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", max(0, limit - 40), limit + 1)
    return text[: cut if cut > 0 else limit]


class LanguageDetector:
    """Both stages, loaded once; safe to share between threads (nothing changes after init)."""

    def __init__(self, stage: LangdetectStage, family: FamilyModel) -> None:
        self.stage = stage
        self.family = family
        # Languages the second stage decides between: the family model's own, and those of
        # CLD3's that it has no class for (a build without their samples still names them).
        self.unlearnt = frozenset(second_opinion.FAMILY.values()) - set(family.codes)
        self.domain = frozenset(family.codes) | self.unlearnt

    @classmethod
    def load(cls) -> LanguageDetector:
        return cls.from_files(PROFILES_DIR, FAMILY_FILE)

    @classmethod
    def from_files(cls, profiles_dir: Path, family_file: Path) -> LanguageDetector:
        """A detector from built files (`python -m pantau.language.build` writes them)."""
        if not family_file.is_file():
            raise FileNotFoundError(
                f"{family_file} is missing; build it with `python -m pantau.language.build`"
            )
        stored = json.loads(family_file.read_text(encoding="utf-8"))
        return cls(LangdetectStage(profiles_dir), FamilyModel(stored))

    def detect(self, text: str, declared: str | None = None) -> tuple[str, float]:
        declared = normalise_code(declared)
        letters = features.letter_count(text)
        evidence = self.stage.evidence(text) if letters else None
        if evidence is None and letters:
            # langdetect skips words in capitals (acronyms); a headline all in capitals would
            # otherwise have nothing to judge.
            evidence = self.stage.evidence(text.lower())
        if evidence is None:
            return declared or UNDETERMINED, 0.0
        code, score = self._decide(text, evidence)
        if letters < MIN_LETTERS:
            score = min(score, LOW_CONFIDENCE * letters / MIN_LETTERS)
        bar = CLOSE_PAIR_CONFIDENCE if {code, declared} == CLOSE_PAIR else LOW_CONFIDENCE
        if declared and code != declared and score < bar:
            return declared, score
        return code, score

    def _decide(self, text: str, evidence: Evidence) -> tuple[str, float]:
        opinion = second_opinion.opinion(text)
        if all(lang in self.domain for lang in evidence.candidates):
            domain_share = 1.0  # langdetect's walk could only end among pantau's languages
        else:
            best = evidence.best
            probabilities = evidence.probabilities
            domain_share = sum(p for lang, p in probabilities.items() if lang in self.domain)
            if best not in self.domain:
                if not (self._domain_is_close(evidence) or self._named_by_cld3(opinion)):
                    return best, probabilities[best]
                domain_share = max(domain_share, DOMAIN_PRIOR_SHARE)
        share = min(1.0, domain_share)
        word_list = features.words(text)
        decision = self.family.decision
        if opinion.code in self.unlearnt and (
            opinion.probability >= decision.unlearnt_min_probability
            or lexical.shared_contrast().coverage(word_list) < decision.unlearnt_max_coverage
        ):
            return opinion.code, opinion.probability * share
        probabilities = self.family.probabilities(word_list, opinion)
        code = max(probabilities, key=probabilities.__getitem__)
        return code, probabilities[code] * share

    def _named_by_cld3(self, opinion: Opinion) -> bool:
        """CLD3 is sure the text is one of the languages the second stage decides between."""
        return opinion.reliable and opinion.family_code is not None

    def _domain_is_close(self, evidence: Evidence) -> bool:
        likelihood = evidence.log_likelihood
        ours = [value for lang, value in likelihood.items() if lang in self.domain]
        if not ours:
            return False
        gap = max(likelihood.values()) - max(ours)
        return gap <= DOMAIN_MARGIN * evidence.n_grams


_lock = threading.Lock()
_detector: LanguageDetector | None = None


def shared() -> LanguageDetector:
    """The process-wide detector, loaded on first use (a second or two) and then reused."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                _detector = LanguageDetector.load()
    return _detector
