"""Analysts' Lucene query syntax, compiled once and evaluated two ways that must agree.

``compile_query`` turns the text analysts type into Kibana into a small tree. The tree renders
to SQL over the embedded store (FTS5 leaves joined by SQL booleans) and matches item dicts in
memory (the alert pipeline). Both sides tokenize like FTS5's ``unicode61 remove_diacritics 2``:
runs of letters and digits, lower-cased, accents stripped. A bare list of terms means AND, as
in the Elasticsearch back end, so that a search narrows as words are added.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from luqum import tree
from luqum.exceptions import ParseError
from luqum.parser import parser

from pantau.times import iso_to_epoch

TEXT_FIELDS = ("title", "body")
KEYWORD_FIELDS = (
    "id",
    "source",
    "source_type",
    "section",
    "language",
    "cluster_id",
    "url",
    "verdict",
    "verdict_label",
)
LIST_FIELDS = ("topics", "keywords", "regions", "tags", "authors")
DATE_FIELDS = ("published_at", "modified_at", "crawled_at")
FIELD_ALIASES = {"outlet": "source", "lang": "language", "topic": "topics", "keyword": "keywords"}

_TOKEN = re.compile(r"[^\W_]+")


class QueryError(ValueError):
    """The query text cannot be understood; the message says where."""


def tokenize(text: str | None) -> list[str]:
    """Lower-cased, accent-free word tokens, as FTS5's unicode61 tokenizer cuts them."""
    if not text:
        return []
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _TOKEN.findall(folded)


# -- the tree -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    """Words that must appear in order (one word is a phrase of one) in title/body."""

    words: tuple[str, ...]
    fields: tuple[str, ...] = TEXT_FIELDS
    prefix: bool = False  # last word is a prefix (kamp*)
    pattern: str | None = None  # other wildcards (k?mpanye, *anye): matched per token
    slop: int = 0


@dataclass(frozen=True)
class Keyword:
    field: str
    value: str  # lower-cased; may hold * and ? wildcards


@dataclass(frozen=True)
class DateRange:
    field: str
    low: float | None
    high: float | None


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class MatchAll:
    pass


Node = Text | Keyword | DateRange | And | Or | Not | MatchAll


@dataclass
class Query:
    text: str
    root: Node
    positive_terms: list[Text] = field(default_factory=list)


def compile_query(text: str) -> Query:
    """Parse Lucene query syntax; raise QueryError naming the problem."""
    stripped = text.strip()
    if not stripped or stripped == "*":
        return Query(text, MatchAll())
    try:
        ast = parser.parse(stripped)
    except (ParseError, TypeError, ValueError) as exc:
        raise QueryError(f"cannot parse query {text!r}: {exc}") from exc
    root = _convert(ast, None)
    query = Query(text, root)
    _collect_positive(root, False, query.positive_terms)
    return query


def _convert(node: tree.Item, fld: str | None) -> Node:
    if isinstance(node, tree.SearchField):
        name = FIELD_ALIASES.get(node.name.lower(), node.name.lower())
        known = TEXT_FIELDS + KEYWORD_FIELDS + LIST_FIELDS + DATE_FIELDS
        if name not in known:
            raise QueryError(f"unknown field {node.name!r}; fields are: {', '.join(known)}")
        return _convert(node.expr, name)
    if isinstance(node, tree.Group | tree.FieldGroup):
        return _convert(node.expr, fld)
    if isinstance(node, tree.AndOperation):
        return And(tuple(_convert(c, fld) for c in node.children))
    if isinstance(node, tree.OrOperation):
        return Or(tuple(_convert(c, fld) for c in node.children))
    if isinstance(node, tree.UnknownOperation | tree.BoolOperation):
        return _implicit(node.children, fld)
    if isinstance(node, tree.Not | tree.Prohibit):
        return Not(_convert(node.a, fld))
    if isinstance(node, tree.Plus):
        return _convert(node.a, fld)
    if isinstance(node, tree.Proximity):
        inner = _convert(node.term, fld)
        if isinstance(inner, Text):
            return Text(inner.words, inner.fields, slop=int(node.degree or 1))
        return inner
    if isinstance(node, tree.Fuzzy):
        return _convert(node.term, fld)
    if isinstance(node, tree.Boost):
        return _convert(node.expr, fld)
    if isinstance(node, tree.Range):
        return _range(node, fld)
    if isinstance(node, tree.Phrase):
        return _leaf(node.value[1:-1], fld, phrase=True)
    if isinstance(node, tree.Term):  # Word and Regex
        return _leaf(node.value, fld, phrase=False)
    raise QueryError(f"unsupported query part {str(node)!r}")


def _implicit(children: list[tree.Item], fld: str | None) -> Node:
    """Space-separated parts: AND, with analysts' shorthand ``&&`` / ``||`` / ``!x`` honoured."""
    parts: list[Node] = []
    pending_or = False
    for child in children:
        word = child.value if isinstance(child, tree.Word) else None
        if word in ("&&", "AND"):
            continue
        if word in ("||", "OR"):
            pending_or = True
            continue
        if word and word.startswith("!") and len(word) > 1:
            node: Node = Not(_leaf(word[1:], fld, phrase=False))
        else:
            node = _convert(child, fld)
        if pending_or and parts:
            prev = parts.pop()
            node = Or((prev, node))
            pending_or = False
        parts.append(node)
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def _leaf(raw: str, fld: str | None, *, phrase: bool) -> Node:
    value = raw.replace("\\", "")
    if fld in KEYWORD_FIELDS or fld in LIST_FIELDS:
        return Keyword(fld, value.lower())
    if fld in DATE_FIELDS:
        low, high = _day_bounds(value)
        return DateRange(fld, low, high)
    fields = (fld,) if fld else TEXT_FIELDS
    if not phrase and any(ch in value for ch in "*?"):
        core = value.rstrip("*")
        if "*" not in core and "?" not in core and core:
            words = tokenize(core)
            if words:
                return Text(tuple(words), fields, prefix=True)
        pattern = unicodedata.normalize("NFKD", value.lower())
        return Text((), fields, pattern=pattern)
    words = tokenize(value)
    if not words:
        raise QueryError(f"{raw!r} has no searchable word")
    return Text(tuple(words), fields)


def _day_bounds(value: str) -> tuple[float | None, float | None]:
    moment = parse_when(value)
    if moment is None:
        raise QueryError(f"cannot read date {value!r}")
    if len(value.strip()) <= 10:  # a bare day covers the whole day
        return moment.timestamp(), (moment + timedelta(days=1)).timestamp() - 1e-6
    return moment.timestamp(), moment.timestamp()


def _range(node: tree.Range, fld: str | None) -> Node:
    if fld not in DATE_FIELDS:
        raise QueryError(f"ranges work on date fields ({', '.join(DATE_FIELDS)}), not {fld!r}")
    bounds = []
    for raw, is_high in ((str(node.low), False), (str(node.high), True)):
        if raw == "*":
            bounds.append(None)
            continue
        low, high = _day_bounds(raw.strip('"'))
        bounds.append(high if is_high else low)  # an inclusive bare day covers the whole day
    return DateRange(fld, bounds[0], bounds[1])


def parse_when(value: str, now: datetime | None = None) -> datetime | None:
    """A point in time from an ISO date/time, or a relative ``24h``/``7d``/``2w`` before now.

    Dates without a zone are read in WIB, the zone analysts work in.
    """
    value = value.strip()
    rel = re.fullmatch(r"(\d+)\s*([mhdw])", value)
    if rel:
        unit = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[rel.group(2)]
        return (now or datetime.now().astimezone()) - timedelta(**{unit: int(rel.group(1))})
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(value), time())
        except ValueError:
            return None
    if moment.tzinfo is None:
        from datetime import timezone

        moment = moment.replace(tzinfo=timezone(timedelta(hours=7)))
    return moment


def _collect_positive(node: Node, negated: bool, out: list[Text]) -> None:
    if isinstance(node, Text) and not negated and node.words:
        out.append(node)
    elif isinstance(node, And | Or):
        for child in node.children:
            _collect_positive(child, negated, out)
    elif isinstance(node, Not):
        _collect_positive(node.child, not negated, out)


# -- in-memory matching (ingest-time alerts) -------------------------------------------------------
class PreparedDoc:
    """An item's text tokenized once, so many queries can be matched against it cheaply."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self.tokens = {name: tokenize(doc.get(name)) for name in TEXT_FIELDS}
        self._sets: dict[str, set[str]] = {}

    def token_set(self, name: str) -> set[str]:
        if name not in self._sets:
            self._sets[name] = set(self.tokens[name])
        return self._sets[name]


def matches(query: Query, doc: Mapping[str, Any] | PreparedDoc) -> bool:
    prepared = doc if isinstance(doc, PreparedDoc) else PreparedDoc(doc)
    return _eval(query.root, prepared)


def matched_terms(query: Query, doc: Mapping[str, Any] | PreparedDoc) -> list[str]:
    """The positive words and phrases of the query that occur in the document."""
    prepared = doc if isinstance(doc, PreparedDoc) else PreparedDoc(doc)
    found = []
    for leaf in query.positive_terms:
        if _eval(leaf, prepared):
            label = " ".join(leaf.words) + ("*" if leaf.prefix else "")
            if label not in found:
                found.append(label)
    return found


def _eval(node: Node, doc: PreparedDoc) -> bool:
    if isinstance(node, And):
        return all(_eval(child, doc) for child in node.children)
    if isinstance(node, Or):
        return any(_eval(child, doc) for child in node.children)
    if isinstance(node, Not):
        return not _eval(node.child, doc)
    if isinstance(node, MatchAll):
        return True
    if isinstance(node, Text):
        return any(_text_in(node, doc, name) for name in node.fields)
    if isinstance(node, Keyword):
        return _keyword_in(node, doc.doc.get(node.field))
    if isinstance(node, DateRange):
        moment = iso_to_epoch(doc.doc.get(node.field))
        if moment is None:
            return False
        return (node.low is None or moment >= node.low) and (
            node.high is None or moment <= node.high
        )
    raise TypeError(node)


def _keyword_in(node: Keyword, value: Any) -> bool:
    values = value if isinstance(value, list | tuple) else [value]
    for item in values:
        if item is None:
            continue
        text = str(item).lower()
        if ("*" in node.value or "?" in node.value) and fnmatch.fnmatchcase(text, node.value):
            return True
        if text == node.value:
            return True
    return False


def _text_in(node: Text, doc: PreparedDoc, name: str) -> bool:
    tokens = doc.tokens[name]
    if node.pattern is not None:
        return any(fnmatch.fnmatchcase(tok, node.pattern) for tok in doc.token_set(name))
    words = node.words
    present = doc.token_set(name)
    exact = words[:-1] if node.prefix else words
    # A cheap set test first: most documents lack some word, and scanning positions is slow.
    if not all(w in present for w in exact):
        return False
    if len(words) == 1 and not node.prefix:
        return True
    if node.slop:
        return _near(tokens, words, node.slop)
    last = len(words) - 1
    for start in range(len(tokens) - last):
        if all(
            tokens[start + i].startswith(w)
            if (node.prefix and i == last)
            else tokens[start + i] == w
            for i, w in enumerate(words)
        ):
            return True
    return False


def _near(tokens: list[str], words: tuple[str, ...], slop: int) -> bool:
    """FTS5 NEAR semantics: one occurrence of every word inside a window of len+slop tokens."""
    positions = [[i for i, tok in enumerate(tokens) if tok == w] for w in words]
    if not all(positions):
        return False
    limit = len(words) + slop - 1
    starts = sorted({p for pos in positions for p in pos})
    return any(all(any(lo <= p <= lo + limit for p in pos) for pos in positions) for lo in starts)


# -- SQL over the embedded store --------------------------------------------------------------
def to_sql(query: Query, alias: str = "d") -> tuple[str, list[Any]]:
    """A WHERE clause over ``documents AS alias`` with the same meaning as ``matches``."""
    params: list[Any] = []
    return _sql(query.root, alias, params), params


def fts_rank_expression(query: Query) -> str | None:
    """An FTS5 MATCH string OR-ing the positive words, for bm25 ranking; None if there are none."""
    parts = [_fts(leaf) for leaf in query.positive_terms]
    return " OR ".join(f"({p})" for p in parts) if parts else None


def _fts(node: Text) -> str:
    quoted = " ".join(f'"{w}"' for w in node.words)
    if node.slop:
        inner = f"NEAR({quoted}, {node.slop})"
    elif len(node.words) > 1:
        inner = '"' + " ".join(node.words) + '"' + (" *" if node.prefix else "")
    else:
        inner = quoted + (" *" if node.prefix else "")
    cols = " ".join(node.fields)
    return f"{{{cols}}} : {inner}"


def _sql(node: Node, alias: str, params: list[Any]) -> str:
    if isinstance(node, And):
        return "(" + " AND ".join(_sql(c, alias, params) for c in node.children) + ")"
    if isinstance(node, Or):
        return "(" + " OR ".join(_sql(c, alias, params) for c in node.children) + ")"
    if isinstance(node, Not):
        return f"(NOT {_sql(node.child, alias, params)})"
    if isinstance(node, MatchAll):
        return "1"
    if isinstance(node, Text):
        if node.pattern is not None:
            params.extend([node.pattern, ",".join(node.fields)])
            return f"pantau_wildcard(?, ?, {alias}.title, {alias}.body)"
        params.append(_fts(node))
        return f"{alias}.rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)"
    if isinstance(node, Keyword):
        wild = "*" in node.value or "?" in node.value
        op = "GLOB" if wild else "="
        params.append(node.value)
        if node.field in LIST_FIELDS:
            return (
                f"EXISTS (SELECT 1 FROM json_each({alias}.{node.field}) "
                f"WHERE lower(json_each.value) {op} ?)"
            )
        # coalesce: a missing value does not match, so NOT matches it, as in memory (NULL = x
        # would make both the term and its negation unknown)
        return f"coalesce(lower({alias}.{node.field}) {op} ?, 0)"
    if isinstance(node, DateRange):
        col = f"pantau_epoch({alias}.{node.field})"
        clauses = []
        if node.low is not None:
            params.append(node.low)
            clauses.append(f"{col} >= ?")
        if node.high is not None:
            params.append(node.high)
            clauses.append(f"{col} <= ?")
        return "(" + (" AND ".join(clauses) or f"{col} IS NOT NULL") + ")"
    raise TypeError(node)


def register_sql_functions(conn: Any) -> None:
    """The helpers the compiled SQL calls; registered on every store connection."""

    def wildcard(pattern: str, fields: str, title: str | None, body: str | None) -> int:
        texts = {"title": title, "body": body}
        return int(
            any(
                fnmatch.fnmatchcase(tok, pattern)
                for name in fields.split(",")
                for tok in set(tokenize(texts[name]))
            )
        )

    conn.create_function("pantau_wildcard", 4, wildcard, deterministic=True)
    conn.create_function("pantau_epoch", 1, iso_to_epoch, deterministic=True)
