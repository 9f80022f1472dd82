"""Several crawler processes, on any hosts, sharing one crawl through Redis.

With ``PANTAU_REDIS_URL`` set, `pantau crawl` and `scrapy crawl news` replace three Scrapy
components, one module each, all talking to one Redis:

- ``scheduler.RedisScheduler``: the frontier (a priority queue) and the request dupefilter of
  the run, shared by every process. A process that takes a request holds it on a lease tied to
  its heartbeat; a process killed with SIGKILL stops beating and what it held goes back to the
  frontier for another process (or the next run) to fetch. A run ends when the frontier is empty
  and no live process holds work.
- ``lease.LeaseMiddleware``: hands a request back as done once its page has been read and every
  item it yielded has passed the pipelines.
- ``state``: the crawl state's marks and cursors (``RedisMarks``) and the run ledger
  (``RedisLedger``: keys already scheduled this run, cursors proposed), behind the same
  interface as the embedded back end.

Why not scrapy-redis: its last release pops a request destructively (a process killed between
the pop and the store loses the request until some later run rediscovers it), its idle handling
either ends a process while others still hold work or keeps it alive forever, and it pickles
requests (code execution for anyone who can write to the Redis). This layer is small, on
redis-py, and tested with real processes and SIGKILL against a real Redis.

The client is made once per crawler by ``client_for`` (tests pass their own server's URL).
"""

from __future__ import annotations

import hashlib
import os
import socket
import uuid
from typing import Any

from crawler.components import shared

DEFAULT_PREFIX = "pantau"


class RedisCrawl:
    """Names and connection of the shared crawl this process takes part in."""

    def __init__(self, crawler: Any) -> None:
        import redis

        settings = crawler.settings
        self.crawler = crawler
        self.url = settings.get("PANTAU_REDIS_URL")
        self.prefix = settings.get("PANTAU_REDIS_PREFIX") or DEFAULT_PREFIX
        self.client = redis.Redis.from_url(
            self.url, socket_timeout=30, socket_connect_timeout=10, health_check_interval=30
        )
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.heartbeat = settings.getfloat("PANTAU_REDIS_HEARTBEAT", 2.0)
        self.run_ttl = settings.getint("PANTAU_REDIS_RUN_TTL", 6 * 3600)
        self._run_id: str | None = None

    @property
    def run_id(self) -> str:
        """One run per spider and set of sources: processes crawling the same join it."""
        if self._run_id is None:
            from crawler.registry import SourceRegistry

            ids = sorted(s.id for s in SourceRegistry.from_crawler(self.crawler))
            digest = hashlib.sha1(",".join(ids).encode()).hexdigest()[:12]
            self._run_id = f"{self.crawler.spidercls.name}:{digest}"
        return self._run_id

    def key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def run_key(self, name: str) -> str:
        return self.key("run", self.run_id, name)


def redis_enabled(settings: Any) -> bool:
    return bool(settings.get("PANTAU_REDIS_URL"))


def client_for(crawler: Any) -> RedisCrawl:
    return shared(crawler, RedisCrawl, lambda: RedisCrawl(crawler))


def redis_state_for(crawler: Any) -> tuple[Any, Any]:
    from crawler.distributed.state import RedisLedger, RedisMarks

    crawl = client_for(crawler)
    return RedisMarks(crawl), RedisLedger(crawl)
