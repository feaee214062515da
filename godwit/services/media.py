"""Uploading, describing and expiring media; attaching it to posts is done by statuses.

Images (a still GIF included) are processed synchronously (on the processor's bounded
thread pool) before the upload is answered: 200 with the URL set on v1 and v2. Video,
animated GIFs and audio go to ``MotionUploads`` (services/media_motion.py): processed in
the request on v1, by the ``media.process`` job on v2 (202, ``url`` null until done).
Files are written before the row is committed; if the commit fails, they are deleted.
Files of deleted rows, and replaced avatars and headers, are deleted by jobs after the
commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from godwit.config import Settings
from godwit.domain.accounts import Account, ProfileChanges
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.ids import new_id
from godwit.domain.media import (
    MAX_ATTACHMENTS_PER_STATUS,
    NOT_READY,
    SUPPORTED_IMAGE_TYPES,
    UNATTACHED_TTL_SECONDS,
    AnimatedImage,
    Focus,
    ImagePurpose,
    MediaAttachment,
    MediaLimits,
    MediaType,
    ProcessingState,
    check_description,
    media_invalid,
)
from godwit.domain.motion import MOTION_MIME_TYPES, UploadKind, classify_upload
from godwit.ports.media import ImageProcessor, MediaStore, MotionProcessor
from godwit.ports.store import Store, Transaction
from godwit.services.media_motion import MotionUploads

log = logging.getLogger("godwit.media")

DELETE_FILES_JOB = "media.delete_files"
# Replaced or removed avatars and headers: {"urls": [...]}, deleted once the change commits.
DELETE_PROFILE_IMAGES_JOB = "media.delete_profile_images"
PROFILE_IMAGE_PREFIX = "accounts/"


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
        check_ready(media)
    await tx.media.attach(media_ids, status_id)


def check_ready(media: MediaAttachment) -> None:
    """Only processed uploads may be shown in a post (Mastodon's 422 and words)."""
    if media.processing is ProcessingState.QUEUED:
        raise Invalid(NOT_READY, {"media_ids": [("ERR_NOT_READY", NOT_READY)]})
    if media.processing is ProcessingState.FAILED:
        raise media_invalid("media_ids", "contains an attachment that could not be processed")


async def release_media(tx: Transaction, status_ids: Sequence[int]) -> None:
    """Delete the rows of these (deleted) posts' media; the files go once this commits."""
    keys = await tx.media.delete_for_statuses(status_ids)
    if keys:
        await tx.jobs.enqueue(DELETE_FILES_JOB, {"keys": keys})


async def release_profile_images(tx: Transaction, urls: Sequence[str | None]) -> None:
    """Avatars or headers no longer shown (replaced or removed): their files go once this
    transaction commits. Empty values and other servers' URLs are ignored by the job."""
    wanted = [url for url in urls if url]
    if wanted:
        await tx.jobs.enqueue(DELETE_PROFILE_IMAGES_JOB, {"urls": wanted})


async def release_replaced_profile_images(
    tx: Transaction, before: Account, avatar_url: str | None, header_url: str | None
) -> None:
    """In a profile update: the previous avatar or header, when a new one replaces it."""
    await release_profile_images(
        tx,
        [
            old
            for old, new in ((before.avatar_path, avatar_url), (before.header_path, header_url))
            if new is not None and old != new
        ],
    )


async def release_account_media(tx: Transaction, account: Account) -> None:
    """When an account is deleted (in its transaction): every upload's row, and after the
    commit every file, its avatar and header included."""
    keys = await tx.media.delete_for_account(account.id)
    if keys:
        await tx.jobs.enqueue(DELETE_FILES_JOB, {"keys": keys})
    await release_profile_images(tx, [account.avatar_path, account.header_path])


def media_limits(settings: Settings, *, motion_available: bool) -> MediaLimits:
    """What the instance advertises: video and audio types only when they can be processed."""
    return MediaLimits(
        supported_mime_types=SUPPORTED_IMAGE_TYPES
        + (MOTION_MIME_TYPES if motion_available else ()),
        image_size_limit=settings.media_max_image_bytes,
        image_matrix_limit=settings.media_max_image_pixels,
        video_size_limit=settings.media_max_video_bytes,
        video_frame_rate_limit=settings.media_max_video_frame_rate,
        video_matrix_limit=settings.media_max_video_pixels,
    )


class MediaService:
    def __init__(
        self,
        store: Store,
        files: MediaStore,
        images: ImageProcessor,
        motion: MotionProcessor,
        settings: Settings,
    ) -> None:
        self.store = store
        self.files = files
        self.images = images
        self.settings = settings
        self.motion = MotionUploads(store, files, motion, settings)
        self.limits = media_limits(settings, motion_available=motion.available)
        self._motion_available = motion.available

    @property
    def max_upload_bytes(self) -> int:
        """The largest body an upload may have (video only when it can be processed)."""
        video = self.settings.media_max_video_bytes if self._motion_available else 0
        return max(self.settings.media_max_image_bytes, video)

    async def upload(
        self,
        account_id: int,
        data: bytes,
        *,
        description: str | None = None,
        focus: Focus | None = None,
        asynchronous: bool = False,
    ) -> MediaAttachment:
        """An image is processed at once; video, animated GIFs and audio too unless
        ``asynchronous`` (v2), where the answer is queued and a job processes it."""
        description = check_description(description)
        if not data:
            raise media_invalid("file", "can't be blank")
        if classify_upload(data) is not UploadKind.MOTION:
            try:
                return await self._upload_image(account_id, data, description, focus)
            except AnimatedImage:
                pass  # an animated GIF: a "gifv", made by ffmpeg like a video
        return await self.motion.upload(
            account_id, data, description=description, focus=focus, asynchronous=asynchronous
        )

    async def _upload_image(
        self, account_id: int, data: bytes, description: str | None, focus: Focus | None
    ) -> MediaAttachment:
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
        """Description and focus; refused (as in Mastodon) once processing has failed."""
        description = check_description(description)
        async with self.store.write() as tx:
            media = await self._own(tx, account_id, media_id)
            if media.processing is ProcessingState.FAILED:
                return media  # the API answers 422 with the reason
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
                await tx.jobs.enqueue(DELETE_FILES_JOB, {"keys": keys})
            return media

    async def _own(self, tx: Transaction, account_id: int, media_id: int) -> MediaAttachment:
        media = await tx.media.get(media_id)
        if media is None or media.account_id != account_id:
            raise NotFound()
        return media

    async def store_profile_image(self, account_id: int, data: bytes, purpose: ImagePurpose) -> str:
        """Process an avatar or header and store it; answers its public URL. The caller
        saves it in the profile, or hands it to ``discard_profile_images`` if that fails."""
        if not data:
            raise media_invalid(purpose.value, "can't be blank")
        image = await self.images.process(data, purpose)
        key = f"{PROFILE_IMAGE_PREFIX}{account_id}/{purpose.value}-{new_id()}.{image.extension}"
        await self.files.put(key, image.data, image.content_type)
        return self.files.url(key)

    async def discard_profile_images(self, urls: Sequence[str | None]) -> None:
        """Stored by ``store_profile_image`` for an update that did not commit."""
        await self.files.delete(self._profile_image_keys(urls))

    async def remove_profile_image(self, account_id: int, purpose: ImagePurpose) -> None:
        """DELETE /api/v1/profile/avatar|header: back to the default image."""
        if purpose is ImagePurpose.ATTACHMENT:
            raise ValueError("only an avatar or a header can be removed")
        async with self.store.write() as tx:
            account = await tx.accounts.get(account_id)
            if account is None:
                raise NotFound()
            avatar = purpose is ImagePurpose.AVATAR
            old = account.avatar_path if avatar else account.header_path
            if not old:
                return
            await tx.accounts.update_profile(
                account_id,
                ProfileChanges(avatar_path="") if avatar else ProfileChanges(header_path=""),
                _now(),
            )
            await release_profile_images(tx, [old])

    def _profile_image_keys(self, urls: Sequence[str | None]) -> list[str]:
        """Keys of our stored avatars and headers among ``urls`` (nothing else is touched)."""
        keys = [self.files.key_for_url(url) for url in urls if url]
        return [key for key in keys if key and key.startswith(PROFILE_IMAGE_PREFIX)]

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

    async def handle_delete_profile_images(self, payload: dict[str, Any]) -> None:
        urls = payload.get("urls")
        if isinstance(urls, list):
            await self.files.delete(self._profile_image_keys([str(url) for url in urls]))

    async def handle_process(self, payload: dict[str, Any]) -> None:
        await self.motion.handle_process(payload)
