"""Every default path resolves against PANTAU_HOME (default: the project), never the working
directory; explicit paths are taken as written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from crawler.sources import SOURCES_DIR, load_sources
from pantau.alerts import queries_path
from pantau.es.config import es_config_from
from pantau.paths import home
from pantau.store import store_path

ROOT = Path(__file__).resolve().parents[1]


def test_home_is_the_project_folder_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("PANTAU_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    assert home() == ROOT
    assert store_path() == ROOT / "data" / "pantau.db"
    assert queries_path() == ROOT / "index_config" / "queries"
    config = es_config_from({"ELASTICSEARCH_URL": "http://127.0.0.1:9"})
    assert config.spool_dir == ROOT / "data" / "es-spool"
    assert {s.id for s in load_sources()} == {s.id for s in load_sources(SOURCES_DIR)}


def test_pantau_home_moves_every_default(monkeypatch, tmp_path):
    monkeypatch.setenv("PANTAU_HOME", str(tmp_path))
    for name in ("PANTAU_STORE", "PANTAU_QUERIES", "PANTAU_ES_SPOOL"):
        monkeypatch.delenv(name, raising=False)
    assert store_path() == tmp_path / "data" / "pantau.db"
    assert queries_path() == tmp_path / "index_config" / "queries"
    config = es_config_from({"ELASTICSEARCH_URL": "http://127.0.0.1:9"})
    assert config.spool_dir == tmp_path / "data" / "es-spool"
    assert config.deadletter_path == tmp_path / "data" / "es-deadletter.jsonl"


def test_explicit_paths_are_taken_as_written(monkeypatch, tmp_path):
    monkeypatch.setenv("PANTAU_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PANTAU_STORE", "rel.db")
    assert store_path() == Path("rel.db")
    assert store_path({"PANTAU_STORE": str(tmp_path / "x.db")}) == tmp_path / "x.db"


def test_a_command_run_from_another_folder_finds_the_project_defaults(tmp_path):
    """`cd /tmp && pantau sources` lists the project's own outlets, not an empty folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("PANTAU_HOME", "PANTAU_SOURCES")}
    done = subprocess.run(
        [sys.executable, "-m", "pantau", "sources", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert '"republika"' in done.stdout
