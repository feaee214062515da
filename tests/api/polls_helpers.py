"""Helpers for the polls, scheduled statuses, quotes and conversations tests: making
delayed jobs due now, so tests run them deterministically without waiting."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import update

from godwit.storage.schema import jobs, polls, scheduled_statuses
from tests.api.timelines_helpers import components_of, settle


def _past() -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)


async def run_delayed_jobs(client: httpx.AsyncClient, kind: str) -> None:
    """Make every queued job of ``kind`` due and run everything due."""
    async with components_of(client).database.write() as conn:
        await conn.execute(
            update(jobs).where(jobs.c.kind == kind, jobs.c.state == "queued").values(run_at=_past())
        )
    await settle(client)


async def end_poll(client: httpx.AsyncClient, poll_id: str) -> None:
    """Move the poll's end into the past and run its expiry job."""
    async with components_of(client).database.write() as conn:
        await conn.execute(
            update(polls).where(polls.c.id == int(poll_id)).values(expires_at=_past())
        )
    await run_delayed_jobs(client, "poll.expire")


async def make_scheduled_due(client: httpx.AsyncClient, scheduled_id: str) -> None:
    async with components_of(client).database.write() as conn:
        await conn.execute(
            update(scheduled_statuses)
            .where(scheduled_statuses.c.id == int(scheduled_id))
            .values(scheduled_at=_past())
        )
    await run_delayed_jobs(client, "scheduled_status.publish")
