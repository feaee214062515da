"""Media in PUT /api/v1/statuses/:id: add, remove, reorder, describe (media_attributes);
the history keeps each version's attachments as they were; removed ones stay until the
post is deleted."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from godwit.storage.schema import media_attachments
from tests.api.media_helpers import fetch_file, uploaded
from tests.api.statuses_helpers import components_of, post
from tests.factories import Member, make_member
from tests.media.images import png


async def _edit(
    client: httpx.AsyncClient, member: Member, status_id: str, **body: Any
) -> httpx.Response:
    return await client.put(f"/api/v1/statuses/{status_id}", json=body, headers=member.headers)


def _ids(entity: dict[str, Any]) -> list[str]:
    return [media["id"] for media in entity["media_attachments"]]


async def _history(client: httpx.AsyncClient, status_id: str) -> list[dict[str, Any]]:
    answer = await client.get(f"/api/v1/statuses/{status_id}/history")
    assert answer.status_code == 200
    revisions: list[dict[str, Any]] = answer.json()
    return revisions


async def test_add_reorder_describe_and_remove_with_history(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    first = await uploaded(client, alice, description="first")
    second = await uploaded(client, alice, data=png(), content_type="image/png")
    status = await post(client, alice, status="words only")

    added = await _edit(client, alice, status["id"], status="with pictures",
                        media_ids=[first["id"], second["id"]])  # fmt: skip
    assert added.status_code == 200, added.text
    assert _ids(added.json()) == [first["id"], second["id"]]

    reordered = await _edit(
        client,
        alice,
        status["id"],
        media_ids=[second["id"], first["id"]],
        media_attributes=[{"id": first["id"], "description": "renamed", "focus": "0.5,0.5"}],
    )
    assert reordered.status_code == 200, reordered.text
    assert _ids(reordered.json()) == [second["id"], first["id"]]
    renamed = reordered.json()["media_attachments"][1]
    assert renamed["description"] == "renamed"
    assert renamed["meta"]["focus"] == {"x": 0.5, "y": 0.5}

    removed = await _edit(client, alice, status["id"], media_ids=[second["id"]])
    assert _ids(removed.json()) == [second["id"]]

    history = await _history(client, status["id"])
    assert [_ids(revision) for revision in history] == [
        [],
        [first["id"], second["id"]],
        [second["id"], first["id"]],
        [second["id"]],
    ]
    # Each revision shows the description the attachment had then.
    assert history[1]["media_attachments"][0]["description"] == "first"
    assert history[2]["media_attachments"][1]["description"] == "renamed"
    # The removed attachment is kept for the history: its file is still served…
    await components.job_runner.run_until_idle()
    assert (await fetch_file(client, first["url"])).status_code == 200
    # …but it no longer counts as the post's media, and cannot go into another post.
    elsewhere = await client.post(
        "/api/v1/statuses", json={"status": "x", "media_ids": [first["id"]]}, headers=alice.headers
    )
    assert elsewhere.status_code == 422
    # It may come back in a later edit of the same post.
    back = await _edit(client, alice, status["id"], media_ids=[first["id"], second["id"]])
    assert _ids(back.json()) == [first["id"], second["id"]]


async def test_an_edit_states_the_whole_post_so_leaving_media_ids_out_removes_them(
    client: httpx.AsyncClient,
) -> None:
    alice = await make_member(components_of(client), "alice")
    media = await uploaded(client, alice)
    status = await post(client, alice, status="a photo", media_ids=[media["id"]])
    kept = await _edit(client, alice, status["id"], status="same photo", media_ids=[media["id"]])
    assert _ids(kept.json()) == [media["id"]]
    dropped = await _edit(client, alice, status["id"], status="no photo now")
    assert _ids(dropped.json()) == []
    again = await _edit(client, alice, status["id"], media_ids=[media["id"]])
    assert _ids(again.json()) == [media["id"]]
    cleared = await _edit(client, alice, status["id"], media_ids=[])
    assert _ids(cleared.json()) == []
    # A form's lone "media_ids[]=" means the same.
    await _edit(client, alice, status["id"], media_ids=[media["id"]])
    form = await client.put(
        f"/api/v1/statuses/{status['id']}", data={"media_ids[]": ""}, headers=alice.headers
    )
    assert form.status_code == 200, form.text
    assert _ids(form.json()) == []


async def test_a_post_may_become_media_only(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    media = await uploaded(client, alice)
    status = await post(client, alice, status="caption")
    answer = await _edit(client, alice, status["id"], status="", media_ids=[media["id"]])
    assert answer.status_code == 200, answer.text
    blank = await _edit(client, alice, status["id"], status="", media_ids=[])
    assert blank.status_code == 422


async def test_description_only_edit_is_a_revision(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    media = await uploaded(client, alice, description="old")
    status = await post(client, alice, status="pic", media_ids=[media["id"]])
    answer = await _edit(
        client,
        alice,
        status["id"],
        media_ids=[media["id"]],
        media_attributes=[{"id": media["id"], "description": "new"}],
    )
    assert answer.json()["media_attachments"][0]["description"] == "new"
    assert answer.json()["edited_at"] is not None
    descriptions = [
        r["media_attachments"][0]["description"] for r in await _history(client, status["id"])
    ]
    assert descriptions == ["old", "new"]
    # Naming the same description again changes nothing: no new revision.
    await _edit(
        client,
        alice,
        status["id"],
        media_ids=[media["id"]],
        media_attributes=[{"id": media["id"], "description": "new"}],
    )
    assert len(await _history(client, status["id"])) == 2


async def test_bad_media_edits_are_refused_and_change_nothing(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    mine = [await uploaded(client, alice) for _ in range(5)]
    theirs = await uploaded(client, bob)
    used = await uploaded(client, alice)
    await post(client, alice, status="other", media_ids=[used["id"]])
    status = await post(client, alice, status="target", media_ids=[mine[0]["id"]])
    for body in (
        {"media_ids": [m["id"] for m in mine]},  # five
        {"media_ids": [mine[1]["id"], mine[1]["id"]]},
        {"media_ids": [theirs["id"]]},
        {"media_ids": [used["id"]]},
        {"media_ids": ["not-an-id"]},
        {
            "media_ids": [mine[0]["id"]],
            "media_attributes": [{"id": mine[0]["id"], "description": "x" * 1501}],
        },
        {"media_ids": [mine[0]["id"]], "media_attributes": [{"description": "no id"}]},
        {"media_ids": [mine[0]["id"]], "media_attributes": [{"id": mine[0]["id"], "focus": "3,3"}]},
        {"media_ids": [mine[1]["id"]], "poll": {"options": ["a", "b"], "expires_in": 3600}},
    ):
        refused = await _edit(client, alice, status["id"], **body)
        assert refused.status_code == 422, body
    shown = await client.get(f"/api/v1/statuses/{status['id']}", headers=alice.headers)
    assert _ids(shown.json()) == [mine[0]["id"]]
    assert shown.json()["edited_at"] is None


async def test_deleting_an_edited_post_deletes_every_attachment_and_file(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    kept = await uploaded(client, alice)
    dropped = await uploaded(client, alice)
    status = await post(client, alice, status="two", media_ids=[kept["id"], dropped["id"]])
    await _edit(client, alice, status["id"], media_ids=[kept["id"]])
    deleted = await client.delete(f"/api/v1/statuses/{status['id']}", headers=alice.headers)
    assert deleted.status_code == 200
    await components.job_runner.run_until_idle()
    for media in (kept, dropped):
        assert (await fetch_file(client, media["url"])).status_code == 404
    async with components.database.read() as conn:
        assert await conn.scalar(select(func.count()).select_from(media_attachments)) == 0
