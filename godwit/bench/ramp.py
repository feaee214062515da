"""Steps of open-loop load at rising rates, until the SLOs break.

Each step runs its loads for a fixed time, then is summarised per endpoint (p50/p99/p99.9,
errors), with the achieved throughput, the generator's own CPU and how late it dispatched,
and the stack's CPU seconds per 1,000 requests. A step passes when every endpoint with an
SLO has its p99 within it and at most 0.1 % of all requests failed; the ramp stops at the
first failing step and reports the highest passing rate.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from godwit.bench.footprint import Stack
from godwit.bench.schedule import Arrivals, Sample
from godwit.bench.stats import percentile, summarise
from godwit.bench.workload import Load, StepRaw, run_step, run_step_in_child

MAX_ERROR_RATIO = 0.001
# Spec §5: home p99 <= 200 ms, post p99 <= 500 ms; sign-ups p99 < 2 s. The bare baseline
# pages get the home SLO; follows, a write, get the post one.
SLO_SECONDS = {
    "home": 0.200,
    "post": 0.500,
    "signup": 2.0,
    "follow": 0.500,
    "hello": 0.200,
    "page": 0.200,
}
# (label, completed, planned) for the progress display.
StepProgress = Callable[[str, int, int], None]


def _quiet(_label: str, _done: int, _total: int) -> None:
    return None


@dataclass
class StepResult:
    offered: float  # requests per second asked for (all loads of the step)
    rates: dict[str, float]  # per workload
    duration: float
    endpoints: dict[str, dict[str, Any]]
    throughput: float  # successful requests per second
    generator_cpu: float  # CPU seconds of the load generator during the step
    lateness_p99_ms: float | None  # how late the generator dispatched, p99
    stack_cpu: float | None  # CPU seconds of the stack during the step
    cpu_per_1000: float | None  # stack CPU seconds per 1,000 requests
    passed: bool
    reasons: list[str]
    extras: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "offered_rps": round(self.offered, 3),
            "rates": self.rates,
            "seconds": self.duration,
            "throughput_rps": round(self.throughput, 2),
            "endpoints": self.endpoints,
            "extras": self.extras,
            "generator_cpu_seconds": round(self.generator_cpu, 3),
            "generator_cores": round(self.generator_cpu / self.duration, 3),
            "dispatch_lateness_p99_ms": self.lateness_p99_ms,
            "stack_cpu_seconds": None if self.stack_cpu is None else round(self.stack_cpu, 3),
            "stack_cpu_seconds_per_1000": self.cpu_per_1000,
            "passed": self.passed,
            "reasons": self.reasons,
        }


@dataclass
class RampResult:
    name: str
    steps: list[StepResult]
    primary: str = ""  # the workload whose rate is the ramp's figure ("" = all together)
    warmup_seconds: float = 0.0

    def rate_of(self, step: StepResult) -> float:
        return step.rates.get(self.primary, step.offered) if self.primary else step.offered

    @property
    def best(self) -> StepResult | None:
        passing = [step for step in self.steps if step.passed]
        return max(passing, key=self.rate_of, default=None)

    @property
    def best_rate(self) -> float | None:
        best = self.best
        return None if best is None else self.rate_of(best)

    def as_dict(self) -> dict[str, Any]:
        best = self.best
        return {
            "name": self.name,
            "primary": self.primary,
            "warmup_seconds": self.warmup_seconds,
            "best_rps": self.best_rate,
            "best_throughput_rps": None if best is None else round(best.throughput, 2),
            "steps": [step.as_dict() for step in self.steps],
        }


def judge(
    samples: Sequence[Sample],
    extras: dict[str, list[float]],
    slo: dict[str, float],
    duration: float,
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], bool, list[str]]:
    """Per-endpoint summaries, extra summaries, whether the step passed, and why not."""
    by_endpoint: dict[str, list[Sample]] = {}
    for sample in samples:
        by_endpoint.setdefault(sample.endpoint, []).append(sample)
    endpoints: dict[str, dict[str, Any]] = {}
    reasons: list[str] = []
    for name, group in sorted(by_endpoint.items()):
        ok = [s.latency for s in group if s.ok]
        failed = [s for s in group if not s.ok]
        summary = summarise(ok, errors=len(failed))
        entry: dict[str, Any] = summary.as_dict()
        entry["throughput_rps"] = round(len(ok) / duration, 2)
        kinds: dict[str, int] = {}
        for sample in failed:
            kind = sample.error or f"HTTP {sample.status}"
            kinds[kind] = kinds.get(kind, 0) + 1
        entry["error_kinds"] = kinds
        limit = slo.get(name)
        if limit is not None:
            entry["slo_p99_ms"] = limit * 1000
            if summary.p99 is None or summary.p99 > limit:
                reasons.append(f"{name} p99 above {limit * 1000:.0f} ms")
        endpoints[name] = entry
    total = len(samples)
    errors = sum(not s.ok for s in samples)
    if total and errors / total > MAX_ERROR_RATIO:
        reasons.append(f"{errors} of {total} requests failed")
    extra = {name: summarise(values).as_dict() for name, values in extras.items()}
    return endpoints, extra, not reasons and total > 0, reasons


async def run_loads(
    loads: list[Load],
    duration: float,
    *,
    processes: int,
    arrivals: Arrivals,
    step: int,
    on_done: Callable[[], None] | None,
    stop: asyncio.Event | None = None,
) -> StepRaw:
    if processes <= 1:
        return await run_step(
            loads, duration, arrivals=arrivals, step=step, on_done=on_done, stop=stop
        )
    loop = asyncio.get_running_loop()
    # Spawned, not forked: this process has threads (progress display, /proc sampler).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        parts = await asyncio.gather(
            *(
                loop.run_in_executor(
                    pool, run_step_in_child, loads, duration, arrivals, index, processes, step
                )
                for index in range(processes)
            )
        )
    merged = StepRaw()
    for part in parts:
        merged.samples += part.samples
        merged.generator_cpu += part.generator_cpu
        for name, values in part.extras.items():
            merged.extras.setdefault(name, []).extend(values)
    return merged


async def measure_step(
    label: str,
    loads: list[Load],
    duration: float,
    *,
    slo: dict[str, float],
    stack: Stack | None = None,
    processes: int = 1,
    arrivals: Arrivals = "constant",
    step: int = 0,
    progress: StepProgress = _quiet,
) -> StepResult:
    planned = sum(round(load.rate * duration) for load in loads)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if done % 25 == 0 or done == planned:
            progress(label, done, planned)

    progress(label, 0, planned)
    stack_before = stack.cpu_by_process() if stack is not None and stack.available else None
    started = time.monotonic()
    raw = await run_loads(
        loads, duration, processes=processes, arrivals=arrivals, step=step, on_done=tick
    )
    elapsed = max(duration, time.monotonic() - started)
    stack_cpu = None
    if stack is not None and stack_before:
        stack_cpu = stack.cpu_since(stack_before)
    progress(label, planned, planned)
    endpoints, extras, passed, reasons = judge(raw.samples, raw.extras, slo, duration)
    lateness = sorted(sample.lateness for sample in raw.samples)
    count = len(raw.samples)
    return StepResult(
        offered=sum(load.rate for load in loads),
        rates={load.workload.name: load.rate for load in loads},
        duration=duration,
        endpoints=endpoints,
        throughput=sum(sample.ok for sample in raw.samples) / elapsed,
        generator_cpu=raw.generator_cpu,
        lateness_p99_ms=round(percentile(lateness, 0.99) * 1000, 3) if lateness else None,
        stack_cpu=stack_cpu,
        cpu_per_1000=round(stack_cpu / count * 1000, 4) if stack_cpu and count else None,
        passed=passed,
        reasons=reasons,
        extras=extras,
    )


async def ramp(
    name: str,
    make_loads: Callable[[float], list[Load]],
    rates: Sequence[float],
    duration: float,
    *,
    slo: dict[str, float] | None = None,
    stack: Stack | None = None,
    processes: int = 1,
    arrivals: Arrivals = "constant",
    progress: StepProgress = _quiet,
    primary: str = "",
    warmup: float = 0.0,
) -> RampResult:
    """Step through ``rates`` (ascending) until a step fails, after ``warmup`` seconds at
    the first rate that are not recorded (connections opened, caches and JIT-less code
    paths warm, the server's pools filled)."""
    result = RampResult(name, [], primary, warmup)
    if warmup > 0 and rates:
        progress(f"{name}: warm-up", 0, 1)
        await run_loads(
            make_loads(rates[0]),
            warmup,
            processes=processes,
            arrivals=arrivals,
            step=-1,
            on_done=None,
        )
    for number, rate in enumerate(rates):
        step = await measure_step(
            f"{name} @ {rate:g}/s",
            make_loads(rate),
            duration,
            slo=SLO_SECONDS if slo is None else slo,
            stack=stack,
            processes=processes,
            arrivals=arrivals,
            step=number,
            progress=progress,
        )
        result.steps.append(step)
        if not step.passed:
            break
    return result
