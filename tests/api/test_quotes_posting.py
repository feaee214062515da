"""Quote posts: quoted_status_id on a new status, shown as ``quote``."""

from __future__ import annotations

import httpx

from tests.api.statuses_helpers import post
from tests.api.timelines_helpers import components_of, settle
from tests.factories import make_member


async def test_quote_shown_and_notified(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    original = await post(client, alice, status="Quote me")
    quoting = await post(client, bob, status="Look", quoted_status_id=original["id"])
    assert quoting["quote"]["state"] == "accepted"
    assert quoting["quote"]["quoted_status"]["id"] == original["id"]
    assert original.get("quote") is None

    # A quote of a quote shows the inner one by id only.
    outer = await post(client, alice, status="Deeper", quoted_status_id=quoting["id"])
    inner = outer["quote"]["quoted_status"]["quote"]
    assert inner == {"state": "accepted", "quoted_status_id": original["id"]}

    await settle(client)
    notes = (await client.get("/api/v1/notifications", headers=alice.headers)).json()
    quotes = [n for n in notes if n["type"] == "quote"]
    assert [n["status"]["id"] for n in quotes] == [quoting["id"]]

    deleted = await client.delete(f"/api/v1/statuses/{original['id']}", headers=alice.headers)
    assert deleted.status_code == 200
    shown = (await client.get(f"/api/v1/statuses/{quoting['id']}")).json()
    assert shown["quote"] == {"state": "deleted", "quoted_status": None}


async def test_quote_refusals(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    private = await post(client, alice, status="Mine", visibility="private")
    public = await post(client, alice, status="Public")
    reblog = await client.post(f"/api/v1/statuses/{public['id']}/reblog", headers=bob.headers)
    for quoted_id in (private["id"], "12345", reblog.json()["id"]):
        response = await client.post(
            "/api/v1/statuses",
            json={"status": "q", "quoted_status_id": quoted_id},
            headers=bob.headers,
        )
        assert response.status_code == 422, quoted_id
    # Even the author may not quote a followers-only status of theirs.
    own = await client.post(
        "/api/v1/statuses",
        json={"status": "q", "quoted_status_id": private["id"]},
        headers=alice.headers,
    )
    assert own.status_code == 422


async def test_a_quote_never_carries_a_post_its_reader_may_not_see(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    original = await post(client, alice, status="Quote me")
    quoting = await post(client, bob, status="Look", quoted_status_id=original["id"])
    blocked = await client.post(f"/api/v1/accounts/{carol.account_id}/block", headers=alice.headers)
    assert blocked.status_code == 200
    for viewer, state in ((carol, "unauthorized"), (bob, "accepted")):
        seen = await client.get(f"/api/v1/statuses/{quoting['id']}", headers=viewer.headers)
        assert seen.status_code == 200
        assert seen.json()["quote"]["state"] == state
    shown = (await client.get(f"/api/v1/statuses/{quoting['id']}", headers=carol.headers)).json()
    assert shown["quote"]["quoted_status"] is None
    assert "Quote me" not in str(shown)
