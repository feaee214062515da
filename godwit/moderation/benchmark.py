"""``godwit moderation bench``: what scoring costs on this machine.

Measures, in this process: the model load (encoder + head), the resident memory it added,
the latency of one post at a time on one thread, and the throughput of batches of 64 on one
and on two worker threads (BLAS pinned to one thread each, as the scorer runs). Never run
inside the test suite: timings on a shared CI machine mean nothing.
"""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from godwit.moderation.datasets import read_seed


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def benchmark_texts(path: Path | None, count: int) -> list[str]:
    """Posts to score: a TSV's ``text`` column, or the seed set's texts joined in pairs
    (about 30 word pieces, the length of a typical microblog post)."""
    if path is not None:
        import csv

        csv.field_size_limit(1 << 24)
        with path.open(encoding="utf-8", newline="") as handle:
            texts = [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    else:
        seeds = [item.text for item in read_seed()]
        texts = [f"{a} {b}" for a, b in zip(seeds, seeds[1:] + seeds[:1], strict=True)]
    if not texts:
        raise ValueError("no texts to score")
    return [texts[i % len(texts)] for i in range(count)]


def run_benchmark(path: Path | None, count: int) -> str:
    rss_before = _rss_mb()
    started = time.perf_counter()
    from godwit.moderation.scorer import score_texts, shared_model

    model = shared_model()
    load_seconds = time.perf_counter() - started
    rss_after = _rss_mb()
    texts = benchmark_texts(path, count)
    tokens = statistics.mean(len(ids) for ids in model.encoder.token_ids(texts))
    score_texts(model, texts[:8], 3)  # warm-up

    latencies = []
    for text in texts[: min(200, count)]:
        t = time.perf_counter()
        score_texts(model, [text], 3)
        latencies.append((time.perf_counter() - t) * 1000)
    latencies.sort()

    def throughput(workers: int) -> float:
        batches = [texts[i : i + 64] for i in range(0, len(texts), 64)]
        t = time.perf_counter()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(lambda batch: score_texts(model, batch, 3), batches))
        return len(texts) / (time.perf_counter() - t)

    one, two = throughput(1), throughput(2)
    return (
        f"posts: {len(texts)}, mean length {tokens:.1f} word pieces\n"
        f"model load (encoder + head): {load_seconds:.2f} s, "
        f"resident memory +{rss_after - rss_before:.0f} MB\n"
        f"one post at a time, one thread: median {statistics.median(latencies):.1f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.1f} ms\n"
        f"batches of 64: {one:.0f} posts/s on one thread, {two:.0f} posts/s on two\n"
    )
