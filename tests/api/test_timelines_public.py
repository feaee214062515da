"""GET /api/v1/timelines/public and /api/v1/timelines/tag/:hashtag."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from sqlalchemy import insert

from godwit.app import Components
from godwit.config import Settings
from godwit.domain.ids import new_id
from godwit.storage.schema import accounts, statuses
from tests.api.timelines_helpers import components_of, follow, post, reblog, settle, timeline
from tests.factories import TEST_PUBLIC_KEY, make_member


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.replace(run_jobs_in_process=False)


async def remote_public_status(components: Components, text: str) -> int:
    """A status from another server, written straight to the tables (no federation yet)."""
    now = dt.datetime.now(dt.UTC)
    account_id, status_id = new_id(), new_id()
    async with components.database.write() as conn:
        await conn.execute(
            insert(accounts).values(
                id=account_id,
                username="faraway",
                username_key="faraway",
                domain="remote.example",
                fields=[],
                uri="https://remote.example/users/faraway",
                url="https://remote.example/@faraway",
                public_key_pem=TEST_PUBLIC_KEY,
                created_at=now,
                updated_at=now,
            )
        )
        await conn.execute(
            insert(statuses).values(
                id=status_id,
                account_id=account_id,
                uri=f"https://remote.example/users/faraway/statuses/{status_id}",
                url=f"https://remote.example/@faraway/{status_id}",
                local=False,
                text=text,
                content=f"<p>{text}</p>",
                visibility="public",
                created_at=now,
            )
        )
    return status_id


def ids_of(response: httpx.Response) -> list[str]:
    return [status["id"] for status in response.json()]


async def test_public_timeline_local_remote_and_all(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    local = await post(client, alice, "hello world")
    await post(client, alice, "unlisted", visibility="unlisted")
    await post(client, alice, "private", visibility="private")
    await post(client, alice, "direct to @bob", visibility="direct")
    await reblog(client, bob, local["id"])
    await post(client, bob, "a reply to alice", in_reply_to_id=local["id"])
    remote = str(await remote_public_status(components, "from afar"))
    await settle(client)

    everything = await timeline(client, "/api/v1/timelines/public")
    assert ids_of(everything) == [remote, local["id"]]
    local_only = await timeline(client, "/api/v1/timelines/public", local="true")
    assert ids_of(local_only) == [local["id"]]
    remote_only = await timeline(client, "/api/v1/timelines/public", remote="true")
    assert ids_of(remote_only) == [remote]
    media = await timeline(client, "/api/v1/timelines/public", only_media="true")
    assert media.json() == []


async def test_public_timeline_hides_blocked_and_muted_authors(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    by_bob = await post(client, bob, "bob here")
    by_carol = await post(client, carol, "carol here")
    assert ids_of(await timeline(client, "/api/v1/timelines/public", alice)) == [
        by_carol["id"],
        by_bob["id"],
    ]
    blocked = await client.post(f"/api/v1/accounts/{bob.account_id}/block", headers=alice.headers)
    assert blocked.status_code == 200
    muted = await client.post(f"/api/v1/accounts/{carol.account_id}/mute", headers=alice.headers)
    assert muted.status_code == 200
    assert ids_of(await timeline(client, "/api/v1/timelines/public", alice)) == []
    # Anonymous readers still see both.
    assert len(ids_of(await timeline(client, "/api/v1/timelines/public"))) == 2


async def test_public_timeline_checks_a_token_when_one_is_sent(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    writer = await make_member(components, "writer", scopes="write")
    response = await client.get("/api/v1/timelines/public", headers=writer.headers)
    assert response.status_code == 403
    response = await client.get(
        "/api/v1/timelines/public", headers={"Authorization": "Bearer nonsense"}
    )
    assert response.status_code == 401


async def test_tag_timeline_any_all_none(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    cats = await post(client, alice, "I love #Cats")
    cats_dogs = await post(client, alice, "#cats and #dogs")
    dogs = await post(client, alice, "only #dogs")
    birds = await post(client, alice, "#birds #cats #dogs")
    await post(client, alice, "#cats but private", visibility="private")
    await post(client, alice, "no tags at all")

    async def tagged(tag: str, **query: object) -> list[str]:
        return ids_of(await timeline(client, f"/api/v1/timelines/tag/{tag}", **query))

    assert await tagged("cats") == [birds["id"], cats_dogs["id"], cats["id"]]
    assert await tagged("CATS") == await tagged("cats")
    assert await tagged("cats", **{"any[]": "dogs"}) == [
        birds["id"],
        dogs["id"],
        cats_dogs["id"],
        cats["id"],
    ]
    assert await tagged("cats", **{"all[]": "dogs"}) == [birds["id"], cats_dogs["id"]]
    assert await tagged("cats", **{"none[]": "dogs"}) == [cats["id"]]
    assert await tagged("cats", **{"all[]": ["dogs", "birds"]}) == [birds["id"]]
    assert await tagged("nothing") == []
    assert await tagged("cats", only_media="true") == []
    assert await tagged("cats", remote="true") == []
    assert await tagged("cats", local="true") == [birds["id"], cats_dogs["id"], cats["id"]]


async def test_tag_timeline_pages_with_link_header(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    posted = [(await post(client, alice, f"#daily number {n}"))["id"] for n in range(5)]
    first = await timeline(client, "/api/v1/timelines/tag/daily", limit=3)
    assert ids_of(first) == posted[::-1][:3]
    assert 'rel="next"' in first.headers["link"]
    second = await timeline(client, "/api/v1/timelines/tag/daily", limit=3, max_id=posted[2])
    assert ids_of(second) == posted[:2][::-1]


async def test_followed_post_in_public_and_home_agree(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    await follow(client, alice, bob)
    status = await post(client, bob, "everywhere")
    await settle(client)
    public = await timeline(client, "/api/v1/timelines/public", alice)
    home = await timeline(client, "/api/v1/timelines/home", alice)
    assert public.json()[0] == home.json()[0]
    assert public.json()[0]["id"] == status["id"]
