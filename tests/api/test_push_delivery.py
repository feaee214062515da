"""Web Push delivery end to end, in process: a notification queues a push job, the job
encrypts and POSTs to a real HTTP endpoint on loopback, which decrypts the payload with the
subscription's private key and auth secret and checks the VAPID signature against the
instance's key. Then the push service's answers: retry on 5xx/429/network failures, delete
the subscription on 410, give up on other 4xx; and the alerts and policy filters."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from typing import Any

import http_ece
import httpx
import pytest
from sqlalchemy import select, update

from godwit.app import Components
from godwit.config import Settings
from godwit.domain.push import PUSH_JOB
from godwit.storage.schema import jobs
from tests.factories import Member, make_member
from tests.support.live_server import free_port
from tests.support.push_endpoint import (
    ClientKeys,
    PushEndpoint,
    start_push_endpoint,
    unb64url,
    verify_vapid_jwt,
)

PATH = "/api/v1/push/subscription"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Loopback endpoints allowed (the test's push service); jobs run when the test says."""
    return settings.replace(push_allow_loopback=True, run_jobs_in_process=False)


@pytest.fixture
def endpoint() -> Iterator[PushEndpoint]:
    yield from start_push_endpoint()


def components_of(client: httpx.AsyncClient) -> Components:
    return client.app.state.components  # type: ignore[attr-defined,no-any-return]


async def run_jobs(client: httpx.AsyncClient) -> None:
    await components_of(client).job_runner.run_until_idle()


async def subscribe(
    client: httpx.AsyncClient,
    member: Member,
    url: str,
    keys: ClientKeys,
    *,
    alerts: tuple[str, ...] = ("follow", "mention", "favourite"),
    policy: str = "all",
    standard: bool = True,
) -> dict[str, Any]:
    response = await client.post(
        PATH,
        json={
            "subscription": {
                "endpoint": url,
                "standard": standard,
                "keys": {"p256dh": keys.p256dh, "auth": keys.auth_b64},
            },
            "data": {"alerts": dict.fromkeys(alerts, True), "policy": policy},
        },
        headers=member.headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def follow(client: httpx.AsyncClient, follower: Member, target: Member) -> None:
    response = await client.post(
        f"/api/v1/accounts/{target.account_id}/follow", headers=follower.headers
    )
    assert response.status_code == 200


async def push_jobs(client: httpx.AsyncClient) -> list[Any]:
    async with components_of(client).database.read() as conn:
        rows = await conn.execute(select(jobs).where(jobs.c.kind == PUSH_JOB))
        return list(rows)


async def make_due(client: httpx.AsyncClient) -> None:
    """Bring retried jobs forward instead of waiting out the backoff."""
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    async with components_of(client).database.write() as conn:
        await conn.execute(update(jobs).where(jobs.c.state == "queued").values(run_at=past))


async def test_a_follow_is_pushed_encrypted_and_signed(
    client: httpx.AsyncClient, endpoint: PushEndpoint
) -> None:
    components = components_of(client)
    alice, bob = await make_member(components, "alice"), await make_member(components, "bob")
    keys = ClientKeys.generate()
    subscription = await subscribe(client, alice, endpoint.url, keys)
    server_key = subscription["server_key"]

    await follow(client, bob, alice)
    await run_jobs(client)
    received = endpoint.next(timeout=5)

    assert received.path == "/push/device-1"
    headers = received.headers
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["content-type"] == "application/octet-stream"
    assert headers["ttl"] == "172800"
    assert headers["urgency"] == "normal"
    scheme, _, params = headers["authorization"].partition(" ")
    assert scheme == "vapid"
    vapid = dict(part.split("=", 1) for part in params.split(","))
    assert vapid["k"] == server_key
    claims = verify_vapid_jwt(vapid["t"], server_key)
    assert claims["aud"] == endpoint.origin
    assert claims["sub"] == "https://godwit.test"
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600

    plain = http_ece.decrypt(
        received.body, private_key=keys.private_key, auth_secret=keys.auth, version="aes128gcm"
    )
    payload = json.loads(plain)
    [notification] = (await client.get("/api/v1/notifications", headers=alice.headers)).json()
    assert payload == {
        "access_token": alice.token,
        "preferred_locale": "en",
        "notification_id": int(notification["id"]),
        "notification_type": "follow",
        "icon": "https://godwit.test/static/avatar-missing.png",
        "title": "Bob is now following you",
        "body": "",
    }
    assert await push_jobs(client) == []  # done and deleted


async def test_the_legacy_format_is_what_mastodon_sends_by_default(
    client: httpx.AsyncClient, endpoint: PushEndpoint
) -> None:
    components = components_of(client)
    alice, bob = await make_member(components, "alice"), await make_member(components, "bob")
    keys = ClientKeys.generate()
    server_key = (await subscribe(client, alice, endpoint.url, keys, standard=False))["server_key"]

    posted = await client.post(
        "/api/v1/statuses",
        data={"status": "hello @alice, look at the godwits"},
        headers=bob.headers,
    )
    assert posted.status_code == 200
    await run_jobs(client)  # status.notify, then push.deliver
    received = endpoint.next(timeout=5)

    headers = received.headers
    assert headers["content-encoding"] == "aesgcm"
    salt = headers["encryption"].removeprefix("salt=")
    crypto_key = dict(part.split("=", 1) for part in headers["crypto-key"].split(";"))
    assert crypto_key["p256ecdsa"] == server_key
    scheme, _, token = headers["authorization"].partition(" ")
    assert scheme == "WebPush"
    assert verify_vapid_jwt(token, server_key)["aud"] == endpoint.origin
    plain = http_ece.decrypt(
        received.body,
        salt=unb64url(salt),
        private_key=keys.private_key,
        dh=unb64url(crypto_key["dh"]),
        auth_secret=keys.auth,
        version="aesgcm",
    )
    payload = json.loads(plain)
    assert payload["notification_type"] == "mention"
    assert payload["title"] == "You were mentioned by Bob"
    assert payload["body"] == "hello @alice, look at the godwits"


async def test_alerts_and_policy_decide_what_is_pushed(
    client: httpx.AsyncClient, endpoint: PushEndpoint
) -> None:
    components = components_of(client)
    alice, bob, carol = [await make_member(components, name) for name in ("alice", "bob", "carol")]
    await subscribe(
        client, alice, endpoint.url, ClientKeys.generate(), alerts=("follow",), policy="followed"
    )
    await follow(client, carol, alice)  # alice does not follow carol: filtered by policy
    assert await push_jobs(client) == []

    posted = await client.post("/api/v1/statuses", data={"status": "mine"}, headers=alice.headers)
    status_id = posted.json()["id"]
    await follow(client, alice, bob)
    await client.post(f"/api/v1/statuses/{status_id}/favourite", headers=bob.headers)
    assert await push_jobs(client) == []  # favourite alerts are off

    await follow(client, bob, alice)  # alice follows bob: the policy lets it through
    assert len(await push_jobs(client)) == 1
    await run_jobs(client)
    payload = endpoint.next(timeout=5)
    assert payload.headers["content-encoding"] == "aes128gcm"
    assert endpoint.received.empty()


async def test_alerts_turned_off_before_delivery_are_respected(
    client: httpx.AsyncClient, endpoint: PushEndpoint
) -> None:
    components = components_of(client)
    alice, bob = await make_member(components, "alice"), await make_member(components, "bob")
    await subscribe(client, alice, endpoint.url, ClientKeys.generate())
    await follow(client, bob, alice)
    assert len(await push_jobs(client)) == 1
    updated = await client.put(PATH, data={"data[alerts][mention]": "true"}, headers=alice.headers)
    assert updated.status_code == 200
    await run_jobs(client)
    assert await push_jobs(client) == []
    assert endpoint.received.empty()


async def test_5xx_and_429_retry_then_410_deletes_the_subscription(
    client: httpx.AsyncClient, endpoint: PushEndpoint
) -> None:
    components = components_of(client)
    alice, bob = await make_member(components, "alice"), await make_member(components, "bob")
    await subscribe(client, alice, endpoint.url, ClientKeys.generate())
    endpoint.answer(503, 429, 410)
    await follow(client, bob, alice)

    await run_jobs(client)
    endpoint.next(timeout=5)
    [job] = await push_jobs(client)
    assert (job.state, job.attempts) == ("queued", 1)
    assert "503" in job.last_error
    assert job.run_at > dt.datetime.now(dt.UTC)  # backed off

    await make_due(client)
    await run_jobs(client)
    endpoint.next(timeout=5)
    [job] = await push_jobs(client)
    assert (job.state, job.attempts) == ("queued", 2)
    assert "429" in job.last_error

    await make_due(client)
    await run_jobs(client)
    endpoint.next(timeout=5)
    assert await push_jobs(client) == []
    assert (await client.get(PATH, headers=alice.headers)).status_code == 404


async def test_another_4xx_gives_up_but_keeps_the_subscription(
    client: httpx.AsyncClient, endpoint: PushEndpoint
) -> None:
    components = components_of(client)
    alice, bob = await make_member(components, "alice"), await make_member(components, "bob")
    await subscribe(client, alice, endpoint.url, ClientKeys.generate())
    endpoint.answer(400)
    await follow(client, bob, alice)
    await run_jobs(client)
    endpoint.next(timeout=5)
    [job] = await push_jobs(client)
    assert job.state == "failed"
    assert "400" in job.last_error
    assert (await client.get(PATH, headers=alice.headers)).status_code == 200


async def test_an_unreachable_endpoint_is_retried(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice, bob = await make_member(components, "alice"), await make_member(components, "bob")
    closed = f"http://127.0.0.1:{free_port()}/push"
    await subscribe(client, alice, closed, ClientKeys.generate())
    await follow(client, bob, alice)
    await run_jobs(client)
    [job] = await push_jobs(client)
    assert (job.state, job.attempts) == ("queued", 1)
    assert "ConnectError" in job.last_error


async def test_nothing_is_sent_once_the_subscription_is_gone(
    client: httpx.AsyncClient, endpoint: PushEndpoint
) -> None:
    components = components_of(client)
    alice, bob = await make_member(components, "alice"), await make_member(components, "bob")
    await subscribe(client, alice, endpoint.url, ClientKeys.generate())
    await follow(client, bob, alice)
    assert len(await push_jobs(client)) == 1
    assert (await client.delete(PATH, headers=alice.headers)).status_code == 200
    await run_jobs(client)
    assert await push_jobs(client) == []
    assert endpoint.received.empty()
