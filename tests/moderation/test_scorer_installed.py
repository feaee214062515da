"""A missing ``moderation`` extra leaves posts to the community's rules (that building the
scorer imports none of it is in tests/test_startup_imports.py)."""

from __future__ import annotations

import pytest

from godwit.app import build_threat_scorer
from godwit.config import Settings
from godwit.moderation import scorer


def test_a_missing_library_means_no_scorer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert scorer.installed()
    monkeypatch.setattr(scorer, "REQUIRED_MODULES", (*scorer.REQUIRED_MODULES, "godwit_absent"))
    assert not scorer.installed()
    assert build_threat_scorer(Settings()) is None
