"""SQL repository for durable jobs.

Claiming is exclusive across processes. On PostgreSQL the candidate rows are locked with
``FOR UPDATE SKIP LOCKED`` inside the ``UPDATE … RETURNING``, so concurrent claimers skip
each other's rows instead of waiting or double-claiming. On SQLite every write transaction
begins with ``BEGIN IMMEDIATE`` (one writer at a time, across processes too), which makes
the same select-then-update atomic; SQLite simply ignores the ``FOR UPDATE`` clause.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.ids import new_id
from godwit.domain.jobs import DEFAULT_MAX_ATTEMPTS, Job, JobState
from godwit.storage.schema import jobs


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _job(row: RowMapping) -> Job:
    return Job(
        id=row["id"],
        kind=row["kind"],
        payload=dict(row["payload"] or {}),
        state=JobState(row["state"]),
        attempts=row["attempts"],
        max_attempts=row["max_attempts"],
        run_at=row["run_at"],
        locked_by=row["locked_by"],
        locked_until=row["locked_until"],
        last_error=row["last_error"],
    )


def _due(now: dt.datetime) -> Any:
    return or_(
        and_(jobs.c.state == JobState.QUEUED.value, jobs.c.run_at <= now),
        # A running job whose lease ran out: its worker died (or hung); run it again.
        and_(jobs.c.state == JobState.RUNNING.value, jobs.c.locked_until < now),
    )


class SqlJobs:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self.due_enqueued = 0  # jobs this transaction queued to run now (the store wakes runners)

    async def enqueue(
        self, kind: str, payload: dict[str, Any], *, delay_seconds: float = 0.0
    ) -> int:
        job_id = new_id()
        now = _now()
        await self.conn.execute(
            insert(jobs).values(
                id=job_id,
                kind=kind,
                payload=payload,
                state=JobState.QUEUED.value,
                attempts=0,
                max_attempts=DEFAULT_MAX_ATTEMPTS,
                run_at=now + dt.timedelta(seconds=max(0.0, delay_seconds)),
                created_at=now,
            )
        )
        if delay_seconds <= 0:
            self.due_enqueued += 1
        return job_id

    async def claim(
        self, worker_id: str, limit: int, lease_seconds: float, *, now: dt.datetime | None = None
    ) -> list[Job]:
        now = now or _now()
        candidates = (
            select(jobs.c.id)
            .where(_due(now))
            .order_by(jobs.c.run_at, jobs.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        result = await self.conn.execute(
            update(jobs)
            .where(jobs.c.id.in_(candidates))
            .values(
                state=JobState.RUNNING.value,
                locked_by=worker_id,
                locked_until=now + dt.timedelta(seconds=lease_seconds),
                attempts=jobs.c.attempts + 1,
            )
            .returning(*jobs.c)
        )
        claimed = [_job(row) for row in result.mappings()]
        claimed.sort(key=lambda job: (job.run_at, job.id))
        return claimed

    async def has_due(self, *, now: dt.datetime | None = None) -> bool:
        found = await self.conn.scalar(select(jobs.c.id).where(_due(now or _now())).limit(1))
        return found is not None

    async def busy(self, *, now: dt.datetime | None = None) -> bool:
        unfinished = or_(
            jobs.c.state == JobState.RUNNING.value,
            and_(jobs.c.state == JobState.QUEUED.value, jobs.c.run_at <= (now or _now())),
        )
        found = await self.conn.scalar(select(jobs.c.id).where(unfinished).limit(1))
        return found is not None

    async def renew(self, job_ids: Sequence[int], worker_id: str, lease_seconds: float) -> None:
        if not job_ids:
            return
        await self.conn.execute(
            update(jobs)
            .where(
                jobs.c.id.in_(list(job_ids)),
                jobs.c.locked_by == worker_id,
                jobs.c.state == JobState.RUNNING.value,
            )
            .values(locked_until=_now() + dt.timedelta(seconds=lease_seconds))
        )

    async def complete(self, job_id: int) -> None:
        await self.conn.execute(delete(jobs).where(jobs.c.id == job_id))

    async def retry(self, job_id: int, error: str, run_at: dt.datetime) -> None:
        await self.conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(
                state=JobState.QUEUED.value,
                run_at=run_at,
                locked_by=None,
                locked_until=None,
                last_error=error,
            )
        )

    async def fail(self, job_id: int, error: str) -> None:
        await self.conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(
                state=JobState.FAILED.value, locked_by=None, locked_until=None, last_error=error
            )
        )

    async def release(self, job_ids: Sequence[int], worker_id: str) -> None:
        if not job_ids:
            return
        await self.conn.execute(
            update(jobs)
            .where(
                jobs.c.id.in_(list(job_ids)),
                jobs.c.locked_by == worker_id,
                jobs.c.state == JobState.RUNNING.value,
            )
            .values(
                state=JobState.QUEUED.value,
                locked_by=None,
                locked_until=None,
                run_at=_now(),
                attempts=func.max(jobs.c.attempts - 1, 0)
                if self.conn.dialect.name == "sqlite"
                else func.greatest(jobs.c.attempts - 1, 0),
            )
        )

    async def get(self, job_id: int) -> Job | None:
        row = (await self.conn.execute(select(jobs).where(jobs.c.id == job_id))).mappings().first()
        return _job(row) if row else None

    async def count(self, *, state: str | None = None, kind: str | None = None) -> int:
        query = select(func.count()).select_from(jobs)
        if state is not None:
            query = query.where(jobs.c.state == state)
        if kind is not None:
            query = query.where(jobs.c.kind == kind)
        return int(await self.conn.scalar(query) or 0)
