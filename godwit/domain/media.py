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
# Originals waiting for video processing are stored under this prefix, with unguessable
# keys, and deleted once processed; they still carry the uploader's metadata, so the app
# never serves them.
PENDING_PREFIX = "pending/"
# Uploads never attached to a post are deleted after this long.
UNATTACHED_TTL_SECONDS = 24 * 60 * 60
SUPPORTED_IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
# Mastodon's words when a post names an upload still being processed.
NOT_READY = "Cannot attach files that have not finished processing. Try again in a moment!"
PROCESSING_FAILED = "Error processing uploaded media"


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


class ProcessingState(StrEnum):
    """Images are processed before the upload is answered (complete at once); video, gifv
    and audio uploaded through /api/v2/media are queued for the ``media.process`` job."""

    QUEUED = "queued"
    COMPLETE = "complete"
    FAILED = "failed"  # kept (without files) so the app polling it learns why; expires


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
class MotionMeta:
    """What Mastodon shows of a video, gifv or audio file in ``meta``."""

    duration: float
    bitrate: int | None = None
    frame_rate: str | None = None  # "30/1", as ffprobe gives it
    audio_codec: str | None = None
    audio_sample_rate: int | None = None
    audio_channels: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "duration": self.duration,
            "bitrate": self.bitrate,
            "frame_rate": self.frame_rate,
            "audio_codec": self.audio_codec,
            "audio_sample_rate": self.audio_sample_rate,
            "audio_channels": self.audio_channels,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> MotionMeta:
        return cls(
            duration=float(raw.get("duration") or 0.0),
            bitrate=raw.get("bitrate"),
            frame_rate=raw.get("frame_rate"),
            audio_codec=raw.get("audio_codec"),
            audio_sample_rate=raw.get("audio_sample_rate"),
            audio_channels=raw.get("audio_channels"),
        )

    @property
    def fps(self) -> int | None:
        if not self.frame_rate:
            return None
        numerator, _, denominator = self.frame_rate.partition("/")
        try:
            return round(float(numerator) / float(denominator or 1))
        except (ValueError, ZeroDivisionError):
            return None

    @property
    def length(self) -> str:
        """``"0:01:28.65"``, Mastodon's ``meta.length``."""
        hundredths = round(self.duration * 100)
        seconds, hundredths = divmod(hundredths, 100)
        minutes, seconds = divmod(seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}.{hundredths:02d}"

    def audio_meta(self) -> dict[str, Any]:
        if not self.audio_codec:
            return {}
        channels = {1: "mono", 2: "stereo"}.get(self.audio_channels or 0)
        return {
            "audio_encode": self.audio_codec,
            "audio_bitrate": f"{self.audio_sample_rate} Hz" if self.audio_sample_rate else None,
            "audio_channels": channels
            or (str(self.audio_channels) if self.audio_channels else None),
        }


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
    processing: ProcessingState = ProcessingState.COMPLETE
    processing_error: str | None = None
    motion: MotionMeta | None = None  # video, gifv and audio
    # While queued: where the original upload waits (deleted once processed).
    upload_key: str | None = None
    # Removed from its post by an edit, kept because the post's history shows it.
    detached: bool = False

    @property
    def processed(self) -> bool:
        return self.processing is ProcessingState.COMPLETE

    @property
    def keys(self) -> tuple[str, ...]:
        """Every file this row may own (missing ones are ignored when deleting)."""
        return tuple(key for key in (self.file_key, self.preview_key, self.upload_key) if key)

    def meta(self) -> dict[str, Any]:
        """Mastodon's ``meta``: sizes and aspect of the original and the preview, focus, and
        for video and audio their length, frame rate and audio track."""
        focus = {"x": self.focus.x, "y": self.focus.y}
        if not self.processed:
            return {"focus": focus}
        if self.motion is None:
            return {
                "original": _size_meta(self.width, self.height),
                "small": _size_meta(self.preview_width, self.preview_height),
                "focus": focus,
            }
        motion = self.motion
        timing = {"length": motion.length, "duration": motion.duration}
        if self.type is MediaType.AUDIO:
            return {
                **timing,
                **motion.audio_meta(),
                "original": {"duration": motion.duration, "bitrate": motion.bitrate},
            }
        size = _size_meta(self.width, self.height)
        return {
            **timing,
            "fps": motion.fps,
            **size,
            **motion.audio_meta(),
            "original": {
                "width": self.width,
                "height": self.height,
                "frame_rate": motion.frame_rate,
                "duration": motion.duration,
                "bitrate": motion.bitrate,
            },
            "small": _size_meta(self.preview_width, self.preview_height),
            "focus": focus,
        }


def _size_meta(width: int, height: int) -> dict[str, Any]:
    return {
        "width": width,
        "height": height,
        "size": f"{width}x{height}",
        "aspect": round(width / height, 6) if height else None,
    }


_EXTENSIONS = {
    "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp",
    "video/mp4": "mp4", "audio/mpeg": "mp3", "audio/mp4": "m4a",
}  # fmt: skip


def extension_for(content_type: str) -> str:
    return _EXTENSIONS.get(content_type, "bin")


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


class AnimatedImage(Exception):
    """Raised by the image processor for an animated GIF: it goes to video processing."""


@dataclass(frozen=True, slots=True)
class MediaLimits:
    """What the instance tells apps about uploads (configuration.media_attachments)."""

    supported_mime_types: tuple[str, ...]
    image_size_limit: int
    image_matrix_limit: int
    video_size_limit: int
    video_frame_rate_limit: int
    video_matrix_limit: int
    description_limit: int = MAX_DESCRIPTION_CHARS


@dataclass(frozen=True, slots=True)
class MediaSnapshot:
    """An attachment as one revision of a post showed it (kept in the post's history)."""

    id: int
    description: str | None
    focus: Focus

    @classmethod
    def of(cls, media: MediaAttachment) -> MediaSnapshot:
        return cls(id=media.id, description=media.description, focus=media.focus)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "description": self.description,
            "focus": [self.focus.x, self.focus.y],
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> MediaSnapshot:
        x, y = raw.get("focus") or (0.0, 0.0)
        return cls(id=int(raw["id"]), description=raw.get("description"), focus=Focus(x, y))


@dataclass(frozen=True, slots=True)
class MediaAttributes:
    """``media_attributes[]`` of an edit: a new description or focus for one attachment."""

    id: int
    description: str | None = None
    description_given: bool = False
    focus: Focus | None = None


@dataclass(frozen=True, slots=True)
class MediaEdit:
    """The media part of an edit. ``media_ids`` None: the attachments stay as they are."""

    media_ids: tuple[int, ...] | None = None
    attributes: tuple[MediaAttributes, ...] = ()
