"""A commit that queues jobs wakes the runners at once (no waiting for the next poll): in
process through the memory pub/sub, across processes through Redis (CI sets
GODWIT_TEST_REDIS_URL; the cross-process test needs it)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from godwit.app import Components
from godwit.config import Settings
from godwit.jobs.runner import JobRunner
from godwit.ports.pubsub import Message
from godwit.services.jobs import JOBS_DUE_CHANNEL, JobService, JobWakeups
from tests.databases import REDIS_URL

POLL_SECONDS = 60.0  # so long that only a wake-up can start a job within the test


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.replace(run_jobs_in_process=False)


def sleepy_runner(components: Components, done: asyncio.Event) -> JobRunner:
    async def handle(_payload: dict[str, Any]) -> None:
        done.set()

    return JobRunner(
        JobService(components.store),
        {"test.wake": handle},
        idle_seconds=POLL_SECONDS,
        wakeups=JobWakeups(components.pubsub),
    )


async def enqueue(components: Components, *, delay_seconds: float = 0.0) -> None:
    async with components.store.write() as tx:
        await tx.jobs.enqueue("test.wake", {}, delay_seconds=delay_seconds)


async def test_a_commit_that_queues_a_job_wakes_an_idle_runner(components: Components) -> None:
    done = asyncio.Event()
    runner = sleepy_runner(components, done)
    await runner.start()
    try:
        await asyncio.sleep(0.2)  # the runner found nothing and sleeps until its next poll
        started = time.monotonic()
        await enqueue(components)
        await asyncio.wait_for(done.wait(), 5.0)
        assert time.monotonic() - started < 1.0
    finally:
        await runner.stop()
    assert not runner.running


async def test_only_due_jobs_send_a_wake_up(components: Components) -> None:
    subscription = await components.pubsub.subscribe([JOBS_DUE_CHANNEL, "probe"])
    try:
        await enqueue(components, delay_seconds=30)
        async with components.store.write() as tx:  # a write without jobs
            await tx.jobs.count()
        await components.pubsub.publish("probe", "after")
        messages = aiter(subscription)
        first = await asyncio.wait_for(anext(messages), 5.0)
        assert first == Message("probe", b"after")
        await enqueue(components)
        assert (await asyncio.wait_for(anext(messages), 5.0)).channel == JOBS_DUE_CHANNEL
    finally:
        await subscription.close()


@pytest.fixture
async def worker(settings: Settings) -> AsyncIterator[Components]:
    """A second process's components (a `godwit worker`), sharing database and Redis."""
    if not REDIS_URL:
        pytest.skip("GODWIT_TEST_REDIS_URL is not set: cross-process wake-ups need Redis")
    other = Components(settings)
    yield other
    await other.stop()


async def test_a_commit_wakes_the_runner_of_another_process(
    components: Components, worker: Components
) -> None:
    done = asyncio.Event()
    runner = sleepy_runner(worker, done)
    await runner.start()
    try:
        await asyncio.sleep(0.3)  # subscribed, and sleeping until its next poll
        started = time.monotonic()
        await enqueue(components)  # committed by the web process
        await asyncio.wait_for(done.wait(), 5.0)
        assert time.monotonic() - started < 1.0
    finally:
        await runner.stop()
