"""Media attachments: what an upload becomes, the limits on it, and focal points."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from godwit.domain.errors import Invalid

MAX_ATTACHMENTS_PER_STATUS = 4
MAX_DESCRIPTION_CHARS = 1500
# Mastodon's advertised image matrix limit (3840x2160) and byte limit; clients read them from
# the instance entity and resize before uploading, so larger images are rare.
MAX_IMAGE_PIXELS = 3840 * 2160
MAX_IMAGE_BYTES = 16 * 1024 * 1024
PREVIEW_MAX_SIDE = 640
AVATAR_SIZE = (400, 400)
HEADER_SIZE = (1500, 500)
# Uploads never attached to a post are deleted after this long.
UNATTACHED_TTL_SECONDS = 24 * 60 * 60
SUPPORTED_IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
UNSUPPORTED_MOTION = "GIF and video uploads are not supported yet"


class MediaType(StrEnum):
    IMAGE = "image"
    GIFV = "gifv"
    VIDEO = "video"
    AUDIO = "audio"
    UNKNOWN = "unknown"


class ImagePurpose(StrEnum):
    """What an image is processed for decides its target size."""

    ATTACHMENT = "attachment"
    AVATAR = "avatar"
    HEADER = "header"


@dataclass(frozen=True, slots=True)
class Focus:
    x: float = 0.0
    y: float = 0.0


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    """An image decoded, cleaned of metadata and re-encoded, with its preview."""

    data: bytes
    content_type: str
    width: int
    height: int
    preview: bytes
    preview_content_type: str
    preview_width: int
    preview_height: int
    blurhash: str | None

    @property
    def extension(self) -> str:
        return extension_for(self.content_type)


@dataclass(frozen=True, slots=True)
class MediaAttachment:
    id: int
    account_id: int
    type: MediaType
    file_key: str
    preview_key: str | None
    content_type: str
    file_size: int
    width: int
    height: int
    preview_width: int
    preview_height: int
    created_at: dt.datetime
    status_id: int | None = None
    description: str | None = None
    focus: Focus = field(default_factory=Focus)
    blurhash: str | None = None
    processed: bool = True

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.file_key, self.preview_key) if self.preview_key else (self.file_key,)

    def meta(self) -> dict[str, Any]:
        """Mastodon's ``meta``: sizes and aspect of the original and the preview, and focus."""
        return {
            "original": _size_meta(self.width, self.height),
            "small": _size_meta(self.preview_width, self.preview_height),
            "focus": {"x": self.focus.x, "y": self.focus.y},
        }


def _size_meta(width: int, height: int) -> dict[str, Any]:
    return {
        "width": width,
        "height": height,
        "size": f"{width}x{height}",
        "aspect": round(width / height, 6) if height else None,
    }


def extension_for(content_type: str) -> str:
    return {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(content_type, "bin")


def media_invalid(field_name: str, description: str) -> Invalid:
    return Invalid(
        f"Validation failed: {field_name} {description}",
        {field_name: [("ERR_INVALID", description)]},
    )


def parse_focus(raw: str) -> Focus:
    """``"x,y"`` with both in [-1, 1] (Mastodon's focal point convention)."""
    parts = raw.split(",")
    if len(parts) != 2:
        raise media_invalid("focus", "must be two numbers separated by a comma")
    try:
        x, y = float(parts[0]), float(parts[1])
    except ValueError:
        raise media_invalid("focus", "must be two numbers separated by a comma") from None
    if not (-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0):
        raise media_invalid("focus", "coordinates must be between -1.0 and 1.0")
    return Focus(x=x, y=y)


def check_description(description: str | None) -> str | None:
    if description is None:
        return None
    if len(description) > MAX_DESCRIPTION_CHARS:
        raise media_invalid(
            "description", f"is too long (maximum is {MAX_DESCRIPTION_CHARS} characters)"
        )
    return description or None
