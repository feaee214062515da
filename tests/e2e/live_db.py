"""Reaching into a live server's database from an end-to-end test, for what no API does yet
(seeding rules and settings an admin would set) and for time (a poll's end, a scheduled
post's time, brought forward so a test need not wait minutes for the server's own job)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.sql import Executable

from godwit.domain.ids import new_id
from godwit.storage.schema import instance_rules, jobs, polls, scheduled_statuses, server_settings
from tests.support.rows import sync_engine


def _execute(database_url: str, *statements: Executable) -> None:
    engine = sync_engine(database_url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(statement)
    finally:
        engine.dispose()


def _scalar(database_url: str, query: Any) -> Any:
    engine = sync_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(query).scalar_one()
    finally:
        engine.dispose()


def _past() -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)


def _due_now(kind: str) -> Executable:
    return update(jobs).where(jobs.c.kind == kind, jobs.c.state == "queued").values(run_at=_past())


def end_poll_now(database_url: str, poll_id: str) -> None:
    """The poll ends now, and its queued expiry job becomes due (the server then runs it)."""
    _execute(
        database_url,
        update(polls).where(polls.c.id == int(poll_id)).values(expires_at=_past()),
        _due_now("poll.expire"),
    )


def publish_scheduled_now(database_url: str, scheduled_id: str) -> None:
    _execute(
        database_url,
        update(scheduled_statuses)
        .where(scheduled_statuses.c.id == int(scheduled_id))
        .values(scheduled_at=_past()),
        _due_now("scheduled_status.publish"),
    )


def add_rule(database_url: str, text: str, position: int) -> str:
    """A server rule, as a moderator would add it (no admin API yet)."""
    rule_id = new_id()
    _execute(
        database_url,
        insert(instance_rules).values(
            id=rule_id,
            text=text,
            hint="",
            position=position,
            created_at=dt.datetime.now(dt.UTC),
        ),
    )
    return str(rule_id)


def set_server_setting(database_url: str, key: str, value: Any) -> None:
    """A server setting, as an admin would set it (no admin API yet)."""
    _execute(database_url, insert(server_settings).values(key=key, value=value))


def wait_for_jobs(database_url: str, timeout: float = 15.0) -> None:
    """Until no job is due or running: every effect queued so far has happened."""
    deadline = time.monotonic() + timeout
    pending = (
        select(func.count())
        .select_from(jobs)
        .where(
            or_(
                jobs.c.state == "running",
                and_(jobs.c.state == "queued", jobs.c.run_at <= dt.datetime.now(dt.UTC)),
            )
        )
    )
    while _scalar(database_url, pending):
        if time.monotonic() > deadline:
            raise AssertionError(f"jobs still pending after {timeout}s")
        time.sleep(0.1)
