import asyncio
import itertools
import threading
import time
from collections.abc import Iterator

import pytest
from argon2 import Parameters, Type
from argon2.profiles import RFC_9106_LOW_MEMORY

from godwit.domain.errors import RateLimited
from godwit.security.passwords import PRODUCTION_PARAMETERS, Argon2PasswordHasher
from godwit.security.pool import BoundedPool

# Cheap parameters keep unit tests fast; production parameters are checked separately.
FAST = Parameters(
    type=Type.ID,
    version=19,
    salt_len=16,
    hash_len=32,
    time_cost=1,
    memory_cost=1024,
    parallelism=1,
)


@pytest.fixture
def pool() -> Iterator[BoundedPool]:
    made = BoundedPool(2, name="test-hash")
    yield made
    made.shutdown()


async def test_hash_verifies_the_right_password_only(pool: BoundedPool) -> None:
    hasher = Argon2PasswordHasher(pool, FAST)
    stored = await hasher.hash("correct horse")
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert await hasher.verify(stored, "correct horse") is True
    assert await hasher.verify(stored, "correct horsE") is False


async def test_each_hash_is_salted(pool: BoundedPool) -> None:
    hasher = Argon2PasswordHasher(pool, FAST)
    assert await hasher.hash("same") != await hasher.hash("same")


async def test_a_malformed_hash_verifies_nothing_and_needs_rehash(pool: BoundedPool) -> None:
    hasher = Argon2PasswordHasher(pool, FAST)
    assert await hasher.verify("not-a-usable-hash", "anything") is False
    assert hasher.needs_rehash("not-a-usable-hash") is True


async def test_weaker_hashes_need_rehash(pool: BoundedPool) -> None:
    weak = await Argon2PasswordHasher(pool, FAST).hash("pw")
    strong = Argon2PasswordHasher(pool)
    assert strong.needs_rehash(weak) is True
    assert await strong.verify(weak, "pw") is True  # still accepted until upgraded


def test_production_parameters_are_rfc_9106_argon2id() -> None:
    assert PRODUCTION_PARAMETERS == RFC_9106_LOW_MEMORY
    assert PRODUCTION_PARAMETERS.type is Type.ID
    assert PRODUCTION_PARAMETERS.memory_cost >= 64 * 1024
    assert PRODUCTION_PARAMETERS.time_cost >= 3


async def test_hashing_does_not_stall_the_event_loop(pool: BoundedPool) -> None:
    """While production-strength hashes run, other coroutines keep getting scheduled."""
    hasher = Argon2PasswordHasher(pool)
    ticks: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            ticks.append(time.perf_counter())
            await asyncio.sleep(0.005)

    task = asyncio.create_task(ticker())
    started = time.perf_counter()
    await asyncio.gather(*(hasher.hash(f"password {n}") for n in range(4)))
    elapsed = time.perf_counter() - started
    done.set()
    await task
    gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
    assert elapsed > 0.1  # the work really was slow…
    assert len(ticks) > 10  # …yet the loop kept ticking:
    # hashing on the loop would leave one gap as long as all the work (the machine may be
    # busy with other tests, so the bound is relative rather than a fixed few ms)
    assert max(gaps) < elapsed / 2


async def test_pool_runs_at_most_workers_jobs_at_once() -> None:
    pool = BoundedPool(2, name="test-bound", max_waiting=10)
    running = 0
    peak = 0
    lock = threading.Lock()

    def job() -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.02)
        with lock:
            running -= 1

    try:
        await asyncio.gather(*(pool.run(job) for n in range(8)))
    finally:
        pool.shutdown()
    assert peak == 2


async def test_pool_refuses_callers_beyond_its_queue_bound() -> None:
    pool = BoundedPool(1, name="test-full", max_waiting=2)
    try:
        results = await asyncio.gather(
            *(pool.run(time.sleep, 0.05) for _ in range(5)), return_exceptions=True
        )
    finally:
        pool.shutdown()
    refused = [r for r in results if isinstance(r, RateLimited)]
    assert len(refused) == 2  # one running + two waiting admitted; the other two refused
    assert all(r is None for r in results if not isinstance(r, RateLimited))
