"""The job runner and JobService against a real database: run, retry, fail, stop, recover."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from godwit.app import Components
from godwit.config import Settings
from godwit.domain.jobs import JobState
from godwit.jobs.runner import JobRunner
from godwit.services.jobs import JobHandler, JobService


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.replace(run_jobs_in_process=False)


def runner(components: Components, handlers: dict[str, JobHandler], **options: Any) -> JobRunner:
    service = JobService(components.store, backoff=lambda _attempts: 0.0)
    return JobRunner(service, handlers, idle_seconds=0.01, **options)


async def enqueue(components: Components, kind: str, payload: dict[str, Any]) -> int:
    async with components.store.write() as tx:
        return await tx.jobs.enqueue(kind, payload)


async def job_row(components: Components, job_id: int) -> Any:
    async with components.store.read() as tx:
        return await tx.jobs.get(job_id)


async def test_background_runner_runs_jobs_and_deletes_them(components: Components) -> None:
    seen: list[int] = []
    done = asyncio.Event()

    async def handle(payload: dict[str, Any]) -> None:
        seen.append(payload["n"])
        if len(seen) == 5:
            done.set()

    jobs = runner(components, {"test.echo": handle}, concurrency=3)
    await jobs.start()
    try:
        ids = [await enqueue(components, "test.echo", {"n": n}) for n in range(5)]
        async with asyncio.timeout(10):
            await done.wait()
        await jobs.run_until_idle()
    finally:
        await jobs.stop()
    assert sorted(seen) == [0, 1, 2, 3, 4]
    assert [await job_row(components, job_id) for job_id in ids] == [None] * 5


async def test_a_failing_job_is_retried_then_succeeds(components: Components) -> None:
    attempts: list[int] = []

    async def flaky(_payload: dict[str, Any]) -> None:
        attempts.append(1)
        if len(attempts) < 3:
            raise RuntimeError("temporarily broken")

    job_id = await enqueue(components, "test.flaky", {})
    await runner(components, {"test.flaky": flaky}).run_until_idle()
    assert len(attempts) == 3
    assert await job_row(components, job_id) is None


async def test_retries_are_delayed_by_the_backoff(components: Components) -> None:
    async def broken(_payload: dict[str, Any]) -> None:
        raise RuntimeError("still broken")

    job_id = await enqueue(components, "test.broken", {})
    service = JobService(components.store)  # real backoff: ≥ 1 s after the first attempt
    (job,) = await service.claim("w", 1, 60)
    assert not await service.execute(job, {"test.broken": broken})
    row = await job_row(components, job_id)
    assert row.state is JobState.QUEUED
    assert row.attempts == 1
    assert row.last_error == "RuntimeError: still broken"
    assert row.run_at > job.run_at
    assert await service.claim("w", 1, 60) == []  # not due yet


async def test_a_job_out_of_attempts_fails_for_good(components: Components) -> None:
    async def broken(_payload: dict[str, Any]) -> None:
        raise ValueError("never works")

    job_id = await enqueue(components, "test.broken", {})
    await runner(components, {"test.broken": broken}).run_until_idle()
    row = await job_row(components, job_id)
    assert row.state is JobState.FAILED
    assert row.attempts == row.max_attempts
    assert row.last_error == "ValueError: never works"


async def test_unknown_kinds_fail_permanently_with_a_clear_error(components: Components) -> None:
    job_id = await enqueue(components, "no.such.kind", {})
    await runner(components, {}).run_until_idle()
    row = await job_row(components, job_id)
    assert row.state is JobState.FAILED
    assert row.attempts == 1
    assert "no handler registered for job kind 'no.such.kind'" in row.last_error


async def test_a_crashed_workers_job_runs_again_when_its_lease_expires(
    components: Components,
) -> None:
    ran: list[str] = []

    async def handle(payload: dict[str, Any]) -> None:
        ran.append(payload["name"])

    job_id = await enqueue(components, "test.echo", {"name": "survivor"})
    async with components.store.write() as tx:
        # A worker claims it and dies without a word: only its lease remains.
        assert len(await tx.jobs.claim("dead-worker", 1, lease_seconds=0.05)) == 1
    await asyncio.sleep(0.1)  # let the (tiny) lease run out
    await runner(components, {"test.echo": handle}).run_until_idle()
    assert ran == ["survivor"]
    assert await job_row(components, job_id) is None


async def test_stop_releases_jobs_still_running(components: Components) -> None:
    started = asyncio.Event()

    async def slow(_payload: dict[str, Any]) -> None:
        started.set()
        await asyncio.sleep(60)

    job_id = await enqueue(components, "test.slow", {})
    jobs = runner(components, {"test.slow": slow}, stop_grace_seconds=0.05)
    await jobs.start()
    async with asyncio.timeout(10):
        await started.wait()
    await jobs.stop()
    row = await job_row(components, job_id)
    assert row.state is JobState.QUEUED  # handed back, not left to a lease
    assert row.attempts == 0
    assert row.locked_by is None


async def test_stop_waits_for_jobs_that_finish_within_the_grace_period(
    components: Components,
) -> None:
    started = asyncio.Event()
    finished: list[bool] = []

    async def short(_payload: dict[str, Any]) -> None:
        started.set()
        await asyncio.sleep(0.05)
        finished.append(True)

    job_id = await enqueue(components, "test.short", {})
    jobs = runner(components, {"test.short": short}, stop_grace_seconds=10)
    await jobs.start()
    async with asyncio.timeout(10):
        await started.wait()
    await jobs.stop()
    assert finished == [True]
    assert await job_row(components, job_id) is None
