"""The run's phases: one that the server leaves unanswered ends with its error, and the run
keeps the other phases' results (a run of the 20k tier once lost 30 minutes of them)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from godwit.bench.dataset import DatasetSpec
from godwit.bench.report import print_report
from godwit.bench.runner import Run, RunOptions
from godwit.bench.state import BenchState


def tiny_run(phases: tuple[str, ...]) -> Run:
    spec = DatasetSpec(members=20, probes=(), posts=0)
    state = BenchState(
        base_url="http://127.0.0.1:9",
        method="direct",
        spec=spec,
        account_ids=[str(n) for n in range(20)],
        tokens=[f"token{n}" for n in range(20)],
        seconds=0.0,
    )
    return Run(state, RunOptions(phases=phases), lambda *_: None, lambda _: None)


async def test_a_phase_the_server_does_not_answer_ends_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = tiny_run(("signup", "follow", "ingest"))

    async def signup() -> dict[str, Any]:
        return {"best_rps": 5.0, "steps": []}

    async def follow() -> dict[str, Any]:
        raise httpx.ReadTimeout("no answer")

    async def ingest() -> tuple[dict[str, Any], dict[str, Any]]:
        return {"best_rps": 40.0, "steps": []}, {"bytes_per_1m_posts": 1}

    monkeypatch.setattr(run, "signup", signup)
    monkeypatch.setattr(run, "follow", follow)
    monkeypatch.setattr(run, "ingest", ingest)
    results = await run.execute()
    phases = results["phases"]
    assert phases["signup"] == {"best_rps": 5.0, "steps": []}
    assert phases["follow"] == {"error": "ReadTimeout: no answer"}
    assert phases["ingest"] == {"best_rps": 40.0, "steps": []}
    assert phases["footprint"]["disk"] == {"bytes_per_1m_posts": 1}
    assert results["headline"]["signups_rps"] == 5.0
    assert results["headline"]["follows_rps"] is None


async def test_the_report_names_a_failed_phase(monkeypatch: pytest.MonkeyPatch) -> None:
    from io import StringIO

    from rich.console import Console

    run = tiny_run(("fanout",))

    async def fanout(_best: float | None) -> dict[str, Any]:
        raise httpx.ConnectError("refused")

    monkeypatch.setattr(run, "fanout", fanout)
    results = await run.execute()
    out = StringIO()
    print_report(results, Console(file=out, width=140, color_system=None))
    assert "fanout: failed (ConnectError: refused)" in out.getvalue()
