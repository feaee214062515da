"""Coalescing: the same question asked by many tasks at once is answered in one batch.

When a post reaches hundreds of open streams, each stream's task asks about it within a
few milliseconds of the others. A ``Coalescer`` gathers the asks about one key for a short
window (or until a batch is full), runs them as one batch, and hands each task its own
answer. A task that gives up (its connection closed) leaves the batch to the others; a
batch that fails raises its error in every task that waits on it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
A = TypeVar("A")
R = TypeVar("R")

Batch = Callable[[K, Sequence[A]], Awaitable[Sequence[R]]]


class Coalescer(Generic[K, A, R]):
    def __init__(self, run: Batch[K, A, R], *, window: float, max_batch: int) -> None:
        """``run(key, asks)`` answers the asks in order; the window is in seconds."""
        self._run = run
        self._window = window
        self._max_batch = max_batch
        self._pending: dict[K, list[tuple[A, asyncio.Future[R]]]] = {}
        self._running: set[asyncio.Task[None]] = set()

    async def ask(self, key: K, ask: A) -> R:
        loop = asyncio.get_running_loop()
        waiting = self._pending.get(key)
        if waiting is None:
            waiting = self._pending[key] = []
            loop.call_later(self._window, self._flush, key, waiting)
        answer: asyncio.Future[R] = loop.create_future()
        waiting.append((ask, answer))
        if len(waiting) >= self._max_batch:
            self._flush(key, waiting)
        return await answer

    def _flush(self, key: K, waiting: list[tuple[A, asyncio.Future[R]]]) -> None:
        # The timer of a batch flushed early for being full finds another list (or none).
        if self._pending.get(key) is not waiting:
            return
        del self._pending[key]
        task = asyncio.get_running_loop().create_task(self._answer(key, waiting))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _answer(self, key: K, waiting: list[tuple[A, asyncio.Future[R]]]) -> None:
        live = [(ask, answer) for ask, answer in waiting if not answer.done()]
        if not live:
            return
        try:
            results = list(await self._run(key, [ask for ask, _ in live]))
            if len(results) != len(live):
                raise RuntimeError(f"a batch of {len(live)} asks gave {len(results)} answers")
        except Exception as error:
            for _, answer in live:
                if not answer.done():
                    answer.set_exception(error)
            return
        except asyncio.CancelledError:
            for _, answer in live:
                answer.cancel()
            raise
        for (_, answer), result in zip(live, results, strict=True):
            if not answer.done():
                answer.set_result(result)
