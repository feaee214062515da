"""SQL repository for server settings, rules, custom emojis and usage figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, exists, func, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.ids import IdGenerator, new_id
from godwit.domain.instance import (
    ACTIVE_HALFYEAR,
    ACTIVE_MONTH,
    CustomEmoji,
    InstanceRule,
    UsageStats,
    WeeklyActivity,
)
from godwit.storage.schema import (
    accounts,
    custom_emojis,
    instance_rules,
    server_settings,
    statuses,
    users,
)


def _first_id_at(moment: dt.datetime) -> int:
    """Statuses are time-ordered by id, so a time range is an id range (index-friendly)."""
    return IdGenerator.lower_bound_for(int(moment.timestamp() * 1000))


def _member_may_sign_in() -> ColumnElement[bool]:
    return and_(users.c.approved.is_(True), users.c.disabled.is_(False))


def _active_since(moment: dt.datetime) -> Any:
    posted = exists().where(
        statuses.c.account_id == users.c.account_id, statuses.c.id >= _first_id_at(moment)
    )
    return (
        select(func.count())
        .select_from(users)
        .where(_member_may_sign_in(), or_(users.c.last_sign_in_at >= moment, posted))
        .scalar_subquery()
    )


def _count_between(column: Any, start: Any, end: Any) -> Any:
    return func.coalesce(func.sum(case((and_(column >= start, column < end), 1), else_=0)), 0)


class SqlInstance:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def ping(self) -> None:
        await self.conn.execute(select(literal(1)))

    async def get_setting(self, key: str) -> Any | None:
        query = select(server_settings.c.value).where(server_settings.c.key == key)
        return (await self.conn.execute(query)).scalar()

    async def set_setting(self, key: str, value: Any) -> None:
        dialect = sqlite if self.conn.dialect.name == "sqlite" else postgresql
        upsert = dialect.insert(server_settings).values(key=key, value=value)
        upsert = upsert.on_conflict_do_update(
            index_elements=[server_settings.c.key], set_={"value": upsert.excluded.value}
        )
        await self.conn.execute(upsert)

    async def settings(self) -> dict[str, Any]:
        rows = await self.conn.execute(select(server_settings.c.key, server_settings.c.value))
        return {row.key: row.value for row in rows}

    async def rules(self) -> list[InstanceRule]:
        query = (
            select(instance_rules)
            .where(instance_rules.c.deleted_at.is_(None))
            .order_by(instance_rules.c.position, instance_rules.c.id)
        )
        return [
            InstanceRule(id=row.id, text=row.text, hint=row.hint)
            for row in await self.conn.execute(query)
        ]

    async def get_rule(self, rule_id: int) -> InstanceRule | None:
        row = (
            await self.conn.execute(
                select(instance_rules).where(
                    instance_rules.c.id == rule_id, instance_rules.c.deleted_at.is_(None)
                )
            )
        ).first()
        return InstanceRule(id=row.id, text=row.text, hint=row.hint) if row is not None else None

    async def rules_among(self, rule_ids: Sequence[int]) -> dict[int, InstanceRule]:
        wanted = sorted(set(rule_ids))
        if not wanted:
            return {}
        rows = await self.conn.execute(
            select(instance_rules).where(instance_rules.c.id.in_(wanted))
        )
        return {row.id: InstanceRule(id=row.id, text=row.text, hint=row.hint) for row in rows}

    async def update_rule(self, rule_id: int, text: str, hint: str) -> bool:
        result = await self.conn.execute(
            instance_rules.update()
            .where(instance_rules.c.id == rule_id, instance_rules.c.deleted_at.is_(None))
            .values(text=text, hint=hint)
        )
        return bool(result.rowcount == 1)

    async def delete_rule(self, rule_id: int, at: dt.datetime) -> bool:
        result = await self.conn.execute(
            instance_rules.update()
            .where(instance_rules.c.id == rule_id, instance_rules.c.deleted_at.is_(None))
            .values(deleted_at=at)
        )
        return bool(result.rowcount == 1)

    async def add_rule(self, text: str, hint: str = "") -> InstanceRule:
        position = await self.conn.scalar(
            select(func.coalesce(func.max(instance_rules.c.position), -1) + 1)
        )
        rule_id = new_id()
        await self.conn.execute(
            instance_rules.insert().values(
                id=rule_id,
                text=text,
                hint=hint,
                position=int(position or 0),
                created_at=dt.datetime.now(dt.UTC),
            )
        )
        return InstanceRule(id=rule_id, text=text, hint=hint)

    async def custom_emojis(self) -> list[CustomEmoji]:
        query = (
            select(custom_emojis)
            .where(custom_emojis.c.domain == "")
            .order_by(custom_emojis.c.shortcode)
        )
        return [
            CustomEmoji(
                shortcode=row.shortcode,
                image_path=row.image_path,
                visible_in_picker=row.visible_in_picker,
                category=row.category,
            )
            for row in await self.conn.execute(query)
        ]

    async def usage(self, now: dt.datetime) -> UsageStats:
        query = select(
            select(func.count())
            .select_from(users)
            .where(_member_may_sign_in())
            .scalar_subquery()
            .label("users"),
            select(func.count())
            .select_from(statuses)
            .where(statuses.c.local.is_(True))
            .scalar_subquery()
            .label("statuses"),
            select(func.count(distinct(accounts.c.domain)))
            .where(accounts.c.domain != "")
            .scalar_subquery()
            .label("domains"),
            _active_since(now - ACTIVE_MONTH).label("month"),
            _active_since(now - ACTIVE_HALFYEAR).label("halfyear"),
        )
        row = (await self.conn.execute(query)).one()
        return UsageStats(
            user_count=int(row.users),
            status_count=int(row.statuses),
            domain_count=int(row.domains),
            active_month=int(row.month),
            active_halfyear=int(row.halfyear),
        )

    async def first_admin_account_id(self) -> int | None:
        query = (
            select(users.c.account_id)
            .where(users.c.role == "admin", _member_may_sign_in())
            .order_by(users.c.created_at, users.c.id)
            .limit(1)
        )
        return (await self.conn.execute(query)).scalar()

    async def weekly_activity(self, week_starts: Sequence[dt.datetime]) -> list[WeeklyActivity]:
        if not week_starts:
            return []
        ends = [week_starts[0] + dt.timedelta(weeks=1), *week_starts[:-1]]
        windows = list(zip(week_starts, ends, strict=True))
        oldest = min(week_starts)
        status_query = select(
            *[
                _count_between(statuses.c.id, _first_id_at(start), _first_id_at(end))
                for start, end in windows
            ]
        ).where(statuses.c.local.is_(True), statuses.c.id >= _first_id_at(oldest))
        user_query = select(
            *[_count_between(users.c.last_sign_in_at, start, end) for start, end in windows],
            *[_count_between(users.c.created_at, start, end) for start, end in windows],
        ).where(or_(users.c.created_at >= oldest, users.c.last_sign_in_at >= oldest))
        posted = (await self.conn.execute(status_query)).one()
        people = (await self.conn.execute(user_query)).one()
        weeks = len(windows)
        return [
            WeeklyActivity(
                week_start=start,
                statuses=int(posted[index]),
                logins=int(people[index]),
                registrations=int(people[weeks + index]),
            )
            for index, (start, _end) in enumerate(windows)
        ]
