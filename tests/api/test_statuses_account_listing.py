"""GET /api/v1/accounts/:id/statuses."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import insert

from godwit.storage.schema import status_pins
from tests.api.statuses_helpers import block, components_of, follow, post
from tests.factories import make_member


async def _ids(client: httpx.AsyncClient, account_id: int, **query: str) -> list[str]:
    headers = query.pop("headers_of", None)
    response = await client.get(
        f"/api/v1/accounts/{account_id}/statuses",
        params=query,
        headers={"Authorization": f"Bearer {headers}"} if headers else {},
    )
    assert response.status_code == 200, response.text
    return [status["id"] for status in response.json()]


async def test_listing_filters(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    bobs = await post(client, bob, status="bob's post")
    plain = await post(client, alice, status="plain #Tagged")
    self_reply = await post(client, alice, status="more", in_reply_to_id=plain["id"])
    reply = await post(client, alice, status="@bob hi", in_reply_to_id=bobs["id"])
    reblog = (
        await client.post(f"/api/v1/statuses/{bobs['id']}/reblog", headers=alice.headers)
    ).json()

    everything = await _ids(client, alice.account_id)
    assert everything == [reblog["id"], reply["id"], self_reply["id"], plain["id"]]
    assert await _ids(client, alice.account_id, exclude_replies="true") == [
        reblog["id"],
        self_reply["id"],
        plain["id"],
    ]
    assert await _ids(client, alice.account_id, exclude_reblogs="true") == everything[1:]
    assert await _ids(client, alice.account_id, tagged="tagged") == [plain["id"]]
    assert await _ids(client, alice.account_id, only_media="true") == []
    assert await _ids(client, alice.account_id, pinned="true") == []
    async with components.database.write() as conn:
        await conn.execute(
            insert(status_pins).values(
                account_id=alice.account_id,
                status_id=int(plain["id"]),
                created_at=dt.datetime.now(dt.UTC),
            )
        )
    assert await _ids(client, alice.account_id, pinned="true") == [plain["id"]]
    own = await client.get(
        f"/api/v1/accounts/{alice.account_id}/statuses",
        params={"pinned": "true"},
        headers=alice.headers,
    )
    assert own.json()[0]["pinned"] is True


async def test_listing_pagination_and_link(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    posted = [(await post(client, alice, status=f"n{i}"))["id"] for i in range(5)]
    newest_first = list(reversed(posted))
    page = await client.get(f"/api/v1/accounts/{alice.account_id}/statuses", params={"limit": "2"})
    assert [s["id"] for s in page.json()] == newest_first[:2]
    assert f"max_id={newest_first[1]}" in page.headers["Link"]
    older = await _ids(client, alice.account_id, limit="2", max_id=newest_first[1])
    assert older == newest_first[2:4]
    newer = await _ids(client, alice.account_id, limit="2", min_id=newest_first[3])
    assert newer == newest_first[1:3]
    since = await _ids(client, alice.account_id, since_id=newest_first[2])
    assert since == newest_first[:2]


async def test_listing_respects_visibility(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    fan = await make_member(components, "fan")
    stranger = await make_member(components, "stranger")
    public = await post(client, alice, status="public")
    private = await post(client, alice, status="private", visibility="private")
    direct = await post(client, alice, status="@stranger psst", visibility="direct")
    await follow(components, fan, alice)
    assert await _ids(client, alice.account_id) == [public["id"]]
    assert await _ids(client, alice.account_id, headers_of=fan.token) == [
        private["id"],
        public["id"],
    ]
    assert await _ids(client, alice.account_id, headers_of=stranger.token) == [
        direct["id"],
        public["id"],
    ]
    assert await _ids(client, alice.account_id, headers_of=alice.token) == [
        direct["id"],
        private["id"],
        public["id"],
    ]
    await block(components, alice, stranger)
    assert await _ids(client, alice.account_id, headers_of=stranger.token) == []
    missing = await client.get("/api/v1/accounts/12345/statuses")
    assert missing.status_code == 404
