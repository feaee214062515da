"""Image processing with Pillow: check before decoding, clean, re-encode, preview, blurhash.

The order matters for safety: the byte size and the format are checked from the raw bytes,
and the pixel count from the header (``Image.open`` is lazy), before any pixel is decoded,
so a decompression bomb (a tiny file declaring a huge image) is refused without cost.
Decoding then runs on a bounded thread pool, off the event loop.

A still GIF becomes a PNG. An animated GIF attachment raises ``AnimatedImage`` (the service
sends it to video processing, as Mastodon makes it a "gifv"); an animated avatar or header
keeps its first frame.
"""

from __future__ import annotations

import asyncio
import io
import math
from concurrent.futures import ThreadPoolExecutor

import blurhash
from PIL import Image, ImageOps, UnidentifiedImageError

from godwit.domain.errors import Invalid
from godwit.domain.media import (
    AVATAR_SIZE,
    HEADER_SIZE,
    PREVIEW_MAX_SIDE,
    AnimatedImage,
    ImagePurpose,
    ProcessedImage,
    media_invalid,
)

# Like Mastodon: images up to 4x the advertised pixel limit are accepted and scaled down;
# beyond that they are refused before decoding.
HARD_PIXEL_FACTOR = 4
# What each decoded format is written back as (a GIF's palette fits PNG losslessly).
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/png"}
_BLURHASH_SIDE = 32


def _file_invalid(description: str) -> Invalid:
    return media_invalid("file", description)


class PillowImageProcessor:
    def __init__(self, *, max_bytes: int, max_pixels: int, workers: int) -> None:
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self.hard_pixel_limit = max_pixels * HARD_PIXEL_FACTOR
        # Pillow's own guard (a process-wide setting) backs up the explicit check below:
        # above twice this it raises DecompressionBombError instead of decoding.
        Image.MAX_IMAGE_PIXELS = self.hard_pixel_limit
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="images")
        self._slots = asyncio.Semaphore(max(1, workers) * 2)  # bounded queue of waiting uploads

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    async def process(self, data: bytes, purpose: ImagePurpose) -> ProcessedImage:
        if len(data) > self.max_bytes:
            raise _file_invalid(f"is too large (maximum is {self.max_bytes // (1024 * 1024)} MB)")
        async with self._slots:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._pool, self.process_sync, data, purpose)

    def process_sync(self, data: bytes, purpose: ImagePurpose) -> ProcessedImage:
        try:
            return self._process(data, purpose)
        except (Invalid, AnimatedImage):
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _file_invalid("has too many pixels") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            # Truncated or corrupt data surfaces as one of these while decoding.
            raise _file_invalid("could not be processed as an image") from error

    def _process(self, data: bytes, purpose: ImagePurpose) -> ProcessedImage:
        with Image.open(io.BytesIO(data), formats=list(_FORMATS)) as source:
            content_type = _FORMATS[str(source.format)]
            width, height = source.size
            if width < 1 or height < 1 or width * height > self.hard_pixel_limit:
                raise _file_invalid("has too many pixels")
            if purpose is ImagePurpose.ATTACHMENT and getattr(source, "is_animated", False):
                raise AnimatedImage()
            # Decodes now (the first frame of an animated avatar or header); a truncated
            # file raises OSError here.
            source.load()
            icc_profile = source.info.get("icc_profile")
            upright = ImageOps.exif_transpose(source)
        image = _normalise_mode(upright, content_type)
        if image.mode == "RGB" and upright.mode == "CMYK":
            icc_profile = None  # a CMYK profile does not describe the converted pixels
        image = self._resize(image, purpose)
        image.info = {}  # nothing read from the file is written back out, save the profile
        preview = image.copy()
        preview.thumbnail((PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE), Image.Resampling.LANCZOS)
        return ProcessedImage(
            data=_encode(image, content_type, icc_profile),
            content_type=content_type,
            width=image.width,
            height=image.height,
            preview=_encode(preview, content_type, icc_profile),
            preview_content_type=content_type,
            preview_width=preview.width,
            preview_height=preview.height,
            blurhash=blurhash_of(preview),
        )

    def _resize(self, image: Image.Image, purpose: ImagePurpose) -> Image.Image:
        if purpose is ImagePurpose.AVATAR:
            return ImageOps.fit(image, AVATAR_SIZE, Image.Resampling.LANCZOS)
        if purpose is ImagePurpose.HEADER:
            return ImageOps.fit(image, HEADER_SIZE, Image.Resampling.LANCZOS)
        pixels = image.width * image.height
        if pixels <= self.max_pixels:
            return image
        scale = math.sqrt(self.max_pixels / pixels)
        size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
        return image.resize(size, Image.Resampling.LANCZOS)


def _normalise_mode(image: Image.Image, content_type: str) -> Image.Image:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if content_type == "image/jpeg":
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    if has_alpha:
        return image if image.mode == "RGBA" else image.convert("RGBA")
    return image if image.mode in ("RGB", "L") else image.convert("RGB")


def _encode(image: Image.Image, content_type: str, icc_profile: bytes | None) -> bytes:
    out = io.BytesIO()
    # Only the colour profile is passed on: EXIF (GPS included), XMP, IPTC and comments
    # are never written because nothing but these options reaches the encoder.
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    if content_type == "image/jpeg":
        image.save(out, "JPEG", quality=85, optimize=True, **extra)
    elif content_type == "image/png":
        image.save(out, "PNG", optimize=True, **extra)
    else:
        image.save(out, "WEBP", quality=85, **extra)
    return out.getvalue()


def blurhash_of(image: Image.Image) -> str | None:
    small = image.convert("RGB")
    small.thumbnail((_BLURHASH_SIDE, _BLURHASH_SIDE))
    raw = small.tobytes()  # RGB triples, row by row
    width = small.width
    rows = [
        [list(raw[(y * width + x) * 3 : (y * width + x) * 3 + 3]) for x in range(width)]
        for y in range(small.height)
    ]
    result: str = blurhash.encode(rows, components_x=4, components_y=3)
    return result
