"""Media attached to posts: media_ids, the entity's media_attachments, only_media, deletion."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from godwit.storage.schema import media_attachments
from tests.api.media_helpers import fetch_file, uploaded
from tests.api.statuses_helpers import components_of, post
from tests.factories import make_member


async def test_post_with_media_and_no_text(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    first = await uploaded(client, alice, description="first")
    second = await uploaded(client, alice, description="second")
    entity = await post(client, alice, status="", media_ids=[second["id"], first["id"]])
    attached = entity["media_attachments"]
    assert [media["id"] for media in attached] == [second["id"], first["id"]]
    assert attached[0]["description"] == "second"
    assert attached[0]["url"] == second["url"]

    shown = await client.get(f"/api/v1/statuses/{entity['id']}")
    assert [media["id"] for media in shown.json()["media_attachments"]] == [
        second["id"],
        first["id"],
    ]


async def test_media_ids_are_checked(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    bob = await make_member(components_of(client), "bob")
    bobs = await uploaded(client, bob)
    mine = [(await uploaded(client, alice))["id"] for _ in range(5)]
    used = await post(client, alice, status="used", media_ids=[mine[0]])
    assert used["media_attachments"][0]["id"] == mine[0]
    bad = [
        [bobs["id"]],  # someone else's
        [mine[0]],  # already attached
        mine,  # five
        [mine[1], mine[1]],  # repeated
        ["999999999"],  # unknown
        ["not-an-id"],
    ]
    for media_ids in bad:
        answer = await client.post(
            "/api/v1/statuses", headers=alice.headers, json={"status": "x", "media_ids": media_ids}
        )
        assert answer.status_code == 422, (media_ids, answer.text)
    blank = await client.post(
        "/api/v1/statuses", headers=alice.headers, json={"status": "", "media_ids": []}
    )
    assert blank.status_code == 422


async def test_only_media_on_account_public_and_tag_timelines(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    media = await uploaded(client, alice)
    with_media = await post(client, alice, status="look #birds", media_ids=[media["id"]])
    without = await post(client, alice, status="just words #birds")

    paths = [
        f"/api/v1/accounts/{alice.account_id}/statuses",
        "/api/v1/timelines/public",
        "/api/v1/timelines/tag/birds",
    ]
    for path in paths:
        everything = await client.get(path, headers=alice.headers)
        assert [s["id"] for s in everything.json()] == [without["id"], with_media["id"]], path
        only = await client.get(path, params={"only_media": "true"}, headers=alice.headers)
        assert only.status_code == 200
        assert [s["id"] for s in only.json()] == [with_media["id"]], path


async def test_deleting_a_post_deletes_its_media_and_files(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    media = await uploaded(client, alice)
    entity = await post(client, alice, status="bye", media_ids=[media["id"]])
    assert (await fetch_file(client, media["url"])).status_code == 200

    deleted = await client.delete(f"/api/v1/statuses/{entity['id']}", headers=alice.headers)
    assert deleted.status_code == 200
    assert deleted.json()["media_attachments"][0]["id"] == media["id"]  # for redraft
    await components.job_runner.run_until_idle()
    async with components.database.read() as conn:
        count = (await conn.execute(select(func.count()).select_from(media_attachments))).scalar()
    assert count == 0
    assert (await fetch_file(client, media["url"])).status_code == 404
    assert (await fetch_file(client, media["preview_url"])).status_code == 404


async def test_expiry_keeps_attached_uploads(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    media = await uploaded(client, alice)
    await post(client, alice, status="kept", media_ids=[media["id"]])
    await components.services.media.handle_expire({"media_id": int(media["id"])})
    assert (await fetch_file(client, media["url"])).status_code == 200
