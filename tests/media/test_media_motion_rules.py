"""Video and audio rules without ffmpeg: routing by magic bytes, limits, output sizes,
reading ffprobe's JSON defensively, Mastodon's ``meta``, and running without the tools."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction

import pytest

from godwit.domain.errors import Invalid
from godwit.domain.media import MediaAttachment, MediaType, MotionMeta, ProcessingState
from godwit.domain.motion import (
    MotionLimits,
    MotionProbe,
    ProbedStream,
    UploadKind,
    classify_upload,
    output_size,
    plan_motion,
)
from godwit.media.ffmpeg import FfmpegProcessor
from godwit.media.ffprobe import parse_probe

LIMITS = MotionLimits(
    max_bytes=1_000_000, max_pixels=1920 * 1080, max_frame_rate=120, max_seconds=60,
    max_frames=36_000,
)  # fmt: skip


def _video(**changes: object) -> ProbedStream:
    fields: dict[str, object] = {
        "index": 0, "kind": "video", "codec": "h264", "width": 1280, "height": 720,
        "frame_rate": Fraction(30),
    }  # fmt: skip
    fields.update(changes)
    return ProbedStream(**fields)  # type: ignore[arg-type]


def _audio(codec: str = "aac", index: int = 1) -> ProbedStream:
    return ProbedStream(index=index, kind="audio", codec=codec, sample_rate=44100, channels=2)


def _probe(*streams: ProbedStream, fmt: str = "mov,mp4,m4a", seconds: float = 5.0) -> MotionProbe:
    return MotionProbe(format_name=fmt, duration=seconds, bitrate=100_000, streams=streams)


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0rest", UploadKind.IMAGE),
        (b"\x89PNG\r\n\x1a\nrest", UploadKind.IMAGE),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", UploadKind.IMAGE),
        (b"\x00\x00\x00\x18ftypheic", UploadKind.IMAGE),
        (b"GIF89a....", UploadKind.GIF),
        (b"\x00\x00\x00\x18ftypmp42", UploadKind.MOTION),
        (b"\x00\x00\x00\x14ftypqt  ", UploadKind.MOTION),
        (b"\x1a\x45\xdf\xa3webm", UploadKind.MOTION),
        (b"OggS\x00\x02", UploadKind.MOTION),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", UploadKind.MOTION),
        (b"ID3\x04\x00", UploadKind.MOTION),
        (b"\xff\xfb\x90\x00", UploadKind.MOTION),
        (b"fLaC\x00", UploadKind.MOTION),
        # Playlists are text: Pillow refuses them (never handed to ffmpeg).
        (b"#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd", UploadKind.IMAGE),
        (b"ffconcat version 1.0\nfile /etc/passwd", UploadKind.IMAGE),
    ],
)
def test_uploads_are_routed_by_their_first_bytes(head: bytes, kind: UploadKind) -> None:
    assert classify_upload(head) is kind


def test_a_video_plan_keeps_one_video_and_one_audio_stream() -> None:
    subtitles = ProbedStream(index=2, kind="other", codec="mov_text")
    plan = plan_motion(_probe(_video(), _audio(), subtitles), LIMITS)
    assert (plan.type, plan.video_stream, plan.audio_stream) == (MediaType.VIDEO, 0, 1)
    assert (plan.width, plan.height) == (1280, 720)


def test_gif_is_gifv_without_audio_and_audio_only_is_audio() -> None:
    gif = plan_motion(_probe(_video(codec="gif"), fmt="gif"), LIMITS)
    assert (gif.type, gif.audio_stream) == (MediaType.GIFV, None)
    cover = _video(index=1, codec="mjpeg", cover_art=True)  # album art is not a video
    audio = plan_motion(_probe(_audio(index=0), cover, fmt="mp3"), LIMITS)
    assert (audio.type, audio.video_stream, audio.audio_stream) == (MediaType.AUDIO, None, 0)


@pytest.mark.parametrize(
    ("probe", "message"),
    [
        (_probe(_video(), fmt="hls"), "not a supported video or audio format"),
        (_probe(_video(), fmt="concat"), "not a supported video or audio format"),
        (_probe(_video(codec="prores")), "unsupported video codec"),
        (_probe(_video(), _audio(codec="dts")), "unsupported audio codec"),
        (_probe(ProbedStream(index=0, kind="other", codec="bin_data")), "no video or audio"),
        (_probe(_video(), seconds=61), "too long"),
        (_probe(_video(), seconds=0), "no duration"),
        (_probe(_video(width=0)), "no picture size"),
        (_probe(_video(width=7680, height=4320)), "too large"),
        (_probe(_video(width=9000, height=10)), "too large"),
        (_probe(_video(frame_rate=Fraction(240))), "frame rate"),
        (_probe(_video(frames=40_000)), "too many frames"),
    ],
)
def test_what_is_refused_before_decoding(probe: MotionProbe, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        plan_motion(probe, LIMITS)


def test_output_size_is_upright_scaled_and_even() -> None:
    assert output_size(_video(width=1920, height=1080), 1920 * 1080) == (1920, 1080)
    assert output_size(_video(width=1920, height=1080, rotation=-90), 10**9) == (1080, 1920)
    width, height = output_size(_video(width=3840, height=2160), 1920 * 1080)
    assert width * height <= 1920 * 1080
    assert (width % 2, height % 2) == (0, 0)
    assert output_size(_video(width=3, height=3), 10**9) == (2, 2)


def test_ffprobe_output_is_read_defensively() -> None:
    assert parse_probe(b"not json") is None
    assert parse_probe(b"[]") is None
    assert parse_probe(b'{"streams": []}') is None
    hostile = {
        "format": {"format_name": "mov,mp4", "duration": "nan", "bit_rate": "x"},
        "streams": [
            "junk",
            {"codec_type": "video", "codec_name": "h264"},  # no index: dropped
            {
                "index": 0, "codec_type": "video", "codec_name": "h264", "width": "64",
                "height": 48, "avg_frame_rate": "0/0", "r_frame_rate": "25/1",
                "side_data_list": [{"rotation": -90}], "disposition": {"attached_pic": 0},
            },
        ],
    }  # fmt: skip
    probe = parse_probe(json.dumps(hostile).encode())
    assert probe is not None
    assert (probe.duration, probe.bitrate) == (None, None)
    (video,) = probe.streams
    assert (video.width, video.height, video.rotation) == (64, 48, -90)
    assert video.frame_rate == Fraction(25)


def test_meta_follows_mastodon_for_video_and_audio() -> None:
    motion = MotionMeta(
        duration=88.65, bitrate=862_056, frame_rate="30000/1001", audio_codec="aac",
        audio_sample_rate=44100, audio_channels=2,
    )  # fmt: skip
    video = MediaAttachment(
        id=1, account_id=1, type=MediaType.VIDEO, file_key="k", preview_key="p",
        content_type="video/mp4", file_size=1, width=1280, height=720, preview_width=640,
        preview_height=360, created_at=dt.datetime.now(dt.UTC), motion=motion,
    )  # fmt: skip
    meta = video.meta()
    assert meta["length"] == "0:01:28.65"
    assert (meta["duration"], meta["fps"], meta["size"]) == (88.65, 30, "1280x720")
    assert meta["audio_channels"] == "stereo"
    assert meta["original"]["frame_rate"] == "30000/1001"
    assert meta["small"]["size"] == "640x360"
    audio = MediaAttachment(
        id=2, account_id=1, type=MediaType.AUDIO, file_key="k", preview_key=None,
        content_type="audio/mpeg", file_size=1, width=0, height=0, preview_width=0,
        preview_height=0, created_at=dt.datetime.now(dt.UTC), motion=motion,
    )  # fmt: skip
    assert audio.meta()["original"] == {"duration": 88.65, "bitrate": 862_056}
    assert "small" not in audio.meta()
    queued = MediaAttachment(
        id=3, account_id=1, type=MediaType.VIDEO, file_key="k", preview_key=None,
        content_type="video/mp4", file_size=0, width=0, height=0, preview_width=0,
        preview_height=0, created_at=dt.datetime.now(dt.UTC),
        processing=ProcessingState.QUEUED, upload_key="pending/3-x/upload",
    )  # fmt: skip
    assert queued.meta() == {"focus": {"x": 0.0, "y": 0.0}}
    assert "pending/3-x/upload" in queued.keys


def test_without_the_tools_video_processing_is_unavailable() -> None:
    missing = FfmpegProcessor(
        ffmpeg="/nonexistent/ffmpeg", ffprobe="ffprobe", workers=1, timeout_seconds=5
    )
    assert missing.available is False
    no_probe = FfmpegProcessor(ffmpeg="ffmpeg", ffprobe="", workers=1, timeout_seconds=5)
    assert no_probe.available is False
