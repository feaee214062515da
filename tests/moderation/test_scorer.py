"""The threat scorer through its port: scores, reasons, batching, and the event loop."""

from __future__ import annotations

import asyncio

import pytest

from godwit.domain.threats import ThreatPreset, ThreatScore
from godwit.moderation.scorer import LocalThreatScorer, shared_model
from godwit.ports.threats import ThreatScorer
from tests.moderation.support import require_model

THREATS = [
    "I will kill you tomorrow, I know where you live",
    "we should storm the capitol and hang them",
    "bring guns to the rally and shoot the cops",
    "Mayor Okafor, I know your address and I'm coming with a gun on Friday.",
]
ORDINARY = [
    "have a nice day",
    "this traffic is killing me",
    "Police said two people were shot near the station on Tuesday night.",
    "We absolutely destroyed them in the second half, 3-0!",
]


@pytest.fixture
async def scorer() -> ThreatScorer:
    require_model()
    port: ThreatScorer = LocalThreatScorer(workers=2, neighbours=3)
    yield port  # type: ignore[misc]
    await port.close()


async def test_threats_outscore_ordinary_posts(scorer: ThreatScorer) -> None:
    scores = [result.score for result in await scorer.score_many(THREATS + ORDINARY)]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert min(scores[: len(THREATS)]) > max(scores[len(THREATS) :])


async def test_presets_flag_a_direct_threat_and_pass_an_idiom(scorer: ThreatScorer) -> None:
    threat = await scorer.score(THREATS[0])
    idiom = await scorer.score("this traffic is killing me")
    thresholds = scorer.thresholds
    assert set(thresholds) == set(ThreatPreset)
    assert threat.exceeds(thresholds[ThreatPreset.STANDARD])
    assert not idiom.exceeds(thresholds[ThreatPreset.STRICT])


async def test_the_score_comes_with_its_nearest_seed_examples(scorer: ThreatScorer) -> None:
    result = await scorer.score("I know where you live and I will hurt you")
    assert len(result.nearest) == 3
    similarities = [example.similarity for example in result.nearest]
    assert similarities == sorted(similarities, reverse=True)
    assert similarities[0] > 0.5
    assert result.nearest[0].is_threat
    assert result.nearest[0].category
    assert result.nearest[0].text


async def test_batches_match_single_scores_in_input_order(scorer: ThreatScorer) -> None:
    texts = [*ORDINARY, *THREATS]
    together = await scorer.score_many(texts)
    alone = [await scorer.score(text) for text in texts]
    assert [round(r.score, 5) for r in together] == [round(r.score, 5) for r in alone]
    assert await scorer.score_many([]) == []


async def test_scoring_runs_off_the_event_loop(scorer: ThreatScorer) -> None:
    await scorer.score("warm up: the model loads on first use")
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    results = await asyncio.gather(*(scorer.score_many(THREATS * 8) for _ in range(3)))
    task.cancel()
    assert all(len(r) == len(THREATS) * 8 for r in results)
    assert ticks > 10  # the loop kept running while the pool scored


async def test_the_model_is_loaded_once_per_process(scorer: ThreatScorer) -> None:
    other = LocalThreatScorer()
    try:
        first: ThreatScore = await scorer.score("hello")
        second = await other.score("hello")
        assert first.score == second.score
        assert shared_model() is shared_model()
    finally:
        await other.close()


def test_bad_pool_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="workers"):
        LocalThreatScorer(workers=0)
