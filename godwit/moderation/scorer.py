"""The offline threat scorer (port ``godwit.ports.threats.ThreatScorer``).

The encoder and the head are loaded lazily, once per process, on first use (about a second,
≈ 200 MB), then shared by every scorer instance. Scoring runs on a small thread pool, never
on the event loop; numpy releases the GIL, so the pool's threads use separate cores. BLAS is
pinned to one thread per call when the model loads: with two shared cores, a multi-threaded
GEMM on a 40-token post is slower than a single-threaded one, and parallelism comes from the
pool instead.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from godwit.domain.threats import SeedExample, ThreatPreset, ThreatScore
from godwit.moderation.encoder import Encoder
from godwit.moderation.head import ThreatHead, load_head


@dataclass(frozen=True)
class LoadedModel:
    encoder: Encoder
    head: ThreatHead


_model: LoadedModel | None = None
_head: ThreatHead | None = None
_lock = threading.Lock()


def _limit_blas_threads() -> None:
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def shared_head() -> ThreatHead:
    """The committed head alone (thresholds, manifest): cheap, no encoder."""
    global _head
    with _lock:
        if _head is None:
            _head = load_head()
        return _head


def shared_model() -> LoadedModel:
    """The encoder and head, loaded on the first call in this process."""
    global _model
    head = shared_head()
    with _lock:
        if _model is None:
            _limit_blas_threads()
            _model = LoadedModel(Encoder(), head)
        return _model


def score_texts(model: LoadedModel, texts: Sequence[str], neighbours: int) -> list[ThreatScore]:
    if not texts:
        return []
    embeddings = model.encoder.encode(texts)
    scores = model.head.scores(embeddings)
    top, similarity = model.head.nearest(embeddings, neighbours)
    seeds = model.head.seeds
    return [
        ThreatScore(
            score=float(scores[row]),
            nearest=tuple(
                SeedExample(
                    text=seeds[i].text,
                    is_threat=seeds[i].label == 1,
                    category=seeds[i].category,
                    similarity=round(float(sim), 4),
                )
                for i, sim in zip(top[row], similarity[row], strict=True)
            ),
        )
        for row in range(len(texts))
    ]


class LocalThreatScorer:
    """MiniLM embeddings + the committed head, on ``workers`` threads of this process."""

    def __init__(self, workers: int = 1, neighbours: int = 3, max_batch: int = 64) -> None:
        if workers < 1 or neighbours < 0 or max_batch < 1:
            raise ValueError("workers and max_batch must be ≥ 1, neighbours ≥ 0")
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="threats")
        self._slots = asyncio.Semaphore(workers)  # callers wait here, not in an unbounded queue
        self._neighbours = neighbours
        self._max_batch = max_batch

    @property
    def thresholds(self) -> Mapping[ThreatPreset, float]:
        return dict(shared_head().thresholds)

    async def score(self, text: str) -> ThreatScore:
        return (await self.score_many([text]))[0]

    async def score_many(self, texts: Sequence[str]) -> list[ThreatScore]:
        results: list[ThreatScore] = []
        loop = asyncio.get_running_loop()
        for start in range(0, len(texts), self._max_batch):
            chunk = list(texts[start : start + self._max_batch])
            async with self._slots:
                results += await loop.run_in_executor(self._executor, self._run, chunk)
        return results

    def _run(self, texts: list[str]) -> list[ThreatScore]:
        return score_texts(shared_model(), texts, self._neighbours)

    async def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
