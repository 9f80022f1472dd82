"""Ingest-time matching agrees with the store's search, query and filters alike."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from test_alerts_starter import CASES

from pantau.alerts import load_rules, passes_filters, rule_where
from pantau.alerts.rules import rule_from_mapping
from pantau.query import PreparedDoc, matches
from pantau.store import SqliteStore
from pantau.urls import doc_id

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".." / "shared" / "data"
SOURCES = ["antara", "detik", "kompas", "tempo"]
TOPIC_SETS = [[], ["pemilu"], ["pemilu", "hoaks"], ["ekonomi"]]
LANGUAGES = ["id", "id", "ms", None]

# Queries beyond the starter set that exercise every leaf kind the compiler has.
EXTRA_QUERIES = [
    "kampanye",
    'title:"politik uang"',
    "pemilu AND NOT hoaks",
    "ancam* OR teror*",
    "k?mpanye OR *rekap",
    '"serangan fajar"~3',
    "source:tempo AND (Keliru OR hoaks)",
    "topics:pemilu OR language:ms",
    "published_at:[2024-02-01 TO 2024-02-10]",
    "suara -KPU",
]


def _doc(n: int, title: str, body: str, published: str | None) -> dict[str, Any]:
    url = f"https://{SOURCES[n % 4]}.example/berita/{n}"
    return {
        "id": doc_id(url),
        "url": url,
        "canonical_url": url,
        "source": SOURCES[n % 4],
        "title": title,
        "body": body,
        "published_at": published,
        "language": LANGUAGES[n % 4],
        "topics": TOPIC_SETS[(n // 4) % 4],
    }


def _real_texts(limit: int = 600) -> list[tuple[str, str]]:
    """Indonesian titles and texts nobody on the project wrote: RSS items and labelled lines."""
    texts = []
    for feed in sorted((DATA / "feeds").glob("*.xml")):
        for item in ET.parse(feed).getroot().iter("item"):
            texts.append((item.findtext("title") or "", item.findtext("description") or ""))
    with (DATA / "langid" / "labelled.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["lang"] in ("ind", "zsm") and len(texts) < limit:
                texts.append(("", record["text"]))
    return texts


def corpus() -> list[dict[str, Any]]:
    texts = [(sentence, "") for _, sentence, _ in CASES] + [("", s) for _, s, _ in CASES]
    if DATA.is_dir():
        texts += _real_texts()
    docs = []
    for n, (title, body) in enumerate(texts):
        published = f"2024-02-{n % 28 + 1:02d}T{n % 24:02d}:15:00+07:00" if n % 5 else None
        docs.append(_doc(n, title, body, published))
    return docs


def _rules() -> list:
    rules, errors = load_rules(REPO / "index_config" / "queries")
    assert errors == []
    for n, text in enumerate(EXTRA_QUERIES):
        rules.append(rule_from_mapping({"id": f"extra-{n}", "name": text, "query": text}))
    return rules


RULES = _rules()


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[SqliteStore, list[PreparedDoc]]:
    store = SqliteStore(tmp_path_factory.mktemp("agree") / "pantau.db")
    docs = corpus()
    with store.transaction():
        for doc in docs:
            store.upsert(doc)
    yield store, [PreparedDoc(doc) for doc in docs]
    store.close()


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_pipeline_matching_agrees_with_store_search(stored, rule) -> None:
    store, prepared = stored
    hits = [p.doc for p in prepared if matches(rule.compiled, p)]
    searched = {hit["id"] for hit in store.search(rule.query, limit=len(prepared) + 1)}
    assert {doc["id"] for doc in hits} == searched
    # the rule as a whole (query and filters) agrees with the SQL the CLI runs
    where, params = rule_where(rule)
    selected = {doc["id"] for doc in store.iter_documents(where, tuple(params))}
    assert {doc["id"] for doc in hits if passes_filters(rule, doc)} == selected
    # a vacuous agreement (nothing or everything) would prove little
    assert 0 < len(hits) < len(prepared)
    if not rule.id.startswith("extra") and DATA.is_dir():
        # among general news (the real feeds and sentences) a saved query is a needle, not a
        # topic; the written cases alone are all election sentences, so there it cannot be
        assert len(hits) < len(prepared) / 10


@pytest.mark.parametrize(
    ("filters", "doc", "passes"),
    [
        ({}, {"language": "ms"}, True),
        ({"language": ["id"]}, {"language": "id"}, True),
        ({"language": ["ID"]}, {"language": "id"}, True),
        ({"language": ["id"]}, {"language": "ms"}, False),
        ({"language": ["id"]}, {}, False),
        ({"sources": ["detik", "kompas"]}, {"source": "Kompas"}, True),
        ({"sources": ["detik"]}, {"source": "tempo"}, False),
        ({"topics": ["pemilu"]}, {"topics": ["ekonomi", "pemilu"]}, True),
        ({"topics": ["pemilu"]}, {"topics": ["ekonomi"]}, False),
        ({"topics": ["pemilu"]}, {"topics": None}, False),
        ({"language": ["id"], "topics": ["pemilu"]}, {"language": "id", "topics": []}, False),
    ],
)
def test_passes_filters(filters: dict, doc: dict, passes: bool) -> None:
    rule = rule_from_mapping({"id": "r", "name": "r", "query": "*", "filters": filters})
    assert passes_filters(rule, doc) is passes
