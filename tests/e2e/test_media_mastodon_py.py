"""Media through Mastodon.py against a live server: upload (v2), describe, post, read back
the served file without its GPS EXIF, only_media, and a refused decompression bomb."""

from __future__ import annotations

import io

import httpx
import pytest
from mastodon import MastodonAPIError
from PIL import Image

from tests.e2e.conftest import SignUp
from tests.media.images import jpeg_with_gps, png_bomb


def test_upload_describe_post_and_fetch(sign_up: SignUp) -> None:
    alice = sign_up("media")
    media = alice.api.media_post(
        io.BytesIO(jpeg_with_gps((200, 100))), mime_type="image/jpeg", description="A flag"
    )
    assert media["type"] == "image"
    assert media["url"]
    updated = alice.api.media_update(
        media["id"], description="A red and blue flag", focus=(0.1, 0.2)
    )
    assert updated["description"] == "A red and blue flag"

    status = alice.api.status_post("", media_ids=[media["id"]])
    assert [str(m["id"]) for m in status["media_attachments"]] == [str(media["id"])]

    served = httpx.get(media["url"], timeout=30.0)
    assert served.status_code == 200
    assert b"SecretCamera" not in served.content
    assert len(Image.open(io.BytesIO(served.content)).getexif()) == 0

    only = alice.api.account_statuses(alice.account_id, only_media=True)
    assert [str(s["id"]) for s in only] == [str(status["id"])]


def test_decompression_bomb_is_refused(sign_up: SignUp) -> None:
    bob = sign_up("bomb")
    with pytest.raises(MastodonAPIError) as refused:
        bob.api.media_post(io.BytesIO(png_bomb()), mime_type="image/png")
    assert "422" in str(refused.value)
