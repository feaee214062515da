"""Editing statuses: PUT /api/v1/statuses/:id, history and source."""

from __future__ import annotations

import httpx

from godwit.storage.schema import mentions, notifications, status_edits
from tests.api.statuses_helpers import components_of, post, row_count
from tests.factories import make_member


async def test_edit_keeps_history_and_rerenders(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    status = await post(client, alice, status="hello @bob #first")
    status_id = status["id"]
    assert status["edited_at"] is None

    edited = await client.put(
        f"/api/v1/statuses/{status_id}",
        json={"status": "hello @carol #second", "spoiler_text": "cw"},
        headers=alice.headers,
    )
    assert edited.status_code == 200, edited.text
    entity = edited.json()
    assert entity["edited_at"] is not None
    assert "@carol" in entity["content"]
    assert "bob" not in entity["content"]
    assert [mention["username"] for mention in entity["mentions"]] == ["carol"]
    assert [tag["name"] for tag in entity["tags"]] == ["second"]
    assert entity["spoiler_text"] == "cw"
    assert entity["sensitive"] is True  # a content warning makes it sensitive
    assert await row_count(components, mentions, status_id=int(status_id)) == 1
    assert (
        await row_count(components, notifications, account_id=carol.account_id, type="mention") == 1
    )

    history = await client.get(f"/api/v1/statuses/{status_id}/history", headers=bob.headers)
    assert history.status_code == 200, history.text
    versions = history.json()
    assert len(versions) == 2
    assert "@bob" in versions[0]["content"]
    assert versions[0]["spoiler_text"] == ""
    assert "@carol" in versions[1]["content"]
    assert versions[1]["spoiler_text"] == "cw"
    assert versions[0]["account"]["id"] == str(alice.account_id)

    source = await client.get(f"/api/v1/statuses/{status_id}/source", headers=alice.headers)
    assert source.status_code == 200
    assert source.json() == {"id": status_id, "text": "hello @carol #second", "spoiler_text": "cw"}

    third = await client.put(
        f"/api/v1/statuses/{status_id}", json={"status": "third"}, headers=alice.headers
    )
    assert third.status_code == 200
    assert third.json()["spoiler_text"] == "cw"  # fields not sent stay as they were
    assert await row_count(components, status_edits, status_id=int(status_id)) == 3


async def test_unchanged_edit_records_nothing(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    status = await post(client, alice, status="same")
    same = await client.put(
        f"/api/v1/statuses/{status['id']}", json={"status": "same"}, headers=alice.headers
    )
    assert same.status_code == 200
    assert same.json()["edited_at"] is None
    assert await row_count(components, status_edits) == 0
    history = await client.get(f"/api/v1/statuses/{status['id']}/history")
    assert [version["content"] for version in history.json()] == [status["content"]]


async def test_only_the_author_edits_or_reads_the_source(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status = await post(client, alice, status="mine")
    edit = await client.put(
        f"/api/v1/statuses/{status['id']}", json={"status": "bob's now"}, headers=bob.headers
    )
    assert edit.status_code == 404
    source = await client.get(f"/api/v1/statuses/{status['id']}/source", headers=bob.headers)
    assert source.status_code == 404
    reblog = await client.post(f"/api/v1/statuses/{status['id']}/reblog", headers=bob.headers)
    of_reblog = await client.put(
        f"/api/v1/statuses/{reblog.json()['id']}", json={"status": "x"}, headers=bob.headers
    )
    assert of_reblog.status_code == 404
    assert await row_count(components, status_edits) == 0


async def test_history_of_a_hidden_status_is_not_found(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    private = await post(client, alice, status="followers only", visibility="private")
    hidden = await client.get(f"/api/v1/statuses/{private['id']}/history", headers=bob.headers)
    assert hidden.status_code == 404
    anonymous = await client.get(f"/api/v1/statuses/{private['id']}/history")
    assert anonymous.status_code == 404


async def test_bad_edits_are_refused(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    status = await post(client, alice, status="fine")
    url = f"/api/v1/statuses/{status['id']}"
    for body in (
        {"status": "   "},
        {"status": "x" * 600},
        {"status": "ok", "language": "not a language"},
        {"status": "ok", "media_ids": ["1"]},
    ):
        refused = await client.put(url, json=body, headers=alice.headers)
        assert refused.status_code == 422, body
    assert await row_count(components, status_edits) == 0


async def test_rebloggers_are_told_of_an_edit(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status = await post(client, alice, status="boost me")
    await client.post(f"/api/v1/statuses/{status['id']}/reblog", headers=bob.headers)
    edited = await client.put(
        f"/api/v1/statuses/{status['id']}", json={"status": "boosted"}, headers=alice.headers
    )
    assert edited.status_code == 200
    await components.job_runner.run_until_idle()
    assert await row_count(components, notifications, account_id=bob.account_id, type="update") == 1
    # The job may run again after a crash: it adds nothing the second time.
    await components.services.status_edits.handle_update_notify({"status_id": status["id"]})
    assert await row_count(components, notifications, account_id=bob.account_id, type="update") == 1
