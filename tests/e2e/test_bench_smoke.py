"""Smoke runs of ``godwit bench`` against a live server: the harness works end to end.

Seconds, a tiny dataset, every phase, and no timing assertions: what is checked is that
each phase ran its requests, the server answered them without errors, fan-out reached
every watcher, and the JSON, the table and the PNG were written. Both ways of preparing
are run: through the API (any server) and ``--direct`` (Godwit's seeding fast path).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from godwit.bench.state import BenchState
from tests.support.live_server import LiveServer

RUN_TIMEOUT = 300
# One short step per ramp: rates far below any limit, so that nothing should fail.
TINY_RUN = [
    "--step-seconds", "0.5", "--warmup-seconds", "0.2", "--signup-seconds", "0.5",
    "--baseline-rates", "20,40", "--signup-rates", "2", "--follow-rates", "4",
    "--ingest-rates", "4", "--mixed-rates", "10", "--surge-read-rate", "4",
    "--fanout-watchers", "3", "--fanout-timeout", "60", "--fanout-targets", "5",
    "--connections", "8",
]  # fmt: skip


def godwit(*args: str, env: dict[str, str] | None = None, cwd: Path) -> str:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GODWIT_")}
    result = subprocess.run(
        [sys.executable, "-m", "godwit", *args],
        env={**base, **(env or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, f"godwit {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def sqlite_file(server: LiveServer) -> list[str]:
    prefix = "sqlite:///"
    return [server.database_url[len(prefix) :]] if server.database_url.startswith(prefix) else []


def endpoints_of(ramp: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every endpoint of every step of a ramp, after checking each ran and none failed."""
    found: dict[str, dict[str, Any]] = {}
    assert ramp["steps"], ramp
    for step in ramp["steps"]:
        for name, summary in step["endpoints"].items():
            assert summary["count"] > 0
            assert summary["errors"] == 0, (name, summary["error_kinds"])
            assert summary["p50_ms"] is not None
            assert summary["p99_ms"] >= summary["p50_ms"]
            found[name] = summary
        assert step["generator_cpu_seconds"] > 0
    return found


def test_prepare_through_the_api_then_every_phase(
    live_server: LiveServer, http: httpx.Client, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    out = tmp_path / "results"
    godwit(
        "bench", "prepare", "--url", live_server.base_url, "--state", str(state),
        "--members", "12", "--mean-out", "3", "--probes", "5", "--posts", "10",
        "--prefix", "api", "--seed", "3", "--concurrency", "4",
        cwd=tmp_path,
    )  # fmt: skip
    prepared = BenchState.load(state)
    assert prepared.method == "api"
    assert len(prepared.tokens) == len(prepared.account_ids) == 12
    # The members exist on the server, with the follows and posts of the dataset.
    graph = prepared.spec.build_graph()
    for member in (0, 11):
        account = http.get("/api/v1/accounts/lookup", params={"acct": f"api{member}"}).json()
        assert account["id"] == prepared.account_ids[member]
        assert account["following_count"] == sum(a == member for a, _ in graph.edges())
    assert (
        sum(
            http.get(f"/api/v1/accounts/{account_id}").json()["statuses_count"]
            for account_id in prepared.account_ids
        )
        == 10
    )

    data_paths = [arg for path in sqlite_file(live_server) for arg in ("--data-path", path)]
    assert live_server.process is not None
    printed = godwit(
        "bench", "run", "--state", str(state), "--out", str(out), "--label", "smoke",
        "--stack-pid", str(live_server.process.pid), *data_paths, *TINY_RUN,
        cwd=tmp_path,
    )  # fmt: skip
    results = json.loads((out / "results.json").read_text())
    phases = results["phases"]
    assert set(endpoints_of(phases["baseline"]["hello"])) == {"hello"}
    assert set(endpoints_of(phases["baseline"]["page"])) == {"page"}
    assert set(endpoints_of(phases["signup"])) == {"signup", "home"}
    assert phases["signup"]["steps"][0]["extras"]["signup_ready"]["count"] == 1
    assert set(endpoints_of(phases["follow"])) == {"follow"}
    assert set(endpoints_of(phases["ingest"])) == {"post"}
    assert set(endpoints_of(phases["mixed_dsb"])) <= {"home", "account", "post"}
    assert "home" in endpoints_of(phases["mixed_twitter"])
    assert phases["fanout"]["backlog_drain"]["missed"] == 0  # the canary arrived
    (probe,) = phases["fanout"]["probes"]
    assert probe["author_followers"] == 5
    assert (probe["watchers"], probe["seen"], probe["missed"]) == (3, 3, 0)
    footprint = phases["footprint"]
    assert live_server.process.pid in footprint["stack_processes"]
    assert footprint["idle_rss_bytes"] > 0
    assert footprint["peak_rss_bytes"] > 0
    if data_paths:
        assert footprint["disk"]["posts"] == 2  # 4/s for 0.5 s
        assert footprint["disk"]["after_bytes"] >= footprint["disk"]["before_bytes"]
    assert results["dataset"]["members"] == 12
    assert results["dataset"]["password"] == "(not recorded)"
    assert results["headline"]["bare_page_rps"] in (20.0, 40.0, None)
    assert "Headline" in printed
    assert "Headline" in (out / "results.txt").read_text()
    with Image.open(out / "latency.png") as image:
        assert image.format == "PNG"
        assert image.size == (1100, 700)


def test_prepare_direct_seeds_the_database_and_tokens_work(
    live_server: LiveServer, http: httpx.Client, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    godwit(
        "bench", "prepare", "--direct", "--url", live_server.base_url, "--state", str(state),
        "--members", "20", "--mean-out", "4", "--probes", "5", "--posts", "30",
        "--prefix", "direct", "--seed", "4",
        env=live_server.environment(), cwd=tmp_path,
    )  # fmt: skip
    prepared = BenchState.load(state)
    assert prepared.method == "direct"
    graph = prepared.spec.build_graph()
    followers = graph.follower_counts()
    # Every seeded member's token works, and home timelines already hold the dataset.
    shown = 0
    for member in range(20):
        headers = {"Authorization": f"Bearer {prepared.tokens[member]}"}
        me = http.get("/api/v1/accounts/verify_credentials", headers=headers).json()
        assert (me["id"], me["username"]) == (prepared.account_ids[member], f"direct{member}")
        assert me["followers_count"] == followers[member]
        shown += len(http.get("/api/v1/timelines/home", headers=headers).json())
    assert shown > 0
    # A second seeding of the same members is refused and writes nothing.
    base = {k: v for k, v in os.environ.items() if not k.startswith("GODWIT_")}
    again = subprocess.run(
        [sys.executable, "-m", "godwit", "bench", "prepare", "--direct", "--state",
         str(tmp_path / "again.json"), "--members", "20", "--prefix", "direct"],
        env={**base, **live_server.environment()}, cwd=tmp_path, capture_output=True,
        text=True, timeout=RUN_TIMEOUT, check=False,
    )  # fmt: skip
    assert again.returncode != 0
    assert "exist already" in again.stdout + again.stderr
    assert not (tmp_path / "again.json").exists()

    out = tmp_path / "results"
    godwit(
        "bench", "run", "--state", str(state), "--out", str(out), "--phases", "mixed,fanout",
        *TINY_RUN,
        cwd=tmp_path,
    )  # fmt: skip
    results = json.loads((out / "results.json").read_text())
    assert results["dataset"]["prepared_by"] == "direct"
    assert "home" in endpoints_of(results["phases"]["mixed_twitter"])
    (probe,) = results["phases"]["fanout"]["probes"]
    assert (probe["seen"], probe["missed"]) == (probe["watchers"], 0)
    assert "baseline" not in results["phases"]
