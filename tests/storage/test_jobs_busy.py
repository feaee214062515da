"""``JobRepository.busy``: what "idle" means for ``JobRunner.run_until_idle`` (the tests'
settle step), from one read, so that another runner's claim can never hide a job from it."""

from __future__ import annotations

import pytest

from godwit.app import Components
from godwit.config import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # No background runner: these tests drive the queue by hand.
    return settings.replace(run_jobs_in_process=False)


async def busy(components: Components) -> bool:
    async with components.store.read() as tx:
        return await tx.jobs.busy()


async def test_a_job_is_busy_from_its_commit_until_it_is_done(components: Components) -> None:
    assert not await busy(components)
    async with components.store.write() as tx:
        job_id = await tx.jobs.enqueue("test.kind", {})
    assert await busy(components)
    async with components.store.write() as tx:
        await tx.jobs.claim("worker-a", 1, 60)
        # Claimed, not committed yet: the job is still seen (as queued) from elsewhere. Two
        # separate reads ("none running", then after this commit "none due") saw nothing.
        assert await busy(components)
    assert await busy(components)  # running
    async with components.store.write() as tx:
        await tx.jobs.complete(job_id)
    assert not await busy(components)


async def test_jobs_waiting_for_later_or_failed_are_not_busy(components: Components) -> None:
    async with components.store.write() as tx:
        await tx.jobs.enqueue("test.later", {}, delay_seconds=3600)
        failed = await tx.jobs.enqueue("test.failed", {})
    async with components.store.write() as tx:
        await tx.jobs.fail(failed, "boom")
    assert not await busy(components)
