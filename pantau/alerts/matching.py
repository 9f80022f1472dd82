"""Whether a rule hits a document: the same answer in memory (ingest) and in SQL (the store).

The query half is ``pantau.query`` (one compiler, two evaluators that agree); this module adds
the rule's filters on both sides with the same meaning: an empty filter list lets everything
through, comparisons ignore case, and ``topics`` passes when any topic is listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pantau.alerts.rules import Rule
from pantau.query import PreparedDoc, matched_terms, matches, to_sql


def passes_filters(rule: Rule, doc: Mapping[str, Any]) -> bool:
    """True when the document's language, source and topics satisfy the rule's filters."""
    languages = _folded(rule.filters.get("language"))
    if languages and str(doc.get("language") or "").lower() not in languages:
        return False
    sources = _folded(rule.filters.get("sources"))
    if sources and str(doc.get("source") or "").lower() not in sources:
        return False
    topics = _folded(rule.filters.get("topics"))
    if topics:
        have = doc.get("topics") or []
        if isinstance(have, str):
            have = [have]
        if not topics.intersection(str(t).lower() for t in have):
            return False
    return True


def rule_hits(rule: Rule, doc: Mapping[str, Any] | PreparedDoc) -> list[str] | None:
    """The matched terms when the rule hits the document (possibly empty), else None."""
    prepared = doc if isinstance(doc, PreparedDoc) else PreparedDoc(doc)
    if not passes_filters(rule, prepared.doc) or not matches(rule.compiled, prepared):
        return None
    return matched_terms(rule.compiled, prepared)


def rule_where(rule: Rule, alias: str = "documents") -> tuple[str, list[Any]]:
    """A WHERE clause over ``documents AS alias`` selecting what ``rule_hits`` accepts."""
    where, params = to_sql(rule.compiled, alias)
    clauses = [where]
    for key, column in (("language", "language"), ("sources", "source")):
        values = sorted(_folded(rule.filters.get(key)))
        if values:
            clauses.append(f"lower({alias}.{column}) IN ({', '.join('?' for _ in values)})")
            params.extend(values)
    topics = sorted(_folded(rule.filters.get("topics")))
    if topics:
        clauses.append(
            f"EXISTS (SELECT 1 FROM json_each({alias}.topics) "
            f"WHERE lower(json_each.value) IN ({', '.join('?' for _ in topics)}))"
        )
        params.extend(topics)
    return " AND ".join(clauses), params


def _folded(values: list[str] | None) -> set[str]:
    return {v.lower() for v in values or ()}
