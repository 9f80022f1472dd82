"""Speed of the story-cluster index with a large store behind it.

Indexes N generated Indonesian-like articles (300-600 words; about one in ten a republished copy
of an earlier one, with typos, swapped sentences, a new first line or a related-articles tail)
into a temporary SQLite store file, then times 1,000 more: ``add`` (signature, look-up, insert,
commit) and ``similar`` (signature and look-up only). The store's own settings apply (WAL,
synchronous=NORMAL, default cache and checkpoints): the mean and p95 of ``add`` are mostly
the WAL checkpoints, whose fsync every ~20 commits is paid by whichever write triggers it.
Also reports how long opening the index takes (nothing is loaded at start), the file size and
how many copies found their original.

    .venv/bin/python benchmarks/cluster_speed.py [--articles 100000] [--measure 1000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections import deque
from pathlib import Path

from pantau.clustering import DEFAULT_PERMUTATIONS, DEFAULT_THRESHOLD, ClusterIndex
from pantau.clustering.synthetic import ArticleGenerator
from pantau.store import SqliteStore

COPY_SHARE = 0.1
BATCH = 1000  # articles per transaction while filling the index


def ms(seconds: list[float]) -> str:
    values = sorted(s * 1000 for s in seconds)
    p95 = values[int(0.95 * (len(values) - 1))]
    return (
        f"median {statistics.median(values):.2f} ms, mean {statistics.fmean(values):.2f} ms, "
        f"p95 {p95:.2f} ms, max {values[-1]:.2f} ms"
    )


def open_index(path: Path, args: argparse.Namespace) -> tuple[SqliteStore, ClusterIndex]:
    store = SqliteStore(path)
    index = ClusterIndex(
        store.conn,
        threshold=args.threshold,
        num_perm=args.permutations,
        transaction=store.transaction,
    )
    return store, index


def main() -> None:
    load = os.getloadavg()[0]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--measure", type=int, default=1_000)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--permutations", type=int, default=DEFAULT_PERMUTATIONS)
    args = parser.parse_args()

    gen = ArticleGenerator(random.Random(7))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pantau.db"
        store, index = open_index(path, args)
        # Copies are made of recent articles (a story spreads within days, not years).
        recent: deque[tuple[str, str]] = deque(maxlen=5000)

        def next_article(n: int) -> tuple[str, str | None]:
            """A body, and the doc id of the article it copies (None for a fresh story)."""
            if recent and gen.rng.random() < COPY_SHARE:
                origin, body = recent[gen.rng.randrange(len(recent))]
                copy = gen.republish(body, f"Site{n % 50}")
            else:
                origin, copy = None, gen.article()
            recent.append((f"doc{n}", copy))
            return copy, origin

        print(
            f"filling the index with {args.articles:,} articles "
            f"(threshold {args.threshold}, {args.permutations} permutations) ..."
        )
        started = time.perf_counter()
        for start in range(0, args.articles, BATCH):
            with store.transaction():
                for n in range(start, min(start + BATCH, args.articles)):
                    body, _ = next_article(n)
                    index.add(f"doc{n}", source=f"site{n % 50}", body=body, published_ts=n)
        fill = time.perf_counter() - started
        print(
            f"  filled in {fill:.0f} s ({fill / args.articles * 1000:.2f} ms/article in batches); "
            f"layout {index.layout.bands} bands x {index.layout.rows} rows"
        )
        store.close()

        started = time.perf_counter()
        store, index = open_index(path, args)
        opened = time.perf_counter() - started

        add_times, add_cpu, similar_times, sign_times = [], [], [], []
        found = copies = 0
        for n in range(args.articles, args.articles + args.measure):
            body, origin = next_article(n)
            t0 = time.perf_counter()
            index.signer.sign(body)
            t1 = time.perf_counter()
            index.similar(body)
            t2 = time.perf_counter()
            c2 = time.process_time()
            got = index.add(f"doc{n}", source=f"site{n % 50}", body=body, published_ts=n)
            t3 = time.perf_counter()
            add_cpu.append(time.process_time() - c2)
            sign_times.append(t1 - t0)
            similar_times.append(t2 - t1)
            add_times.append(t3 - t2)
            if origin is not None:
                copies += 1
                found += got.cluster_id == index.get(origin).cluster_id  # type: ignore[union-attr]
        size_mb = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
        store.close()

    print(f"(load average at start {load:.1f} on {os.cpu_count()} CPUs)")
    print(f"with {args.articles:,} articles indexed ({size_mb:.0f} MB on disk incl. WAL):")
    print(f"  open the index:             {opened * 1000:.1f} ms")
    print(f"  add (one commit each):      {ms(add_times)}")
    # CPU time of the same calls: what the figure is without other processes on the machine.
    print(f"  add, CPU time only:         {ms(add_cpu)}")
    print(f"  similar (look-up only):     {ms(similar_times)}")
    print(f"  of which MinHash signature: {ms(sign_times)}")
    print(f"  copies clustered with their original: {found}/{copies}")


if __name__ == "__main__":
    main()
