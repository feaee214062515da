"""Redis rate limiter: one counter per bucket and window, shared by every process.

INCR and EXPIRE go in one MULTI/EXEC pipeline, so concurrent hits from several `godwit serve`
processes are counted exactly and a counter never outlives its window (no lost EXPIRE).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from redis.asyncio import Redis

from godwit.ports.ratelimit import RateLimitResult, result_for_count, window_index


class RedisRateLimiter:
    def __init__(
        self,
        url: str,
        *,
        namespace: str = "godwit",
        clock: Callable[[], float] = time.time,
    ) -> None:
        # from_url connects lazily, on the first command.
        self._redis: Redis = Redis.from_url(url)
        self._namespace = namespace
        self._clock = clock

    async def hit(self, bucket_key: str, limit: int, window_seconds: int) -> RateLimitResult:
        now = self._clock()
        index = window_index(now, window_seconds)
        # The window index in the key: a new window is a new counter, no reset needed.
        key = f"{self._namespace}:ratelimit:{window_seconds}:{index}:{bucket_key}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            # One extra second so a clock slightly behind Redis's never sees a fresh counter.
            pipe.expire(key, window_seconds + 1)
            count, _ = await pipe.execute()
        return result_for_count(int(count), limit, window_seconds, now)

    async def ping(self) -> bool:
        return bool(await self._redis.ping())

    async def close(self) -> None:
        await self._redis.aclose()
