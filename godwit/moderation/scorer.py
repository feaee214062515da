"""The offline threat scorer (port ``godwit.ports.threats.ThreatScorer``).

The encoder and the head are loaded lazily, once per process, on first use (about a second,
≈ 200 MB), then shared by every scorer instance. Scoring runs on a small thread pool, never
on the event loop; numpy releases the GIL, so the pool's threads use separate cores. BLAS is
pinned to one thread when the model loads (OpenBLAS's setting is process-wide, so each pool
thread runs its GEMMs on its own core): with two shared cores, a multi-threaded GEMM on a
40-token post is slower than a single-threaded one, and parallelism comes from the pool.

**Micro-batching.** The moderation job calls ``score(text)`` once per post, and the job
runner runs several jobs at once. Every call joins one queue. Whenever a worker thread is
free, the queue is drained into a batch, split evenly over the free workers and capped at
``max_batch``, and scored through the batched path (``score_texts``). Calls that arrive
while every worker is busy therefore wait for the next batch together, and calls made in
the same event-loop turn (``score_many``, ``asyncio.gather``) start together. There is no
timer: a lone call with a free worker is dispatched on the next loop turn, in a batch of
one. A batch's error is raised in every caller of that batch; a caller that is cancelled is
dropped from the queue (or its result is discarded) without touching the others. Batch
composition does not change a score: the encoder's vector for a text differs between
batches by at most ~1.5e-7 per component (GEMM blocking and summation order), scores by
~3e-8 (tests/moderation/test_scorer_batching.py).
"""

from __future__ import annotations

import asyncio
import importlib.util
import threading
from collections import Counter, deque
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from godwit.domain.threats import SeedExample, ThreatPreset, ThreatScore

if TYPE_CHECKING:  # imported with the model: numpy and tokenizers are 17 MB of idle memory
    from godwit.moderation.encoder import Encoder
    from godwit.moderation.head import ThreatHead

# The ``moderation`` extra: what loading the model imports.
REQUIRED_MODULES = ("numpy", "safetensors", "tokenizers", "threadpoolctl")


def installed() -> bool:
    """Whether the libraries the model needs are installed, without importing them."""
    return all(importlib.util.find_spec(name) is not None for name in REQUIRED_MODULES)


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
    from godwit.moderation.head import load_head

    with _lock:
        if _head is None:
            _head = load_head()
        return _head


def shared_model() -> LoadedModel:
    """The encoder and head, loaded on the first call in this process."""
    global _model
    from godwit.moderation.encoder import Encoder

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


@dataclass(frozen=True)
class _Request:
    text: str
    future: asyncio.Future[ThreatScore]


class ScorerClosed(RuntimeError):
    """The scorer was closed before this text was scored."""


class LocalThreatScorer:
    """MiniLM embeddings + the committed head, on ``workers`` threads of this process;
    concurrent calls are gathered into micro-batches of at most ``max_batch`` texts."""

    def __init__(self, workers: int = 1, neighbours: int = 3, max_batch: int = 64) -> None:
        if workers < 1 or neighbours < 0 or max_batch < 1:
            raise ValueError("workers and max_batch must be ≥ 1, neighbours ≥ 0")
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="threats")
        self._workers = workers
        self._neighbours = neighbours
        self._max_batch = max_batch
        self._queue: deque[_Request] = deque()
        self._running = 0  # batches on the pool
        self._dispatch_pending = False
        self._closed = False
        #: How many batches of each size were scored (diagnostics, benchmark and tests).
        self.batch_sizes: Counter[int] = Counter()

    @property
    def thresholds(self) -> Mapping[ThreatPreset, float]:
        return dict(shared_head().thresholds)

    async def score(self, text: str) -> ThreatScore:
        return await self._submit(text)

    async def score_many(self, texts: Sequence[str]) -> list[ThreatScore]:
        if not texts:
            return []
        # Queued in one go, so they share batches (and the free workers) in input order.
        return list(await asyncio.gather(*(self._submit(text) for text in texts)))

    def _submit(self, text: str) -> asyncio.Future[ThreatScore]:
        if self._closed:
            raise ScorerClosed("the threat scorer is closed")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[ThreatScore] = loop.create_future()
        self._queue.append(_Request(text, future))
        self._schedule(loop)
        return future

    def _schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        # On the next loop turn, so that calls made in this turn join the same batch.
        if not self._dispatch_pending and self._running < self._workers:
            self._dispatch_pending = True
            loop.call_soon(self._dispatch, loop)

    def _dispatch(self, loop: asyncio.AbstractEventLoop) -> None:
        self._dispatch_pending = False
        live = [request for request in self._queue if not request.future.done()]
        self._queue.clear()
        free = self._workers - self._running
        while live and free > 0 and not self._closed:
            size = min(self._max_batch, -(-len(live) // free))  # even split over free workers
            batch, live = live[:size], live[size:]
            free -= 1
            self._start(loop, batch)
        self._queue.extend(live)  # the rest waits for a worker to finish

    def _start(self, loop: asyncio.AbstractEventLoop, batch: list[_Request]) -> None:
        self._running += 1
        self.batch_sizes[len(batch)] += 1
        texts = [request.text for request in batch]
        try:
            done = asyncio.wrap_future(self._executor.submit(self._run, texts), loop=loop)
        except RuntimeError as error:  # the pool is shut down (interpreter exit)
            self._running -= 1
            _fail(batch, error)
            return
        done.add_done_callback(lambda outcome: self._finish(loop, batch, outcome))

    def _finish(
        self,
        loop: asyncio.AbstractEventLoop,
        batch: list[_Request],
        outcome: asyncio.Future[list[ThreatScore]],
    ) -> None:
        self._running -= 1
        error: BaseException | None = None
        if outcome.cancelled():
            error = ScorerClosed("the threat scorer was closed before this text was scored")
        elif outcome.exception() is not None:
            error = outcome.exception()
        elif len(outcome.result()) != len(batch):
            error = RuntimeError(f"{len(outcome.result())} scores for {len(batch)} texts")
        if error is None:
            for request, result in zip(batch, outcome.result(), strict=True):
                if not request.future.done():  # its caller may have been cancelled
                    request.future.set_result(result)
        else:
            _fail(batch, error)
        if self._queue:
            self._schedule(loop)

    def _run(self, texts: list[str]) -> list[ThreatScore]:
        return score_texts(shared_model(), texts, self._neighbours)

    async def close(self) -> None:
        """Stop taking texts; queued ones fail with ``ScorerClosed``; batches already on the
        pool finish in the background (their callers still get their results)."""
        self._closed = True
        queued = list(self._queue)
        self._queue.clear()
        _fail(queued, ScorerClosed("the threat scorer was closed"))
        self._executor.shutdown(wait=False, cancel_futures=True)


def _fail(batch: Sequence[_Request], error: BaseException) -> None:
    """The same error for every caller of a batch still waiting (not cancelled)."""
    for request in batch:
        if not request.future.done():
            request.future.set_exception(error)
