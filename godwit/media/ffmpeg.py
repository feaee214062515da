"""Video, animated GIF and audio processing with ffmpeg and ffprobe (Debian's ``ffmpeg``).

Every run is a subprocess started without a shell, on a private temporary directory, with
a timeout (the process is killed when it passes), at most ``workers`` transcodes at once,
stdin closed (``-nostdin``), and the input given as a file that may only be read through
the ``file`` protocol by a whitelisted demuxer and decoders: a playlist (HLS, concat…)
naming other files or URLs is refused before anything is opened. Output drops all global,
stream and chapter metadata and every stream but one video and one audio track.

When the tools are missing (or lack the H.264 or AAC encoders), ``available`` is False and
the server runs without video: such uploads get a clear 422.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import logging
import math
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from godwit.domain.errors import Invalid
from godwit.domain.media import PREVIEW_MAX_SIDE, MediaType, media_invalid
from godwit.domain.motion import (
    ALLOWED_FORMATS,
    AUDIO_CODECS,
    OUTPUT_MAX_FRAME_RATE,
    MotionPlan,
    MotionProbe,
    ProcessedMotion,
    preview_size,
)
from godwit.media.ffprobe import parse_probe
from godwit.media.images import blurhash_of

log = logging.getLogger("godwit.media")

# ffmpeg's decoders for the codecs of domain.motion (a codec may have several, and the
# whitelist names decoders): nothing else ever decodes a byte of an upload.
DECODERS = (
    "h264", "hevc", "vp8", "libvpx", "vp9", "libvpx-vp9", "av1", "libdav1d", "libaom-av1",
    "mpeg4", "theora", "gif",
    "aac", "aac_fixed", "mp3", "mp3float", "opus", "libopus", "vorbis", "libvorbis", "flac",
    "alac", *(codec for codec in AUDIO_CODECS if codec.startswith("pcm_")),
)  # fmt: skip
# Before "-i": what ffmpeg/ffprobe may use to read an upload.
INPUT_GUARDS = (
    "-protocol_whitelist", "file",
    "-format_whitelist", ",".join(ALLOWED_FORMATS),
    "-codec_whitelist", ",".join(DECODERS),
)  # fmt: skip
# Nothing of the input's metadata reaches the output; no encoder version strings either.
STRIP = (
    "-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn",
    "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
)  # fmt: skip
VIDEO_MAX_BITRATE = "4M"  # a ceiling over the quality target (-crf)
AUDIO_BITRATE = "192k"
PROBE_TIMEOUT_SECONDS = 30.0
_LOG_TAIL = 600


class ToolFailed(Exception):
    """ffmpeg or ffprobe exited with an error (or was killed at its timeout)."""


@dataclass(frozen=True, slots=True)
class Capabilities:
    available: bool
    mp3: bool = False
    reason: str = ""


@functools.cache
def detect_capabilities(ffmpeg: str | None, ffprobe: str | None) -> Capabilities:
    """Whether the tools exist and have the encoders needed (once per process and path)."""
    if not ffmpeg or not ffprobe:
        return Capabilities(False, reason="ffmpeg or ffprobe is not installed")
    try:
        # An argument list (no shell); the program path comes from the operator's settings.
        listing = subprocess.run(  # noqa: S603
            [ffmpeg, "-hide_banner", "-nostdin", "-encoders"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=20,
            check=True,
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError) as error:
        return Capabilities(False, reason=f"ffmpeg does not run: {error}")
    encoders = {
        match.group(1) for match in re.finditer(r"^ [VAS][A-Z.]{5} (\S+)", listing, re.MULTILINE)
    }
    missing = sorted({"libx264", "aac"} - encoders)
    if missing:
        return Capabilities(False, reason=f"ffmpeg lacks the encoders {', '.join(missing)}")
    return Capabilities(True, mp3="libmp3lame" in encoders)


class FfmpegProcessor:
    def __init__(
        self,
        *,
        ffmpeg: str,
        ffprobe: str,
        workers: int,
        timeout_seconds: float,
    ) -> None:
        self.ffmpeg = shutil.which(ffmpeg) if ffmpeg else None
        self.ffprobe = shutil.which(ffprobe) if ffprobe else None
        self.capabilities = detect_capabilities(self.ffmpeg, self.ffprobe)
        if not self.capabilities.available:
            log.warning(
                "video processing is off (%s): video, GIF animation and audio uploads "
                "will be refused",
                self.capabilities.reason,
            )
        self.timeout_seconds = timeout_seconds
        self._slots = asyncio.Semaphore(max(1, workers))
        self._probe_slots = asyncio.Semaphore(max(1, workers) * 4)

    @property
    def available(self) -> bool:
        return self.capabilities.available

    @property
    def audio_content_type(self) -> str:
        return "audio/mpeg" if self.capabilities.mp3 else "audio/mp4"

    async def probe(self, data: bytes) -> MotionProbe:
        async with self._probe_slots:
            with tempfile.TemporaryDirectory(prefix="godwit-media-") as tmp:
                workdir = Path(tmp)
                source = await _write(workdir / "input", data)
                return await self._probe_file(workdir, source)

    async def process(self, data: bytes, plan: MotionPlan) -> ProcessedMotion:
        async with self._slots:
            with tempfile.TemporaryDirectory(prefix="godwit-media-") as tmp:
                workdir = Path(tmp)
                source = await _write(workdir / "input", data)
                return await self._process(workdir, source, plan)

    async def _process(self, workdir: Path, source: Path, plan: MotionPlan) -> ProcessedMotion:
        audio_only = plan.type is MediaType.AUDIO
        content_type = self.audio_content_type if audio_only else "video/mp4"
        output = workdir / "output"
        args = [
            *self._ffmpeg_head(),
            *INPUT_GUARDS,
            "-i",
            f"file:{source}",
            *(self._audio_args(plan) if audio_only else self._video_args(plan)),
            *output_limits(plan),
            f"file:{output}",
        ]
        await self._run(args, workdir, self.timeout_seconds, "transcoding")
        result = await self._probe_file(workdir, output)
        video = result.first("video")
        preview: bytes | None = None
        preview_width = preview_height = 0
        blurhash = None
        if video is not None:
            still = await self._still(workdir, output, video.width, video.height, plan.duration)
            preview, preview_width, preview_height, blurhash = await asyncio.to_thread(
                _jpeg_preview, still
            )
        return ProcessedMotion(
            type=plan.type,
            data=await asyncio.to_thread(output.read_bytes),
            content_type=content_type,
            width=video.width if video else 0,
            height=video.height if video else 0,
            preview=preview,
            preview_width=preview_width,
            preview_height=preview_height,
            blurhash=blurhash,
            motion=result.meta(),
        )

    def _ffmpeg_head(self) -> list[str]:
        assert self.ffmpeg is not None
        return [self.ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]

    def _video_args(self, plan: MotionPlan) -> list[str]:
        args = ["-map", f"0:{plan.video_stream}"]
        if plan.audio_stream is not None:
            args += ["-map", f"0:{plan.audio_stream}"]
        args += [
            *STRIP,
            "-vf", f"scale={plan.width}:{plan.height}",
            "-fpsmax", str(OUTPUT_MAX_FRAME_RATE),
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
            "-maxrate", VIDEO_MAX_BITRATE, "-bufsize", "8M", "-pix_fmt", "yuv420p",
        ]  # fmt: skip
        if plan.audio_stream is not None:
            args += ["-c:a", "aac", "-b:a", "128k", "-ac", "2"]
        else:
            args += ["-an"]
        return [*args, "-movflags", "+faststart", "-f", "mp4"]

    def _audio_args(self, plan: MotionPlan) -> list[str]:
        args = ["-map", f"0:{plan.audio_stream}", "-vn", *STRIP, "-ac", "2", "-ar", "44100"]
        if self.capabilities.mp3:
            # No ID3 tag at all (it would only carry the encoder's name).
            codec = ["-c:a", "libmp3lame", "-id3v2_version", "0", "-f", "mp3"]
        else:
            codec = ["-c:a", "aac", "-movflags", "+faststart", "-f", "mp4"]
        return [*args, "-b:a", AUDIO_BITRATE, *codec]

    async def _still(
        self, workdir: Path, video: Path, width: int, height: int, duration: float
    ) -> bytes:
        """One frame of our own output (a second in, or the middle of a short clip)."""
        target = workdir / "still.png"
        small_width, small_height = preview_size(width, height, PREVIEW_MAX_SIDE)
        for offset in (min(1.0, duration / 2), 0.0):
            args = [
                *self._ffmpeg_head(),
                *INPUT_GUARDS,
                "-ss", f"{offset:.3f}",
                "-i", f"file:{video}",
                "-frames:v", "1", "-an",
                "-vf", f"scale={small_width}:{small_height}",
                "-f", "image2", "-c:v", "png",
                f"file:{target}",
            ]  # fmt: skip
            await self._run(args, workdir, PROBE_TIMEOUT_SECONDS, "making the preview")
            if target.is_file() and target.stat().st_size:
                return await asyncio.to_thread(target.read_bytes)
        raise media_invalid("file", "could not be processed: no frame could be read")

    async def _probe_file(self, workdir: Path, path: Path) -> MotionProbe:
        assert self.ffprobe is not None
        args = [
            self.ffprobe,
            "-hide_banner",
            "-v",
            "error",
            *INPUT_GUARDS,
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            "-i",
            f"file:{path}",
        ]
        probe = parse_probe(await self._run(args, workdir, PROBE_TIMEOUT_SECONDS, "reading"))
        if probe is None:
            raise media_invalid("file", "could not be processed as video or audio")
        return probe

    async def _run(self, args: Sequence[str], workdir: Path, seconds: float, doing: str) -> bytes:
        """Run one tool; its stdout. ``Invalid`` when it fails on the input or times out."""
        log_path = workdir / "tool.log"
        with log_path.open("ab") as log_file:
            process = await asyncio.create_subprocess_exec(
                *args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log_file,
                cwd=workdir,
            )
        try:
            async with asyncio.timeout(seconds):
                stdout, _ = await process.communicate()
        except TimeoutError:
            log.warning("%s media took longer than %.0fs; stopped", doing, seconds)
            raise media_invalid(
                "file", f"could not be processed: {doing} it took too long"
            ) from None
        finally:
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        if process.returncode != 0:
            detail = _tail(log_path)
            log.info("%s media failed (exit %s): %s", doing, process.returncode, detail)
            raise media_invalid("file", "could not be processed as video or audio")
        return stdout


async def _write(path: Path, data: bytes) -> Path:
    await asyncio.to_thread(path.write_bytes, data)
    return path


def _tail(path: Path) -> str:
    try:
        data = path.read_bytes()[-_LOG_TAIL:]
    except OSError:
        return ""
    return data.decode("utf-8", "replace").strip()


def _jpeg_preview(still: bytes) -> tuple[bytes, int, int, str | None]:
    """The still re-encoded by Pillow (nothing of ffmpeg's container kept), and its hash."""
    try:
        with Image.open(io.BytesIO(still), formats=["PNG"]) as frame:
            image = frame.convert("RGB")
    except (OSError, ValueError) as error:
        raise Invalid("Validation failed: file could not be processed") from error
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue(), image.width, image.height, blurhash_of(image)


def output_limits(plan: MotionPlan) -> list[str]:
    """Caps on what ffmpeg writes, whatever the input's headers claimed: its length (a
    forged duration cannot make hours of output), its frames and its bytes (``-fs``, from
    the bitrate ceilings over that length, with room for container overhead)."""
    seconds = plan.duration + 1.0
    bits_per_second = 250_000 if plan.type is MediaType.AUDIO else 4_500_000
    max_bytes = int(seconds * bits_per_second / 8 * 1.5) + 2_000_000
    limits = ["-t", f"{seconds:.3f}", "-fs", str(max_bytes)]
    if plan.type is not MediaType.AUDIO:
        limits += ["-frames:v", str(math.ceil(seconds * OUTPUT_MAX_FRAME_RATE))]
    return limits
