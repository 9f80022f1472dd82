"""Which state back end a crawl uses: Redis when PANTAU_REDIS_URL is set, else the store."""

from __future__ import annotations

from typing import Any

from crawler.state.backends import LocalLedger, MarkStore, RunLedger, SqliteMarks
from pantau.store import store_for_crawler


def backends_for(crawler: Any) -> tuple[MarkStore, RunLedger]:
    url = crawler.settings.get("PANTAU_REDIS_URL")
    if url:
        from crawler.distributed import redis_state_for

        return redis_state_for(crawler)
    return SqliteMarks(store_for_crawler(crawler)), LocalLedger()
