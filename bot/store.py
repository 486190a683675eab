"""What the channel relay remembers between messages: button tokens, each resident's language and
message rate, short-lived adapter state (WeChat's numbered options, the platform's retries).

In Redis when REDIS_URL is set (shared by every bridge process, kept across restarts), else in this
process's memory (bounded: the least recently used keys go first). Keys are namespaced `cz:bot:`.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from typing import Protocol

from bot.limits import RateLimit
from core.settings import get_settings

PREFIX = "cz:bot:"
ALLOW = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(window) + 1)
redis.call('DEL', KEYS[2])
return 1
"""  # count a message in the sliding window unless it is full; a counted message ends the warning


class Store(Protocol):
    """The operations the relay and the adapters need; every method is a coroutine."""

    async def allow(self, sender: str) -> bool: ...  # count a message; False over the limit
    async def should_warn(self, sender: str) -> bool: ...  # True once per burst over the limit
    async def put(self, key: str, value: str, ttl: float) -> None: ...
    async def get(self, key: str) -> str | None: ...
    async def delete(self, key: str) -> None: ...
    async def once(self, key: str, ttl: float) -> bool: ...  # True the first time only
    async def close(self) -> None: ...


class MemoryStore:
    """One process's memory: lost on restart, not shared between processes."""

    def __init__(self, limit: int, window: float = 60.0, capacity: int = 100_000) -> None:
        self.limits = RateLimit(limit, window, max_keys=capacity)
        self.capacity = capacity
        self._values: OrderedDict[str, tuple[float, str]] = OrderedDict()

    async def allow(self, sender: str) -> bool:
        return self.limits.allow(sender)

    async def should_warn(self, sender: str) -> bool:
        return self.limits.should_warn(sender)

    async def put(self, key: str, value: str, ttl: float) -> None:
        self._values.pop(key, None)
        self._values[key] = (time.monotonic() + ttl, value)
        while len(self._values) > self.capacity:
            self._values.popitem(last=False)

    async def get(self, key: str) -> str | None:
        entry = self._values.get(key)
        if entry is None or entry[0] <= time.monotonic():
            self._values.pop(key, None)
            return None
        return entry[1]

    async def delete(self, key: str) -> None:
        self._values.pop(key, None)

    async def once(self, key: str, ttl: float) -> bool:
        if await self.get(key) is not None:
            return False
        await self.put(key, "1", ttl)
        return True

    async def close(self) -> None:
        """Nothing to release."""


class RedisStore:
    """Redis: a sliding window per sender in a sorted set, values with their time to live."""

    def __init__(self, url: str, limit: int, window: float = 60.0) -> None:
        import redis.asyncio

        self.redis = redis.asyncio.from_url(url, decode_responses=True)
        self.limit, self.window = limit, window
        self._allow = self.redis.register_script(ALLOW)  # one atomic step: processes race

    async def allow(self, sender: str) -> bool:
        keys, now = [f"{PREFIX}rate:{sender}", f"{PREFIX}warned:{sender}"], time.time()
        member = f"{now}:{uuid.uuid4().hex[:8]}"
        return bool(await self._allow(keys=keys, args=[now, self.window, self.limit, member]))

    async def should_warn(self, sender: str) -> bool:
        key = f"{PREFIX}warned:{sender}"
        return bool(await self.redis.set(key, "1", nx=True, ex=int(self.window) + 1))

    async def put(self, key: str, value: str, ttl: float) -> None:
        await self.redis.set(PREFIX + key, value, px=max(1, int(ttl * 1000)))

    async def get(self, key: str) -> str | None:
        return await self.redis.get(PREFIX + key)

    async def delete(self, key: str) -> None:
        await self.redis.delete(PREFIX + key)

    async def once(self, key: str, ttl: float) -> bool:
        return bool(await self.redis.set(PREFIX + key, "1", nx=True, px=max(1, int(ttl * 1000))))

    async def close(self) -> None:
        await self.redis.aclose()


def make_store(limit: int | None = None) -> Store:
    """Redis when REDIS_URL is configured, else memory; `limit` messages a minute per resident."""
    settings = get_settings()
    limit = limit or settings.messages_per_minute
    if settings.redis_url:
        return RedisStore(settings.redis_url, limit)
    return MemoryStore(limit)
