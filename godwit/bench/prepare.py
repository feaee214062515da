"""Preparing a dataset through the Mastodon API (any server): untimed.

Members sign up with ``POST /api/v1/accounts`` under an app token, then follow each other
along the graph, then post. The server's own limits apply: switch off its sign-up and
request rate limits for the run (Godwit: ``GODWIT_RATE_LIMITS_ENABLED=false``), and expect
sign-ups to go at the speed of its password hashing (about 25/s on two cores). A 429 is
waited out (``Retry-After``) and retried. For big Godwit datasets,
``godwit bench prepare --direct`` seeds the database instead (godwit/commands/bench.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import TypeVar

import httpx

from godwit.bench import client
from godwit.bench.dataset import Dataset, DatasetSpec, build
from godwit.bench.state import BenchState

T = TypeVar("T")
# (phase, done, total): phases are "sign-up", "follow" and "post".
Progress = Callable[[str, int, int], None]
MAX_RETRIES = 8


def _quiet(_phase: str, _done: int, _total: int) -> None:
    return None


async def pooled(
    items: Iterable[T],
    work: Callable[[T], Awaitable[None]],
    concurrency: int,
    done: Callable[[], None],
) -> None:
    """Run ``work`` over ``items`` with at most ``concurrency`` at once (no task per item)."""
    source: Iterator[T] = iter(items)

    async def worker() -> None:
        for item in source:
            await work(item)
            done()

    await asyncio.gather(*(worker() for _ in range(max(1, concurrency))))


async def retrying(call: Callable[[], Awaitable[T]]) -> T:
    """``call()``, waiting out rate limits (429) and retrying dropped connections."""
    for attempt in range(MAX_RETRIES):
        try:
            return await call()
        except client.ApiError as error:
            if error.status != 429 or attempt == MAX_RETRIES - 1:
                raise
            await asyncio.sleep(min(30.0, 0.5 * 2**attempt))
        except httpx.TransportError:
            if attempt == MAX_RETRIES - 1:
                raise
            await asyncio.sleep(min(5.0, 0.2 * 2**attempt))
    raise AssertionError("unreachable")


async def prepare_via_api(
    base_url: str, spec: DatasetSpec, *, concurrency: int = 16, progress: Progress = _quiet
) -> BenchState:
    started = time.monotonic()
    dataset = build(spec)
    count = dataset.graph.members
    tokens = [""] * count
    ids = [""] * count
    async with client.new_client(base_url, connections=concurrency, timeout=60.0) as http:
        app = await client.create_app(http)
        app_token = await client.app_token(http, app)
        await _sign_ups(http, dataset, app_token, tokens, ids, concurrency, progress)
        await _follows(http, dataset, tokens, ids, concurrency, progress)
        await _posts(http, dataset, tokens, concurrency, progress)
    return BenchState(base_url, "api", spec, ids, tokens, time.monotonic() - started)


def _counter(phase: str, total: int, progress: Progress) -> Callable[[], None]:
    done = 0
    progress(phase, 0, total)

    def tick() -> None:
        nonlocal done
        done += 1
        progress(phase, done, total)

    return tick


async def _sign_ups(
    http: httpx.AsyncClient,
    dataset: Dataset,
    app_token: str,
    tokens: list[str],
    ids: list[str],
    concurrency: int,
    progress: Progress,
) -> None:
    async def one(member: int) -> None:
        username, email = dataset.usernames[member], dataset.email(member)
        tokens[member] = await retrying(
            lambda: client.sign_up(http, app_token, username, email, dataset.spec.password)
        )
        ids[member] = await retrying(lambda: client.account_id(http, tokens[member]))

    members = range(dataset.graph.members)
    await pooled(members, one, concurrency, _counter("sign-up", len(members), progress))


async def _follows(
    http: httpx.AsyncClient,
    dataset: Dataset,
    tokens: list[str],
    ids: list[str],
    concurrency: int,
    progress: Progress,
) -> None:
    async def one(edge: tuple[int, int]) -> None:
        follower, followed = edge
        await retrying(lambda: client.follow(http, tokens[follower], ids[followed]))

    edges = dataset.graph.edges()
    await pooled(edges, one, concurrency, _counter("follow", len(dataset.graph), progress))


async def _posts(
    http: httpx.AsyncClient,
    dataset: Dataset,
    tokens: list[str],
    concurrency: int,
    progress: Progress,
) -> None:
    async def one(post: tuple[int, str]) -> None:
        author, text = post
        await retrying(lambda: client.post_status(http, tokens[author], text))

    await pooled(dataset.posts, one, concurrency, _counter("post", len(dataset.posts), progress))
