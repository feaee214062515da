"""Bulk inserts for seeding (``godwit demo``): executemany over planned rows.

Rows arrive complete (ids, rendered HTML, final counters) from the seeding service, so each
table is one ``INSERT`` executed for many parameter sets. Portable Core: the same code runs
on SQLite (through the single-writer connection) and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.accounts import local_account_urls, username_key
from godwit.domain.notifications import Notification, compute_group_key
from godwit.domain.search import content_document
from godwit.domain.seeding import SeedAccount, SeedEdge, SeedStatus, SeedTag
from godwit.domain.timelines import FeedEntry
from godwit.storage.database import Database
from godwit.storage.schema import (
    accounts,
    favourites,
    follows,
    home_feed,
    mentions,
    notifications,
    status_tags,
    statuses,
    tags,
    users,
)
from godwit.storage.search import SqlSearch

# Lookups by IN (...) are chunked: SQLite allows at most 32766 bound parameters.
LOOKUP_CHUNK = 1000


class SqlSeedWriter:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def _insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self.conn.execute(insert(table), rows)

    async def _matching(self, column: Any, values: Sequence[str]) -> list[Any]:
        found: list[Any] = []
        wanted = sorted(set(values))
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            chunk = wanted[start : start + LOOKUP_CHUNK]
            found += (await self.conn.execute(select(column.table).where(column.in_(chunk)))).all()
        return found

    async def taken_usernames(self, usernames: Sequence[str]) -> set[str]:
        keys = [username_key(name) for name in usernames]
        rows = await self._matching(accounts.c.username_key, keys)
        return {row.username_key for row in rows if row.domain == ""}

    async def taken_emails(self, emails: Sequence[str]) -> set[str]:
        return {row.email for row in await self._matching(users.c.email, emails)}

    async def existing_tags(self, names: Sequence[str]) -> dict[str, int]:
        return {row.name: row.id for row in await self._matching(tags.c.name, names)}

    async def add_accounts(self, seeded: Sequence[SeedAccount]) -> None:
        await self._insert(
            accounts,
            [
                {
                    "id": account.id,
                    "username": account.username,
                    "username_key": username_key(account.username),
                    "domain": "",
                    "display_name": account.display_name,
                    "note": account.note,
                    "note_source": account.note_source,
                    "fields": [],
                    "public_key_pem": account.public_key_pem,
                    # Lazy keys: none until the first use makes the pair.
                    "private_key_pem": account.private_key_pem or None,
                    "statuses_count": account.statuses_count,
                    "followers_count": account.followers_count,
                    "following_count": account.following_count,
                    "last_status_at": account.last_status_at,
                    "created_at": account.created_at,
                    "updated_at": account.created_at,
                    **local_account_urls(account.base_url, account.username),
                }
                for account in seeded
            ],
        )
        await self._insert(
            users,
            [
                {
                    "id": account.user_id,
                    "account_id": account.id,
                    "email": account.email,
                    "password_hash": account.password_hash,
                    "role": "member",
                    "approved": True,
                    "locale": "en",
                    "preferences": {},
                    "created_at": account.created_at,
                }
                for account in seeded
            ],
        )

    async def add_follows(self, edges: Sequence[SeedEdge]) -> None:
        await self._insert(
            follows,
            [
                {
                    "id": edge.id,
                    "account_id": edge.account_id,
                    "target_account_id": edge.target_id,
                    "show_reblogs": True,
                    "notify": False,
                    "created_at": edge.created_at,
                }
                for edge in edges
            ],
        )

    async def add_tags(self, seeded: Sequence[SeedTag]) -> None:
        await self._insert(
            tags,
            [
                {
                    "id": tag.id,
                    "name": tag.name,
                    "display_name": tag.display_name,
                    "created_at": tag.created_at,
                }
                for tag in seeded
            ],
        )

    async def add_statuses(self, seeded: Sequence[SeedStatus]) -> None:
        rows = []
        for status in seeded:
            new = status.new
            rows.append(
                {
                    "id": new.id,
                    "account_id": new.account_id,
                    "uri": new.uri,
                    "url": new.url,
                    "local": new.local,
                    "text": new.text,
                    "content": new.content,
                    "spoiler_text": new.spoiler_text,
                    "sensitive": new.sensitive,
                    "visibility": new.visibility.value,
                    "language": new.language,
                    "in_reply_to_id": new.in_reply_to_id,
                    "in_reply_to_account_id": new.in_reply_to_account_id,
                    "reblog_of_id": new.reblog_of_id,
                    "application_id": new.application_id,
                    "replies_count": status.replies_count,
                    "reblogs_count": status.reblogs_count,
                    "favourites_count": status.favourites_count,
                    "created_at": new.created_at,
                }
            )
        await self._insert(statuses, rows)
        await SqlSearch(self.conn).index_new(
            [
                (status.new.id, content_document(status.new.content, status.new.spoiler_text))
                for status in seeded
                if status.new.reblog_of_id is None
            ]
        )
        await self._insert(
            mentions,
            [
                {"status_id": status.new.id, "account_id": account_id}
                for status in seeded
                for account_id in sorted(set(status.new.mentioned_account_ids))
            ],
        )

    async def add_status_tags(self, links: Sequence[tuple[int, int]]) -> None:
        await self._insert(
            status_tags, [{"status_id": status, "tag_id": tag} for status, tag in links]
        )

    async def add_favourites(self, edges: Sequence[SeedEdge]) -> None:
        await self._insert(
            favourites,
            [
                {
                    "id": edge.id,
                    "account_id": edge.account_id,
                    "status_id": edge.target_id,
                    "created_at": edge.created_at,
                }
                for edge in edges
            ],
        )

    async def add_feed_entries(self, entries: Sequence[FeedEntry]) -> None:
        await self._insert(
            home_feed,
            [
                {
                    "account_id": entry.reader_id,
                    "status_id": entry.status_id,
                    "entry_key": entry.entry_key,
                    "author_id": entry.author_id,
                }
                for entry in entries
            ],
        )

    async def add_notifications(self, seeded: Sequence[Notification]) -> None:
        await self._insert(
            notifications,
            [
                {
                    "id": notification.id,
                    "account_id": notification.recipient_id,
                    "from_account_id": notification.from_account_id,
                    "type": notification.type,
                    "status_id": notification.status_id,
                    "created_at": notification.created_at,
                    "group_key": compute_group_key(
                        notification.type, notification.status_id, notification.created_at
                    ),
                }
                for notification in seeded
            ],
        )


class SqlSeedStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    @asynccontextmanager
    async def write(self) -> AsyncIterator[SqlSeedWriter]:
        async with self.database.write() as conn:
            yield SqlSeedWriter(conn)

    async def refresh_statistics(self) -> None:
        await self.database.refresh_statistics()
