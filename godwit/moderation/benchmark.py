"""``godwit moderation bench``: what scoring costs on this machine.

Measures, in this process: the model load (encoder + head), the resident memory it added,
the latency of one post at a time on one thread, the throughput of batches of 64 on one and
on two worker threads (BLAS pinned to one thread each, as the scorer runs), and the
throughput of concurrent single ``score()`` calls through ``LocalThreatScorer``, as the job
runner makes them (``concurrency`` callers, each awaiting one post at a time; the scorer
gathers them into micro-batches). The machine may be shared: every throughput is measured
``runs`` times and the best run is reported with the median, next to the load average.
Never run inside the test suite: timings on a shared CI machine mean nothing.

``scripts/bench-threat-scorer`` runs ``python -m godwit.moderation.benchmark``, which takes
more options than ``godwit moderation bench`` (``--concurrency``, ``--workers``, ``--runs``,
``--concurrent-only``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
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


def _load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def _best_of(runs: int, measure: Callable[[], float]) -> tuple[float, float]:
    """The best and the median of ``runs`` measurements (posts/s: higher is better)."""
    values = [measure() for _ in range(max(1, runs))]
    return max(values), statistics.median(values)


async def _concurrent_calls(
    texts: Sequence[str], concurrency: int, workers: int
) -> tuple[float, float, Counter[int]]:
    """Posts/s of ``concurrency`` callers each awaiting ``score(text)`` one post at a time,
    like the job runner's slots, the CPU time per post (all threads of this process: less
    sensitive than wall time to other work on a shared machine), and the sizes of the
    micro-batches the scorer formed."""
    from godwit.moderation.scorer import LocalThreatScorer

    scorer = LocalThreatScorer(workers=workers)
    pending = iter(texts)

    async def caller() -> None:
        for text in pending:  # shared: each caller takes the next post when it is free
            await scorer.score(text)

    try:
        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(caller() for _ in range(concurrency)))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        await scorer.close()
    return len(texts) / elapsed, cpu * 1000 / len(texts), scorer.batch_sizes


def concurrent_report(
    texts: Sequence[str], concurrency: Sequence[int], workers: Sequence[int], runs: int
) -> str:
    lines = [f"concurrent single score() calls, best of {runs} runs (median):"]
    for callers in concurrency:
        for count in workers:
            rates: list[float] = []
            cpu: list[float] = []
            sizes: Counter[int] = Counter()
            for _ in range(max(1, runs)):
                rate, cpu_ms, batch_sizes = asyncio.run(_concurrent_calls(texts, callers, count))
                rates.append(rate)
                cpu.append(cpu_ms)
                sizes.update(batch_sizes)
            batches = sum(sizes.values())
            mean_batch = sum(size * n for size, n in sizes.items()) / max(1, batches)
            lines.append(
                f"  {callers} callers, {count} worker{'s' if count > 1 else ''}: "
                f"{max(rates):.0f} posts/s ({statistics.median(rates):.0f}), "
                f"CPU {min(cpu):.1f} ms/post ({statistics.median(cpu):.1f}), "
                f"mean micro-batch {mean_batch:.1f} posts"
            )
    return "\n".join(lines) + "\n"


def run_benchmark(
    path: Path | None,
    count: int,
    *,
    concurrency: Sequence[int] = (1, 4, 16),
    workers: Sequence[int] = (1, 2),
    runs: int = 3,
    concurrent_only: bool = False,
) -> str:
    load_before = _load_average()
    rss_before = _rss_mb()
    started = time.perf_counter()
    from godwit.moderation.scorer import score_texts, shared_model

    model = shared_model()
    load_seconds = time.perf_counter() - started
    rss_after = _rss_mb()
    texts = benchmark_texts(path, count)
    tokens = statistics.mean(len(ids) for ids in model.encoder.token_ids(texts))
    score_texts(model, texts[:8], 3)  # warm-up
    report = [
        f"load average before: {load_before} (1, 5, 15 min), {os.cpu_count()} CPUs\n",
        f"posts: {len(texts)}, mean length {tokens:.1f} word pieces\n",
        f"model load (encoder + head): {load_seconds:.2f} s, "
        f"resident memory +{rss_after - rss_before:.0f} MB\n",
    ]

    if not concurrent_only:
        latencies = []
        for text in texts[: min(200, count)]:
            t = time.perf_counter()
            score_texts(model, [text], 3)
            latencies.append((time.perf_counter() - t) * 1000)
        latencies.sort()

        def throughput(count: int) -> float:
            batches = [texts[i : i + 64] for i in range(0, len(texts), 64)]
            t = time.perf_counter()
            with ThreadPoolExecutor(max_workers=count) as pool:
                list(pool.map(lambda batch: score_texts(model, batch, 3), batches))
            return len(texts) / (time.perf_counter() - t)

        (one, one_median), (two, two_median) = (
            _best_of(runs, lambda: throughput(1)),
            _best_of(runs, lambda: throughput(2)),
        )
        report += [
            f"one post at a time, one thread: median {statistics.median(latencies):.1f} ms, "
            f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.1f} ms\n",
            f"batches of 64, best of {runs} runs (median): {one:.0f} ({one_median:.0f}) "
            f"posts/s on one thread, {two:.0f} ({two_median:.0f}) posts/s on two\n",
        ]
    report.append(concurrent_report(texts, concurrency, workers, runs))
    report.append(f"load average after: {_load_average()}\n")
    return "".join(report)


def _counts(value: str) -> list[int]:
    counts = [int(part) for part in value.split(",") if part]
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("a comma-separated list of numbers ≥ 1")
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/bench-threat-scorer", description="What threat scoring costs here."
    )
    parser.add_argument("--texts", help="a TSV with a text column (default: the seed set, paired)")
    parser.add_argument("--posts", type=int, default=400)
    parser.add_argument(
        "--concurrency", type=_counts, default=[1, 4, 16], help="concurrent callers, e.g. 1,4,16"
    )
    parser.add_argument("--workers", type=_counts, default=[1, 2], help="scorer threads, e.g. 1,2")
    parser.add_argument("--runs", type=int, default=3, help="repeat each throughput, keep the best")
    parser.add_argument(
        "--concurrent-only", action="store_true", help="only the concurrent score() calls"
    )
    args = parser.parse_args(argv)
    try:
        report = run_benchmark(
            Path(args.texts) if args.texts else None,
            args.posts,
            concurrency=args.concurrency,
            workers=args.workers,
            runs=args.runs,
            concurrent_only=args.concurrent_only,
        )
    except (OSError, ValueError) as error:
        print(f"bench-threat-scorer: {error}", file=sys.stderr)
        return 2
    print(report, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
