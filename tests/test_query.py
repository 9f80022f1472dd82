"""The query language: table-driven, and the two evaluators (SQL and in-memory) agreeing."""

import pytest

from pantau.query import QueryError, compile_query, matched_terms, matches, tokenize
from pantau.store import SqliteStore

DOCS = [
    {
        "id": "rep1",
        "source": "republika",
        "section": "Politik",
        "language": "id",
        "topics": ["pemilu", "politik-uang"],
        "title": "Bawaslu Temukan Politik Uang Jelang Pemungutan Suara",
        "body": "Bawaslu menemukan dugaan politik uang. Serangan fajar diawasi di Jombang.",
        "published_at": "2024-02-10T08:00:00+07:00",
    },
    {
        "id": "nan1",
        "source": "nanjombangnews",
        "section": "Berita",
        "language": "id",
        "topics": ["hoaks"],
        "title": "Kominfo Blokir 1.321 Konten Hoaks Pemilu",
        "body": "Kementerian memblokir konten hoaks. Cek fakta dilakukan bersama KPU.",
        "published_at": "2024-01-21T10:00:00+07:00",
    },
    {
        "id": "rep2",
        "source": "republika",
        "section": "Olahraga",
        "language": "id",
        "topics": [],
        "title": "Persebaya Menang Tipis",
        "body": "Pertandingan berlangsung ricuh di menit akhir, tetapi tanpa korban.",
        "published_at": "2024-02-11T19:30:00+07:00",
    },
    {
        "id": "en1",
        "source": "jakpost",
        "section": "Politics",
        "language": "en",
        "topics": ["hoaks"],
        "title": "Election body fights hoaxes",
        "body": "The General Elections Commission (KPU) said hoax content spiked. Café owners…",
        "published_at": None,
    },
]

CASES = [
    ("kpu", {"nan1", "en1"}),
    ("KPU", {"nan1", "en1"}),
    ('"politik uang"', {"rep1"}),
    ('"uang politik"', set()),
    ('"politik uang" OR "serangan fajar"', {"rep1"}),
    ("hoaks kpu", {"nan1"}),
    ("hoaks AND kpu", {"nan1"}),
    ("hoaks OR ricuh", {"nan1", "rep2"}),
    ("kpu -hoaks", {"en1"}),
    ("kpu NOT hoaks", {"en1"}),
    ("NOT kpu", {"rep1", "rep2"}),
    ("(hoaks OR hoax*) AND NOT source:nanjombangnews", {"en1"}),
    ("blokir*", {"nan1"}),
    ("memblok?r", {"nan1"}),
    ("*blokir", {"nan1"}),
    ("title:hoaks", {"nan1"}),
    ("body:hoaks", {"nan1"}),
    ("title:bawaslu AND body:jombang", {"rep1"}),
    ("source:republika", {"rep1", "rep2"}),
    ("source:REPUBLIKA", {"rep1", "rep2"}),
    ("section:politik", {"rep1"}),
    ("language:en", {"en1"}),
    ("topics:hoaks", {"nan1", "en1"}),
    ("topic:politik-uang", {"rep1"}),
    ("source:nanjom*", {"nan1"}),
    ('"pemungutan suara"~0', {"rep1"}),
    ('"bawaslu fajar"~8', {"rep1"}),
    ('"bawaslu fajar"~2', set()),
    ("cafe", {"en1"}),
    ("1.321", {"nan1"}),
    ("published_at:[2024-02-01 TO 2024-02-28]", {"rep1", "rep2"}),
    ("published_at:2024-01-21", {"nan1"}),
    ("published_at:[* TO 2024-02-10]", {"rep1", "nan1"}),
    ("*", {"rep1", "nan1", "rep2", "en1"}),
    ("hoaks && !kpu", set()),
    ("ricuh || fajar", {"rep1", "rep2"}),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = SqliteStore(tmp_path_factory.mktemp("q") / "q.db")
    for doc in DOCS:
        store.upsert({**doc, "url": f"https://x.id/{doc['id']}", "canonical_url": doc["id"]})
    yield store
    store.close()


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_memory_matching(text, expected):
    query = compile_query(text)
    assert {d["id"] for d in DOCS if matches(query, d)} == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_store_search_agrees(store, text, expected):
    assert {hit["id"] for hit in store.search(text, limit=100)} == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour:red", "unknown field 'colour'"),
        ("(pemilu", "cannot parse"),
        ("published_at:kemarin", "cannot read date"),
        ("source:[a TO b]", "ranges work on date fields"),
        ('"!!"', "no searchable word"),
    ],
)
def test_bad_queries_say_what_is_wrong(text, message):
    with pytest.raises(QueryError, match=message):
        compile_query(text)


def test_tokenizer_matches_fts5_rules():
    assert tokenize("Bagi-bagi AMPLOP, café 1.321!") == [
        "bagi",
        "bagi",
        "amplop",
        "cafe",
        "1",
        "321",
    ]
    assert tokenize(None) == []


def test_matched_terms_lists_only_what_occurs():
    query = compile_query('"politik uang" OR "serangan fajar" OR "bagi-bagi amplop"')
    assert matched_terms(query, DOCS[0]) == ["politik uang", "serangan fajar"]


def test_ranking_prefers_title_hits_and_filters_by_time(store):
    hits = store.search("hoaks OR bawaslu", limit=10)
    assert hits[0]["score"] >= hits[-1]["score"]
    assert [h["id"] for h in store.search("hoaks", since="2024-01-22")] == []
    assert [h["id"] for h in store.search("hoaks", until="2024-01-21")] == ["nan1"]
    assert [h["id"] for h in store.search("*", source="jakpost")] == ["en1"]
