"""The compiled lexicon and the matcher that tags a text with it.

A lexicon holds entries (a topic term, an institution, a party, a person, a region, or a phrase
to ignore), each with surface forms. Forms are compiled into one look-up table keyed by a form's
first word in lower case, so tagging an article is one pass over its words with one dictionary
look-up each; the few words that hit are then checked for the rest of the phrase, their case and
their context.

Three layers are matched independently: topic terms, entities, and regions. Within a layer the
longest match wins and consumes its words ("Kepulauan Riau" is not also "Riau"; "konflik
kepentingan" is ignored rather than tagged as conflict), while the layers do not block each other
("Badan Pengawas Pemilu" is both the institution Bawaslu and the topic term pemilu; "Partai Aceh"
is both a party and the region Aceh).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pantau.tagging.morphology import inflections, inflections_en
from pantau.tagging.tokens import tokenize

TOPIC = "topic"
ENTITY = "entity"
REGION = "region"
_LAYERS = (TOPIC, ENTITY, REGION)
IGNORE = ""  # group of entries that only consume words
ENTITY_GROUPS = ("institutions", "parties", "people")
REGIONS = "regions"

# Language codes (ISO 639-1 and -3, as detectors report them) whose text is matched against
# the Indonesian side of the topic lexicon. Malay is here because detectors often give it for
# Indonesian text.
_INDONESIAN = frozenset({"id", "in", "ind", "ms", "msa", "may", "zsm", "zlm"})
_ENGLISH = frozenset({"en", "eng"})
# Sides of the lexicon as bits: a pattern carries the sides it belongs to, a text the sides its
# language is matched against.
_ID_SIDE = 1
_EN_SIDE = 2
_ANY_SIDE = _ID_SIDE | _EN_SIDE


@dataclass(frozen=True, eq=False)
class Entry:
    """One thing the lexicon recognises. Identity is the object: two entries are never merged."""

    layer: str  # TOPIC, ENTITY or REGION
    group: str  # topic id, entity group, REGIONS, or IGNORE
    name: str  # canonical name reported in the output
    where: str  # file and key it came from, for messages
    also: tuple[str, ...] = ()  # further names it implies (a city's province)
    near: frozenset[str] | None = None  # counts only with one of these words close by
    and_near: frozenset[str] | None = None  # and also one of these
    not_near: frozenset[str] | None = None  # and never with one of these
    window: int = 10


@dataclass(frozen=True)
class Form:
    """One way an entry is written: its words, which side of the lexicon, how it may vary."""

    words: tuple[str, ...]
    side: str  # "id" or "en"
    case_sensitive: bool = False
    inflect: bool = False


@dataclass(frozen=True)
class TopicInfo:
    id: str
    label: str
    label_en: str
    where: str


@dataclass(frozen=True, slots=True, eq=False)
class _Pattern:
    layer: int  # index into _LAYERS
    size: int  # words
    rest: tuple[frozenset[str], ...]  # the words after the first one
    first: str  # the first word; as written when case-sensitive
    case_sensitive: bool
    acronym: bool  # every word written in capitals in the lexicon (KPU, TPS, SARA)
    entry: Entry
    sides: int  # _ID_SIDE, _EN_SIDE or both
    seconds: frozenset[str]  # the second word in lower case, for the index


def _sides_of(entry: Entry, form: Form) -> int:
    # Topic terms are matched against one side of the lexicon when the language is known
    # (English loanwords such as "campaign" in Indonesian marketing copy must not count).
    # Names, and phrases to ignore, hold whatever the language.
    if entry.layer == TOPIC and entry.group != IGNORE:
        return _ID_SIDE if form.side == "id" else _EN_SIDE
    return _ANY_SIDE


def _pattern(
    entry: Entry,
    form: Form,
    first: str,
    rest: tuple[frozenset[str], ...],
    acronym: bool = False,
) -> _Pattern:
    seconds = frozenset(w.lower() for w in rest[0]) if rest else frozenset()
    layer = _LAYERS.index(entry.layer)
    cs = form.case_sensitive
    return _Pattern(
        layer, 1 + len(rest), rest, first, cs, acronym, entry, _sides_of(entry, form), seconds
    )


def _upper_variant(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w.upper() for w in words)


def _literal_patterns(form: Form, entry: Entry) -> Iterable[_Pattern]:
    """The form as written (plus its all-capitals spelling, when case matters), and multi-word
    forms also written as one word, as hashtags do (#seranganfajar)."""
    if form.case_sensitive:
        variants = {form.words, _upper_variant(form.words)}
    else:
        variants = {tuple(w.lower() for w in form.words)}
    for words in sorted(variants):
        acronym = form.case_sensitive and words == form.words == _upper_variant(words)
        yield _pattern(entry, form, words[0], tuple(frozenset({w}) for w in words[1:]), acronym)
        if len(words) > 1:
            yield _pattern(entry, form, "".join(words), (), acronym)


def _inflected_patterns(form: Form, entry: Entry) -> Iterable[_Pattern]:
    """Affixed forms: Indonesian inflects a phrase's first word (memblokir, pemungutan) and
    lets -nya close it; English inflects its last word (hate speeches, riots)."""
    words = tuple(w.lower() for w in form.words)
    if form.side == "id":
        firsts = inflections(words[0], phrase_head=len(words) > 1)
        rest = tuple(frozenset({w}) for w in words[1:])
        if rest:
            rest = rest[:-1] + (frozenset({words[-1], words[-1] + "nya"}),)
    elif len(words) == 1:
        firsts = inflections_en(words[0])
        rest = ()
    else:
        firsts = frozenset({words[0]})
        rest = tuple(frozenset({w}) for w in words[1:-1]) + (inflections_en(words[-1]),)
    for first in sorted(firsts):
        yield _pattern(entry, form, first, rest)


class _Bucket:
    """The patterns starting with one word: single words, and phrases by their second word
    (so a common first word such as "calon" costs one look-up, not a check of every phrase)."""

    __slots__ = ("singles", "by_second")

    def __init__(self) -> None:
        self.singles: list[_Pattern] = []
        self.by_second: dict[str, list[_Pattern]] = {}


class _Index:
    """Patterns by their first word in lower case."""

    def __init__(self) -> None:
        self.patterns: dict[str, _Bucket] = {}
        # Single words written in the lexicon itself, per layer and side; an inflected form
        # never overrides one, so "pemilu" stays the term pemilu although pe- + "pilu" gives
        # it too.
        self._literal_words: set[tuple[int, int, str]] = set()
        # Forms of one entry overlap (the root of "calon presiden" inflects to "calon" again):
        # each distinct pattern is kept once, or common words would be checked many times over.
        self._seen: set[tuple[object, ...]] = set()

    def add(self, pattern: _Pattern, *, literal: bool) -> None:
        key = pattern.first.lower()
        if pattern.size == 1:
            markers = [
                (pattern.layer, side, key) for side in (_ID_SIDE, _EN_SIDE) if pattern.sides & side
            ]
            if literal:
                self._literal_words.update(markers)
            elif not self._literal_words.isdisjoint(markers):
                return
        identity = (
            id(pattern.entry),
            pattern.first,
            pattern.rest,
            pattern.case_sensitive,
            pattern.sides,
        )
        if identity in self._seen:
            return
        self._seen.add(identity)
        bucket = self.patterns.get(key)
        if bucket is None:
            bucket = self.patterns[key] = _Bucket()
        if pattern.size == 1:
            bucket.singles.append(pattern)
            return
        by_second = bucket.by_second
        for second in pattern.seconds:
            listed = by_second.get(second)
            if listed is None:
                by_second[second] = [pattern]
            else:
                listed.append(pattern)


def _side(language: str | None) -> int:
    """The sides of the lexicon a text in this language is matched against."""
    if not language:
        return _ANY_SIDE
    code = language.strip().lower().replace("_", "-").split("-")[0]
    if code in _INDONESIAN:
        return _ID_SIDE
    if code in _ENGLISH:
        return _EN_SIDE
    return _ANY_SIDE


class Lexicon:
    """Compiled look-up tables; build one with load_lexicon(), then tag with tag_text()."""

    def __init__(
        self,
        entries: Sequence[tuple[Entry, Sequence[Form]]],
        topics: dict[str, TopicInfo],
    ) -> None:
        self.topics = dict(topics)
        self.entries = tuple(entry for entry, _ in entries)
        self._index = _Index()
        for literal in (True, False):  # literal forms first: they take precedence
            for entry, forms in entries:
                for form in forms:
                    if not literal and not form.inflect:
                        continue
                    make = _literal_patterns if literal else _inflected_patterns
                    for pattern in make(form, entry):
                        self._index.add(pattern, literal=literal)

    def tag(
        self, title: str | None, body: str | None, language: str | None = None
    ) -> dict[str, object]:
        """Keywords, topics, entities and regions of a text; see tag_text()."""
        title_words = tokenize(title)
        # An empty word between title and body keeps phrases from spanning the two.
        words = title_words + [""] + tokenize(body)
        headline = len(title_words) if _is_headline_style(title_words) else 0
        topic_hits, entity_hits, region_hits = _scan(
            self._index.patterns, words, headline, _side(language)
        )
        keywords: set[str] = set()
        topics: set[str] = set()
        for entry in topic_hits:
            if entry.group != IGNORE:
                keywords.add(entry.name)
                topics.add(entry.group)
        entities: dict[str, set[str]] = {group: set() for group in ENTITY_GROUPS}
        for entry in entity_hits:
            if entry.group != IGNORE:
                entities[entry.group].add(entry.name)
        regions: set[str] = set()
        for entry in region_hits:
            if entry.group != IGNORE:
                regions.add(entry.name)
                regions.update(entry.also)
        return {
            "keywords": sorted(keywords),
            "topics": sorted(topics),
            "entities": {group: sorted(names) for group, names in entities.items()},
            "regions": sorted(regions),
        }

    def lookup(self, word: str, language: str | None = None) -> list[str]:
        """Canonical topic terms that this single word matches (for tests and for checking a
        new lexicon entry), ignoring any context condition."""
        bucket = self._index.patterns.get(word.lower())
        found = bucket.singles if bucket is not None else []
        sides = _side(language)
        return sorted(
            {
                p.entry.name
                for p in found
                if p.entry.layer == TOPIC
                and p.sides & sides
                and p.entry.group != IGNORE
                and (not p.case_sensitive or p.first == word)
            }
        )


def _is_headline_style(words: list[str]) -> bool:
    """Title Case or ALL CAPS: capitals there say nothing about proper names."""
    long_words = [w for w in words if len(w) >= 4 and w.isalpha()]
    if len(long_words) < 3:
        return False
    capitalised = sum(1 for w in long_words if w[0].isupper())
    return capitalised >= 0.9 * len(long_words)


def _context_allows(entry: Entry, lowered: list[str], start: int, end: int) -> bool:
    window = lowered[max(0, start - entry.window) : end + entry.window]
    if entry.near is not None and entry.near.isdisjoint(window):
        return False
    if entry.and_near is not None and entry.and_near.isdisjoint(window):
        return False
    return entry.not_near is None or entry.not_near.isdisjoint(window)


def _scan(
    patterns: dict[str, _Bucket], words: list[str], headline: int, sides: int
) -> tuple[list[Entry], list[Entry], list[Entry]]:
    """One pass left to right. In each layer the longest pattern at a position wins (all of
    them on a tie) and consumes its words for that layer.

    The first `headline` words are a Title Case or capitals title, where a case-sensitive
    pattern counts only if it is an acronym: "Serang" there may be the verb, not the city.
    """
    lowered = [w.lower() for w in words]
    found: tuple[list[Entry], list[Entry], list[Entry]] = ([], [], [])
    free = [0, 0, 0]  # per layer, the first word not yet consumed
    count = len(words)
    get = patterns.get
    for i, low in enumerate(lowered):
        bucket = get(low)
        if bucket is None:
            continue
        candidates = bucket.singles
        if bucket.by_second and i + 1 < count:
            phrases = bucket.by_second.get(lowered[i + 1])
            if phrases is not None:
                candidates = phrases + candidates  # longer first: fewer replacements of best
        best_size = [0, 0, 0]
        best: list[list[Entry]] = [[], [], []]
        for p in candidates:
            layer = p.layer
            size = p.size
            if i < free[layer] or size < best_size[layer] or i + size > count:
                continue
            if not p.sides & sides:
                continue
            if p.case_sensitive:
                if words[i] != p.first or (i < headline and not p.acronym):
                    continue
                seq = words
            else:
                seq = lowered
            if size > 1 and not all(seq[i + k] in allowed for k, allowed in enumerate(p.rest, 1)):
                continue
            entry = p.entry
            if (entry.near is not None or entry.not_near is not None) and not _context_allows(
                entry, lowered, i, i + size
            ):
                continue
            if size > best_size[layer]:
                best_size[layer] = size
                best[layer] = [entry]
            elif entry not in best[layer]:
                best[layer].append(entry)
        for layer in range(3):
            if best_size[layer]:
                found[layer].extend(best[layer])
                free[layer] = i + best_size[layer]
    return found
