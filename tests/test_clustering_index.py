"""The story-cluster index on a plain SQLite connection: who clusters with whom, who is first."""

import random
import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from pantau.clustering import (
    ClusterIndex,
    IndexMismatch,
    SameSourceCopy,
    body_shingles,
    cluster_summary,
)
from pantau.clustering.synthetic import (
    ArticleGenerator,
    add_tail,
    keep_paragraphs,
    new_first_line,
    swap_sentences,
    typos,
)
from pantau.urls import content_hash

FIXTURES = Path(__file__).parent / "fixtures" / "clustering"
SEED_COPY = (FIXTURES / "seed-nanjombangnews.txt").read_text("utf-8")
SEED_ORIGINAL = (FIXTURES / "seed-republika-original.txt").read_text("utf-8")
SAME_TOPIC = {
    "bawaslu": (FIXTURES / "same-topic-bawaslu.txt").read_text("utf-8"),
    "kominfo": (FIXTURES / "same-topic-kominfo-hoaks.txt").read_text("utf-8"),
}
DAY = 86400.0


@pytest.fixture
def db(tmp_path):
    conn = sqlite3.connect(tmp_path / "clusters.db")
    yield conn
    conn.close()


def add(index, doc_id, source, body, published=None, seen=None, title="t"):
    return index.add(
        doc_id,
        source=source,
        body=body,
        content_hash=content_hash(title, body),
        published_ts=published,
        seen_ts=seen,
    )


def jaccard(a, b):
    sa, sb = body_shingles(a), body_shingles(b)
    return len(sa & sb) / len(sa | sb)


def test_seed_copy_clusters_with_the_republika_original(db):
    index = ClusterIndex(db)
    original = add(index, "rep", "republika", SEED_ORIGINAL, published=10 * DAY)
    copy = add(index, "nj", "nanjombangnews", SEED_COPY, published=11 * DAY)
    assert original.match == "new" and original.duplicate_of is None
    assert copy.match == "near"
    assert (copy.cluster_id, copy.duplicate_of, copy.matched_id) == ("rep", "rep", "rep")
    assert copy.similarity >= index.threshold


@pytest.mark.parametrize("other", sorted(SAME_TOPIC))
def test_same_topic_different_story_does_not_cluster(db, other):
    index = ClusterIndex(db)
    add(index, "rep", "republika", SEED_ORIGINAL)
    add(index, "nj", "nanjombangnews", SEED_COPY)
    placed = add(index, other, "other", SAME_TOPIC[other])
    assert (placed.match, placed.cluster_id, placed.duplicate_of) == ("new", other, None)
    # The two texts share election vocabulary, just far below the threshold.
    assert 0 < jaccard(SAME_TOPIC[other], SEED_ORIGINAL) < index.threshold / 3


def _edits():
    rng = random.Random(5)
    return {
        "new first line": lambda t: new_first_line(t, "LokalNews – Kominfo siapkan strategi"),
        "typos": lambda t: typos(t, 0.03, rng),
        "swapped sentences": lambda t: swap_sentences(t, 3, rng),
        "Check Also tail": lambda t: add_tail(t, ["Biaya Haji Rp 69 Juta", "Teaser lain"]),
        "cut short": lambda t: keep_paragraphs(t, 0.7),
        "all at once": lambda t: add_tail(
            new_first_line(swap_sentences(typos(t, 0.02, rng), 2, rng), "LokalNews – judul"),
            ["Teaser"],
        ),
    }


@pytest.mark.parametrize("edit", sorted(_edits()))
def test_constructed_copies_join_their_original(db, edit):
    index = ClusterIndex(db)
    for name, body in SAME_TOPIC.items():
        add(index, name, name, body)
    add(index, "rep", "republika", SEED_ORIGINAL)
    placed = add(index, "copy", "lokal", _edits()[edit](SEED_ORIGINAL))
    assert (placed.match, placed.cluster_id, placed.duplicate_of) == ("near", "rep", "rep")


def test_exact_copy_from_the_same_source_is_refused_and_not_recorded(db):
    index = ClusterIndex(db)
    add(index, "rep", "republika", SEED_ORIGINAL)
    with pytest.raises(SameSourceCopy) as refused:
        add(index, "rep-mobile-path", "republika", SEED_ORIGINAL)
    assert (refused.value.original_id, refused.value.source) == ("rep", "republika")
    assert index.get("rep-mobile-path") is None
    assert len(index) == 1


def test_exact_copy_from_another_source_is_a_republication(db):
    index = ClusterIndex(db)
    add(index, "rep", "republika", SEED_ORIGINAL, published=DAY)
    placed = add(index, "mirror", "mirror-site", SEED_ORIGINAL, published=2 * DAY)
    assert (placed.match, placed.cluster_id, placed.duplicate_of) == ("exact", "rep", "rep")
    assert placed.similarity == 1.0
    assert index.members("rep") == ["rep", "mirror"]
    # The copy adds no band rows of its own: the original's rows lead later copies to the story.
    assert [doc for doc, _, _ in index.similar(SEED_ORIGINAL)] == ["rep"]
    near = add(index, "nj", "nanjombangnews", SEED_COPY, published=3 * DAY)
    assert (near.cluster_id, near.duplicate_of) == ("rep", "rep")


def test_empty_bodies_are_clusters_of_one(db):
    index = ClusterIndex(db)
    first = index.add("a", source="s", body=None, content_hash=content_hash(None, None))
    second = index.add("b", source="s", body="", content_hash=content_hash(None, ""))
    assert (first.cluster_id, second.cluster_id) == ("a", "b")


def _documents(conn):
    schema = resources.files("pantau.store").joinpath("schema.sql").read_text("utf-8")
    conn.executescript(schema)


def _store_row(conn, doc_id, source, placed, published_at):
    conn.execute(
        "INSERT INTO documents (id, url, canonical_url, source, crawled_at, first_seen_at, "
        "updated_at, published_at, cluster_id, duplicate_of, seen_ts) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
        (
            doc_id,
            f"https://{source}/{doc_id}",
            f"https://{source}/{doc_id}",
            source,
            published_at,
            published_at,
            published_at,
            published_at,
            placed.cluster_id,
            placed.duplicate_of,
        ),
    )


def test_an_earlier_published_copy_found_later_becomes_the_original(db):
    _documents(db)
    index = ClusterIndex(db)
    copy = add(index, "nj", "nanjombangnews", SEED_COPY, published=5 * DAY)
    _store_row(db, "nj", "nanjombangnews", copy, "1970-01-06T00:00:00+00:00")
    mirror = add(index, "mirror", "mirror", SEED_COPY, published=6 * DAY)
    _store_row(db, "mirror", "mirror", mirror, "1970-01-07T00:00:00+00:00")
    assert (copy.duplicate_of, mirror.duplicate_of) == (None, "nj")

    late = add(index, "rep", "republika", SEED_ORIGINAL, published=4 * DAY, seen=100 * DAY)
    assert (late.cluster_id, late.duplicate_of) == ("nj", None)  # keeps the cluster id
    assert index.members("nj") == ["rep", "nj", "mirror"]
    assert index.get("nj").duplicate_of == "rep"
    assert index.get("mirror").duplicate_of == "rep"
    stored = dict(db.execute("SELECT id, duplicate_of FROM documents"))
    assert stored == {"nj": "rep", "mirror": "rep"}


def test_without_dates_the_first_seen_is_the_original(db):
    index = ClusterIndex(db)
    add(index, "nj", "nanjombangnews", SEED_COPY, seen=2 * DAY)
    placed = add(index, "rep", "republika", SEED_ORIGINAL, seen=3 * DAY)
    assert (placed.cluster_id, placed.duplicate_of) == ("nj", "nj")


def test_recrawl_keeps_the_cluster_even_when_the_text_changes(db):
    index = ClusterIndex(db)
    add(index, "rep", "republika", SEED_ORIGINAL, published=DAY)
    add(index, "nj", "nanjombangnews", SEED_COPY, published=2 * DAY)
    again = add(index, "nj", "nanjombangnews", SEED_COPY, published=2 * DAY)
    assert (again.match, again.cluster_id, again.duplicate_of) == ("known", "rep", "rep")
    rewritten = add(index, "nj", "nanjombangnews", SAME_TOPIC["bawaslu"], published=2 * DAY)
    assert (rewritten.cluster_id, rewritten.duplicate_of) == ("rep", "rep")
    # Its new text is what later articles are compared with.
    assert [doc for doc, _, _ in index.similar(SAME_TOPIC["bawaslu"])] == ["nj"]
    assert index.similar(SEED_COPY)[0][0] == "rep"
    # A re-crawl whose body came out empty keeps the last signature rather than losing it.
    blank = add(index, "nj", "nanjombangnews", "", published=2 * DAY)
    assert (blank.cluster_id, blank.duplicate_of) == ("rep", "rep")
    assert [doc for doc, _, _ in index.similar(SAME_TOPIC["bawaslu"])] == ["nj"]


def test_a_recrawl_revealing_an_earlier_date_makes_it_the_original(db):
    index = ClusterIndex(db)
    add(index, "rep", "republika", SEED_ORIGINAL, seen=5 * DAY)
    add(index, "nj", "nanjombangnews", SEED_COPY, seen=6 * DAY)
    updated = add(index, "nj", "nanjombangnews", SEED_COPY, published=DAY, seen=7 * DAY)
    assert (updated.cluster_id, updated.duplicate_of) == ("rep", None)
    assert index.get("rep").duplicate_of == "nj"


def test_the_index_survives_reopening_the_file(tmp_path):
    path = tmp_path / "clusters.db"
    conn = sqlite3.connect(path)
    index = ClusterIndex(conn)
    add(index, "rep", "republika", SEED_ORIGINAL, published=DAY)
    add(index, "bawaslu", "other", SAME_TOPIC["bawaslu"], published=DAY)
    conn.close()

    conn = sqlite3.connect(path)
    reopened = ClusterIndex(conn)
    assert len(reopened) == 2
    placed = add(reopened, "nj", "nanjombangnews", SEED_COPY, published=2 * DAY)
    assert (placed.cluster_id, placed.duplicate_of) == ("rep", "rep")
    with pytest.raises(SameSourceCopy):
        add(reopened, "rep-2", "republika", SEED_ORIGINAL)
    conn.close()


def test_work_inside_a_callers_transaction_rolls_back_with_it(db):
    index = ClusterIndex(db)
    db.execute("BEGIN")
    add(index, "rep", "republika", SEED_ORIGINAL)
    db.rollback()
    assert index.get("rep") is None


@pytest.mark.parametrize(
    ("reopen_with", "message"),
    [
        ({"num_perm": 64}, "num_perm: index has '128', settings say '64'"),
        ({"seed": 2}, "seed: index has '1', settings say '2'"),
        ({"shingle_sizes": (4,)}, "shingle_sizes: index has '3', settings say '4'"),
    ],
)
def test_reopening_with_incompatible_settings_is_refused(db, reopen_with, message):
    ClusterIndex(db)
    with pytest.raises(IndexMismatch, match=message):
        ClusterIndex(db, **reopen_with)


def test_another_threshold_keeps_the_stored_band_layout(db, caplog):
    built = ClusterIndex(db, threshold=0.3).layout
    again = ClusterIndex(db, threshold=0.6)
    assert again.layout == built
    assert again.threshold == 0.6
    assert "keeps its" in caplog.text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"threshold": 0.0}, "threshold"), ({"threshold": 1.5}, "threshold"), ({"num_perm": 4}, "16")],
)
def test_bad_settings_are_named(db, kwargs, message):
    with pytest.raises(ValueError, match=message):
        ClusterIndex(db, **kwargs)


def test_generated_families_cluster_and_strangers_do_not(db):
    gen = ArticleGenerator(random.Random(11))
    index = ClusterIndex(db)
    originals = [gen.article(150, 250) for _ in range(30)]
    for n, body in enumerate(originals):
        assert add(index, f"o{n}", f"site{n}", body).match == "new"
    for n, body in enumerate(originals[:10]):
        copy = add(index, f"c{n}", "copier", gen.republish(body, "Lokal"))
        assert copy.cluster_id == f"o{n}"


def test_cluster_summary_counts_outlets_and_names_the_original(db):
    _documents(db)
    index = ClusterIndex(db)
    rows = [
        ("nj", "nanjombangnews", SEED_COPY, 2 * DAY, "1970-01-03T07:00:00+07:00"),
        ("rep", "republika", SEED_ORIGINAL, DAY, "1970-01-02T07:00:00+07:00"),
        ("nj2", "nanjombangnews", SEED_COPY + "\nRedaksi.", 3 * DAY, "1970-01-04T07:00:00+07:00"),
    ]
    for doc_id, source, body, published, published_at in rows:
        placed = add(index, doc_id, source, body, published=published)
        _store_row(db, doc_id, source, placed, published_at)
    summary = cluster_summary(db, "nj")
    assert summary == {
        "cluster_id": "nj",
        "size": 3,
        "outlets": 2,
        "sources": ["nanjombangnews", "republika"],
        "original_id": "rep",
        "first_source": "republika",
        "first_url": "https://republika/rep",
        "first_seen": "1970-01-02T07:00:00+07:00",
    }
    assert cluster_summary(db, "unknown")["size"] == 0
