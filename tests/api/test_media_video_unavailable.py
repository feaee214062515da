"""A server without ffmpeg (a member's laptop): it starts, images work, and video, GIF
animation and audio uploads get a clear 422 instead of being advertised. Needs no ffmpeg."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from godwit.config import Settings
from godwit.domain.motion import MOTION_UNAVAILABLE
from godwit.storage.schema import media_attachments
from tests.api.media_helpers import upload, uploaded
from tests.api.statuses_helpers import components_of
from tests.factories import make_member
from tests.media.images import animated_gif, gif

# What the upload sees is refused before ffprobe would run, so a header is enough.
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
FLAC = b"fLaC" + b"\x00" * 64


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.replace(media_ffmpeg_path="/nonexistent/ffmpeg")


async def test_video_uploads_are_refused_clearly(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    for path in ("/api/v1/media", "/api/v2/media"):
        for data, name in ((MP4, "clip.mp4"), (FLAC, "tone.flac"), (animated_gif(), "a.gif")):
            answer = await upload(client, alice, data, path=path, filename=name)
            assert answer.status_code == 422, (path, name)
            assert MOTION_UNAVAILABLE in answer.json()["error"]
    async with components_of(client).database.read() as conn:
        count = await conn.scalar(select(func.count()).select_from(media_attachments))
    assert count == 0


async def test_images_still_work_and_a_still_gif_too(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    assert (await uploaded(client, alice))["type"] == "image"
    still = await uploaded(client, alice, data=gif(), filename="dot.gif", content_type="image/gif")
    assert still["url"].endswith(".png")


async def test_video_types_are_not_advertised(client: httpx.AsyncClient) -> None:
    for path in ("/api/v2/instance", "/api/v1/instance"):
        limits = (await client.get(path)).json()["configuration"]["media_attachments"]
        assert limits["supported_mime_types"] == ["image/jpeg", "image/png", "image/webp"]
