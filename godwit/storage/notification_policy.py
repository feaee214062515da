"""SQL repository for notification policies, requests and permissions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, exists, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.ids import new_id
from godwit.domain.notification_policy import (
    MAX_PENDING_REQUESTS,
    NotificationPolicy,
    NotificationRequest,
    PolicyAction,
    PolicySummary,
    Screening,
)
from godwit.domain.pagination import PageRequest
from godwit.storage.notifications import N, visible_to_recipient
from godwit.storage.schema import (
    accounts,
    follows,
    notification_permissions,
    notification_policies,
    notification_requests,
    notifications,
    statuses,
    users,
)

P = notification_policies.c
R = notification_requests.c
_STAFF_ROLES = ("moderator", "admin")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _action(value: Any, default: PolicyAction) -> PolicyAction:
    try:
        return PolicyAction(value)
    except ValueError:
        return default


def _policy(row: Any) -> NotificationPolicy:
    defaults = NotificationPolicy()
    if row is None or row.for_not_following is None:
        return defaults
    return NotificationPolicy(
        for_not_following=_action(row.for_not_following, defaults.for_not_following),
        for_not_followers=_action(row.for_not_followers, defaults.for_not_followers),
        for_new_accounts=_action(row.for_new_accounts, defaults.for_new_accounts),
        for_private_mentions=_action(row.for_private_mentions, defaults.for_private_mentions),
        for_limited_accounts=_action(row.for_limited_accounts, defaults.for_limited_accounts),
    )


def _request(row: Any, count: int = 0) -> NotificationRequest:
    return NotificationRequest(
        id=row.id,
        recipient_id=row.account_id,
        from_account_id=row.from_account_id,
        last_status_id=row.last_status_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        notifications_count=count,
    )


def _pending(recipient_id: int) -> list[Any]:
    """A request is pending while its sender is visible and still has filtered notifications."""
    return [
        R.account_id == recipient_id,
        *visible_to_recipient(recipient_id, _now(), sender=R.from_account_id),
        exists().where(
            N.account_id == recipient_id,
            N.from_account_id == R.from_account_id,
            N.filtered.is_(True),
        ),
    ]


class SqlNotificationPolicies:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    def _insert(self) -> Any:
        return sqlite if self.conn.dialect.name == "sqlite" else postgresql

    async def get(self, account_id: int) -> NotificationPolicy:
        query = select(notification_policies).where(P.account_id == account_id)
        return _policy((await self.conn.execute(query)).first())

    async def save(self, account_id: int, policy: NotificationPolicy, now: dt.datetime) -> None:
        values = {
            "for_not_following": policy.for_not_following.value,
            "for_not_followers": policy.for_not_followers.value,
            "for_new_accounts": policy.for_new_accounts.value,
            "for_private_mentions": policy.for_private_mentions.value,
            "for_limited_accounts": policy.for_limited_accounts.value,
            "updated_at": now,
        }
        upsert = (
            self._insert().insert(notification_policies).values(account_id=account_id, **values)
        )
        upsert = upsert.on_conflict_do_update(index_elements=[P.account_id], set_=values)
        await self.conn.execute(upsert)

    async def summary(self, account_id: int) -> PolicySummary:
        pending = (
            select(R.from_account_id)
            .where(*_pending(account_id))
            .limit(MAX_PENDING_REQUESTS)
            .subquery()
        )
        requests_count = select(func.count()).select_from(pending).scalar_subquery()
        notifications_count = (
            select(func.count())
            .select_from(notifications)
            .where(
                N.account_id == account_id,
                N.filtered.is_(True),
                N.from_account_id.in_(select(R.from_account_id).where(*_pending(account_id))),
            )
            .scalar_subquery()
        )
        row = (await self.conn.execute(select(requests_count, notifications_count))).one()
        return PolicySummary(
            pending_requests_count=int(row[0] or 0), pending_notifications_count=int(row[1] or 0)
        )

    async def screening(
        self, recipient_id: int, sender_id: int, status_id: int | None
    ) -> Screening | None:
        F = follows.c
        status = statuses.alias("status")
        sender = accounts.alias("sender")
        columns: list[Any] = [
            sender.c.created_at,
            sender.c.silenced_at,
            users.c.role,
            P.for_not_following,
            P.for_not_followers,
            P.for_new_accounts,
            P.for_private_mentions,
            P.for_limited_accounts,
            exists()
            .where(
                notification_permissions.c.account_id == recipient_id,
                notification_permissions.c.from_account_id == sender_id,
            )
            .label("permitted"),
            exists()
            .where(F.account_id == recipient_id, F.target_account_id == sender_id)
            .label("following"),
            select(F.created_at)
            .where(F.account_id == sender_id, F.target_account_id == recipient_id)
            .scalar_subquery()
            .label("followed_at"),
        ]
        if status_id is not None:
            columns += [
                select(status.c.visibility)
                .where(status.c.id == status_id)
                .scalar_subquery()
                .label("visibility"),
                select(status.c.in_reply_to_account_id)
                .where(status.c.id == status_id)
                .scalar_subquery()
                .label("in_reply_to_account_id"),
            ]
        query = (
            select(*columns)
            .select_from(
                sender.outerjoin(users, users.c.account_id == sender.c.id).outerjoin(
                    notification_policies, P.account_id == literal(recipient_id)
                )
            )
            .where(sender.c.id == sender_id)
        )
        row = (await self.conn.execute(query)).first()
        if row is None:
            return None
        mapping = row._mapping
        followed_at = mapping["followed_at"]
        if isinstance(followed_at, dt.datetime) and followed_at.tzinfo is None:
            followed_at = followed_at.replace(tzinfo=dt.UTC)  # a raw SQLite scalar subquery
        return Screening(
            policy=_policy(row),
            permitted=bool(mapping["permitted"]),
            recipient_follows_sender=bool(mapping["following"]),
            sender_follows_since=followed_at,
            sender_created_at=mapping["created_at"],
            sender_limited=mapping["silenced_at"] is not None,
            sender_is_staff=mapping["role"] in _STAFF_ROLES,
            status_visibility=mapping.get("visibility"),
            status_replies_to_recipient=mapping.get("in_reply_to_account_id") == recipient_id,
        )

    async def record_request(
        self, recipient_id: int, sender_id: int, status_id: int | None, now: dt.datetime
    ) -> None:
        upsert = (
            self._insert()
            .insert(notification_requests)
            .values(
                id=new_id(),
                account_id=recipient_id,
                from_account_id=sender_id,
                last_status_id=status_id,
                created_at=now,
                updated_at=now,
            )
        )
        changes: dict[str, Any] = {"updated_at": now}
        if status_id is not None:
            changes["last_status_id"] = status_id
        upsert = upsert.on_conflict_do_update(
            index_elements=[R.account_id, R.from_account_id], set_=changes
        )
        await self.conn.execute(upsert)

    async def _with_counts(
        self, recipient_id: int, rows: Sequence[Any]
    ) -> list[NotificationRequest]:
        if not rows:
            return []
        senders = [row.from_account_id for row in rows]
        counted = select(N.from_account_id, func.count()).where(
            N.account_id == recipient_id, N.filtered.is_(True), N.from_account_id.in_(senders)
        )
        counts = {
            sender: int(count)
            for sender, count in await self.conn.execute(counted.group_by(N.from_account_id))
        }
        return [_request(row, counts.get(row.from_account_id, 0)) for row in rows]

    async def requests_page(
        self, recipient_id: int, page: PageRequest
    ) -> list[NotificationRequest]:
        conditions = _pending(recipient_id)
        if page.max_id is not None:
            conditions.append(R.id < page.max_id)
        if page.lower is not None:
            conditions.append(R.id > page.lower)
        order = R.id.asc() if page.ascending else R.id.desc()
        query = select(notification_requests).where(*conditions).order_by(order).limit(page.limit)
        rows = list(await self.conn.execute(query))
        return await self._with_counts(recipient_id, rows[::-1] if page.ascending else rows)

    async def requests_by_ids(
        self, recipient_id: int, request_ids: Sequence[int]
    ) -> list[NotificationRequest]:
        if not request_ids:
            return []
        query = (
            select(notification_requests)
            .where(*_pending(recipient_id), R.id.in_(list(request_ids)))
            .order_by(R.id.desc())
        )
        return await self._with_counts(recipient_id, list(await self.conn.execute(query)))

    async def accept(self, recipient_id: int, sender_ids: Sequence[int], now: dt.datetime) -> None:
        if not sender_ids:
            return
        permit = (
            self._insert()
            .insert(notification_permissions)
            .values(
                [
                    {"account_id": recipient_id, "from_account_id": sender, "created_at": now}
                    for sender in sorted(set(sender_ids))
                ]
            )
        )
        await self.conn.execute(permit.on_conflict_do_nothing())
        await self.conn.execute(
            update(notifications)
            .where(self._filtered_from(recipient_id, sender_ids))
            .values(filtered=False)
        )
        await self._close(recipient_id, sender_ids)

    async def dismiss(self, recipient_id: int, sender_ids: Sequence[int]) -> None:
        if not sender_ids:
            return
        await self.conn.execute(
            delete(notifications).where(self._filtered_from(recipient_id, sender_ids))
        )
        await self._close(recipient_id, sender_ids)

    @staticmethod
    def _filtered_from(recipient_id: int, sender_ids: Sequence[int]) -> Any:
        return and_(
            N.account_id == recipient_id,
            N.from_account_id.in_(list(sender_ids)),
            N.filtered.is_(True),
        )

    async def _close(self, recipient_id: int, sender_ids: Sequence[int]) -> None:
        await self.conn.execute(
            delete(notification_requests).where(
                R.account_id == recipient_id, R.from_account_id.in_(list(sender_ids))
            )
        )
