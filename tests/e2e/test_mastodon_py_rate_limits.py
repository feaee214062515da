"""Rate limits as a Mastodon client sees them, on a live server with limits turned on."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from mastodon import MastodonRatelimitError

from tests.databases import DatabaseFactory
from tests.e2e.conftest import AppCredentials, SignUp, mastodon_client
from tests.support.live_server import LiveServer

SIGNUP_LIMIT = 5


@pytest.fixture(scope="module")
def live_server(
    database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """This module's server enforces limits (the others turn them off)."""
    database_url = database_factory.new_url()
    server = LiveServer(
        tmp_path_factory.mktemp("ratelimited"),
        database_url,
        extra_env={
            "GODWIT_RATE_LIMITS_ENABLED": "true",
            "GODWIT_SIGNUP_LIMIT": str(SIGNUP_LIMIT),
            "GODWIT_RATE_LIMIT_REQUESTS": "1000",
        },
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()
        database_factory.drop(database_url)


def test_sign_ups_are_limited_per_ip_and_mastodon_py_sees_a_429(
    live_server: LiveServer, app_credentials: AppCredentials, sign_up: SignUp
) -> None:
    for _ in range(SIGNUP_LIMIT):
        sign_up("limited")
    anonymous = mastodon_client(
        live_server.base_url,
        client_id=app_credentials.client_id,
        client_secret=app_credentials.client_secret,
    )
    with pytest.raises(MastodonRatelimitError):
        anonymous.create_account(
            "one_too_many", "a long enough passphrase 42", "more@example.com", agreement=True
        )


def test_responses_carry_mastodons_rate_limit_headers(http: httpx.Client) -> None:
    response = http.get("/api/v1/timelines/public")
    assert response.status_code == 200
    limit = int(response.headers["X-RateLimit-Limit"])
    remaining = int(response.headers["X-RateLimit-Remaining"])
    assert limit == 1000
    assert 0 <= remaining < limit
    assert response.headers["X-RateLimit-Reset"]
