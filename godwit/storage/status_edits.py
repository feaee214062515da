"""SQL repository for status edits: the new version in place, revisions alongside."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.editing import StatusChange, StatusRevision
from godwit.domain.ids import new_id
from godwit.domain.media import MediaSnapshot
from godwit.storage.schema import mentions, status_edits, status_tags, statuses
from godwit.storage.search import SqlSearch
from godwit.storage.statuses import SqlStatuses


class SqlStatusEdits:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def apply(self, change: StatusChange) -> None:
        status_id = change.status_id
        recorded = await self.conn.scalar(
            select(func.count())
            .select_from(status_edits)
            .where(status_edits.c.status_id == status_id)
        )
        if not recorded:  # keep the original as the first revision
            original = (
                await self.conn.execute(
                    select(
                        statuses.c.text,
                        statuses.c.content,
                        statuses.c.spoiler_text,
                        statuses.c.sensitive,
                        statuses.c.created_at,
                    ).where(statuses.c.id == status_id)
                )
            ).one()
            await self._record(
                status_id,
                StatusRevision(
                    text=original.text,
                    content=original.content,
                    spoiler_text=original.spoiler_text,
                    sensitive=bool(original.sensitive),
                    created_at=original.created_at,
                    poll_options=change.previous_poll_options,
                    media=change.previous_media,
                ),
            )
        await self.conn.execute(
            update(statuses)
            .where(statuses.c.id == status_id)
            .values(
                text=change.text,
                content=change.content,
                spoiler_text=change.spoiler_text,
                sensitive=change.sensitive,
                language=change.language,
                edited_at=change.edited_at,
            )
        )
        await self._record(
            status_id,
            StatusRevision(
                text=change.text,
                content=change.content,
                spoiler_text=change.spoiler_text,
                sensitive=change.sensitive,
                created_at=change.edited_at,
                poll_options=change.poll_options,
                media=change.media,
            ),
        )
        await self._replace_mentions(status_id, set(change.mentioned_account_ids))
        await self._replace_tags(change)
        edited = await SqlStatuses(self.conn).get(status_id)
        if edited is not None:  # the full-text index follows the new text
            await SqlSearch(self.conn).index_status(edited)

    async def _record(self, status_id: int, revision: StatusRevision) -> None:
        await self.conn.execute(
            insert(status_edits).values(
                id=new_id(),
                status_id=status_id,
                text=revision.text,
                content=revision.content,
                spoiler_text=revision.spoiler_text,
                sensitive=revision.sensitive,
                created_at=revision.created_at,
                poll_options=(
                    list(revision.poll_options) if revision.poll_options is not None else None
                ),
                media=[snapshot.to_json() for snapshot in revision.media],
            )
        )

    async def _replace_mentions(self, status_id: int, wanted: set[int]) -> None:
        current = {
            row[0]
            for row in await self.conn.execute(
                select(mentions.c.account_id).where(mentions.c.status_id == status_id)
            )
        }
        gone = sorted(current - wanted)
        if gone:
            await self.conn.execute(
                delete(mentions).where(
                    mentions.c.status_id == status_id, mentions.c.account_id.in_(gone)
                )
            )
        added = sorted(wanted - current)
        if added:
            await self.conn.execute(
                insert(mentions),
                [{"status_id": status_id, "account_id": account_id} for account_id in added],
            )

    async def _replace_tags(self, change: StatusChange) -> None:
        await self.conn.execute(
            delete(status_tags).where(status_tags.c.status_id == change.status_id)
        )
        if not change.tags:
            return
        tag_ids = await SqlStatuses(self.conn).tag_ids(change.tags, change.edited_at)
        await self.conn.execute(
            insert(status_tags),
            [{"status_id": change.status_id, "tag_id": tag_id} for tag_id in sorted(set(tag_ids))],
        )

    async def history(self, status_id: int) -> list[StatusRevision]:
        rows = await self.conn.execute(
            select(
                status_edits.c.text,
                status_edits.c.content,
                status_edits.c.spoiler_text,
                status_edits.c.sensitive,
                status_edits.c.created_at,
                status_edits.c.poll_options,
                status_edits.c.media,
            )
            .where(status_edits.c.status_id == status_id)
            # Ids made in the same millisecond are not ordered; the timestamps are.
            .order_by(status_edits.c.created_at, status_edits.c.id)
        )
        return [
            StatusRevision(
                text=row.text,
                content=row.content,
                spoiler_text=row.spoiler_text,
                sensitive=bool(row.sensitive),
                created_at=row.created_at,
                poll_options=(
                    tuple(str(title) for title in row.poll_options)
                    if row.poll_options is not None
                    else None
                ),
                media=_snapshots(row.media),
            )
            for row in rows
        ]


def _snapshots(raw: Any) -> tuple[MediaSnapshot, ...]:
    """A revision's attachments (none recorded: none shown)."""
    if not isinstance(raw, list):
        return ()
    return tuple(MediaSnapshot.from_json(item) for item in raw if isinstance(item, dict))
