"""Media through Mastodon.py against a live server: upload (v2), describe, post, read back
the served file without its GPS EXIF, only_media, a refused decompression bomb, a video
processed in the background (``synchronous=True`` polls until it is ready), and an edit
changing a post's attachments."""

from __future__ import annotations

import io

import httpx
import pytest
from mastodon import MastodonAPIError
from PIL import Image

from tests.e2e.conftest import SignUp
from tests.media.images import jpeg_with_gps, png_bomb
from tests.media.videos import assert_no_metadata, make_video, require_ffmpeg


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


def test_video_is_processed_in_the_background_then_posted(sign_up: SignUp) -> None:
    require_ffmpeg()
    carol = sign_up("video")
    original = make_video(seconds=1.0)
    media = carol.api.media_post(
        io.BytesIO(original), mime_type="video/mp4", description="Test pattern", synchronous=True
    )
    assert media["type"] == "video"
    assert media["url"].endswith(".mp4")
    assert media["meta"]["original"]["frame_rate"] == "10/1"
    served = httpx.get(media["url"], timeout=30.0)
    assert served.status_code == 200
    assert_no_metadata(served.content)

    status = carol.api.status_post("A clip", media_ids=[media["id"]])
    assert [m["type"] for m in status["media_attachments"]] == ["video"]

    # Edits: a picture joins the clip; then both are described (Mastodon.py sends
    # media_attributes as JSON, with media_ids made from them; it cannot combine the two).
    picture = carol.api.media_post(io.BytesIO(jpeg_with_gps()), mime_type="image/jpeg")
    edited = carol.api.status_update(
        status["id"], "A clip and a picture", media_ids=[picture["id"], media["id"]]
    )
    ids = [str(picture["id"]), str(media["id"])]
    assert [str(m["id"]) for m in edited["media_attachments"]] == ids
    described = carol.api.status_update(
        status["id"],
        "A clip and a picture",
        media_attributes=[
            carol.api.generate_media_edit_attributes(picture["id"], "A flag"),
            carol.api.generate_media_edit_attributes(media["id"], "Renamed", focus=(0.5, 0.0)),
        ],
    )
    assert [m["description"] for m in described["media_attachments"]] == ["A flag", "Renamed"]
    history = carol.api.status_history(status["id"])
    assert [len(revision["media_attachments"]) for revision in history] == [1, 2, 2]
    assert history[0]["media_attachments"][0]["description"] == "Test pattern"
    assert history[2]["media_attachments"][1]["meta"]["focus"] == {"x": 0.5, "y": 0.0}
