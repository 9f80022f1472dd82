"""How long `pantau trends` takes on the embedded store with ~50,000 documents.

Builds a store of generated articles over 31 days (bodies of real Indonesian sentences from
../shared/data/langid when present, filler words otherwise), then times compute_trends for a few
typical requests and prints the median of several runs, wall-clock and CPU time (the CPU
figure is the steadier one on a shared machine). Usage:

    .venv/bin/python benchmarks/trends_speed.py [--docs 50000] [--runs 5] [--store PATH]

An existing --store is reused as it is (build it once, time many times).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from pantau.store.sqlite import SqliteStore
from pantau.trends import compute_trends
from pantau.trends.counting import SAMPLE_STORIES
from pantau.trends.synthetic import CorpusPlan, generate_corpus
from pantau.trends.window import WIB

NOW = datetime(2024, 2, 14, 18, 0, tzinfo=WIB)
LANGID = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "langid" / "labelled.jsonl"
)


def indonesian_sentences() -> list[str]:
    if not LANGID.exists():
        return []
    found = []
    for line in LANGID.read_text("utf-8").splitlines():
        record = json.loads(line)
        if record.get("lang") == "ind":
            found.append(record["text"])
    return found


def build(path: Path, docs: int, mutate: float) -> None:
    days = 31
    plan = CorpusPlan(
        now=NOW,
        window=timedelta(hours=24),
        baseline=timedelta(days=days - 1),
        docs_per_day=docs // days,
        outlets=40,
        planted_docs=60,
        planted_outlets=25,
        body_sentences=(10, 16),
        sentences=indonesian_sentences(),
        mutate=mutate,
    )
    items = generate_corpus(plan)
    store = SqliteStore(path)
    started = time.perf_counter()
    with store.transaction():
        for item in items:
            store.upsert(item)
    words = sum(len(i["body"].split()) for i in items) / len(items)
    print(
        f"built {len(items)} documents (mean {words:.0f} body words, "
        f"{'real' if plan.sentences else 'filler'} sentences, {mutate:.0%} words swapped) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--exact", action="store_true", help="read every baseline story")
    parser.add_argument(
        "--mutate",
        type=float,
        default=0.3,
        help="share of words swapped in the drawn sentences (0 repeats them verbatim: worst case)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or Path(tmp) / "bench.db"
        if not path.exists():
            build(path, args.docs, args.mutate)
        store = SqliteStore(path)
        print(f"store: {store.count()} documents")
        cases = [
            ("24h window, 30d baseline", {"window": "24h", "baseline": "30d"}),
            ("7d window, 23d baseline", {"window": "7d", "baseline": "23d"}),
            ("24h, topic pemilu", {"window": "24h", "baseline": "30d", "topic": "pemilu"}),
            ("24h, one outlet", {"window": "24h", "baseline": "30d", "source": "outlet01"}),
        ]
        sample = None if args.exact else SAMPLE_STORIES
        print(f"read: {'every story' if args.exact else f'samples of {sample} stories per period'}")
        for label, kwargs in cases:
            timings, cpu = [], []
            for _ in range(args.runs):
                started, started_cpu = time.perf_counter(), time.process_time()
                report = compute_trends(store, now=NOW, sample=sample, **kwargs)
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            top = report["terms"][0]["term"] if report["terms"] else "-"
            print(
                f"{label:28s} median {statistics.median(timings):6.2f} s wall, "
                f"{statistics.median(cpu):5.2f} s CPU (wall min {min(timings):.2f}, max "
                f"{max(timings):.2f}; {report['window']['stories']} window / "
                f"{report['window']['baseline_stories']} baseline stories; top term: {top})"
            )
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
