"""Running durable jobs: claiming, executing one job, recording the outcome.

The runner in ``godwit.jobs`` (an adapter) decides *when* to poll and how many jobs run at
once; this service owns every transaction around a job, so the runner never touches
storage. A handler runs outside any job transaction and opens its own; only after it
returns is the job deleted. A crash in between means the job runs again, which is why
handlers are idempotent.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from typing import Any

from godwit.domain.jobs import Job, PermanentJobError, backoff_seconds, describe_error
from godwit.ports.pubsub import PubSub, Subscription
from godwit.ports.store import Store

JobHandler = Callable[[dict[str, Any]], Awaitable[None]]

log = logging.getLogger("godwit.jobs")

# The pub/sub channel on which a commit that queued jobs wakes every runner.
JOBS_DUE_CHANNEL = "jobs:due"

_current_job: ContextVar[Job | None] = ContextVar("godwit_current_job", default=None)


def current_job_id() -> int | None:
    """The job being run in this task, so a handler can complete it inside its own final
    transaction (a fan-out batch and its continuation commit together with the completion)."""
    job = _current_job.get()
    return job.id if job else None


class JobService:
    def __init__(self, store: Store, *, backoff: Callable[[int], float] = backoff_seconds) -> None:
        self.store = store
        self.backoff = backoff

    async def claim(self, worker_id: str, limit: int, lease_seconds: float) -> list[Job]:
        # Idle polls are reads: on SQLite a claim takes the single write lock, so only
        # ask for it when there is something to take.
        async with self.store.read() as tx:
            if not await tx.jobs.has_due():
                return []
        async with self.store.write() as tx:
            return await tx.jobs.claim(worker_id, limit, lease_seconds)

    async def renew(self, job_ids: Sequence[int], worker_id: str, lease_seconds: float) -> None:
        if job_ids:
            async with self.store.write() as tx:
                await tx.jobs.renew(job_ids, worker_id, lease_seconds)

    async def release(self, job_ids: Sequence[int], worker_id: str) -> None:
        if job_ids:
            async with self.store.write() as tx:
                await tx.jobs.release(job_ids, worker_id)

    async def execute(self, job: Job, handlers: Mapping[str, JobHandler]) -> bool:
        """Run one claimed job and record its outcome. True when it succeeded."""
        if job.over_limit:
            await self._fail(job, f"gave up after {job.max_attempts} attempts (last ones died)")
            return False
        handler = handlers.get(job.kind)
        if handler is None:
            await self._fail(job, f"no handler registered for job kind {job.kind!r}")
            return False
        token = _current_job.set(job)
        started = time.monotonic()
        try:
            await handler(job.payload)
        except PermanentJobError as error:
            await self._fail(job, describe_error(error))
            return False
        except Exception as error:  # any failure of a handler is retried, never fatal
            await self._retry_or_fail(job, error)
            return False
        finally:
            _current_job.reset(token)
        async with self.store.write() as tx:
            await tx.jobs.complete(job.id)
        log.debug("job %s %s done in %.3fs", job.kind, job.id, time.monotonic() - started)
        return True

    async def _retry_or_fail(self, job: Job, error: Exception) -> None:
        message = describe_error(error)
        if job.exhausted:
            await self._fail(job, message)
            return
        delay = self.backoff(job.attempts)
        log.warning(
            "job %s %s failed (attempt %d/%d), retrying in %.1fs: %s",
            job.kind,
            job.id,
            job.attempts,
            job.max_attempts,
            delay,
            message,
            exc_info=error,
        )
        run_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=delay)
        async with self.store.write() as tx:
            await tx.jobs.retry(job.id, message, run_at)

    async def _fail(self, job: Job, message: str) -> None:
        log.error("job %s %s failed permanently: %s", job.kind, job.id, message)
        async with self.store.write() as tx:
            await tx.jobs.fail(job.id, message)

    async def pending(self) -> tuple[int, int]:
        """(queued, running) jobs: what "idle" means for tests and the worker's logs."""
        async with self.store.read() as tx:
            return (await tx.jobs.count(state="queued"), await tx.jobs.count(state="running"))

    async def has_due(self) -> bool:
        async with self.store.read() as tx:
            return await tx.jobs.has_due()

    async def busy(self) -> bool:
        """Whether a job is running or due anywhere, from one consistent read."""
        async with self.store.read() as tx:
            return await tx.jobs.busy()


class JobWakeups:
    """The store's JobSignal, and what runners listen to: a commit that queued jobs wakes
    every runner at once through the pub/sub port — the one of this process in-process,
    those of every ``godwit serve`` and ``godwit worker`` process with Redis — so a job
    starts within milliseconds instead of at the next poll. Polling stays as the fallback
    (delayed jobs, retries, processes that share no pub/sub)."""

    def __init__(self, pubsub: PubSub) -> None:
        self.pubsub = pubsub

    async def jobs_enqueued(self) -> None:
        try:
            await self.pubsub.publish(JOBS_DUE_CHANNEL, b"due")
        except Exception:
            log.warning("could not wake the job runners; they poll", exc_info=True)

    async def listen(self) -> Subscription:
        return await self.pubsub.subscribe([JOBS_DUE_CHANNEL])
