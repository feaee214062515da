"""POST /api/v1/statuses and GET /api/v1/statuses/:id."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from godwit.storage.schema import mentions, status_tags, statuses
from tests.api.statuses_helpers import components_of, post, row_count
from tests.factories import make_member


async def test_post_with_mention_hashtag_and_link(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    text = "Hi @bob and @nobody, see https://example.com/page #Godwit"
    entity = await post(client, alice, status=text, language="en")

    assert entity["account"]["id"] == str(alice.account_id)
    assert entity["visibility"] == "public"
    assert entity["language"] == "en"
    assert entity["mentions"] == [
        {
            "id": str(bob.account_id),
            "username": "bob",
            "acct": "bob",
            "url": "https://godwit.test/@bob",
        }
    ]
    assert entity["tags"] == [{"name": "godwit", "url": "https://godwit.test/tags/godwit"}]
    content = entity["content"]
    assert 'href="https://godwit.test/@bob" class="u-url mention">@<span>bob</span>' in content
    assert "@nobody" in content
    assert "@<span>nobody" not in content
    assert 'href="https://example.com/page"' in content
    assert 'href="https://godwit.test/tags/Godwit" class="mention hashtag"' in content
    assert entity["uri"] == f"https://godwit.test/users/alice/statuses/{entity['id']}"
    assert entity["url"] == f"https://godwit.test/@alice/{entity['id']}"
    assert entity["favourited"] is False
    assert entity["pinned"] is False
    assert entity["application"]["name"] == "test app for alice"
    assert "text" not in entity

    status_id = int(entity["id"])
    assert await row_count(components, mentions, status_id=status_id) == 1
    assert await row_count(components, status_tags, status_id=status_id) == 1
    async with components.database.read() as conn:
        source = await conn.scalar(select(statuses.c.text).where(statuses.c.id == status_id))
    assert source == text  # the source is kept as written

    shown = await client.get(f"/api/v1/statuses/{status_id}")
    assert shown.status_code == 200
    assert shown.json()["content"] == content
    assert "favourited" not in shown.json()  # per-viewer fields only for members
    assert "application" not in shown.json() or shown.json()["application"] is None


async def test_post_updates_author_counters(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    await post(client, alice, status="one")
    await post(client, alice, status="two", visibility="unlisted")
    await post(client, alice, status="secret", visibility="direct")
    async with components.store.read() as tx:
        account = await tx.accounts.get(alice.account_id)
    assert account is not None
    assert account.statuses_count == 2  # direct statuses do not count, as in Mastodon
    assert account.last_status_at is not None


async def test_form_and_multipart_bodies(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    form = await client.post(
        "/api/v1/statuses",
        data={"status": "from a form", "sensitive": "true", "visibility": "unlisted"},
        headers=alice.headers,
    )
    assert form.status_code == 200, form.text
    assert form.json()["sensitive"] is True
    assert form.json()["visibility"] == "unlisted"
    multipart = await client.post(
        "/api/v1/statuses",
        files={"status": (None, "from multipart"), "spoiler_text": (None, "cw")},
        headers=alice.headers,
    )
    assert multipart.status_code == 200, multipart.text
    body = multipart.json()
    assert body["spoiler_text"] == "cw"
    assert body["sensitive"] is True  # a content warning makes the post sensitive
    assert body["content"] == "<p>from multipart</p>"


async def test_default_visibility_from_preferences(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    async with components.store.write() as tx:
        user = await tx.accounts.get_user_by_account(alice.account_id)
        assert user is not None
        await tx.accounts.update_preferences(user.id, {"posting:default:visibility": "private"})
    entity = await post(client, alice, status="quiet by default")
    assert entity["visibility"] == "private"


async def test_max_length_counts_links_as_23(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    long_url = "https://example.com/" + "a" * 400
    fits = "x" * 476 + " " + long_url  # 476 + 1 + 23 = 500
    entity = await post(client, alice, status=fits)
    assert long_url in entity["content"]
    over = await client.post("/api/v1/statuses", json={"status": "x" * 501}, headers=alice.headers)
    assert over.status_code == 422
    assert over.json()["details"]["text"][0]["error"] == "ERR_TOO_LONG"
    with_spoiler = await client.post(
        "/api/v1/statuses",
        json={"status": "x" * 450, "spoiler_text": "y" * 51},
        headers=alice.headers,
    )
    assert with_spoiler.status_code == 422


async def test_idempotency_key_replays_the_same_status(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    headers = {**alice.headers, "Idempotency-Key": "abc-123"}
    first = await client.post("/api/v1/statuses", json={"status": "once"}, headers=headers)
    second = await client.post("/api/v1/statuses", json={"status": "once"}, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert await row_count(components, statuses, account_id=alice.account_id) == 1
    other = await client.post(
        "/api/v1/statuses",
        json={"status": "once"},
        headers={**alice.headers, "Idempotency-Key": "another"},
    )
    assert other.json()["id"] != first.json()["id"]
    bob = await make_member(components, "bob")
    bobs = await client.post(
        "/api/v1/statuses",
        json={"status": "once"},
        headers={**bob.headers, "Idempotency-Key": "abc-123"},
    )
    assert bobs.json()["id"] != first.json()["id"]  # keys are per account


async def test_reply_sets_parent_and_counts(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    parent = await post(client, alice, status="parent")
    reply = await post(client, bob, status="@alice reply", in_reply_to_id=parent["id"])
    assert reply["in_reply_to_id"] == parent["id"]
    assert reply["in_reply_to_account_id"] == str(alice.account_id)
    shown = await client.get(f"/api/v1/statuses/{parent['id']}")
    assert shown.json()["replies_count"] == 1


async def test_mention_with_own_domain_resolves(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    entity = await post(client, alice, status="hey @Bob@godwit.test and @bob@elsewhere.example")
    assert [m["id"] for m in entity["mentions"]] == [str(bob.account_id)]
    assert "@bob@elsewhere.example" in entity["content"]
