"""A bounded worker pool for CPU-bound work called from async code.

Hashing a password with argon2id takes tens of milliseconds and tens of megabytes; making
an RSA key takes longer. Run on the event loop, either would freeze every other request.
So the work runs on a fixed number of threads (argon2-cffi and cryptography release the
GIL while they compute), and a semaphore bounds how many callers may wait for a thread: a
burst beyond that is refused at once (429) instead of piling up memory and latency.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from godwit.domain.errors import RateLimited

T = TypeVar("T")

# How many callers may queue per worker thread before new ones are turned away.
WAITERS_PER_WORKER = 32


class BoundedPool:
    def __init__(self, workers: int, *, name: str, max_waiting: int | None = None) -> None:
        if workers < 1:
            raise ValueError("a worker pool needs at least one thread")
        self.workers = workers
        self.capacity = workers + (
            max_waiting if max_waiting is not None else workers * WAITERS_PER_WORKER
        )
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._admitted = 0
        # At most ``workers`` jobs are handed to the executor at once; the rest wait here,
        # cheaply, as suspended coroutines.
        self._running = asyncio.Semaphore(workers)

    async def run(self, function: Callable[..., T], *args: object) -> T:
        if self._admitted >= self.capacity:
            raise RateLimited(retry_after=1, message="The server is busy, try again shortly")
        self._admitted += 1
        try:
            async with self._running:
                loop = asyncio.get_running_loop()
                return await loop.run_in_executor(self._executor, function, *args)
        finally:
            self._admitted -= 1

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
