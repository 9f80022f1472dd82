"""The compiled lexicon and the matcher that tags a text with it.

A lexicon holds entries (a topic term, an institution, a party, a person, a region, or a phrase
to ignore), each with surface forms. Forms are compiled into look-up tables keyed by a form's
first word, so tagging an article is one pass over its words with a dictionary look-up each.

Three layers are matched independently: topic terms, entities, and regions. Within a layer the
longest match wins and consumes its words ("Kepulauan Riau" is not also "Riau"; "konflik
kepentingan" is ignored rather than tagged as conflict), while the layers do not block each other
("Badan Pengawas Pemilu" is both the institution Bawaslu and the topic term pemilu; "Partai Aceh"
is both a party and the region Aceh).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain

from pantau.tagging.morphology import inflections, inflections_en
from pantau.tagging.tokens import tokenize

TOPIC = "topic"
ENTITY = "entity"
REGION = "region"
IGNORE = ""  # group of entries that only consume words
ENTITY_GROUPS = ("institutions", "parties", "people")
REGIONS = "regions"

# Language codes (ISO 639-1 and -3, as detectors report them) whose text is matched against
# the Indonesian side of the topic lexicon. Malay is here because detectors often give it for
# Indonesian text.
_INDONESIAN = frozenset({"id", "in", "ind", "ms", "msa", "may", "zsm", "zlm"})
_ENGLISH = frozenset({"en", "eng"})
ANY = "any"


@dataclass(frozen=True, eq=False)
class Entry:
    """One thing the lexicon recognises. Identity is the object: two entries are never merged."""

    layer: str  # TOPIC, ENTITY or REGION
    group: str  # topic id, entity group, REGIONS, or IGNORE
    name: str  # canonical name reported in the output
    where: str  # file and key it came from, for messages
    also: tuple[str, ...] = ()  # further names it implies (a city's province)
    near: frozenset[str] | None = None  # counts only with one of these words close by
    not_near: frozenset[str] | None = None  # and never with one of these
    window: int = 10


@dataclass(frozen=True)
class Form:
    """One way an entry is written: its words, which side of the lexicon, how it may vary."""

    words: tuple[str, ...]
    side: str  # "id" or "en"
    case_sensitive: bool = False
    inflect: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class _Pattern:
    rest: tuple[frozenset[str], ...]  # the words after the first one
    case_sensitive: bool
    entry: Entry
    acronym: bool = False  # every word written in capitals in the lexicon (KPU, TPS, SARA)

    @property
    def size(self) -> int:
        return 1 + len(self.rest)


@dataclass
class _Table:
    """Patterns by their first word: lower-cased words, and words as written."""

    lower: dict[str, list[_Pattern]] = field(default_factory=dict)
    exact: dict[str, list[_Pattern]] = field(default_factory=dict)
    # The case-sensitive patterns that are acronyms: the only ones trusted in a headline whose
    # every word is capitalised, where "Serang" may be the verb and not the city.
    acronyms: dict[str, list[_Pattern]] = field(default_factory=dict)
    # Single words written in the lexicon itself; an inflected form never overrides one, so
    # "pemilu" stays the term pemilu even though pe- + "pilu" would also produce it.
    _literal_words: set[tuple[bool, str]] = field(default_factory=set)

    def add(self, key: str, pattern: _Pattern, *, literal: bool) -> None:
        if pattern.size == 1:
            marker = (pattern.case_sensitive, key)
            if literal:
                self._literal_words.add(marker)
            elif marker in self._literal_words:
                return
        table = self.exact if pattern.case_sensitive else self.lower
        table.setdefault(key, []).append(pattern)
        if pattern.acronym:
            self.acronyms.setdefault(key, []).append(pattern)


@dataclass(frozen=True)
class TopicInfo:
    id: str
    label: str
    label_en: str
    where: str


def _upper_variant(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w.upper() for w in words)


def _literal_patterns(form: Form, entry: Entry) -> Iterable[tuple[str, _Pattern]]:
    """The form as written (plus its all-capitals spelling for headlines, when case matters),
    and multi-word forms also written as one word, as hashtags do (#seranganfajar)."""
    if form.case_sensitive:
        variants = {form.words, _upper_variant(form.words)}
    else:
        variants = {tuple(w.lower() for w in form.words)}
    for words in sorted(variants):
        acronym = form.case_sensitive and words == form.words and words == _upper_variant(words)
        rest = tuple(frozenset({w}) for w in words[1:])
        yield words[0], _Pattern(rest, form.case_sensitive, entry, acronym)
        if len(words) > 1:
            yield "".join(words), _Pattern((), form.case_sensitive, entry, acronym)


def _inflected_patterns(form: Form, entry: Entry) -> Iterable[tuple[str, _Pattern]]:
    """Affixed forms: Indonesian inflects a phrase's first word (memblokir, pemungutan) and
    lets -nya close it; English inflects its last word (hate speeches, riots)."""
    words = tuple(w.lower() for w in form.words)
    if form.side == "id":
        firsts = inflections(words[0])
        rest = tuple(frozenset({w}) for w in words[1:])
        if rest:
            rest = rest[:-1] + (frozenset({words[-1], words[-1] + "nya"}),)
    elif len(words) == 1:
        firsts = inflections_en(words[0])
        rest = ()
    else:
        firsts = frozenset({words[0]})
        rest = tuple(frozenset({w}) for w in words[1:-1]) + (inflections_en(words[-1]),)
    pattern = _Pattern(rest, False, entry)
    for first in sorted(firsts):
        yield first, pattern


def _side(language: str | None) -> str:
    if not language:
        return ANY
    code = language.strip().lower().replace("_", "-").split("-")[0]
    if code in _INDONESIAN:
        return "id"
    if code in _ENGLISH:
        return "en"
    return ANY


class Lexicon:
    """Compiled look-up tables; build one with load_lexicon(), then tag with tag_text()."""

    def __init__(
        self,
        entries: Sequence[tuple[Entry, Sequence[Form]]],
        topics: dict[str, TopicInfo],
    ) -> None:
        self.topics = dict(topics)
        self.entries = tuple(entry for entry, _ in entries)
        # Topic terms are matched against one side of the lexicon when the language is known
        # (English loanwords such as "campaign" in Indonesian marketing copy must not count);
        # mentions are names and match in any language.
        self._topic_tables = {side: _Table() for side in ("id", "en", ANY)}
        self._entity_table = _Table()
        self._region_table = _Table()
        for literal in (True, False):
            for entry, forms in entries:
                for form in forms:
                    if not literal and not form.inflect:
                        continue
                    make = _literal_patterns if literal else _inflected_patterns
                    for key, pattern in make(form, entry):
                        for table in self._tables_for(entry, form):
                            table.add(key, pattern, literal=literal)

    def _tables_for(self, entry: Entry, form: Form) -> list[_Table]:
        if entry.layer == ENTITY:
            return [self._entity_table]
        if entry.layer == REGION:
            return [self._region_table]
        if entry.group == IGNORE:  # ignored phrases guard every side
            return list(self._topic_tables.values())
        return [self._topic_tables[form.side], self._topic_tables[ANY]]

    def tag(
        self, title: str | None, body: str | None, language: str | None = None
    ) -> dict[str, object]:
        """Keywords, topics, entities and regions of a text; see tag_text()."""
        title_words = tokenize(title)
        # An empty word between title and body keeps phrases from spanning the two.
        words = title_words + [""] + tokenize(body)
        lowered = [w.lower() for w in words]
        headline = len(title_words) if _is_headline_style(title_words) else 0
        keywords: set[str] = set()
        topics: set[str] = set()
        for entry in _scan(self._topic_tables[_side(language)], words, lowered, headline):
            if entry.group != IGNORE:
                keywords.add(entry.name)
                topics.add(entry.group)
        entities: dict[str, set[str]] = {group: set() for group in ENTITY_GROUPS}
        for entry in _scan(self._entity_table, words, lowered, headline):
            if entry.group != IGNORE:
                entities[entry.group].add(entry.name)
        regions: set[str] = set()
        for entry in _scan(self._region_table, words, lowered, headline):
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
        table = self._topic_tables[_side(language)]
        found = chain(table.lower.get(word.lower(), ()), table.exact.get(word, ()))
        return sorted({p.entry.name for p in found if p.size == 1 and p.entry.group != IGNORE})


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
    return entry.not_near is None or entry.not_near.isdisjoint(window)


def _scan(table: _Table, words: list[str], lowered: list[str], headline: int = 0) -> list[Entry]:
    """Left to right, the longest pattern at each position; its words are then consumed.

    The first `headline` words are a headline-style title, where only acronyms are matched
    case-sensitively.
    """
    found: list[Entry] = []
    lower_get = table.lower.get
    exact_get = table.exact.get
    acronym_get = table.acronyms.get
    count = len(words)
    i = 0
    while i < count:
        by_lower = lower_get(lowered[i])
        by_exact = acronym_get(words[i]) if i < headline else exact_get(words[i])
        if by_lower is None and by_exact is None:
            i += 1
            continue
        best_size = 0
        best: list[Entry] = []
        for pattern in chain(by_lower or (), by_exact or ()):
            size = pattern.size
            if size < best_size or i + size > count:
                continue
            if size > 1:
                seq = words if pattern.case_sensitive else lowered
                if not all(seq[i + k] in allowed for k, allowed in enumerate(pattern.rest, 1)):
                    continue
            entry = pattern.entry
            if (entry.near is not None or entry.not_near is not None) and not _context_allows(
                entry, lowered, i, i + size
            ):
                continue
            if size > best_size:
                best_size, best = size, [entry]
            elif entry not in best:
                best.append(entry)
        if best_size:
            found.extend(best)
            i += best_size
        else:
            i += 1
    return found
