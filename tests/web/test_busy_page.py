"""A web page asked for while every database connection is busy: a 503 page, not JSON."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from godwit.app import Components
from godwit.domain.errors import Unavailable


async def test_a_busy_database_is_a_503_page_with_retry_after(
    web: httpx.AsyncClient, web_components: Components, monkeypatch: pytest.MonkeyPatch
) -> None:
    @asynccontextmanager
    async def busy() -> AsyncIterator[Any]:
        raise Unavailable(retry_after=5)
        yield  # pragma: no cover - makes this a generator

    # Every read (the page's and its frame's) finds the pool busy, as under overload.
    monkeypatch.setattr(web_components.database, "read", busy)
    page = await web.get("/about")

    assert page.status_code == 503
    assert page.headers["Retry-After"] == "5"
    assert page.headers["Content-Type"].startswith("text/html")
    assert "The server is busy; try again shortly" in page.text
    assert "Content-Security-Policy" in page.headers
