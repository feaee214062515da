"""SQL repository for the social graph: follows, follow requests, blocks and mutes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.graph import (
    FollowerRef,
    FollowOptions,
    GraphEdge,
    GraphFacts,
    MuteState,
    ViewerRelations,
)
from godwit.domain.ids import new_id
from godwit.domain.pagination import PageRequest
from godwit.storage.marks import SqlMarks
from godwit.storage.schema import (
    account_domain_blocks,
    account_pins,
    accounts,
    blocks,
    follow_requests,
    follows,
    mutes,
)
from godwit.storage.viewer_relations import active_mute, load_viewer_relations


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _options(row: Any) -> FollowOptions:
    languages = row.languages
    return FollowOptions(
        show_reblogs=bool(row.show_reblogs),
        notify=bool(row.notify),
        languages=tuple(languages) if languages else None,
    )


def _option_values(options: FollowOptions) -> dict[str, Any]:
    return {
        "show_reblogs": options.show_reblogs,
        "notify": options.notify,
        "languages": list(options.languages) if options.languages else None,
    }


class SqlGraph:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    # -- helpers ------------------------------------------------------------------------

    async def _insert_unless_present(self, table: Table, values: dict[str, Any]) -> bool:
        """Insert a row; a duplicate (unique constraint) is not an error but a no-op.

        The savepoint keeps PostgreSQL's transaction usable after the constraint fires.
        """
        try:
            async with self.conn.begin_nested():
                await self.conn.execute(insert(table).values(**values))
        except IntegrityError:
            return False
        return True

    async def _delete_pair(self, table: Table, account_id: int, target_id: int) -> bool:
        result = await self.conn.execute(
            delete(table).where(
                table.c.account_id == account_id, table.c.target_account_id == target_id
            )
        )
        return bool(result.rowcount)

    async def _ids(self, query: Select[Any]) -> set[int]:
        return {row[0] for row in await self.conn.execute(query)}

    async def _page(
        self, query: Select[Any], cursor: Any, account_column: Any, page: PageRequest
    ) -> list[GraphEdge]:
        """Mastodon cursor pagination over a row-id column, newest first."""
        query = query.add_columns(cursor, account_column)
        if page.max_id is not None:
            query = query.where(cursor < page.max_id)
        if page.lower is not None:
            query = query.where(cursor > page.lower)
        query = query.order_by(cursor.asc() if page.ascending else cursor.desc())
        rows = list(await self.conn.execute(query.limit(page.limit)))
        if page.ascending:
            rows.reverse()
        return [GraphEdge(cursor=row[0], account_id=row[1]) for row in rows]

    # -- the agreed questions -----------------------------------------------------------

    async def following_ids(self, viewer_id: int, among: Sequence[int]) -> set[int]:
        if not among:
            return set()
        return await self._ids(
            select(follows.c.target_account_id).where(
                follows.c.account_id == viewer_id, follows.c.target_account_id.in_(set(among))
            )
        )

    async def blocked_either_way(self, viewer_id: int, among: Sequence[int]) -> set[int]:
        if not among:
            return set()
        wanted = set(among)
        # The other party of each block, whichever side the viewer is on: one UNION query.
        outgoing = select(blocks.c.target_account_id.label("other")).where(
            blocks.c.account_id == viewer_id, blocks.c.target_account_id.in_(wanted)
        )
        incoming = select(blocks.c.account_id.label("other")).where(
            blocks.c.target_account_id == viewer_id, blocks.c.account_id.in_(wanted)
        )
        return {row[0] for row in await self.conn.execute(outgoing.union(incoming))}

    async def viewer_relations(
        self, viewer_id: int, among: Sequence[int], remote: Sequence[int] = ()
    ) -> ViewerRelations:
        found = await load_viewer_relations(self.conn, [viewer_id], among, remote, _now())
        return found.get(viewer_id, ViewerRelations())

    async def viewers_relations(
        self, viewer_ids: Sequence[int], among: Sequence[int], remote: Sequence[int] = ()
    ) -> dict[int, ViewerRelations]:
        return await load_viewer_relations(self.conn, viewer_ids, among, remote, _now())

    async def muted(self, viewer_id: int, among: Sequence[int]) -> set[int]:
        if not among:
            return set()
        return await self._ids(
            select(mutes.c.target_account_id).where(
                mutes.c.account_id == viewer_id,
                mutes.c.target_account_id.in_(set(among)),
                active_mute(_now()),
            )
        )

    async def muting_notifications(self, viewer_id: int, among: Sequence[int]) -> set[int]:
        if not among:
            return set()
        return await self._ids(
            select(mutes.c.target_account_id).where(
                mutes.c.account_id == viewer_id,
                mutes.c.target_account_id.in_(set(among)),
                mutes.c.hide_notifications.is_(True),
                active_mute(_now()),
            )
        )

    async def is_following(self, account_id: int, target_id: int) -> bool:
        return bool(await self.following_ids(account_id, [target_id]))

    async def followed_ids(self, account_id: int) -> list[int]:
        rows = await self.conn.execute(
            select(follows.c.target_account_id)
            .where(follows.c.account_id == account_id)
            .order_by(follows.c.id)
        )
        return [row[0] for row in rows]

    async def follower_batch(
        self,
        account_id: int,
        after_follow_id: int | None,
        limit: int,
        *,
        notified_only: bool = False,
    ) -> list[FollowerRef]:
        query = (
            select(follows.c.id, follows.c.account_id, follows.c.show_reblogs, follows.c.notify)
            .select_from(follows.join(accounts, accounts.c.id == follows.c.account_id))
            .where(follows.c.target_account_id == account_id, accounts.c.domain == "")
        )
        if after_follow_id is not None:
            query = query.where(follows.c.id > after_follow_id)
        if notified_only:
            query = query.where(follows.c.notify.is_(True))
        rows = await self.conn.execute(query.order_by(follows.c.id).limit(limit))
        # Unpacked, not read by name: a batch is hundreds of rows on every fan-out.
        return [
            FollowerRef(follow_id, follower, bool(show_reblogs), bool(notify))
            for follow_id, follower, show_reblogs, notify in rows
        ]

    async def follower_count(self, account_id: int) -> int:
        count = await self.conn.scalar(
            select(func.count())
            .select_from(follows)
            .where(follows.c.target_account_id == account_id)
        )
        return int(count or 0)

    # -- relationships ------------------------------------------------------------------

    async def facts(self, viewer_id: int, among: Sequence[int]) -> GraphFacts:
        """Seven queries whatever the number of targets: one per table, both directions."""
        facts = GraphFacts()
        wanted = set(among)
        if not wanted:
            return facts
        for table, mine, theirs in (
            (follows, facts.following, facts.followed_by),
            (follow_requests, facts.requested, facts.requested_by),
        ):
            rows = await self.conn.execute(
                select(table).where(self._either_way(table, viewer_id, wanted))
            )
            for row in rows:
                if row.account_id == viewer_id:
                    mine[row.target_account_id] = _options(row)
                else:
                    theirs.add(row.account_id)
        rows = await self.conn.execute(
            select(blocks.c.account_id, blocks.c.target_account_id).where(
                self._either_way(blocks, viewer_id, wanted)
            )
        )
        for row in rows:
            if row.account_id == viewer_id:
                facts.blocking.add(row.target_account_id)
            else:
                facts.blocked_by.add(row.account_id)
        rows = await self.conn.execute(
            select(mutes.c.target_account_id, mutes.c.hide_notifications, mutes.c.expires_at).where(
                mutes.c.account_id == viewer_id,
                mutes.c.target_account_id.in_(wanted),
                active_mute(_now()),
            )
        )
        for row in rows:
            facts.muting[row.target_account_id] = MuteState(
                hide_notifications=bool(row.hide_notifications), expires_at=row.expires_at
            )
        facts.notes = await SqlMarks(self.conn).notes(viewer_id, wanted)
        rows = await self.conn.execute(
            select(account_pins.c.target_account_id).where(
                account_pins.c.account_id == viewer_id,
                account_pins.c.target_account_id.in_(wanted),
            )
        )
        facts.endorsed = {row.target_account_id for row in rows}
        rows = await self.conn.execute(
            select(accounts.c.id)
            .join(account_domain_blocks, account_domain_blocks.c.domain == accounts.c.domain)
            .where(account_domain_blocks.c.account_id == viewer_id, accounts.c.id.in_(wanted))
        )
        facts.domain_blocking = {row.id for row in rows}
        return facts

    @staticmethod
    def _either_way(table: Table, viewer_id: int, wanted: set[int]) -> ColumnElement[bool]:
        return or_(
            and_(table.c.account_id == viewer_id, table.c.target_account_id.in_(wanted)),
            and_(table.c.target_account_id == viewer_id, table.c.account_id.in_(wanted)),
        )

    # -- follows and follow requests ----------------------------------------------------

    async def _get_options(
        self, table: Table, account_id: int, target_id: int
    ) -> FollowOptions | None:
        row = (
            await self.conn.execute(
                select(table).where(
                    table.c.account_id == account_id, table.c.target_account_id == target_id
                )
            )
        ).first()
        return _options(row) if row is not None else None

    async def _add_edge(
        self, table: Table, account_id: int, target_id: int, options: FollowOptions
    ) -> bool:
        return await self._insert_unless_present(
            table,
            {
                "id": new_id(),
                "account_id": account_id,
                "target_account_id": target_id,
                "created_at": _now(),
                **_option_values(options),
            },
        )

    async def _update_edge(
        self, table: Table, account_id: int, target_id: int, options: FollowOptions
    ) -> None:
        await self.conn.execute(
            update(table)
            .where(table.c.account_id == account_id, table.c.target_account_id == target_id)
            .values(**_option_values(options))
        )

    async def get_follow(self, account_id: int, target_id: int) -> FollowOptions | None:
        return await self._get_options(follows, account_id, target_id)

    async def add_follow(self, account_id: int, target_id: int, options: FollowOptions) -> bool:
        return await self._add_edge(follows, account_id, target_id, options)

    async def update_follow(self, account_id: int, target_id: int, options: FollowOptions) -> None:
        await self._update_edge(follows, account_id, target_id, options)

    async def remove_follow(self, account_id: int, target_id: int) -> bool:
        return await self._delete_pair(follows, account_id, target_id)

    async def get_follow_request(self, account_id: int, target_id: int) -> FollowOptions | None:
        return await self._get_options(follow_requests, account_id, target_id)

    async def add_follow_request(
        self, account_id: int, target_id: int, options: FollowOptions
    ) -> bool:
        return await self._add_edge(follow_requests, account_id, target_id, options)

    async def update_follow_request(
        self, account_id: int, target_id: int, options: FollowOptions
    ) -> None:
        await self._update_edge(follow_requests, account_id, target_id, options)

    async def remove_follow_request(self, account_id: int, target_id: int) -> bool:
        return await self._delete_pair(follow_requests, account_id, target_id)

    # -- blocks and mutes ---------------------------------------------------------------

    async def add_block(self, account_id: int, target_id: int) -> bool:
        return await self._insert_unless_present(
            blocks,
            {
                "id": new_id(),
                "account_id": account_id,
                "target_account_id": target_id,
                "created_at": _now(),
            },
        )

    async def remove_block(self, account_id: int, target_id: int) -> bool:
        return await self._delete_pair(blocks, account_id, target_id)

    async def set_mute(
        self,
        account_id: int,
        target_id: int,
        *,
        hide_notifications: bool,
        expires_at: dt.datetime | None,
    ) -> None:
        """Create the mute or replace its settings; a new mute gets a new row id so it sorts
        as recent in the mutes list, as re-muting does in Mastodon."""
        values = {"hide_notifications": hide_notifications, "expires_at": expires_at}
        created = await self._insert_unless_present(
            mutes,
            {
                "id": new_id(),
                "account_id": account_id,
                "target_account_id": target_id,
                "created_at": _now(),
                **values,
            },
        )
        if not created:
            await self.conn.execute(
                update(mutes)
                .where(mutes.c.account_id == account_id, mutes.c.target_account_id == target_id)
                .values(**values)
            )

    async def remove_mute(self, account_id: int, target_id: int) -> bool:
        return await self._delete_pair(mutes, account_id, target_id)

    # -- list pages ---------------------------------------------------------------------

    async def followers_page(self, account_id: int, page: PageRequest) -> list[GraphEdge]:
        query = select().select_from(follows).where(follows.c.target_account_id == account_id)
        return await self._page(query, follows.c.id, follows.c.account_id, page)

    async def following_page(self, account_id: int, page: PageRequest) -> list[GraphEdge]:
        query = select().select_from(follows).where(follows.c.account_id == account_id)
        return await self._page(query, follows.c.id, follows.c.target_account_id, page)

    async def follow_requests_page(self, account_id: int, page: PageRequest) -> list[GraphEdge]:
        query = (
            select()
            .select_from(follow_requests)
            .where(follow_requests.c.target_account_id == account_id)
        )
        return await self._page(query, follow_requests.c.id, follow_requests.c.account_id, page)

    async def blocks_page(self, account_id: int, page: PageRequest) -> list[GraphEdge]:
        query = select().select_from(blocks).where(blocks.c.account_id == account_id)
        return await self._page(query, blocks.c.id, blocks.c.target_account_id, page)

    async def mutes_page(self, account_id: int, page: PageRequest) -> list[GraphEdge]:
        query = (
            select().select_from(mutes).where(mutes.c.account_id == account_id, active_mute(_now()))
        )
        return await self._page(query, mutes.c.id, mutes.c.target_account_id, page)
