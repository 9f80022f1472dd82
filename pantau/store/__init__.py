"""Store selection: the embedded SQLite store by default, one instance per crawl."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

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
    """PANTAU_STORE from Scrapy settings, else the environment, else data/pantau.db."""
    value = settings.get("PANTAU_STORE") if settings is not None else None
    return Path(value or os.environ.get("PANTAU_STORE") or DEFAULT_STORE_PATH)


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
