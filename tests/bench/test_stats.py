"""Percentiles (nearest rank) and per-endpoint summaries."""

from __future__ import annotations

import pytest

from godwit.bench.stats import percentile, summarise


def test_nearest_rank_percentiles_of_one_to_a_hundred() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.50) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile(values, 0.999) == 100.0
    assert percentile(values, 1.0) == 100.0
    assert percentile(values, 0.0) == 1.0  # the smallest sample, never below it


def test_a_percentile_is_always_a_sample_never_an_interpolation() -> None:
    values = [1.0, 10.0]
    assert percentile(values, 0.5) == 1.0
    assert percentile(values, 0.51) == 10.0
    assert percentile([0.25], 0.99) == 0.25


def test_p99_of_a_thousand_sees_the_ten_slowest() -> None:
    values = sorted([0.001] * 990 + [1.0] * 10)
    assert percentile(values, 0.99) == 0.001  # rank 990
    assert percentile(values, 0.991) == 1.0  # rank 991
    assert percentile(values, 0.999) == 1.0


def test_percentile_refuses_no_samples_and_bad_quantiles() -> None:
    with pytest.raises(ValueError, match="no samples"):
        percentile([], 0.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        percentile([1.0], 1.5)


def test_summary_counts_errors_and_reports_milliseconds() -> None:
    summary = summarise([0.003, 0.001, 0.002], errors=1)
    assert (summary.count, summary.errors) == (4, 1)
    assert summary.error_ratio == 0.25
    assert (summary.p50, summary.max) == (0.002, 0.003)
    as_dict = summary.as_dict()
    assert as_dict["p50_ms"] == 2.0
    assert as_dict["p99_ms"] == 3.0
    assert as_dict["mean_ms"] == 2.0


def test_summary_of_only_failures_has_no_latencies() -> None:
    summary = summarise([], errors=3)
    assert summary.count == 3
    assert summary.p99 is None
    assert summary.as_dict()["error_ratio"] == 1.0
