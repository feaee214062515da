"""An in-memory job queue with the semantics of the SQL one (for unit tests)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any, Protocol

from godwit.domain.jobs import DEFAULT_MAX_ATTEMPTS, Job, JobState

_ids = itertools.count(1 << 40)


def next_id() -> int:
    """Increasing ids, so things made later sort later, as real ids do."""
    return next(_ids)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class HoldsJobs(Protocol):
    jobs: dict[int, Job]


class MemoryJobs:
    def __init__(self, data: HoldsJobs) -> None:
        self.data = data

    async def enqueue(
        self, kind: str, payload: dict[str, Any], *, delay_seconds: float = 0.0
    ) -> int:
        job_id = next_id()
        self.data.jobs[job_id] = Job(
            id=job_id,
            kind=kind,
            payload=copy.deepcopy(payload),
            state=JobState.QUEUED,
            attempts=0,
            max_attempts=DEFAULT_MAX_ATTEMPTS,
            run_at=_now() + dt.timedelta(seconds=delay_seconds),
        )
        return job_id

    def _due(self, now: dt.datetime) -> list[Job]:
        return sorted(
            (
                job
                for job in self.data.jobs.values()
                if (job.state is JobState.QUEUED and job.run_at <= now)
                or (
                    job.state is JobState.RUNNING
                    and job.locked_until is not None
                    and job.locked_until < now
                )
            ),
            key=lambda job: (job.run_at, job.id),
        )

    async def claim(
        self, worker_id: str, limit: int, lease_seconds: float, *, now: dt.datetime | None = None
    ) -> list[Job]:
        now = now or _now()
        claimed = []
        for job in self._due(now)[:limit]:
            job = dataclasses.replace(
                job,
                state=JobState.RUNNING,
                attempts=job.attempts + 1,
                locked_by=worker_id,
                locked_until=now + dt.timedelta(seconds=lease_seconds),
            )
            self.data.jobs[job.id] = job
            claimed.append(job)
        return claimed

    async def has_due(self, *, now: dt.datetime | None = None) -> bool:
        return bool(self._due(now or _now()))

    async def busy(self, *, now: dt.datetime | None = None) -> bool:
        now = now or _now()
        return any(
            job.state is JobState.RUNNING or (job.state is JobState.QUEUED and job.run_at <= now)
            for job in self.data.jobs.values()
        )

    async def renew(self, job_ids: Sequence[int], worker_id: str, lease_seconds: float) -> None:
        for job_id in job_ids:
            job = self.data.jobs.get(job_id)
            if job and job.locked_by == worker_id and job.state is JobState.RUNNING:
                until = _now() + dt.timedelta(seconds=lease_seconds)
                self.data.jobs[job_id] = dataclasses.replace(job, locked_until=until)

    async def complete(self, job_id: int) -> None:
        self.data.jobs.pop(job_id, None)

    async def retry(self, job_id: int, error: str, run_at: dt.datetime) -> None:
        job = self.data.jobs[job_id]
        self.data.jobs[job_id] = dataclasses.replace(
            job,
            state=JobState.QUEUED,
            run_at=run_at,
            locked_by=None,
            locked_until=None,
            last_error=error,
        )

    async def fail(self, job_id: int, error: str) -> None:
        job = self.data.jobs[job_id]
        self.data.jobs[job_id] = dataclasses.replace(
            job, state=JobState.FAILED, locked_by=None, locked_until=None, last_error=error
        )

    async def release(self, job_ids: Sequence[int], worker_id: str) -> None:
        for job_id in job_ids:
            job = self.data.jobs.get(job_id)
            if job and job.locked_by == worker_id and job.state is JobState.RUNNING:
                self.data.jobs[job_id] = dataclasses.replace(
                    job,
                    state=JobState.QUEUED,
                    attempts=max(0, job.attempts - 1),
                    locked_by=None,
                    locked_until=None,
                    run_at=_now(),
                )

    async def get(self, job_id: int) -> Job | None:
        return self.data.jobs.get(job_id)

    async def count(self, *, state: str | None = None, kind: str | None = None) -> int:
        return sum(
            1
            for job in self.data.jobs.values()
            if (state is None or job.state == state) and (kind is None or job.kind == kind)
        )
