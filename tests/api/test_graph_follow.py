"""Following through the API: counts, options, locked accounts and follow requests."""

from __future__ import annotations

import httpx
import pytest

from tests.api.graph_helpers import (
    backfill_jobs,
    components_of,
    counts,
    notification_count,
    relationship,
)
from tests.factories import make_member


async def test_follow_and_unfollow_keep_counts_feeds_and_notifications(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")

    response = await client.post(f"/api/v1/accounts/{bob.account_id}/follow", headers=alice.headers)
    assert response.status_code == 200, response.text
    rel = response.json()
    assert rel["id"] == str(bob.account_id)
    assert rel["following"] is True
    assert rel["requested"] is False
    assert rel["showing_reblogs"] is True
    assert rel["notifying"] is False
    assert await counts(components, bob.account_id) == (1, 0)
    assert await counts(components, alice.account_id) == (0, 1)
    assert (
        await notification_count(
            components, recipient=bob.account_id, sender=alice.account_id, type="follow"
        )
        == 1
    )
    assert {"reader_id": alice.account_id, "author_id": bob.account_id} in await backfill_jobs(
        components
    )
    assert (await relationship(client, bob.headers, alice.account_id))["followed_by"] is True

    # Following again is not a second follow.
    again = await client.post(f"/api/v1/accounts/{bob.account_id}/follow", headers=alice.headers)
    assert again.status_code == 200
    assert await counts(components, bob.account_id) == (1, 0)

    response = await client.post(
        f"/api/v1/accounts/{bob.account_id}/unfollow", headers=alice.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["following"] is False
    assert await counts(components, bob.account_id) == (0, 0)
    assert await counts(components, alice.account_id) == (0, 0)
    assert (
        await notification_count(
            components, recipient=bob.account_id, sender=alice.account_id, type="follow"
        )
        == 0
    )
    # Unfollowing someone not followed is harmless and changes nothing.
    response = await client.post(
        f"/api/v1/accounts/{bob.account_id}/unfollow", headers=alice.headers
    )
    assert response.status_code == 200
    assert await counts(components, bob.account_id) == (0, 0)


async def test_following_again_updates_the_options(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    url = f"/api/v1/accounts/{bob.account_id}/follow"
    first = await client.post(url, json={"languages": ["EN", "de"]}, headers=alice.headers)
    assert first.json()["languages"] == ["en", "de"]
    changed = await client.post(url, json={"reblogs": False, "notify": True}, headers=alice.headers)
    assert changed.status_code == 200
    rel = changed.json()
    assert rel["showing_reblogs"] is False
    assert rel["notifying"] is True
    assert rel["languages"] == ["en", "de"]  # not sent, so kept
    form = await client.post(url, data={"reblogs": "true"}, headers=alice.headers)
    assert form.json()["showing_reblogs"] is True
    assert form.json()["notifying"] is True
    assert await counts(components, bob.account_id) == (1, 0)


async def test_follow_refusals_are_json_4xx(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    reader = await make_member(components, "reader", scopes="read")

    itself = await client.post(f"/api/v1/accounts/{alice.account_id}/follow", headers=alice.headers)
    assert itself.status_code == 403
    assert "error" in itself.json()
    for bad in ("12345", "abc", "-1", "99999999999999999999999"):
        missing = await client.post(f"/api/v1/accounts/{bad}/follow", headers=alice.headers)
        assert missing.status_code == 404, bad
        assert missing.json() == {"error": "Record not found"}
    wrong_type = await client.post(
        f"/api/v1/accounts/{bob.account_id}/follow",
        json={"reblogs": "perhaps"},
        headers=alice.headers,
    )
    assert wrong_type.status_code == 422
    assert "error" in wrong_type.json()
    bad_language = await client.post(
        f"/api/v1/accounts/{bob.account_id}/follow",
        json={"languages": ["not a language"]},
        headers=alice.headers,
    )
    assert bad_language.status_code == 422
    languages_object = await client.post(
        f"/api/v1/accounts/{bob.account_id}/follow",
        json={"languages": [{"x": 1}]},
        headers=alice.headers,
    )
    assert languages_object.status_code == 422
    anonymous = await client.post(f"/api/v1/accounts/{bob.account_id}/follow")
    assert anonymous.status_code == 401
    read_only = await client.post(
        f"/api/v1/accounts/{bob.account_id}/follow", headers=reader.headers
    )
    assert read_only.status_code == 403
    # None of the refused requests wrote anything.
    assert await counts(components, bob.account_id) == (0, 0)
    assert await counts(components, alice.account_id) == (0, 0)


async def test_a_locked_account_gets_a_follow_request_it_can_authorize(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    locked = await make_member(components, "locked", locked=True)
    bob = await make_member(components, "bob")

    response = await client.post(
        f"/api/v1/accounts/{locked.account_id}/follow", json={"notify": True}, headers=bob.headers
    )
    assert response.status_code == 200, response.text
    rel = response.json()
    assert rel["requested"] is True
    assert rel["following"] is False
    assert rel["notifying"] is True
    assert await counts(components, locked.account_id) == (0, 0)
    assert (
        await notification_count(
            components, recipient=locked.account_id, sender=bob.account_id, type="follow_request"
        )
        == 1
    )
    assert (await relationship(client, locked.headers, bob.account_id))["requested_by"] is True

    listed = await client.get("/api/v1/follow_requests", headers=locked.headers)
    assert listed.status_code == 200
    assert [account["id"] for account in listed.json()] == [str(bob.account_id)]
    assert 'rel="next"' in listed.headers["link"]

    authorized = await client.post(
        f"/api/v1/follow_requests/{bob.account_id}/authorize", headers=locked.headers
    )
    assert authorized.status_code == 200, authorized.text
    assert authorized.json()["id"] == str(bob.account_id)
    assert authorized.json()["followed_by"] is True
    assert authorized.json()["requested_by"] is False
    assert await counts(components, locked.account_id) == (1, 0)
    assert await counts(components, bob.account_id) == (0, 1)
    assert (
        await notification_count(
            components, recipient=locked.account_id, sender=bob.account_id, type="follow_request"
        )
        == 0
    )
    assert {"reader_id": bob.account_id, "author_id": locked.account_id} in await backfill_jobs(
        components
    )
    mine = await relationship(client, bob.headers, locked.account_id)
    assert mine["following"] is True
    assert mine["requested"] is False
    assert mine["notifying"] is True  # the request's options carry over

    emptied = await client.get("/api/v1/follow_requests", headers=locked.headers)
    assert emptied.json() == []
    assert "link" not in emptied.headers
    again = await client.post(
        f"/api/v1/follow_requests/{bob.account_id}/authorize", headers=locked.headers
    )
    assert again.status_code == 404


async def test_a_follow_request_can_be_rejected_or_withdrawn(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    locked = await make_member(components, "locked", locked=True)
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    for member in (bob, carol):
        response = await client.post(
            f"/api/v1/accounts/{locked.account_id}/follow", headers=member.headers
        )
        assert response.json()["requested"] is True

    rejected = await client.post(
        f"/api/v1/follow_requests/{bob.account_id}/reject", headers=locked.headers
    )
    assert rejected.status_code == 200
    assert rejected.json()["requested_by"] is False
    assert rejected.json()["followed_by"] is False
    withdrawn = await client.post(
        f"/api/v1/accounts/{locked.account_id}/unfollow", headers=carol.headers
    )
    assert withdrawn.json()["requested"] is False
    assert (
        await notification_count(
            components, recipient=locked.account_id, sender=carol.account_id, type="follow_request"
        )
        == 0
    )
    listed = await client.get("/api/v1/follow_requests", headers=locked.headers)
    assert listed.json() == []
    assert await counts(components, locked.account_id) == (0, 0)
    for path in ("authorize", "reject"):
        for target in ("nope", str(carol.account_id)):
            response = await client.post(
                f"/api/v1/follow_requests/{target}/{path}", headers=locked.headers
            )
            assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("GET", "/api/v1/follow_requests", "write"),
        ("POST", "/api/v1/follow_requests/{id}/authorize", "read"),
        ("POST", "/api/v1/accounts/{id}/remove_from_followers", "read"),
    ],
)
async def test_follow_request_endpoints_enforce_scopes(
    client: httpx.AsyncClient, method: str, path: str, scope: str
) -> None:
    components = components_of(client)
    member = await make_member(components, "scoped", scopes=scope)
    other = await make_member(components, "other")
    response = await client.request(
        method, path.format(id=other.account_id), headers=member.headers
    )
    assert response.status_code == 403
