"""Editing a status's poll through PUT /api/v1/statuses/:id: added, changed (votes reset
when the options or ``multiple`` change), its end moved, removed; the history keeps each
revision's options."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from godwit.storage.schema import jobs, notifications, poll_votes, polls, status_edits
from tests.api.polls_helpers import end_poll, run_delayed_jobs
from tests.api.statuses_helpers import components_of, post, row_count
from tests.api.timelines_helpers import settle
from tests.factories import Member, make_member

POLL = {"options": ["tea", "coffee"], "expires_in": 3600}


async def _edit(
    client: httpx.AsyncClient, member: Member, status_id: str, **fields: Any
) -> dict[str, Any]:
    response = await client.put(
        f"/api/v1/statuses/{status_id}", json=fields, headers=member.headers
    )
    assert response.status_code == 200, response.text
    entity: dict[str, Any] = response.json()
    return entity


async def _vote(client: httpx.AsyncClient, member: Member, poll_id: str, *choices: int) -> None:
    response = await client.post(
        f"/api/v1/polls/{poll_id}/votes", json={"choices": list(choices)}, headers=member.headers
    )
    assert response.status_code == 200, response.text


async def _history(client: httpx.AsyncClient, status_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/v1/statuses/{status_id}/history")
    assert response.status_code == 200, response.text
    versions: list[dict[str, Any]] = response.json()
    return versions


async def _expiry_payloads(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    async with components_of(client).database.read() as conn:
        rows = await conn.execute(
            select(jobs.c.payload).where(jobs.c.kind == "poll.expire").order_by(jobs.c.run_at)
        )
        return [dict(row.payload) for row in rows]


def _titles(poll: dict[str, Any]) -> list[str]:
    return [option["title"] for option in poll["options"]]


def _ends(entity: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(entity["poll"]["expires_at"].replace("Z", "+00:00"))


async def test_a_poll_is_added_to_a_post_without_one(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    status = await post(client, alice, status="Which one?")
    edited = await _edit(client, alice, status["id"], status="Which one?", poll=POLL)
    assert edited["edited_at"] is not None
    assert _titles(edited["poll"]) == ["tea", "coffee"]
    assert edited["poll"]["votes_count"] == 0
    shown = await client.get(f"/api/v1/polls/{edited['poll']['id']}")
    assert shown.status_code == 200
    versions = await _history(client, status["id"])
    assert len(versions) == 2
    assert "poll" not in versions[0]  # no poll then: left out, as in Mastodon
    assert versions[1]["poll"] == {"options": [{"title": "tea"}, {"title": "coffee"}]}
    # Its end is scheduled like a new poll's.
    assert await row_count(components_of(client), jobs, kind="poll.expire") == 1


async def test_changing_the_options_resets_votes_and_keeps_the_old_ones_in_history(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status = await post(client, alice, status="Drink?", poll=POLL)
    poll_id = status["poll"]["id"]
    await _vote(client, bob, poll_id, 1)

    edited = await _edit(
        client, alice, status["id"], status="Drink?", poll={**POLL, "options": ["tea", "cocoa"]}
    )
    poll = edited["poll"]
    assert poll["id"] == poll_id  # the same poll, changed in place
    assert _titles(poll) == ["tea", "cocoa"]
    assert [option["votes_count"] for option in poll["options"]] == [0, 0]
    assert poll["votes_count"] == 0
    assert await row_count(components, poll_votes) == 0
    seen = await client.get(f"/api/v1/polls/{poll_id}", headers=bob.headers)
    assert seen.json()["voted"] is False
    assert seen.json()["own_votes"] == []
    await _vote(client, bob, poll_id, 0)  # the reset lets bob vote again

    versions = await _history(client, status["id"])
    assert [_titles(version["poll"]) for version in versions] == [
        ["tea", "coffee"],
        ["tea", "cocoa"],
    ]
    # Voters are not notified of the reset (Mastodon does not either).
    await settle(client)
    assert await row_count(components, notifications, account_id=bob.account_id) == 0


async def test_switching_to_multiple_resets_and_hide_totals_does_not(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status = await post(client, alice, status="Drink?", poll=POLL)
    poll_id = status["poll"]["id"]
    await _vote(client, bob, poll_id, 0)

    hidden = await _edit(
        client, alice, status["id"], status="Drink?", poll={**POLL, "hide_totals": True}
    )
    assert hidden["poll"]["votes_count"] == 1  # totals hidden, votes kept
    theirs = (await client.get(f"/api/v1/polls/{poll_id}", headers=bob.headers)).json()
    assert [option["votes_count"] for option in theirs["options"]] == [None, None]

    multiple = await _edit(
        client, alice, status["id"], status="Drink?", poll={**POLL, "multiple": True}
    )
    assert multiple["poll"]["multiple"] is True
    assert multiple["poll"]["votes_count"] == 0
    assert multiple["poll"]["voters_count"] == 0
    await _vote(client, bob, poll_id, 0, 1)


async def test_moving_the_end_keeps_votes_and_only_the_new_end_closes_the_poll(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status = await post(client, alice, status="Drink?", poll=POLL)
    poll_id = status["poll"]["id"]
    await _vote(client, bob, poll_id, 1)

    later = await _edit(
        client, alice, status["id"], status="Drink?", poll={**POLL, "expires_in": 7200}
    )
    assert later["poll"]["votes_count"] == 1
    assert _ends(later) - _ends(status) > dt.timedelta(minutes=55)
    queued = await _expiry_payloads(client)
    assert len(queued) == 2  # one for the old end, one for the new
    # The job queued for the old end finds the poll still open and does nothing (it does
    # not fail to be retried); the new end's job, run early, still refuses to close it.
    await components.services.polls.handle_expiry(queued[0])
    with pytest.raises(RuntimeError):
        await components.services.polls.handle_expiry(queued[1])
    assert await row_count(components, notifications, type="poll") == 0

    await end_poll(client, poll_id)
    assert await row_count(components, notifications, type="poll") == 2  # alice and bob


async def test_an_edit_without_a_poll_removes_it_and_history_keeps_it(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status = await post(client, alice, status="Drink?", poll=POLL)
    poll_id = status["poll"]["id"]
    await _vote(client, bob, poll_id, 0)

    edited = await _edit(client, alice, status["id"], status="No poll after all")
    assert edited["poll"] is None
    assert await row_count(components, polls) == 0
    assert await row_count(components, poll_votes) == 0
    assert (await client.get(f"/api/v1/polls/{poll_id}")).status_code == 404
    versions = await _history(client, status["id"])
    assert _titles(versions[0]["poll"]) == ["tea", "coffee"]
    assert "poll" not in versions[1]
    # The expiry job of the removed poll finds nothing to do.
    await run_delayed_jobs(client, "poll.expire")
    assert await row_count(components, notifications, type="poll") == 0


async def test_a_form_encoded_edit_with_a_poll(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    status = await post(client, alice, status="Form?")
    response = await client.put(
        f"/api/v1/statuses/{status['id']}",
        data={
            "status": "Form?",
            "poll[options][]": ["yes", "no", "maybe"],
            "poll[expires_in]": "600",
            "poll[multiple]": "true",
        },
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    assert _titles(response.json()["poll"]) == ["yes", "no", "maybe"]
    assert response.json()["poll"]["multiple"] is True


async def test_bad_poll_edits_change_nothing(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status = await post(client, alice, status="Drink?", poll=POLL)
    await _vote(client, bob, status["poll"]["id"], 0)
    url = f"/api/v1/statuses/{status['id']}"
    for poll in (
        {"options": ["only one"], "expires_in": 600},
        {"options": ["a", "b"]},  # expires_in is required
        {"options": ["a", "b"], "expires_in": 60},
        {"options": ["a", "a"], "expires_in": 600},
        {"options": "not a list", "expires_in": 600},
    ):
        refused = await client.put(
            url, json={"status": "Drink?", "poll": poll}, headers=alice.headers
        )
        assert refused.status_code == 422, poll
        assert "error" in refused.json()
    with_media = await client.put(
        url, json={"status": "Drink?", "poll": POLL, "media_ids": ["1"]}, headers=alice.headers
    )
    assert with_media.status_code == 422
    assert await row_count(components, status_edits) == 0
    assert await row_count(components, poll_votes) == 1
    shown = (await client.get(f"/api/v1/statuses/{status['id']}")).json()
    assert _titles(shown["poll"]) == ["tea", "coffee"]
    assert shown["edited_at"] is None


async def test_a_never_edited_status_shows_its_poll_in_its_one_version(
    client: httpx.AsyncClient,
) -> None:
    alice = await make_member(components_of(client), "alice")
    status = await post(client, alice, status="Drink?", poll=POLL)
    versions = await _history(client, status["id"])
    assert len(versions) == 1
    assert _titles(versions[0]["poll"]) == ["tea", "coffee"]
    assert versions[0]["media_attachments"] == []
    assert versions[0]["emojis"] == []
