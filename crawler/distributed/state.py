"""Crawl state in Redis: the same interface as ``crawler.state.backends``, shared by processes.

Durable (no expiry): ``<prefix>:marks:<source>`` (hash: key -> JSON lastmod/status/doc id/time)
and ``<prefix>:cursors`` (hash: "source|name" -> value). Per run, under
``<prefix>:run:<run id>:``: ``seen`` (set of scheduled keys), ``cursor:proposed`` (hash),
``cursor:complete`` and ``cursor:failed`` (sets).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from crawler.distributed import RedisCrawl
from crawler.state.backends import Mark
from pantau.times import utc_now

# Keep the later of the stored and the offered cursor value, atomically across processes:
# numbers as numbers, anything else as text (cursor times are written in one offset, UTC).
_PROPOSE = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
local newer = not old
if old then
  local a, b = tonumber(old), tonumber(ARGV[2])
  if a and b then newer = b > a else newer = ARGV[2] > old end
end
if newer then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return newer and 1 or 0
"""


def _field(source: str, name: str) -> str:
    return f"{source}|{name}"


class RedisMarks:
    def __init__(self, crawl: RedisCrawl) -> None:
        self.crawl = crawl
        self.redis = crawl.client

    def marks(self, source: str, keys: Sequence[str]) -> dict[str, Mark]:
        if not keys:
            return {}
        values = self.redis.hmget(self.crawl.key("marks", source), list(keys))
        found = {}
        for key, raw in zip(keys, values, strict=True):
            if raw is not None:
                data = json.loads(raw)
                found[key] = Mark(data.get("lastmod"), data.get("status", "stored"))
        return found

    def record(
        self,
        source: str,
        keys: Sequence[str],
        *,
        lastmod: str | None,
        doc_id: str | None,
        status: str,
    ) -> None:
        value = json.dumps(
            {"lastmod": lastmod, "status": status, "doc_id": doc_id, "fetched_at": utc_now()}
        )
        if keys:
            self.redis.hset(self.crawl.key("marks", source), mapping=dict.fromkeys(keys, value))

    def cursor(self, source: str, name: str) -> str | None:
        raw = self.redis.hget(self.crawl.key("cursors"), _field(source, name))
        return raw.decode() if raw is not None else None

    def set_cursor(self, source: str, name: str, value: str) -> None:
        self.redis.hset(self.crawl.key("cursors"), _field(source, name), value)


class RedisLedger:
    def __init__(self, crawl: RedisCrawl) -> None:
        self.crawl = crawl
        self.redis = crawl.client
        self._propose = self.redis.register_script(_PROPOSE)

    def claim(self, keys: Sequence[str]) -> list[bool]:
        if not keys:
            return []
        seen = self.crawl.run_key("seen")
        pipe = self.redis.pipeline(transaction=False)
        for key in keys:
            pipe.sadd(seen, key)
        pipe.expire(seen, self.crawl.run_ttl)
        return [bool(added) for added in pipe.execute()[:-1]]

    def propose_cursor(self, source: str, name: str, value: str) -> None:
        key = self.crawl.run_key("cursor:proposed")
        self._propose(keys=[key], args=[_field(source, name), value, self.crawl.run_ttl])

    def cursor_outcome(self, source: str, name: str, *, complete: bool) -> None:
        key = self.crawl.run_key("cursor:complete" if complete else "cursor:failed")
        self.redis.pipeline(transaction=False).sadd(key, _field(source, name)).expire(
            key, self.crawl.run_ttl
        ).execute()

    def settled_cursors(self) -> list[tuple[str, str, str]]:
        proposed = self.redis.hgetall(self.crawl.run_key("cursor:proposed"))
        complete = {m.decode() for m in self.redis.smembers(self.crawl.run_key("cursor:complete"))}
        failed = {m.decode() for m in self.redis.smembers(self.crawl.run_key("cursor:failed"))}
        settled = []
        for field, value in proposed.items():
            name = field.decode()
            if name in complete and name not in failed:
                source, _, cursor = name.partition("|")
                settled.append((source, cursor, value.decode()))
        return settled
