"""SQL repository for hashtags members follow, feature and make trend.

Trend figures are SQL aggregates over one bounded window (statuses are found by their
time-sortable id, so the window is an index range scan), never per-status work in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, case, delete, distinct, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.ids import IdGenerator, new_id
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import Visibility
from godwit.domain.tags import FeaturedTag, Tag, TagUsage
from godwit.domain.text import tag_key
from godwit.storage.schema import (
    accounts,
    featured_tags,
    status_tags,
    statuses,
    tag_follows,
    tags,
)

# How far back "most used by" looks: the account's latest posts, a bounded scan.
RECENT_POSTS_SCANNED = 500


def _tag(row: Any) -> Tag:
    return Tag(id=row.id, name=row.name, display_name=row.display_name)


def _window_start_id(start: dt.datetime) -> int:
    return IdGenerator.lower_bound_for(int(start.timestamp() * 1000))


def _trend_conditions(since_id: int) -> list[ColumnElement[bool]]:
    """Public original posts of discoverable, unsuspended, unlimited accounts inside the
    window."""
    return [
        statuses.c.id >= since_id,
        statuses.c.visibility == Visibility.PUBLIC.value,
        statuses.c.reblog_of_id.is_(None),
        accounts.c.discoverable.is_(True),
        accounts.c.suspended_at.is_(None),
        accounts.c.silenced_at.is_(None),
    ]


class SqlTags:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def _insert_unless_present(self, table: Any, values: dict[str, Any]) -> bool:
        try:
            async with self.conn.begin_nested():  # PostgreSQL stays usable after a clash
                await self.conn.execute(insert(table).values(**values))
        except IntegrityError:
            return False
        return True

    async def find(self, name: str) -> Tag | None:
        key = tag_key(name.removeprefix("#"))
        row = (await self.conn.execute(select(tags).where(tags.c.name == key))).first()
        return _tag(row) if row is not None else None

    async def find_or_create(self, name: str, now: dt.datetime) -> Tag:
        found = await self.find(name)
        if found is not None:
            return found
        values = {"id": new_id(), "name": tag_key(name), "display_name": name, "created_at": now}
        await self._insert_unless_present(tags, values)  # a concurrent creator may win
        created = await self.find(name)
        assert created is not None
        return created

    async def get_many(self, tag_ids: Sequence[int]) -> dict[int, Tag]:
        if not tag_ids:
            return {}
        rows = await self.conn.execute(select(tags).where(tags.c.id.in_(set(tag_ids))))
        return {row.id: _tag(row) for row in rows}

    # -- following -----------------------------------------------------------------------

    async def follow(self, account_id: int, tag_id: int, now: dt.datetime) -> bool:
        values = {"id": new_id(), "account_id": account_id, "tag_id": tag_id, "created_at": now}
        return await self._insert_unless_present(tag_follows, values)

    async def unfollow(self, account_id: int, tag_id: int) -> bool:
        result = await self.conn.execute(
            delete(tag_follows).where(
                tag_follows.c.account_id == account_id, tag_follows.c.tag_id == tag_id
            )
        )
        return bool(result.rowcount)

    async def followed_page(self, account_id: int, page: PageRequest) -> list[tuple[int, Tag]]:
        cursor = tag_follows.c.id
        query = (
            select(cursor.label("cursor"), tags)
            .join(tags, tags.c.id == tag_follows.c.tag_id)
            .where(tag_follows.c.account_id == account_id)
        )
        if page.max_id is not None:
            query = query.where(cursor < page.max_id)
        if page.lower is not None:
            query = query.where(cursor > page.lower)
        query = query.order_by(cursor.asc() if page.ascending else cursor.desc())
        rows = [(row.cursor, _tag(row)) for row in await self.conn.execute(query.limit(page.limit))]
        return rows[::-1] if page.ascending else rows

    async def followed_among(self, account_id: int, tag_ids: Sequence[int]) -> set[int]:
        if not tag_ids:
            return set()
        rows = await self.conn.execute(
            select(tag_follows.c.tag_id).where(
                tag_follows.c.account_id == account_id, tag_follows.c.tag_id.in_(set(tag_ids))
            )
        )
        return {row.tag_id for row in rows}

    async def local_followers_of_status_tags(
        self, status_id: int, after_account_id: int | None, limit: int
    ) -> list[int]:
        query = (
            select(tag_follows.c.account_id)
            .distinct()
            .join(status_tags, status_tags.c.tag_id == tag_follows.c.tag_id)
            .join(accounts, accounts.c.id == tag_follows.c.account_id)
            .where(status_tags.c.status_id == status_id, accounts.c.domain == "")
        )
        if after_account_id is not None:
            query = query.where(tag_follows.c.account_id > after_account_id)
        query = query.order_by(tag_follows.c.account_id).limit(limit)
        return [row[0] for row in await self.conn.execute(query)]

    # -- featuring -----------------------------------------------------------------------

    async def featured(self, account_id: int) -> list[FeaturedTag]:
        rows = list(
            await self.conn.execute(
                select(featured_tags.c.id.label("featured_id"), tags)
                .join(tags, tags.c.id == featured_tags.c.tag_id)
                .where(featured_tags.c.account_id == account_id)
                .order_by(featured_tags.c.id)
            )
        )
        if not rows:
            return []
        # Counted over the posts anyone may see on the profile, as Mastodon does.
        counts = await self.conn.execute(
            select(
                status_tags.c.tag_id,
                func.count().label("uses"),
                func.max(statuses.c.created_at).label("last_at"),
            )
            .join(statuses, statuses.c.id == status_tags.c.status_id)
            .where(
                statuses.c.account_id == account_id,
                statuses.c.visibility.in_([Visibility.PUBLIC.value, Visibility.UNLISTED.value]),
                status_tags.c.tag_id.in_([row.id for row in rows]),
            )
            .group_by(status_tags.c.tag_id)
        )
        figures: dict[int, tuple[int, Any]] = {
            row.tag_id: (row.uses, row.last_at) for row in counts
        }
        result = []
        for row in rows:
            uses, last_at = figures.get(row.id, (0, None))
            result.append(
                FeaturedTag(
                    id=row.featured_id,
                    account_id=account_id,
                    tag=_tag(row),
                    statuses_count=int(uses),
                    last_status_at=_as_utc(last_at),
                )
            )
        return result

    async def featured_among(self, account_id: int, tag_ids: Sequence[int]) -> set[int]:
        if not tag_ids:
            return set()
        rows = await self.conn.execute(
            select(featured_tags.c.tag_id).where(
                featured_tags.c.account_id == account_id,
                featured_tags.c.tag_id.in_(set(tag_ids)),
            )
        )
        return {row.tag_id for row in rows}

    async def add_featured(
        self, featured_id: int, account_id: int, tag_id: int, now: dt.datetime
    ) -> bool:
        values = {"id": featured_id, "account_id": account_id, "tag_id": tag_id, "created_at": now}
        return await self._insert_unless_present(featured_tags, values)

    async def remove_featured(self, account_id: int, featured_id: int) -> bool:
        result = await self.conn.execute(
            delete(featured_tags).where(
                featured_tags.c.id == featured_id, featured_tags.c.account_id == account_id
            )
        )
        return bool(result.rowcount)

    async def featured_count(self, account_id: int) -> int:
        count = await self.conn.scalar(
            select(func.count())
            .select_from(featured_tags)
            .where(featured_tags.c.account_id == account_id)
        )
        return int(count or 0)

    async def most_used_by(self, account_id: int, limit: int) -> list[Tag]:
        recent = (
            select(statuses.c.id)
            .where(statuses.c.account_id == account_id, statuses.c.reblog_of_id.is_(None))
            .order_by(statuses.c.id.desc())
            .limit(RECENT_POSTS_SCANNED)
            .subquery()
        )
        uses = func.count().label("uses")
        rows = await self.conn.execute(
            select(tags, uses)
            .join(status_tags, status_tags.c.tag_id == tags.c.id)
            .where(status_tags.c.status_id.in_(select(recent.c.id)))
            .group_by(tags.c.id, tags.c.name, tags.c.display_name, tags.c.created_at)
            .order_by(uses.desc(), tags.c.name)
            .limit(limit)
        )
        return [_tag(row) for row in rows]

    # -- trends --------------------------------------------------------------------------

    async def usage(
        self, tag_ids: Sequence[int] | None, days: Sequence[dt.datetime], limit: int
    ) -> list[TagUsage]:
        if not days:
            return []
        since_id = _window_start_id(days[-1])
        base = (
            select(status_tags.c.tag_id)
            .join(statuses, statuses.c.id == status_tags.c.status_id)
            .join(accounts, accounts.c.id == statuses.c.account_id)
            .where(*_trend_conditions(since_id))
        )
        if tag_ids is None:
            uses = func.count().label("uses")
            top = await self.conn.execute(
                base.add_columns(uses)
                .group_by(status_tags.c.tag_id)
                .order_by(uses.desc(), status_tags.c.tag_id)
                .limit(limit)
            )
            wanted = [row.tag_id for row in top]
        else:
            wanted = list(dict.fromkeys(tag_ids))[:limit]
        if not wanted:
            return []
        # The day bucket is computed in a subquery so that PostgreSQL groups by a column,
        # not by a parameterised expression it cannot match against the select list.
        bucket = case(
            *[(statuses.c.created_at >= day, index) for index, day in enumerate(days)],
            else_=len(days) - 1,
        ).label("bucket")
        uses_of = (
            base.add_columns(statuses.c.account_id, bucket)
            .where(status_tags.c.tag_id.in_(wanted))
            .subquery()
        )
        by_day: dict[int, dict[dt.datetime, tuple[int, int]]] = {tag_id: {} for tag_id in wanted}
        rows = await self.conn.execute(
            select(
                uses_of.c.tag_id,
                uses_of.c.bucket,
                func.count().label("uses"),
                func.count(distinct(uses_of.c.account_id)).label("people"),
            ).group_by(uses_of.c.tag_id, uses_of.c.bucket)
        )
        for row in rows:
            by_day[row.tag_id][days[int(row.bucket)]] = (int(row.uses), int(row.people))
        people = await self.conn.execute(
            select(
                uses_of.c.tag_id, func.count(distinct(uses_of.c.account_id)).label("people")
            ).group_by(uses_of.c.tag_id)
        )
        accounts_by_tag = {row.tag_id: int(row.people) for row in people}
        return [
            TagUsage(tag_id=tag_id, by_day=by_day[tag_id], accounts=accounts_by_tag.get(tag_id, 0))
            for tag_id in wanted
        ]


def _as_utc(moment: Any) -> dt.datetime | None:
    """Aggregates (max) bypass the column type: SQLite hands back naive text or datetimes."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    assert isinstance(moment, dt.datetime)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
