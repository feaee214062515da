"""Trends computed from the last week's public use: tags and statuses (links trend from
preview cards: tests/api/test_links_trends.py)."""

from __future__ import annotations

import httpx
from sqlalchemy import update

from godwit.storage.schema import accounts
from tests.api.tier3_helpers import components_of, post
from tests.factories import make_member


async def test_tags_trend_by_recent_use_across_accounts(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    hidden = await make_member(components, "hidden")
    async with components.database.write() as conn:
        await conn.execute(
            update(accounts).where(accounts.c.id == hidden.account_id).values(discoverable=False)
        )
    for member in (alice, bob, carol):
        await post(client, member, "#Godwits everywhere")
    for _ in range(4):  # one member repeating a tag does not out-trend many members
        await post(client, alice, "#solo again")
    await post(client, bob, "#secretive", visibility="private")
    await post(client, carol, "#quiet", visibility="unlisted")
    for _ in range(5):
        await post(client, hidden, "#optedout")

    response = await client.get("/api/v1/trends/tags")
    assert response.status_code == 200
    names = [tag["name"] for tag in response.json()]
    assert names == ["Godwits", "solo"]
    godwits = response.json()[0]
    assert godwits["history"][0]["uses"] == "3"
    assert godwits["history"][0]["accounts"] == "3"
    assert godwits["following"] is None  # no viewer

    alias = await client.get("/api/v1/trends", params={"limit": 1}, headers=alice.headers)
    assert [tag["name"] for tag in alias.json()] == ["Godwits"]
    assert alias.json()[0]["following"] is False
    offset = await client.get("/api/v1/trends/tags", params={"offset": 1})
    assert [tag["name"] for tag in offset.json()] == ["solo"]


async def test_statuses_trend_by_favourites_and_reblogs(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    popular = await post(client, alice, "popular")
    liked = await post(client, alice, "liked once")
    private = await post(client, alice, "followers only", visibility="private")
    await post(client, alice, "ignored")
    await client.post(f"/api/v1/accounts/{alice.account_id}/follow", headers=bob.headers)
    for member in (bob, carol):
        await client.post(f"/api/v1/statuses/{popular}/favourite", headers=member.headers)
    await client.post(f"/api/v1/statuses/{popular}/reblog", headers=bob.headers)
    await client.post(f"/api/v1/statuses/{liked}/favourite", headers=bob.headers)
    await client.post(f"/api/v1/statuses/{private}/favourite", headers=bob.headers)

    response = await client.get("/api/v1/trends/statuses")
    assert response.status_code == 200
    assert [status["id"] for status in response.json()] == [popular, liked]
    # A viewer who blocks the author sees none of them.
    await client.post(f"/api/v1/accounts/{alice.account_id}/block", headers=carol.headers)
    blocked = await client.get("/api/v1/trends/statuses", headers=carol.headers)
    assert blocked.json() == []
