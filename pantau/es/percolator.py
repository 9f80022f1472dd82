"""Saved queries in the percolator index: one document per alert rule.

A rule (``pantau.alerts.rules.Rule``: ``id``, ``name``, ``query`` in Lucene syntax, ``filters``
with ``language``/``sources``/``topics`` lists, ``severity``) becomes a ``query_string`` over the
analysed text fields, with the same choices as search (bare terms AND-ed, quoted phrases on the
unstemmed ``.exact`` subfields, the query language's short field names), plus term filters.
Percolating an article then names every rule it matches, on the cluster, at index time or later.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pantau.es.errors import api_reason
from pantau.es.index_config import config_dir
from pantau.es.names import IndexNames
from pantau.es.query import query_string
from pantau.es.setup import Change

FILTER_FIELDS = {"language": "language", "sources": "source", "topics": "topics"}


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def rule_query(rule: Any) -> dict[str, Any]:
    """The Elasticsearch query a rule stands for."""
    clauses: dict[str, Any] = {"must": [query_string(rule.query)]}
    filters = []
    for key, field in FILTER_FIELDS.items():
        values = _as_list((getattr(rule, "filters", None) or {}).get(key))
        if values:
            filters.append({"terms": {field: values}})
    if filters:
        clauses["filter"] = filters
    return {"bool": clauses}


def saved_query_document(rule: Any) -> dict[str, Any]:
    return {
        "query": rule_query(rule),
        "rule": {
            "id": str(rule.id),
            "name": str(getattr(rule, "name", "") or rule.id),
            "severity": str(getattr(rule, "severity", "") or ""),
            "query": rule.query,
        },
    }


MAX_RULES = 10_000  # one search page; rule folders are far smaller


def _stored(client: Any, alias: str) -> dict[str, dict[str, Any]]:
    found = client.search(index=alias, query={"match_all": {}}, size=MAX_RULES).body
    return {hit["_id"]: hit.get("_source", {}) for hit in found.get("hits", {}).get("hits", [])}


def register_saved_queries(
    client: Any, rules: Sequence[Any], names: IndexNames | None = None
) -> list[Change]:
    """Make the percolator index hold exactly ``rules``: add, update, remove; report each."""
    from elasticsearch import ApiError

    names = names or IndexNames()
    alias = names.queries
    stored = _stored(client, alias)
    changes: list[Change] = []
    wrote = False
    wanted: set[str] = set()
    for rule in rules:
        rule_id = str(rule.id)
        wanted.add(rule_id)
        document = saved_query_document(rule)
        if stored.get(rule_id) == document:
            changes.append(Change("unchanged", "saved query", rule_id))
            continue
        try:
            client.index(index=alias, id=rule_id, document=document)
        except ApiError as exc:
            reason = api_reason(exc)
            changes.append(Change("error", "saved query", rule_id, reason))
            continue
        wrote = True
        changes.append(
            Change("updated" if rule_id in stored else "created", "saved query", rule_id)
        )
    for rule_id in sorted(set(stored) - wanted):
        client.delete(index=alias, id=rule_id)
        wrote = True
        changes.append(Change("removed", "saved query", rule_id, "its rule file is gone"))
    if wrote:
        client.indices.refresh(index=alias)
    return changes


def percolate(
    client: Any, documents: Iterable[Mapping[str, Any]], names: IndexNames | None = None
) -> list[list[dict[str, Any]]]:
    """For each document, the rules it matches: ``[{"id", "name", "severity"}, ...]``."""
    from pantau.es.documents import to_document

    names = names or IndexNames()
    docs = [to_document(doc) for doc in documents]
    if not docs:
        return []
    found = client.search(
        index=names.queries,
        query={"percolate": {"field": "query", "documents": docs}},
        source=["rule.id", "rule.name", "rule.severity"],
        size=1000,
    ).body
    matches: list[list[dict[str, Any]]] = [[] for _ in docs]
    for hit in found.get("hits", {}).get("hits", []):
        rule = hit.get("_source", {}).get("rule", {})
        slots = hit.get("fields", {}).get("_percolator_document_slot", [0])
        for slot in slots:
            matches[int(slot)].append(
                {"id": rule.get("id"), "name": rule.get("name"), "severity": rule.get("severity")}
            )
    return matches


def load_saved_rules(folder: str | Path | None = None) -> tuple[list[Any], list[str]] | None:
    """Rules from the alert-rule folder, or None when pantau.alerts is not installed."""
    try:
        from pantau.alerts.rules import load_rules
    except ImportError:
        return None
    target = folder or os.environ.get("PANTAU_QUERIES") or config_dir() / "queries"
    return load_rules(Path(target))
