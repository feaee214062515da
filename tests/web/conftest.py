"""Fixtures for the web app's page tests: an in-process client that keeps cookies."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from godwit.app import Components, build_app
from godwit.config import Settings


@pytest.fixture
async def web(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A browser-like client of the ASGI app: cookies kept, redirects not followed."""
    app = build_app(settings)
    components: Components = app.state.components
    await components.start()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://godwit.test"
    ) as http:
        http.app = app  # type: ignore[attr-defined]
        yield http
    await components.stop()


@pytest.fixture
def web_components(web: httpx.AsyncClient) -> Components:
    components: Components = web.app.state.components  # type: ignore[attr-defined]
    return components
