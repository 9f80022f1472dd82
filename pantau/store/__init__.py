"""Store selection: the embedded SQLite store by default, one instance per crawl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pantau.paths import configured_path
from pantau.store.sqlite import SqliteStore, StoreError, UpsertResult

DEFAULT_STORE_PATH = "data/pantau.db"

__all__ = [
    "DEFAULT_STORE_PATH",
    "SqliteStore",
    "StoreError",
    "UpsertResult",
    "open_store",
    "store_for_crawler",
    "store_path",
]


def store_path(settings: Any | None = None) -> Path:
    """PANTAU_STORE from Scrapy settings, else the environment, else data/pantau.db under the
    home (PANTAU_HOME)."""
    return configured_path("PANTAU_STORE", DEFAULT_STORE_PATH, settings)


def open_store(path: str | Path | None = None) -> SqliteStore:
    return SqliteStore(path or store_path())


def store_for_crawler(crawler: Any) -> SqliteStore:
    """The one store shared by every pipeline of a crawl; closed when the engine stops."""
    store = getattr(crawler, "_pantau_store", None)
    if store is None:
        from scrapy import signals

        store = SqliteStore(store_path(crawler.settings))
        crawler._pantau_store = store

        def _close() -> None:
            store.close()
            crawler._pantau_store = None

        crawler.signals.connect(_close, signal=signals.engine_stopped, weak=False)
    return store
