"""Rate limits through the whole app: headers, 429 + Retry-After, per token/IP/sign-up/account."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from godwit.app import Components, build_app
from godwit.config import Settings
from tests.factories import make_member

ClientFactory = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def limited_client(settings: Settings) -> AsyncIterator[ClientFactory]:
    """Builds an app with rate limits on and the given overrides (tests default them off)."""
    started: list[tuple[Components, httpx.AsyncClient]] = []

    async def make(**overrides: object) -> httpx.AsyncClient:
        # No job runner: these tests make no jobs, and a poll cut off at shutdown is noise here.
        changes = {"rate_limits_enabled": True, "run_jobs_in_process": False, **overrides}
        app = build_app(settings.replace(**changes))
        components: Components = app.state.components
        await components.start()
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://godwit.test"
        )
        http.app = app  # type: ignore[attr-defined]
        started.append((components, http))
        return http

    yield make
    for components, http in started:
        await http.aclose()
        await components.stop()


def components_of(http: httpx.AsyncClient) -> Components:
    return http.app.state.components  # type: ignore[attr-defined, no-any-return]


async def test_api_responses_carry_the_rate_limit_headers(
    limited_client: ClientFactory,
) -> None:
    http = await limited_client(rate_limit_requests=300, rate_limit_window=300)
    before = dt.datetime.now(dt.UTC)
    first = await http.get("/api/v1/no-such-endpoint")
    second = await http.get("/api/v1/no-such-endpoint")
    assert first.headers["X-RateLimit-Limit"] == "300"
    assert first.headers["X-RateLimit-Remaining"] == "299"
    assert second.headers["X-RateLimit-Remaining"] == "298"
    reset = dt.datetime.fromisoformat(first.headers["X-RateLimit-Reset"])
    assert before < reset <= before + dt.timedelta(seconds=300)
    assert first.headers["X-RateLimit-Reset"].endswith("Z")


async def test_over_the_limit_is_a_429_with_retry_after(limited_client: ClientFactory) -> None:
    http = await limited_client(rate_limit_requests=2, rate_limit_window=300)
    for _ in range(2):
        assert (await http.get("/api/v1/no-such-endpoint")).status_code == 404
    refused = await http.get("/api/v1/no-such-endpoint")
    assert refused.status_code == 429
    assert refused.json() == {"error": "Too many requests"}
    assert 1 <= int(refused.headers["Retry-After"]) <= 300
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert refused.headers["X-RateLimit-Limit"] == "2"


async def test_each_token_has_its_own_bucket_apart_from_the_ip(
    limited_client: ClientFactory,
) -> None:
    http = await limited_client(rate_limit_requests=2, rate_limit_window=300)
    alice = await make_member(components_of(http), "alice")
    bob = await make_member(components_of(http), "bob")
    for _ in range(2):
        await http.get("/api/v1/no-such-endpoint", headers=alice.headers)
    assert (await http.get("/api/v1/x", headers=alice.headers)).status_code == 429
    # Same IP, other token, or no token at all: separate buckets, still allowed.
    assert (await http.get("/api/v1/x", headers=bob.headers)).status_code == 404
    assert (await http.get("/api/v1/x")).status_code == 404


async def test_invalid_tokens_count_against_the_ip(limited_client: ClientFactory) -> None:
    http = await limited_client(rate_limit_requests=2, rate_limit_window=300)
    for attempt in range(2):
        bogus = {"Authorization": f"Bearer made-up-{attempt}"}
        assert (await http.get("/api/v1/x", headers=bogus)).status_code != 429
    # Fresh made-up tokens do not buy fresh buckets.
    refused = await http.get("/api/v1/x", headers={"Authorization": "Bearer made-up-3"})
    assert refused.status_code == 429


async def test_sign_ups_are_limited_per_ip(limited_client: ClientFactory) -> None:
    http = await limited_client(signup_limit=5, signup_window=1800)
    for index in range(5):
        attempt = await http.post("/api/v1/accounts", json={"username": f"newcomer{index}"})
        assert attempt.status_code != 429
        assert attempt.headers["X-RateLimit-Limit"] == "5"
    refused = await http.post("/api/v1/accounts", json={"username": "newcomer5"})
    assert refused.status_code == 429
    assert refused.headers["X-RateLimit-Limit"] == "5"
    assert 1 <= int(refused.headers["Retry-After"]) <= 1800
    # Other API calls from that IP are not affected by the sign-up limit.
    assert (await http.get("/api/v1/no-such-endpoint")).status_code == 404


async def test_status_deletes_are_limited_per_account(limited_client: ClientFactory) -> None:
    http = await limited_client(rate_limit_requests=1000)
    alice = await make_member(components_of(http), "alice")
    for _ in range(30):
        response = await http.delete("/api/v1/statuses/1234567", headers=alice.headers)
        assert response.status_code != 429
    refused = await http.delete("/api/v1/statuses/7654321", headers=alice.headers)
    assert refused.status_code == 429
    assert refused.headers["X-RateLimit-Limit"] == "30"
    # Reads by the same account are not held back by the delete limit.
    assert (await http.get("/api/v1/statuses/1", headers=alice.headers)).status_code != 429


async def test_preflights_and_html_pages_are_not_limited(limited_client: ClientFactory) -> None:
    http = await limited_client(rate_limit_requests=1)
    preflight = {"Origin": "https://app.example", "Access-Control-Request-Method": "GET"}
    for _ in range(3):
        assert (await http.options("/api/v1/timelines/home", headers=preflight)).status_code == 200
        page = await http.get("/about")
        assert page.status_code != 429
        assert "X-RateLimit-Limit" not in page.headers


async def test_no_headers_and_no_limit_when_rate_limits_are_off(
    limited_client: ClientFactory,
) -> None:
    http = await limited_client(rate_limits_enabled=False, rate_limit_requests=1)
    for _ in range(3):
        response = await http.get("/api/v1/no-such-endpoint")
        assert response.status_code == 404
        assert "X-RateLimit-Limit" not in response.headers
