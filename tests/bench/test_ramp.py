"""Judging steps against the SLOs, ramps stopping at the first failure, and steps split
over several generator processes (against the real baseline server)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from godwit.bench.baseline_process import BaselineServer
from godwit.bench.ramp import SLO_SECONDS, judge, measure_step, ramp
from godwit.bench.schedule import Sample
from godwit.bench.workload import Load, Workload


def samples(endpoint: str, latencies: list[float], status: int = 200) -> list[Sample]:
    return [Sample(endpoint, n * 0.01, latency, status, 0.0) for n, latency in enumerate(latencies)]


def test_a_step_passes_when_every_p99_is_within_its_slo() -> None:
    fast = samples("home", [0.010] * 99 + [0.150]) + samples("post", [0.400] * 10)
    endpoints, _, passed, reasons = judge(fast, {}, SLO_SECONDS, duration=1.0)
    assert passed, reasons
    assert endpoints["home"]["p99_ms"] == 10.0  # nearest rank: the 99th of 100
    assert endpoints["home"]["slo_p99_ms"] == 200.0
    assert endpoints["post"]["throughput_rps"] == 10.0


def test_a_slow_p99_or_too_many_errors_fails_the_step() -> None:
    slow = samples("home", [0.010] * 98 + [0.300] * 2)
    _, _, passed, reasons = judge(slow, {}, SLO_SECONDS, duration=1.0)
    assert not passed
    assert reasons == ["home p99 above 200 ms"]
    # Endpoints without an SLO (account timelines) never fail a step by latency.
    _, _, passed, _ = judge(samples("account", [5.0] * 10), {}, SLO_SECONDS, duration=1.0)
    assert passed
    # 1 failure in 1,000 is allowed (0.1 %), 2 are not.
    ok = samples("home", [0.01] * 999) + samples("home", [0.01], status=500)
    assert judge(ok, {}, SLO_SECONDS, 1.0)[2]
    bad = samples("home", [0.01] * 998) + samples("home", [0.01, 0.01], status=0)
    endpoints, _, passed, reasons = judge(bad, {}, SLO_SECONDS, 1.0)
    assert not passed
    assert reasons == ["2 of 1000 requests failed"]
    assert endpoints["home"]["error_kinds"] == {"HTTP 0": 2}


def test_no_requests_is_not_a_pass() -> None:
    assert judge([], {}, SLO_SECONDS, 1.0)[2] is False


@pytest.fixture(scope="module")
def baseline() -> Iterator[BaselineServer]:
    with BaselineServer() as server:
        yield server


def hello(server: BaselineServer) -> Workload:
    return Workload(name="hello", base_url=server.base_url, weights={"hello": 1.0}, connections=8)


async def test_a_step_split_over_two_generator_processes(baseline: BaselineServer) -> None:
    step = await measure_step(
        "hello", [Load(hello(baseline), 40)], 0.5, slo=SLO_SECONDS, processes=2
    )
    assert step.endpoints["hello"]["count"] == 20  # 2 processes x 20/s x 0.5 s
    assert step.endpoints["hello"]["errors"] == 0
    assert step.generator_cpu > 0


async def test_a_ramp_stops_at_the_first_failing_step(baseline: BaselineServer) -> None:
    # An SLO no request can meet: the first step fails and the ramp goes no further.
    result = await ramp(
        "hello", lambda rate: [Load(hello(baseline), rate)], [20, 40, 80], 0.3,
        slo={"hello": 0.0},
    )  # fmt: skip
    assert len(result.steps) == 1
    assert result.best is None
    assert result.as_dict()["best_rps"] is None
    # An SLO every request meets (no timing assumption): every step runs.
    result = await ramp(
        "hello", lambda rate: [Load(hello(baseline), rate)], [20, 40], 0.3,
        slo={"hello": 60.0},
    )  # fmt: skip
    assert [step.offered for step in result.steps] == [20, 40]
    assert result.best_rate == 40
    assert result.steps[0].stack_cpu is None  # no stack given
