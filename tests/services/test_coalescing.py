"""Coalescer: asks about one key made together run as one batch, each gets its own answer."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from godwit.services.coalescing import Coalescer


class Recorder:
    """A batch function that records its batches and answers each ask with ask * 10."""

    def __init__(self, *, fail: bool = False, short: bool = False) -> None:
        self.batches: list[tuple[str, list[int]]] = []
        self.fail = fail
        self.short = short
        self.release = asyncio.Event()
        self.release.set()
        self.started = asyncio.Event()

    async def __call__(self, key: str, asks: Sequence[int]) -> list[int]:
        self.batches.append((key, list(asks)))
        self.started.set()
        await self.release.wait()
        if self.fail:
            raise LookupError("the batch failed")
        answers = [ask * 10 for ask in asks]
        return answers[:-1] if self.short else answers


async def test_asks_made_together_run_as_one_batch_per_key() -> None:
    recorder = Recorder()
    coalescer = Coalescer(recorder, window=0.01, max_batch=100)
    asks = [coalescer.ask("a", n) for n in range(5)] + [coalescer.ask("b", 7)]
    assert await asyncio.gather(*asks) == [0, 10, 20, 30, 40, 70]
    assert sorted(recorder.batches) == [("a", [0, 1, 2, 3, 4]), ("b", [7])]


async def test_asks_after_a_batch_left_make_a_new_one() -> None:
    recorder = Recorder()
    coalescer = Coalescer(recorder, window=0.001, max_batch=100)
    assert await coalescer.ask("a", 1) == 10
    assert await coalescer.ask("a", 2) == 20
    assert recorder.batches == [("a", [1]), ("a", [2])]


async def test_a_full_batch_leaves_without_waiting_for_the_window() -> None:
    recorder = Recorder()
    coalescer = Coalescer(recorder, window=60, max_batch=3)
    answers = await asyncio.wait_for(
        asyncio.gather(*(coalescer.ask("a", n) for n in range(6))), timeout=5
    )
    assert answers == [0, 10, 20, 30, 40, 50]
    assert recorder.batches == [("a", [0, 1, 2]), ("a", [3, 4, 5])]


async def test_an_asker_that_gives_up_leaves_the_others_their_answers() -> None:
    recorder = Recorder()
    recorder.release.clear()
    coalescer = Coalescer(recorder, window=0.001, max_batch=100)
    leaving = asyncio.create_task(coalescer.ask("a", 1))
    staying = asyncio.create_task(coalescer.ask("a", 2))
    await recorder.started.wait()
    leaving.cancel()
    recorder.release.set()
    assert await staying == 20
    with pytest.raises(asyncio.CancelledError):
        await leaving


async def test_askers_cancelled_before_the_batch_ran_are_left_out() -> None:
    recorder = Recorder()
    coalescer = Coalescer(recorder, window=0.01, max_batch=100)
    leaving = asyncio.create_task(coalescer.ask("a", 1))
    staying = asyncio.create_task(coalescer.ask("a", 2))
    await asyncio.sleep(0)
    leaving.cancel()
    assert await staying == 20
    assert recorder.batches == [("a", [2])]


async def test_a_failed_batch_raises_in_every_asker() -> None:
    coalescer = Coalescer(Recorder(fail=True), window=0.001, max_batch=100)
    results = await asyncio.gather(
        coalescer.ask("a", 1), coalescer.ask("a", 2), return_exceptions=True
    )
    assert [type(result) for result in results] == [LookupError, LookupError]


async def test_a_batch_with_too_few_answers_is_an_error_not_a_hang() -> None:
    coalescer = Coalescer(Recorder(short=True), window=0.001, max_batch=100)
    with pytest.raises(RuntimeError, match="2 asks gave 1 answers"):
        await asyncio.wait_for(asyncio.gather(coalescer.ask("a", 1), coalescer.ask("a", 2)), 5)
