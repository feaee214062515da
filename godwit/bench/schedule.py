"""The open-loop load generator: requests start on a fixed schedule, whatever the responses.

A closed loop (N clients, each waiting for its answer before sending again) slows down
with the server and so hides queueing: the "coordinated omission" wrk2 was written to fix.
Here every request has an *intended* start time fixed before the step begins (constant
intervals, or exponential ones for Poisson arrivals), the dispatcher launches each at its
time without waiting for earlier ones, and latency is measured from the intended start. A
stalled server, a full connection pool or a dispatcher running late therefore all show up
as latency instead of as fewer requests.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

Arrivals = Literal["constant", "exponential"]
# What one request of a step does: its endpoint name and a coroutine factory answering the
# HTTP status (an exception counts as a failed request, status 0).
Send = Callable[[], Awaitable[int]]
Plan = Callable[[int], tuple[str, Send]]
# Called after each finished request (progress display).
Done = Callable[[], None]

# Dispatches in a row without yielding to the event loop while running behind schedule.
CATCH_UP_BURST = 32
# The first request starts this long after the call, so set-up does not make it late.
LEAD_SECONDS = 0.02


@dataclass(frozen=True, slots=True)
class Sample:
    endpoint: str
    intended: float  # seconds from the step's start
    latency: float  # finish minus *intended* start, seconds
    status: int  # HTTP status; 0 when the request raised
    lateness: float  # actual dispatch minus intended start: how far behind the generator was
    error: str = ""  # exception class name when status is 0

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def arrival_offsets(
    rate: float,
    duration: float,
    *,
    arrivals: Arrivals = "constant",
    rng: random.Random | None = None,
    phase: float = 0.0,
) -> list[float]:
    """Intended start times (seconds from the step's start) of ``rate`` requests per second
    over ``duration`` seconds. ``phase`` shifts a constant schedule, so that K generator
    processes at rate/K each, shifted by i/rate, interleave into one even schedule."""
    if rate <= 0 or duration <= 0:
        return []
    if arrivals == "constant":
        count = int(duration * rate + 1e-9)
        return [phase + i / rate for i in range(count) if phase + i / rate < duration]
    source = rng or random.Random(0)
    offsets: list[float] = []
    at = source.expovariate(rate)
    while at < duration:
        offsets.append(at)
        at += source.expovariate(rate)
    return offsets


async def run_open_loop(
    offsets: list[float],
    plan: Plan,
    *,
    on_done: Done | None = None,
    max_in_flight: int = 50_000,
    stop: asyncio.Event | None = None,
) -> list[Sample]:
    """Start request i at ``offsets[i]`` seconds from now (plus a small lead), never waiting
    for an answer before starting the next; return one sample per request.

    Beyond ``max_in_flight`` unfinished requests, a due request is not sent and counts as a
    failure (``error="ClientOverload"``), so an overloaded run ends instead of piling up.
    Setting ``stop`` ends dispatching early (requests already started still finish)."""
    clock = time.perf_counter
    samples: list[Sample] = []
    pending: set[asyncio.Task[None]] = set()
    start = clock() + LEAD_SECONDS

    async def one(endpoint: str, send: Send, intended: float, dispatched: float) -> None:
        status, error = 0, ""
        try:
            status = await send()
        except Exception as exc:  # any failure of one request is that request's error
            error = type(exc).__name__
        finished = clock()
        samples.append(
            Sample(
                endpoint,
                intended - start,
                finished - intended,
                status,
                dispatched - intended,
                error,
            )
        )
        if on_done is not None:
            on_done()

    in_a_row = 0
    for index, offset in enumerate(offsets):
        if stop is not None and stop.is_set():
            break
        intended = start + offset
        delay = intended - clock()
        if delay > 0:
            await asyncio.sleep(delay)
            in_a_row = 0
        elif in_a_row >= CATCH_UP_BURST:
            await asyncio.sleep(0)  # behind schedule: let answers be read meanwhile
            in_a_row = 0
        in_a_row += 1
        endpoint, send = plan(index)
        now = clock()
        if len(pending) >= max_in_flight:
            samples.append(
                Sample(endpoint, offset, now - intended, 0, now - intended, "ClientOverload")
            )
            continue
        task = asyncio.create_task(one(endpoint, send, intended, now))
        pending.add(task)
        task.add_done_callback(pending.discard)
    if pending:
        await asyncio.gather(*pending)
    samples.sort(key=lambda sample: sample.intended)
    return samples
