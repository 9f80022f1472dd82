"""The shared frontier: a Scrapy scheduler over Redis, with leases that die with their process.

Keys, under ``<prefix>:run:<run id>:``: ``frontier`` (sorted set of request ids, by priority
then arrival), ``requests`` (hash: id -> JSON request), ``held`` (hash: id -> worker),
``workers`` (sorted set: worker -> lease deadline, in Redis server time), ``dupefilter`` (set of
request fingerprints), ``seq`` (counter). Every operation that moves a request is one Lua
script, so no interleaving of processes can lose or duplicate it.

``PantauScheduler`` is what the settings name: it is this scheduler when PANTAU_REDIS_URL is
set, and Scrapy's own otherwise.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.core.scheduler import BaseScheduler, Scheduler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request
from twisted.internet import task

from crawler.distributed import RedisCrawl, client_for, redis_enabled
from crawler.distributed.codec import dumps, loads
from crawler.distributed.lease import LEASE_ID, Leases

logger = logging.getLogger(__name__)


_NOW = "local t = redis.call('TIME'); local now = tonumber(t[1]) + tonumber(t[2]) / 1e6\n"

# KEYS: frontier, requests, held, dupefilter, seq. ARGV: fingerprint ('' = do not filter),
# payload, priority, id of the request this one replaces ('' = none), ttl.
_ENQUEUE = """
if ARGV[4] ~= '' then
  redis.call('HDEL', KEYS[3], ARGV[4]); redis.call('HDEL', KEYS[2], ARGV[4])
end
if ARGV[1] ~= '' and redis.call('SADD', KEYS[4], ARGV[1]) == 0 then return 0 end
local id = redis.call('INCR', KEYS[5])
redis.call('HSET', KEYS[2], id, ARGV[2])
redis.call('ZADD', KEYS[1], -tonumber(ARGV[3]) * 1e10 + id, id)
for i = 1, 5 do redis.call('EXPIRE', KEYS[i], ARGV[5]) end
return id
"""

# KEYS: frontier, requests, held. ARGV: worker. Returns {id, payload} or nil.
_POP = """
while true do
  local top = redis.call('ZPOPMIN', KEYS[1])
  if #top == 0 then return nil end
  local payload = redis.call('HGET', KEYS[2], top[1])
  if payload then
    redis.call('HSET', KEYS[3], top[1], ARGV[1])
    return {top[1], payload}
  end
end
"""

# KEYS: requests, held. ARGV: id.
_ACK = """
redis.call('HDEL', KEYS[2], ARGV[1]); redis.call('HDEL', KEYS[1], ARGV[1]); return 1
"""

# KEYS: frontier, held, workers. ARGV: worker ('' = none), lease seconds, ttl, leaving (0/1).
# Renews this worker's lease (or removes it when leaving), then puts back in the frontier
# whatever is held by a worker whose lease ran out, or by this worker when it leaves.
_BEAT = (
    _NOW
    + """
if ARGV[1] ~= '' then
  if ARGV[4] == '1' then redis.call('ZREM', KEYS[3], ARGV[1])
  else redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[1]) end
end
local dead = {}
for _, w in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do dead[w] = true end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local held = redis.call('HGETALL', KEYS[2])
local back = 0
for i = 1, #held, 2 do
  local id, w = held[i], held[i + 1]
  local alive = redis.call('ZSCORE', KEYS[3], w)
  if dead[w] or not alive or (ARGV[4] == '1' and w == ARGV[1]) then
    redis.call('HDEL', KEYS[2], id)
    redis.call('ZADD', KEYS[1], 'NX', tonumber(id), id)
    back = back + 1
  end
end
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[3]) end
return {back, redis.call('ZCARD', KEYS[1]), redis.call('HLEN', KEYS[2]),
        redis.call('ZCARD', KEYS[3])}
"""
)


class PantauScheduler(BaseScheduler):
    """Chooses the scheduler: the shared Redis frontier, or Scrapy's own."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> BaseScheduler:  # type: ignore[override]
        if redis_enabled(crawler.settings):
            return RedisScheduler.from_crawler(crawler)
        return Scheduler.from_crawler(crawler)


class RedisScheduler(BaseScheduler):
    def __init__(self, crawler: Any, crawl: RedisCrawl) -> None:
        self.crawler = crawler
        self.crawl = crawl
        self.redis = crawl.client
        self.lease_seconds = crawl.heartbeat * 5
        self.spider: Any = None
        self._enqueue = self.redis.register_script(_ENQUEUE)
        self._pop = self.redis.register_script(_POP)
        self._ack = self.redis.register_script(_ACK)
        self._beat = self.redis.register_script(_BEAT)
        self._loop: task.LoopingCall | None = None
        self._last_pop_empty = False
        self.last_out = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisScheduler:
        scheduler = cls(crawler, client_for(crawler))
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(scheduler.spider_closed, signal=signals.spider_closed)
        Leases.for_crawler(crawler).ack = scheduler.ack
        return scheduler

    # -- keys -------------------------------------------------------------------------------------
    def _keys(self, *names: str) -> list[str]:
        return [self.crawl.run_key(name) for name in names]

    # -- Scrapy's scheduler interface --------------------------------------------------------------
    def open(self, spider: Any) -> None:
        self.spider = spider
        back = self.beat()[0]
        logger.info(
            "joined shared crawl %s as %s (%d request(s) taken back from stopped processes)",
            self.crawl.run_id,
            self.crawl.worker,
            back,
        )
        self._loop = task.LoopingCall(self.beat)
        self._loop.start(self.crawl.heartbeat, now=False)

    def close(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        back, frontier, held, workers = self.beat(leaving=True)
        if back:
            logger.info("handed %d unfinished request(s) back to the shared frontier", back)
        self.last_out = frontier == 0 and held == 0 and workers == 0

    def spider_closed(self, spider: Any, reason: str) -> None:
        # after the crawl state has committed the run's cursors: the last process out clears
        # the run, so the next run starts a fresh frontier and dupefilter
        if self.last_out and reason == "finished":
            self.redis.delete(*self.redis.keys(self.crawl.run_key("*")))

    def has_pending_requests(self) -> bool:
        if not self._last_pop_empty:
            return True  # the engine asks again at once; the next pop tells
        return bool(self.redis.zcard(self.crawl.run_key("frontier")))

    def enqueue_request(self, request: Request) -> bool:
        replaced = request.meta.pop(LEASE_ID, "")
        fingerprint = ""
        if not request.dont_filter:
            fingerprint = self.crawler.request_fingerprinter.fingerprint(request).hex()
        new_id = self._enqueue(
            keys=self._keys("frontier", "requests", "held", "dupefilter", "seq"),
            args=[
                fingerprint,
                dumps(request, self.spider),
                request.priority,
                replaced,
                self.crawl.run_ttl,
            ],
        )
        if not new_id:
            self.crawler.stats.inc_value("scheduler/filtered")
            return False
        self._last_pop_empty = False
        self.crawler.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        found = self._pop(keys=self._keys("frontier", "requests", "held"), args=[self.crawl.worker])
        if not found:
            self._last_pop_empty = True
            return None
        self._last_pop_empty = False
        request_id, payload = found
        request = loads(payload, self.spider)
        request.meta[LEASE_ID] = request_id.decode()
        self.crawler.stats.inc_value("scheduler/dequeued/redis")
        return request

    def __len__(self) -> int:
        return int(self.redis.zcard(self.crawl.run_key("frontier")))

    # -- leases -----------------------------------------------------------------------------------
    def ack(self, request_id: str) -> None:
        self._ack(keys=self._keys("requests", "held"), args=[request_id])

    def beat(self, leaving: bool = False) -> list[int]:
        return [
            int(x)
            for x in self._beat(
                keys=self._keys("frontier", "held", "workers"),
                args=[
                    self.crawl.worker,
                    self.lease_seconds,
                    self.crawl.run_ttl,
                    1 if leaving else 0,
                ],
            )
        ]

    def spider_idle(self, spider: Any) -> None:
        """Idle here is not the end while another process may still add to the frontier."""
        missed = Leases.for_crawler(self.crawler).settle_all()
        if missed:  # nothing is in flight when idle: these were finished, not lost
            logger.warning("%d finished request(s) were still marked held; released", missed)
        back, frontier, held, _ = self.beat()
        if frontier or held:
            self._last_pop_empty = False
            raise DontCloseSpider
