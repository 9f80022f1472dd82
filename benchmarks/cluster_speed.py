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


class Articles:
    """Generated bodies; about one in ten is a republished copy of a recent one."""

    def __init__(self, seed: int) -> None:
        self.gen = ArticleGenerator(random.Random(seed))
        # Copies are made of recent articles (a story spreads within days, not years).
        self.recent: deque[tuple[str, str]] = deque(maxlen=5000)

    def next(self, n: int) -> tuple[str, str | None]:
        """Body of article n, and the doc id of the article it copies (None: a fresh story)."""
        rng = self.gen.rng
        if self.recent and rng.random() < COPY_SHARE:
            origin, body = self.recent[rng.randrange(len(self.recent))]
            copy = self.gen.republish(body, f"Site{n % 50}")
        else:
            origin, copy = None, self.gen.article()
        self.recent.append((f"doc{n}", copy))
        return copy, origin


def measure(index: ClusterIndex, articles: Articles, numbers: range) -> None:
    """Time signature, look-up and add for each article number; print the figures."""
    add_times, add_cpu, similar_times, sign_times = [], [], [], []
    found = copies = 0
    for n in numbers:
        body, origin = articles.next(n)
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
    print(f"  add (one commit each):      {ms(add_times)}")
    # CPU time of the same calls: the figure without other processes competing for the CPU.
    print(f"  add, CPU time only:         {ms(add_cpu)}")
    print(f"  similar (look-up only):     {ms(similar_times)}")
    print(f"  of which MinHash signature: {ms(sign_times)}")
    print(f"  copies clustered with their original: {found}/{copies}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--measure", type=int, default=1_000)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--permutations", type=int, default=DEFAULT_PERMUTATIONS)
    args = parser.parse_args()

    articles = Articles(seed=7)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pantau.db"
        store, index = open_index(path, args)
        print(
            f"filling the index with {args.articles:,} articles "
            f"(threshold {args.threshold}, {args.permutations} permutations) ..."
        )
        started = time.perf_counter()
        for start in range(0, args.articles, BATCH):
            with store.transaction():
                for n in range(start, min(start + BATCH, args.articles)):
                    body, _ = articles.next(n)
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
        size_mb = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"with {args.articles:,} articles indexed ({size_mb:.0f} MB on disk incl. WAL):")
        print(f"  open the index:             {opened * 1000:.1f} ms")
        first = args.articles
        measure(index, articles, range(first, first + args.measure))
        # The same again with checkpoints every 10,000 WAL pages instead of 1,000: a store
        # setting, shown here because checkpoint fsyncs make most of the mean and p95 above.
        store.conn.execute("PRAGMA wal_autocheckpoint=10000")
        print("the next articles, with PRAGMA wal_autocheckpoint=10000 on the store connection:")
        first += args.measure
        measure(index, articles, range(first, first + args.measure))
        store.close()


if __name__ == "__main__":
    main()
