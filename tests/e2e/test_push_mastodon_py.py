"""Web Push through Mastodon.py against a live server: Mastodon.py makes the subscription's
keys, subscribes, and decrypts what a local push endpoint receives with its own decryptor
(the legacy aesgcm format Mastodon sends unless an app asks for the standard one)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from mastodon import MastodonNotFoundError

from tests.databases import DatabaseFactory
from tests.e2e.conftest import SignUp
from tests.support.live_server import LiveServer
from tests.support.push_endpoint import PushEndpoint, start_push_endpoint, verify_vapid_jwt
from tests.support.waiting import eventually


@pytest.fixture(scope="module")
def live_server(
    database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """This module's server may push to loopback, where the test's endpoint listens."""
    database_url = database_factory.new_url()
    server = LiveServer(
        tmp_path_factory.mktemp("push"),
        database_url,
        extra_env={"GODWIT_PUSH_ALLOW_LOOPBACK": "true"},
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()
        database_factory.drop(database_url)


@pytest.fixture
def endpoint() -> Iterator[PushEndpoint]:
    yield from start_push_endpoint()


def test_web_push_through_mastodon_py(
    sign_up: SignUp, endpoint: PushEndpoint, http: httpx.Client
) -> None:
    alice, bob = sign_up("palice"), sign_up("pbob")
    private, public = alice.api.push_subscription_generate_keys()
    subscription = alice.api.push_subscription_set(
        endpoint.url, public, follow_events=True, favourite_events=False
    )
    server_key = http.get("/api/v2/instance").json()["configuration"]["vapid"]["public_key"]
    assert subscription.server_key == server_key
    assert subscription.endpoint == endpoint.url
    assert subscription.alerts.follow is True
    assert subscription.alerts.mention is False
    assert subscription.policy == "all"
    assert alice.api.push_subscription().id == subscription.id

    bob.api.account_follow(alice.account_id)
    received = endpoint.next(timeout=15)
    payload = alice.api.push_subscription_decrypt_push(
        received.body, private, received.headers["encryption"], received.headers["crypto-key"]
    )
    [notification] = alice.api.notifications()
    assert str(payload.notification_id) == str(notification.id)
    assert payload.notification_type == "follow"
    assert payload.access_token == alice.token
    assert payload.title.endswith("is now following you")
    assert payload.preferred_locale == "en"
    token = received.headers["authorization"].removeprefix("WebPush ")
    assert verify_vapid_jwt(token, server_key)["aud"] == endpoint.origin

    # Mentions only, from accounts alice follows (Mastodon.py sends the policy at top level).
    updated = alice.api.push_subscription_update(mention_events=True, policy="followed")
    assert updated.alerts.mention is True
    assert updated.alerts.follow is False
    assert updated.policy == "followed"
    bob.api.status_post(f"@{alice.username} first, from someone alice does not follow")
    eventually(
        lambda: [n.type for n in alice.api.notifications()],
        lambda types: "mention" in types,
        what="the first mention notification",
    )  # made by a job: follow only once it exists, or the policy would let it through
    alice.api.account_follow(bob.account_id)
    bob.api.status_post(f"@{alice.username} second, now that she follows me")
    received = endpoint.next(timeout=15)
    payload = alice.api.push_subscription_decrypt_push(
        received.body, private, received.headers["encryption"], received.headers["crypto-key"]
    )
    assert payload.notification_type == "mention"
    assert payload.body.endswith("second, now that she follows me")

    alice.api.push_subscription_delete()
    with pytest.raises(MastodonNotFoundError):
        alice.api.push_subscription()
