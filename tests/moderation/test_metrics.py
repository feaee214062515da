"""The metric functions against small cases computed by hand."""

from __future__ import annotations

import math

import pytest

from godwit.moderation import metrics

# Scores, highest first: 0.9 (+), 0.8 (-), 0.7 (+), 0.6 (-), 0.5 (-), 0.4 (+)
LABELS = [1, 0, 1, 0, 0, 1]
SCORES = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]


def test_average_precision_by_hand() -> None:
    # Positives are found at ranks 1, 3 and 6: precision 1/1, 2/3, 3/6; each adds recall 1/3.
    expected = (1.0 + 2 / 3 + 0.5) / 3
    assert metrics.average_precision(LABELS, SCORES) == pytest.approx(expected)


def test_average_precision_groups_ties() -> None:
    # One threshold covers both tied posts: precision 1/2 at recall 1.
    assert metrics.average_precision([1, 0], [0.5, 0.5]) == pytest.approx(0.5)
    assert metrics.average_precision([1, 0, 0], [0.9, 0.1, 0.1]) == pytest.approx(1.0)


def test_roc_auc_by_hand() -> None:
    # Pairs (positive, negative) where the positive scores higher: 0.9 beats all 3, 0.7 beats
    # 0.6 and 0.5, 0.4 beats none: 5 of 9.
    assert metrics.roc_auc(LABELS, SCORES) == pytest.approx(5 / 9)


def test_roc_auc_counts_ties_as_half() -> None:
    assert metrics.roc_auc([1, 0], [0.3, 0.3]) == pytest.approx(0.5)
    assert metrics.roc_auc([1, 1, 0, 0], [0.8, 0.4, 0.4, 0.1]) == pytest.approx((2 + 1.5) / 4)
    assert metrics.roc_auc([0, 1], [0.1, 0.9]) == 1.0


def test_recall_at_fpr_by_hand() -> None:
    # 3 negatives: FPR steps of 1/3. At FPR 0 only the 0.9 positive is found.
    assert metrics.recall_at_fpr(LABELS, SCORES, 0.0) == pytest.approx(1 / 3)
    assert metrics.recall_at_fpr(LABELS, SCORES, 0.05) == pytest.approx(1 / 3)
    assert metrics.recall_at_fpr(LABELS, SCORES, 1 / 3) == pytest.approx(2 / 3)
    assert metrics.recall_at_fpr(LABELS, SCORES, 1.0) == pytest.approx(1.0)


def test_thresholds_by_hand() -> None:
    assert metrics.threshold_at_fpr(LABELS, SCORES, 0.0) == 0.9
    assert metrics.threshold_at_fpr(LABELS, SCORES, 0.4) == 0.7
    assert metrics.threshold_at_recall(LABELS, SCORES, 0.5) == 0.7
    assert metrics.threshold_at_recall(LABELS, SCORES, 1.0) == 0.4


def test_threshold_at_fpr_above_every_score_when_even_the_top_is_negative() -> None:
    threshold = metrics.threshold_at_fpr([0, 1], [0.9, 0.1], 0.0)
    assert threshold > 0.9
    assert metrics.at_threshold([0, 1], [0.9, 0.1], threshold).flagged == 0


def test_precision_and_recall_at_a_threshold() -> None:
    at = metrics.at_threshold(LABELS, SCORES, 0.7)  # flags 0.9 (+), 0.8 (-), 0.7 (+)
    assert (at.precision, at.recall, at.false_positive_rate, at.flagged) == pytest.approx(
        (2 / 3, 2 / 3, 1 / 3, 3)
    )
    nothing = metrics.at_threshold(LABELS, SCORES, 0.95)
    assert math.isnan(nothing.precision)
    assert nothing.recall == 0.0
    assert nothing.flagged == 0


@pytest.mark.parametrize(
    ("labels", "scores"),
    [([1, 1], [0.1, 0.2]), ([0, 0], [0.1, 0.2]), ([1, 2], [0.1, 0.2]), ([1, 0], [0.1]),
     ([1, 0], [0.1, float("nan")])],
)  # fmt: skip
def test_unusable_inputs_are_refused(labels: list[int], scores: list[float]) -> None:
    with pytest.raises(ValueError, match=r"labels|scores|positive"):
        metrics.average_precision(labels, scores)
