"""In-process rate limiter: fixed epoch-aligned windows, bounded memory.

Good for one process (the embedded SQLite deployment). Several processes each keep their own
counts, so a scaled-out deployment uses the Redis adapter instead.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from godwit.ports.ratelimit import RateLimitResult, result_for_count, window_index

DEFAULT_MAX_BUCKETS = 100_000


class MemoryRateLimiter:
    """Counts live in a dict keyed by bucket; each entry is (window index, window, count).

    ``hit`` never awaits, so on one event loop it is atomic without a lock. Memory stays
    bounded: the table is kept in least-recently-hit order; expired buckets at the old end
    are dropped as hits arrive, and when the table is full the least recently hit bucket goes
    (that client merely starts a fresh count).
    """

    def __init__(
        self,
        *,
        max_buckets: int = DEFAULT_MAX_BUCKETS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if max_buckets < 1:
            raise ValueError("max_buckets must be positive")
        self._max_buckets = max_buckets
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[int, int, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    async def hit(self, bucket_key: str, limit: int, window_seconds: int) -> RateLimitResult:
        now = self._clock()
        index = window_index(now, window_seconds)
        entry = self._buckets.pop(bucket_key, None)
        same_window = entry is not None and entry[0] == index and entry[1] == window_seconds
        count = entry[2] + 1 if entry is not None and same_window else 1
        self._evict(now)
        self._buckets[bucket_key] = (index, window_seconds, count)  # now the most recent
        return result_for_count(count, limit, window_seconds, now)

    def _evict(self, now: float) -> None:
        """Drop buckets from the least recently hit end: expired ones always, live ones only
        while the table is full. Amortised O(1) per hit."""
        while self._buckets:
            key, (index, window, _count) = next(iter(self._buckets.items()))
            if index >= window_index(now, window) and len(self._buckets) < self._max_buckets:
                return
            del self._buckets[key]

    async def close(self) -> None:
        self._buckets.clear()
