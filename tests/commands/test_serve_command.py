"""``godwit serve`` settings: the access log, several server processes (Redis required)."""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from godwit.commands import server
from godwit.config import Settings
from tests.support.live_server import LiveServer

REDIS_URL = os.environ.get("GODWIT_TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"


def test_the_access_log_is_off_by_default_and_a_setting() -> None:
    assert Settings.from_env({}).access_log is False
    assert Settings.from_env({"GODWIT_ACCESS_LOG": "true"}).access_log is True
    options = server.uvicorn_options(Settings(access_log=True, web_concurrency=3))
    assert options["access_log"] is True
    assert options["workers"] == 3
    assert options["log_level"] == "info"  # start-up, warnings and errors are still logged
    assert server.uvicorn_options(Settings())["access_log"] is False


def test_web_concurrency_is_at_least_one() -> None:
    assert Settings.from_env({"GODWIT_WEB_CONCURRENCY": "4"}).web_concurrency == 4
    with pytest.raises(ValueError, match="GODWIT_WEB_CONCURRENCY"):
        Settings.from_env({"GODWIT_WEB_CONCURRENCY": "0"})


def test_several_processes_without_redis_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    def no_server(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("uvicorn must not start")

    monkeypatch.setattr(uvicorn, "run", no_server)
    database = tmp_path / "godwit.sqlite3"
    settings = Settings(database_url=f"sqlite:///{database}", web_concurrency=2)
    assert server.serve(settings, argparse.Namespace()) == 2
    assert "GODWIT_WEB_CONCURRENCY=2 needs GODWIT_REDIS_URL" in capsys.readouterr().err
    assert not database.exists()  # refused before anything was touched
    assert server.serve_problem(settings.replace(redis_url="redis://x")) is None
    assert server.serve_problem(settings.replace(web_concurrency=1)) is None


def test_several_processes_build_their_app_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'godwit.sqlite3'}",
        media_dir=str(tmp_path / "data" / "media"),
        redis_url="redis://127.0.0.1:6379/15",
        web_concurrency=2,
    )
    assert server.serve(settings, argparse.Namespace()) == 0
    [(app, options)] = calls
    assert app == "godwit.app:build_app_from_env"
    assert options["factory"] is True
    assert options["workers"] == 2
    assert options["access_log"] is False
    # Made once by the parent, so the workers share one secret key.
    assert (tmp_path / "data" / "secret_key").exists()


def _redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="needs a Redis server")
def test_two_server_processes_answer_without_access_log_lines(tmp_path: Path) -> None:
    live = LiveServer(
        tmp_path,
        f"sqlite:///{tmp_path / 'godwit.sqlite3'}",
        extra_env={"GODWIT_REDIS_URL": REDIS_URL, "GODWIT_WEB_CONCURRENCY": "2"},
    )
    live.start()
    try:
        for _ in range(10):
            response = httpx.get(f"{live.base_url}/api/v1/instance", timeout=10)
            assert response.status_code == 200
    finally:
        live.stop()
    log = live.log_tail()
    assert log.count("Started server process") == 2, log
    assert "GET /api/v1/instance" not in log, log


def test_one_process_freezes_its_heap_once_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from godwit import heap

    apps: list[Any] = []
    frozen: list[bool] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_options: apps.append(app))
    monkeypatch.setattr(heap, "freeze_startup_heap", lambda: frozen.append(True))
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'godwit.sqlite3'}",
        media_dir=str(tmp_path / "media"),
        run_jobs_in_process=False,
    )
    assert server.serve(settings, argparse.Namespace()) == 0
    [app] = apps
    assert frozen == []  # not before the app starts (tests build apps without serving)

    async def start_and_stop() -> None:
        async with app.router.lifespan_context(app):
            assert frozen == [True]

    asyncio.run(start_and_stop())
