"""/api/v1/push/subscription: create, read, update, delete; validation; the push scope; one
subscription per token; revoking the token removes it; the VAPID key in the instance."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from godwit.app import Components
from godwit.config import Settings
from godwit.storage.schema import push_subscriptions, server_keys
from tests.api.oauth_helpers import (
    authorization_code,
    components_of,
    exchange,
    member_with_password,
    register_app,
)
from tests.factories import Member, make_member
from tests.support.push_endpoint import ClientKeys, b64url, unb64url

PATH = "/api/v1/push/subscription"
ENDPOINT = "https://push.example.net/wpush/v2/abc123"


def subscription_form(keys: ClientKeys, endpoint: str = ENDPOINT, **extra: str) -> dict[str, str]:
    return {
        "subscription[endpoint]": endpoint,
        "subscription[keys][p256dh]": keys.p256dh,
        "subscription[keys][auth]": keys.auth_b64,
        **extra,
    }


async def subscribe(client: httpx.AsyncClient, member: Member, **extra: str) -> dict[str, Any]:
    response = await client.post(
        PATH, data=subscription_form(ClientKeys.generate(), **extra), headers=member.headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def count_subscriptions(client: httpx.AsyncClient) -> int:
    async with components_of(client).database.read() as conn:
        return int(await conn.scalar(select(func.count()).select_from(push_subscriptions)) or 0)


async def test_create_show_update_delete(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    assert (await client.get(PATH, headers=alice.headers)).status_code == 404

    created = await subscribe(
        client,
        alice,
        **{
            "data[alerts][mention]": "true",
            "data[alerts][follow]": "1",
            "data[policy]": "followed",
        },
    )
    assert created["endpoint"] == ENDPOINT
    assert created["standard"] is False  # Mastodon's default: the legacy aesgcm format
    assert created["policy"] == "followed"
    assert created["alerts"]["mention"] is True
    assert created["alerts"]["follow"] is True
    assert created["alerts"]["favourite"] is False
    assert created["alerts"]["admin.report"] is False
    assert len(unb64url(created["server_key"])) == 65

    shown = (await client.get(PATH, headers=alice.headers)).json()
    assert shown == created

    # PUT replaces alerts and policy as a whole, as Mastodon does.
    updated = await client.put(
        PATH, json={"data": {"alerts": {"favourite": True}}}, headers=alice.headers
    )
    assert updated.status_code == 200
    assert updated.json()["id"] == created["id"]
    assert updated.json()["policy"] == "all"
    assert {k for k, v in updated.json()["alerts"].items() if v} == {"favourite"}
    assert updated.json()["endpoint"] == ENDPOINT

    deleted = await client.delete(PATH, headers=alice.headers)
    assert deleted.status_code == 200
    assert deleted.json() == {}
    assert (await client.get(PATH, headers=alice.headers)).status_code == 404
    assert (await client.put(PATH, data={}, headers=alice.headers)).status_code == 404
    assert (await client.delete(PATH, headers=alice.headers)).json() == {}  # idempotent


async def test_json_body_and_standard_flag(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    keys = ClientKeys.generate()
    response = await client.post(
        PATH,
        json={
            "subscription": {
                "endpoint": ENDPOINT,
                "standard": True,
                "keys": {"p256dh": keys.p256dh, "auth": keys.auth_b64},
            },
            "data": {"alerts": {"status": True, "quote": True}, "policy": "none"},
        },
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["standard"] is True
    assert body["policy"] == "none"
    assert body["alerts"]["status"] is True
    assert body["alerts"]["quote"] is True


async def test_standard_base64_keys_are_accepted(client: httpx.AsyncClient) -> None:
    """Mastodon.py sends the keys in standard base64 with padding."""
    alice = await make_member(components_of(client), "alice")
    keys = ClientKeys.generate()
    form = subscription_form(keys)
    form["subscription[keys][p256dh]"] = base64.b64encode(unb64url(keys.p256dh)).decode()
    form["subscription[keys][auth]"] = base64.b64encode(keys.auth).decode()
    form["policy"] = "follower"  # top level, where Mastodon.py puts it
    response = await client.post(PATH, data=form, headers=alice.headers)
    assert response.status_code == 200, response.text
    assert response.json()["policy"] == "follower"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subscription[endpoint]": ""}, "endpoint"),
        ({"subscription[endpoint]": "not a url"}, "endpoint"),
        ({"subscription[endpoint]": "http://push.example.net/x"}, "endpoint"),
        ({"subscription[endpoint]": "ftp://push.example.net/x"}, "endpoint"),
        ({"subscription[endpoint]": "https://127.0.0.1/x"}, "endpoint"),
        ({"subscription[endpoint]": "https://localhost:8443/x"}, "endpoint"),
        ({"subscription[endpoint]": "https://10.1.2.3/x"}, "endpoint"),
        ({"subscription[endpoint]": "https://[::1]/x"}, "endpoint"),
        ({"subscription[endpoint]": "https://169.254.169.254/latest"}, "endpoint"),
        ({"subscription[endpoint]": "https://user:pw@push.example.net/x"}, "endpoint"),
        ({"subscription[endpoint]": "https://push.example.net/" + "a" * 2100}, "endpoint"),
        ({"subscription[keys][p256dh]": ""}, "p256dh"),
        ({"subscription[keys][p256dh]": "%%%not-base64"}, "keys.p256dh"),
        ({"subscription[keys][p256dh]": b64url(b"\x04" + b"\x01" * 64)}, "keys.p256dh"),
        ({"subscription[keys][p256dh]": b64url(b"\x02" + b"\x01" * 32)}, "keys.p256dh"),
        ({"subscription[keys][auth]": b64url(b"short")}, "keys.auth"),
        ({"subscription[keys][auth]": b64url(b"x" * 32)}, "keys.auth"),
        ({"data[policy]": "everyone"}, "policy"),
        ({"data[alerts][mention]": "maybe"}, "mention"),
    ],
)
async def test_bad_input_is_a_422_and_writes_nothing(
    client: httpx.AsyncClient, change: dict[str, str], field: str
) -> None:
    alice = await make_member(components_of(client), "alice")
    form = subscription_form(ClientKeys.generate())
    form.update(change)
    response = await client.post(PATH, data=form, headers=alice.headers)
    assert response.status_code == 422, response.text
    assert field in response.json()["details"]
    assert await count_subscriptions(client) == 0


async def test_missing_subscription_object_is_a_422(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    response = await client.post(PATH, json={"data": {"policy": "all"}}, headers=alice.headers)
    assert response.status_code == 422
    bad_shape = await client.post(PATH, json={"subscription": "x"}, headers=alice.headers)
    assert bad_shape.status_code == 422


async def test_the_push_scope_is_required(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    no_push = await make_member(components, "alice", scopes="read write follow")
    form = subscription_form(ClientKeys.generate())
    assert (await client.post(PATH, data=form)).status_code == 401
    assert (await client.post(PATH, data=form, headers=no_push.headers)).status_code == 403
    assert (await client.get(PATH, headers=no_push.headers)).status_code == 403
    assert (await client.delete(PATH, headers=no_push.headers)).status_code == 403
    only_push = await make_member(components, "bob", scopes="push")
    assert (await client.post(PATH, data=form, headers=only_push.headers)).status_code == 200


async def test_an_app_token_cannot_subscribe(client: httpx.AsyncClient) -> None:
    app = await register_app(client, scopes="read push")
    token = (
        await client.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": app.client_id,
                "client_secret": app.client_secret,
                "scope": "push",
            },
        )
    ).json()["access_token"]
    form = subscription_form(ClientKeys.generate())
    response = await client.post(PATH, data=form, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422


async def test_one_subscription_per_token(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    first = await subscribe(client, alice)
    second = await subscribe(client, alice, **{"subscription[endpoint]": ENDPOINT + "/new"})
    assert second["id"] != first["id"]  # a new subscription replaces the old one
    assert (await client.get(PATH, headers=alice.headers)).json()["endpoint"] == ENDPOINT + "/new"
    assert await count_subscriptions(client) == 1
    # Another member's token has its own.
    bob = await make_member(components_of(client), "bob")
    await subscribe(client, bob)
    assert await count_subscriptions(client) == 2
    assert (await client.get(PATH, headers=alice.headers)).json()["id"] == second["id"]


async def test_each_token_of_a_member_has_its_own(client: httpx.AsyncClient) -> None:
    await member_with_password(client, "alice")
    app = await register_app(client, scopes="read write follow push")
    tokens = [
        (
            await exchange(
                client, app, await authorization_code(client, app, "alice", scope="push")
            )
        ).json()["access_token"]
        for _ in range(2)
    ]
    phone, laptop = ({"Authorization": f"Bearer {token}"} for token in tokens)
    form = subscription_form(ClientKeys.generate())
    assert (await client.post(PATH, data=form, headers=phone)).status_code == 200
    assert (await client.get(PATH, headers=laptop)).status_code == 404
    form = subscription_form(ClientKeys.generate(), endpoint=ENDPOINT + "/laptop")
    assert (await client.post(PATH, data=form, headers=laptop)).status_code == 200
    assert (await client.get(PATH, headers=phone)).json()["endpoint"] == ENDPOINT
    assert await count_subscriptions(client) == 2


async def test_revoking_the_token_removes_its_subscription(client: httpx.AsyncClient) -> None:
    await member_with_password(client, "alice")
    app = await register_app(client, scopes="read write follow push")
    code = await authorization_code(client, app, "alice", scope="push")
    token = (await exchange(client, app, code)).json()["access_token"]
    other_code = await authorization_code(client, app, "alice", scope="push")
    other = (await exchange(client, app, other_code)).json()["access_token"]
    for bearer in (token, other):
        response = await client.post(
            PATH,
            data=subscription_form(ClientKeys.generate()),
            headers={"Authorization": f"Bearer {bearer}"},
        )
        assert response.status_code == 200
    assert await count_subscriptions(client) == 2

    revoked = await client.post(
        "/oauth/revoke",
        data={"token": token, "client_id": app.client_id, "client_secret": app.client_secret},
    )
    assert revoked.status_code == 200
    assert await count_subscriptions(client) == 1

    # A replayed authorization code revokes what it issued, subscriptions included.
    assert (await exchange(client, app, other_code)).status_code == 400
    assert await count_subscriptions(client) == 0


async def test_the_instance_advertises_the_same_vapid_key(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    alice = await make_member(components_of(client), "alice")
    instance = (await client.get("/api/v2/instance")).json()
    public_key = instance["configuration"]["vapid"]["public_key"]
    assert len(unb64url(public_key)) == 65
    assert (await subscribe(client, alice))["server_key"] == public_key
    # Made once and stored: another process (new components, same database) reads it back.
    async with components_of(client).database.read() as conn:
        stored = (await conn.execute(select(server_keys.c.public_key))).scalars().all()
    assert stored == [public_key]
    other = Components(settings)
    try:
        assert await other.services.push.server_key() == public_key
    finally:
        await other.stop()


async def test_processes_racing_to_make_the_key_agree(settings: Settings) -> None:
    first, second = Components(settings), Components(settings)
    try:
        keys = await asyncio.gather(
            first.services.push.server_key(), second.services.push.server_key()
        )
    finally:
        await first.stop()
        await second.stop()
    assert keys[0] == keys[1]
