"""Counting candidate terms in the window and the baseline of the embedded store.

Cutting text into words is the cost that grows with the store, so each story is cut as few
times as possible and the per-word work runs in C (see ``_Coder``):

1. Window: every story is read (in a window of more than ``sample`` stories, an evenly spread
   sample of about ``sample``); every n-gram gets its story count and its outlet count, and
   those reaching ``min_docs`` and ``min_outlets`` are the candidates.
2. Baseline sample: an evenly spread sample of the baseline stories (every n-th in time order,
   about ``sample`` in all) gives every candidate an estimated baseline count, hence an
   estimated score. When the baseline holds no more stories than the sample, this is exact.
3. Shortlist: the best-scored candidates (several times the number to report) get exact counts
   from the store's full-text index: it finds the stories holding the words, and each story it
   proposes for a phrase is re-cut with the window's rules, so a phrase across punctuation is
   not counted. The report's numbers, the minimums and the final ranking use these counts.

Like Elasticsearch's per-shard candidate lists, a term whose estimate misses the shortlist is
not reported; a larger sample (``sample=None``: every story) narrows that gap.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat
from operator import add, mul
from typing import Any

from pantau.store.sqlite import SqliteStore
from pantau.trends.scoring import scorer
from pantau.trends.terms import Key, document_keys, is_candidate, key_text, pieces, stopwords

SAMPLE_STORIES = 2500
SHORTLIST_FACTOR = 4  # exact counts for this many times the number of terms to report...
SHORTLIST_EXTRA = 40  # ...plus this many, so that covered and folded terms leave enough
_FETCH_CHUNK = 500
KEEP_TOKENS_UP_TO = 5000  # window stories whose cut text is kept between the two loops


@dataclass(slots=True)
class Story:
    """A story as counted: the text of its first document, and every outlet that carried it."""

    rowid: int
    source: str
    title: str | None
    body: str | None
    url: str
    outlets: set[str] = field(default_factory=set)


class _Coder:
    """Words as random integer ids (0: a word without one) and n-grams as integers a*K + b.

    Integers hash far faster than tuples of bytes, and ``map`` over lists of them keeps the
    per-token work in C. Codes are unique because every id is below K. Ids are random rather
    than 1, 2, 3... because codes of consecutive ids crowd into few hash slots; they are kept
    small (below 4x the vocabulary) so that codes stay short integers. Only words made of
    letters and digits get an id, so an n-gram code without a 0 part holds words only.
    """

    def __init__(self, words: Iterable[bytes], stop: frozenset[str]) -> None:
        ordered = sorted(w for w in set(words) if w.decode("utf-8").isalnum())
        bound = max(1024, 1 << (4 * len(ordered)).bit_length())
        ids = random.Random(0).sample(range(1, bound), len(ordered))
        self.base = bound + 1
        self.ids = dict(zip(ordered, ids, strict=True))
        self.words = {i: w for w, i in self.ids.items()}
        # Words a term may start or end with (see terms.is_candidate) keep their id at the ends
        # of an n-gram; others are 0 there, so n-grams that cannot be reported collapse into
        # few codes instead of filling the counters.
        self.edges = {w: i for w, i in self.ids.items() if is_candidate(w, stop)}

    def codes(self, tokens: list[bytes], max_words: int) -> list[list[int]]:
        """Codes of the 1-, 2- and 3-grams of a token list, built in C."""
        edge = list(map(self.edges.get, tokens, repeat(0)))
        found = [edge]
        if max_words >= 2:
            head = list(map(mul, edge, repeat(self.base)))
            found.append(list(map(add, head, edge[1:])))
            if max_words >= 3:
                inner = list(map(self.ids.get, tokens[1:], repeat(0)))
                heads = map(mul, map(add, head, inner), repeat(self.base))
                found.append(list(map(add, heads, edge[2:])))
        return found

    def parts(self, code: int, size: int) -> list[int]:
        """The word ids of an n-gram code, first word first."""
        found = []
        for _ in range(size):
            code, part = divmod(code, self.base)
            found.append(part)
        found.reverse()
        return found

    def reportable(self, codes: Iterable[int], size: int) -> set[int]:
        """The codes standing for reportable n-grams: a word (with an id) at every place.

        Inline arithmetic rather than ``parts``: this runs over every frequent n-gram."""
        base = self.base
        if size == 1:
            return {c for c in codes if c}
        if size == 2:
            return {c for c in codes if c >= base and c % base}
        square = base * base
        return {c for c in codes if c >= square and c % base and (c // base) % base}

    def decode(self, code: int, size: int) -> Key:
        words = [self.words[part] for part in self.parts(code, size)]
        return words[0] if size == 1 else tuple(words)


def window_candidates(
    stories: list[Story], min_docs: int, min_outlets: int, max_words: int
) -> tuple[_Coder, list[dict[int, tuple[int, int]]]]:
    """Reportable n-grams with (story count, outlet count) at or above the minimums, as codes
    per n-gram size (index 0: single words).

    A phrase is in no more stories than its rarest word, so words below ``min_docs`` get no id
    and every n-gram holding one collapses into a few codes that are never reported.
    """
    words: Counter[bytes] = Counter()
    # Keep the cut text for the second loop unless the window is large (memory over speed).
    kept: list[list[bytes]] | None = [] if len(stories) <= KEEP_TOKENS_UP_TO else None
    for story in stories:
        tokens = pieces(story.title, story.body)
        words.update(set(tokens))
        if kept is not None:
            kept.append(tokens)
    coder = _Coder((w for w, n in words.items() if n >= min_docs), stopwords())
    del words
    counts: list[Counter[int]] = [Counter() for _ in range(max_words)]
    by_outlet: dict[str, list[set[int]]] = defaultdict(lambda: [set() for _ in range(max_words)])
    for index, story in enumerate(stories):
        tokens = kept[index] if kept is not None else pieces(story.title, story.body)
        for size, codes in enumerate(coder.codes(tokens, max_words)):
            distinct = set(codes)
            counts[size].update(distinct)
            for outlet in story.outlets:
                by_outlet[outlet][size] |= distinct
    found: list[dict[int, tuple[int, int]]] = []
    for size in range(max_words):
        frequent = coder.reportable(
            (code for code, n in counts[size].items() if n >= min_docs), size + 1
        )
        outlets: Counter[int] = Counter()
        for sets in by_outlet.values():
            outlets.update(sets[size] & frequent)
        found.append(
            {
                code: (counts[size][code], outlets[code])
                for code in frequent
                if outlets[code] >= min_outlets
            }
        )
    return coder, found


def fetch_texts(store: SqliteStore, rowids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Title and body of the given rows."""
    wanted = list(rowids)
    texts: dict[int, tuple[str, str]] = {}
    cursor = store.conn.cursor()
    cursor.row_factory = None
    for at in range(0, len(wanted), _FETCH_CHUNK):
        chunk = wanted[at : at + _FETCH_CHUNK]
        marks = ",".join("?" * len(chunk))
        for rowid, title, body in cursor.execute(
            f"SELECT rowid, title, body FROM documents WHERE rowid IN ({marks})", chunk
        ):
            texts[rowid] = (title, body)
    return texts


def count_codes(
    texts: Iterable[tuple[str, str]], coder: _Coder, wanted: list[set[int]]
) -> list[Counter[int]]:
    """How many of the texts hold each wanted code (per n-gram size), cut with the window's
    rules."""
    hits: list[list[int]] = [[] for _ in wanted]
    for title, body in texts:
        for size, codes in enumerate(coder.codes(pieces(title, body), len(wanted))):
            if wanted[size]:
                hits[size].extend(wanted[size].intersection(codes))
    return [Counter(found) for found in hits]


def _fts_phrase(key: Key) -> str:
    # Candidate words are runs of letters and digits, so quoting them is enough for FTS5.
    return '"' + key_text(key) + '"'


def index_postings(
    store: SqliteStore, keys: Iterable[Key], rowids: set[int]
) -> dict[Key, list[int]]:
    """Which of the given rows hold each key, found with the full-text index.

    The index matches a word exactly as it is cut here, and a phrase regardless of punctuation
    between its words; so each row it proposes for a phrase is cut once and checked.
    """
    found: dict[Key, list[int]] = {}
    proposed: dict[int, list[Key]] = defaultdict(list)
    for key in keys:
        rows = store.conn.execute(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rowid",
            (_fts_phrase(key),),
        )
        hits = [rowid for (rowid,) in rows if rowid in rowids]
        if isinstance(key, bytes):
            found[key] = hits
            continue
        found[key] = []
        for rowid in hits:
            proposed[rowid].append(key)
    for rowid, (title, body) in sorted(fetch_texts(store, proposed).items()):
        present = document_keys(pieces(title, body))
        for key in proposed[rowid]:
            if key in present[len(key) - 1]:
                found[key].append(rowid)
    return found


def _every(count: int, sample: int | None) -> int:
    """The step that reads about ``sample`` of ``count`` items evenly (1: read them all)."""
    return 1 if sample is None or count <= sample else math.ceil(count / sample)


def count_terms(
    store: SqliteStore,
    stories: list[Story],
    baseline_rowids: list[int],
    *,
    min_docs: int,
    min_outlets: int,
    max_words: int,
    score: str,
    limit: int,
    sample: int | None,
) -> list[dict[str, Any]]:
    """Shortlisted terms with exact counts: term, docs_window, docs_baseline, outlets, and the
    private _docs (indexes into ``stories``, oldest first) and _group (the same, as a tuple)."""
    total = len(baseline_rowids)
    if not stories or not total:
        return []  # no window, or no baseline to grow against: nothing can score
    # A long window is sampled like the baseline (Elasticsearch advises a sampler around
    # significant_text for the same reason); its candidates need two sampled stories at least,
    # and the minimums are applied to the exact counts below.
    window_step = _every(len(stories), sample)
    if window_step == 1:
        coder, candidates = window_candidates(stories, min_docs, min_outlets, max_words)
    else:
        least = max(2, math.ceil(min_docs / window_step))
        coder, candidates = window_candidates(stories[::window_step], least, 1, max_words)
    step = _every(total, sample)
    picked = baseline_rowids[::step]
    texts = fetch_texts(store, picked)
    partial = count_codes((texts[r] for r in picked), coder, [set(c) for c in candidates])
    del texts
    heuristic = scorer(score)
    ranked = []
    for size, stats in enumerate(candidates):
        for code, (docs, _) in stats.items():
            value = heuristic(docs * window_step, len(stories), partial[size][code] * step, total)
            if value > 0:
                ranked.append((-value, size, code))
    ranked.sort()
    shortlist = {
        coder.decode(code, size + 1): partial[size][code]
        for _, size, code in ranked[: limit * SHORTLIST_FACTOR + SHORTLIST_EXTRA]
    }
    by_rowid = {story.rowid: index for index, story in enumerate(stories)}
    searched = set(by_rowid).union(baseline_rowids) if step > 1 else set(by_rowid)
    hits = index_postings(store, shortlist, searched)
    rows = []
    for key, sampled in shortlist.items():
        docs = sorted(by_rowid[rowid] for rowid in hits[key] if rowid in by_rowid)
        outlets = set().union(*(stories[i].outlets for i in docs))
        if len(docs) < min_docs or len(outlets) < min_outlets:
            continue
        rows.append(
            {
                "term": key_text(key),
                "docs_window": len(docs),
                "docs_baseline": len(hits[key]) - len(docs) if step > 1 else sampled,
                "outlets": len(outlets),
                "_docs": docs,
                "_group": tuple(docs),
            }
        )
    return rows
