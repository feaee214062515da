"""The open-loop scheduler: fixed intended start times, latency from the intended start."""

from __future__ import annotations

import asyncio
import itertools
import random
import time

import pytest

from godwit.bench.schedule import Plan, Sample, Send, arrival_offsets, run_open_loop


def test_constant_arrivals_are_evenly_spaced() -> None:
    offsets = arrival_offsets(100, 0.5)
    assert len(offsets) == 50
    assert offsets[:3] == pytest.approx([0.0, 0.01, 0.02])
    assert all(b - a == pytest.approx(0.01) for a, b in itertools.pairwise(offsets))


def test_phase_shifted_schedules_interleave_into_one() -> None:
    # Two generator processes at 50/s each, the second shifted by 1/100 s, make 100/s.
    first = arrival_offsets(50, 1.0, phase=0.0)
    second = arrival_offsets(50, 1.0, phase=1 / 100)
    merged = sorted(first + second)
    assert merged == pytest.approx(arrival_offsets(100, 1.0))


def test_exponential_arrivals_are_seeded_and_average_the_rate() -> None:
    one = arrival_offsets(1000, 5.0, arrivals="exponential", rng=random.Random(7))
    two = arrival_offsets(1000, 5.0, arrivals="exponential", rng=random.Random(7))
    other = arrival_offsets(1000, 5.0, arrivals="exponential", rng=random.Random(8))
    assert one == two
    assert one != other
    assert 4700 < len(one) < 5300  # Poisson: 5000 ± 4 standard deviations
    assert one == sorted(one)
    assert all(0 < offset < 5.0 for offset in one)


def test_no_rate_or_no_time_means_no_requests() -> None:
    assert arrival_offsets(0, 10) == []
    assert arrival_offsets(10, 0) == []


def _sleeping(seconds: float, log: list[tuple[str, int]]) -> Plan:
    def plan(index: int) -> tuple[str, Send]:
        async def send() -> int:
            log.append(("start", index))
            await asyncio.sleep(seconds)
            log.append(("end", index))
            return 200

        return "slow", send

    return plan


async def test_requests_start_on_schedule_without_waiting_for_answers() -> None:
    log: list[tuple[str, int]] = []
    # 20 requests over 0.1 s, each taking 0.3 s: a closed loop of one would need 6 s.
    samples = await run_open_loop(arrival_offsets(200, 0.1), _sleeping(0.3, log))
    assert len(samples) == 20
    starts = [index for kind, index in log if kind == "start"]
    first_end = log.index(("end", 0))
    assert len(starts[:first_end]) == 20  # all had started before the first answer came
    assert all(sample.latency >= 0.3 for sample in samples)
    assert [s.intended for s in samples] == sorted(s.intended for s in samples)


async def test_a_stalled_generator_is_charged_to_latency_not_hidden() -> None:
    """Coordinated omission: when the event loop stalls for 0.3 s, requests due during the
    stall start late, and their latency counts from when they were due."""
    stalled = False

    def plan(index: int) -> tuple[str, Send]:
        async def send() -> int:
            nonlocal stalled
            if not stalled:
                stalled = True
                time.sleep(0.3)  # noqa: ASYNC251 - stalls the loop, as a CPU-starved generator
            return 204

        return "fast", send

    samples = await run_open_loop(arrival_offsets(100, 0.2), plan)
    assert len(samples) == 20
    due_during_stall = [s for s in samples[1:] if s.intended < 0.25]
    assert due_during_stall
    for sample in due_during_stall:
        # Dispatched after the stall ended, measured from its intended time.
        assert sample.lateness >= 0.3 - sample.intended - 0.02
        assert sample.latency >= sample.lateness


async def test_failures_and_exceptions_are_samples_too() -> None:
    def plan(index: int) -> tuple[str, Send]:
        async def send() -> int:
            if index % 2:
                raise ConnectionError("refused")
            return 503

        return "flaky", send

    samples = await run_open_loop(arrival_offsets(100, 0.04), plan)
    assert [(s.status, s.error) for s in samples] == [
        (503, ""),
        (0, "ConnectionError"),
        (503, ""),
        (0, "ConnectionError"),
    ]
    assert not any(sample.ok for sample in samples)


async def test_beyond_the_in_flight_cap_requests_fail_as_client_overload() -> None:
    log: list[tuple[str, int]] = []
    samples = await run_open_loop(arrival_offsets(1000, 0.01), _sleeping(0.2, log), max_in_flight=3)
    overload = [s for s in samples if s.error == "ClientOverload"]
    assert len(samples) == 10
    assert len(overload) == 7
    assert sum(s.ok for s in samples) == 3


async def test_stop_ends_dispatching_early() -> None:
    stop = asyncio.Event()
    sent: list[int] = []

    def plan(index: int) -> tuple[str, Send]:
        async def send() -> int:
            sent.append(index)
            if index == 4:
                stop.set()
            return 200

        return "x", send

    samples: list[Sample] = await run_open_loop(arrival_offsets(100, 10.0), plan, stop=stop)
    assert 5 <= len(samples) < 10
