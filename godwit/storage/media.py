"""Media attachment rows (the files themselves live behind the MediaStore port)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from godwit.domain.media import (
    Focus,
    MediaAttachment,
    MediaType,
    MotionMeta,
    ProcessingState,
)
from godwit.storage.schema import media_attachments, statuses


def _from_row(row: Row[Any]) -> MediaAttachment:
    meta = row.meta or {}
    motion = meta.get("motion")
    return MediaAttachment(
        id=row.id,
        account_id=row.account_id,
        status_id=row.status_id,
        type=MediaType(row.type),
        file_key=row.file_key,
        preview_key=row.preview_key,
        content_type=row.content_type,
        file_size=row.file_size,
        width=int(meta.get("width", 0)),
        height=int(meta.get("height", 0)),
        preview_width=int(meta.get("preview_width", 0)),
        preview_height=int(meta.get("preview_height", 0)),
        description=row.description,
        focus=Focus(x=row.focus_x, y=row.focus_y),
        blurhash=row.blurhash,
        processing=ProcessingState(row.processing),
        processing_error=meta.get("error"),
        motion=MotionMeta.from_json(motion) if isinstance(motion, dict) else None,
        upload_key=meta.get("upload_key"),
        detached=bool(row.detached),
        created_at=row.created_at,
    )


def _meta(attachment: MediaAttachment) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "width": attachment.width,
        "height": attachment.height,
        "preview_width": attachment.preview_width,
        "preview_height": attachment.preview_height,
    }
    if attachment.motion is not None:
        meta["motion"] = attachment.motion.to_json()
    if attachment.upload_key:
        meta["upload_key"] = attachment.upload_key
    if attachment.processing_error:
        meta["error"] = attachment.processing_error
    return meta


def _shown() -> ColumnElement[bool]:
    """Attachments a post shows now (an edit may have detached others)."""
    return media_attachments.c.detached.is_(False)


class SqlMedia:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def create(self, attachment: MediaAttachment) -> None:
        await self.conn.execute(
            media_attachments.insert().values(
                id=attachment.id,
                account_id=attachment.account_id,
                status_id=attachment.status_id,
                type=attachment.type.value,
                file_key=attachment.file_key,
                preview_key=attachment.preview_key,
                content_type=attachment.content_type,
                file_size=attachment.file_size,
                meta=_meta(attachment),
                description=attachment.description,
                focus_x=attachment.focus.x,
                focus_y=attachment.focus.y,
                blurhash=attachment.blurhash,
                processing=attachment.processing.value,
                detached=attachment.detached,
                created_at=attachment.created_at,
            )
        )

    async def get(self, media_id: int) -> MediaAttachment | None:
        rows = await self.conn.execute(
            select(media_attachments).where(media_attachments.c.id == media_id)
        )
        row = rows.first()
        return _from_row(row) if row is not None else None

    async def get_many(self, media_ids: Sequence[int]) -> dict[int, MediaAttachment]:
        if not media_ids:
            return {}
        rows = await self.conn.execute(
            select(media_attachments).where(media_attachments.c.id.in_(sorted(set(media_ids))))
        )
        return {row.id: _from_row(row) for row in rows}

    async def update(self, media_id: int, *, description: str | None, focus: Focus | None) -> None:
        values: dict[str, Any] = {"description": description}
        if focus is not None:
            values.update(focus_x=focus.x, focus_y=focus.y)
        await self.conn.execute(
            update(media_attachments).where(media_attachments.c.id == media_id).values(**values)
        )

    async def attach(self, media_ids: Sequence[int], status_id: int) -> None:
        for position, media_id in enumerate(media_ids):
            await self.conn.execute(
                update(media_attachments)
                .where(media_attachments.c.id == media_id)
                .values(status_id=status_id, position=position, detached=False)
            )

    async def set_status_media(self, status_id: int, media_ids: Sequence[int]) -> None:
        await self.conn.execute(
            update(media_attachments)
            .where(
                media_attachments.c.status_id == status_id,
                media_attachments.c.id.not_in(list(media_ids)),
            )
            .values(detached=True)
        )
        await self.attach(media_ids, status_id)

    async def finish_processing(self, attachment: MediaAttachment) -> bool:
        done = await self.conn.execute(
            update(media_attachments)
            .where(
                media_attachments.c.id == attachment.id,
                media_attachments.c.processing == ProcessingState.QUEUED.value,
            )
            .values(
                type=attachment.type.value,
                file_key=attachment.file_key,
                preview_key=attachment.preview_key,
                content_type=attachment.content_type,
                file_size=attachment.file_size,
                meta=_meta(attachment),
                blurhash=attachment.blurhash,
                processing=attachment.processing.value,
            )
        )
        return bool(done.rowcount)

    async def fail_processing(self, media_id: int, error: str) -> bool:
        done = await self.conn.execute(
            update(media_attachments)
            .where(
                media_attachments.c.id == media_id,
                media_attachments.c.processing == ProcessingState.QUEUED.value,
            )
            .values(processing=ProcessingState.FAILED.value, meta={"error": error})
        )
        return bool(done.rowcount)

    async def for_statuses(self, status_ids: Sequence[int]) -> dict[int, list[MediaAttachment]]:
        if not status_ids:
            return {}
        rows = await self.conn.execute(
            select(media_attachments)
            .where(media_attachments.c.status_id.in_(sorted(set(status_ids))), _shown())
            .order_by(media_attachments.c.status_id, media_attachments.c.position)
        )
        result: dict[int, list[MediaAttachment]] = {}
        for row in rows:
            result.setdefault(row.status_id, []).append(_from_row(row))
        return result

    async def delete_for_statuses(self, status_ids: Sequence[int]) -> list[str]:
        if not status_ids:
            return []
        condition = media_attachments.c.status_id.in_(sorted(set(status_ids)))
        return await self._delete_where(condition)

    async def delete_for_account(self, account_id: int) -> list[str]:
        return await self._delete_where(media_attachments.c.account_id == account_id)

    async def delete_unattached(self, media_id: int) -> list[str]:
        return await self._delete_where(
            (media_attachments.c.id == media_id) & media_attachments.c.status_id.is_(None)
        )

    async def _delete_where(self, condition: Any) -> list[str]:
        rows = await self.conn.execute(
            select(
                media_attachments.c.file_key,
                media_attachments.c.preview_key,
                media_attachments.c.meta,
            ).where(condition)
        )
        keys = [
            key
            for row in rows
            for key in (row.file_key, row.preview_key, (row.meta or {}).get("upload_key"))
            if key
        ]
        if keys:
            await self.conn.execute(delete(media_attachments).where(condition))
        return keys


def has_media() -> ColumnElement[bool]:
    """A condition on ``statuses``: the status has at least one attachment (only_media)."""
    return statuses.c.id.in_(
        select(media_attachments.c.status_id).where(
            media_attachments.c.status_id.is_not(None), _shown()
        )
    )
