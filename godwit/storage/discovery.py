"""SQL repository for finding people and posts: endorsements, suggestions, the directory,
trending posts and announcements. Every list is one bounded query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.discovery import Announcement
from godwit.domain.graph import GraphEdge
from godwit.domain.ids import new_id
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import Visibility
from godwit.storage.schema import (
    account_pins,
    accounts,
    announcement_dismissals,
    announcements,
    blocks,
    follows,
    mutes,
    statuses,
    suggestion_dismissals,
    users,
)

# Friends of friends are counted over at most this many of the viewer's follows.
FRIENDS_SCANNED = 200


def _suggestable(viewer_id: int, candidate: Any) -> list[ColumnElement[bool]]:
    """Not the viewer, not followed, blocked either way, muted or dismissed; discoverable,
    local, active accounts only."""
    return [
        candidate != viewer_id,
        accounts.c.discoverable.is_(True),
        accounts.c.suspended_at.is_(None),
        accounts.c.silenced_at.is_(None),
        accounts.c.domain == "",
        ~exists().where(
            follows.c.account_id == viewer_id, follows.c.target_account_id == candidate
        ),
        ~exists().where(
            or_(
                and_(blocks.c.account_id == viewer_id, blocks.c.target_account_id == candidate),
                and_(blocks.c.account_id == candidate, blocks.c.target_account_id == viewer_id),
            )
        ),
        ~exists().where(mutes.c.account_id == viewer_id, mutes.c.target_account_id == candidate),
        ~exists().where(
            suggestion_dismissals.c.account_id == viewer_id,
            suggestion_dismissals.c.target_account_id == candidate,
        ),
    ]


def _signed_in_member(account_id: Any) -> ColumnElement[bool]:
    """A local account whose member may sign in (approved, not disabled)."""
    return exists().where(
        users.c.account_id == account_id, users.c.approved.is_(True), users.c.disabled.is_(False)
    )


class SqlDiscovery:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    # -- endorsements --------------------------------------------------------------------

    async def endorse(self, account_id: int, target_id: int, now: dt.datetime) -> bool:
        values = {
            "id": new_id(),
            "account_id": account_id,
            "target_account_id": target_id,
            "created_at": now,
        }
        try:
            async with self.conn.begin_nested():
                await self.conn.execute(insert(account_pins).values(**values))
        except IntegrityError:
            return False
        return True

    async def unendorse(self, account_id: int, target_id: int) -> bool:
        result = await self.conn.execute(
            delete(account_pins).where(
                account_pins.c.account_id == account_id,
                account_pins.c.target_account_id == target_id,
            )
        )
        return bool(result.rowcount)

    async def endorsed_page(self, account_id: int, page: PageRequest) -> list[GraphEdge]:
        cursor = account_pins.c.id
        query = select(cursor, account_pins.c.target_account_id).where(
            account_pins.c.account_id == account_id
        )
        if page.max_id is not None:
            query = query.where(cursor < page.max_id)
        if page.lower is not None:
            query = query.where(cursor > page.lower)
        query = query.order_by(cursor.asc() if page.ascending else cursor.desc())
        rows = [
            GraphEdge(cursor=row[0], account_id=row[1])
            for row in await self.conn.execute(query.limit(page.limit))
        ]
        return rows[::-1] if page.ascending else rows

    async def endorsed_among(self, account_id: int, among: Sequence[int]) -> set[int]:
        if not among:
            return set()
        rows = await self.conn.execute(
            select(account_pins.c.target_account_id).where(
                account_pins.c.account_id == account_id,
                account_pins.c.target_account_id.in_(set(among)),
            )
        )
        return {row[0] for row in rows}

    async def familiar_followers(
        self, viewer_id: int, target_ids: Sequence[int], per_target: int
    ) -> dict[int, list[int]]:
        if not target_ids:
            return {}
        followed_by_viewer = select(follows.c.target_account_id).where(
            follows.c.account_id == viewer_id
        )
        rank = (
            func.row_number()
            .over(partition_by=follows.c.target_account_id, order_by=follows.c.id.desc())
            .label("rank")
        )
        ranked = (
            select(follows.c.target_account_id, follows.c.account_id, rank)
            .join(accounts, accounts.c.id == follows.c.account_id)
            .where(
                follows.c.target_account_id.in_(sorted(set(target_ids))),
                follows.c.account_id.in_(followed_by_viewer),
                follows.c.account_id != viewer_id,
                accounts.c.suspended_at.is_(None),
            )
            .subquery()
        )
        rows = await self.conn.execute(
            select(ranked.c.target_account_id, ranked.c.account_id)
            .where(ranked.c.rank <= per_target)
            .order_by(ranked.c.target_account_id, ranked.c.rank)
        )
        result: dict[int, list[int]] = {}
        for row in rows:
            result.setdefault(row.target_account_id, []).append(row.account_id)
        return result

    # -- suggestions and directory -------------------------------------------------------

    async def dismiss_suggestion(self, account_id: int, target_id: int, now: dt.datetime) -> None:
        try:
            async with self.conn.begin_nested():
                await self.conn.execute(
                    insert(suggestion_dismissals).values(
                        account_id=account_id, target_account_id=target_id, created_at=now
                    )
                )
        except IntegrityError:
            pass  # dismissed already: the same outcome

    async def popular_local(self, viewer_id: int, limit: int) -> list[int]:
        rows = await self.conn.execute(
            select(accounts.c.id)
            .where(*_suggestable(viewer_id, accounts.c.id), _signed_in_member(accounts.c.id))
            .order_by(accounts.c.followers_count.desc(), accounts.c.id.desc())
            .limit(limit)
        )
        return [row[0] for row in rows]

    async def friends_of_friends(self, viewer_id: int, limit: int) -> list[int]:
        friends = (
            select(follows.c.target_account_id)
            .where(follows.c.account_id == viewer_id)
            .order_by(follows.c.id.desc())
            .limit(FRIENDS_SCANNED)
            .subquery()
        )
        theirs = follows.alias("theirs")
        mutual = func.count().label("mutual")
        rows = await self.conn.execute(
            select(theirs.c.target_account_id, mutual)
            .join(accounts, accounts.c.id == theirs.c.target_account_id)
            .where(
                theirs.c.account_id.in_(select(friends.c.target_account_id)),
                *_suggestable(viewer_id, theirs.c.target_account_id),
            )
            .group_by(theirs.c.target_account_id)
            .order_by(mutual.desc(), theirs.c.target_account_id.desc())
            .limit(limit)
        )
        return [row[0] for row in rows]

    async def directory(
        self, *, offset: int, limit: int, order: str, local_only: bool
    ) -> list[int]:
        query = select(accounts.c.id).where(
            accounts.c.discoverable.is_(True), accounts.c.suspended_at.is_(None)
        )
        if local_only:
            query = query.where(accounts.c.domain == "")
        # Local accounts appear once their member may sign in (not pending approval).
        query = query.where(or_(accounts.c.domain != "", _signed_in_member(accounts.c.id)))
        if order == "new":
            query = query.order_by(accounts.c.created_at.desc(), accounts.c.id.desc())
        else:
            # Accounts that never posted go last on both databases (NULLs sort differently).
            never = func.coalesce(accounts.c.last_status_at, accounts.c.created_at)
            query = query.order_by(
                accounts.c.last_status_at.is_(None), never.desc(), accounts.c.id.desc()
            )
        rows = await self.conn.execute(query.offset(offset).limit(limit))
        return [row[0] for row in rows]

    # -- trending posts and announcements ------------------------------------------------

    async def trending_status_ids(self, since_id: int, offset: int, limit: int) -> list[int]:
        score = (statuses.c.favourites_count + statuses.c.reblogs_count).label("score")
        rows = await self.conn.execute(
            select(statuses.c.id, score)
            .join(accounts, accounts.c.id == statuses.c.account_id)
            .where(
                statuses.c.id >= since_id,
                statuses.c.visibility == Visibility.PUBLIC.value,
                statuses.c.reblog_of_id.is_(None),
                accounts.c.discoverable.is_(True),
                accounts.c.suspended_at.is_(None),
                accounts.c.silenced_at.is_(None),  # limited accounts never trend
                statuses.c.favourites_count + statuses.c.reblogs_count > 0,
            )
            .order_by(score.desc(), statuses.c.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [row[0] for row in rows]

    async def announcements(self, viewer_id: int, now: dt.datetime) -> list[Announcement]:
        read = (
            exists()
            .where(
                announcement_dismissals.c.announcement_id == announcements.c.id,
                announcement_dismissals.c.account_id == viewer_id,
            )
            .label("read")
        )
        rows = await self.conn.execute(
            select(announcements, read)
            .where(
                announcements.c.published_at.is_not(None),
                announcements.c.published_at <= now,
                or_(announcements.c.starts_at.is_(None), announcements.c.starts_at <= now),
                or_(announcements.c.ends_at.is_(None), announcements.c.ends_at > now),
            )
            .order_by(announcements.c.published_at.desc(), announcements.c.id.desc())
            .limit(50)
        )
        return [
            Announcement(
                id=row.id,
                content=row.content,
                starts_at=row.starts_at,
                ends_at=row.ends_at,
                all_day=bool(row.all_day),
                published_at=row.published_at,
                updated_at=row.updated_at,
                read=bool(row.read),
            )
            for row in rows
        ]

    async def dismiss_announcement(
        self, viewer_id: int, announcement_id: int, now: dt.datetime
    ) -> bool:
        published = await self.conn.scalar(
            select(announcements.c.id).where(
                announcements.c.id == announcement_id,
                announcements.c.published_at.is_not(None),
                announcements.c.published_at <= now,
            )
        )
        if published is None:
            return False
        try:
            async with self.conn.begin_nested():
                await self.conn.execute(
                    insert(announcement_dismissals).values(
                        announcement_id=announcement_id, account_id=viewer_id, created_at=now
                    )
                )
        except IntegrityError:
            pass  # dismissed already
        return True
