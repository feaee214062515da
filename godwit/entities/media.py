"""The MediaAttachment entity, as Mastodon's API shows it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from godwit.config import Settings
from godwit.domain.media import MediaAttachment, MediaSnapshot


def render_media(media: MediaAttachment, settings: Settings) -> dict[str, Any]:
    base = settings.media_base_url
    ready = media.processed
    return {
        "id": str(media.id),
        "type": media.type.value,
        # While processing, Mastodon answers url null (clients poll GET /api/v1/media/:id).
        "url": f"{base}/{media.file_key}" if ready else None,
        "preview_url": f"{base}/{media.preview_key}" if ready and media.preview_key else None,
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


def render_revision_media(
    snapshots: Sequence[MediaSnapshot],
    attachments: Mapping[int, MediaAttachment],
    settings: Settings,
) -> list[dict[str, Any]]:
    """The attachments of one revision of a post, described as they were then."""
    return [
        render_media(
            replace(attachments[shot.id], description=shot.description, focus=shot.focus),
            settings,
        )
        for shot in snapshots
        if shot.id in attachments
    ]
