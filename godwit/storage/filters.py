"""SQL repository for members' filters, their keywords and their statuses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    String,
    bindparam,
    cast,
    delete,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.filters import Filter, FilterKeyword, FilterStatus
from godwit.storage.schema import filter_keywords, filter_statuses, filters

_FILTER_COLUMNS = (
    filters.c.id,
    filters.c.account_id,
    filters.c.title,
    filters.c.context,
    filters.c.action,
    filters.c.expires_at,
    filters.c.created_at,
)


def _rows_query(where: ColumnElement[bool]) -> Any:
    """Filters with their keywords and statuses as one UNION ALL: a row per filter ("f"),
    per keyword ("k") and per filtered status ("s"), so loading them is one query."""
    no_id = cast(null(), BigInteger)
    bare = select(
        *_FILTER_COLUMNS,
        literal("f").label("kind"),
        no_id.label("item_id"),
        cast(null(), String).label("keyword"),
        cast(null(), Boolean).label("whole_word"),
        no_id.label("status_id"),
    ).where(where)
    keywords = (
        select(
            *_FILTER_COLUMNS,
            literal("k"),
            filter_keywords.c.id,
            filter_keywords.c.keyword,
            filter_keywords.c.whole_word,
            no_id,
        )
        .select_from(filters.join(filter_keywords, filter_keywords.c.filter_id == filters.c.id))
        .where(where)
    )
    statuses = (
        select(
            *_FILTER_COLUMNS,
            literal("s"),
            filter_statuses.c.id,
            cast(null(), String),
            cast(null(), Boolean),
            filter_statuses.c.status_id,
        )
        .select_from(filters.join(filter_statuses, filter_statuses.c.filter_id == filters.c.id))
        .where(where)
    )
    return union_all(bare, keywords, statuses)


def _assemble(rows: Sequence[Any]) -> list[Filter]:
    """Rows of ``_rows_query`` to filters, newest first; keywords and statuses by id."""
    heads: dict[int, Any] = {}
    keywords: dict[int, list[FilterKeyword]] = {}
    statuses: dict[int, list[FilterStatus]] = {}
    for row in rows:
        if row.kind == "f":
            heads[row.id] = row
        elif row.kind == "k":
            keywords.setdefault(row.id, []).append(
                FilterKeyword(row.item_id, row.id, row.keyword, bool(row.whole_word))
            )
        else:
            statuses.setdefault(row.id, []).append(FilterStatus(row.item_id, row.id, row.status_id))
    return [
        Filter(
            id=row.id,
            account_id=row.account_id,
            title=row.title,
            context=tuple(row.context),
            action=row.action,
            expires_at=row.expires_at,
            created_at=row.created_at,
            keywords=tuple(sorted(keywords.get(row.id, ()), key=lambda k: k.id)),
            statuses=tuple(sorted(statuses.get(row.id, ()), key=lambda s: s.id)),
        )
        for row in sorted(heads.values(), key=lambda head: head.id, reverse=True)
    ]


# Built once: every page a member reads runs it, and building the union cost more than
# running it.
_ACTIVE_FOR = _rows_query(
    filters.c.account_id.in_(bindparam("account_ids", expanding=True))
    & or_(
        filters.c.expires_at.is_(None),
        filters.c.expires_at > bindparam("now", type_=filters.c.expires_at.type),
    )
)


class SqlFilters:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self._active: dict[int, list[Filter]] = {}

    async def _load(self, where: ColumnElement[bool]) -> list[Filter]:
        rows = (await self.conn.execute(_rows_query(where))).all()
        return _assemble(rows)

    async def list_for(self, account_id: int) -> list[Filter]:
        return await self._load(filters.c.account_id == account_id)

    async def get(self, filter_id: int) -> Filter | None:
        found = await self._load(filters.c.id == filter_id)
        return found[0] if found else None

    async def active_for(self, account_id: int, now: dt.datetime) -> list[Filter]:
        return (await self.active_for_many([account_id], now))[account_id]

    async def active_for_many(
        self, account_ids: Sequence[int], now: dt.datetime
    ) -> dict[int, list[Filter]]:
        wanted = sorted(set(account_ids) - set(self._active))
        if wanted:
            found: dict[int, list[Filter]] = {account_id: [] for account_id in wanted}
            rows = await self.conn.execute(_ACTIVE_FOR, {"account_ids": wanted, "now": now})
            for flt in _assemble(rows.all()):
                found[flt.account_id].append(flt)
            self._active.update(found)
        return {account_id: self._active[account_id] for account_id in set(account_ids)}

    async def count_for(self, account_id: int) -> int:
        query = select(func.count()).select_from(filters).where(filters.c.account_id == account_id)
        return int((await self.conn.execute(query)).scalar_one())

    async def create(self, flt: Filter) -> None:
        await self.conn.execute(
            filters.insert().values(
                id=flt.id,
                account_id=flt.account_id,
                title=flt.title,
                context=list(flt.context),
                action=flt.action,
                expires_at=flt.expires_at,
                created_at=flt.created_at,
            )
        )
        for keyword in flt.keywords:
            await self.add_keyword(keyword, flt.created_at)
        for entry in flt.statuses:
            await self.add_status(entry, flt.created_at)

    async def update(
        self,
        filter_id: int,
        *,
        title: str,
        context: Sequence[str],
        action: str,
        expires_at: dt.datetime | None,
    ) -> None:
        await self.conn.execute(
            update(filters)
            .where(filters.c.id == filter_id)
            .values(title=title, context=list(context), action=action, expires_at=expires_at)
        )

    async def delete(self, filter_id: int) -> None:
        await self.conn.execute(delete(filters).where(filters.c.id == filter_id))

    async def get_keyword(self, keyword_id: int) -> FilterKeyword | None:
        query = select(filter_keywords).where(filter_keywords.c.id == keyword_id)
        row = (await self.conn.execute(query)).first()
        if row is None:
            return None
        return FilterKeyword(row.id, row.filter_id, row.keyword, bool(row.whole_word))

    async def add_keyword(self, keyword: FilterKeyword, now: dt.datetime) -> None:
        await self.conn.execute(
            filter_keywords.insert().values(
                id=keyword.id,
                filter_id=keyword.filter_id,
                keyword=keyword.keyword,
                whole_word=keyword.whole_word,
                created_at=now,
            )
        )

    async def update_keyword(self, keyword_id: int, keyword: str, whole_word: bool) -> None:
        await self.conn.execute(
            update(filter_keywords)
            .where(filter_keywords.c.id == keyword_id)
            .values(keyword=keyword, whole_word=whole_word)
        )

    async def delete_keywords(self, filter_id: int, keyword_ids: Sequence[int]) -> None:
        if not keyword_ids:
            return
        await self.conn.execute(
            delete(filter_keywords).where(
                filter_keywords.c.filter_id == filter_id,
                filter_keywords.c.id.in_(list(keyword_ids)),
            )
        )

    async def get_status(self, filter_status_id: int) -> FilterStatus | None:
        query = select(filter_statuses).where(filter_statuses.c.id == filter_status_id)
        row = (await self.conn.execute(query)).first()
        if row is None:
            return None
        return FilterStatus(row.id, row.filter_id, row.status_id)

    async def add_status(self, entry: FilterStatus, now: dt.datetime) -> bool:
        dialect = sqlite if self.conn.dialect.name == "sqlite" else postgresql
        insert = (
            dialect.insert(filter_statuses)
            .values(
                id=entry.id, filter_id=entry.filter_id, status_id=entry.status_id, created_at=now
            )
            .on_conflict_do_nothing(index_elements=["filter_id", "status_id"])
        )
        result = await self.conn.execute(insert)
        return bool(result.rowcount)

    async def delete_status(self, filter_status_id: int) -> None:
        await self.conn.execute(
            delete(filter_statuses).where(filter_statuses.c.id == filter_status_id)
        )
