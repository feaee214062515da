"""Polls: created with a status, shown on it and at /api/v1/polls/:id, voted on, ended."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.polls_helpers import end_poll
from tests.api.statuses_helpers import post
from tests.api.timelines_helpers import components_of, settle
from tests.factories import make_member

POLL = {"options": ["tea", "coffee", "water"], "expires_in": 3600}


async def _vote(
    client: httpx.AsyncClient, headers: dict[str, str], poll_id: str, choices: list[Any]
) -> httpx.Response:
    return await client.post(
        f"/api/v1/polls/{poll_id}/votes", json={"choices": choices}, headers=headers
    )


async def test_poll_created_with_status_and_shown(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    status = await post(client, alice, status="Drink?", poll=POLL)
    poll = status["poll"]
    assert [option["title"] for option in poll["options"]] == ["tea", "coffee", "water"]
    assert [option["votes_count"] for option in poll["options"]] == [0, 0, 0]
    assert poll["multiple"] is False
    assert poll["expired"] is False
    assert poll["voted"] is True  # one's own poll counts as voted, as in Mastodon
    assert poll["own_votes"] == []

    shown = await client.get(f"/api/v1/polls/{poll['id']}")
    assert shown.status_code == 200
    assert "voted" not in shown.json()  # anonymous readers get no per-viewer fields
    again = await client.get(f"/api/v1/statuses/{status['id']}")
    assert again.json()["poll"]["id"] == poll["id"]


async def test_form_encoded_poll(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    response = await client.post(
        "/api/v1/statuses",
        data={
            "status": "Form poll",
            "poll[options][]": ["yes", "no"],
            "poll[expires_in]": "600",
            "poll[multiple]": "true",
        },
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["poll"]["multiple"] is True


async def test_single_choice_vote(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    poll_id = (await post(client, alice, status="Drink?", poll=POLL))["poll"]["id"]

    two = await _vote(client, bob.headers, poll_id, [0, 1])
    assert two.status_code == 422
    bad = await _vote(client, bob.headers, poll_id, [7])
    assert bad.status_code == 422
    superscript = await _vote(client, bob.headers, poll_id, ["³"])  # isdigit(), yet no int
    assert superscript.status_code == 422, superscript.text
    voted = await _vote(client, bob.headers, poll_id, ["1"])
    assert voted.status_code == 200, voted.text
    body = voted.json()
    assert body["voted"] is True
    assert body["own_votes"] == [1]
    assert body["votes_count"] == 1
    assert [option["votes_count"] for option in body["options"]] == [0, 1, 0]
    assert (await _vote(client, bob.headers, poll_id, [0])).status_code == 422  # once only
    assert (await _vote(client, alice.headers, poll_id, [0])).status_code == 422  # own poll
    seen = await client.get(f"/api/v1/polls/{poll_id}", headers=bob.headers)
    assert seen.json()["own_votes"] == [1]


async def test_multiple_choice_counts_voters(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    status = await post(client, alice, status="Which?", poll={**POLL, "multiple": True})
    poll_id = status["poll"]["id"]
    assert (await _vote(client, bob.headers, poll_id, [0, 2])).status_code == 200
    body = (await _vote(client, carol.headers, poll_id, [2])).json()
    assert body["votes_count"] == 3
    assert body["voters_count"] == 2
    assert [option["votes_count"] for option in body["options"]] == [1, 0, 2]


async def test_hidden_totals_until_the_end(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status = await post(client, alice, status="Secret", poll={**POLL, "hide_totals": True})
    poll_id = status["poll"]["id"]
    body = (await _vote(client, bob.headers, poll_id, [0])).json()
    assert [option["votes_count"] for option in body["options"]] == [None, None, None]
    await end_poll(client, poll_id)
    ended = (await client.get(f"/api/v1/polls/{poll_id}", headers=bob.headers)).json()
    assert ended["expired"] is True
    assert [option["votes_count"] for option in ended["options"]] == [1, 0, 0]


async def test_end_notifies_author_and_voters(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    status = await post(client, alice, status="Drink?", poll=POLL)
    poll_id = status["poll"]["id"]
    assert (await _vote(client, bob.headers, poll_id, [0])).status_code == 200
    await settle(client)
    await end_poll(client, poll_id)
    await end_poll(client, poll_id)  # a job run twice notifies once

    for member in (alice, bob):
        listed = await client.get("/api/v1/notifications", headers=member.headers)
        polls = [n for n in listed.json() if n["type"] == "poll"]
        assert len(polls) == 1, member.username
        assert polls[0]["status"]["id"] == status["id"]
    listed = await client.get("/api/v1/notifications", headers=carol.headers)
    assert [n for n in listed.json() if n["type"] == "poll"] == []  # did not vote
    late = await _vote(client, carol.headers, poll_id, [1])
    assert late.status_code == 422  # ended


async def test_poll_follows_status_visibility(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status = await post(client, alice, status="Followers", visibility="private", poll=POLL)
    poll_id = status["poll"]["id"]
    assert (await client.get(f"/api/v1/polls/{poll_id}")).status_code == 404
    assert (await _vote(client, bob.headers, poll_id, [0])).status_code == 404
    assert (await client.get("/api/v1/polls/999", headers=bob.headers)).status_code == 404


async def test_poll_refusals(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    bad_polls = [
        {"options": ["a"], "expires_in": 600},
        {"options": ["a", "b", "c", "d", "e"], "expires_in": 600},
        {"options": ["a", "x" * 51], "expires_in": 600},
        {"options": ["a", "a"], "expires_in": 600},
        {"options": ["a", "b"], "expires_in": 299},
        {"options": ["a", "b"], "expires_in": 40 * 86400},
    ]
    for poll in bad_polls:
        response = await client.post(
            "/api/v1/statuses", json={"status": "x", "poll": poll}, headers=alice.headers
        )
        assert response.status_code == 422, poll
    with_media = await client.post(
        "/api/v1/statuses",
        json={"status": "x", "poll": POLL, "media_ids": ["1"]},
        headers=alice.headers,
    )
    assert with_media.status_code == 422
