"""Request mixes for the timed phases, as plain data (so a step can run in several
generator processes), and the step runner that sends them open-loop through the lean
HTTP/1.1 pool of ``godwit/bench/wire.py``.

Endpoints (the names used in results):

* ``home``: ``GET /api/v1/timelines/home?limit=20`` as a random active member;
* ``account``: ``GET /api/v1/accounts/:id/statuses?limit=20`` of a random member;
* ``post``: ``POST /api/v1/statuses`` by a random active member (DSB-shaped text);
* ``follow``: ``POST /api/v1/accounts/:id/follow`` between random members;
* ``signup``: ``POST /api/v1/accounts`` under an app token; each success is followed by
  ``verify_credentials`` with the new token, whose delay is reported as ``signup_ready``;
* ``hello`` and ``page``: the bare baseline app (``godwit/bench/baseline.py``).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import orjson

from godwit.bench import client
from godwit.bench.dataset import status_text
from godwit.bench.schedule import Arrivals, Sample, Send, arrival_offsets, run_open_loop
from godwit.bench.wire import Pool

DSB_MIX = {"home": 0.60, "account": 0.30, "post": 0.10}  # DeathStarBench mixed-workload.lua
TWITTER_MIX = {"home": 0.95, "account": 0.03, "post": 0.02}  # read-heavy


@dataclass(frozen=True)
class Workload:
    name: str
    base_url: str
    weights: dict[str, float]
    actors: tuple[str, ...] = ()  # tokens of the members who read, post and follow
    account_ids: tuple[str, ...] = ()  # accounts read (``account``) and followed
    usernames: tuple[str, ...] = ()  # mentioned in posts
    app_token: str = ""  # for ``signup``
    signup_prefix: str = "surge"
    email_domain: str = "bench.invalid"
    password: str = "godwit-bench-password"  # noqa: S105 - throwaway bench accounts
    seed: int = 1
    connections: int = 64
    timeout: float = 10.0


@dataclass
class StepRaw:
    samples: list[Sample] = field(default_factory=list)
    generator_cpu: float = 0.0  # CPU seconds of the generator process(es)
    extras: dict[str, list[float]] = field(default_factory=dict)  # e.g. signup_ready


class _Requests:
    """Builds request i of a workload: which endpoint, and the coroutine that sends it."""

    def __init__(self, workload: Workload, http: Pool, rng: random.Random, tag: str) -> None:
        self.w = workload
        self.http = http
        self.rng = rng
        self.tag = tag
        self.names = list(workload.weights)
        self.cumulative: list[float] = []
        total = 0.0
        for name in self.names:
            total += workload.weights[name]
            self.cumulative.append(total)
        self.ready: list[float] = []
        self.follow_ups: set[asyncio.Task[None]] = set()

    def plan(self, index: int) -> tuple[str, Send]:
        name = self.rng.choices(self.names, cum_weights=self.cumulative)[0]
        builder: Callable[[int], Send] = getattr(self, f"_{name}")
        return name, builder(index)

    def _actor(self) -> dict[str, str]:
        return client.bearer(self.rng.choice(self.w.actors))

    def _home(self, _index: int) -> Send:
        headers = self._actor()

        async def send() -> int:
            response = await self.http.request(
                "GET", "/api/v1/timelines/home", params={"limit": client.PAGE}, headers=headers
            )
            return response.status

        return send

    def _account(self, _index: int) -> Send:
        headers = self._actor()
        target = self.rng.choice(self.w.account_ids)

        async def send() -> int:
            response = await self.http.request(
                "GET",
                f"/api/v1/accounts/{target}/statuses",
                params={"limit": client.PAGE},
                headers=headers,
            )
            return response.status

        return send

    def _post(self, _index: int) -> Send:
        headers = self._actor()
        text = status_text(self.rng, self.w.usernames, -1)

        async def send() -> int:
            response = await self.http.request(
                "POST", "/api/v1/statuses", form={"status": text}, headers=headers
            )
            return response.status

        return send

    def _follow(self, _index: int) -> Send:
        headers = self._actor()
        target = self.rng.choice(self.w.account_ids)

        async def send() -> int:
            response = await self.http.request(
                "POST", f"/api/v1/accounts/{target}/follow", headers=headers
            )
            return response.status

        return send

    def _signup(self, index: int) -> Send:
        username = f"{self.w.signup_prefix}{self.tag}x{index}"
        form = client.sign_up_form(username, f"{username}@{self.w.email_domain}", self.w.password)
        headers = client.bearer(self.w.app_token)

        async def send() -> int:
            response = await self.http.request(
                "POST", "/api/v1/accounts", form=form, headers=headers
            )
            if response.ok:
                token = str(orjson.loads(response.body)["access_token"])
                task = asyncio.create_task(self._time_ready(token))
                self.follow_ups.add(task)
                task.add_done_callback(self.follow_ups.discard)
            return response.status

        return send

    async def _time_ready(self, token: str) -> None:
        """How long after its sign-up answer the new token works (failures not counted:
        the sign-up itself succeeded, and ``signup_ready``'s count shows how many did)."""
        answered = time.perf_counter()
        try:
            response = await self.http.request(
                "GET", "/api/v1/accounts/verify_credentials", headers=client.bearer(token)
            )
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError):
            return
        if response.ok:
            self.ready.append(time.perf_counter() - answered)

    def _hello(self, _index: int) -> Send:
        return self._get("/hello")

    def _page(self, _index: int) -> Send:
        return self._get("/page")

    def _get(self, path: str) -> Send:
        async def send() -> int:
            return (await self.http.request("GET", path)).status

        return send


@dataclass(frozen=True)
class Load:
    """One workload at one rate, part of a step (a step may run several at once)."""

    workload: Workload
    rate: float


async def run_step(
    loads: list[Load],
    duration: float,
    *,
    arrivals: Arrivals = "constant",
    process: int = 0,
    processes: int = 1,
    step: int = 0,
    on_done: Callable[[], None] | None = None,
    stop: asyncio.Event | None = None,
) -> StepRaw:
    """This generator process's share (1/processes of each rate) of one step."""
    raw = StepRaw()
    cpu_before = time.process_time()
    clients: list[Pool] = []
    builders: list[_Requests] = []
    runs = []
    try:
        for number, load in enumerate(loads):
            w = load.workload
            http = Pool(w.base_url, connections=w.connections, timeout=w.timeout)
            clients.append(http)
            seed = ((w.seed * 1_000_003 + step) * 131 + number) * 257 + process
            rng = random.Random(seed)
            requests = _Requests(w, http, rng, f"{seed % 1_000_000_007:x}")
            builders.append(requests)
            offsets = arrival_offsets(
                load.rate / processes,
                duration,
                arrivals=arrivals,
                rng=random.Random(seed + 1),
                phase=process / load.rate if arrivals == "constant" else 0.0,
            )
            runs.append(run_open_loop(offsets, requests.plan, on_done=on_done, stop=stop))
        for samples in await asyncio.gather(*runs):
            raw.samples += samples
        for requests in builders:
            if requests.follow_ups:
                await asyncio.gather(*requests.follow_ups, return_exceptions=True)
            if requests.ready:
                raw.extras.setdefault("signup_ready", []).extend(requests.ready)
    finally:
        for http in clients:
            await http.close()
    raw.generator_cpu = time.process_time() - cpu_before
    return raw


def run_step_in_child(
    loads: list[Load], duration: float, arrivals: Arrivals, process: int, processes: int, step: int
) -> StepRaw:
    """Entry point of a generator child process (ProcessPoolExecutor)."""
    return asyncio.run(
        run_step(
            loads, duration, arrivals=arrivals, process=process, processes=processes, step=step
        )
    )
