"""SQL repository for lists, list members and the list timeline's candidate posts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.ids import new_id
from godwit.domain.lists import AccountList, ListPost, RepliesPolicy
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import Visibility
from godwit.domain.timelines import FeedPost
from godwit.storage.feeds import windowed
from godwit.storage.schema import follows, list_accounts, lists, statuses


def _account_list(row: Any) -> AccountList:
    return AccountList(
        id=row.id,
        account_id=row.account_id,
        title=row.title,
        replies_policy=RepliesPolicy(row.replies_policy),
        exclusive=bool(row.exclusive),
        created_at=row.created_at,
    )


def _newest_first(rows: list[Any], page: PageRequest) -> list[Any]:
    return list(reversed(rows)) if page.ascending else rows


class SqlLists:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def create(
        self, owner_id: int, title: str, replies_policy: RepliesPolicy, exclusive: bool
    ) -> AccountList:
        created = AccountList(
            id=new_id(),
            account_id=owner_id,
            title=title,
            replies_policy=replies_policy,
            exclusive=exclusive,
            created_at=dt.datetime.now(dt.UTC),
        )
        await self.conn.execute(
            insert(lists).values(
                id=created.id,
                account_id=owner_id,
                title=title,
                replies_policy=replies_policy.value,
                exclusive=exclusive,
                created_at=created.created_at,
            )
        )
        return created

    async def get(self, list_id: int) -> AccountList | None:
        row = (await self.conn.execute(select(lists).where(lists.c.id == list_id))).first()
        return _account_list(row) if row else None

    async def owned(self, owner_id: int) -> list[AccountList]:
        rows = await self.conn.execute(
            select(lists).where(lists.c.account_id == owner_id).order_by(lists.c.id)
        )
        return [_account_list(row) for row in rows]

    async def count_owned(self, owner_id: int) -> int:
        found = await self.conn.scalar(
            select(func.count()).select_from(lists).where(lists.c.account_id == owner_id)
        )
        return int(found or 0)

    async def update(
        self, list_id: int, *, title: str, replies_policy: RepliesPolicy, exclusive: bool
    ) -> None:
        await self.conn.execute(
            update(lists)
            .where(lists.c.id == list_id)
            .values(title=title, replies_policy=replies_policy.value, exclusive=exclusive)
        )

    async def delete(self, list_id: int) -> None:
        # Explicit rather than relying on the cascade alone, so the write is the same
        # whether or not the connection enforces foreign keys.
        await self.conn.execute(delete(list_accounts).where(list_accounts.c.list_id == list_id))
        await self.conn.execute(delete(lists).where(lists.c.id == list_id))

    async def follow_ids(self, owner_id: int, account_ids: Sequence[int]) -> dict[int, int]:
        if not account_ids:
            return {}
        rows = await self.conn.execute(
            select(follows.c.target_account_id, follows.c.id).where(
                follows.c.account_id == owner_id,
                follows.c.target_account_id.in_(list(account_ids)),
            )
        )
        return {row.target_account_id: row.id for row in rows}

    async def add_members(self, list_id: int, follows_by_account: dict[int, int]) -> None:
        if not follows_by_account:
            return
        present = await self.members_among(list_id, list(follows_by_account))
        rows = [
            {"id": new_id(), "list_id": list_id, "account_id": account, "follow_id": follow}
            for account, follow in follows_by_account.items()
            if account not in present
        ]
        if rows:
            await self.conn.execute(insert(list_accounts), rows)

    async def remove_members(self, list_id: int, account_ids: Sequence[int]) -> None:
        if account_ids:
            await self.conn.execute(
                delete(list_accounts).where(
                    list_accounts.c.list_id == list_id,
                    list_accounts.c.account_id.in_(list(account_ids)),
                )
            )

    async def members_page(self, list_id: int, page: PageRequest | None) -> list[tuple[int, int]]:
        query = select(list_accounts.c.id, list_accounts.c.account_id).where(
            list_accounts.c.list_id == list_id
        )
        if page is None:
            rows = (await self.conn.execute(query.order_by(list_accounts.c.id.desc()))).all()
            return [(row.id, row.account_id) for row in rows]
        rows = (await self.conn.execute(windowed(query, list_accounts.c.id, page))).all()
        return [(row.id, row.account_id) for row in _newest_first(list(rows), page)]

    async def members_among(self, list_id: int, account_ids: Sequence[int]) -> set[int]:
        if not account_ids:
            return set()
        rows = await self.conn.execute(
            select(list_accounts.c.account_id).where(
                list_accounts.c.list_id == list_id,
                list_accounts.c.account_id.in_(list(account_ids)),
            )
        )
        return {row.account_id for row in rows}

    async def containing(self, owner_id: int, account_id: int) -> list[AccountList]:
        rows = await self.conn.execute(
            select(lists)
            .join(list_accounts, list_accounts.c.list_id == lists.c.id)
            .where(lists.c.account_id == owner_id, list_accounts.c.account_id == account_id)
            .order_by(lists.c.id)
        )
        return [_account_list(row) for row in rows]

    async def exclusive_listers(self, owner_ids: Sequence[int], account_id: int) -> set[int]:
        rows = await self.conn.execute(
            select(lists.c.account_id)
            .join(list_accounts, list_accounts.c.list_id == lists.c.id)
            .where(
                lists.c.account_id.in_(sorted(set(owner_ids))),
                lists.c.exclusive.is_(True),
                list_accounts.c.account_id == account_id,
            )
            .distinct()
        )
        return {row.account_id for row in rows}

    async def posts(self, list_id: int, page: PageRequest) -> list[ListPost]:
        original = statuses.alias("original")
        query = (
            select(
                statuses.c.id,
                statuses.c.account_id,
                statuses.c.visibility,
                statuses.c.reblog_of_id,
                statuses.c.in_reply_to_account_id,
                original.c.account_id.label("original_author_id"),
                follows.c.show_reblogs,
            )
            .select_from(
                statuses.join(list_accounts, list_accounts.c.account_id == statuses.c.account_id)
                .join(follows, follows.c.id == list_accounts.c.follow_id)
                .outerjoin(original, original.c.id == statuses.c.reblog_of_id)
            )
            .where(
                list_accounts.c.list_id == list_id,
                statuses.c.visibility != Visibility.DIRECT.value,
            )
        )
        rows = (await self.conn.execute(windowed(query, statuses.c.id, page))).all()
        return [
            ListPost(
                FeedPost(
                    status_id=row.id,
                    author_id=row.account_id,
                    visibility=Visibility(row.visibility),
                    reblog_of_id=row.reblog_of_id,
                    original_author_id=row.original_author_id,
                    in_reply_to_account_id=row.in_reply_to_account_id,
                ),
                show_reblogs=bool(row.show_reblogs),
            )
            for row in _newest_first(list(rows), page)
        ]
