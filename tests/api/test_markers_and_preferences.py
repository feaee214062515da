"""GET/POST /api/v1/markers and GET /api/v1/preferences."""

from __future__ import annotations

import httpx

from godwit.app import Components
from tests.factories import make_member


def _components(client: httpx.AsyncClient) -> Components:
    return client.app.state.components  # type: ignore[attr-defined,no-any-return]


async def test_markers_are_saved_versioned_and_read_back(client: httpx.AsyncClient) -> None:
    alice = await make_member(_components(client), "alice")
    bob = await make_member(_components(client), "bob")
    empty = await client.get(
        "/api/v1/markers?timeline[]=home&timeline[]=notifications", headers=alice.headers
    )
    assert empty.status_code == 200
    assert empty.json() == {}

    first = await client.post(
        "/api/v1/markers", data={"home[last_read_id]": "1000"}, headers=alice.headers
    )
    assert first.status_code == 200
    home = first.json()["home"]
    assert home["last_read_id"] == "1000"
    assert home["version"] == 0
    assert home["updated_at"].endswith("Z")

    second = await client.post(
        "/api/v1/markers",
        json={"home": {"last_read_id": "2000"}, "notifications": {"last_read_id": "77"}},
        headers=alice.headers,
    )
    assert second.status_code == 200
    body = second.json()
    assert body["home"]["last_read_id"] == "2000"
    assert body["home"]["version"] == 1
    assert body["notifications"] == {
        "last_read_id": "77",
        "version": 0,
        "updated_at": body["notifications"]["updated_at"],
    }

    read = await client.get("/api/v1/markers?timeline[]=home", headers=alice.headers)
    assert list(read.json()) == ["home"]
    assert read.json()["home"]["version"] == 1
    both = await client.get(
        "/api/v1/markers?timeline[]=home&timeline[]=notifications&timeline[]=bogus",
        headers=alice.headers,
    )
    assert set(both.json()) == {"home", "notifications"}
    # Markers are per member.
    assert (await client.get("/api/v1/markers?timeline[]=home", headers=bob.headers)).json() == {}


async def test_bad_marker_input_is_a_422_and_writes_nothing(client: httpx.AsyncClient) -> None:
    alice = await make_member(_components(client), "alice")
    for body in (
        {},
        {"home[last_read_id]": "abc"},
        {"home[last_read_id]": "5", "notifications[last_read_id]": "-1"},
        {"home": "5"},
    ):
        response = await client.post("/api/v1/markers", data=body, headers=alice.headers)
        assert response.status_code == 422, body
        assert "error" in response.json()
    after = await client.get(
        "/api/v1/markers?timeline[]=home&timeline[]=notifications", headers=alice.headers
    )
    assert after.json() == {}


async def test_marker_scopes(client: httpx.AsyncClient) -> None:
    reader = await make_member(_components(client), "reader", scopes="read:statuses")
    assert (await client.get("/api/v1/markers", headers=reader.headers)).status_code == 200
    response = await client.post(
        "/api/v1/markers", data={"home[last_read_id]": "5"}, headers=reader.headers
    )
    assert response.status_code == 403
    assert (await client.get("/api/v1/markers")).status_code == 401


async def test_preferences_default_and_follow_the_members_settings(
    client: httpx.AsyncClient,
) -> None:
    components = _components(client)
    alice = await make_member(components, "alice")
    response = await client.get("/api/v1/preferences", headers=alice.headers)
    assert response.status_code == 200
    assert response.json() == {
        "posting:default:visibility": "public",
        "posting:default:sensitive": False,
        "posting:default:language": None,
        "reading:expand:media": "default",
        "reading:expand:spoilers": False,
        "reading:autoplay:gifs": False,
    }
    async with components.store.write() as tx:
        await tx.accounts.update_preferences(
            alice.user_id,
            {
                "posting:default:visibility": "private",
                "posting:default:sensitive": True,
                "posting:default:language": "fr",
            },
        )
    changed = (await client.get("/api/v1/preferences", headers=alice.headers)).json()
    assert changed["posting:default:visibility"] == "private"
    assert changed["posting:default:sensitive"] is True
    assert changed["posting:default:language"] == "fr"


async def test_preferences_need_read_accounts(client: httpx.AsyncClient) -> None:
    other = await make_member(_components(client), "other", scopes="read:statuses")
    assert (await client.get("/api/v1/preferences", headers=other.headers)).status_code == 403
    assert (await client.get("/api/v1/preferences")).status_code == 401
