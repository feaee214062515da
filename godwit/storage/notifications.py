"""SQL repository for notifications and read markers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, false, func, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.ids import new_id
from godwit.domain.notifications import (
    UNGROUPED_PREFIX,
    Marker,
    Notification,
    NotificationFilter,
    compute_group_key,
    ungrouped_id,
)
from godwit.domain.pagination import PageRequest
from godwit.storage.schema import (
    account_domain_blocks,
    accounts,
    blocks,
    markers,
    mutes,
    notification_requests,
    notifications,
)

N = notifications.c


def _same_status(status_id: int | None) -> ColumnElement[bool]:
    return N.status_id.is_(None) if status_id is None else N.status_id == status_id


def visible_to_recipient(
    recipient_id: int, now: dt.datetime, sender: ColumnElement[int] = N.from_account_id
) -> list[ColumnElement[bool]]:
    """Leave out senders who are suspended, or whom the recipient blocks, is blocked by,
    mutes with notifications, or whose domain the recipient blocks. ``sender`` is the column
    naming the sender (a notification's by default, a notification request's too)."""
    blocker, blocked = blocks.c.account_id, blocks.c.target_account_id
    sender_row = accounts.alias("sender")
    return [
        ~exists().where(accounts.c.id == sender, accounts.c.suspended_at.is_not(None)),
        ~exists().where(blocker == recipient_id, blocked == sender),
        ~exists().where(blocker == sender, blocked == recipient_id),
        ~exists().where(
            mutes.c.account_id == recipient_id,
            mutes.c.target_account_id == sender,
            mutes.c.hide_notifications.is_(True),
            or_(mutes.c.expires_at.is_(None), mutes.c.expires_at > now),
        ),
        # Senders on a domain the recipient blocks (an empty domain is never blocked).
        # One flat EXISTS so it correlates with each row on both databases.
        ~exists().where(
            account_domain_blocks.c.account_id == recipient_id,
            sender_row.c.id == sender,
            account_domain_blocks.c.domain == sender_row.c.domain,
        ),
    ]


def group_condition(group_key: str) -> ColumnElement[bool]:
    """``ungrouped-<id>`` names one notification (filtered or not, as Mastodon's
    by_group_key); any other key the unfiltered notifications stored with it."""
    if group_key.startswith(UNGROUPED_PREFIX):
        notification_id = ungrouped_id(group_key)
        return N.id == notification_id if notification_id is not None else false()
    return and_(N.group_key == group_key, N.filtered.is_(False))


def filtered(recipient_id: int, where: NotificationFilter) -> list[ColumnElement[bool]]:
    """The conditions of a listing: the recipient's visible notifications that ``where``
    asks for (without those held back by the policy unless it includes them)."""
    conditions = [N.account_id == recipient_id, *visible_to_recipient(recipient_id, _now())]
    if where.group_key is not None:
        conditions.append(group_condition(where.group_key))
    elif not where.include_filtered:
        conditions.append(N.filtered.is_(False))
    if where.types:
        conditions.append(N.type.in_(where.types))
    if where.exclude_types:
        conditions.append(N.type.not_in(where.exclude_types))
    if where.from_account_id is not None:
        conditions.append(N.from_account_id == where.from_account_id)
    return conditions


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _notification(row: Any) -> Notification:
    return Notification(
        id=row.id,
        recipient_id=row.account_id,
        from_account_id=row.from_account_id,
        type=row.type,
        status_id=row.status_id,
        created_at=row.created_at,
        group_key=row.group_key,
        filtered=bool(row.filtered),
        account_warning_id=row.account_warning_id,
    )


def _marker(row: Any) -> Marker:
    return Marker(
        timeline=row.timeline,
        last_read_id=row.last_read_id,
        version=row.version,
        updated_at=row.updated_at,
    )


class SqlNotifications:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(
        self,
        *,
        recipient_id: int,
        from_account_id: int,
        type: str,
        status_id: int | None,
        filtered: bool = False,
    ) -> int | None:
        check = select(
            exists().where(accounts.c.id == recipient_id, accounts.c.domain == "").label("local"),
            exists()
            .where(
                N.account_id == recipient_id,
                N.from_account_id == from_account_id,
                N.type == type,
                _same_status(status_id),
            )
            .label("duplicate"),
        )
        row = (await self.conn.execute(check)).one()
        if not row.local or row.duplicate:
            return None
        notification_id, now = new_id(), _now()
        await self.conn.execute(
            insert(notifications).values(
                id=notification_id,
                account_id=recipient_id,
                from_account_id=from_account_id,
                type=type,
                status_id=status_id,
                created_at=now,
                group_key=compute_group_key(type, status_id, now),
                filtered=filtered,
            )
        )
        return notification_id

    async def remove(
        self, *, recipient_id: int, from_account_id: int, type: str, status_id: int | None
    ) -> None:
        await self.conn.execute(
            delete(notifications).where(
                N.account_id == recipient_id,
                N.from_account_id == from_account_id,
                N.type == type,
                _same_status(status_id),
            )
        )

    async def remove_between(self, a: int, b: int) -> None:
        for table in (notifications, notification_requests):
            await self.conn.execute(
                delete(table).where(
                    or_(
                        and_(table.c.account_id == a, table.c.from_account_id == b),
                        and_(table.c.account_id == b, table.c.from_account_id == a),
                    )
                )
            )

    async def page(
        self, recipient_id: int, page: PageRequest, where: NotificationFilter
    ) -> list[Notification]:
        conditions = filtered(recipient_id, where)
        if page.max_id is not None:
            conditions.append(N.id < page.max_id)
        if page.lower is not None:
            conditions.append(N.id > page.lower)
        order = N.id.asc() if page.ascending else N.id.desc()
        query = select(notifications).where(*conditions).order_by(order).limit(page.limit)
        rows = [_notification(row) for row in await self.conn.execute(query)]
        return rows[::-1] if page.ascending else rows

    async def get(self, recipient_id: int, notification_id: int) -> Notification | None:
        query = select(notifications).where(
            N.id == notification_id, *visible_to_recipient(recipient_id, _now())
        )
        row = (await self.conn.execute(query.where(N.account_id == recipient_id))).first()
        return _notification(row) if row is not None else None

    async def dismiss(self, recipient_id: int, notification_id: int) -> bool:
        result = await self.conn.execute(
            delete(notifications).where(N.id == notification_id, N.account_id == recipient_id)
        )
        return bool(result.rowcount)

    async def clear(self, recipient_id: int) -> None:
        await self.conn.execute(delete(notifications).where(N.account_id == recipient_id))

    async def count_after(
        self, recipient_id: int, after_id: int | None, limit: int, where: NotificationFilter
    ) -> int:
        conditions = filtered(recipient_id, where)
        if after_id is not None:
            conditions.append(N.id > after_id)
        capped = select(N.id).where(*conditions).limit(limit).subquery()
        count = await self.conn.scalar(select(func.count()).select_from(capped))
        return int(count or 0)

    async def markers(self, account_id: int, timelines: Sequence[str]) -> dict[str, Marker]:
        query = select(markers).where(
            markers.c.account_id == account_id, markers.c.timeline.in_(list(timelines))
        )
        return {row.timeline: _marker(row) for row in await self.conn.execute(query)}

    async def save_marker(
        self, account_id: int, timeline: str, last_read_id: int, now: dt.datetime
    ) -> Marker:
        dialect = sqlite if self.conn.dialect.name == "sqlite" else postgresql
        upsert = dialect.insert(markers).values(
            account_id=account_id,
            timeline=timeline,
            last_read_id=last_read_id,
            version=0,
            updated_at=now,
        )
        # One statement, so two clients saving at once cannot both insert.
        upsert = upsert.on_conflict_do_update(
            index_elements=[markers.c.account_id, markers.c.timeline],
            set_={
                "last_read_id": last_read_id,
                "version": markers.c.version + 1,
                "updated_at": upsert.excluded.updated_at,
            },
        )
        await self.conn.execute(upsert)
        row = (
            await self.conn.execute(
                select(markers).where(
                    markers.c.account_id == account_id, markers.c.timeline == timeline
                )
            )
        ).one()
        return _marker(row)
