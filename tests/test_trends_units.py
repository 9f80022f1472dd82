"""Pure parts of the trends report: words and phrases, scores, the time frame, ranking."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from importlib import resources

import pytest

from pantau.query import tokenize
from pantau.trends.render_html import _axis_step
from pantau.trends.render_text import sparkline
from pantau.trends.report import rank_clusters, rank_terms, score_terms
from pantau.trends.scoring import chi_square, gnd, jlh, scorer
from pantau.trends.terms import BREAK, load_stopwords, pieces, stopwords, terms_of
from pantau.trends.window import TrendsError, resolve_window

WIB = timezone(timedelta(hours=7))


# -- stopwords ------------------------------------------------------------------------------------
def test_stopword_file_is_clean() -> None:
    text = resources.files("pantau.trends").joinpath("stopwords.txt").read_text("utf-8")
    words = [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]
    assert len(words) == len(set(words)), "a stopword is listed twice"
    for word in words:
        assert tokenize(word) == [word], f"{word!r} is not one folded word as the index cuts it"
    # Both languages and the dateline words that would otherwise "emerge" every day.
    assert {"yang", "dan", "the", "of", "kamis", "februari", "wib"} <= stopwords()


def test_load_stopwords_reads_comments_and_blank_lines(tmp_path) -> None:
    path = tmp_path / "stop.txt"
    path.write_text("# comment\n\nyang  # trailing comment\n  dan\n", "utf-8")
    assert load_stopwords(path) == frozenset({"yang", "dan"})


# -- words and phrases ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "body", "present", "absent"),
    [
        # Phrases of 1-3 words; stopwords may sit inside a phrase, never at its ends.
        (
            "Surat suara tercoblos di TPS",
            "",
            {"surat suara tercoblos", "tercoblos di tps", "tps", "surat suara"},
            {"di", "di tps", "tercoblos di", "surat suara tercoblos di"},
        ),
        # Punctuation ends a phrase: no phrase across the full stop or the comma.
        (
            "",
            "Ketua KPU hadir. Bawaslu menolak, warga protes",
            {"ketua kpu hadir", "bawaslu menolak", "warga protes"},
            {"hadir bawaslu", "menolak warga", "kpu hadir bawaslu"},
        ),
        # Title and body never join into a phrase; a " - " dateline separator ends one too.
        (
            "Debat capres",
            "Jakarta - Panitia siap",
            {"debat capres", "panitia siap"},
            {"capres jakarta", "jakarta panitia"},
        ),
        # Accents folded and curly quotes/dashes handled like the full-text index.
        ("Café “Pemilú” — naïve", "", {"cafe", "pemilu", "naive"}, {"cafe pemilu", "pemilu naive"}),
        # Bare numbers and one-letter words never start or end a term; inside a phrase they may.
        (
            "Pasal 280 ayat dilanggar",
            "",
            {"pasal 280 ayat", "ayat dilanggar"},
            {"280", "pasal 280", "280 ayat"},
        ),
        # Weekday and month names are stopwords: datelines do not "emerge".
        ("Kamis 15 Februari", "", set(), {"kamis", "februari", "kamis 15"}),
    ],
)
def test_terms_of(title: str, body: str, present: set[str], absent: set[str]) -> None:
    found = terms_of(title, body)
    assert present <= found
    assert not (absent & found)


def test_pieces_cut_words_like_the_full_text_index() -> None:
    text = "Jum’at (18/1/2023), KPU-RI menetapkan “Daftar Pemilih Tetap” sebesar 204,8 juta!"
    words = [p.decode() for p in pieces(text, None) if p != BREAK]
    assert words == tokenize(text)


# -- scores ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fg", "fg_total", "bg", "bg_total", "expected"),
    [
        (10, 100, 10, 1000, (0.1 - 0.01) * (0.1 / 0.01)),
        # Absent from the background: scored as if one background document held it.
        (10, 100, 0, 1000, (0.1 - 0.001) * (0.1 / 0.001)),
        (5, 100, 50, 1000, 0.0),  # same share: no growth
        (5, 100, 100, 1000, 0.0),  # fell
        (0, 100, 0, 1000, 0.0),
        (5, 100, 0, 0, 0.0),  # no background at all
    ],
)
def test_jlh(fg: int, fg_total: int, bg: int, bg_total: int, expected: float) -> None:
    assert jlh(fg, fg_total, bg, bg_total) == pytest.approx(expected)


def test_chi_square_matches_the_two_by_two_table() -> None:
    # window 100 stories (10 with the term), baseline 1000 (10 with it)
    n11, n01, n10, n00 = 10, 90, 10, 990
    n = n11 + n01 + n10 + n00
    expected = n * (n11 * n00 - n10 * n01) ** 2 / (100 * 1000 * 20 * 1080)
    assert chi_square(10, 100, 10, 1000) == pytest.approx(expected)
    assert chi_square(1, 100, 100, 1000) == 0.0  # fell: not reported


def test_gnd() -> None:
    # The term in 10 of 100 window stories and 10 of 1000 baseline ones.
    fx, fy, fxy, n = 20, 100, 10, 1100
    ngd = (max(math.log(fx), math.log(fy)) - math.log(fxy)) / (
        math.log(n) - min(math.log(fx), math.log(fy))
    )
    assert gnd(10, 100, 10, 1000) == pytest.approx(math.exp(-ngd))
    assert gnd(10, 100, 0, 1000) > gnd(10, 100, 10, 1000)  # rarer before: more significant
    assert gnd(1, 100, 100, 1000) == 0.0


def test_unknown_score_is_named() -> None:
    with pytest.raises(ValueError, match="unknown score 'tfidf'"):
        scorer("tfidf")


# -- the time frame -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("window", "baseline", "now", "start", "baseline_start", "interval", "buckets"),
    [
        (
            "24h",
            "30d",
            "2024-02-14T18:30:00+07:00",
            "2024-02-13T18:30:00+07:00",
            "2024-01-14T18:30:00+07:00",
            "hour",
            25,
        ),
        (
            "48h",
            "7d",
            "2024-02-14T18:00:00+07:00",
            "2024-02-12T18:00:00+07:00",
            "2024-02-05T18:00:00+07:00",
            "hour",
            48,
        ),
        (
            "7d",
            "2w",
            "2024-02-14T18:00:00+07:00",
            "2024-02-07T18:00:00+07:00",
            "2024-01-24T18:00:00+07:00",
            "day",
            8,
        ),
        # A naive --now is read in WIB; ISO dates give the starts directly.
        (
            "2024-02-10",
            "2024-01-01",
            "2024-02-14T00:00",
            "2024-02-10T00:00:00+07:00",
            "2024-01-01T00:00:00+07:00",
            "day",
            4,
        ),
        # Day buckets follow the reference time's zone (here UTC).
        (
            "3d",
            "30d",
            "2024-02-14T00:00:00+00:00",
            "2024-02-11T00:00:00+00:00",
            "2024-01-12T00:00:00+00:00",
            "day",
            3,
        ),
    ],
)
def test_resolve_window(
    window: str,
    baseline: str,
    now: str,
    start: str,
    baseline_start: str,
    interval: str,
    buckets: int,
) -> None:
    frame = resolve_window(window, baseline, now)
    assert frame.start == datetime.fromisoformat(start)
    assert frame.baseline_start == datetime.fromisoformat(baseline_start)
    assert frame.interval == interval
    starts = frame.bucket_starts()
    assert len(starts) == buckets
    size = 3600 if interval == "hour" else 86400
    assert all(b - a == size for a, b in zip(starts, starts[1:], strict=False))
    first = datetime.fromtimestamp(starts[0], frame.zone)
    assert first.minute == 0 and (interval == "hour" or first.hour == 0)
    assert starts[0] <= frame.start.timestamp() < starts[0] + size
    assert starts[-1] < frame.end.timestamp() <= starts[-1] + size


@pytest.mark.parametrize(
    ("window", "baseline", "now", "message"),
    [
        ("2x", "30d", None, "--window: cannot read '2x'"),
        ("24h", "soon", None, "--baseline: cannot read 'soon'"),
        ("24h", "30d", "yesterday", "--now: cannot read 'yesterday'"),
        ("2030-01-01", "30d", "2024-02-14", "--window: '2030-01-01' does not start before"),
        ("24h", "2030-01-01", "2024-02-14", "--baseline: '2030-01-01' does not start before"),
    ],
)
def test_resolve_window_names_the_bad_flag(window, baseline, now, message) -> None:
    with pytest.raises(TrendsError, match=message):
        resolve_window(window, baseline, now)


def test_default_reference_time_is_wib_now() -> None:
    frame = resolve_window(timedelta(hours=6), timedelta(days=1))
    assert frame.end.utcoffset() == timedelta(hours=7)
    assert abs(frame.end - datetime.now(WIB)) < timedelta(minutes=1)
    assert (frame.window_spec, frame.baseline_spec) == ("6h", "1d")


# -- ranking --------------------------------------------------------------------------------------
def _row(term: str, window: int, baseline: int, group: tuple[int, ...] | None = None) -> dict:
    row = {"term": term, "docs_window": window, "docs_baseline": baseline, "outlets": 3}
    if group is not None:
        row["_group"] = group
    return row


def test_score_terms_keeps_only_risers() -> None:
    rows = [_row("naik", 10, 0), _row("tetap", 10, 100), _row("turun", 1, 100)]
    scored = score_terms(rows, fg_total=100, bg_total=1000)
    assert [r["term"] for r in scored] == ["naik"]
    assert scored[0]["share_window"] == 0.1 and scored[0]["share_baseline"] == 0.0


def test_rank_terms_drops_parts_covered_by_a_longer_phrase() -> None:
    rows = score_terms(
        [
            _row("surat suara tercoblos", 20, 0),
            _row("tercoblos", 21, 0),  # almost only inside the phrase: dropped
            _row("suara tercoblos", 20, 0),
            _row("surat suara", 40, 2),  # used far more widely: kept
        ],
        fg_total=100,
        bg_total=1000,
    )
    ranked = rank_terms(rows, limit=10)
    assert [r["term"] for r in ranked] == ["surat suara", "surat suara tercoblos"]


def test_rank_terms_folds_terms_of_the_same_stories() -> None:
    rows = score_terms(
        [
            _row("saksi partai mengaku", 5, 0, group=(1, 2, 3, 4, 5)),
            _row("partai mengaku melihat", 5, 0, group=(1, 2, 3, 4, 5)),
            _row("kotak suara", 5, 0, group=(6, 7, 8, 9, 10)),
        ],
        fg_total=100,
        bg_total=1000,
    )
    ranked = rank_terms(rows, limit=10)
    assert [r["term"] for r in ranked] == ["partai mengaku melihat", "kotak suara"]
    assert ranked[0]["related"] == ["saksi partai mengaku"]
    assert ranked[1]["related"] == []


def test_rank_terms_orders_by_score_then_length_then_text() -> None:
    rows = score_terms(
        [_row("b", 5, 0), _row("a", 5, 0), _row("c d", 5, 0), _row("e", 9, 0)],
        fg_total=100,
        bg_total=1000,
    )
    assert [r["term"] for r in rank_terms(rows, limit=3)] == ["e", "c d", "a"]


def test_rank_clusters() -> None:
    def story(cid: str, new: int, outlets: int, docs: int) -> dict:
        return {
            "cluster_id": cid,
            "new_outlets": new,
            "outlets": outlets,
            "docs_window": docs,
            "first_seen": "2024-02-13T10:00:00+07:00",
        }

    stories = [story("a", 2, 3, 2), story("b", 5, 6, 5), story("c", 0, 4, 1), story("d", 1, 1, 1)]
    assert [s["cluster_id"] for s in rank_clusters(stories, min_outlets=2, limit=5)] == ["b", "a"]


# -- rendering helpers ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("peak", "step"), [(0, 1), (4, 1), (5, 2), (8, 2), (9, 5), (40, 10), (41, 20), (1001, 500)]
)
def test_axis_step(peak: int, step: int) -> None:
    assert _axis_step(peak) == step


@pytest.mark.parametrize(
    ("counts", "line"), [([], ""), ([0, 0], "  "), ([0, 1, 2, 4], " ▂▄█"), ([3], "█")]
)
def test_sparkline(counts: list[int], line: str) -> None:
    assert sparkline(counts) == line


def test_sparkline_fits_a_terminal_for_long_series():
    from pantau.trends.render_text import sparkline

    line = sparkline([1] * 3600)  # ten years by day: 50 days a column
    assert len(line) == 72 and set(line) == {"█"}
    assert len(sparkline([1] * 3650)) <= 72
    short = sparkline([0, 4, 8])
    assert len(short) == 3 and short[0] == " " and short[2] == "█"
