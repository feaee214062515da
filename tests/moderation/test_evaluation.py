"""The eval report: figures from known scores, and how they are printed."""

from __future__ import annotations

import math

import pytest

from godwit.domain.threats import ThreatPreset
from godwit.moderation.evaluation import evaluate_scores, format_report
from godwit.moderation.head import ThreatHead


def test_report_figures_and_layout(head: ThreatHead) -> None:
    lenient = head.thresholds[ThreatPreset.LENIENT]
    labels = [1, 1, 0, 0]
    scores = [1.0, 0.0, min(1.0, lenient + 1e-6), 0.0]  # one hit, one miss, one false alarm
    report = evaluate_scores(labels, scores, head)
    assert (report.positives, report.negatives) == (2, 2)
    # Pairs (threat, other): 1.0 beats both; 0.0 loses to the false alarm, ties the 0.0.
    assert report.roc_auc == pytest.approx((1 + 1 + 0 + 0.5) / 4)
    at = dict(report.presets)[ThreatPreset.LENIENT]
    assert (at.precision, at.recall, at.flagged) == (0.5, 0.5, 2)
    text = format_report(report, "probe.tsv")
    assert text.splitlines()[0] == "probe.tsv: 2 threats, 2 other posts"
    assert "lenient" in text
    assert "ROC AUC                0.625" in text


def test_a_preset_that_flags_nothing_prints_na(head: ThreatHead) -> None:
    report = evaluate_scores([1, 0], [0.0, 0.0], head)
    assert all(math.isnan(at.precision) for _, at in report.presets)
    assert "n/a" in format_report(report, "none")
