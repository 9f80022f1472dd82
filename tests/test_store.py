import os
import signal
import subprocess
import sys
import time

import pytest

from pantau.store import SqliteStore, StoreError, open_store, store_path


def article(n: int, **extra):
    return {
        "id": f"id{n}",
        "url": f"https://x.id/berita/{n}",
        "canonical_url": f"https://x.id/berita/{n}",
        "source": "x",
        "title": f"Judul {n}",
        "body": f"Isi berita nomor {n} tentang pemilu.",
        "published_at": "2024-01-02T10:00:00+07:00",
        "authors": ["Redaksi"],
        **extra,
    }


def test_upsert_tells_new_updated_unchanged(tmp_path):
    store = SqliteStore(tmp_path / "s.db")
    assert store.upsert(article(1)) == "new"
    assert store.upsert(article(1)) == "unchanged"
    assert store.upsert(article(1, body="Isi diperbarui.")) == "updated"
    assert (
        store.upsert(article(1, body="Isi diperbarui.", modified_at="2024-01-03T10:00:00+07:00"))
        == "updated"
    )
    assert store.count() == 1
    doc = store.get("id1")
    assert doc["body"] == "Isi diperbarui." and doc["authors"] == ["Redaksi"]
    assert doc["first_seen_at"] <= doc["updated_at"]
    # the full-text index follows the update, not the old text
    assert [h["id"] for h in store.search("diperbarui")] == ["id1"]
    assert store.search("nomor") == []
    store.close()


def test_wal_mode_and_missing_fields_refused(tmp_path):
    store = SqliteStore(tmp_path / "s.db")
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with pytest.raises(ValueError, match="lacks id"):
        store.upsert({"url": "u", "source": "x"})
    store.close()


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open store"):
        SqliteStore(path)


def test_crawl_state_and_marks_survive_reopening(tmp_path):
    path = tmp_path / "s.db"
    store = SqliteStore(path)
    store.mark_fetched(
        "x", "https://x.id/a", lastmod="2024-01-01T00:00:00+00:00", doc_id="d", status="stored"
    )
    store.set_mark("x", "wp_modified_after", "2024-01-01T00:00:00+00:00")
    store.close()
    again = SqliteStore(path)
    row = again.crawl_state("x")["https://x.id/a"]
    assert row["lastmod"] == "2024-01-01T00:00:00+00:00" and row["status"] == "stored"
    assert again.get_mark("x", "wp_modified_after") == "2024-01-01T00:00:00+00:00"
    assert again.get_mark("x", "other") is None
    again.close()


def test_store_path_from_settings_then_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PANTAU_STORE", str(tmp_path / "env.db"))
    assert store_path() == tmp_path / "env.db"
    assert store_path({"PANTAU_STORE": str(tmp_path / "set.db")}) == tmp_path / "set.db"
    monkeypatch.delenv("PANTAU_STORE")
    monkeypatch.setenv("PANTAU_HOME", str(tmp_path / "home"))
    assert store_path() == tmp_path / "home" / "data" / "pantau.db"
    open_store(tmp_path / "deep" / "dir" / "s.db").close()  # parent folders are made


def test_cluster_summary_counts_outlets(tmp_path):
    store = SqliteStore(tmp_path / "s.db")
    store.upsert(article(1, cluster_id="c1"))
    store.upsert(article(2, cluster_id="c1", source="y", published_at="2024-01-05T10:00:00+07:00"))
    store.upsert(article(3, cluster_id="c1", source="y", published_at="2024-01-06T10:00:00+07:00"))
    summary = store.cluster_summary("c1")
    assert {k: summary[k] for k in ("outlets", "size", "first_source", "first_url")} == {
        "outlets": 2,
        "size": 3,
        "first_source": "x",
        "first_url": "https://x.id/berita/1",
    }
    assert summary["first_seen"] == "2024-01-02T10:00:00+07:00"
    assert summary["sources"] == ["x", "y"]
    store.close()


WRITER = """
import sys
from pantau.store import SqliteStore
store = SqliteStore(sys.argv[1])
n = 0
while True:
    n += 1
    store.upsert({"id": f"id{n}", "url": f"https://x.id/{n}", "canonical_url": f"https://x.id/{n}",
                  "source": "x", "title": f"Judul {n}", "body": "isi " * 400})
    print(n, flush=True)
"""


def test_killed_mid_write_loses_nothing_committed(tmp_path):
    path = tmp_path / "kill.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    acknowledged = 0
    deadline = time.monotonic() + 20
    while acknowledged < 300 and time.monotonic() < deadline:
        acknowledged = int(proc.stdout.readline() or acknowledged)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert acknowledged >= 300
    store = SqliteStore(path)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    count = store.count()
    assert count >= acknowledged  # every upsert that returned was durable
    fts = store.conn.execute("SELECT COUNT(*) FROM documents_fts").fetchone()[0]
    assert fts == count
    # FTS5's own consistency check raises if the index and the table disagree
    store.conn.execute(
        "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)"
    )
    store.close()
