"""Fan-out delay: how long after a post it shows in its author's followers' home timelines.

For each probe author (planted accounts with 10, 1k and 10k followers in a synthetic graph,
else the members closest to those counts) up to ``watchers`` sampled followers watch
their ``user`` stream (Server-Sent Events), or poll their home timeline every
``poll_interval`` seconds. The author posts a marker status; each watcher's delay is the
time it saw the marker minus the time the POST was answered (0 when it saw it first).
Reported: p50/p99 of the watchers' delays, when the last one had it, and how many never
saw it within ``wait_seconds``.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from godwit.bench import client
from godwit.bench.stats import summarise

Method = Literal["stream", "poll"]
# A stream counts as open once its response headers arrived; then this much more, so the
# server has subscribed it before the marker is posted.
SUBSCRIBE_GRACE = 0.5


@dataclass(frozen=True)
class Probe:
    wanted: int  # the follower count asked for
    author: int  # member index
    followers: int  # its actual follower count
    watchers: tuple[int, ...]  # member indexes of the sampled followers


def pick_watchers(followers: list[int], count: int, rng: random.Random) -> tuple[int, ...]:
    return tuple(sorted(rng.sample(followers, min(count, len(followers)))))


async def _stream_watch(
    http: httpx.AsyncClient,
    token: str,
    seen: dict[str, float],
    opened: asyncio.Event,
    wanted: asyncio.Future[str],
) -> None:
    try:
        async for status_id in client.user_stream_updates(http, token, opened):
            seen.setdefault(status_id, time.perf_counter())
            if wanted.done() and wanted.result() in seen:
                return
    finally:
        opened.set()  # a stream that failed to open must not hold the probe up


async def _poll_watch(
    http: httpx.AsyncClient,
    token: str,
    seen: dict[str, float],
    wanted: asyncio.Future[str],
    interval: float,
    offset: float,
) -> None:
    await asyncio.sleep(offset)
    while True:
        with contextlib.suppress(httpx.HTTPError, client.ApiError):
            for status_id in await client.home_ids(http, token, limit=5):
                seen.setdefault(status_id, time.perf_counter())
        if wanted.done() and wanted.result() in seen:
            return
        await asyncio.sleep(interval)


async def run_probe(
    base_url: str,
    probe: Probe,
    tokens: list[str],
    *,
    method: Method = "stream",
    poll_interval: float = 0.25,
    wait_seconds: float = 30.0,
) -> dict[str, Any]:
    connections = len(probe.watchers) + 4
    async with client.new_client(base_url, connections=connections, timeout=30.0) as http:
        seens = [dict[str, float]() for _ in probe.watchers]
        loop = asyncio.get_running_loop()
        wanted: asyncio.Future[str] = loop.create_future()
        opened = [asyncio.Event() for _ in probe.watchers]
        if method == "stream":
            tasks = [
                asyncio.create_task(_stream_watch(http, tokens[m], seen, event, wanted))
                for m, seen, event in zip(probe.watchers, seens, opened, strict=True)
            ]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    asyncio.gather(*(event.wait() for event in opened)), wait_seconds
                )
            await asyncio.sleep(SUBSCRIBE_GRACE)
        else:
            tasks = [
                asyncio.create_task(
                    _poll_watch(
                        http,
                        tokens[m],
                        seen,
                        wanted,
                        poll_interval,
                        poll_interval * n / max(1, len(probe.watchers)),
                    )
                )
                for n, (m, seen) in enumerate(zip(probe.watchers, seens, strict=True))
            ]
            await asyncio.sleep(poll_interval)
        marker = f"fan-out marker {uuid.uuid4().hex}"
        posted_at = time.perf_counter()
        status_id = await client.post_status(http, tokens[probe.author], marker)
        answered = time.perf_counter()
        wanted.set_result(status_id)
        _done, pending = await asyncio.wait(tasks, timeout=wait_seconds)
        for task in pending:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    delays = [max(0.0, seen[status_id] - answered) for seen in seens if status_id in seen]
    summary = summarise(delays, errors=len(seens) - len(delays)).as_dict()
    return {
        "wanted_followers": probe.wanted,
        "author_followers": probe.followers,
        "watchers": len(probe.watchers),
        "method": method,
        "post_ms": round((answered - posted_at) * 1000, 3),
        "seen": len(delays),
        "missed": len(seens) - len(delays),
        "delay": summary,
        "last_ms": round(max(delays) * 1000, 3) if delays else None,
    }
