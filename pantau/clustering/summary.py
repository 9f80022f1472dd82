"""How far a story spread, read from the store's documents table (for search and the CLI)."""

from __future__ import annotations

import sqlite3
from typing import Any


def cluster_summary(conn: sqlite3.Connection, cluster_id: str) -> dict[str, Any]:
    """Outlets carrying a story, its size, and where and when it was first seen.

    The original is the stored member without ``duplicate_of`` (the earliest, as the cluster
    index elected it); ``first_seen`` is its ``published_at``, else its ``first_seen_at``. A
    cluster with no stored documents gives size 0 and None for the rest.
    """
    size, outlets = conn.execute(
        "SELECT COUNT(*), COUNT(DISTINCT source) FROM documents WHERE cluster_id = ?",
        (cluster_id,),
    ).fetchone()
    # Originals first; seen_ts orders members when the original itself is not stored (yet).
    first = conn.execute(
        "SELECT id, source, url, COALESCE(published_at, first_seen_at) FROM documents "
        "WHERE cluster_id = ? ORDER BY duplicate_of IS NOT NULL, seen_ts, rowid LIMIT 1",
        (cluster_id,),
    ).fetchone()
    sources = [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT source FROM documents WHERE cluster_id = ? ORDER BY source",
            (cluster_id,),
        )
    ]
    return {
        "cluster_id": cluster_id,
        "size": size,
        "outlets": outlets,
        "sources": sources,
        "original_id": first[0] if first else None,
        "first_source": first[1] if first else None,
        "first_url": first[2] if first else None,
        "first_seen": first[3] if first else None,
    }
