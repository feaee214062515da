"""One benchmark run: the phases of spec §5 in order, against a prepared dataset.

baseline (bare hello-world and 20-row page, on a server the run starts itself) → sign-up
surge (with home reads alongside) → follow burst → ingest → mixed steady state (DSB
60/30/10, then Twitter-shaped 95/3/2) → fan-out delay (with the DSB mix at half its best
rate in the background) → footprint. Every ramp steps its rates up until the SLOs break.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import os
import platform
import random
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from godwit.bench import baseline_process
from godwit.bench.dataset import Dataset, build
from godwit.bench.fanout import Method, Probe, pick_watchers, run_probe
from godwit.bench.footprint import RssSampler, Stack, disk_bytes, wait_until_idle
from godwit.bench.graph import probe_authors
from godwit.bench.headline import headline
from godwit.bench.ramp import SLO_SECONDS, RampResult, StepProgress, ramp, run_loads
from godwit.bench.schedule import Arrivals
from godwit.bench.state import BenchState
from godwit.bench.workload import DSB_MIX, TWITTER_MIX, Load, Workload

PHASES = ("baseline", "signup", "follow", "ingest", "mixed", "fanout")
# Seconds to let background jobs (fan-out) settle before measuring disk after ingest.
SETTLE_SECONDS = 2.0
# Between phases the stack counts as idle once it uses less than this much of a core.
IDLE_CORES = 0.15


@dataclass
class RunOptions:
    phases: tuple[str, ...] = PHASES
    step_seconds: float = 30.0
    warmup_seconds: float = 5.0
    signup_seconds: float = 60.0
    baseline_rates: tuple[float, ...] = (500, 1000, 2000, 4000, 8000, 16000)
    signup_rates: tuple[float, ...] = (5, 10, 20, 40)
    follow_rates: tuple[float, ...] = (25, 50, 100, 200, 400, 800)
    ingest_rates: tuple[float, ...] = (25, 50, 100, 200, 400, 800)
    mixed_rates: tuple[float, ...] = (50, 100, 200, 400, 800, 1600, 3200)
    surge_read_rate: float = 200.0
    processes: int = 1
    connections: int = 256
    timeout: float = 10.0
    arrivals: Arrivals = "constant"
    fanout_method: Method = "stream"
    fanout_watchers: int = 200
    fanout_timeout: float = 30.0
    fanout_settle_seconds: float = 300.0
    idle_wait_seconds: float = 180.0
    fanout_poll_interval: float = 0.25
    fanout_targets: tuple[int, ...] = (10, 1000, 10_000)
    stack_pids: tuple[int, ...] = ()
    stack_names: tuple[str, ...] = ()
    data_paths: tuple[str, ...] = ()
    baseline_workers: int = 1
    seed: int = 1
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _machine() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average": [round(value, 2) for value in load],
    }


class Run:
    def __init__(
        self,
        state: BenchState,
        options: RunOptions,
        progress: StepProgress,
        log: Callable[[str], None],
    ) -> None:
        self.state = state
        self.options = options
        self.progress = progress
        self.log = log
        self.dataset: Dataset = build(state.spec)
        self.stack = Stack(options.stack_pids, options.stack_names)
        self.rss = RssSampler(self.stack)
        active = self.dataset.active
        self.actors = tuple(state.tokens[m] for m in active)
        self.run_tag = secrets.token_hex(3)

    def workload(self, name: str, weights: dict[str, float], **extra: Any) -> Workload:
        o = self.options
        values: dict[str, Any] = {
            "name": name,
            "base_url": self.state.base_url,
            "weights": weights,
            "actors": self.actors,
            "account_ids": tuple(self.state.account_ids),
            "usernames": self.dataset.usernames,
            "email_domain": self.state.spec.email_domain,
            "password": self.state.spec.password,
            "seed": o.seed,
            "connections": o.connections,
            "timeout": o.timeout,
        }
        values.update(extra)
        return Workload(**values)

    async def _ramp(
        self,
        name: str,
        make: Callable[[float], list[Load]],
        rates: tuple[float, ...],
        seconds: float,
        slo: dict[str, float] | None = None,
        primary: str = "",
    ) -> RampResult:
        return await ramp(
            name,
            make,
            rates,
            seconds,
            slo=slo,
            stack=self.stack if self.stack.available else None,
            processes=self.options.processes,
            arrivals=self.options.arrivals,
            progress=self.progress,
            primary=primary,
            warmup=self.options.warmup_seconds,
        )

    async def execute(self) -> dict[str, Any]:
        o = self.options
        started = dt.datetime.now(dt.UTC)
        machine_before = _machine()
        results: dict[str, Any] = {
            "godwit_bench": 1,
            "label": o.label,
            "started": started.isoformat(),
            "target": self.state.base_url,
            "machine": machine_before,
            "options": _options_dict(o),
            "dataset": {
                **self.state.spec.as_dict(),
                "password": "(not recorded)",
                "prepared_by": self.state.method,
                "prepare_seconds": self.state.seconds,
                "members": self.dataset.graph.members,
                "follows": len(self.dataset.graph),
                "active_members": len(self.dataset.active),
            },
            "slo_ms": {name: limit * 1000 for name, limit in SLO_SECONDS.items()},
            "phases": {},
        }
        phases: dict[str, Any] = results["phases"]
        footprint: dict[str, Any] = {"stack_processes": sorted(self.stack.processes())}
        footprint["idle_rss_bytes"] = self.rss.sample() if self.stack.available else None
        self.rss.start()
        generator_started = time.process_time()
        try:
            idle: dict[str, float | None] = results.setdefault("idle_wait_seconds", {})

            async def phase(name: str, run: Callable[[], Awaitable[Any]]) -> Any:
                """One phase after the stack went idle. A request the server never answers
                (an overloaded stack) ends that phase with its error, not the run and the
                results of the phases before it."""
                if name != "baseline":
                    idle[name] = await self.wait_until_idle()
                try:
                    return await run()
                except httpx.HTTPError as error:
                    self.log(f"the {name} phase failed: {error!r}")
                    phases[name] = {"error": f"{type(error).__name__}: {error}"}
                    return None

            for name, run in (
                ("baseline", self.baseline),
                ("signup", self.signup),
                ("follow", self.follow),
            ):
                if name in o.phases and (outcome := await phase(name, run)) is not None:
                    phases[name] = outcome
            if "ingest" in o.phases and (ingest := await phase("ingest", self.ingest)) is not None:
                phases["ingest"], footprint["disk"] = ingest
            best_dsb = None
            for name, mix in (("mixed_dsb", DSB_MIX), ("mixed_twitter", TWITTER_MIX)):
                if "mixed" not in o.phases:
                    break
                ramped = await phase(name, functools.partial(self.mixed, name, mix))
                if ramped is not None:
                    phases[name] = ramped.as_dict()
                    if name == "mixed_dsb":
                        best_dsb = ramped.best_rate or o.mixed_rates[0]
            if "fanout" in o.phases:
                fanout = await phase("fanout", functools.partial(self.fanout, best_dsb))
                if fanout is not None:
                    phases["fanout"] = fanout
        finally:
            await self.rss.stop()
        footprint["peak_rss_bytes"] = self.rss.peak
        footprint["after_rss_bytes"] = self.rss.sample() if self.stack.available else None
        footprint["generator_cpu_seconds"] = round(time.process_time() - generator_started, 3)
        footprint["rss_samples"] = len(self.rss.samples)
        phases["footprint"] = footprint
        results["machine_after"] = _machine()
        results["seconds"] = round((dt.datetime.now(dt.UTC) - started).total_seconds(), 3)
        results["headline"] = headline(results)
        return results

    async def wait_until_idle(self) -> float | None:
        """Before a phase: requests an overloaded step left behind (the client gave up, the
        server did not) and the jobs they queued must not be charged to the next phase."""
        if not self.stack.available:
            return None
        waited = await wait_until_idle(self.stack, self.options.idle_wait_seconds, IDLE_CORES)
        self.log(f"the stack was idle after {waited} s")
        return waited

    async def baseline(self) -> dict[str, Any]:
        o = self.options
        self.log("starting the baseline server (bare ASGI hello-world and 20-row page)")
        with baseline_process.BaselineServer(workers=o.baseline_workers) as server:
            stack = Stack((server.pid,))
            rss = stack.rss_bytes()
            result: dict[str, Any] = {"url": server.base_url, "workers": o.baseline_workers}
            for name in ("hello", "page"):
                w = Workload(
                    name=name,
                    base_url=server.base_url,
                    weights={name: 1.0},
                    seed=o.seed,
                    connections=o.connections,
                    timeout=o.timeout,
                )
                outcome = await ramp(
                    f"baseline {name}",
                    lambda rate, w=w: [Load(w, rate)],  # type: ignore[misc]
                    o.baseline_rates,
                    o.step_seconds,
                    stack=stack,
                    processes=o.processes,
                    arrivals=o.arrivals,
                    progress=self.progress,
                    warmup=o.warmup_seconds,
                )
                result[name] = outcome.as_dict()
            result["idle_rss_bytes"] = rss
            result["after_rss_bytes"] = stack.rss_bytes()
        return result

    async def signup(self) -> dict[str, Any]:
        o = self.options
        from godwit.bench import client

        async with client.new_client(self.state.base_url, connections=4) as http:
            app = await client.create_app(http, name=f"godwit-bench-surge-{self.run_tag}")
            token = await client.app_token(http, app)
        signups = self.workload(
            "signup", {"signup": 1.0}, app_token=token, signup_prefix=f"s{self.run_tag}"
        )
        reads = self.workload("reads", {"home": 1.0})
        outcome = await self._ramp(
            "sign-up surge",
            lambda rate: [Load(signups, rate), Load(reads, o.surge_read_rate)],
            o.signup_rates,
            o.signup_seconds,
            slo={"signup": SLO_SECONDS["signup"]},
            primary="signup",
        )
        return {**outcome.as_dict(), "read_rate": o.surge_read_rate}

    async def follow(self) -> dict[str, Any]:
        w = self.workload("follow", {"follow": 1.0})
        outcome = await self._ramp(
            "follow burst",
            lambda rate: [Load(w, rate)],
            self.options.follow_rates,
            self.options.step_seconds,
        )
        return outcome.as_dict()

    async def ingest(self) -> tuple[dict[str, Any], dict[str, Any]]:
        paths = self.options.data_paths
        before = disk_bytes(paths)
        w = self.workload("ingest", {"post": 1.0})
        outcome = await self._ramp(
            "ingest",
            lambda rate: [Load(w, rate)],
            self.options.ingest_rates,
            self.options.step_seconds,
        )
        await asyncio.sleep(SETTLE_SECONDS)
        after = disk_bytes(paths)
        posts = sum(
            step.endpoints.get("post", {}).get("count", 0)
            - step.endpoints.get("post", {}).get("errors", 0)
            for step in outcome.steps
        )
        disk: dict[str, Any] = {"paths": list(paths), "before_bytes": before, "after_bytes": after}
        disk["posts"] = posts
        if before is not None and after is not None and posts:
            disk["bytes_per_1m_posts"] = round((after - before) / posts * 1_000_000)
        return outcome.as_dict(), disk

    async def mixed(self, name: str, mix: dict[str, float]) -> RampResult:
        w = self.workload(name, mix)
        return await self._ramp(
            name.replace("_", " "),
            lambda rate: [Load(w, rate)],
            self.options.mixed_rates,
            self.options.step_seconds,
        )

    async def fanout(self, best_dsb: float | None) -> dict[str, Any]:
        o = self.options
        graph = self.dataset.graph
        rng = random.Random(o.seed)
        probes = []
        for wanted, author, count in probe_authors(graph, o.fanout_targets):
            watchers = pick_watchers(graph.followers_of(author), o.fanout_watchers, rng)
            probes.append(Probe(wanted, author, count, watchers))
        drain = await self._drain(probes)
        # Spec: the DSB mix at half its best rate alongside (half the lowest rate tried
        # when none passed).
        background_rate = best_dsb / 2 if best_dsb else 0.0
        stop = asyncio.Event()
        background = None
        if background_rate > 0:
            w = self.workload("fanout background", DSB_MIX)
            horizon = (o.fanout_timeout + 5) * max(1, len(probes))
            background = asyncio.create_task(
                run_loads(
                    [Load(w, background_rate)],
                    horizon,
                    processes=1,
                    arrivals=o.arrivals,
                    step=99,
                    on_done=None,
                    stop=stop,
                )
            )
            await asyncio.sleep(1.0)
        results = []
        try:
            for number, probe in enumerate(probes):
                self.progress(f"fan-out probe {probe.followers} followers", number, len(probes))
                results.append(
                    await run_probe(
                        self.state.base_url,
                        probe,
                        self.state.tokens,
                        method=o.fanout_method,
                        poll_interval=o.fanout_poll_interval,
                        wait_seconds=o.fanout_timeout,
                    )
                )
            self.progress("fan-out probes", len(probes), len(probes))
        finally:
            stop.set()
            if background is not None:
                await background
        return {"background_rps": background_rate, "backlog_drain": drain, "probes": results}

    async def _drain(self, probes: list[Probe]) -> dict[str, Any] | None:
        """Wait (up to ``fanout_settle_seconds``) until a canary post reaches a follower:
        fan-out left queued by earlier phases must not be charged to the probes. How long
        that took is reported: it is how far behind the earlier phases left the jobs."""
        o = self.options
        usable = [probe for probe in probes if probe.watchers]
        if o.fanout_settle_seconds <= 0 or not usable:
            return None
        canary = Probe(usable[0].wanted, usable[0].author, usable[0].followers,
                       usable[0].watchers[:1])  # fmt: skip
        self.progress("fan-out: waiting for earlier fan-out to drain", 0, 1)
        return await run_probe(
            self.state.base_url,
            canary,
            self.state.tokens,
            method="poll",
            poll_interval=0.5,
            wait_seconds=o.fanout_settle_seconds,
        )


def _options_dict(options: RunOptions) -> dict[str, Any]:
    values = dict(vars(options))
    values.pop("extra", None)
    return {
        key: list(value) if isinstance(value, tuple) else value for key, value in values.items()
    }
