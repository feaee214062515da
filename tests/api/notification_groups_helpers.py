"""Helpers for the grouped notification, policy and request tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import event, update
from sqlalchemy.engine import Engine

from godwit.app import Components
from godwit.storage.schema import accounts, follows
from tests.factories import Member, make_member
from tests.notifications_support import notify_now


def components_of(client: httpx.AsyncClient) -> Components:
    return client.app.state.components  # type: ignore[attr-defined,no-any-return]


async def members(client: httpx.AsyncClient, *names: str) -> list[Member]:
    return [await make_member(components_of(client), name) for name in names]


async def notify(
    client: httpx.AsyncClient,
    recipient: Member,
    sender: Member,
    type: str,
    status_id: int | None = None,
) -> None:
    """Through notify(), so every rule (blocks, mutes, the policy) applies."""
    await notify_now(
        components_of(client),
        recipient_id=recipient.account_id,
        from_account_id=sender.account_id,
        type=type,
        status_id=status_id,
    )


async def age_account(components: Components, account_id: int, days: int) -> None:
    async with components.database.write() as conn:
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=days))
        )


async def age_follow(components: Components, follower_id: int, target_id: int, days: int) -> None:
    async with components.database.write() as conn:
        await conn.execute(
            update(follows)
            .where(follows.c.account_id == follower_id, follows.c.target_account_id == target_id)
            .values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=days))
        )


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    """Every SQL statement any engine runs inside the block."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def groups_of(body: dict[str, Any]) -> list[tuple[str, int]]:
    """(type, notifications_count) of each group, newest first."""
    return [(group["type"], group["notifications_count"]) for group in body["notification_groups"]]
