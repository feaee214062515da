"""Avatar and header uploads in PATCH /api/v1/accounts/update_credentials, their removal
(DELETE /api/v1/profile/avatar|header), and the old files deleted after the commit."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
from PIL import Image

from godwit.services.media import release_account_media
from tests.api.media_helpers import fetch_file, uploaded
from tests.api.statuses_helpers import components_of
from tests.factories import Member, make_member
from tests.media.images import jpeg_with_gps, png


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
        files={"avatar": ("a.jpg", jpeg_with_gps()[:300], "image/jpeg")},  # truncated
        data={"display_name": "Changed"},
    )
    assert answer.status_code == 422
    own = await client.get("/api/v1/accounts/verify_credentials", headers=alice.headers)
    assert own.json()["display_name"] != "Changed"
    assert "/media/" not in own.json()["avatar"]


async def _set_images(client: httpx.AsyncClient, member: Member, **extra: str) -> httpx.Response:
    return await client.patch(
        "/api/v1/accounts/update_credentials",
        headers=member.headers,
        files={
            "avatar": ("me.jpg", jpeg_with_gps((300, 200)), "image/jpeg"),
            "header": ("banner.png", png((900, 300), mode="RGB"), "image/png"),
        },
        data=extra,
    )


def _stored(client: httpx.AsyncClient, member: Member) -> set[str]:
    root = Path(components_of(client).settings.media_dir) / "accounts" / str(member.account_id)
    return {path.name for path in root.iterdir()} if root.exists() else set()


async def test_replaced_avatar_and_header_files_are_deleted(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    old = (await _set_images(client, alice)).json()
    new = (await _set_images(client, alice)).json()
    assert new["avatar"] != old["avatar"]
    await components.job_runner.run_until_idle()
    assert (await fetch_file(client, old["avatar"])).status_code == 404
    assert (await fetch_file(client, old["header"])).status_code == 404
    assert (await fetch_file(client, new["avatar"])).status_code == 200
    assert len(_stored(client, alice)) == 2
    # Changing only the name leaves the images alone.
    await client.patch(
        "/api/v1/accounts/update_credentials", headers=alice.headers, data={"note": "hi"}
    )
    await components.job_runner.run_until_idle()
    assert (await fetch_file(client, new["header"])).status_code == 200


async def test_removing_avatar_and_header(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    set_ = (await _set_images(client, alice)).json()
    answer = await client.delete("/api/v1/profile/avatar", headers=alice.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["avatar"].endswith("/static/avatar-missing.png")
    assert answer.json()["header"] == set_["header"]
    answer = await client.delete("/api/v1/profile/header", headers=alice.headers)
    assert answer.json()["header"].endswith("/static/header-missing.png")
    await components.job_runner.run_until_idle()
    assert _stored(client, alice) == set()
    # Removing what is not there is fine; the scope is write:accounts.
    assert (await client.delete("/api/v1/profile/avatar", headers=alice.headers)).status_code == 200
    assert (await client.delete("/api/v1/profile/avatar")).status_code == 401


async def test_a_refused_update_leaves_no_new_file(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    answer = await _set_images(client, alice, display_name="x" * 31)
    assert answer.status_code == 422
    assert _stored(client, alice) == set()
    # A good avatar with a broken header: the avatar stored first is not left behind.
    broken = await client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        files={
            "avatar": ("me.jpg", jpeg_with_gps((300, 200)), "image/jpeg"),
            "header": ("banner.jpg", jpeg_with_gps()[:300], "image/jpeg"),
        },
    )
    assert broken.status_code == 422
    assert _stored(client, alice) == set()


async def test_account_media_release_deletes_uploads_and_profile_images(
    client: httpx.AsyncClient,
) -> None:
    """What deleting an account does to its media (release_account_media, in its transaction)."""
    components = components_of(client)
    alice = await make_member(components, "alice")
    profile = (await _set_images(client, alice)).json()
    media = await uploaded(client, alice)
    async with components.store.write() as tx:
        account = await tx.accounts.get(alice.account_id)
        assert account is not None
        await release_account_media(tx, account)
    await components.job_runner.run_until_idle()
    for url in (profile["avatar"], profile["header"], media["url"], media["preview_url"]):
        assert (await fetch_file(client, url)).status_code == 404
    gone = await client.get(f"/api/v1/media/{media['id']}", headers=alice.headers)
    assert gone.status_code == 404
