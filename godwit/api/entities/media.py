"""The MediaAttachment entity, as Mastodon's API shows it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from godwit.config import Settings
from godwit.domain.media import MediaAttachment


def render_media(media: MediaAttachment, settings: Settings) -> dict[str, Any]:
    base = settings.media_base_url
    ready = media.processed
    return {
        "id": str(media.id),
        "type": media.type.value,
        # While processing, Mastodon answers url null (clients poll GET /api/v1/media/:id).
        "url": f"{base}/{media.file_key}" if ready else None,
        "preview_url": f"{base}/{media.preview_key}" if media.preview_key else None,
        "remote_url": None,
        "preview_remote_url": None,
        "text_url": None,
        "meta": media.meta(),
        "description": media.description,
        "blurhash": media.blurhash,
    }


def render_media_list(
    attachments: Sequence[MediaAttachment], settings: Settings
) -> list[dict[str, Any]]:
    return [render_media(media, settings) for media in attachments]
