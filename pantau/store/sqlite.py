"""The embedded default store: SQLite with FTS5, WAL, one row per article."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pantau.query import (
    Query,
    QueryError,
    compile_query,
    fts_rank_expression,
    parse_when,
    register_sql_functions,
    to_sql,
)
from pantau.schema import ITEM_FIELDS
from pantau.times import iso_to_epoch, utc_now
from pantau.urls import content_hash

UpsertResult = Literal["new", "updated", "unchanged"]

_JSON_FIELDS = ("authors", "tags", "keywords", "topics", "regions", "entities")
_EMPTY_JSON = {"entities": "{}"}
# Columns an item writes; store-only columns (first_seen_at, updated_at, *_ts) are derived.
_ITEM_COLUMNS = tuple(ITEM_FIELDS)


class StoreError(RuntimeError):
    """The store file cannot be opened or is not a pantau store."""


class SqliteStore:
    """Documents, full-text search and crawl state in one SQLite file.

    WAL journaling and one transaction per write keep the file consistent when the process is
    killed mid-write: a torn transaction is rolled back on the next open.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(
                str(path), timeout=30, isolation_level=None, check_same_thread=False
            )
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            schema = resources.files("pantau.store").joinpath("schema.sql").read_text("utf-8")
            self.conn.executescript(schema)
            _add_missing_columns(self.conn)
            register_sql_functions(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open store {path}: {exc}") from exc
        self._lock = threading.RLock()
        self._depth = 0

    # -- transactions -------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; nested uses join the outer transaction."""
        with self._lock:
            outer = self._depth == 0
            if outer:
                self.conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self.conn
            except BaseException:
                self._depth -= 1
                if outer:
                    self.conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    # -- documents ----------------------------------------------------------------------------
    def upsert(self, item: Mapping[str, Any]) -> UpsertResult:
        """Insert or update one article by its id; tell whether it was new, changed or not."""
        row = _row_from_item(item)
        now = utc_now()
        with self.transaction() as conn:
            old = conn.execute(
                "SELECT content_hash, modified_at, first_seen_at FROM documents WHERE id = ?",
                (row["id"],),
            ).fetchone()
            if old is None:
                row["first_seen_at"] = row["crawled_at"] or now
                row["updated_at"] = now
                row["seen_ts"] = row["published_ts"] or iso_to_epoch(row["first_seen_at"])
                cols = ", ".join(row)
                marks = ", ".join("?" for _ in row)
                conn.execute(
                    f"INSERT INTO documents ({cols}) VALUES ({marks})", tuple(row.values())
                )
                return "new"
            changed = (
                old["content_hash"] != row["content_hash"]
                or old["modified_at"] != row["modified_at"]
            )
            row["first_seen_at"] = old["first_seen_at"]
            row["seen_ts"] = row["published_ts"] or iso_to_epoch(old["first_seen_at"])
            if changed:
                row["updated_at"] = now
            sets = ", ".join(f"{col} = ?" for col in row if col != "id")
            values = [v for col, v in row.items() if col != "id"]
            conn.execute(f"UPDATE documents SET {sets} WHERE id = ?", (*values, row["id"]))
            return "updated" if changed else "unchanged"

    def get(self, doc_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return document_from_row(row) if row else None

    def count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def iter_documents(self, where: str = "1", params: tuple = ()) -> Iterator[dict[str, Any]]:
        for row in self.conn.execute(
            f"SELECT * FROM documents WHERE {where} ORDER BY seen_ts, rowid", params
        ):
            yield document_from_row(row)

    # -- search -------------------------------------------------------------------------------
    def search(
        self,
        query: str | Query,
        *,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
    ) -> list[dict[str, Any]]:
        """Documents matching a Lucene-syntax query, best first, each with its story cluster.

        ``since``/``until`` bound the publication time (first-seen time when unknown) and take
        ISO dates or relative spans such as ``24h`` or ``7d``.
        """
        compiled = query if isinstance(query, Query) else compile_query(query)
        where, params = to_sql(compiled, "d")
        clauses, extra = [where], []
        if source:
            clauses.append("d.source = ?")
            extra.append(source)
        for bound, op in ((since, ">="), (until, "<=")):
            if bound:
                moment = parse_when(bound)
                if moment is None:
                    raise QueryError(f"cannot read date {bound!r}")
                if op == "<=" and len(bound.strip()) == 10:  # a bare day includes the whole day
                    moment += timedelta(days=1) - timedelta(microseconds=1)
                clauses.append(f"d.seen_ts {op} ?")
                extra.append(moment.timestamp())
        rank = fts_rank_expression(compiled)
        if rank:
            sql = (
                "SELECT d.*, -r.rank AS score FROM documents d LEFT JOIN "
                "(SELECT rowid, bm25(documents_fts, 2.0, 1.0) AS rank FROM documents_fts "
                "WHERE documents_fts MATCH ?) r ON r.rowid = d.rowid "
                f"WHERE {' AND '.join(clauses)} ORDER BY score DESC, d.seen_ts DESC LIMIT ?"
            )
            args = [rank, *params, *extra, limit]
        else:
            sql = (
                f"SELECT d.*, 0.0 AS score FROM documents d WHERE {' AND '.join(clauses)} "
                "ORDER BY d.seen_ts DESC LIMIT ?"
            )
            args = [*params, *extra, limit]
        hits = []
        for row in self.conn.execute(sql, args):
            hit = document_from_row(row)
            hit["score"] = round(row["score"] or 0.0, 4)
            hit["cluster"] = self.cluster_summary(hit["cluster_id"]) if hit["cluster_id"] else None
            hits.append(hit)
        return hits

    def cluster_summary(self, cluster_id: str) -> dict[str, Any]:
        """How far a story spread: outlets carrying it, size, and where it was first seen."""
        from pantau.clustering.summary import cluster_summary  # its import pulls in datasketch

        return cluster_summary(self.conn, cluster_id)

    # -- crawl state --------------------------------------------------------------------------
    def crawl_state(self, source: str) -> dict[str, sqlite3.Row]:
        rows = self.conn.execute(
            "SELECT url, lastmod, fetched_at, doc_id, status FROM crawl_state WHERE source = ?",
            (source,),
        )
        return {row["url"]: row for row in rows}

    def crawl_marks(self, source: str, urls: Sequence[str]) -> dict[str, tuple[str | None, str]]:
        """``{url: (lastmod, status)}`` for those of ``urls`` the crawl state knows."""
        found: dict[str, tuple[str | None, str]] = {}
        for start in range(0, len(urls), 500):  # SQLite caps the number of parameters
            chunk = list(urls[start : start + 500])
            marks = ", ".join("?" for _ in chunk)
            sql = (
                "SELECT url, lastmod, status FROM crawl_state "
                f"WHERE source = ? AND url IN ({marks})"
            )
            for row in self.conn.execute(sql, (source, *chunk)):
                found[row[0]] = (row[1], row[2])
        return found

    def mark_fetched(
        self, source: str, url: str, *, lastmod: str | None, doc_id: str | None, status: str
    ) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO crawl_state (source, url, lastmod, fetched_at, doc_id, status) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, url) DO UPDATE SET "
                "lastmod = excluded.lastmod, fetched_at = excluded.fetched_at, "
                "doc_id = excluded.doc_id, status = excluded.status",
                (source, url, lastmod, utc_now(), doc_id, status),
            )

    def get_mark(self, source: str, name: str) -> str | None:
        row = self.conn.execute(
            "SELECT value FROM source_marks WHERE source = ? AND name = ?", (source, name)
        ).fetchone()
        return row[0] if row else None

    def set_mark(self, source: str, name: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO source_marks (source, name, value) VALUES (?, ?, ?) "
                "ON CONFLICT (source, name) DO UPDATE SET value = excluded.value",
                (source, name, value),
            )


# Item columns a store created by an older version lacks get added on open; the SQL type follows
# the schema kind (only nullable columns are ever added, so old rows stay valid).
_SQL_TYPES = {"float": "REAL", "int": "INTEGER"}
_LATE_INDEXES = {"verdict": "CREATE INDEX IF NOT EXISTS documents_verdict ON documents(verdict)"}


def _add_missing_columns(conn: sqlite3.Connection) -> None:
    present = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
    missing = [name for name in _ITEM_COLUMNS if name not in present]
    if missing:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            present = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
            for name in missing:
                if name in present:
                    continue
                kind = ITEM_FIELDS[name]
                default = " NOT NULL DEFAULT '[]'" if name in _JSON_FIELDS else ""
                sql_type = _SQL_TYPES.get(kind, "TEXT")
                conn.execute(f"ALTER TABLE documents ADD COLUMN {name} {sql_type}{default}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    for sql in _LATE_INDEXES.values():
        conn.execute(sql)


def _row_from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    missing = [f for f in ("id", "url", "canonical_url", "source") if not item.get(f)]
    if missing:
        raise ValueError(f"item lacks {', '.join(missing)}: {item.get('url')!r}")
    row: dict[str, Any] = {}
    for col in _ITEM_COLUMNS:
        value = item.get(col)
        if col in _JSON_FIELDS:
            value = json.dumps(value, ensure_ascii=False) if value else _EMPTY_JSON.get(col, "[]")
        row[col] = value
    row["content_hash"] = row["content_hash"] or content_hash(row["title"], row["body"])
    row["source_type"] = row["source_type"] or "news"
    row["crawled_at"] = row["crawled_at"] or utc_now()
    row["published_ts"] = iso_to_epoch(row["published_at"])
    return row


def document_from_row(row: sqlite3.Row) -> dict[str, Any]:
    """A stored row as an item-shaped dict (JSON columns decoded, store-only times kept)."""
    doc = {key: row[key] for key in row.keys() if key not in ("rowid", "published_ts", "seen_ts")}
    for col in _JSON_FIELDS:
        doc[col] = json.loads(doc[col]) if doc.get(col) else ({} if col == "entities" else [])
    return doc
