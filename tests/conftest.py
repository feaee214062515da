"""Shared fixtures: a fresh migrated database per test, wired components, an API client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from godwit.app import Components, build_app
from godwit.config import Settings
from tests.databases import REDIS_URL, DatabaseFactory
from tests.support.openapi import httpx_async_hook

# Every test's responses are checked against the Mastodon OpenAPI contract (tests/support).
pytest_plugins = ["tests.support.contract_plugin"]


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory.mktemp("databases"))
    yield factory
    factory.close()


@pytest.fixture
def database_url(database_factory: DatabaseFactory) -> Iterator[str]:
    url = database_factory.new_url()
    yield url
    database_factory.drop(url)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Test settings: rate limits off (tests that need them turn them on), password grant on,
    preview cards off."""
    return Settings(
        database_url=database_url,
        redis_url=REDIS_URL,
        media_dir=str(tmp_path / "media"),
        secret_key="test-secret-key-not-for-production",
        domain="godwit.test",
        scheme="https",
        enable_password_grant=True,
        rate_limits_enabled=False,
        run_jobs_in_process=True,
        # Tests never reach out to the links they post; card tests turn this on and point
        # links at a local server (tests/links/pages.py).
        preview_cards=False,
        # The moderation pipeline publishes at once with no scorer and no limits; its own
        # tests (tests/services/test_content_review*.py) turn the policy on.
        moderation_threat_policy="off",
        moderation_new_account_max_mentions=0,
        moderation_new_account_max_links=0,
    )


@pytest.fixture
async def components(settings: Settings) -> AsyncIterator[Components]:
    built = Components(settings)
    await built.start()
    yield built
    await built.stop()


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the ASGI app in process (lifespan started by hand)."""
    app = build_app(settings)
    components: Components = app.state.components
    await components.start()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="https://godwit.test",
        # Every JSON response is validated against the Mastodon OpenAPI contract.
        event_hooks={"response": [httpx_async_hook]},
    ) as http:
        http.app = app  # type: ignore[attr-defined]
        yield http
    await components.stop()
