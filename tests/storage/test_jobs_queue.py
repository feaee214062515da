"""The durable job queue on SQLite and PostgreSQL: claiming, leases, retries, failures."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from godwit.app import Components
from godwit.config import Settings
from godwit.domain.jobs import JobState
from tests.databases import on_postgres


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # No background runner: these tests drive the queue by hand.
    return settings.replace(run_jobs_in_process=False)


def later(seconds: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)


async def enqueue(components: Components, count: int, kind: str = "test.kind") -> list[int]:
    async with components.store.write() as tx:
        return [await tx.jobs.enqueue(kind, {"n": n}) for n in range(count)]


async def test_claim_marks_running_and_is_exclusive(components: Components) -> None:
    (job_id,) = await enqueue(components, 1)
    async with components.store.write() as tx:
        claimed = await tx.jobs.claim("worker-a", 10, 60)
    assert [job.id for job in claimed] == [job_id]
    job = claimed[0]
    assert job.state is JobState.RUNNING
    assert job.attempts == 1
    assert job.locked_by == "worker-a"
    assert job.payload == {"n": 0}
    async with components.store.write() as tx:
        assert await tx.jobs.claim("worker-b", 10, 60) == []


async def test_delayed_job_waits_for_its_time(components: Components) -> None:
    async with components.store.write() as tx:
        await tx.jobs.enqueue("test.kind", {}, delay_seconds=30)
        assert await tx.jobs.claim("w", 10, 60) == []
        assert len(await tx.jobs.claim("w", 10, 60, now=later(31))) == 1


async def test_expired_lease_is_claimed_again(components: Components) -> None:
    (job_id,) = await enqueue(components, 1)
    async with components.store.write() as tx:
        assert len(await tx.jobs.claim("crashed", 1, lease_seconds=5)) == 1
        # Still leased: nobody else gets it.
        assert await tx.jobs.claim("other", 1, 60, now=later(4)) == []
        again = await tx.jobs.claim("other", 1, 60, now=later(6))
    assert [job.id for job in again] == [job_id]
    assert again[0].attempts == 2
    assert again[0].locked_by == "other"


async def test_renew_extends_the_lease(components: Components) -> None:
    (job_id,) = await enqueue(components, 1)
    async with components.store.write() as tx:
        await tx.jobs.claim("w", 1, lease_seconds=5)
        await tx.jobs.renew([job_id], "w", lease_seconds=120)
        assert await tx.jobs.claim("other", 1, 60, now=later(60)) == []
        # Another worker's renewal does not count.
        await tx.jobs.renew([job_id], "someone-else", lease_seconds=100_000)
        assert len(await tx.jobs.claim("other", 1, 60, now=later(121))) == 1


async def test_complete_deletes_the_row(components: Components) -> None:
    (job_id,) = await enqueue(components, 1)
    async with components.store.write() as tx:
        await tx.jobs.claim("w", 1, 60)
        await tx.jobs.complete(job_id)
        assert await tx.jobs.get(job_id) is None
        assert await tx.jobs.count() == 0


async def test_retry_requeues_at_a_later_time(components: Components) -> None:
    (job_id,) = await enqueue(components, 1)
    async with components.store.write() as tx:
        await tx.jobs.claim("w", 1, 60)
        await tx.jobs.retry(job_id, "Boom: it broke", later(30))
        job = await tx.jobs.get(job_id)
        assert job is not None
        assert job.state is JobState.QUEUED
        assert job.last_error == "Boom: it broke"
        assert job.locked_by is None
        assert await tx.jobs.claim("w", 1, 60) == []
        retried = await tx.jobs.claim("w", 1, 60, now=later(31))
    assert retried[0].attempts == 2


async def test_failed_job_is_kept_and_never_claimed(components: Components) -> None:
    (job_id,) = await enqueue(components, 1)
    async with components.store.write() as tx:
        await tx.jobs.claim("w", 1, 60)
        await tx.jobs.fail(job_id, "ValueError: bad payload")
        assert await tx.jobs.claim("w", 1, 60, now=later(10**6)) == []
        job = await tx.jobs.get(job_id)
    assert job is not None
    assert job.state is JobState.FAILED
    assert job.last_error == "ValueError: bad payload"


async def test_release_gives_the_job_back_without_counting_the_attempt(
    components: Components,
) -> None:
    (job_id,) = await enqueue(components, 1)
    async with components.store.write() as tx:
        await tx.jobs.claim("w", 1, 60)
        await tx.jobs.release([job_id], "w")
        claimed = await tx.jobs.claim("other", 1, 60)
    assert [job.id for job in claimed] == [job_id]
    assert claimed[0].attempts == 1


async def test_two_processes_claiming_concurrently_never_share_a_job(
    components: Components, settings: Settings
) -> None:
    """Two Components (two engines and pools, as two worker processes would have) drain
    one queue at the same time; every job is claimed exactly once."""
    job_ids = await enqueue(components, 60)
    other = Components(settings)
    try:

        async def drain(comp: Components, worker: str) -> list[int]:
            got: list[int] = []
            while True:
                async with comp.store.write() as tx:
                    claimed = await tx.jobs.claim(worker, 3, 60)
                if not claimed:
                    return got
                got += [job.id for job in claimed]
                await asyncio.sleep(0)

        results = await asyncio.gather(
            drain(components, "a1"),
            drain(components, "a2"),
            drain(other, "b1"),
            drain(other, "b2"),
        )
    finally:
        await other.stop()
    claimed = [job_id for result in results for job_id in result]
    assert sorted(claimed) == sorted(job_ids)
    assert len(set(claimed)) == len(claimed)


@pytest.mark.skipif(not on_postgres(), reason="SKIP LOCKED is PostgreSQL's; SQLite has one writer")
async def test_open_claims_skip_each_others_locked_rows(
    components: Components, settings: Settings
) -> None:
    """While one claimer's transaction is still open (rows locked, not committed), a second
    claimer neither waits nor takes the same rows."""
    job_ids = await enqueue(components, 10)
    other = Components(settings)
    try:
        async with components.store.write() as first:
            held = await first.jobs.claim("a", 4, 60)
            async with asyncio.timeout(5), other.store.write() as second:
                taken = await second.jobs.claim("b", 10, 60)
    finally:
        await other.stop()
    assert len(held) == 4
    assert len(taken) == 6
    assert {job.id for job in held}.isdisjoint(job.id for job in taken)
    assert {job.id for job in held} | {job.id for job in taken} == set(job_ids)
