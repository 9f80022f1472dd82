"""`pantau trends` over the embedded store, on a generated corpus with known trends."""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from datetime import datetime, timedelta

import pytest

from pantau.commands.trends import register, run_trends
from pantau.store.sqlite import SqliteStore
from pantau.trends import compute_trends
from pantau.trends.synthetic import CorpusPlan, generate_corpus
from pantau.trends.terms import terms_of
from pantau.trends.window import WIB

NOW = datetime(2024, 2, 14, 18, 30, tzinfo=WIB)
PLAN = CorpusPlan(now=NOW)


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return generate_corpus(PLAN)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory, corpus) -> str:
    path = tmp_path_factory.mktemp("trends") / "store.db"
    store = SqliteStore(path)
    with store.transaction():
        for item in corpus:
            store.upsert(item)
    store.close()
    return str(path)


@pytest.fixture
def store(store_path):
    opened = SqliteStore(store_path)
    yield opened
    opened.close()


def _in(item: dict, start: datetime, end: datetime) -> bool:
    return start <= datetime.fromisoformat(item["published_at"]) < end


def _stories(items: list[dict], start: datetime, end: datetime) -> list[dict]:
    """First document of each story (cluster) first seen in [start, end), by brute force."""
    seen, found = set(), []
    for item in sorted(items, key=lambda i: i["published_at"]):
        key = item.get("cluster_id") or item["id"]
        if key in seen:
            continue
        seen.add(key)
        if _in(item, start, end):
            found.append(item)
    return found


def test_planted_narrative_ranks_first_and_steady_phrase_never(store) -> None:
    report = compute_trends(store, window="24h", baseline="30d", now=NOW, limit=200)
    terms = [t["term"] for t in report["terms"]]
    assert terms[0] == PLAN.planted_phrase
    top = report["terms"][0]
    assert top["docs_window"] == PLAN.planted_docs
    assert top["docs_baseline"] == 0
    assert top["outlets"] == PLAN.planted_outlets
    assert len(top["examples"]) == 3
    assert len({ex["source"] for ex in top["examples"]}) == 3  # different outlets first
    steady_words = PLAN.steady_phrase.split()
    for term in terms:  # neither the steady phrase nor any part of it rose
        assert not set(term.split()) & set(steady_words), term
    json.dumps(report)  # the report is plain JSON


@pytest.mark.parametrize("score", ["jlh", "chi2", "gnd"])
def test_every_score_puts_the_planted_narrative_first(store, score) -> None:
    report = compute_trends(store, window="24h", baseline="30d", now=NOW, score=score)
    assert report["terms"][0]["term"] == PLAN.planted_phrase
    assert report["window"]["score"] == score


@pytest.mark.parametrize("sample", [150, 30])
def test_counts_are_exact_against_a_brute_force_count(store, corpus, sample) -> None:
    # A small sample forces the shortlist-and-index path (150: the baseline is sampled; 30: the
    # window's 64 stories too); the numbers must still be exact and the narrative first.
    report = compute_trends(store, window="24h", baseline="30d", now=NOW, limit=10, sample=sample)
    assert report["terms"][0]["term"] == PLAN.planted_phrase
    start = NOW - timedelta(hours=24)
    window = _stories(corpus, start, NOW)
    baseline = _stories(corpus, start - timedelta(days=30), start)
    window_terms = [terms_of(i["title"], i["body"]) for i in window]
    baseline_terms = [terms_of(i["title"], i["body"]) for i in baseline]
    outlets_of = defaultdict(set)  # story -> every outlet that carried it in the window
    for item in corpus:
        if _in(item, start, NOW):
            outlets_of[item.get("cluster_id") or item["id"]].add(item["source"])
    assert report["window"]["stories"] == len(window)
    assert report["window"]["baseline_stories"] == len(baseline)
    assert report["terms"]
    for term in report["terms"]:
        holding = [
            i for i, found in zip(window, window_terms, strict=True) if term["term"] in found
        ]
        assert term["docs_window"] == len(holding)
        assert term["docs_baseline"] == sum(term["term"] in found for found in baseline_terms)
        outlets = set().union(*(outlets_of[i.get("cluster_id") or i["id"]] for i in holding))
        assert term["outlets"] == len(outlets)


def test_sampled_baseline_agrees_with_reading_all_of_it(store) -> None:
    exact = compute_trends(store, window="24h", baseline="30d", now=NOW, sample=None)
    sampled = compute_trends(store, window="24h", baseline="30d", now=NOW, sample=150)
    top = [t["term"] for t in exact["terms"][:6]]
    assert [t["term"] for t in sampled["terms"][:6]] == top
    by_term = {t["term"]: t for t in exact["terms"]}
    for term in sampled["terms"]:
        if term["term"] in by_term:
            assert term["docs_baseline"] == by_term[term["term"]]["docs_baseline"]


def test_volume_buckets(store, corpus) -> None:
    report = compute_trends(store, window="24h", baseline="30d", now=NOW)
    volume = report["volume"]
    assert volume["interval"] == "hour"
    start = NOW - timedelta(hours=24)
    expected: dict[str, Counter] = defaultdict(Counter)
    for item in corpus:
        if _in(item, start, NOW):
            hour = datetime.fromisoformat(item["published_at"]).astimezone(WIB)
            for topic in item["topics"]:
                expected[topic][hour.replace(minute=0, second=0, microsecond=0)] += 1
    assert set(volume["series"]) == set(expected)
    first_bucket = start.replace(minute=0, second=0, microsecond=0)
    for topic, points in volume["series"].items():
        # 24h from 18:30 touches 25 hours: 18:00 yesterday (partial) to 18:00 today (partial).
        assert [p[0] for p in points] == [
            (first_bucket + timedelta(hours=h)).isoformat() for h in range(25)
        ]
        assert [p[1] for p in points] == [
            expected[topic][datetime.fromisoformat(p[0])] for p in points
        ]
    totals = [sum(n for _, n in points) for points in volume["series"].values()]
    assert totals == sorted(totals, reverse=True)  # busiest topic first


def test_day_buckets_for_longer_windows(store) -> None:
    report = compute_trends(store, window="7d", baseline="21d", now=NOW)
    volume = report["volume"]
    assert volume["interval"] == "day"
    for points in volume["series"].values():
        days = [datetime.fromisoformat(p[0]) for p in points]
        assert len(days) == 8 and all(
            d.hour == 0 and d.utcoffset() == timedelta(hours=7) for d in days
        )
    assert sum(n for p in volume["series"].values() for _, n in p) >= report["window"]["documents"]


def test_story_growth(store) -> None:
    report = compute_trends(store, window="24h", baseline="30d", now=NOW)
    stories = {s["cluster_id"]: s for s in report["clusters"]}
    grown = stories["story-grow"]
    assert grown["new_outlets"] == 5 and grown["outlets"] == 6 and grown["outlets_before"] == 1
    assert grown["first_source"] == PLAN.sources[0]
    assert grown["new_sources"] == PLAN.sources[1:6]
    assert grown["title"] == "Logistik pemilu terlambat tiba di pulau terluar"
    assert grown["url"].startswith(f"https://{PLAN.sources[0]}.example/")
    assert datetime.fromisoformat(grown["first_seen"]) == NOW - timedelta(hours=24 + 30)
    # The old story was only posted again by an outlet that already carried it: no growth.
    assert "story-old" not in stories
    # A wider window that holds the old story's spread still does not call old outlets new.
    wide = compute_trends(store, window="7d", baseline="21d", now=NOW)
    old = {s["cluster_id"]: s for s in wide["clusters"]}["story-old"]
    assert old["new_outlets"] == 4 and old["outlets"] == 4


def test_topic_filter(store, corpus) -> None:
    report = compute_trends(store, window="24h", baseline="30d", now=NOW, topic="ekonomi")
    assert list(report["volume"]["series"]) == ["ekonomi"]
    start = NOW - timedelta(hours=24)
    in_window = [i for i in corpus if _in(i, start, NOW) and "ekonomi" in i["topics"]]
    assert report["window"]["documents"] == len(in_window)
    assert sum(n for _, n in report["volume"]["series"]["ekonomi"]) == len(in_window)
    assert PLAN.planted_phrase not in [t["term"] for t in report["terms"]]  # planted is pemilu
    tagged = {i["url"] for i in in_window}
    for term in report["terms"]:
        assert {ex["url"] for ex in term["examples"]} <= tagged
    assert all(s["cluster_id"] != "story-grow" for s in report["clusters"])


def test_source_filter(store, corpus) -> None:
    source = PLAN.sources[1]
    report = compute_trends(
        store, window="24h", baseline="30d", now=NOW, source=source, min_outlets=1
    )
    start = NOW - timedelta(hours=24)
    mine = [i for i in corpus if _in(i, start, NOW) and i["source"] == source]
    assert report["window"]["documents"] == len(mine)
    assert report["terms"][0]["term"] == PLAN.planted_phrase
    for term in report["terms"]:
        assert term["outlets"] == 1
        assert {ex["source"] for ex in term["examples"]} == {source}
    # The growing story reached this outlet in the window: one new outlet, as seen from it.
    assert [(s["cluster_id"], s["new_outlets"]) for s in report["clusters"]] == [("story-grow", 1)]


def test_minimum_outlets_and_stories(store) -> None:
    loose = compute_trends(store, window="24h", baseline="30d", now=NOW)
    narrow = [t["term"] for t in loose["terms"] if t["outlets"] < 9]
    assert narrow  # the planted wordings reach 5 outlets each
    strict = compute_trends(store, window="24h", baseline="30d", now=NOW, min_outlets=9)
    assert strict["terms"][0]["term"] == PLAN.planted_phrase
    assert all(t["outlets"] >= 9 for t in strict["terms"])
    assert not set(narrow) & {t["term"] for t in strict["terms"]}
    common = compute_trends(store, window="24h", baseline="30d", now=NOW, min_docs=25)
    assert all(t["docs_window"] >= 25 for t in common["terms"])
    assert PLAN.planted_phrase not in {t["term"] for t in common["terms"]}  # in 24 stories


def test_empty_window_and_empty_baseline(store) -> None:
    early = compute_trends(store, window="24h", baseline="30d", now="2020-01-01")
    assert early["terms"] == [] and early["clusters"] == []
    assert early["window"]["documents"] == 0
    assert "no documents in the window" in early["notes"]
    assert all(n == 0 for points in early["volume"]["series"].values() for _, n in points)
    # A window with articles but nothing before it: no term can be shown to have grown.
    start = min(datetime.fromisoformat(i["published_at"]) for i in generate_corpus(PLAN))
    first_day = compute_trends(store, window="24h", baseline="30d", now=start + timedelta(hours=24))
    assert first_day["window"]["documents"] > 0 and first_day["terms"] == []
    assert any("no documents in the baseline" in note for note in first_day["notes"])


# -- the command ----------------------------------------------------------------------------------
def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="pantau")
    register(parser.add_subparsers(dest="command"))
    return parser.parse_args(["trends", *argv])


def test_command_json_and_html(store_path, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    page = tmp_path / "report.html"
    args = _args(
        "--store",
        store_path,
        "--now",
        NOW.isoformat(),
        "--json",
        "--html",
        str(page),
        "--limit",
        "5",
    )
    assert run_trends(args) == 0
    out = capsys.readouterr()
    report = json.loads(out.out)
    assert report["terms"][0]["term"] == PLAN.planted_phrase
    assert len(report["terms"]) <= 5
    assert f"wrote {page}" in out.err
    assert PLAN.planted_phrase in page.read_text("utf-8")


def test_command_tables_and_store_from_environment(store_path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    monkeypatch.setenv("PANTAU_STORE", store_path)
    assert run_trends(_args("--now", NOW.isoformat(), "--topic", "pemilu")) == 0
    out = capsys.readouterr().out
    assert "Emerging terms" in out and "Growing stories" in out and "Volume per topic" in out
    assert PLAN.planted_phrase in out and "Only topic pemilu" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--window", "soon"], "--window: cannot read 'soon'"),
        (["--baseline", "2099-01-01"], "--baseline: '2099-01-01' does not start before"),
        (["--now", "kemarin"], "--now: cannot read 'kemarin'"),
    ],
)
def test_command_rejects_bad_input(store_path, capsys, monkeypatch, argv, message) -> None:
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    assert run_trends(_args("--store", store_path, *argv)) == 2
    assert message in capsys.readouterr().err


def test_command_does_not_create_a_missing_store(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    missing = tmp_path / "nothing.db"
    assert run_trends(_args("--store", str(missing))) == 2
    assert f"no store at {missing}" in capsys.readouterr().err
    assert not missing.exists()


def test_command_reports_an_unwritable_html_target(store_path, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    target = tmp_path / "no-such-folder" / "r.html"
    args = _args("--store", store_path, "--now", NOW.isoformat(), "--html", str(target))
    assert run_trends(args) == 1
    assert f"cannot write {target}" in capsys.readouterr().err
