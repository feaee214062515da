"""The ffmpeg processor on real files made by ffmpeg: transcoding, metadata stripped,
rotation, resizing, previews, GIF to gifv, audio, limits, hostile playlists, timeouts."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from godwit.domain.errors import Invalid
from godwit.domain.media import MediaType
from godwit.domain.motion import MotionLimits, MotionPlan, MotionProbe, ProbedStream, plan_motion
from godwit.media.ffmpeg import FfmpegProcessor, output_limits
from tests.media.videos import (
    assert_no_metadata,
    concat_playlist,
    hls_playlist,
    make_audio,
    make_gif,
    make_video,
    probe,
    require_ffmpeg,
)

LIMITS = MotionLimits(
    max_bytes=10_000_000, max_pixels=64 * 48, max_frame_rate=30, max_seconds=5, max_frames=500
)


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_ffmpeg()


@pytest.fixture
def processor() -> FfmpegProcessor:
    return FfmpegProcessor(ffmpeg="ffmpeg", ffprobe="ffprobe", workers=1, timeout_seconds=60)


async def _probe_and_plan(
    processor: FfmpegProcessor, data: bytes, limits: MotionLimits = LIMITS
) -> MotionPlan:
    return plan_motion(await processor.probe(data), limits)


async def test_video_is_transcoded_to_h264_aac_mp4_without_any_metadata(
    processor: FfmpegProcessor,
) -> None:
    original = make_video(seconds=1.0)
    assert b"SecretTitle" in original  # the input does carry what must go
    plan = await _probe_and_plan(processor, original)
    assert plan.type is MediaType.VIDEO
    result = await processor.process(original, plan)

    assert result.content_type == "video/mp4"
    probed = assert_no_metadata(result.data)
    video, audio = probed["streams"]
    assert (video["codec_name"], video["pix_fmt"]) == ("h264", "yuv420p")
    assert audio["codec_name"] == "aac"
    assert len(probed["streams"]) == 2  # the chapter text track is gone
    assert result.data.index(b"moov") < result.data.index(b"mdat")  # faststart
    assert (result.width, result.height) == (64, 48)
    assert result.motion.frame_rate == "10/1"
    assert 0.9 <= result.motion.duration <= 1.2
    assert result.motion.audio_codec == "aac"
    assert result.preview is not None
    still = Image.open(io.BytesIO(result.preview))
    assert still.format == "JPEG"
    assert still.size == (result.preview_width, result.preview_height) == (64, 48)
    assert result.blurhash


async def test_webm_is_accepted_and_converted(processor: FfmpegProcessor) -> None:
    original = make_video(container="webm")
    result = await processor.process(original, await _probe_and_plan(processor, original))
    codecs = [stream["codec_name"] for stream in assert_no_metadata(result.data)["streams"]]
    assert codecs == ["h264", "aac"]


async def test_a_rotated_phone_video_comes_out_upright(processor: FfmpegProcessor) -> None:
    original = make_video(rotate=90)
    plan = await _probe_and_plan(processor, original)
    assert (plan.width, plan.height) == (48, 64)
    result = await processor.process(original, plan)
    video = probe(result.data)["streams"][0]
    assert (video["width"], video["height"]) == (48, 64)
    assert "side_data_list" not in video  # no display matrix left to rotate it again


async def test_large_video_is_scaled_down_to_the_limit_in_even_sizes(
    processor: FfmpegProcessor,
) -> None:
    original = make_video(size="120x90")  # 10800 pixels: above 3072, within 4x 3072
    plan = await _probe_and_plan(processor, original)
    result = await processor.process(original, plan)
    assert result.width * result.height <= LIMITS.max_pixels
    assert (result.width % 2, result.height % 2) == (0, 0)
    assert abs(result.width / result.height - 120 / 90) < 0.05


async def test_animated_gif_becomes_a_silent_gifv(processor: FfmpegProcessor) -> None:
    original = make_gif(frames=5)
    plan = await _probe_and_plan(processor, original)
    assert plan.type is MediaType.GIFV
    result = await processor.process(original, plan)
    probed = assert_no_metadata(result.data)
    assert [stream["codec_type"] for stream in probed["streams"]] == ["video"]
    assert result.type is MediaType.GIFV
    assert result.preview is not None


async def test_audio_becomes_untagged_mp3(processor: FfmpegProcessor) -> None:
    original = make_audio(seconds=1.0)
    assert b"SecretArtist" in original
    plan = await _probe_and_plan(processor, original)
    assert plan.type is MediaType.AUDIO
    result = await processor.process(original, plan)
    assert result.content_type == processor.audio_content_type == "audio/mpeg"
    assert not result.data.startswith(b"ID3")  # no ID3 tag at all
    probed = assert_no_metadata(result.data)
    assert [stream["codec_name"] for stream in probed["streams"]] == ["mp3"]
    assert (result.preview, result.blurhash) == (None, None)
    assert result.motion.audio_sample_rate == 44100


async def test_wav_audio_is_accepted(processor: FfmpegProcessor) -> None:
    original = make_audio(codec="pcm_s16le")
    result = await processor.process(original, await _probe_and_plan(processor, original))
    assert result.type is MediaType.AUDIO


@pytest.mark.parametrize("playlist", [hls_playlist(), concat_playlist()], ids=["hls", "concat"])
async def test_playlists_naming_other_files_are_refused(
    processor: FfmpegProcessor, playlist: bytes
) -> None:
    with pytest.raises(Invalid, match="could not be processed"):
        await processor.probe(playlist)
    # Even with a plan made up for it, ffmpeg never opens it as a playlist.
    stream = ProbedStream(index=0, kind="video", codec="h264", width=64, height=48)
    made_up = plan_motion(MotionProbe("mov,mp4", 1.0, None, (stream,)), LIMITS)
    with pytest.raises(Invalid, match="could not be processed"):
        await processor.process(playlist, made_up)


async def test_truncated_video_is_refused(processor: FfmpegProcessor) -> None:
    whole = make_video()
    with pytest.raises(Invalid):
        await _probe_and_plan(processor, whole[: len(whole) // 3])


async def test_limits_are_checked_from_the_headers(processor: FfmpegProcessor) -> None:
    two_seconds = make_video(seconds=2.0)
    with pytest.raises(Invalid, match="too long"):
        await _probe_and_plan(processor, two_seconds, replace(LIMITS, max_seconds=1))
    with pytest.raises(Invalid, match="too many frames"):
        await _probe_and_plan(processor, two_seconds, replace(LIMITS, max_frames=15))
    with pytest.raises(Invalid, match="frame rate"):
        await _probe_and_plan(processor, make_video(rate=60))
    with pytest.raises(Invalid, match="too large"):
        await _probe_and_plan(processor, make_video(size="320x240"))  # 25x the limit


async def test_a_run_past_its_timeout_is_stopped_and_refused() -> None:
    slow = FfmpegProcessor(ffmpeg="ffmpeg", ffprobe="ffprobe", workers=1, timeout_seconds=0.001)
    original = make_video(seconds=2.0)
    plan = await _probe_and_plan(slow, original)  # probing has its own, longer timeout
    with pytest.raises(Invalid, match="took too long"):
        await slow.process(original, plan)


def test_output_is_capped_by_the_planned_length_not_the_input_headers() -> None:
    video = MotionPlan(
        type=MediaType.VIDEO, video_stream=0, audio_stream=None, width=640, height=360, duration=9.5
    )
    args = output_limits(video)
    assert args[args.index("-t") + 1] == "10.500"
    assert int(args[args.index("-frames:v") + 1]) == 630  # 10.5 s at the 60 fps output cap
    assert 0 < int(args[args.index("-fs") + 1]) < 12_000_000
    audio = output_limits(
        MotionPlan(
            type=MediaType.AUDIO, video_stream=None, audio_stream=0, width=0, height=0, duration=600
        )
    )
    assert "-frames:v" not in audio
    assert int(audio[audio.index("-fs") + 1]) < 32_000_000  # not hundreds of MB of hours
