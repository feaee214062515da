"""Ports of the media slice: where files live, how images are processed, and the rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from godwit.domain.media import Focus, ImagePurpose, MediaAttachment, ProcessedImage


class MediaStore(Protocol):
    """Blob storage for media files, addressed by key (``"media/123/original.jpg"``)."""

    async def put(self, key: str, data: bytes, content_type: str) -> None: ...
    async def get(self, key: str) -> bytes | None: ...
    def url(self, key: str) -> str: ...
    async def delete(self, keys: Sequence[str]) -> None:
        """Missing keys are ignored, so deleting twice is harmless."""
        ...


class ImageProcessor(Protocol):
    async def process(self, data: bytes, purpose: ImagePurpose) -> ProcessedImage:
        """Raises ``Invalid`` for anything that is not a safe, supported, intact image."""
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

    async def for_statuses(self, status_ids: Sequence[int]) -> dict[int, list[MediaAttachment]]: ...
    async def delete_for_statuses(self, status_ids: Sequence[int]) -> list[str]:
        """Delete the rows attached to these statuses; answers their file keys."""
        ...

    async def delete_unattached(self, media_id: int) -> list[str]:
        """Delete the row if it is still unattached; answers its file keys (or nothing)."""
        ...
