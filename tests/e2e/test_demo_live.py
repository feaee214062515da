"""``godwit demo --live``: the demo community keeps talking through a running server's API."""

from __future__ import annotations

import subprocess
import sys

import httpx

from tests.support.live_server import LiveServer

RUN_TIMEOUT = 300


def test_demo_live_posts_through_the_running_server(live_server: LiveServer) -> None:
    before = httpx.get(f"{live_server.base_url}/api/v1/instance", timeout=30).json()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "godwit",
            "demo",
            "--members",
            "12",
            "--posts",
            "40",
            "--live",
            "--interval",
            "0.05",
            "--actions",
            "8",
            "--seed",
            "3",
        ],
        env=live_server.environment(),
        cwd=live_server.workdir,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "demo members are now active" in result.stdout
    assert "demo_moderator" in result.stdout  # the demo moderator, for the queue
    lines = [line for line in result.stdout.splitlines() if line.startswith("@")]
    assert len(lines) >= 8
    assert not [line for line in lines if "refused" in line]
    after = httpx.get(f"{live_server.base_url}/api/v1/instance", timeout=30).json()
    # 40 seeded posts, then the live posts and replies on top.
    assert after["stats"]["status_count"] > before["stats"]["status_count"] + 40
    timeline = httpx.get(
        f"{live_server.base_url}/api/v1/timelines/public", params={"local": "true"}, timeout=30
    ).json()
    assert timeline, "the live posts reach the public timeline"


def test_demo_live_explains_when_no_server_answers(live_server: LiveServer) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "godwit", "demo", "--live", "--actions", "1"],
        env=live_server.environment(GODWIT_DOMAIN="127.0.0.1:9", GODWIT_SCHEME="http"),
        cwd=live_server.workdir,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert result.returncode == 1
    assert "Start it first" in result.stdout
