"""Avatar and header uploads in PATCH /api/v1/accounts/update_credentials."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from tests.api.media_helpers import fetch_file
from tests.api.statuses_helpers import components_of
from tests.factories import make_member
from tests.media.images import gif, jpeg_with_gps, png


async def test_avatar_and_header_are_processed_and_shown(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    answer = await client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        files={
            "avatar": ("me.jpg", jpeg_with_gps((300, 200)), "image/jpeg"),
            "header": ("banner.png", png((900, 300), mode="RGB"), "image/png"),
        },
        data={"display_name": "Alice"},
    )
    assert answer.status_code == 200, answer.text
    account = answer.json()
    assert account["display_name"] == "Alice"
    assert account["avatar"].startswith("https://godwit.test/media/accounts/")
    assert account["avatar_static"] == account["avatar"]
    avatar = await fetch_file(client, account["avatar"])
    assert avatar.status_code == 200
    assert b"SecretCamera" not in avatar.content
    assert Image.open(io.BytesIO(avatar.content)).size == (400, 400)
    header = await fetch_file(client, account["header"])
    assert Image.open(io.BytesIO(header.content)).size == (1500, 500)

    shown = await client.get(f"/api/v1/accounts/{alice.account_id}")
    assert shown.json()["avatar"] == account["avatar"]


async def test_bad_avatar_is_422_and_changes_nothing(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    answer = await client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        files={"avatar": ("a.gif", gif(), "image/gif")},
        data={"display_name": "Changed"},
    )
    assert answer.status_code == 422
    own = await client.get("/api/v1/accounts/verify_credentials", headers=alice.headers)
    assert own.json()["display_name"] != "Changed"
    assert "/media/" not in own.json()["avatar"]
