"""One suite, every RateLimiter adapter: in-process memory always, Redis when
GODWIT_TEST_REDIS_URL is set (CI sets it; an unreachable Redis then fails these tests)."""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
from collections.abc import AsyncIterator

import pytest

from godwit.cache.memory import MemoryRateLimiter
from godwit.cache.redis import RedisRateLimiter
from godwit.ports.ratelimit import RateLimiter
from tests.databases import REDIS_URL

# Mid-window, so a test has room before the 300-second window ends.
START = 1_700_000_100.0 + 10  # 1_700_000_100 is a multiple of 300


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["memory", "redis"])
async def limiter(request: pytest.FixtureRequest, clock: FakeClock) -> AsyncIterator[RateLimiter]:
    built: RateLimiter
    if request.param == "memory":
        built = MemoryRateLimiter(clock=clock)
    else:
        if not REDIS_URL:
            pytest.skip("GODWIT_TEST_REDIS_URL is not set: the Redis adapter is tested in CI")
        # A fresh namespace per test: counters left by earlier runs cannot leak in.
        redis_limiter = RedisRateLimiter(
            REDIS_URL, namespace=f"godwit-test-{secrets.token_hex(6)}", clock=clock
        )
        assert await redis_limiter.ping()  # unreachable Redis: fail here, never skip
        built = redis_limiter
    yield built
    await built.close()


async def test_hits_within_the_limit_are_allowed_and_count_down(limiter: RateLimiter) -> None:
    results = [await limiter.hit("ip:1", 3, 300) for _ in range(3)]
    assert [r.allowed for r in results] == [True, True, True]
    assert [r.remaining for r in results] == [2, 1, 0]
    assert all(r.limit == 3 and r.retry_after == 0 for r in results)


async def test_the_hit_over_the_limit_is_refused_until_the_window_ends(
    limiter: RateLimiter, clock: FakeClock
) -> None:
    for _ in range(2):
        await limiter.hit("ip:1", 2, 300)
    refused = await limiter.hit("ip:1", 2, 300)
    assert not refused.allowed
    assert refused.remaining == 0
    # START is 10 s into an epoch-aligned 300 s window: 290 s to go.
    assert refused.retry_after == 290
    assert refused.reset_at == dt.datetime.fromtimestamp(1_700_000_400, dt.UTC)
    clock.now += 100
    still = await limiter.hit("ip:1", 2, 300)
    assert not still.allowed
    assert still.retry_after == 190


async def test_a_new_window_starts_a_fresh_count(limiter: RateLimiter, clock: FakeClock) -> None:
    for _ in range(3):
        await limiter.hit("token:abc", 2, 300)
    clock.now += 300
    fresh = await limiter.hit("token:abc", 2, 300)
    assert fresh.allowed
    assert fresh.remaining == 1
    assert fresh.reset_at == dt.datetime.fromtimestamp(1_700_000_700, dt.UTC)


async def test_buckets_are_counted_separately(limiter: RateLimiter) -> None:
    assert not [await limiter.hit("ip:a", 1, 60) for _ in range(2)][-1].allowed
    other = await limiter.hit("ip:b", 1, 60)
    assert other.allowed
    same_key_other_window = await limiter.hit("ip:a", 1, 1800)
    assert same_key_other_window.allowed


async def test_concurrent_hits_are_counted_exactly(limiter: RateLimiter) -> None:
    results = await asyncio.gather(*(limiter.hit("signup:ip", 10, 1800) for _ in range(25)))
    assert sum(r.allowed for r in results) == 10
    assert sorted(r.remaining for r in results)[-1] == 9


async def test_redis_counts_are_shared_between_processes(clock: FakeClock) -> None:
    if not REDIS_URL:
        pytest.skip("GODWIT_TEST_REDIS_URL is not set: the Redis adapter is tested in CI")
    namespace = f"godwit-test-{secrets.token_hex(6)}"
    # Two limiters with their own connections stand in for two `godwit serve` processes.
    first = RedisRateLimiter(REDIS_URL, namespace=namespace, clock=clock)
    second = RedisRateLimiter(REDIS_URL, namespace=namespace, clock=clock)
    try:
        assert (await first.hit("ip:1", 2, 300)).allowed
        assert (await second.hit("ip:1", 2, 300)).allowed
        assert not (await first.hit("ip:1", 2, 300)).allowed
    finally:
        await first.close()
        await second.close()
