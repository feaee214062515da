"""Video, animated GIF and audio uploads: what may be processed, and into what.

The rules here are pure: the ffmpeg adapter reports what ffprobe read from a file's headers
(a ``MotionProbe``) and ``plan_motion`` decides, before any frame is decoded, whether it is
within the limits and what it becomes (a ``MotionPlan``): type, output size, streams kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from godwit.domain.errors import Invalid
from godwit.domain.media import MediaType, MotionMeta, media_invalid

# Demuxers ffmpeg may use on an upload (ffmpeg's -format_whitelist). Playlists and
# indirections (hls, concat, …) are absent on purpose: they open other files.
ALLOWED_FORMATS = ("mov", "matroska", "gif", "ogg", "wav", "mp3", "flac")
VIDEO_CODECS = ("h264", "hevc", "vp8", "vp9", "av1", "mpeg4", "theora", "gif")
AUDIO_CODECS = (
    "aac", "mp3", "opus", "vorbis", "flac", "alac",
    "pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_f32le", "pcm_u8", "pcm_s16be",
)  # fmt: skip
# What apps may offer to upload when video processing is available (Mastodon's names).
MOTION_MIME_TYPES = (
    "image/gif", "video/mp4", "video/quicktime", "video/webm", "video/ogg",
    "audio/mpeg", "audio/mp3", "audio/ogg", "audio/vorbis", "audio/wav", "audio/wave",
    "audio/x-wav", "audio/flac", "audio/mp4", "audio/m4a", "audio/x-m4a", "audio/webm",
)  # fmt: skip
# Like images, videos up to 4x the advertised pixel limit are accepted and scaled down.
HARD_PIXEL_FACTOR = 4
MAX_SIDE = 8192
OUTPUT_MAX_FRAME_RATE = 60  # higher frame rates are accepted (up to the limit) and capped
MOTION_UNAVAILABLE = "video processing is not available on this server"


class UploadKind(StrEnum):
    IMAGE = "image"  # JPEG, PNG, WebP, or anything else Pillow will judge
    GIF = "gif"  # a still GIF stays an image; an animated one becomes gifv
    MOTION = "motion"  # a video or audio container, for ffmpeg


_IMAGE_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"avif", b"avis")


def classify_upload(data: bytes) -> UploadKind:
    """Which pipeline an upload goes to, from its first bytes (never its file name or the
    content type the client claims). Text playlists fall to Pillow, which refuses them."""
    head = data[:16]
    if head.startswith((b"GIF87a", b"GIF89a")):
        return UploadKind.GIF
    if head[4:8] == b"ftyp":
        return UploadKind.IMAGE if head[8:12] in _IMAGE_BRANDS else UploadKind.MOTION
    if head.startswith(b"RIFF"):
        return UploadKind.IMAGE if head[8:12] == b"WEBP" else UploadKind.MOTION
    if head.startswith((b"\x1a\x45\xdf\xa3", b"OggS", b"fLaC", b"ID3")):
        return UploadKind.MOTION
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:  # an MPEG audio frame
        return UploadKind.MOTION
    return UploadKind.IMAGE


@dataclass(frozen=True, slots=True)
class ProbedStream:
    index: int
    kind: str  # video | audio | other (subtitles, data, attachments)
    codec: str
    width: int = 0
    height: int = 0
    frame_rate: Fraction | None = None  # the average rate, else the container's guess
    frames: int | None = None
    rotation: int = 0  # degrees, from the display matrix
    cover_art: bool = False  # a still picture attached to an audio file
    sample_rate: int | None = None
    channels: int | None = None


@dataclass(frozen=True, slots=True)
class MotionProbe:
    """What ffprobe read from a file's headers (no frame decoded)."""

    format_name: str
    duration: float | None
    bitrate: int | None
    streams: tuple[ProbedStream, ...]

    def first(self, kind: str) -> ProbedStream | None:
        return next(
            (s for s in self.streams if s.kind == kind and not s.cover_art),
            None,
        )

    def meta(self) -> MotionMeta:
        """The Mastodon ``meta`` facts of a (processed) file."""
        video, audio = self.first("video"), self.first("audio")
        rate = video.frame_rate if video is not None else None
        return MotionMeta(
            duration=round(self.duration or 0.0, 3),
            bitrate=self.bitrate,
            frame_rate=f"{rate.numerator}/{rate.denominator}" if rate else None,
            audio_codec=audio.codec if audio else None,
            audio_sample_rate=audio.sample_rate if audio else None,
            audio_channels=audio.channels if audio else None,
        )


@dataclass(frozen=True, slots=True)
class MotionLimits:
    max_bytes: int
    max_pixels: int  # advertised (video_matrix_limit); output is scaled down to it
    max_frame_rate: int  # advertised (video_frame_rate_limit); above it, refused
    max_seconds: int
    max_frames: int

    @property
    def hard_pixel_limit(self) -> int:
        return self.max_pixels * HARD_PIXEL_FACTOR


@dataclass(frozen=True, slots=True)
class MotionPlan:
    """What one upload becomes: the processor follows it to the letter."""

    type: MediaType  # video, gifv or audio
    video_stream: int | None  # stream indexes kept; everything else is dropped
    audio_stream: int | None
    width: int  # output size (even numbers), 0 for audio
    height: int
    duration: float


@dataclass(frozen=True, slots=True)
class ProcessedMotion:
    """A transcoded file, metadata stripped, with its preview still (none for audio)."""

    type: MediaType
    data: bytes
    content_type: str
    width: int
    height: int
    preview: bytes | None
    preview_width: int
    preview_height: int
    blurhash: str | None
    motion: MotionMeta

    @property
    def extension(self) -> str:
        return {"video/mp4": "mp4", "audio/mpeg": "mp3", "audio/mp4": "m4a"}[self.content_type]


def _file_invalid(description: str) -> Invalid:
    return media_invalid("file", description)


def plan_motion(probe: MotionProbe, limits: MotionLimits) -> MotionPlan:
    """Check a probed upload against the limits and decide what it becomes; raises
    ``Invalid`` (a 422 naming the limit) for anything outside them."""
    if not any(name in ALLOWED_FORMATS for name in probe.format_name.split(",")):
        raise _file_invalid("is not a supported video or audio format")
    duration = probe.duration or 0.0
    if not math.isfinite(duration) or duration <= 0:
        raise _file_invalid("could not be processed: it has no duration")
    if duration > limits.max_seconds:
        raise _file_invalid(f"is too long (maximum is {limits.max_seconds} seconds)")
    video, audio = probe.first("video"), probe.first("audio")
    if audio is not None and audio.codec not in AUDIO_CODECS:
        raise _file_invalid(f"uses an unsupported audio codec ({audio.codec})")
    if video is None:
        if audio is None:
            raise _file_invalid("has no video or audio stream")
        return MotionPlan(MediaType.AUDIO, None, audio.index, 0, 0, duration)
    _check_video(video, duration, limits)
    gif = "gif" in probe.format_name.split(",")
    width, height = output_size(video, limits.max_pixels)
    return MotionPlan(
        type=MediaType.GIFV if gif else MediaType.VIDEO,
        video_stream=video.index,
        audio_stream=None if gif or audio is None else audio.index,
        width=width,
        height=height,
        duration=duration,
    )


def _check_video(video: ProbedStream, duration: float, limits: MotionLimits) -> None:
    if video.codec not in VIDEO_CODECS:
        raise _file_invalid(f"uses an unsupported video codec ({video.codec})")
    if video.width < 1 or video.height < 1:
        raise _file_invalid("could not be processed: it has no picture size")
    if (
        video.width * video.height > limits.hard_pixel_limit
        or max(video.width, video.height) > MAX_SIDE
    ):
        raise _file_invalid(f"is too large (maximum is {limits.hard_pixel_limit} pixels per frame)")
    rate = video.frame_rate
    if rate is not None and rate > limits.max_frame_rate:
        raise _file_invalid(
            f"has too high a frame rate (maximum is {limits.max_frame_rate} frames per second)"
        )
    frames = video.frames or (math.ceil(duration * float(rate)) if rate else 0)
    if frames > limits.max_frames:
        raise _file_invalid(f"has too many frames (maximum is {limits.max_frames})")


def output_size(video: ProbedStream, max_pixels: int) -> tuple[int, int]:
    """Upright size (rotation applied), scaled down to ``max_pixels``, in even numbers (the
    H.264 4:2:0 encoder needs them)."""
    width, height = video.width, video.height
    if abs(video.rotation) % 180 == 90:
        width, height = height, width
    scale = min(1.0, math.sqrt(max_pixels / (width * height)))
    return _even(width * scale), _even(height * scale)


def _even(value: float) -> int:
    return max(2, int(value) // 2 * 2)


def preview_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    scale = min(1.0, max_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))
