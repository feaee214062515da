"""Building the threat scorer: nothing heavy is imported until the model loads, and a
missing ``moderation`` extra leaves posts to the community's rules."""

from __future__ import annotations

import subprocess
import sys

import pytest

from godwit.app import build_threat_scorer
from godwit.config import Settings
from godwit.moderation import scorer


def test_building_the_scorer_imports_no_model_library() -> None:
    # A fresh interpreter: this one has numpy loaded by other tests.
    probe = (
        "import sys\n"
        "from godwit.app import build_threat_scorer\n"
        "from godwit.config import Settings\n"
        "assert build_threat_scorer(Settings()) is not None\n"
        "print(sorted(m for m in ('numpy', 'tokenizers', 'safetensors') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_missing_library_means_no_scorer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert scorer.installed()
    monkeypatch.setattr(scorer, "REQUIRED_MODULES", (*scorer.REQUIRED_MODULES, "godwit_absent"))
    assert not scorer.installed()
    assert build_threat_scorer(Settings()) is None
