"""SQL repository for the domains each member blocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.ids import new_id
from godwit.domain.pagination import PageRequest
from godwit.storage.schema import account_domain_blocks, accounts

B = account_domain_blocks


class SqlDomainBlocks:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, account_id: int, domain: str) -> bool:
        try:
            # The savepoint keeps PostgreSQL's transaction usable if a concurrent block won.
            async with self.conn.begin_nested():
                await self.conn.execute(
                    insert(B).values(
                        id=new_id(),
                        account_id=account_id,
                        domain=domain,
                        created_at=dt.datetime.now(dt.UTC),
                    )
                )
        except IntegrityError:
            return False
        return True

    async def remove(self, account_id: int, domain: str) -> bool:
        result = await self.conn.execute(
            delete(B).where(B.c.account_id == account_id, B.c.domain == domain)
        )
        return bool(result.rowcount)

    async def page(self, account_id: int, page: PageRequest) -> list[tuple[int, str]]:
        query = select(B.c.id, B.c.domain).where(B.c.account_id == account_id)
        if page.max_id is not None:
            query = query.where(B.c.id < page.max_id)
        if page.lower is not None:
            query = query.where(B.c.id > page.lower)
        query = query.order_by(B.c.id.asc() if page.ascending else B.c.id.desc())
        rows = [(row.id, row.domain) for row in await self.conn.execute(query.limit(page.limit))]
        return rows[::-1] if page.ascending else rows

    async def blocked_among(self, account_id: int, domains: Sequence[str]) -> set[str]:
        wanted = {domain for domain in domains if domain}
        if not wanted:
            return set()
        rows = await self.conn.execute(
            select(B.c.domain).where(B.c.account_id == account_id, B.c.domain.in_(wanted))
        )
        return {row.domain for row in rows}

    async def blocked_accounts_among(self, account_id: int, among: Sequence[int]) -> set[int]:
        if not among:
            return set()
        rows = await self.conn.execute(
            select(accounts.c.id)
            .join(B, B.c.domain == accounts.c.domain)
            .where(B.c.account_id == account_id, accounts.c.id.in_(set(among)))
        )
        return {row.id for row in rows}

    async def readers_blocking_domain_of(
        self, reader_ids: Sequence[int], author_id: int
    ) -> set[int]:
        if not reader_ids:
            return set()
        rows = await self.conn.execute(
            select(B.c.account_id)
            .join(accounts, accounts.c.domain == B.c.domain)
            .where(accounts.c.id == author_id, B.c.account_id.in_(set(reader_ids)))
        )
        return {row.account_id for row in rows}
