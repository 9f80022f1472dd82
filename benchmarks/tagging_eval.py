"""Topic tagging quality and speed.

Quality: precision and recall per topic on the labelled set tests/tagging_eval/cases.jsonl
(targets: precision >= 0.90 and recall >= 0.85 on every topic), with the ids of the cases
missed or wrongly tagged.

Speed: median milliseconds to tag one 4-5 KB article with the full packaged lexicons loaded
(target < 1 ms). Articles: the seed article and real article bodies from ../shared/data when
that folder is there (joined or cut to 4-5 KB), else the labelled cases joined to that size.

    .venv/bin/python benchmarks/tagging_eval.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html

from pantau.tagging import load_lexicon
from pantau.tagging.evaluation import load_cases, score

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
MIN_SIZE, MAX_SIZE = 4000, 5000
ROUNDS = 200


def _html_text(html: str) -> str:
    """The text of an HTML fragment (feed items carry their article as HTML)."""
    return " ".join(lxml.html.fromstring(html).itertext())


def _real_texts() -> list[str]:
    texts: list[str] = []
    seed = SHARED / "seed-article.txt"
    if seed.is_file():
        texts.append(seed.read_text(encoding="utf-8"))
    manifest = SHARED / "data" / "id-news" / "manifest.json"
    if manifest.is_file():
        for item in json.loads(manifest.read_text(encoding="utf-8"))["items"]:
            body = (item.get("expected") or {}).get("body")
            if body:
                texts.append(body)
    feed = SHARED / "data" / "feeds" / "radarbogor-feed.xml"
    if feed.is_file():
        encoded = "{http://purl.org/rss/1.0/modules/content/}encoded"
        for node in ET.parse(feed).iter("item"):
            html = node.findtext(encoded) or ""
            if html:
                texts.append(_html_text(html))
    return texts


def articles(fallback: list[str]) -> list[str]:
    """Texts of 4-5 KB: long ones cut, short ones joined in order."""
    texts = _real_texts() or fallback
    out: list[str] = []
    current = ""
    for text in texts:
        current = f"{current}\n\n{text}" if current else text
        if len(current.encode()) >= MIN_SIZE:
            out.append(current.encode()[:MAX_SIZE].decode(errors="ignore"))
            current = ""
    return out


def main() -> int:
    started = time.perf_counter()
    lexicon = load_lexicon()
    load_ms = (time.perf_counter() - started) * 1000
    cases = load_cases()
    scores = score(cases, lexicon)
    print(f"lexicon load: {load_ms:.0f} ms; {len(cases)} labelled cases")
    print(f"{'topic':<18}{'precision':>10}{'recall':>8}{'tp':>5}{'fp':>5}{'fn':>5}")
    failing = 0
    for topic, result in scores.items():
        ok = result.precision >= 0.90 and result.recall >= 0.85
        failing += not ok
        print(
            f"{topic:<18}{result.precision:>10.3f}{result.recall:>8.3f}"
            f"{result.true_positives:>5}{result.false_positives:>5}{result.false_negatives:>5}"
            f"{'' if ok else '  BELOW TARGET'}"
        )
        if result.missed:
            print(f"{'':<18}missed: {' '.join(result.missed)}")
        if result.wrong:
            print(f"{'':<18}wrong:  {' '.join(result.wrong)}")

    texts = articles([c["text"] for c in cases])
    timings = []
    for _ in range(ROUNDS // max(1, len(texts)) + 1):
        for text in texts:
            start = time.perf_counter()
            lexicon.tag(None, text, "id")
            timings.append((time.perf_counter() - start) * 1000)
    sizes = sorted(len(t.encode()) for t in texts)
    print(
        f"speed: {len(texts)} articles of {sizes[0]}-{sizes[-1]} bytes, {len(timings)} runs: "
        f"median {statistics.median(timings):.3f} ms per article "
        f"(p90 {statistics.quantiles(timings, n=10)[-1]:.3f} ms)"
    )
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
