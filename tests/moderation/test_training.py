"""Training: folds and weights, and a rebuild that gives the same bytes twice.

The full rebuild of the committed head (the Gab corpus, ~22,000 posts to embed) is too slow
for the suite; check it by hand with ``scripts/train-threat-head --check`` (docs/moderation.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from godwit.domain.threats import ThreatPreset
from godwit.moderation.datasets import LabelledText, data_text, read_seed
from godwit.moderation.head import HEAD_FILE, MANIFEST_FILE, load_head
from godwit.moderation.training import fold_ids, sample_weights
from tests.moderation.support import require_model
from tests.support.openapi import REPO_ROOT


def _items(labels: list[int], source: str = "seed") -> list[LabelledText]:
    return [LabelledText(f"{source} text {i}", label, source) for i, label in enumerate(labels)]


def test_folds_are_stratified_and_independent_of_order() -> None:
    items = _items([1] * 10 + [0] * 20) + _items([1] * 5 + [0] * 15, "gab")
    folds = fold_ids(items, 5)
    for fold in range(5):
        chosen = [item for item, f in zip(items, folds, strict=True) if f == fold]
        assert sum(1 for item in chosen if item.source == "seed" and item.label == 1) == 2
        assert sum(1 for item in chosen if item.source == "gab" and item.label == 0) == 3
    reordered = list(reversed(items))
    again = dict(zip((i.text for i in reordered), fold_ids(reordered, 5), strict=True))
    assert all(again[item.text] == f for item, f in zip(items, folds, strict=True))


def test_weights_balance_the_classes_and_favour_seed_rows() -> None:
    items = _items([1, 0, 0]) + _items([1, 0, 0, 0, 0, 0], "gab")
    w = sample_weights(items, seed_weight=3.0)
    y = np.array([item.label for item in items])
    assert np.isclose(w[y == 1].sum(), w[y == 0].sum())
    assert np.isclose(w[1] / w[3 + 1], 3.0)  # a seed negative vs a Gab negative
    assert np.isclose(w.mean(), 1.0)


def _tiny_seed(path: Path) -> Path:
    lines = data_text("seed.tsv").splitlines()
    header = [line for line in lines if line.startswith(("#", "label"))]
    threats = [line for line in lines if line.startswith("1\t")][::12]
    others = [line for line in lines if line.startswith("0\t")][::14]
    path.write_text("\n".join(header + threats + others) + "\n", encoding="utf-8")
    return path


def _train(seed: Path, output: Path, cache: Path) -> None:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "godwit", "moderation", "train", "--seed-only"]
    command += ["--seed", str(seed), "--output", str(output), "--cache", str(cache)]
    done = subprocess.run(
        command, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr


def test_training_twice_from_the_same_inputs_gives_the_same_bytes(tmp_path: Path) -> None:
    require_model()
    seed = _tiny_seed(tmp_path / "seed.tsv")
    # Separate embedding caches: the embeddings are recomputed, not just reread.
    _train(seed, tmp_path / "first", tmp_path / "cache-1")
    _train(seed, tmp_path / "second", tmp_path / "cache-2")
    for name in (HEAD_FILE, MANIFEST_FILE):
        first = (tmp_path / "first" / name).read_bytes()
        assert first == (tmp_path / "second" / name).read_bytes(), name
    head = load_head(tmp_path / "first", seed_path=seed)
    assert head.manifest["inputs"]["gab_corpus_sha256"] is None
    rows = len(read_seed(seed.read_text("utf-8")))
    assert rows > 20
    assert len(head.seeds) == len(head.seed_embeddings) == rows
    strict, standard, lenient = (head.thresholds[p] for p in ThreatPreset)
    assert strict <= standard <= lenient
