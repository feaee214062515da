"""Repository port for durable jobs (rows in the ``jobs`` table)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from godwit.domain.jobs import Job


class JobRepository(Protocol):
    async def enqueue(
        self, kind: str, payload: dict[str, Any], *, delay_seconds: float = 0.0
    ) -> int:
        """Queue a job in the caller's transaction (it commits with the work that implies it)."""
        ...

    async def claim(
        self, worker_id: str, limit: int, lease_seconds: float, *, now: dt.datetime | None = None
    ) -> list[Job]:
        """Take up to ``limit`` due jobs (queued and due, or running with an expired lease),
        marking them running under ``worker_id`` until the lease ends, and counting the
        attempt. Two concurrent claimers never receive the same job."""
        ...

    async def has_due(self, *, now: dt.datetime | None = None) -> bool:
        """Whether ``claim`` would find anything (a cheap read, for idle polling)."""
        ...

    async def busy(self, *, now: dt.datetime | None = None) -> bool:
        """Whether any job is running (whatever its lease) or queued and due, asked in one
        statement: a job that a concurrent transaction is claiming is seen either queued or
        running, never neither (two separate reads could miss it in between)."""
        ...

    async def renew(self, job_ids: Sequence[int], worker_id: str, lease_seconds: float) -> None:
        """Extend the lease of jobs this worker still holds."""
        ...

    async def complete(self, job_id: int) -> None:
        """Done: the row is deleted (no-op when already gone)."""
        ...

    async def retry(self, job_id: int, error: str, run_at: dt.datetime) -> None:
        """Failed, try again at ``run_at``."""
        ...

    async def fail(self, job_id: int, error: str) -> None:
        """Failed for good: kept in state "failed" with the error."""
        ...

    async def release(self, job_ids: Sequence[int], worker_id: str) -> None:
        """Give jobs back without counting the attempt (graceful shutdown)."""
        ...

    async def get(self, job_id: int) -> Job | None: ...

    async def count(self, *, state: str | None = None, kind: str | None = None) -> int: ...


class JobSignal(Protocol):
    async def jobs_enqueued(self) -> None:
        """Called by the store after a commit that enqueued due jobs, so runners start
        them at once instead of at their next poll. Best effort: never raises."""
        ...
