"""The bare baseline app: a raw ASGI hello-world and a 20-row page read from SQLite."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from godwit.bench import baseline


async def test_hello_and_a_twenty_status_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "page.sqlite3"
    baseline.create_database(database)
    monkeypatch.setenv(baseline.DB_ENV, str(database))
    monkeypatch.setattr(baseline, "_rows", baseline._Rows())
    transport = httpx.ASGITransport(app=baseline.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://baseline") as http:
        hello = await http.get("/hello")
        assert (hello.status_code, hello.text) == (200, "Hello, world!")
        page = await http.get("/page")
        assert page.status_code == 200
        statuses = page.json()
        assert len(statuses) == baseline.PAGE_ROWS
        ids = [int(status["id"]) for status in statuses]
        assert ids == sorted(ids, reverse=True)  # newest first, as a timeline
        assert len({status["account"]["id"] for status in statuses}) == 1
        assert 12_000 < len(page.content) < 25_000  # spec §4: about 17 KB
        assert (await http.get("/nothing")).status_code == 404
    assert baseline._rows.connection is not None
    baseline._rows.connection.close()
