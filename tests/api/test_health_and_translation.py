"""GET /health for load balancers, and the (empty) translation languages."""

from __future__ import annotations

from pathlib import Path

import httpx

from godwit.app import Components, build_app
from godwit.config import Settings


async def test_health_is_ok_while_the_database_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.text == "OK"
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["cache-control"] == "no-store"


async def test_health_is_503_when_the_database_is_down(settings: Settings, tmp_path: Path) -> None:
    # A database "file" that is a directory: every connection attempt fails. The client
    # here does not check the contract, which treats any 5xx as a bug: for /health a 503
    # is the documented answer.
    unusable = tmp_path / "not-a-database"
    unusable.mkdir()
    app = build_app(
        settings.replace(database_url=f"sqlite:///{unusable}", run_jobs_in_process=False)
    )
    components: Components = app.state.components
    await components.start()
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://godwit.test"
        ) as http:
            response = await http.get("/health")
    finally:
        await components.stop()
    assert response.status_code == 503
    assert response.text == "Service Unavailable"


async def test_translation_languages_are_empty(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/instance/translation_languages")
    assert response.status_code == 200
    assert response.json() == {}
    instance = (await client.get("/api/v2/instance")).json()
    assert instance["configuration"]["translation"]["enabled"] is False
