"""Ports of the media slice: where files live, how images and video are processed, and
the rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from godwit.domain.media import Focus, ImagePurpose, MediaAttachment, ProcessedImage
from godwit.domain.motion import MotionPlan, MotionProbe, ProcessedMotion


class MediaStore(Protocol):
    """Blob storage for media files, addressed by key (``"media/123/original.jpg"``)."""

    async def put(self, key: str, data: bytes, content_type: str) -> None: ...
    async def get(self, key: str) -> bytes | None: ...
    def url(self, key: str) -> str: ...
    def key_for_url(self, url: str) -> str | None:
        """The key behind one of this store's URLs; None for any other URL."""
        ...

    async def delete(self, keys: Sequence[str]) -> None:
        """Missing keys are ignored, so deleting twice is harmless."""
        ...


class ImageProcessor(Protocol):
    async def process(self, data: bytes, purpose: ImagePurpose) -> ProcessedImage:
        """Raises ``Invalid`` for anything that is not a safe, supported, intact image."""
        ...


class MotionProcessor(Protocol):
    """Video, animated GIF and audio (ffmpeg). ``available`` is False when the tools are
    missing: such uploads are then refused and not advertised."""

    @property
    def available(self) -> bool: ...
    @property
    def audio_content_type(self) -> str:
        """What audio is transcoded to: audio/mpeg (MP3) or audio/mp4 (AAC)."""
        ...

    async def probe(self, data: bytes) -> MotionProbe:
        """Read the headers only (no frame decoded); ``Invalid`` if it is no media file."""
        ...

    async def process(self, data: bytes, plan: MotionPlan) -> ProcessedMotion:
        """Transcode as planned, metadata stripped; ``Invalid`` if it cannot be done."""
        ...


class MediaRepository(Protocol):
    async def create(self, attachment: MediaAttachment) -> None: ...
    async def get(self, media_id: int) -> MediaAttachment | None: ...
    async def update(
        self, media_id: int, *, description: str | None, focus: Focus | None
    ) -> None: ...
    async def get_many(self, media_ids: Sequence[int]) -> dict[int, MediaAttachment]: ...
    async def attach(self, media_ids: Sequence[int], status_id: int) -> None:
        """Attach in the given order (positions follow the order of ``media_ids``)."""
        ...

    async def for_statuses(self, status_ids: Sequence[int]) -> dict[int, list[MediaAttachment]]:
        """The attachments each post shows now, in order (not those an edit removed)."""
        ...

    async def set_status_media(self, status_id: int, media_ids: Sequence[int]) -> None:
        """After an edit: exactly these, in this order, are shown; the post's others are
        kept detached (its history still shows them)."""
        ...

    async def finish_processing(self, attachment: MediaAttachment) -> bool:
        """Store the result of processing a queued row (type, files, sizes, meta…); False
        when the row is gone or no longer queued."""
        ...

    async def fail_processing(self, media_id: int, error: str) -> bool:
        """Mark a queued row failed; False when it is gone or no longer queued."""
        ...

    async def delete_for_account(self, account_id: int) -> list[str]:
        """Delete every row of an account; answers their file keys."""
        ...

    async def delete_for_statuses(self, status_ids: Sequence[int]) -> list[str]:
        """Delete the rows attached to these statuses; answers their file keys."""
        ...

    async def delete_unattached(self, media_id: int) -> list[str]:
        """Delete the row if it is still unattached; answers its file keys (or nothing)."""
        ...
