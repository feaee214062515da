"""Delete, context, favourite and reblog."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import insert

from godwit.storage.schema import (
    favourites,
    home_feed,
    mentions,
    notifications,
    status_tags,
    statuses,
)
from tests.api.statuses_helpers import block, components_of, follow, mute, post, row_count
from tests.factories import make_member


async def test_delete_is_a_real_delete(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    entity = await post(client, alice, status="bye @bob #gone", spoiler_text="cw")
    status_id = int(entity["id"])
    async with components.database.write() as conn:  # rows other slices would have written
        await conn.execute(
            insert(home_feed).values(
                account_id=bob.account_id,
                status_id=status_id,
                entry_key=status_id,
                author_id=alice.account_id,
            )
        )
        await conn.execute(
            insert(notifications).values(
                id=status_id + 7,
                account_id=bob.account_id,
                from_account_id=alice.account_id,
                type="mention",
                status_id=status_id,
                created_at=dt.datetime.now(dt.UTC),
            )
        )
    fav = await client.post(f"/api/v1/statuses/{status_id}/favourite", headers=bob.headers)
    assert fav.status_code == 200

    not_mine = await client.delete(f"/api/v1/statuses/{status_id}", headers=bob.headers)
    assert not_mine.status_code == 404
    deleted = await client.delete(f"/api/v1/statuses/{status_id}", headers=alice.headers)
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["text"] == "bye @bob #gone"  # the source, for redraft
    assert deleted.json()["spoiler_text"] == "cw"

    assert await row_count(components, statuses, id=status_id) == 0
    for table in (home_feed, notifications, mentions, status_tags, favourites):
        assert await row_count(components, table, status_id=status_id) == 0, table.name
    for probe in (status_id, status_id + 1, status_id - 1):
        response = await client.get(f"/api/v1/statuses/{probe}", headers=alice.headers)
        assert response.status_code == 404
    again = await client.delete(f"/api/v1/statuses/{status_id}", headers=alice.headers)
    assert again.status_code == 404
    async with components.store.read() as tx:
        account = await tx.accounts.get(alice.account_id)
    assert account is not None
    assert account.statuses_count == 0


async def test_delete_reply_lowers_parent_count(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    parent = await post(client, alice, status="parent")
    reply = await post(client, alice, status="reply", in_reply_to_id=parent["id"])
    await client.delete(f"/api/v1/statuses/{reply['id']}", headers=alice.headers)
    shown = await client.get(f"/api/v1/statuses/{parent['id']}")
    assert shown.json()["replies_count"] == 0


async def test_thread_context(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    root = await post(client, alice, status="root")
    first = await post(client, bob, status="first", in_reply_to_id=root["id"])
    nested = await post(client, alice, status="nested", in_reply_to_id=first["id"])
    second = await post(client, carol, status="second", in_reply_to_id=root["id"])
    hidden = await post(
        client, bob, status="followers only", in_reply_to_id=root["id"], visibility="private"
    )

    response = await client.get(f"/api/v1/statuses/{nested['id']}/context")
    assert response.status_code == 200
    assert [s["id"] for s in response.json()["ancestors"]] == [root["id"], first["id"]]
    assert response.json()["descendants"] == []

    whole = await client.get(f"/api/v1/statuses/{root['id']}/context", headers=carol.headers)
    ids = [s["id"] for s in whole.json()["descendants"]]
    assert ids == [first["id"], nested["id"], second["id"]]  # depth first, oldest first
    assert hidden["id"] not in ids

    await follow(components, carol, bob)
    followed = await client.get(f"/api/v1/statuses/{root['id']}/context", headers=carol.headers)
    assert hidden["id"] in [s["id"] for s in followed.json()["descendants"]]

    await mute(components, carol, bob)
    muted = await client.get(f"/api/v1/statuses/{root['id']}/context", headers=carol.headers)
    assert [s["id"] for s in muted.json()["descendants"]] == [nested["id"], second["id"]]

    await block(components, alice, carol)
    blocked = await client.get(f"/api/v1/statuses/{root['id']}/context", headers=carol.headers)
    assert blocked.status_code == 404
    from_reply = await client.get(f"/api/v1/statuses/{second['id']}/context", headers=carol.headers)
    assert from_reply.json()["ancestors"] == []


async def test_favourite_is_idempotent_and_counted(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    entity = await post(client, alice, status="like me")
    url = f"/api/v1/statuses/{entity['id']}"
    for _ in range(2):
        response = await client.post(f"{url}/favourite", headers=bob.headers)
        assert response.status_code == 200
        assert response.json()["favourited"] is True
        assert response.json()["favourites_count"] == 1
    assert await row_count(components, favourites, status_id=int(entity["id"])) == 1
    assert (
        await row_count(components, notifications, account_id=alice.account_id, type="favourite")
        == 1
    )
    by = await client.get(f"{url}/favourited_by")
    assert [a["id"] for a in by.json()] == [str(bob.account_id)]
    assert "Link" in by.headers

    for _ in range(2):
        response = await client.post(f"{url}/unfavourite", headers=bob.headers)
        assert response.status_code == 200
        assert response.json()["favourited"] is False
        assert response.json()["favourites_count"] == 0
    assert (
        await row_count(components, notifications, account_id=alice.account_id, type="favourite")
        == 0
    )
    assert (await client.get(f"{url}/favourited_by")).json() == []


async def test_reblog_and_unreblog(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    entity = await post(client, alice, status="share me")
    url = f"/api/v1/statuses/{entity['id']}"
    first = await client.post(f"{url}/reblog", headers=bob.headers)
    assert first.status_code == 200, first.text
    reblog = first.json()
    assert reblog["reblog"]["id"] == entity["id"]
    assert reblog["reblog"]["reblogged"] is True
    assert reblog["reblog"]["reblogs_count"] == 1
    assert reblog["uri"].endswith(f"/statuses/{reblog['id']}/activity")
    second = await client.post(f"{url}/reblog", headers=bob.headers)
    assert second.json()["id"] == reblog["id"]  # one reblog per account
    via_reblog = await client.post(f"/api/v1/statuses/{reblog['id']}/reblog", headers=bob.headers)
    assert via_reblog.json()["id"] == reblog["id"]
    by = await client.get(f"{url}/reblogged_by")
    assert [a["id"] for a in by.json()] == [str(bob.account_id)]
    assert (
        await row_count(components, notifications, account_id=alice.account_id, type="reblog") == 1
    )

    undone = await client.post(f"{url}/unreblog", headers=bob.headers)
    assert undone.status_code == 200
    assert undone.json()["id"] == entity["id"]
    assert undone.json()["reblogged"] is False
    assert undone.json()["reblogs_count"] == 0
    assert await row_count(components, statuses, id=int(reblog["id"])) == 0
    assert (await client.get(f"/api/v1/statuses/{reblog['id']}")).status_code == 404
    async with components.store.read() as tx:
        account = await tx.accounts.get(bob.account_id)
    assert account is not None
    assert account.statuses_count == 0


async def test_reblog_rules(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    await follow(components, bob, alice)
    private = await post(client, alice, status="followers", visibility="private")
    refused = await client.post(f"/api/v1/statuses/{private['id']}/reblog", headers=bob.headers)
    assert refused.status_code == 403
    own = await client.post(f"/api/v1/statuses/{private['id']}/reblog", headers=alice.headers)
    assert own.status_code == 200
    assert own.json()["visibility"] == "private"
    direct = await post(client, alice, status="@bob psst", visibility="direct")
    no = await client.post(f"/api/v1/statuses/{direct['id']}/reblog", headers=alice.headers)
    assert no.status_code == 403
    public = await post(client, alice, status="open")
    unlisted = await client.post(
        f"/api/v1/statuses/{public['id']}/reblog",
        json={"visibility": "unlisted"},
        headers=bob.headers,
    )
    assert unlisted.json()["visibility"] == "unlisted"
    invalid = await client.post(
        f"/api/v1/statuses/{public['id']}/reblog",
        json={"visibility": "sideways"},
        headers=alice.headers,
    )
    assert invalid.status_code == 422


async def test_deleting_original_removes_reblogs(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    entity = await post(client, alice, status="short lived")
    reblog = (
        await client.post(f"/api/v1/statuses/{entity['id']}/reblog", headers=bob.headers)
    ).json()
    await client.delete(f"/api/v1/statuses/{entity['id']}", headers=alice.headers)
    assert await row_count(components, statuses, id=int(reblog["id"])) == 0
    async with components.store.read() as tx:
        account = await tx.accounts.get(bob.account_id)
    assert account is not None
    assert account.statuses_count == 0
