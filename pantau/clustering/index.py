"""The story-cluster index: exact and near-duplicate detection persisted in the SQLite store.

Each article gets a row in ``cluster_signatures`` (its MinHash, cluster and original) and one row
per LSH band in ``cluster_bands``. Finding candidates is a handful of indexed lookups, so nothing
is loaded into memory at start and the cost per article does not grow with the index.

Cluster rules:
- an article seen before (same doc id) keeps its cluster, whatever changed;
- the same normalized text (``content_hash``) from the same source is one article at two
  addresses: :class:`SameSourceCopy` is raised and nothing is written;
- the same text from another source is a republication and joins the original's cluster;
- otherwise the most similar indexed article at or above the Jaccard threshold gives its cluster;
- otherwise the article starts a cluster of its own, named by its doc id.
The original of a cluster is its earliest member (publication time, else first-seen time, then
first seen); every other member has ``duplicate_of`` = the original's doc id.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Literal

from datasketch import LeanMinHash

from pantau.clustering.signature import HASH_NAME, SCHEME, BandLayout, Signer, band_keys
from pantau.clustering.text import DEFAULT_SHINGLE_SIZES
from pantau.urls import content_hash as text_hash

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.3  # tuned by benchmarks/cluster_quality.py
DEFAULT_PERMUTATIONS = 128
# Candidates sharing the most bands are checked first; a bucket crowded by thousands of
# near-identical posts must not make one lookup compare against all of them.
MAX_CANDIDATES = 200
_EMPTY_TEXT_HASH = text_hash(None, None)

Match = Literal["known", "exact", "near", "new"]

# One statement each: executescript() would commit a transaction the caller has open.
_DDL = (
    """
CREATE TABLE IF NOT EXISTS cluster_meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID""",
    """
CREATE TABLE IF NOT EXISTS cluster_signatures (
    sig INTEGER PRIMARY KEY,          -- compact key for the band rows (a doc id is 40 chars)
    doc_id TEXT NOT NULL UNIQUE,
    cluster_id TEXT NOT NULL,
    duplicate_of TEXT,                -- NULL on the cluster's original
    source TEXT NOT NULL,
    content_hash TEXT,
    published_ts REAL,
    first_seen_ts REAL NOT NULL,
    order_ts REAL NOT NULL,           -- published_ts, else first_seen_ts: who came first
    shingles INTEGER NOT NULL,        -- distinct shingles in the body; 0 = no text, no bands
    minhash BLOB                      -- uint32 little-endian MinHash values, NULL without text
)""",
    "CREATE INDEX IF NOT EXISTS cluster_signatures_order "
    "ON cluster_signatures(cluster_id, order_ts, first_seen_ts)",
    "CREATE INDEX IF NOT EXISTS cluster_signatures_hash ON cluster_signatures(content_hash)",
    """
CREATE TABLE IF NOT EXISTS cluster_bands (
    bucket INTEGER NOT NULL,          -- 64-bit hash of (band number, band values)
    sig INTEGER NOT NULL,
    PRIMARY KEY (bucket, sig)
) WITHOUT ROWID""",
)


class SameSourceCopy(Exception):
    """The same text under another address of the same source: one article, not two."""

    def __init__(self, doc_id: str, source: str, original_id: str) -> None:
        super().__init__(
            f"{doc_id} has the same text as {original_id} from the same source {source!r}"
        )
        self.doc_id = doc_id
        self.source = source
        self.original_id = original_id


class IndexMismatch(ValueError):
    """The stored index was built with settings its signatures cannot be compared under."""


@dataclass(frozen=True)
class Assignment:
    """Where an article landed: its cluster, its original, and why."""

    cluster_id: str
    duplicate_of: str | None
    match: Match  # known: seen before; exact: same text; near: similar; new: own cluster
    matched_id: str | None = None  # the article whose cluster it joined
    similarity: float | None = None  # estimated Jaccard with matched_id


@dataclass(frozen=True)
class _Row:
    sig: int
    doc_id: str
    cluster_id: str
    source: str
    content_hash: str | None
    published_ts: float | None
    first_seen_ts: float
    minhash: bytes | None


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Atomic unit on a plain connection; joins a transaction the caller already opened."""
    conn.execute("SAVEPOINT cluster_index")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK TO cluster_index")
        conn.execute("RELEASE cluster_index")
        raise
    conn.execute("RELEASE cluster_index")


class ClusterIndex:
    """Exact and near-duplicate story clusters kept in tables of an SQLite database.

    ``transaction`` is the store's transaction factory when the connection belongs to a store
    (so both share one lock and one commit); a plain connection gets savepoints.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int = DEFAULT_PERMUTATIONS,
        seed: int = 1,
        shingle_sizes: Iterable[int] = DEFAULT_SHINGLE_SIZES,
        transaction: Callable[[], AbstractContextManager[object]] | None = None,
    ) -> None:
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"cluster threshold must be between 0 and 1, got {threshold!r}")
        self.conn = conn
        self.threshold = float(threshold)
        self.signer = Signer(num_perm=num_perm, seed=seed, shingle_sizes=shingle_sizes)
        self._transaction = transaction or (lambda: _savepoint(conn))
        with self._transaction():
            for statement in _DDL:
                conn.execute(statement)
            self.layout = self._load_layout()

    # -- set-up ---------------------------------------------------------------------------------
    def _load_layout(self) -> BandLayout:
        """Check the stored settings against ours; the band layout of an existing index wins.

        Choosing a layout costs datasketch ~0.1 s of numeric integration, so it is done only
        for a new index or a changed threshold, not on every open.
        """
        settings = {
            "scheme": SCHEME,
            "hash": HASH_NAME,
            "num_perm": str(self.signer.num_perm),
            "seed": str(self.signer.seed),
            "shingle_sizes": ",".join(map(str, self.signer.shingle_sizes)),
        }
        stored = dict(self.conn.execute("SELECT name, value FROM cluster_meta").fetchall())
        if not stored:
            wanted = BandLayout.for_threshold(self.threshold, self.signer.num_perm)
            rows = {**settings, "bands": str(wanted.bands), "rows": str(wanted.rows)}
            rows["threshold"] = str(self.threshold)
            self.conn.executemany("INSERT INTO cluster_meta VALUES (?, ?)", rows.items())
            return wanted
        wrong = [
            f"{name}: index has {stored.get(name)!r}, settings say {value!r}"
            for name, value in settings.items()
            if stored.get(name) != value
        ]
        if wrong:
            raise IndexMismatch(
                "the story-cluster index in this database was built with other settings ("
                + "; ".join(wrong)
                + "); set them back, or drop the cluster_* tables to rebuild from new articles"
            )
        layout = BandLayout(bands=int(stored["bands"]), rows=int(stored["rows"]))
        if float(stored["threshold"]) == self.threshold:
            return layout
        wanted = BandLayout.for_threshold(self.threshold, self.signer.num_perm)
        if layout != wanted:
            logger.warning(
                "cluster threshold %s would use %d bands x %d rows; the index keeps its %d x %d "
                "(built for threshold %s), so recall below that threshold is lower",
                self.threshold,
                wanted.bands,
                wanted.rows,
                layout.bands,
                layout.rows,
                stored.get("threshold"),
            )
        return layout

    # -- public ---------------------------------------------------------------------------------
    def add(
        self,
        doc_id: str,
        *,
        source: str,
        body: str | None,
        content_hash: str | None = None,
        published_ts: float | None = None,
        seen_ts: float | None = None,
    ) -> Assignment:
        """Place one article in a cluster (idempotent per doc id) and record it.

        ``content_hash`` is :func:`pantau.urls.content_hash` of title and body; ``published_ts``
        and ``seen_ts`` are epoch seconds (``seen_ts`` defaults to now). Raises
        :class:`SameSourceCopy` for the same text from the same source under a new id.
        """
        if not doc_id or not source:
            raise ValueError(f"an article needs a doc id and a source, got {doc_id!r}/{source!r}")
        now = time.time() if seen_ts is None else seen_ts
        signed = self.signer.sign(body)  # pure CPU work: done before taking the write lock
        with self._transaction():
            known = self._row_by_doc(doc_id)
            if known is not None:
                return self._update(known, signed, content_hash, published_ts)
            return self._insert(doc_id, source, signed, content_hash, published_ts, now)

    def similar(self, body: str | None) -> list[tuple[str, str, float]]:
        """(doc id, cluster id, estimated Jaccard) of indexed articles at or above the
        threshold, most similar first; reads only, for look-ups such as "who else ran this"."""
        signature, _ = self.signer.sign(body)
        if signature is None:
            return []
        found = self._scored_candidates(signature)
        return [(doc_id, cluster_id, sim) for sim, _, doc_id, cluster_id in sorted(found)]

    def get(self, doc_id: str) -> Assignment | None:
        """The current cluster of an indexed article, or None when it was never added."""
        row = self.conn.execute(
            "SELECT cluster_id, duplicate_of FROM cluster_signatures WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return Assignment(row[0], row[1], "known") if row else None

    def members(self, cluster_id: str) -> list[str]:
        """Doc ids of a cluster, original first."""
        rows = self.conn.execute(
            "SELECT doc_id FROM cluster_signatures WHERE cluster_id = ? "
            "ORDER BY order_ts, first_seen_ts, sig",
            (cluster_id,),
        )
        return [row[0] for row in rows]

    def __len__(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM cluster_signatures").fetchone()[0]

    # -- steps ----------------------------------------------------------------------------------
    def _insert(
        self,
        doc_id: str,
        source: str,
        signed: tuple[LeanMinHash | None, int],
        chash: str | None,
        published_ts: float | None,
        seen_ts: float,
    ) -> Assignment:
        exact = self._exact_match(doc_id, source, chash)
        signature, count = signed
        if exact is not None:
            match: Match = "exact"
            matched_id, cluster_id, similarity = exact.doc_id, exact.cluster_id, 1.0
        else:
            near = self._near_match(signature) if signature is not None else None
            if near is not None:
                match = "near"
                (matched_id, cluster_id), similarity = near[0], near[1]
            else:
                match, matched_id, cluster_id, similarity = "new", None, doc_id, None
        before = self._original(cluster_id)
        order_ts = published_ts if published_ts is not None else seen_ts
        blob = self.signer.to_blob(signature) if signature is not None else None
        cursor = self.conn.execute(
            "INSERT INTO cluster_signatures (doc_id, cluster_id, duplicate_of, source, "
            "content_hash, published_ts, first_seen_ts, order_ts, shingles, minhash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc_id,
                cluster_id,
                before,
                source,
                chash,
                published_ts,
                seen_ts,
                order_ts,
                count,
                blob,
            ),
        )
        # An exact copy falls in every bucket of the article it copies, which already leads to
        # the cluster; its band rows would only cost ~40 random page writes.
        if signature is not None and match != "exact":
            self._write_bands(cursor.lastrowid, signature)
        original = self._elect(cluster_id, before)
        return Assignment(
            cluster_id, None if original == doc_id else original, match, matched_id, similarity
        )

    def _update(
        self,
        row: _Row,
        signed: tuple[LeanMinHash | None, int],
        chash: str | None,
        published_ts: float | None,
    ) -> Assignment:
        """A re-crawl: keep the cluster, refresh the signature and dates, re-elect if needed.
        A body that lost all its words keeps the old signature (an extraction hiccup)."""
        before = self._original(row.cluster_id)
        signature, count = signed
        if chash != row.content_hash and signature is not None:
            if row.minhash is not None:
                old_keys = band_keys(self.signer.from_blob(row.minhash), self.layout)
                self.conn.executemany(
                    "DELETE FROM cluster_bands WHERE bucket = ? AND sig = ?",
                    [(key, row.sig) for key in old_keys],
                )
            self.conn.execute(
                "UPDATE cluster_signatures SET content_hash = ?, shingles = ?, minhash = ? "
                "WHERE sig = ?",
                (chash, count, self.signer.to_blob(signature), row.sig),
            )
            self._write_bands(row.sig, signature)
        if published_ts is not None and published_ts != row.published_ts:
            self.conn.execute(
                "UPDATE cluster_signatures SET published_ts = ?, order_ts = ? WHERE sig = ?",
                (published_ts, published_ts, row.sig),
            )
        original = self._elect(row.cluster_id, before)
        return Assignment(row.cluster_id, None if original == row.doc_id else original, "known")

    def _exact_match(self, doc_id: str, source: str, chash: str | None) -> _Row | None:
        """The earliest indexed article with the same text; raises for a same-source copy."""
        if not chash or chash == _EMPTY_TEXT_HASH:
            return None  # an empty article says nothing about which story it is
        rows = [
            _Row(*r)
            for r in self.conn.execute(
                f"SELECT {_ROW_COLUMNS} FROM cluster_signatures WHERE content_hash = ? "
                "ORDER BY order_ts, first_seen_ts, sig",
                (chash,),
            )
        ]
        for row in rows:
            if row.source == source:
                raise SameSourceCopy(doc_id, source, row.doc_id)
        return rows[0] if rows else None

    def _near_match(self, signature: LeanMinHash) -> tuple[tuple[str, str], float] | None:
        """(doc id, cluster id) of the most similar indexed article at or above the threshold;
        between equally similar ones, the earlier."""
        found = self._scored_candidates(signature)
        if not found:
            return None
        negated, _, doc_id, cluster_id = min(found)
        return (doc_id, cluster_id), -negated

    def _scored_candidates(self, signature: LeanMinHash) -> list[tuple[float, float, str, str]]:
        """(-similarity, order_ts, doc id, cluster id) of LSH candidates at or above threshold."""
        keys = band_keys(signature, self.layout)
        marks = ",".join("?" * len(keys))
        rows = self.conn.execute(
            "SELECT s.doc_id, s.cluster_id, s.minhash, s.order_ts FROM cluster_signatures s "
            f"JOIN (SELECT sig, COUNT(*) AS shared FROM cluster_bands WHERE bucket IN ({marks}) "
            "GROUP BY sig ORDER BY shared DESC LIMIT ?) c ON c.sig = s.sig",
            (*keys, MAX_CANDIDATES),
        ).fetchall()
        found = []
        for doc_id, cluster_id, blob, order_ts in rows:
            similarity = signature.jaccard(self.signer.from_blob(blob))
            if similarity >= self.threshold:
                found.append((-similarity, order_ts, doc_id, cluster_id))
        return found

    def _write_bands(self, sig: int, signature: LeanMinHash) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO cluster_bands (bucket, sig) VALUES (?, ?)",
            [(key, sig) for key in band_keys(signature, self.layout)],
        )

    def _row_by_doc(self, doc_id: str) -> _Row | None:
        row = self.conn.execute(
            f"SELECT {_ROW_COLUMNS} FROM cluster_signatures WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return _Row(*row) if row else None

    def _original(self, cluster_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT doc_id FROM cluster_signatures WHERE cluster_id = ? "
            "ORDER BY order_ts, first_seen_ts, sig LIMIT 1",
            (cluster_id,),
        ).fetchone()
        return row[0] if row else None

    def _elect(self, cluster_id: str, before: str | None) -> str:
        """Make the earliest member the original; rewrite duplicate_of only when it changed."""
        original = self._original(cluster_id)
        assert original is not None  # the caller has just written a member
        if before is None or original == before:
            return original  # a new cluster's only member was written as its own original
        logger.info(
            "story %s: %s is earlier than %s and becomes the original", cluster_id, original, before
        )
        params = {"original": original, "cluster": cluster_id}
        self.conn.execute(
            "UPDATE cluster_signatures SET duplicate_of = "
            "CASE WHEN doc_id = :original THEN NULL ELSE :original END "
            "WHERE cluster_id = :cluster",
            params,
        )
        if self._has_documents():
            self.conn.execute(
                "UPDATE documents SET duplicate_of = "
                "CASE WHEN id = :original THEN NULL ELSE :original END "
                "WHERE cluster_id = :cluster",
                params,
            )
        return original

    def _has_documents(self) -> bool:
        return (
            self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'"
            ).fetchone()
            is not None
        )


_ROW_COLUMNS = "sig, doc_id, cluster_id, source, content_hash, published_ts, first_seen_ts, minhash"
