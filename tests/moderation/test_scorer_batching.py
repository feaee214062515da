"""Micro-batching in LocalThreatScorer: concurrent score() calls are gathered into batches.

The job runner calls ``score(text)`` once per post from several jobs at once; the scorer
gathers the calls that arrive while its workers are busy (or in the same event-loop turn)
and scores them together. These tests check that each caller still gets its own score,
that a lone call is scored alone (no waiting window), that a batch's error reaches every
caller of that batch, and that cancelling one caller leaves the others alone.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

import numpy as np
import pytest

from godwit.domain.threats import ThreatScore
from godwit.moderation.encoder import Encoder
from godwit.moderation.scorer import (
    LocalThreatScorer,
    ScorerClosed,
    score_texts,
    shared_model,
)
from tests.moderation.support import require_model

TEXTS = [
    "I will kill you tomorrow, I know where you live",
    "have a nice day",
    "this traffic is killing me",
    "Police said two people were shot near the station on Tuesday night, and a man was "
    "arrested on Wednesday after a long search of the neighbourhood by officers.",
    "we should storm the capitol and hang them",
    "We absolutely destroyed them in the second half, 3-0!",
    "ok",
    "Mayor Okafor, I know your address and I'm coming with a gun on Friday.",
]


@pytest.fixture
async def scorer() -> AsyncIterator[LocalThreatScorer]:
    require_model()
    port = LocalThreatScorer(workers=1, neighbours=3)
    yield port
    await port.close()


def _alone(text: str) -> ThreatScore:
    return score_texts(shared_model(), [text], 3)[0]


class _Gate:
    """Blocks the scorer's worker inside ``_run`` until released, to pile up callers."""

    def __init__(self, scorer: LocalThreatScorer) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.batches: list[list[str]] = []
        original = scorer._run

        def gated(texts: list[str]) -> list[ThreatScore]:
            self.batches.append(list(texts))
            self.entered.set()
            assert self.release.wait(10), "the test never released the worker"
            return original(texts)

        scorer._run = gated  # type: ignore[method-assign]

    async def wait_entered(self) -> None:
        assert await asyncio.to_thread(self.entered.wait, 10)
        self.entered.clear()


def test_an_embedding_does_not_depend_on_its_batch(encoder: Encoder) -> None:
    """Length-sorted batches with padding change a vector by float noise only (not always
    bit for bit: GEMM blocking and summation order depend on the batch's shape)."""
    alone = np.stack([encoder.encode([text])[0] for text in TEXTS])
    for batch in (TEXTS, TEXTS[::-1], TEXTS[1::2] + TEXTS[::2]):
        order = [TEXTS.index(text) for text in batch]
        together = encoder.encode(batch)
        assert np.abs(together - alone[order]).max() < 1e-6


def test_texts_of_very_different_lengths_share_a_packed_batch(encoder: Encoder) -> None:
    texts = [*TEXTS, "word " * 150, "short", "a little longer text than that one"]
    alone = np.stack([encoder.encode([text])[0] for text in texts])
    assert np.abs(encoder.encode(texts) - alone).max() < 1e-6
    assert encoder.encode([]).shape == (0, encoder.dimension)


async def test_concurrent_calls_get_their_own_scores(scorer: LocalThreatScorer) -> None:
    expected = [_alone(text) for text in TEXTS]
    results = await asyncio.gather(*(scorer.score(text) for text in TEXTS))
    assert sum(scorer.batch_sizes.values()) < len(TEXTS)  # some were scored together
    assert max(scorer.batch_sizes) > 1
    for result, alone in zip(results, expected, strict=True):
        assert result.score == pytest.approx(alone.score, abs=1e-6)
        assert [e.text for e in result.nearest] == [e.text for e in alone.nearest]


async def test_calls_arriving_during_a_batch_are_scored_together(
    scorer: LocalThreatScorer,
) -> None:
    gate = _Gate(scorer)
    first = asyncio.create_task(scorer.score(TEXTS[0]))
    await gate.wait_entered()  # the only worker is busy with TEXTS[0]
    later = [asyncio.create_task(scorer.score(text)) for text in TEXTS[1:]]
    await asyncio.sleep(0.01)
    gate.release.set()
    results = await asyncio.gather(first, *later)
    assert gate.batches == [TEXTS[:1], TEXTS[1:]]  # one batch of 1, then one of 7, in order
    for text, result in zip(TEXTS, results, strict=True):
        assert result.score == pytest.approx(_alone(text).score, abs=1e-6)


async def test_a_batch_is_split_over_free_workers_and_capped() -> None:
    require_model()
    scorer = LocalThreatScorer(workers=2, max_batch=3)
    try:
        results = await scorer.score_many(TEXTS)  # 8 texts, 2 free workers, at most 3 each
        assert [r.score for r in results] == pytest.approx(
            [_alone(text).score for text in TEXTS], abs=1e-6
        )
        assert max(scorer.batch_sizes) <= 3
        assert sum(size * n for size, n in scorer.batch_sizes.items()) == len(TEXTS)
    finally:
        await scorer.close()


async def test_a_lone_call_is_scored_in_a_batch_of_one(scorer: LocalThreatScorer) -> None:
    await scorer.score(TEXTS[0])
    await scorer.score(TEXTS[1])
    assert scorer.batch_sizes == {1: 2}


async def test_an_error_reaches_every_caller_of_the_batch(scorer: LocalThreatScorer) -> None:
    def broken(texts: list[str]) -> list[ThreatScore]:
        raise RuntimeError("encoder exploded")

    scorer._run = broken  # type: ignore[method-assign]
    results = await asyncio.gather(
        *(scorer.score(text) for text in TEXTS[:3]), return_exceptions=True
    )
    assert scorer.batch_sizes == {3: 1}
    assert all(isinstance(r, RuntimeError) and "exploded" in str(r) for r in results)
    with pytest.raises(RuntimeError, match="exploded"):
        await scorer.score_many(TEXTS[:2])


async def test_cancelling_a_waiting_caller_leaves_the_others_alone(
    scorer: LocalThreatScorer,
) -> None:
    gate = _Gate(scorer)
    first = asyncio.create_task(scorer.score(TEXTS[0]))
    await gate.wait_entered()
    waiting = [asyncio.create_task(scorer.score(text)) for text in TEXTS[1:4]]
    await asyncio.sleep(0)
    waiting[1].cancel()  # cancelled while queued: dropped from the next batch
    gate.release.set()
    results = await asyncio.gather(first, *waiting, return_exceptions=True)
    assert isinstance(results[2], asyncio.CancelledError)
    assert gate.batches == [TEXTS[:1], [TEXTS[1], TEXTS[3]]]
    for index in (0, 1, 3):
        result = results[index]
        assert isinstance(result, ThreatScore)
        assert result.score == pytest.approx(_alone(TEXTS[index]).score, abs=1e-6)


async def test_cancelling_a_caller_mid_batch_leaves_the_others_alone(
    scorer: LocalThreatScorer,
) -> None:
    gate = _Gate(scorer)
    tasks = [asyncio.create_task(scorer.score(text)) for text in TEXTS[:3]]
    await gate.wait_entered()  # all three in one batch, on the worker
    tasks[0].cancel()
    gate.release.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert gate.batches == [TEXTS[:3]]
    assert isinstance(results[0], asyncio.CancelledError)
    for text, result in zip(TEXTS[1:3], results[1:], strict=True):
        assert isinstance(result, ThreatScore)
        assert result.score == pytest.approx(_alone(text).score, abs=1e-6)
    assert (await scorer.score(TEXTS[4])).score == pytest.approx(_alone(TEXTS[4]).score)


async def test_close_fails_queued_calls_and_refuses_new_ones(scorer: LocalThreatScorer) -> None:
    gate = _Gate(scorer)
    first = asyncio.create_task(scorer.score(TEXTS[0]))
    await gate.wait_entered()
    queued = asyncio.create_task(scorer.score(TEXTS[1]))
    await asyncio.sleep(0)
    await scorer.close()
    gate.release.set()
    assert (await first).score == pytest.approx(_alone(TEXTS[0]).score)  # already running
    with pytest.raises(ScorerClosed):
        await queued
    with pytest.raises(ScorerClosed):
        await scorer.score(TEXTS[2])
