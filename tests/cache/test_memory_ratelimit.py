from __future__ import annotations

from godwit.cache.memory import MemoryRateLimiter

NOW = 1_700_000_010.0


async def test_memory_stays_bounded_by_dropping_the_least_recently_hit_bucket() -> None:
    limiter = MemoryRateLimiter(max_buckets=3, clock=lambda: NOW)
    for key in ("a", "b", "c"):
        await limiter.hit(key, 1, 300)
    await limiter.hit("a", 1, 300)  # "a" is now the most recent; "b" the least
    await limiter.hit("d", 1, 300)
    assert len(limiter) == 3
    # "b" was dropped, so it starts afresh; "a" kept its count and is refused.
    assert (await limiter.hit("b", 1, 300)).allowed
    assert not (await limiter.hit("a", 1, 300)).allowed


async def test_expired_buckets_are_dropped_as_hits_arrive() -> None:
    now = [NOW]
    limiter = MemoryRateLimiter(clock=lambda: now[0])
    for index in range(50):
        await limiter.hit(f"ip:{index}", 5, 60)
    now[0] += 120
    await limiter.hit("ip:new", 5, 60)
    assert len(limiter) == 1
