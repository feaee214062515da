"""Ranking and threshold metrics for a binary detector, in numpy (no scikit-learn).

Conventions follow scikit-learn's, so the figures compare with published ones: average
precision is the step-wise sum Σ (R_n - R_{n-1}) · P_n over distinct thresholds; ROC AUC
counts ties as half; a post is flagged when its score is ≥ the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]


def _check(labels: npt.ArrayLike, scores: npt.ArrayLike) -> tuple[Floats, Floats]:
    y = np.asarray(labels, dtype=np.float64).reshape(-1)
    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    if y.shape != s.shape:
        raise ValueError("labels and scores differ in length")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("labels must be 0 or 1")
    if not 0 < y.sum() < len(y):
        raise ValueError("need at least one positive and one negative label")
    if not np.isfinite(s).all():
        raise ValueError("scores must be finite")
    return y, s


def _curve(y: Floats, s: Floats) -> tuple[Floats, Floats, Floats]:
    """Cumulative true and false positives at each distinct threshold, highest first."""
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(s_sorted)), len(s_sorted) - 1]
    tps = np.cumsum(y_sorted)[last_of_tie]
    fps = (last_of_tie + 1) - tps
    return tps, fps, s_sorted[last_of_tie]


def average_precision(labels: npt.ArrayLike, scores: npt.ArrayLike) -> float:
    y, s = _check(labels, scores)
    tps, fps, _ = _curve(y, s)
    precision = tps / (tps + fps)
    recall = tps / y.sum()
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def roc_auc(labels: npt.ArrayLike, scores: npt.ArrayLike) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    y, s = _check(labels, scores)
    order = np.argsort(s, kind="stable")
    ranks = np.empty(len(s), dtype=np.float64)
    sorted_scores = s[order]
    # Average ranks over ties (1-based).
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_scores)) + 1]
    ends = np.r_[starts[1:], len(s)]
    for start, end in zip(starts, ends, strict=True):
        ranks[order[start:end]] = (start + end + 1) / 2.0
    positives = y.sum()
    negatives = len(y) - positives
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def recall_at_fpr(labels: npt.ArrayLike, scores: npt.ArrayLike, max_fpr: float) -> float:
    """The best recall of any threshold whose false-positive rate is ≤ ``max_fpr``."""
    y, s = _check(labels, scores)
    tps, fps, _ = _curve(y, s)
    allowed = fps / (len(y) - y.sum()) <= max_fpr + 1e-12
    return float(tps[allowed].max() / y.sum()) if allowed.any() else 0.0


def threshold_at_fpr(labels: npt.ArrayLike, scores: npt.ArrayLike, max_fpr: float) -> float:
    """The lowest threshold whose false-positive rate is ≤ ``max_fpr``."""
    y, s = _check(labels, scores)
    _, fps, thresholds = _curve(y, s)
    allowed = np.flatnonzero(fps / (len(y) - y.sum()) <= max_fpr + 1e-12)
    return float(thresholds[allowed[-1]]) if len(allowed) else float(np.nextafter(s.max(), np.inf))


def threshold_at_recall(labels: npt.ArrayLike, scores: npt.ArrayLike, min_recall: float) -> float:
    """The highest threshold whose recall is ≥ ``min_recall``."""
    y, s = _check(labels, scores)
    tps, _, thresholds = _curve(y, s)
    reached = np.flatnonzero(tps / y.sum() >= min_recall - 1e-12)
    return float(thresholds[reached[0]])


@dataclass(frozen=True)
class AtThreshold:
    threshold: float
    precision: float  # nan when nothing is flagged
    recall: float
    false_positive_rate: float
    flagged: int


def at_threshold(labels: npt.ArrayLike, scores: npt.ArrayLike, threshold: float) -> AtThreshold:
    y, s = _check(labels, scores)
    flagged = s >= threshold
    tp = float((flagged & (y == 1)).sum())
    fp = float((flagged & (y == 0)).sum())
    return AtThreshold(
        threshold=threshold,
        precision=tp / (tp + fp) if tp + fp else float("nan"),
        recall=tp / y.sum(),
        false_positive_rate=fp / (len(y) - y.sum()),
        flagged=int(tp + fp),
    )
