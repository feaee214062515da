"""Reading ffprobe's JSON (``-print_format json -show_format -show_streams``) into a
``MotionProbe``. Everything in it comes from an uploaded file, so every field is read
defensively: a missing or malformed value is absent, never an exception."""

from __future__ import annotations

import json
import math
from fractions import Fraction
from typing import Any

from godwit.domain.motion import MotionProbe, ProbedStream


def parse_probe(raw: bytes) -> MotionProbe | None:
    """None when the output is not ffprobe's JSON with a format section."""
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(document, dict) or not isinstance(document.get("format"), dict):
        return None
    fmt: dict[str, Any] = document["format"]
    streams = document.get("streams")
    parsed = [
        _stream(stream)
        for stream in (streams if isinstance(streams, list) else [])
        if isinstance(stream, dict)
    ]
    return MotionProbe(
        format_name=str(fmt.get("format_name") or ""),
        duration=_float(fmt.get("duration")),
        bitrate=_int(fmt.get("bit_rate")),
        streams=tuple(stream for stream in parsed if stream is not None),
    )


def _stream(raw: dict[str, Any]) -> ProbedStream | None:
    index = _int(raw.get("index"))
    if index is None:
        return None
    kind = raw.get("codec_type")
    disposition = raw.get("disposition")
    return ProbedStream(
        index=index,
        kind=kind if kind in ("video", "audio") else "other",
        codec=str(raw.get("codec_name") or "unknown"),
        width=_int(raw.get("width")) or 0,
        height=_int(raw.get("height")) or 0,
        frame_rate=_rate(raw.get("avg_frame_rate")) or _rate(raw.get("r_frame_rate")),
        frames=_int(raw.get("nb_frames")),
        rotation=_rotation(raw),
        cover_art=isinstance(disposition, dict) and disposition.get("attached_pic") == 1,
        sample_rate=_int(raw.get("sample_rate")),
        channels=_int(raw.get("channels")),
    )


def _rotation(raw: dict[str, Any]) -> int:
    side_data = raw.get("side_data_list")
    for entry in side_data if isinstance(side_data, list) else []:
        if isinstance(entry, dict) and "rotation" in entry:
            return _int(entry.get("rotation")) or 0
    tags = raw.get("tags")
    return (_int(tags.get("rotate")) or 0) if isinstance(tags, dict) else 0


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            number = _float(value)
            return int(number) if number is not None else None
    return None


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _rate(value: Any) -> Fraction | None:
    """``"30000/1001"`` as a fraction; None for ``"0/0"`` or nonsense."""
    if not isinstance(value, str):
        return None
    numerator, _, denominator = value.partition("/")
    try:
        rate = Fraction(int(numerator), int(denominator or "1"))
    except (ValueError, ZeroDivisionError):
        return None
    return rate if rate > 0 else None
