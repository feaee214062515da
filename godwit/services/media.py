"""Uploading, describing and expiring media; attaching it to posts is done by statuses.

Images are processed synchronously (on the processor's bounded thread pool) before the
upload is answered, so both /api/v1/media and /api/v2/media answer 200 with the URL set.
Files are written before the row is committed; if the commit fails, they are deleted.
Files of deleted rows are deleted by the ``media.delete_files`` job, after the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from godwit.config import Settings
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.ids import new_id
from godwit.domain.media import (
    MAX_ATTACHMENTS_PER_STATUS,
    UNATTACHED_TTL_SECONDS,
    Focus,
    ImagePurpose,
    MediaAttachment,
    MediaType,
    check_description,
    media_invalid,
)
from godwit.ports.media import ImageProcessor, MediaStore
from godwit.ports.store import Store, Transaction

log = logging.getLogger("godwit.media")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def attach_media(
    tx: Transaction, account_id: int, media_ids: Sequence[int], status_id: int
) -> None:
    """Attach the author's own, not yet attached uploads to a new post (in its transaction)."""
    if not media_ids:
        return
    if len(media_ids) > MAX_ATTACHMENTS_PER_STATUS:
        raise media_invalid(
            "media_ids", f"has too many items (maximum is {MAX_ATTACHMENTS_PER_STATUS})"
        )
    if len(set(media_ids)) != len(media_ids):
        raise media_invalid("media_ids", "must not repeat an attachment")
    found = await tx.media.get_many(media_ids)
    for media_id in media_ids:
        media = found.get(media_id)
        if media is None or media.account_id != account_id:
            raise media_invalid("media_ids", "contains an unknown attachment")
        if media.status_id is not None:
            raise media_invalid("media_ids", "contains an attachment already used in a post")
    await tx.media.attach(media_ids, status_id)


async def release_media(tx: Transaction, status_ids: Sequence[int]) -> None:
    """Delete the rows of these (deleted) posts' media; the files go once this commits."""
    keys = await tx.media.delete_for_statuses(status_ids)
    if keys:
        await tx.jobs.enqueue("media.delete_files", {"keys": keys})


class MediaService:
    def __init__(
        self, store: Store, files: MediaStore, images: ImageProcessor, settings: Settings
    ) -> None:
        self.store = store
        self.files = files
        self.images = images
        self.settings = settings

    async def upload(
        self,
        account_id: int,
        data: bytes,
        *,
        description: str | None = None,
        focus: Focus | None = None,
    ) -> MediaAttachment:
        description = check_description(description)
        if not data:
            raise media_invalid("file", "can't be blank")
        image = await self.images.process(data, ImagePurpose.ATTACHMENT)
        media_id = new_id()
        file_key = f"media/{media_id}/original.{image.extension}"
        preview_key = f"media/{media_id}/small.{image.extension}"
        attachment = MediaAttachment(
            id=media_id,
            account_id=account_id,
            type=MediaType.IMAGE,
            file_key=file_key,
            preview_key=preview_key,
            content_type=image.content_type,
            file_size=len(image.data),
            width=image.width,
            height=image.height,
            preview_width=image.preview_width,
            preview_height=image.preview_height,
            description=description,
            focus=focus or Focus(),
            blurhash=image.blurhash,
            created_at=_now(),
        )
        await self.files.put(file_key, image.data, image.content_type)
        await self.files.put(preview_key, image.preview, image.preview_content_type)
        try:
            async with self.store.write() as tx:
                await tx.media.create(attachment)
                await tx.jobs.enqueue(
                    "media.expire", {"media_id": media_id}, delay_seconds=UNATTACHED_TTL_SECONDS
                )
        except BaseException:
            await self.files.delete(attachment.keys)
            raise
        return attachment

    async def get(self, account_id: int, media_id: int) -> MediaAttachment:
        async with self.store.read() as tx:
            return await self._own(tx, account_id, media_id)

    async def update(
        self,
        account_id: int,
        media_id: int,
        *,
        description: str | None,
        focus: Focus | None,
        description_given: bool,
    ) -> MediaAttachment:
        description = check_description(description)
        async with self.store.write() as tx:
            media = await self._own(tx, account_id, media_id)
            await tx.media.update(
                media_id,
                description=description if description_given else media.description,
                focus=focus,
            )
            return await self._own(tx, account_id, media_id)

    async def delete(self, account_id: int, media_id: int) -> MediaAttachment:
        """Delete an upload not yet attached to a post (Mastodon refuses attached ones)."""
        async with self.store.write() as tx:
            media = await self._own(tx, account_id, media_id)
            if media.status_id is not None:
                raise Invalid("Media attachment is currently used by a status")
            keys = await tx.media.delete_unattached(media_id)
            if keys:
                await tx.jobs.enqueue("media.delete_files", {"keys": keys})
            return media

    async def _own(self, tx: Transaction, account_id: int, media_id: int) -> MediaAttachment:
        media = await tx.media.get(media_id)
        if media is None or media.account_id != account_id:
            raise NotFound()
        return media

    async def store_profile_image(self, account_id: int, data: bytes, purpose: ImagePurpose) -> str:
        """Process an avatar or header and store it; answers its public URL."""
        if not data:
            raise media_invalid(purpose.value, "can't be blank")
        image = await self.images.process(data, purpose)
        key = f"accounts/{account_id}/{purpose.value}-{new_id()}.{image.extension}"
        await self.files.put(key, image.data, image.content_type)
        return self.files.url(key)

    # -- jobs ------------------------------------------------------------------------------

    async def handle_expire(self, payload: dict[str, Any]) -> None:
        """An upload never attached to a post is deleted a day after it was made."""
        async with self.store.write() as tx:
            keys = await tx.media.delete_unattached(int(payload["media_id"]))
        if keys:
            await self.files.delete(keys)

    async def handle_delete_files(self, payload: dict[str, Any]) -> None:
        keys = [str(key) for key in payload.get("keys", [])]
        await self.files.delete(keys)
