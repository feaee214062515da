"""SQL repository for moderators' changes to accounts, and the warnings members are sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from godwit.domain.account_actions import AccountWarning, MemberState
from godwit.domain.accounts import username_key
from godwit.domain.ids import new_id
from godwit.domain.pagination import PageRequest
from godwit.storage.feeds import windowed
from godwit.storage.schema import (
    account_warnings,
    accounts,
    notifications,
    oauth_tokens,
    push_subscriptions,
    statuses,
    users,
)

W = account_warnings.c
# Account list filters for moderators (Mastodon's admin accounts "status" and staff).
ACCOUNT_FILTERS = (
    "active", "pending", "disabled", "silenced", "suspended", "sensitized", "staff",
)  # fmt: skip

_STATE_COLUMNS = [
    accounts.c.id.label("account_id"),
    accounts.c.suspended_at,
    accounts.c.silenced_at,
    accounts.c.sensitized_at,
    accounts.c.created_at,
    users.c.id.label("user_id"),
    users.c.role,
    users.c.email,
    users.c.approved,
    users.c.disabled,
    users.c.signup_reason,
    users.c.signup_ip,
    users.c.last_sign_in_at,
    users.c.locale,
]


def _state(row: Any) -> MemberState:
    local = row.user_id is not None
    return MemberState(
        account_id=row.account_id,
        user_id=row.user_id,
        role=row.role if local else "member",
        email=row.email if local else "",
        approved=bool(row.approved) if local else True,
        disabled=bool(row.disabled) if local else False,
        suspended_at=row.suspended_at,
        silenced_at=row.silenced_at,
        sensitized_at=row.sensitized_at,
        created_at=row.created_at,
        signup_reason=(row.signup_reason or "") if local else "",
        signup_ip=(row.signup_ip or "") if local else "",
        last_sign_in_at=row.last_sign_in_at if local else None,
        locale=(row.locale or "") if local else "",
    )


def _warning(row: Any) -> AccountWarning:
    return AccountWarning(
        id=row.id,
        target_account_id=row.target_account_id,
        action=row.action,
        text=row.text,
        status_ids=tuple(int(i) for i in row.status_ids or ()),
        created_at=row.created_at,
        actor_account_id=row.actor_account_id,
        report_id=row.report_id,
    )


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _status_condition(status: str) -> ColumnElement[bool]:
    may_sign_in = users.c.approved.is_(True) & users.c.disabled.is_(False)
    conditions: dict[str, ColumnElement[bool]] = {
        "active": may_sign_in & accounts.c.suspended_at.is_(None),
        "pending": users.c.approved.is_(False),
        "disabled": users.c.disabled.is_(True),
        "silenced": accounts.c.silenced_at.is_not(None),
        "suspended": accounts.c.suspended_at.is_not(None),
        "sensitized": accounts.c.sensitized_at.is_not(None),
        "staff": users.c.role.in_(("moderator", "admin")),
    }
    return conditions[status]


class SqlAccountModeration:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def states(self, account_ids: Sequence[int]) -> dict[int, MemberState]:
        wanted = sorted(set(account_ids))
        if not wanted:
            return {}
        rows = await self.conn.execute(
            select(*_STATE_COLUMNS)
            .select_from(accounts.outerjoin(users, users.c.account_id == accounts.c.id))
            .where(accounts.c.id.in_(wanted))
        )
        return {row.account_id: _state(row) for row in rows}

    async def _set_account(self, account_id: int, **values: Any) -> None:
        await self.conn.execute(
            update(accounts).where(accounts.c.id == account_id).values(**values)
        )

    async def set_suspended(self, account_id: int, at: dt.datetime | None) -> None:
        await self._set_account(account_id, suspended_at=at)

    async def set_silenced(self, account_id: int, at: dt.datetime | None) -> None:
        await self._set_account(account_id, silenced_at=at)

    async def set_sensitized(self, account_id: int, at: dt.datetime | None) -> None:
        await self._set_account(account_id, sensitized_at=at)

    async def set_disabled(self, user_id: int, disabled: bool) -> None:
        await self.conn.execute(
            update(users).where(users.c.id == user_id).values(disabled=disabled)
        )

    async def approve(self, user_id: int) -> bool:
        result = await self.conn.execute(
            update(users)
            .where(users.c.id == user_id, users.c.approved.is_(False))
            .values(approved=True)
        )
        return bool(result.rowcount == 1)

    async def delete_pending(self, account_id: int) -> bool:
        pending = exists().where(users.c.account_id == accounts.c.id, users.c.approved.is_(False))
        result = await self.conn.execute(
            delete(accounts).where(accounts.c.id == account_id, accounts.c.domain == "", pending)
        )
        return bool(result.rowcount == 1)

    async def revoke_tokens(self, user_id: int, at: dt.datetime) -> int:
        live = select(oauth_tokens.c.id).where(
            oauth_tokens.c.user_id == user_id, oauth_tokens.c.revoked_at.is_(None)
        )
        await self.conn.execute(
            delete(push_subscriptions).where(push_subscriptions.c.token_id.in_(live))
        )
        result = await self.conn.execute(
            update(oauth_tokens)
            .where(oauth_tokens.c.user_id == user_id, oauth_tokens.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return int(result.rowcount)

    async def mark_status_sensitive(self, status_id: int) -> bool:
        result = await self.conn.execute(
            update(statuses)
            .where(statuses.c.id == status_id, statuses.c.sensitive.is_(False))
            .values(sensitive=True)
        )
        return bool(result.rowcount == 1)

    async def add_warning(self, warning: AccountWarning) -> None:
        await self.conn.execute(
            insert(account_warnings).values(
                id=warning.id,
                target_account_id=warning.target_account_id,
                actor_account_id=warning.actor_account_id,
                action=warning.action,
                text=warning.text,
                status_ids=list(warning.status_ids),
                report_id=warning.report_id,
                created_at=warning.created_at,
            )
        )

    async def warnings(self, warning_ids: Sequence[int]) -> dict[int, AccountWarning]:
        wanted = sorted(set(warning_ids))
        if not wanted:
            return {}
        rows = await self.conn.execute(select(account_warnings).where(W.id.in_(wanted)))
        return {row.id: _warning(row) for row in rows}

    async def warnings_for(self, account_id: int, limit: int) -> list[AccountWarning]:
        rows = await self.conn.execute(
            select(account_warnings)
            .where(W.target_account_id == account_id)
            .order_by(W.id.desc())
            .limit(limit)
        )
        return [_warning(row) for row in rows]

    async def add_warning_notification(
        self, recipient_id: int, warning_id: int, at: dt.datetime
    ) -> int | None:
        local = await self.conn.scalar(
            select(accounts.c.id).where(accounts.c.id == recipient_id, accounts.c.domain == "")
        )
        if local is None:
            return None
        notification_id = new_id()
        await self.conn.execute(
            insert(notifications).values(
                id=notification_id,
                account_id=recipient_id,
                from_account_id=recipient_id,
                type="moderation_warning",
                status_id=None,
                created_at=at,
                group_key=None,
                filtered=False,
                account_warning_id=warning_id,
            )
        )
        return notification_id

    async def pending(self, page: PageRequest) -> list[MemberState]:
        query = (
            select(*_STATE_COLUMNS)
            .select_from(accounts.join(users, users.c.account_id == accounts.c.id))
            .where(users.c.approved.is_(False))
        )
        rows = [
            _state(row) for row in await self.conn.execute(windowed(query, accounts.c.id, page))
        ]
        return list(reversed(rows)) if page.ascending else rows

    async def local_accounts(
        self, page: PageRequest, *, query: str = "", status: str | None = None
    ) -> list[int]:
        statement = (
            select(accounts.c.id)
            .select_from(accounts.join(users, users.c.account_id == accounts.c.id))
            .where(accounts.c.domain == "")
        )
        text = query.strip().removeprefix("@")
        if text:
            prefix = _like_prefix(username_key(text))
            statement = statement.where(
                or_(
                    accounts.c.username_key.like(prefix, escape="\\"),
                    func.lower(accounts.c.display_name).like(prefix, escape="\\"),
                    users.c.email.like(_like_prefix(text.lower()), escape="\\"),
                )
            )
        if status is not None:
            statement = statement.where(_status_condition(status))
        rows = (await self.conn.execute(windowed(statement, accounts.c.id, page))).scalars().all()
        return list(reversed(rows)) if page.ascending else list(rows)
