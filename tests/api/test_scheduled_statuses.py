"""Scheduled statuses: kept until their time, then published through the normal path."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from tests.api.polls_helpers import make_scheduled_due
from tests.api.timelines_helpers import components_of, follow, home_ids, settle
from tests.factories import Member, make_member


def _later(minutes: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)).isoformat()


async def _schedule(client: httpx.AsyncClient, member: Member, **fields: Any) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/statuses",
        json={"status": "Later", "scheduled_at": _later(60), **fields},
        headers=member.headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_schedule_list_show_and_publish(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    await follow(client, bob, alice)
    await settle(client)
    scheduled = await _schedule(
        client, alice, visibility="unlisted", poll={"options": ["a", "b"], "expires_in": 600}
    )
    assert scheduled["params"]["text"] == "Later"
    assert scheduled["params"]["visibility"] == "unlisted"
    assert scheduled["params"]["poll"]["options"] == ["a", "b"]
    assert "created_at" not in scheduled  # a ScheduledStatus, not a Status

    listed = await client.get("/api/v1/scheduled_statuses", headers=alice.headers)
    assert [s["id"] for s in listed.json()] == [scheduled["id"]]
    assert "Link" in listed.headers
    shown = await client.get(f"/api/v1/scheduled_statuses/{scheduled['id']}", headers=alice.headers)
    assert shown.json()["id"] == scheduled["id"]
    other = await client.get(f"/api/v1/scheduled_statuses/{scheduled['id']}", headers=bob.headers)
    assert other.status_code == 404  # own only

    await settle(client)  # not due: nothing is published
    statuses = await client.get(f"/api/v1/accounts/{alice.account_id}/statuses")
    assert statuses.json() == []

    await make_scheduled_due(client, scheduled["id"])
    await make_scheduled_due(client, scheduled["id"])  # a second run publishes nothing more
    published = (
        await client.get(f"/api/v1/accounts/{alice.account_id}/statuses", headers=alice.headers)
    ).json()
    assert len(published) == 1
    assert published[0]["visibility"] == "unlisted"
    assert published[0]["poll"]["options"][0]["title"] == "a"
    assert published[0]["id"] in await home_ids(client, bob)  # fanned out when published
    gone = await client.get("/api/v1/scheduled_statuses", headers=alice.headers)
    assert gone.json() == []


async def test_reschedule_and_delete(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    scheduled = await _schedule(client, alice)
    path = f"/api/v1/scheduled_statuses/{scheduled['id']}"
    too_soon = await client.put(path, json={"scheduled_at": _later(1)}, headers=alice.headers)
    assert too_soon.status_code == 422
    moved = await client.put(path, json={"scheduled_at": _later(120)}, headers=alice.headers)
    assert moved.status_code == 200, moved.text
    assert moved.json()["scheduled_at"] > scheduled["scheduled_at"]
    deleted = await client.delete(path, headers=alice.headers)
    assert deleted.status_code == 200
    assert (await client.get(path, headers=alice.headers)).status_code == 404


async def test_scheduling_refusals(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    for fields in (
        {"status": "soon", "scheduled_at": _later(2)},
        {"status": "", "scheduled_at": _later(60)},
        {"status": "x", "scheduled_at": _later(60), "poll": {"options": ["a"], "expires_in": 600}},
    ):
        response = await client.post("/api/v1/statuses", json=fields, headers=alice.headers)
        assert response.status_code == 422, fields
    listed = await client.get("/api/v1/scheduled_statuses", headers=alice.headers)
    assert listed.json() == []
