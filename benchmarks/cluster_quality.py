"""How well story clustering separates republished copies from different stories.

Positives: the seed pair (a NanjombangNews copy of a Republika story and that story) and copies
of real articles with the edits republishing sites make (a new first line, typos, swapped
sentences, a "Check Also" tail, a copy cut short, machine-translation word noise, all at once).
Negatives: every pair of different real stories, many on one topic (18 radarbogor articles on the
same social-aid programme, election stories from the fixtures).

Prints the true Jaccard similarity of the shingle sets per shingle size, then runs the real
index (MinHash + LSH in SQLite) at several thresholds and counts copies clustered with their
original and different stories wrongly joined.

    .venv/bin/python benchmarks/cluster_quality.py
"""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

import lxml.html

from pantau.clustering import ClusterIndex, body_shingles
from pantau.clustering.synthetic import (
    add_tail,
    keep_paragraphs,
    new_first_line,
    swap_sentences,
    typos,
    word_noise,
)

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "clustering"
DATA = REPO / ".." / "shared" / "data"
MIN_WORDS = 120  # shorter bodies are teasers, not articles


def load_articles() -> dict[str, str]:
    """name -> body of real, different stories (fixtures always; shared data when present)."""
    articles = {
        "republika-original": (FIXTURES / "seed-republika-original.txt").read_text("utf-8"),
        "same-topic-bawaslu": (FIXTURES / "same-topic-bawaslu.txt").read_text("utf-8"),
        "same-topic-kominfo": (FIXTURES / "same-topic-kominfo-hoaks.txt").read_text("utf-8"),
    }
    manifest = DATA / "id-news" / "manifest.json"
    if manifest.exists():
        for item in json.loads(manifest.read_text("utf-8"))["items"]:
            body = (item.get("expected") or {}).get("body") or ""
            if item.get("page_type") == "article" and len(body.split()) >= MIN_WORDS:
                articles[item["id"]] = body
    feed = DATA / "feeds" / "radarbogor-feed.xml"
    if feed.exists():
        encoded = "{http://purl.org/rss/1.0/modules/content/}encoded"
        for n, item in enumerate(ET.parse(feed).getroot().iter("item")):
            html = item.findtext(encoded) or ""
            body = lxml.html.fromstring(html).text_content() if html.strip() else ""
            if len(body.split()) >= MIN_WORDS:
                articles[f"radarbogor/{n}"] = body
    if len(articles) == 3:
        print(f"note: {DATA} not found; measuring on the fixtures only", file=sys.stderr)
    return articles


def edits(vocabulary: list[str]) -> dict[str, Callable[[str, random.Random], str]]:
    teasers = [
        "Biaya Haji Rp 69 Juta, Komite Haji Nasional: Peningkatan biaya untuk kemanfaatan",
        "NanjombangNews – Biaya Haji Rp 69 Juta, Komite Haji Nasional: Peningkatan biaya …",
    ]
    lead = "NanjombangNews – Kementerian menyiapkan strategi menjelang Pemilu 2024"
    return {
        "new first line": lambda t, r: new_first_line(t, lead),
        "typos 3%": lambda t, r: typos(t, 0.03, r),
        "typos 8%": lambda t, r: typos(t, 0.08, r),
        "3 sentence swaps": lambda t, r: swap_sentences(t, 3, r),
        "Check Also tail": lambda t, r: add_tail(t, teasers),
        "cut to 70%": lambda t, r: keep_paragraphs(t, 0.7),
        "MT noise 10%": lambda t, r: word_noise(t, 0.10, r, vocabulary),
        "MT noise 20%": lambda t, r: word_noise(t, 0.20, r, vocabulary),
        "all: line+typos3%+swaps+tail+MT10%": lambda t, r: add_tail(
            new_first_line(
                word_noise(swap_sentences(typos(t, 0.03, r), 2, r), 0.10, r, vocabulary), lead
            ),
            teasers,
        ),
    }


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def main() -> None:
    articles = load_articles()
    seed_copy = (FIXTURES / "seed-nanjombangnews.txt").read_text("utf-8")
    vocabulary = sorted({w for body in articles.values() for w in body.split() if w.isalpha()})
    rng = random.Random(2024)
    copies: list[tuple[str, str, str]] = [("seed pair", "republika-original", seed_copy)]
    for kind, edit in edits(vocabulary).items():
        for name, body in articles.items():
            copies.append((kind, name, edit(body, rng)))
    print(f"{len(articles)} different stories, {len(copies)} constructed copies\n")

    print("true Jaccard of shingle sets (copies: min and median per edit; negatives: max, p99)")
    for sizes in [(3,), (4,), (5,), (3, 4, 5)]:
        sets = {name: body_shingles(body, sizes) for name, body in articles.items()}
        by_kind: dict[str, list[float]] = {}
        for kind, name, body in copies:
            by_kind.setdefault(kind, []).append(jaccard(sets[name], body_shingles(body, sizes)))
        negatives = sorted(jaccard(sets[a], sets[b]) for a, b in combinations(sets, 2))
        p99 = negatives[int(0.99 * (len(negatives) - 1))]
        print(f"  shingles {sizes}: negatives max {negatives[-1]:.3f} p99 {p99:.3f}")
        for kind, values in by_kind.items():
            print(f"    {kind:38s} min {min(values):.3f} median {statistics.median(values):.3f}")

    print("\nthe index end to end (128 permutations, 3-word shingles, LSH in SQLite):")
    for threshold in (0.25, 0.3, 0.35, 0.4, 0.5):
        conn = sqlite3.connect(":memory:")
        index = ClusterIndex(conn, threshold=threshold)
        wrong_joins = 0
        for name, body in articles.items():
            if index.add(name, source=name, body=body).match != "new":
                wrong_joins += 1
        missed: dict[str, int] = {}
        for n, (kind, name, body) in enumerate(copies):
            got = index.add(f"copy{n}", source=f"copy{n}", body=body)
            if got.cluster_id != index.get(name).cluster_id:  # type: ignore[union-attr]
                missed[kind] = missed.get(kind, 0) + 1
        layout = index.layout
        print(
            f"  threshold {threshold}: {layout.bands}x{layout.rows} bands (a pair at the "
            f"threshold is a candidate with p={layout.candidate_probability(threshold):.2f}); "
            f"copies missed "
            f"{sum(missed.values())}/{len(copies)} {missed or ''}; different stories joined "
            f"{wrong_joins}/{len(articles)}"
        )
        conn.close()


if __name__ == "__main__":
    main()
