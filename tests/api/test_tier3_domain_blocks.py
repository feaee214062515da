"""Per-member domain blocks: the list, normalisation, and what they hide."""

from __future__ import annotations

import httpx

from tests.api.tier3_helpers import (
    components_of,
    make_remote_account,
    post,
    remote_status,
    settle,
)
from tests.factories import make_member


async def test_blocking_listing_and_unblocking_domains(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    for domain in ("Spam.Example.", "https://other.example/path", "spam.example"):
        response = await client.post(
            "/api/v1/domain_blocks", data={"domain": domain}, headers=alice.headers
        )
        assert response.status_code == 200, response.text
        assert response.json() == {}

    listed = await client.get("/api/v1/domain_blocks", headers=alice.headers)
    assert listed.status_code == 200
    assert listed.json() == ["other.example", "spam.example"]  # newest first, normalised once
    assert 'rel="next"' in listed.headers["link"]
    first = await client.get("/api/v1/domain_blocks", params={"limit": 1}, headers=alice.headers)
    assert first.json() == ["other.example"]
    next_url = first.headers["link"].split(";")[0].strip("<>")
    assert (await client.get(next_url, headers=alice.headers)).json() == ["spam.example"]

    removed = await client.request(
        "DELETE", "/api/v1/domain_blocks", params={"domain": "SPAM.example"}, headers=alice.headers
    )
    assert removed.status_code == 200
    remaining = await client.get("/api/v1/domain_blocks", headers=alice.headers)
    assert remaining.json() == ["other.example"]


async def test_own_and_malformed_domains_are_refused(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    own = components.settings.domain.split(":")[0]
    for domain in (own, "not a domain", "", "-bad-.example"):
        response = await client.post(
            "/api/v1/domain_blocks", data={"domain": domain}, headers=alice.headers
        )
        assert response.status_code == 422, (domain, response.text)
    assert (await client.get("/api/v1/domain_blocks", headers=alice.headers)).json() == []


async def test_a_blocked_domain_disappears_from_timelines_notifications_and_relationships(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    remote_id = await make_remote_account(components, "troll", "spam.example")
    remote_post = await remote_status(components, remote_id, "hi alice", mention=alice.account_id)
    friendly_id = await make_remote_account(components, "friend", "fine.example")
    await remote_status(components, friendly_id, "hello alice", mention=alice.account_id)
    local_post = await post(client, bob, "local hello")
    await settle(client)

    def ids(response: httpx.Response) -> list[str]:
        return [item["id"] for item in response.json()]

    public = await client.get("/api/v1/timelines/public", headers=alice.headers)
    assert str(remote_post) in ids(public)
    notes = await client.get("/api/v1/notifications", headers=alice.headers)
    assert len(notes.json()) == 2

    await client.post(
        "/api/v1/domain_blocks", data={"domain": "spam.example"}, headers=alice.headers
    )
    public = await client.get("/api/v1/timelines/public", headers=alice.headers)
    assert str(remote_post) not in ids(public)
    assert local_post in ids(public)
    notes = await client.get("/api/v1/notifications", headers=alice.headers)
    # Only the blocked domain's notification goes; another remote server's stays.
    assert [note["account"]["id"] for note in notes.json()] == [str(friendly_id)]
    direct = await client.get(f"/api/v1/statuses/{remote_post}", headers=alice.headers)
    assert direct.status_code == 404
    rel = await client.get(
        "/api/v1/accounts/relationships",
        params={"id[]": [str(remote_id), str(bob.account_id)]},
        headers=alice.headers,
    )
    assert [item["domain_blocking"] for item in rel.json()] == [True, False]
    # Only alice blocked the domain: bob still sees the post.
    public = await client.get("/api/v1/timelines/public", headers=bob.headers)
    assert str(remote_post) in ids(public)
