"""The first stage: langdetect, with pantau's extra profiles, seeded and vectorised.

langdetect's estimator draws n-grams of the text at random and multiplies per-language n-gram
probabilities until one language passes 0.99999, in 7 independent trials whose results it
averages. Unseeded, the same text can come out differently from run to run; its pure-Python loop
also costs ~4.5 ms for one sentence, over pantau's budget of 2 ms for the whole detector.

This module keeps langdetect's parts (its text cleaning and n-gram extraction, its profiles and
their JSON format, its smoothing, its trial and convergence rules) and runs the same estimator
with numpy: every trial's draws are taken from a generator re-seeded for every text, so a text
always gets the same answer, and the trials run side by side on the few languages that the whole
text's likelihood leaves in contention.
"""

from __future__ import annotations

import json
import math
import os
from functools import cached_property
from pathlib import Path

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.utils.ngram import NGram

# langdetect's estimator constants (langdetect.detector.Detector), named here because the
# vectorised walk below has to follow them exactly.
ALPHA = Detector.ALPHA_DEFAULT
ALPHA_WIDTH = Detector.ALPHA_WIDTH
BASE_FREQ = Detector.BASE_FREQ
CONVERGENCE = Detector.CONV_THRESHOLD
ITERATION_LIMIT = Detector.ITERATION_LIMIT
CHECK_EVERY = 5  # langdetect renormalises and tests convergence on every fifth draw
TRIALS = 7

# The walk only runs on the languages whose whole-text likelihood is among the best few; the
# others are so far behind that langdetect's own walk drives them to zero within a few draws.
CANDIDATES = 8
# Draws computed per numpy round: a short first round (half of all trials end within 85 draws),
# then longer ones for the trials still undecided.
FIRST_ROUND, LATER_ROUNDS = 96, 320

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"

# Space-separated pieces of text remembered with their n-gram rows (news vocabulary repeats).
PIECE_CACHE_LIMIT = 200_000


class _SpaceTable(dict):
    """str.translate table: every character langdetect normalises to a space becomes one."""

    def __missing__(self, code: int) -> int:
        char = chr(code)
        self[code] = value = 32 if NGram.normalize(char) == " " else code
        return value


_SPACES = _SpaceTable()


class Evidence:
    """What langdetect's model says about one text.

    The whole-text likelihood picks the candidate languages; langdetect's estimate over them
    (the seeded walk) is only computed when asked for, since a text whose candidates are all
    languages of the second stage does not need it.
    """

    def __init__(
        self,
        stage: LangdetectStage,
        candidates: list[str],
        log_likelihood: list[float],
        n_grams: int,
        walk_input: tuple[np.ndarray, np.ndarray],
    ) -> None:
        self._stage = stage
        self.candidates = candidates  # best whole-text likelihood first
        self.log_likelihood = dict(zip(candidates, log_likelihood, strict=True))
        self.n_grams = n_grams  # how many profile n-grams the text has
        self._walk_input = walk_input

    @cached_property
    def probabilities(self) -> dict[str, float]:
        """langdetect's estimate (its seeded walk) for the candidate languages."""
        estimate = self._stage._walk(*self._walk_input)
        return dict(zip(self.candidates, (float(p) for p in estimate), strict=True))

    @property
    def best(self) -> str:
        probabilities = self.probabilities
        return max(self.candidates, key=probabilities.__getitem__)


def _profile_texts(extra_dir: Path) -> list[str]:
    """langdetect's stock profiles plus pantau's, as JSON strings (langdetect's own format)."""
    ours = sorted(p for p in extra_dir.iterdir() if p.is_file() and not p.name.startswith("."))
    our_names = {p.name for p in ours}
    texts = []
    for name in sorted(os.listdir(PROFILES_DIRECTORY)):
        if name.startswith(".") or name in our_names:
            continue  # a profile of ours replaces a stock one of the same code
        texts.append(Path(PROFILES_DIRECTORY, name).read_text(encoding="utf-8"))
    texts.extend(p.read_text(encoding="utf-8") for p in ours)
    return texts


def profile_table(texts: list[str]) -> tuple[list[str], dict[str, int], np.ndarray]:
    """Languages, n-gram rows and the n-gram probability matrix of langdetect profiles.

    The same table langdetect's DetectorFactory.load_json_profile builds (a row per n-gram, in
    the order the profiles first list them; for 1- to 3-grams the count over the profile's
    number of n-grams of that length, zero otherwise), without its Python list of floats per
    n-gram: for 66 profiles those cost about 100 MB at start-up, numpy's matrix a fifth.
    """
    languages: list[str] = []
    index: dict[str, int] = {}
    rows, columns, values = [], [], []
    for column, text in enumerate(texts):
        try:
            profile = json.loads(text)
            name, freq = profile["name"], profile["freq"]
            n_words = np.asarray(profile["n_words"], dtype=np.float64)
            row = np.fromiter((index.setdefault(g, len(index)) for g in freq), np.intp, len(freq))
            lengths = np.fromiter(map(len, freq), np.intp, len(freq))
            short = (lengths >= 1) & (lengths <= 3)
            counts = np.fromiter(freq.values(), np.float64, len(freq))[short]
            totals = n_words[lengths[short] - 1]
        except (ValueError, KeyError, TypeError, IndexError) as error:
            raise ValueError(f"language profile {column + 1} is malformed: {error!r}") from error
        if name in languages:
            raise ValueError(f"two language profiles are named {name!r}")
        languages.append(name)
        rows.append(row[short])
        columns.append(np.full(counts.size, column, np.intp))
        values.append(counts / totals)
    matrix = np.zeros((len(index), len(languages)))
    matrix[np.concatenate(rows), np.concatenate(columns)] = np.concatenate(values)
    return languages, index, matrix


class LangdetectStage:
    """langdetect's model with pantau's profiles; one instance is shared by all threads."""

    def __init__(self, extra_dir: Path = PROFILES_DIR, seed: int = 0) -> None:
        if not extra_dir.is_dir():
            raise FileNotFoundError(
                f"language profiles folder {extra_dir} is missing; build it with "
                "`python -m pantau.language.build`"
            )
        languages, index, matrix = profile_table(_profile_texts(extra_dir))
        self.languages: list[str] = languages
        self.seed = seed
        # Kept as smoothed logs: the whole-text likelihood is then a sum, with no log per text.
        matrix += ALPHA / BASE_FREQ
        self._log_matrix = np.log(matrix, out=matrix).astype(np.float32)
        del matrix
        # langdetect's Detector cleans the text and cuts its n-grams; it only asks the table
        # whether an n-gram is known, which the row index answers.
        factory = DetectorFactory()
        factory.set_seed(seed)
        factory.langlist = languages
        factory.word_lang_prob_map = index
        self._factory = factory
        # Filled from many threads at once: a lost race only means a piece is extracted twice.
        self._pieces: dict[str, tuple[int, ...]] = {}

    def ngram_rows(self, text: str) -> np.ndarray:
        """Table rows of the text's n-grams, exactly as langdetect's extraction lists them.

        langdetect's n-gram buffer starts afresh after every character it normalises to a
        space, so a text's n-grams are those of its space-separated pieces one after another;
        each piece's are extracted by langdetect itself once and then remembered.
        """
        detector = self._factory.create()
        detector.append(text)
        detector.cleaning_text()
        pieces = detector.text.translate(_SPACES).split(" ")
        last = len(pieces) - 1
        rows: list[int] = []
        for position, piece in enumerate(pieces):
            if piece:
                # A piece followed by a space also yields the n-grams that end in that space.
                closed = piece + " " if position < last else piece
                rows.extend(self._piece_rows(closed, detector))
        return np.asarray(rows, dtype=np.intp)

    def _piece_rows(self, piece: str, detector: Detector) -> tuple[int, ...]:
        found = self._pieces.get(piece)
        if found is None:
            detector.text = piece  # the detector is done with the whole text; reused per piece
            # langdetect's own extraction (1.0.9 is pinned); its public detect() would also
            # run the slow scalar walk that this module replaces.
            index = self._factory.word_lang_prob_map
            found = tuple(index[gram] for gram in detector._extract_ngrams())
            if len(self._pieces) >= PIECE_CACHE_LIMIT:
                self._pieces = {}
            self._pieces[piece] = found
        return found

    def evidence(self, text: str) -> Evidence | None:
        """The model's view of the text, or None when it has no n-gram langdetect knows."""
        rows = self.ngram_rows(text)
        if rows.size == 0:
            return None
        unique, occurrences = np.unique(rows, return_inverse=True)
        logs = self._log_matrix[unique]
        counts = np.bincount(occurrences, minlength=unique.size)
        whole = counts @ logs.astype(np.float64)
        keep = min(CANDIDATES, len(self.languages))
        columns = np.argsort(-whole, kind="stable")[:keep]
        probs = np.maximum(np.exp(logs[:, columns].astype(np.float64)) - ALPHA / BASE_FREQ, 0.0)
        return Evidence(
            self,
            candidates=[self.languages[column] for column in columns],
            log_likelihood=[float(whole[column]) for column in columns],
            n_grams=int(rows.size),
            walk_input=(probs, occurrences),
        )

    def _walk(self, probs: np.ndarray, occurrences: np.ndarray) -> np.ndarray:
        """langdetect's trials side by side, in log space (so no renormalising is needed).

        Each trial multiplies the language probabilities by (p(n-gram) + smoothing) for n-grams
        drawn at random, and stops at the first convergence test (at draws 0, 5, 10, ...) where
        one language passes 0.99999, or at the iteration limit; the trials are then averaged.
        """
        rng = np.random.default_rng(self.seed)  # re-seeded per text: same text, same answer
        smoothing = (ALPHA + rng.standard_normal(TRIALS) * ALPHA_WIDTH) / BASE_FREQ
        threshold = math.log(CONVERGENCE)
        total = np.zeros(probs.shape[1])
        state = np.zeros((TRIALS, probs.shape[1]))  # uniform start; constants cancel
        active = np.arange(TRIALS)
        drawn = 0
        while active.size:
            count = min(LATER_ROUNDS if drawn else FIRST_ROUND, ITERATION_LIMIT + 1 - drawn)
            picks = occurrences[rng.integers(0, occurrences.size, size=(active.size, count))]
            steps = np.log(probs[picks] + smoothing[active, None, None])
            paths = np.cumsum(steps, axis=1) + state[:, None, :]
            first = -drawn % CHECK_EVERY
            tested = _normalised(paths[:, first::CHECK_EVERY])
            draw_index = drawn + first + CHECK_EVERY * np.arange(tested.shape[1])
            stop = (tested.max(axis=2) > threshold) | (draw_index >= ITERATION_LIMIT)
            stopped = stop.any(axis=1)
            where = stop.argmax(axis=1)
            for trial in np.flatnonzero(stopped):
                total += np.exp(tested[trial, where[trial]])
            state = _normalised(paths[~stopped, -1])
            active = active[~stopped]
            drawn += count
        return total / TRIALS


def _normalised(log_probs: np.ndarray) -> np.ndarray:
    """Log-probabilities rescaled to sum to one along the last axis."""
    top = log_probs.max(axis=-1, keepdims=True)
    return log_probs - (top + np.log(np.exp(log_probs - top).sum(axis=-1, keepdims=True)))
