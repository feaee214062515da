"""SQL repository for full-text search of statuses (SQLite FTS5 or PostgreSQL tsvector)
and for hashtag lookups.

The index tables are created by migration 0002, not by schema.py, because they are
specific to each database; they are described here as lightweight ``table()`` objects.
The indexed text is already normalised (``godwit.domain.search.document``), so the two
databases match the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Text,
    and_,
    bindparam,
    case,
    column,
    delete,
    distinct,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    table,
    union,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from godwit.domain.posts import Status, Visibility
from godwit.domain.search import StatusSearch, TagDay, TagSummary, Term, document, indexable
from godwit.storage.schema import (
    accounts,
    blocks,
    follows,
    mentions,
    mutes,
    status_tags,
    statuses,
    tags,
)

# SQLite: CREATE VIRTUAL TABLE status_search USING fts5(body) — the rowid is the status id.
_fts = table("status_search", column("rowid", BigInteger), column("body", Text))
# PostgreSQL: status_search(status_id BIGINT PRIMARY KEY, document TSVECTOR) + GIN index.
_tsv = table("status_search", column("status_id", BigInteger), column("document"))
_SIMPLE: ColumnElement[Any] = literal_column("'simple'::regconfig")
_OPEN = (Visibility.PUBLIC.value, Visibility.UNLISTED.value)


def _fts5_query(terms: Sequence[Term]) -> str:
    # Terms are runs of letters and digits, so quoting them cannot inject FTS5 syntax.
    return " ".join(f'"{term.word}"' + ("*" if term.prefix else "") for term in terms)


def _tsquery(terms: Sequence[Term]) -> str:
    return " & ".join(term.word + (":*" if term.prefix else "") for term in terms)


def _like_prefix(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


class SqlSearch:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self.is_sqlite = conn.dialect.name == "sqlite"

    # -- the index -----------------------------------------------------------------------

    async def index_status(self, status: Status) -> None:
        if not indexable(status):
            return
        body = document(status)
        if self.is_sqlite:
            # FTS5 has no upsert: replace the entry by deleting it first.
            await self.unindex(status.id)
            await self.conn.execute(insert(_fts).values(rowid=status.id, body=body))
            return
        vector = func.to_tsvector(_SIMPLE, bindparam("body", body, type_=Text))
        upsert = pg_insert(_tsv).values(status_id=status.id, document=vector)
        await self.conn.execute(
            upsert.on_conflict_do_update(
                index_elements=[_tsv.c.status_id], set_={"document": upsert.excluded.document}
            )
        )

    async def index_new(self, documents: Sequence[tuple[int, str]]) -> None:
        """Bulk-index statuses that have no entry yet: (status id, ``content_document``)."""
        if not documents:
            return
        if self.is_sqlite:
            rows = [{"rowid": status_id, "body": body} for status_id, body in documents]
            await self.conn.execute(insert(_fts), rows)
            return
        vector = func.to_tsvector(_SIMPLE, bindparam("body", type_=Text))
        await self.conn.execute(
            insert(_tsv).values(status_id=bindparam("sid"), document=vector),
            [{"sid": status_id, "body": body} for status_id, body in documents],
        )

    async def unindex(self, status_id: int) -> None:
        if self.is_sqlite:
            await self.conn.execute(delete(_fts).where(_fts.c.rowid == status_id))
        else:
            await self.conn.execute(delete(_tsv).where(_tsv.c.status_id == status_id))

    async def is_indexed(self, status_id: int) -> bool:
        key = _fts.c.rowid if self.is_sqlite else _tsv.c.status_id
        found = await self.conn.execute(select(key).where(key == status_id))
        return found.first() is not None

    # -- searching -----------------------------------------------------------------------

    def _matches(self, terms: Sequence[Term]) -> tuple[Any, ColumnElement[Any], Any]:
        """(id column of the index, match condition, rank ordering: best first)."""
        if self.is_sqlite:
            match = literal_column("status_search").op("MATCH")(
                bindparam("match", _fts5_query(terms), type_=Text)
            )
            # bm25() is lower for better matches.
            return _fts.c.rowid, match, func.bm25(literal_column("status_search")).asc()
        query = func.to_tsquery(_SIMPLE, bindparam("match", _tsquery(terms), type_=Text))
        match = _tsv.c.document.op("@@")(query)
        return _tsv.c.status_id, match, func.ts_rank(_tsv.c.document, query).desc()

    async def status_ids(self, search: StatusSearch) -> list[int]:
        if not search.terms or search.limit < 1:
            return []
        viewer = search.viewer_id
        indexed_id, match, rank = self._matches(search.terms)
        followed = select(follows.c.target_account_id).where(follows.c.account_id == viewer)
        mentioning = select(mentions.c.status_id).where(mentions.c.account_id == viewer)
        now = dt.datetime.now(dt.UTC)
        shunned = union(
            select(blocks.c.target_account_id).where(blocks.c.account_id == viewer),
            select(blocks.c.account_id).where(blocks.c.target_account_id == viewer),
            select(mutes.c.target_account_id).where(
                mutes.c.account_id == viewer,
                or_(mutes.c.expires_at.is_(None), mutes.c.expires_at > now),
            ),
        )
        may_see = or_(
            and_(
                statuses.c.visibility.in_(_OPEN),
                accounts.c.indexable.is_(True),
                accounts.c.silenced_at.is_(None),  # limited: found only by its followers
            ),
            statuses.c.account_id == viewer,
            statuses.c.id.in_(mentioning),
            and_(
                statuses.c.visibility != Visibility.DIRECT.value,
                statuses.c.account_id.in_(followed),
            ),
        )
        conditions = [
            match,
            statuses.c.reblog_of_id.is_(None),
            accounts.c.suspended_at.is_(None),
            may_see,
            or_(statuses.c.account_id == viewer, statuses.c.account_id.not_in(shunned)),
        ]
        if search.account_id is not None:
            conditions.append(statuses.c.account_id == search.account_id)
        if search.max_id is not None:
            conditions.append(statuses.c.id < search.max_id)
        if search.min_id is not None:
            conditions.append(statuses.c.id > search.min_id)
        source = _fts if self.is_sqlite else _tsv
        query = (
            select(statuses.c.id)
            .select_from(
                source.join(statuses, statuses.c.id == indexed_id).join(
                    accounts, accounts.c.id == statuses.c.account_id
                )
            )
            .where(*conditions)
            .order_by(rank, statuses.c.id.desc())
            .limit(search.limit)
            .offset(search.offset)
        )
        return [row[0] for row in await self.conn.execute(query)]

    # -- hashtags ------------------------------------------------------------------------

    async def tags_by_prefix(self, prefix: str, limit: int, offset: int) -> list[TagSummary]:
        if not prefix or limit < 1:
            return []
        exact = tags.c.name == prefix
        used = exists().where(status_tags.c.tag_id == tags.c.id)
        rows = await self.conn.execute(
            select(tags.c.id, tags.c.display_name)
            .where(tags.c.name.like(_like_prefix(prefix), escape="\\"), or_(exact, used))
            .order_by(case((exact, 0), else_=1), func.length(tags.c.name), tags.c.name)
            .limit(limit)
            .offset(offset)
        )
        return [TagSummary(id=row.id, name=row.display_name) for row in rows]

    async def tag_by_name(self, name: str) -> TagSummary | None:
        row = (
            await self.conn.execute(
                select(tags.c.id, tags.c.display_name).where(tags.c.name == name)
            )
        ).first()
        return TagSummary(id=row.id, name=row.display_name) if row is not None else None

    async def tag_history(
        self, tag_ids: Sequence[int], days: Sequence[dt.date]
    ) -> dict[int, tuple[TagDay, ...]]:
        wanted = sorted(set(tag_ids))
        if not wanted or not days:
            return {}
        columns: list[Any] = []
        for day in days:
            start = _day_start(day)
            on_day = and_(
                statuses.c.created_at >= start,
                statuses.c.created_at < start + dt.timedelta(days=1),
            )
            columns.append(func.sum(case((on_day, 1), else_=0)))
            columns.append(func.count(distinct(case((on_day, statuses.c.account_id)))))
        rows = await self.conn.execute(
            select(status_tags.c.tag_id, *columns)
            .select_from(status_tags.join(statuses, statuses.c.id == status_tags.c.status_id))
            .where(
                status_tags.c.tag_id.in_(wanted),
                statuses.c.created_at >= _day_start(min(days)),
                statuses.c.visibility.in_(_OPEN),
                statuses.c.reblog_of_id.is_(None),
            )
            .group_by(status_tags.c.tag_id)
        )
        found = {
            row[0]: tuple(
                TagDay(day=day, uses=int(row[1 + 2 * i] or 0), accounts=int(row[2 + 2 * i] or 0))
                for i, day in enumerate(days)
            )
            for row in rows
        }
        empty = tuple(TagDay(day=day, uses=0, accounts=0) for day in days)
        return {tag_id: found.get(tag_id, empty) for tag_id in wanted}
