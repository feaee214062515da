"""Video, animated GIF and audio uploads: checked at once, processed now or by a job.

An upload is probed in the request (headers only), so one outside the limits is refused
with a 422 before anything is stored. Then either:

- synchronously (POST /api/v1/media): transcoded in the request, stored, answered;
- asynchronously (POST /api/v2/media): the original is stored under an unguessable
  ``pending/`` key, the row is created ``queued`` and the ``media.process`` job enqueued in
  the same transaction; the job transcodes, stores the result, marks the row complete (or
  failed, with the reason) and deletes the original. A crash in between leaves the row
  queued and the original stored, so the job simply runs again; every step is idempotent.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import replace
from typing import Any

from godwit.config import Settings
from godwit.domain.errors import Invalid
from godwit.domain.ids import new_id, parse_id
from godwit.domain.media import (
    PENDING_PREFIX,
    UNATTACHED_TTL_SECONDS,
    Focus,
    MediaAttachment,
    MediaType,
    ProcessingState,
    extension_for,
    media_invalid,
)
from godwit.domain.motion import (
    MOTION_UNAVAILABLE,
    MotionLimits,
    ProcessedMotion,
    plan_motion,
)
from godwit.ports.media import MediaStore, MotionProcessor
from godwit.ports.store import Store

log = logging.getLogger("godwit.media")

PROCESS_JOB = "media.process"
MAX_VIDEO_FRAMES = 36_000  # Mastodon's (five minutes at 120 frames per second)


def motion_limits(settings: Settings) -> MotionLimits:
    return MotionLimits(
        max_bytes=settings.media_max_video_bytes,
        max_pixels=settings.media_max_video_pixels,
        max_frame_rate=settings.media_max_video_frame_rate,
        max_seconds=settings.media_max_video_seconds,
        max_frames=MAX_VIDEO_FRAMES,
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def motion_unavailable() -> Invalid:
    return Invalid(
        f"Validation failed: {MOTION_UNAVAILABLE}",
        {"file": [("ERR_UNSUPPORTED", MOTION_UNAVAILABLE)]},
    )


def failure_reason(error: Invalid) -> str:
    """Why processing failed, as kept on the row: ``"file is too long (…)"``."""
    return error.message.removeprefix("Validation failed: ")


class MotionUploads:
    def __init__(
        self, store: Store, files: MediaStore, motion: MotionProcessor, settings: Settings
    ) -> None:
        self.store = store
        self.files = files
        self.motion = motion
        self.limits = motion_limits(settings)

    async def upload(
        self,
        account_id: int,
        data: bytes,
        *,
        description: str | None,
        focus: Focus | None,
        asynchronous: bool,
    ) -> MediaAttachment:
        if len(data) > self.limits.max_bytes:
            maximum = self.limits.max_bytes // (1024 * 1024)
            raise media_invalid("file", f"is too large (maximum is {maximum} MB)")
        if not self.motion.available:
            raise motion_unavailable()
        plan = plan_motion(await self.motion.probe(data), self.limits)
        media_id = new_id()
        content_type = (
            self.motion.audio_content_type if plan.type is MediaType.AUDIO else "video/mp4"
        )
        queued = MediaAttachment(
            id=media_id,
            account_id=account_id,
            type=plan.type,
            file_key=f"media/{media_id}/original.{extension_for(content_type)}",
            preview_key=None,
            content_type=content_type,
            file_size=0,
            width=0,
            height=0,
            preview_width=0,
            preview_height=0,
            description=description,
            focus=focus or Focus(),
            created_at=_now(),
            processing=ProcessingState.QUEUED,
        )
        if asynchronous:
            return await self._enqueue(queued, data)
        result = await self.motion.process(data, plan)
        done = self._processed(queued, result)
        await self._put_files(done, result)
        try:
            async with self.store.write() as tx:
                await tx.media.create(done)
                await tx.jobs.enqueue(
                    "media.expire", {"media_id": media_id}, delay_seconds=UNATTACHED_TTL_SECONDS
                )
        except BaseException:
            await self.files.delete(done.keys)
            raise
        return done

    async def _enqueue(self, queued: MediaAttachment, data: bytes) -> MediaAttachment:
        upload_key = f"{PENDING_PREFIX}{queued.id}-{secrets.token_hex(16)}/upload"
        attachment = replace(queued, upload_key=upload_key)
        await self.files.put(upload_key, data, "application/octet-stream")
        try:
            async with self.store.write() as tx:
                await tx.media.create(attachment)
                await tx.jobs.enqueue(
                    "media.expire",
                    {"media_id": attachment.id},
                    delay_seconds=UNATTACHED_TTL_SECONDS,
                )
                await tx.jobs.enqueue(
                    PROCESS_JOB, {"media_id": attachment.id, "upload_key": upload_key}
                )
        except BaseException:
            await self.files.delete([upload_key])
            raise
        return attachment

    async def handle_process(self, payload: dict[str, Any]) -> None:
        """The ``media.process`` job. Idempotent: a row no longer queued (done, failed or
        deleted) only has its original deleted."""
        media_id = parse_id(payload.get("media_id"))
        upload_key = str(payload.get("upload_key") or "")
        if media_id is None or not upload_key.startswith(PENDING_PREFIX):
            log.warning("media.process with a bad payload: %r", payload)
            return
        async with self.store.read() as tx:
            queued = await tx.media.get(media_id)
        if queued is None or queued.processing is not ProcessingState.QUEUED:
            await self.files.delete([upload_key])
            return
        data = await self.files.get(upload_key)
        if data is None:
            await self._fail(media_id, upload_key, "file was lost before it was processed")
            return
        try:
            if not self.motion.available:
                raise motion_unavailable()
            plan = plan_motion(await self.motion.probe(data), self.limits)
            processed = await self.motion.process(data, plan)
        except Invalid as error:
            await self._fail(media_id, upload_key, failure_reason(error))
            return
        done = self._processed(queued, processed)
        await self._put_files(done, processed)
        async with self.store.write() as tx:
            stored = await tx.media.finish_processing(done)
        if not stored:  # deleted (or expired) while it was being processed
            await self.files.delete([key for key in done.keys if key != upload_key])
        await self.files.delete([upload_key])

    async def _fail(self, media_id: int, upload_key: str, reason: str) -> None:
        log.info("media %s could not be processed: %s", media_id, reason)
        async with self.store.write() as tx:
            await tx.media.fail_processing(media_id, reason)
        await self.files.delete([upload_key])

    def _processed(self, queued: MediaAttachment, result: ProcessedMotion) -> MediaAttachment:
        base = f"media/{queued.id}"
        return replace(
            queued,
            type=result.type,
            file_key=f"{base}/original.{result.extension}",
            preview_key=f"{base}/small.jpg" if result.preview is not None else None,
            content_type=result.content_type,
            file_size=len(result.data),
            width=result.width,
            height=result.height,
            preview_width=result.preview_width,
            preview_height=result.preview_height,
            blurhash=result.blurhash,
            motion=result.motion,
            processing=ProcessingState.COMPLETE,
            upload_key=None,
        )

    async def _put_files(self, done: MediaAttachment, result: ProcessedMotion) -> None:
        await self.files.put(done.file_key, result.data, result.content_type)
        if done.preview_key is not None and result.preview is not None:
            await self.files.put(done.preview_key, result.preview, "image/jpeg")
