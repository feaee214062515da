"""Latency percentiles and per-endpoint summaries.

Percentiles use the nearest-rank definition (the smallest sample with at least q of the
samples at or below it), as HdrHistogram and wrk2 report them: a reported p99 is always a
latency some request actually had, never an interpolation between two.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

QUANTILES = {"p50": 0.50, "p99": 0.99, "p999": 0.999}


def percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values; q in [0, 1]."""
    if not ordered:
        raise ValueError("no samples")
    if not 0.0 <= q <= 1.0:
        raise ValueError("q must be between 0 and 1")
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True, slots=True)
class Summary:
    count: int
    errors: int
    p50: float | None  # seconds, over successful requests
    p99: float | None
    p999: float | None
    max: float | None
    mean: float | None

    @property
    def error_ratio(self) -> float:
        return self.errors / self.count if self.count else 0.0

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "count": self.count,
            "errors": self.errors,
            "error_ratio": round(self.error_ratio, 6),
            **{
                name: None if value is None else round(value * 1000, 3)
                for name, value in (
                    ("p50_ms", self.p50),
                    ("p99_ms", self.p99),
                    ("p999_ms", self.p999),
                    ("max_ms", self.max),
                    ("mean_ms", self.mean),
                )
            },
        }


def summarise(latencies: Iterable[float], errors: int = 0) -> Summary:
    """Summary of successful latencies (seconds) plus a count of failed requests."""
    ordered = sorted(latencies)
    count = len(ordered) + errors
    if not ordered:
        return Summary(count, errors, None, None, None, None, None)
    return Summary(
        count=count,
        errors=errors,
        p50=percentile(ordered, QUANTILES["p50"]),
        p99=percentile(ordered, QUANTILES["p99"]),
        p999=percentile(ordered, QUANTILES["p999"]),
        max=ordered[-1],
        mean=sum(ordered) / len(ordered),
    )
