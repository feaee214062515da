"""Small real PNG pictures for uploads (avatars, headers, posts), drawn with Pillow."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw


def picture(width: int, height: int, top: str, bottom: str, *, sun: str = "") -> bytes:
    """A vertical gradient from ``top`` to ``bottom`` (hex colours), with an optional sun."""
    start = _rgb(top)
    end = _rgb(bottom)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        share = y / max(1, height - 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * share) for a, b in zip(start, end, strict=True)),
        )
    if sun:
        radius = min(width, height) // 6
        centre = (width * 2 // 3, height // 3)
        draw.ellipse(
            [
                (centre[0] - radius, centre[1] - radius),
                (centre[0] + radius, centre[1] + radius),
            ],
            fill=_rgb(sun),
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def picture_file(
    path: Path, width: int, height: int, top: str, bottom: str, *, sun: str = ""
) -> Path:
    """The same picture written to ``path`` (a browser uploads files from disk)."""
    path.write_bytes(picture(width, height, top, bottom, sun=sun))
    return path


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
