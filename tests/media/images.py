"""Test images made on the fly with Pillow (no fixture files to keep in the repository)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image, ImageCms

GPS_LATITUDE = (52.0, 31.0, 12.5)
XMP_PACKET = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description creator="secret-xmp-author"/></rdf:RDF></x:xmpmeta>'
)


def srgb_profile() -> bytes:
    profile: bytes = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return profile


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "SecretCamera"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: GPS_LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (13.0, 24.0, 1.0),
    }
    return exif


def jpeg_with_gps(
    size: tuple[int, int] = (80, 40), *, orientation: int = 1, icc: bool = True
) -> bytes:
    """A wide JPEG, left half red and right half blue, carrying GPS EXIF, XMP, a comment and
    (optionally) an ICC profile."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    out = io.BytesIO()
    extra: dict[str, object] = {"icc_profile": srgb_profile()} if icc else {}
    image.save(
        out,
        "JPEG",
        exif=exif_with_gps(orientation).tobytes(),
        xmp=XMP_PACKET,
        comment=b"secret-comment",
        quality=95,
        **extra,
    )
    return out.getvalue()


def png(size: tuple[int, int] = (64, 48), mode: str = "RGBA") -> bytes:
    colour = (10, 200, 30, 128) if mode == "RGBA" else (10, 200, 30)
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, "PNG")
    return out.getvalue()


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header declares a huge image (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 64)  # far fewer bytes than the header promises
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, "GIF")
    return out.getvalue()


def animated_gif(frames: int = 3, size: tuple[int, int] = (16, 12)) -> bytes:
    """A small animated GIF made with Pillow (colours change per frame)."""
    images = [Image.new("RGB", size, (60 * index, 0, 255 - 60 * index)) for index in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return out.getvalue()
