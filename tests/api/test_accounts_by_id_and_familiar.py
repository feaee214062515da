"""Several accounts by id (Mastodon 4.3) and familiar followers: followers of an account
whom the member follows."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import update

from godwit.storage.schema import accounts
from tests.api.tier3_helpers import components_of
from tests.factories import Member, make_member


async def suspend(client: httpx.AsyncClient, member: Member) -> None:
    async with components_of(client).database.write() as conn:
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == member.account_id)
            .values(suspended_at=dt.datetime.now(dt.UTC), display_name="Shown", note="<p>bio</p>")
        )


async def follow(client: httpx.AsyncClient, follower: Member, target: Member) -> None:
    response = await client.post(
        f"/api/v1/accounts/{target.account_id}/follow", headers=follower.headers
    )
    assert response.status_code == 200


async def test_several_accounts_by_id(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    gone = await make_member(components, "gone")
    await suspend(client, gone)
    ids = [bob.account_id, 4242, alice.account_id, gone.account_id, bob.account_id]
    response = await client.get("/api/v1/accounts", params={"id[]": [str(i) for i in ids]})
    assert response.status_code == 200
    body = response.json()
    # In the order asked, each once, unknown ids skipped.
    assert [account["id"] for account in body] == [
        str(bob.account_id),
        str(alice.account_id),
        str(gone.account_id),
    ]
    suspended = body[2]
    assert suspended["suspended"] is True
    assert suspended["username"] == "gone"
    assert (suspended["display_name"], suspended["note"], suspended["fields"]) == ("", "", [])
    assert suspended["avatar"].endswith("/avatar-missing.png")
    assert "suspended" not in body[0]
    # With a token too; none asked is an empty list.
    signed_in = await client.get(
        "/api/v1/accounts", params={"id[]": str(alice.account_id)}, headers=bob.headers
    )
    assert [account["username"] for account in signed_in.json()] == ["alice"]
    assert (await client.get("/api/v1/accounts")).json() == []


async def test_bad_account_ids_are_refused(client: httpx.AsyncClient) -> None:
    too_many = await client.get("/api/v1/accounts", params={"id[]": [str(n) for n in range(41)]})
    assert too_many.status_code == 422
    assert "id" in too_many.json()["error"]
    not_ids = await client.get("/api/v1/accounts", params={"id[]": ["abc"]})
    assert not_ids.status_code == 422
    # Sign-up still answers POST on the same path.
    assert (await client.post("/api/v1/accounts", json={})).status_code != 405


async def test_familiar_followers(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    me = await make_member(components, "me")
    ann, ben, cat, dan = [await make_member(components, n) for n in ("ann", "ben", "cat", "dan")]
    star = await make_member(components, "star")
    quiet = await make_member(components, "quiet")
    for followed in (ann, ben, dan, star):
        await follow(client, me, followed)
    for fan in (ann, ben, cat, dan, me):  # cat is not followed by me: not familiar
        await follow(client, fan, star)
    await suspend(client, dan)  # suspended followers are not shown
    gone = await make_member(components, "gone")
    await suspend(client, gone)

    response = await client.get(
        "/api/v1/accounts/familiar_followers",
        params={
            "id[]": [
                str(star.account_id),
                str(quiet.account_id),
                "4242",
                str(gone.account_id),
            ]
        },
        headers=me.headers,
    )
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body] == [str(star.account_id), str(quiet.account_id)]
    # Newest follow first; never the member asking.
    assert [account["username"] for account in body[0]["accounts"]] == ["ben", "ann"]
    assert body[1]["accounts"] == []

    # Mastodon.py sends these ids as a JSON body on the GET, which Rails reads too.
    as_json = await client.request(
        "GET",
        "/api/v1/accounts/familiar_followers",
        json={"id": [str(star.account_id)]},
        headers=me.headers,
    )
    assert as_json.json() == body[:1]

    anonymous = await client.get(
        "/api/v1/accounts/familiar_followers", params={"id[]": str(star.account_id)}
    )
    assert anonymous.status_code == 401
    too_many = await client.get(
        "/api/v1/accounts/familiar_followers",
        params={"id[]": [str(n) for n in range(41)]},
        headers=me.headers,
    )
    assert too_many.status_code == 422
