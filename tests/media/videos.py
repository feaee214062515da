"""Test videos, GIF animations and audio made on the fly with ffmpeg (no fixture files),
carrying metadata that processing must drop, and ffprobe to check what comes out.

Tests that need ffmpeg use the ``ffmpeg_tools`` fixture (tests/conftest.py): they skip only
when ffmpeg is missing *and* ``GODWIT_TEST_REQUIRE_SHARED`` is unset; in CI (set) they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

# Written into every test file as global, stream and chapter metadata.
SECRETS = ("SecretTitle", "SecretArtist", "SecretComment", "SecretHandler", "SecretChapter")
LOCATION = "+52.5200+013.4050/"
# What our own output may still say about itself: structure, never the uploader's data.
ALLOWED_FORMAT_TAGS = {"major_brand", "minor_version", "compatible_brands"}
ALLOWED_STREAM_TAGS = {"language", "handler_name", "vendor_id", "encoder"}


def require_ffmpeg() -> None:
    """Skip (on a laptop without ffmpeg) or fail (in CI) when ffmpeg/ffprobe are missing."""
    if shutil.which("ffmpeg") and shutil.which("ffprobe"):
        return
    if os.environ.get("GODWIT_TEST_REQUIRE_SHARED", "") == "1":
        pytest.fail(
            "ffmpeg/ffprobe are not installed but GODWIT_TEST_REQUIRE_SHARED=1 (CI): "
            "video processing must be tested (apt-get install -y --no-install-recommends ffmpeg)"
        )
    pytest.skip(
        "ffmpeg/ffprobe are not installed (apt-get install ffmpeg); skipped only because "
        "GODWIT_TEST_REQUIRE_SHARED is unset — in CI this is a failure"
    )


def _ffmpeg(*args: str) -> None:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args],
        check=True,
        timeout=120,
    )


def _tagged(*extra: str) -> list[str]:
    return [
        "-metadata", "title=SecretTitle",
        "-metadata", "artist=SecretArtist",
        "-metadata", "comment=SecretComment",
        "-metadata", f"location={LOCATION}",
        "-metadata", "creation_time=2001-02-03T04:05:06Z",
        *extra,
    ]  # fmt: skip


def _chapters(directory: Path) -> Path:
    chapters = directory / "chapters.txt"
    chapters.write_text(
        ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=500\ntitle=SecretChapter\n"
    )
    return chapters


def make_video(
    *,
    seconds: float = 1.0,
    size: str = "64x48",
    rate: int = 10,
    audio: bool = True,
    rotate: int | None = None,
    container: str = "mp4",
) -> bytes:
    """A test-pattern video (with a tone), tagged with secrets and a GPS location."""
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        out = directory / f"video.{container}"
        sources = ["-f", "lavfi", "-i", f"testsrc=size={size}:rate={rate}"]
        if audio:
            sources += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"]
        chapters_index = "2" if audio else "1"
        codecs = (
            ["-c:v", "libvpx-vp9", "-c:a", "libopus"]
            if container == "webm"
            else ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac"]
        )
        _ffmpeg(
            *sources,
            "-f", "ffmetadata", "-i", str(_chapters(directory)),
            "-map", "0:v", *(["-map", "1:a"] if audio else []),
            "-map_chapters", chapters_index,
            "-t", str(seconds),
            *_tagged("-metadata:s:v:0", "handler_name=SecretHandler"),
            *codecs,
            str(out),
        )  # fmt: skip
        if rotate is not None:  # a phone's portrait video: landscape pixels, a display matrix
            rotated = directory / f"rotated.{container}"
            _ffmpeg(
                "-i", str(out), "-map", "0", "-c", "copy",
                "-metadata:s:v:0", f"rotate={rotate}", str(rotated),
            )  # fmt: skip
            out = rotated
        return out.read_bytes()


def make_audio(*, seconds: float = 1.0, codec: str = "flac") -> bytes:
    """A tone in FLAC (or WAV with ``codec="pcm_s16le"``), tagged with secrets."""
    extension = "flac" if codec == "flac" else "wav"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"tone.{extension}"
        _ffmpeg(
            "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000",
            "-t", str(seconds), *_tagged(), "-c:a", codec, str(out),
        )  # fmt: skip
        return out.read_bytes()


def make_gif(*, frames: int = 5, size: str = "32x24") -> bytes:
    """An animated GIF (a test pattern at 10 frames per second)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "anim.gif"
        _ffmpeg(
            "-f", "lavfi", "-i", f"testsrc=size={size}:rate=10",
            "-frames:v", str(frames), *_tagged(), str(out),
        )  # fmt: skip
        return out.read_bytes()


def hls_playlist(target: str = "/etc/passwd") -> bytes:
    return (
        "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n"
        f"#EXTINF:10.0,\nfile://{target}\n#EXT-X-ENDLIST\n"
    ).encode()


def concat_playlist(target: str = "/etc/passwd") -> bytes:
    return f"ffconcat version 1.0\nfile '{target}'\n".encode()


def probe(data: bytes) -> dict[str, Any]:
    """ffprobe's view of a file (format, streams, chapters)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "probed"
        path.write_bytes(data)
        answer = subprocess.run(
            [
                "ffprobe", "-v", "error", "-print_format", "json",
                "-show_format", "-show_streams", "-show_chapters", str(path),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )  # fmt: skip
    parsed: dict[str, Any] = json.loads(answer.stdout)
    return parsed


def assert_no_metadata(data: bytes) -> dict[str, Any]:
    """Nothing of the uploader's metadata is left (tags, chapters, GPS, secrets in bytes)."""
    probed = probe(data)
    assert set(probed["format"].get("tags", {})) <= ALLOWED_FORMAT_TAGS, probed["format"]
    for stream in probed["streams"]:
        tags = stream.get("tags", {})
        assert set(tags) <= ALLOWED_STREAM_TAGS, tags
        assert tags.get("handler_name", "VideoHandler") in ("VideoHandler", "SoundHandler")
        assert stream["codec_type"] in ("video", "audio"), stream
    assert probed.get("chapters", []) == []
    for secret in (*SECRETS, LOCATION, "2001-02-03"):
        assert secret.encode() not in data, secret
    return probed
