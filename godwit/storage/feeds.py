"""SQL repository for home feeds and the timeline reads around them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, bindparam, delete, exists, literal, or_, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import BindParameter

from godwit.domain.pagination import PageRequest
from godwit.domain.posts import Visibility
from godwit.domain.timelines import FeedEntry, FeedItem, FeedPost, TimelineScope
from godwit.storage.media import has_media
from godwit.storage.schema import (
    accounts,
    blocks,
    follows,
    home_feed,
    list_accounts,
    lists,
    mentions,
    mutes,
    status_tags,
    statuses,
    tags,
)

# What a home page reads besides the feed, in one statement built once: the followed big
# accounts (merged at read time, with show_reblogs) and the members of the reader's
# exclusive lists (read in those lists, not at home).
_READER: BindParameter[Any] = bindparam("reader_id")
_HOME_SOURCES = union_all(
    select(
        literal("b").label("kind"),
        follows.c.target_account_id.label("account_id"),
        follows.c.show_reblogs.label("show_reblogs"),
    )
    .join(accounts, accounts.c.id == follows.c.target_account_id)
    .where(follows.c.account_id == _READER, accounts.c.followers_count > bindparam("threshold")),
    select(
        literal("x").label("kind"),
        list_accounts.c.account_id.label("account_id"),
        literal(True).label("show_reblogs"),
    )
    .join(lists, lists.c.id == list_accounts.c.list_id)
    .where(lists.c.account_id == _READER, lists.c.exclusive.is_(True)),
)


# Authors' windows per statement when a page merges big accounts: SQLite allows at most
# 500 terms in one compound SELECT.
MAX_WINDOWS_PER_STATEMENT = 200


def windowed(query: Select[Any], column: Any, page: PageRequest) -> Select[Any]:
    """Cut a query to a Mastodon page window on ``column`` (an id). Ascending for a
    ``min_id`` page: the caller reverses those rows to show them newest first."""
    if page.max_id is not None:
        query = query.where(column < page.max_id)
    if page.lower is not None:
        query = query.where(column > page.lower)
    order = column.asc() if page.ascending else column.desc()
    return query.order_by(order).limit(page.limit)


def _newest_first(rows: list[Any], page: PageRequest) -> list[Any]:
    return list(reversed(rows)) if page.ascending else rows


_KEPT = home_feed.alias("kept")
# The status id of the reader's keep-th newest entry (``skip`` = keep - 1); older ones go.
# NULL (nothing deleted) when the feed is not that long.
_CUTOFF = (
    select(_KEPT.c.status_id)
    .where(_KEPT.c.account_id == _READER)
    .order_by(_KEPT.c.status_id.desc())
    .offset(bindparam("skip"))
    .limit(1)
    .scalar_subquery()
)
_TRIM = delete(home_feed).where(home_feed.c.account_id == _READER, home_feed.c.status_id < _CUTOFF)


class SqlFeeds:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    def _insert_ignoring_duplicates(self) -> Any:
        # Without a conflict target, DO NOTHING covers both unique keys of home_feed.
        if self.conn.dialect.name == "postgresql":
            return postgresql.insert(home_feed).on_conflict_do_nothing()
        return sqlite.insert(home_feed).on_conflict_do_nothing()

    async def add(
        self, reader_ids: Sequence[int], status_id: int, entry_key: int, author_id: int
    ) -> None:
        await self.add_entries(
            [FeedEntry(reader, status_id, entry_key, author_id) for reader in reader_ids]
        )

    async def add_entries(self, entries: Sequence[FeedEntry]) -> None:
        rows = {
            (entry.reader_id, entry.entry_key): {
                "account_id": entry.reader_id,
                "status_id": entry.status_id,
                "entry_key": entry.entry_key,
                "author_id": entry.author_id,
            }
            for entry in reversed(entries)  # the first of two sharing a key wins
        }
        if rows:
            await self.conn.execute(self._insert_ignoring_duplicates(), list(rows.values()))

    async def remove_author(self, reader_id: int, author_id: int) -> None:
        await self.conn.execute(
            delete(home_feed).where(
                home_feed.c.account_id == reader_id, home_feed.c.author_id == author_id
            )
        )

    async def page_items(self, reader_id: int, page: PageRequest) -> list[FeedItem]:
        query = select(home_feed.c.status_id, home_feed.c.entry_key).where(
            home_feed.c.account_id == reader_id
        )
        rows = (await self.conn.execute(windowed(query, home_feed.c.status_id, page))).all()
        return [FeedItem(row.status_id, row.entry_key) for row in _newest_first(rows, page)]

    async def page(self, reader_id: int, page: PageRequest) -> list[int]:
        return [item.status_id for item in await self.page_items(reader_id, page)]

    async def trim(self, reader_id: int, keep: int) -> None:
        await self.trim_many([reader_id], keep)

    async def trim_many(self, reader_ids: Sequence[int], keep: int) -> None:
        if not reader_ids:
            return
        # One delete per reader, in one executemany: a cutoff computed once per reader. (A
        # subquery correlated with each deleted row re-walked the reader's feed for every
        # entry in it: about 10 ms per reader at 800 entries.)
        await self.conn.execute(
            _TRIM,
            [{"reader_id": reader, "skip": max(0, keep - 1)} for reader in sorted(set(reader_ids))],
        )

    async def local_mentions(self, status_id: int) -> list[int]:
        rows = await self.conn.execute(
            select(mentions.c.account_id)
            .join(accounts, accounts.c.id == mentions.c.account_id)
            .where(mentions.c.status_id == status_id, accounts.c.domain == "")
        )
        return [row.account_id for row in rows]

    async def shunned_by(
        self, reader_ids: Sequence[int], account_ids: Sequence[int]
    ) -> dict[int, set[int]]:
        if not reader_ids or not account_ids:
            return {}
        readers, others = list(reader_ids), list(account_ids)
        now = dt.datetime.now(dt.UTC)
        query = union_all(
            select(
                blocks.c.account_id.label("reader"), blocks.c.target_account_id.label("other")
            ).where(blocks.c.account_id.in_(readers), blocks.c.target_account_id.in_(others)),
            select(blocks.c.target_account_id, blocks.c.account_id).where(
                blocks.c.target_account_id.in_(readers), blocks.c.account_id.in_(others)
            ),
            select(mutes.c.account_id, mutes.c.target_account_id).where(
                mutes.c.account_id.in_(readers),
                mutes.c.target_account_id.in_(others),
                or_(mutes.c.expires_at.is_(None), mutes.c.expires_at > now),
            ),
        )
        found: dict[int, set[int]] = {}
        for reader, other in (await self.conn.execute(query)).all():
            found.setdefault(reader, set()).add(other)
        return found

    async def followed_by(
        self, reader_ids: Sequence[int], account_ids: Sequence[int]
    ) -> dict[int, set[int]]:
        if not reader_ids or not account_ids:
            return {}
        rows = await self.conn.execute(
            select(follows.c.account_id, follows.c.target_account_id).where(
                follows.c.account_id.in_(list(reader_ids)),
                follows.c.target_account_id.in_(list(account_ids)),
            )
        )
        found: dict[int, set[int]] = {}
        for reader, target in rows.all():
            found.setdefault(reader, set()).add(target)
        return found

    async def big_followed(self, reader_id: int, threshold: int) -> dict[int, bool]:
        rows = await self.conn.execute(
            select(follows.c.target_account_id, follows.c.show_reblogs)
            .join(accounts, accounts.c.id == follows.c.target_account_id)
            .where(follows.c.account_id == reader_id, accounts.c.followers_count > threshold)
        )
        return {row.target_account_id: bool(row.show_reblogs) for row in rows}

    async def home_sources(
        self, reader_id: int, threshold: int
    ) -> tuple[dict[int, bool], set[int]]:
        rows = await self.conn.execute(
            _HOME_SOURCES, {"reader_id": reader_id, "threshold": threshold}
        )
        big: dict[int, bool] = {}
        exclusive: set[int] = set()
        for kind, account_id, show_reblogs in rows:
            if kind == "b":
                big[account_id] = bool(show_reblogs)
            else:
                exclusive.add(account_id)
        return big, exclusive

    async def posts_by(
        self, author_ids: Sequence[int], page: PageRequest, *, include_reblogs: bool = True
    ) -> list[FeedPost]:
        if not author_ids:
            return []
        original = statuses.alias("original")
        # One window per author, each an index range on (account_id, id), in one statement:
        # with the authors in one IN list PostgreSQL walked every status by id instead
        # (244,260 rows and 836 ms for one page of two big accounts' posts).
        windows = []
        for author_id in sorted(set(author_ids)):
            query = (
                select(
                    statuses.c.id,
                    statuses.c.account_id,
                    statuses.c.visibility,
                    statuses.c.reblog_of_id,
                    statuses.c.in_reply_to_account_id,
                    original.c.account_id.label("original_author_id"),
                )
                .select_from(statuses.outerjoin(original, original.c.id == statuses.c.reblog_of_id))
                .where(
                    statuses.c.account_id == author_id,
                    statuses.c.visibility != Visibility.DIRECT.value,
                )
            )
            if not include_reblogs:
                query = query.where(statuses.c.reblog_of_id.is_(None))
            windows.append(select(windowed(query, statuses.c.id, page).subquery()))
        found: list[Any] = []
        for start in range(0, len(windows), MAX_WINDOWS_PER_STATEMENT):
            chunk = windows[start : start + MAX_WINDOWS_PER_STATEMENT]
            found += (await self.conn.execute(union_all(*chunk))).all()
        rows = sorted(found, key=lambda row: row.id, reverse=not page.ascending)[: page.limit]
        return [
            FeedPost(
                status_id=row.id,
                author_id=row.account_id,
                visibility=Visibility(row.visibility),
                reblog_of_id=row.reblog_of_id,
                original_author_id=row.original_author_id,
                in_reply_to_account_id=row.in_reply_to_account_id,
            )
            for row in _newest_first(rows, page)
        ]

    async def show_reblogs(self, reader_id: int, author_id: int) -> bool | None:
        found = await self.conn.scalar(
            select(follows.c.show_reblogs).where(
                follows.c.account_id == reader_id, follows.c.target_account_id == author_id
            )
        )
        return None if found is None else bool(found)

    async def show_reblogs_of(self, reader_ids: Sequence[int], author_id: int) -> dict[int, bool]:
        rows = await self.conn.execute(
            select(follows.c.account_id, follows.c.show_reblogs).where(
                follows.c.account_id.in_(sorted(set(reader_ids))),
                follows.c.target_account_id == author_id,
            )
        )
        return {reader: bool(show) for reader, show in rows}

    async def holding(self, reader_ids: Sequence[int], status_id: int) -> set[int]:
        rows = await self.conn.execute(
            select(home_feed.c.account_id).where(
                home_feed.c.account_id.in_(sorted(set(reader_ids))),
                home_feed.c.status_id == status_id,
            )
        )
        return {reader for (reader,) in rows}

    def _public(self, scope: str, viewer_id: int | None = None) -> Select[Any]:
        # A limited (silenced) account's posts reach only its followers (and itself).
        not_limited: Any = accounts.c.silenced_at.is_(None)
        if viewer_id is not None:
            not_limited = or_(
                not_limited,
                accounts.c.id == viewer_id,
                exists().where(
                    follows.c.account_id == viewer_id,
                    follows.c.target_account_id == accounts.c.id,
                ),
            )
        query = (
            select(statuses.c.id)
            .join(accounts, accounts.c.id == statuses.c.account_id)
            .where(
                statuses.c.visibility == Visibility.PUBLIC.value,
                accounts.c.suspended_at.is_(None),
                not_limited,
            )
        )
        if scope == TimelineScope.LOCAL:
            query = query.where(statuses.c.local.is_(True))
        elif scope == TimelineScope.REMOTE:
            query = query.where(statuses.c.local.is_(False))
        return query

    async def public_ids(
        self,
        page: PageRequest,
        scope: str,
        *,
        only_media: bool = False,
        viewer_id: int | None = None,
    ) -> list[int]:
        query = self._public(scope, viewer_id).where(
            statuses.c.reblog_of_id.is_(None),
            # As Mastodon: no replies to others (a self-reply continues a thread).
            or_(
                statuses.c.in_reply_to_id.is_(None),
                statuses.c.in_reply_to_account_id == statuses.c.account_id,
            ),
        )
        if only_media:
            query = query.where(has_media())
        rows = (await self.conn.execute(windowed(query, statuses.c.id, page))).scalars().all()
        return _newest_first(list(rows), page)

    async def tag_ids(
        self,
        page: PageRequest,
        scope: str,
        *,
        any_tags: Sequence[str],
        all_tags: Sequence[str] = (),
        none_tags: Sequence[str] = (),
        only_media: bool = False,
        viewer_id: int | None = None,
    ) -> list[int]:
        if not any_tags:
            return []

        def tagged(names: Sequence[str]) -> Any:
            return exists(
                select(literal(1))
                .select_from(status_tags.join(tags, tags.c.id == status_tags.c.tag_id))
                .where(status_tags.c.status_id == statuses.c.id, tags.c.name.in_(list(names)))
            )

        tagged_ids = (
            select(status_tags.c.status_id)
            .join(tags, tags.c.id == status_tags.c.tag_id)
            .where(tags.c.name.in_(list(any_tags)))
        )
        conditions: list[Any] = [statuses.c.id.in_(tagged_ids), statuses.c.reblog_of_id.is_(None)]
        conditions += [tagged([name]) for name in all_tags]
        if none_tags:
            conditions.append(~tagged(none_tags))
        if only_media:
            conditions.append(has_media())
        query = self._public(scope, viewer_id).where(and_(*conditions))
        rows = (await self.conn.execute(windowed(query, statuses.c.id, page))).scalars().all()
        return _newest_first(list(rows), page)
