"""The Pillow image processor: metadata stripped, profile kept, orientation, limits."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import ExifTags, Image

from godwit.domain.errors import Invalid
from godwit.domain.media import AnimatedImage, ImagePurpose
from godwit.media.images import PillowImageProcessor
from tests.media.images import animated_gif, gif, jpeg_with_gps, png, png_bomb


@pytest.fixture
def processor() -> Iterator[PillowImageProcessor]:
    pillow_guard = Image.MAX_IMAGE_PIXELS  # process-wide: put back for later tests
    made = PillowImageProcessor(max_bytes=1_000_000, max_pixels=200 * 100, workers=1)
    yield made
    made.shutdown()
    Image.MAX_IMAGE_PIXELS = pillow_guard


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


async def test_gps_exif_xmp_and_comment_are_dropped_and_icc_kept(
    processor: PillowImageProcessor,
) -> None:
    original = jpeg_with_gps()
    assert b"SecretCamera" in original
    assert b"secret-xmp-author" in original
    profile = _open(original).info["icc_profile"]
    assert profile
    result = await processor.process(original, ImagePurpose.ATTACHMENT)
    for data in (result.data, result.preview):
        cleaned = _open(data)
        assert len(cleaned.getexif()) == 0
        assert ExifTags.IFD.GPSInfo not in cleaned.getexif()
        assert "exif" not in cleaned.info
        assert "xmp" not in cleaned.info
        assert "comment" not in cleaned.info
        assert cleaned.info.get("icc_profile") == profile
        for secret in (b"SecretCamera", b"secret-xmp-author", b"secret-comment", b"Exif\x00"):
            assert secret not in data
    assert result.content_type == "image/jpeg"


async def test_orientation_is_applied(processor: PillowImageProcessor) -> None:
    # Orientation 6: the stored 80x40 image is shown rotated 90 degrees clockwise.
    result = await processor.process(jpeg_with_gps(orientation=6), ImagePurpose.ATTACHMENT)
    assert (result.width, result.height) == (40, 80)
    upright = _open(result.data).convert("RGB")
    top, bottom = upright.getpixel((20, 5)), upright.getpixel((20, 75))
    assert isinstance(top, tuple)
    assert isinstance(bottom, tuple)
    assert top[0] > 200
    assert top[2] < 60
    assert bottom[2] > 200
    assert bottom[0] < 60


async def test_large_images_are_scaled_to_the_pixel_limit(
    processor: PillowImageProcessor,
) -> None:
    result = await processor.process(png((400, 200)), ImagePurpose.ATTACHMENT)
    assert result.width * result.height <= 200 * 100
    assert abs(result.width / result.height - 2.0) < 0.05
    assert result.blurhash is not None
    assert len(result.blurhash) >= 6
    assert max(result.preview_width, result.preview_height) <= 640


async def test_avatar_and_header_are_cropped_to_their_sizes(
    processor: PillowImageProcessor,
) -> None:
    avatar = await processor.process(png((120, 90), mode="RGB"), ImagePurpose.AVATAR)
    header = await processor.process(png((120, 90), mode="RGB"), ImagePurpose.HEADER)
    assert (avatar.width, avatar.height) == (400, 400)
    assert (header.width, header.height) == (1500, 500)


async def test_decompression_bomb_is_refused_before_decoding(
    processor: PillowImageProcessor,
) -> None:
    bomb = png_bomb()
    assert len(bomb) < 500
    with pytest.raises(Invalid, match="too many pixels"):
        await processor.process(bomb, ImagePurpose.ATTACHMENT)


async def test_truncated_file_is_refused(processor: PillowImageProcessor) -> None:
    whole = jpeg_with_gps((300, 200))
    with pytest.raises(Invalid, match="could not be processed"):
        await processor.process(whole[: len(whole) // 2], ImagePurpose.ATTACHMENT)


@pytest.mark.parametrize(
    "data",
    [b"not an image at all", b"%PDF-1.4 something", b""],
)
async def test_non_images_are_refused(processor: PillowImageProcessor, data: bytes) -> None:
    with pytest.raises(Invalid):
        await processor.process(data, ImagePurpose.ATTACHMENT)


async def test_a_still_gif_becomes_a_png(processor: PillowImageProcessor) -> None:
    result = await processor.process(gif(), ImagePurpose.ATTACHMENT)
    assert result.content_type == "image/png"
    assert _open(result.data).format == "PNG"
    assert (result.width, result.height) == (8, 8)


async def test_an_animated_gif_is_handed_to_video_processing(
    processor: PillowImageProcessor,
) -> None:
    with pytest.raises(AnimatedImage):
        await processor.process(animated_gif(), ImagePurpose.ATTACHMENT)
    # As an avatar, its first frame is kept (a processor whose limit allows 400x400).
    roomy = PillowImageProcessor(max_bytes=1_000_000, max_pixels=400 * 400, workers=1)
    try:
        avatar = await roomy.process(animated_gif(), ImagePurpose.AVATAR)
    finally:
        roomy.shutdown()
    assert _open(avatar.data).size == (400, 400)
    assert getattr(_open(avatar.data), "is_animated", False) is False


async def test_a_video_is_not_an_image(processor: PillowImageProcessor) -> None:
    mp4_head = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32
    with pytest.raises(Invalid, match="could not be processed as an image"):
        await processor.process(mp4_head, ImagePurpose.ATTACHMENT)


async def test_oversize_upload_is_refused(processor: PillowImageProcessor) -> None:
    with pytest.raises(Invalid, match="too large"):
        await processor.process(b"\xff\xd8\xff" + b"\x00" * 1_000_001, ImagePurpose.ATTACHMENT)
