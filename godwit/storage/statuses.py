"""SQL repository for statuses, their mentions, tags, favourites, reblogs and pins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from godwit.domain.ids import new_id
from godwit.domain.pagination import PageRequest
from godwit.domain.posting import IDEMPOTENCY_SECONDS, AccountStatusesQuery, Deleted, NewStatus
from godwit.domain.posts import Status, StatusView, ViewerState
from godwit.domain.text import tag_key
from godwit.storage.media import has_media
from godwit.storage.schema import (
    favourites,
    idempotency_keys,
    mentions,
    status_pins,
    status_tags,
    statuses,
    tags,
)
from godwit.storage.search import SqlSearch
from godwit.storage.status_views import (
    STATUS_COLUMNS,
    load_viewer_states,
    load_views,
    status_from_row,
)


def _clamped_add(column: Any, delta: int) -> ColumnElement[Any]:
    """``column + delta`` but never below zero (portable: no GREATEST on SQLite)."""
    return case((column + delta < 0, literal(0)), else_=column + delta)


def _paged(query: Select[Any], cursor: Any, page: PageRequest) -> Select[Any]:
    """Mastodon cursor pagination on ``cursor``: newest first, or upwards from min_id."""
    if page.max_id is not None:
        query = query.where(cursor < page.max_id)
    if page.lower is not None:
        query = query.where(cursor > page.lower)
    return query.order_by(cursor.asc() if page.ascending else cursor.desc()).limit(page.limit)


class SqlStatuses:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def _insert_unless_present(self, table: Any, values: dict[str, Any]) -> bool:
        """Insert a row; a duplicate is a no-op. The savepoint keeps PostgreSQL's
        transaction usable after the unique constraint fires."""
        try:
            async with self.conn.begin_nested():
                await self.conn.execute(insert(table).values(**values))
        except IntegrityError:
            return False
        return True

    async def _bump(self, status_id: int, column: str, delta: int) -> None:
        await self.conn.execute(
            update(statuses)
            .where(statuses.c.id == status_id)
            .values({column: _clamped_add(statuses.c[column], delta)})
        )

    async def get(self, status_id: int) -> Status | None:
        row = (
            await self.conn.execute(select(*STATUS_COLUMNS).where(statuses.c.id == status_id))
        ).first()
        return status_from_row(row) if row is not None else None

    async def get_held(self, status_id: int) -> Status | None:
        # PostgreSQL: FOR KEY SHARE makes a concurrent DELETE wait for this transaction.
        # SQLite has no row locks and needs none: its writers already run one at a time.
        query = select(*STATUS_COLUMNS).where(statuses.c.id == status_id)
        row = (await self.conn.execute(query.with_for_update(read=True, key_share=True))).first()
        return status_from_row(row) if row is not None else None

    async def get_many(self, ids: Sequence[int]) -> dict[int, Status]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = await self.conn.execute(select(*STATUS_COLUMNS).where(statuses.c.id.in_(wanted)))
        return {row.id: status_from_row(row) for row in rows}

    async def load_views(self, ids: Sequence[int], viewer_id: int | None) -> dict[int, StatusView]:
        return await load_views(self.conn, ids, viewer_id)

    async def viewers_states(
        self, status_ids: Sequence[int], viewer_ids: Sequence[int]
    ) -> dict[int, dict[int, ViewerState]]:
        return await load_viewer_states(self.conn, status_ids, viewer_ids)

    async def mentioned_ids(self, status_ids: Sequence[int]) -> dict[int, set[int]]:
        wanted = sorted(set(status_ids))
        if not wanted:
            return {}
        rows = await self.conn.execute(
            select(mentions.c.status_id, mentions.c.account_id).where(
                mentions.c.status_id.in_(wanted)
            )
        )
        result: dict[int, set[int]] = {}
        for row in rows:
            result.setdefault(row.status_id, set()).add(row.account_id)
        return result

    async def create(self, new: NewStatus) -> Status:
        await self.conn.execute(
            insert(statuses).values(
                id=new.id,
                account_id=new.account_id,
                uri=new.uri,
                url=new.url,
                local=new.local,
                text=new.text,
                content=new.content,
                spoiler_text=new.spoiler_text,
                sensitive=new.sensitive,
                visibility=new.visibility.value,
                language=new.language,
                in_reply_to_id=new.in_reply_to_id,
                in_reply_to_account_id=new.in_reply_to_account_id,
                reblog_of_id=new.reblog_of_id,
                application_id=new.application_id,
                conversation_id=self._conversation_of(new),
                quote_of_id=new.quote_of_id,
                review_state=new.review_state,
                created_at=new.created_at,
            )
        )
        mentioned = sorted(set(new.mentioned_account_ids))
        if mentioned:
            await self.conn.execute(
                insert(mentions),
                [{"status_id": new.id, "account_id": account_id} for account_id in mentioned],
            )
        if new.tags:
            tag_ids = await self.tag_ids(new.tags, new.created_at)
            await self.conn.execute(
                insert(status_tags),
                [{"status_id": new.id, "tag_id": tag_id} for tag_id in sorted(set(tag_ids))],
            )
        if new.in_reply_to_id is not None:
            await self._bump(new.in_reply_to_id, "replies_count", 1)
        if new.reblog_of_id is not None:
            await self._bump(new.reblog_of_id, "reblogs_count", 1)
        created = await self.get(new.id)
        assert created is not None
        await SqlSearch(self.conn).index_status(created)  # same transaction as the row
        return created

    @staticmethod
    def _conversation_of(new: NewStatus) -> Any:
        """A thread is keyed by its root's id: a reply inherits its parent's conversation
        (or the parent's own id, for rows stored before conversations were recorded)."""
        if new.in_reply_to_id is None:
            return new.id
        return (
            select(func.coalesce(statuses.c.conversation_id, statuses.c.id))
            .where(statuses.c.id == new.in_reply_to_id)
            .scalar_subquery()
        )

    async def tag_ids(self, written: Sequence[str], now: dt.datetime) -> list[int]:
        """Ids of the tags, creating the missing ones (a concurrent creator may win)."""
        by_key = {tag_key(name): name for name in reversed(written)}
        keys = sorted(by_key)
        found = {
            row.name: row.id
            for row in await self.conn.execute(
                select(tags.c.id, tags.c.name).where(tags.c.name.in_(keys))
            )
        }
        for key in keys:
            if key in found:
                continue
            values = {"id": new_id(), "name": key, "display_name": by_key[key], "created_at": now}
            if await self._insert_unless_present(tags, values):
                found[key] = values["id"]
            else:  # created meanwhile by another transaction
                row = (await self.conn.execute(select(tags.c.id).where(tags.c.name == key))).first()
                if row is not None:
                    found[key] = row.id
        return [found[key] for key in keys if key in found]

    async def delete(self, status_id: int) -> Deleted | None:
        status = await self.get(status_id)
        if status is None:
            return None
        reblog_rows = await self.conn.execute(
            select(*STATUS_COLUMNS).where(statuses.c.reblog_of_id == status_id)
        )
        reblogs = tuple(status_from_row(row) for row in reblog_rows)
        await SqlSearch(self.conn).unindex(status_id)
        await self.conn.execute(delete(statuses).where(statuses.c.id == status_id))
        if status.in_reply_to_id is not None:
            await self._bump(status.in_reply_to_id, "replies_count", -1)
        if status.reblog_of_id is not None:
            await self._bump(status.reblog_of_id, "reblogs_count", -1)
        return Deleted(status=status, reblogs=reblogs)

    async def find_reblog(self, account_id: int, original_id: int) -> Status | None:
        row = (
            await self.conn.execute(
                select(*STATUS_COLUMNS).where(
                    statuses.c.account_id == account_id, statuses.c.reblog_of_id == original_id
                )
            )
        ).first()
        return status_from_row(row) if row is not None else None

    async def add_favourite(self, account_id: int, status_id: int, now: dt.datetime) -> bool:
        added = await self._insert_unless_present(
            favourites,
            {"id": new_id(), "account_id": account_id, "status_id": status_id, "created_at": now},
        )
        if added:
            await self._bump(status_id, "favourites_count", 1)
        return added

    async def remove_favourite(self, account_id: int, status_id: int) -> bool:
        result = await self.conn.execute(
            delete(favourites).where(
                favourites.c.account_id == account_id, favourites.c.status_id == status_id
            )
        )
        removed = bool(result.rowcount)
        if removed:
            await self._bump(status_id, "favourites_count", -1)
        return removed

    async def favourited_by(self, status_id: int, page: PageRequest) -> list[tuple[int, int]]:
        query = select(favourites.c.id, favourites.c.account_id).where(
            favourites.c.status_id == status_id
        )
        rows = list(await self.conn.execute(_paged(query, favourites.c.id, page)))
        if page.ascending:
            rows.reverse()
        return [(row[0], row[1]) for row in rows]

    async def reblogged_by(self, status_id: int, page: PageRequest) -> list[tuple[int, int]]:
        query = select(statuses.c.id, statuses.c.account_id).where(
            statuses.c.reblog_of_id == status_id
        )
        rows = list(await self.conn.execute(_paged(query, statuses.c.id, page)))
        if page.ascending:
            rows.reverse()
        return [(row[0], row[1]) for row in rows]

    async def ancestors(self, status: Status, limit: int) -> list[Status]:
        if status.in_reply_to_id is None or limit <= 0:
            return []
        chain = (
            select(statuses.c.id, statuses.c.in_reply_to_id, literal(1).label("depth"))
            .where(statuses.c.id == status.in_reply_to_id)
            .cte("ancestors", recursive=True)
        )
        chain = chain.union_all(
            select(statuses.c.id, statuses.c.in_reply_to_id, chain.c.depth + 1).where(
                statuses.c.id == chain.c.in_reply_to_id, chain.c.depth < limit
            )
        )
        rows = await self.conn.execute(
            select(*STATUS_COLUMNS)
            .where(statuses.c.id.in_(select(chain.c.id)))
            .order_by(statuses.c.id)
        )
        return [status_from_row(row) for row in rows]

    async def descendants(self, status_id: int, limit: int, max_depth: int) -> list[Status]:
        tree = (
            select(statuses.c.id, literal(1).label("depth"))
            .where(statuses.c.in_reply_to_id == status_id)
            .cte("descendants", recursive=True)
        )
        tree = tree.union_all(
            select(statuses.c.id, tree.c.depth + 1).where(
                statuses.c.in_reply_to_id == tree.c.id, tree.c.depth < max_depth
            )
        )
        rows = await self.conn.execute(
            select(*STATUS_COLUMNS)
            .where(statuses.c.id.in_(select(tree.c.id)))
            .order_by(statuses.c.id)
            .limit(limit)
        )
        return [status_from_row(row) for row in rows]

    async def account_statuses(self, query: AccountStatusesQuery, page: PageRequest) -> list[int]:
        conditions: list[ColumnElement[bool]] = [statuses.c.account_id == query.account_id]
        visible: ColumnElement[bool] = statuses.c.visibility.in_(
            [visibility.value for visibility in query.visibilities]
        )
        if query.mentioned_viewer_id is not None:
            mentioning = select(mentions.c.status_id).where(
                mentions.c.account_id == query.mentioned_viewer_id
            )
            visible = or_(visible, statuses.c.id.in_(mentioning))
        conditions.append(visible)
        if query.exclude_replies:
            conditions.append(
                or_(
                    statuses.c.in_reply_to_id.is_(None),
                    statuses.c.in_reply_to_account_id == query.account_id,
                )
            )
        if query.exclude_reblogs:
            conditions.append(statuses.c.reblog_of_id.is_(None))
        if query.pinned:
            conditions.append(
                statuses.c.id.in_(
                    select(status_pins.c.status_id).where(
                        status_pins.c.account_id == query.account_id
                    )
                )
            )
        if query.only_media:
            conditions.append(has_media())
        if query.tag is not None:
            conditions.append(
                statuses.c.id.in_(
                    select(status_tags.c.status_id)
                    .join(tags, tags.c.id == status_tags.c.tag_id)
                    .where(tags.c.name == query.tag)
                )
            )
        rows = list(
            await self.conn.execute(
                _paged(select(statuses.c.id).where(*conditions), statuses.c.id, page)
            )
        )
        if page.ascending:
            rows.reverse()
        return [row[0] for row in rows]

    async def idempotent_status(
        self, account_id: int, key: str, not_before: dt.datetime
    ) -> int | None:
        row = (
            await self.conn.execute(
                select(idempotency_keys.c.status_id).where(
                    idempotency_keys.c.account_id == account_id,
                    idempotency_keys.c.key == key,
                    idempotency_keys.c.created_at >= not_before,
                )
            )
        ).first()
        return row[0] if row is not None else None

    async def remember_idempotency_key(
        self, account_id: int, key: str, status_id: int, now: dt.datetime
    ) -> bool:
        expiry = now - dt.timedelta(seconds=IDEMPOTENCY_SECONDS)
        await self.conn.execute(
            delete(idempotency_keys).where(
                and_(
                    idempotency_keys.c.account_id == account_id,
                    idempotency_keys.c.key == key,
                    idempotency_keys.c.created_at < expiry,
                )
            )
        )
        return await self._insert_unless_present(
            idempotency_keys,
            {"account_id": account_id, "key": key, "status_id": status_id, "created_at": now},
        )
