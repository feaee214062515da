"""``godwit moderation eval``: score a labelled TSV and report how the detector does on it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from godwit.domain.threats import ThreatPreset
from godwit.moderation import metrics
from godwit.moderation.datasets import LabelledText
from godwit.moderation.encoder import Encoder
from godwit.moderation.head import ThreatHead


@dataclass(frozen=True)
class EvaluationReport:
    positives: int
    negatives: int
    average_precision: float
    roc_auc: float
    recall_at_5pct_fpr: float
    presets: tuple[tuple[ThreatPreset, metrics.AtThreshold], ...]


def evaluate_scores(
    labels: Sequence[int], scores: Sequence[float], head: ThreatHead
) -> EvaluationReport:
    y = np.asarray(labels, dtype=np.float64)
    s = np.asarray(scores, dtype=np.float64)
    return EvaluationReport(
        positives=int(y.sum()),
        negatives=int(len(y) - y.sum()),
        average_precision=metrics.average_precision(y, s),
        roc_auc=metrics.roc_auc(y, s),
        recall_at_5pct_fpr=metrics.recall_at_fpr(y, s, 0.05),
        presets=tuple(
            (preset, metrics.at_threshold(y, s, head.thresholds[preset])) for preset in ThreatPreset
        ),
    )


def evaluate(items: Sequence[LabelledText], encoder: Encoder, head: ThreatHead) -> EvaluationReport:
    scores = head.scores(encoder.encode([item.text for item in items]))
    return evaluate_scores([item.label for item in items], scores.tolist(), head)


def _number(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3f}"


def format_report(report: EvaluationReport, name: str) -> str:
    lines = [
        f"{name}: {report.positives} threats, {report.negatives} other posts",
        f"average precision      {_number(report.average_precision)}",
        f"ROC AUC                {_number(report.roc_auc)}",
        f"recall at 5% FPR       {_number(report.recall_at_5pct_fpr)}",
        "preset     threshold  precision  recall  FPR     flagged",
    ]
    for preset, at in report.presets:
        lines.append(
            f"{preset.value:<10} {at.threshold:<10.4f} {_number(at.precision):<10} "
            f"{_number(at.recall):<7} {at.false_positive_rate:<7.4f} {at.flagged}"
        )
    return "\n".join(lines) + "\n"
