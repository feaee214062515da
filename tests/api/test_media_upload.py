"""POST /api/v1/media and /api/v2/media, GET/PUT/DELETE /api/v1/media/:id."""

from __future__ import annotations

import datetime as dt
import io

import httpx
from PIL import Image
from sqlalchemy import func, select

from godwit.storage.schema import jobs, media_attachments
from tests.api.media_helpers import fetch_file, upload, uploaded
from tests.api.statuses_helpers import components_of
from tests.factories import make_member
from tests.media.images import jpeg_with_gps, png, png_bomb


async def _media_rows(client: httpx.AsyncClient) -> int:
    async with components_of(client).database.read() as conn:
        return int(
            (await conn.execute(select(func.count()).select_from(media_attachments))).scalar_one()
        )


async def test_upload_strips_gps_exif_and_serves_the_clean_file(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    original = jpeg_with_gps((120, 60), orientation=6)
    entity = await uploaded(client, alice, data=original, description="A red and blue flag")

    assert entity["type"] == "image"
    assert entity["description"] == "A red and blue flag"
    assert entity["url"].startswith("https://godwit.test/media/")
    assert entity["preview_url"].startswith("https://godwit.test/media/")
    # Orientation 6 was applied: the 120x60 stored image is 60x120 upright.
    assert entity["meta"]["original"]["width"] == 60
    assert entity["meta"]["original"]["height"] == 120
    assert entity["meta"]["original"]["aspect"] == 0.5
    assert entity["meta"]["focus"] == {"x": 0.0, "y": 0.0}
    assert entity["blurhash"]

    served = await fetch_file(client, entity["url"])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    for secret in (b"SecretCamera", b"secret-xmp-author", b"secret-comment", b"Exif\x00"):
        assert secret not in served.content
    image = Image.open(io.BytesIO(served.content))
    assert len(image.getexif()) == 0
    assert image.info.get("icc_profile")  # the colour profile is kept
    assert (await fetch_file(client, entity["preview_url"])).status_code == 200


async def test_v1_upload_and_show_and_update(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    entity = await uploaded(
        client, alice, path="/api/v1/media", data=png(), content_type="image/png"
    )
    assert entity["url"].endswith(".png")

    shown = await client.get(f"/api/v1/media/{entity['id']}", headers=alice.headers)
    assert shown.status_code == 200
    assert shown.json()["id"] == entity["id"]

    updated = await client.put(
        f"/api/v1/media/{entity['id']}",
        headers=alice.headers,
        json={"description": "Green", "focus": "0.5,-0.25"},
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["description"] == "Green"
    assert updated.json()["meta"]["focus"] == {"x": 0.5, "y": -0.25}


async def test_others_uploads_are_not_found(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    bob = await make_member(components_of(client), "bob")
    entity = await uploaded(client, alice)
    for method in ("GET", "PUT", "DELETE"):
        answer = await client.request(
            method, f"/api/v1/media/{entity['id']}", headers=bob.headers, json={}
        )
        assert answer.status_code == 404, method


async def test_bad_description_and_focus_are_422(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    entity = await uploaded(client, alice)
    for body in ({"description": "x" * 1501}, {"focus": "2,0"}, {"focus": "nope"}):
        answer = await client.put(f"/api/v1/media/{entity['id']}", headers=alice.headers, json=body)
        assert answer.status_code == 422, body
    assert (await upload(client, alice, description="x" * 1501)).status_code == 422


async def test_bomb_truncated_playlist_and_garbage_are_refused_without_a_row(
    client: httpx.AsyncClient,
) -> None:
    alice = await make_member(components_of(client), "alice")
    whole = jpeg_with_gps((400, 300))
    refused = [
        (png_bomb(), "image/png", "pixels"),
        (whole[: len(whole) // 2], "image/jpeg", "could not be processed"),
        # An HLS playlist naming a local file, posing as a video: never opened.
        (b"#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n", "video/mp4", "could not be processed"),
        (b"plain text", "text/plain", "could not be processed"),
    ]
    for data, content_type, message in refused:
        answer = await upload(client, alice, data, content_type=content_type)
        assert answer.status_code == 422, answer.text
        assert message in answer.json()["error"]
    assert await _media_rows(client) == 0


async def test_oversize_upload_is_refused(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    limit = components_of(client).settings.media_max_image_bytes
    answer = await upload(client, alice, b"\xff\xd8\xff" + b"\x00" * (limit + 100_000))
    assert answer.status_code in (413, 422)
    assert await _media_rows(client) == 0


async def test_missing_file_and_missing_scope(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    answer = await client.post("/api/v2/media", headers=alice.headers, data={"description": "x"})
    assert answer.status_code == 422
    anonymous = await client.post("/api/v2/media", files={"file": ("a.jpg", jpeg_with_gps())})
    assert anonymous.status_code == 401


async def test_delete_unattached_upload_removes_row_and_files(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    entity = await uploaded(client, alice)
    answer = await client.delete(f"/api/v1/media/{entity['id']}", headers=alice.headers)
    assert answer.status_code == 200
    assert await _media_rows(client) == 0
    await components.job_runner.run_until_idle()
    assert (await fetch_file(client, entity["url"])).status_code == 404


async def test_unattached_upload_expires(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    entity = await uploaded(client, alice)
    async with components.database.read() as conn:
        job = (await conn.execute(select(jobs).where(jobs.c.kind == "media.expire"))).one()
    assert job.payload == {"media_id": int(entity["id"])}
    assert job.run_at - job.created_at >= dt.timedelta(hours=23)
    # What the job does when it comes due (an attached upload would be kept).
    await components.services.media.handle_expire(job.payload)
    assert await _media_rows(client) == 0
    assert (await fetch_file(client, entity["url"])).status_code == 404
