"""The committed head: small, numbers only, consistent with its manifest and the seed set."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from godwit.domain.threats import ThreatPreset
from godwit.moderation.datasets import DATA, read_seed
from godwit.moderation.head import HEAD_FILE, MANIFEST_FILE, StaleHead, ThreatHead, load_head


def test_the_committed_head_matches_its_manifest_and_the_seed_set(head: ThreatHead) -> None:
    assert head.weights.shape == (384 + 2,)  # the embedding, then the neighbour features
    assert head.weights.dtype == np.float32
    assert np.isfinite(head.weights).all()
    assert np.isfinite(head.bias)
    assert [s.text for s in head.seeds] == [s.text for s in read_seed()]
    assert np.allclose(np.linalg.norm(head.seed_embeddings, axis=1), 1.0, atol=2e-3)
    assert (DATA / HEAD_FILE).read_bytes().__len__() < 1_000_000


def test_presets_go_from_strict_to_lenient(head: ThreatHead) -> None:
    strict, standard, lenient = (head.thresholds[p] for p in ThreatPreset)
    assert 0.0 < strict < standard < lenient < 1.0


def test_the_manifest_records_inputs_and_cross_validated_figures(head: ThreatHead) -> None:
    manifest = head.manifest
    inputs = manifest["inputs"]
    for key in ("seed_sha256", "gab_review_sha256", "gab_corpus_sha256", "model_sha256"):
        assert len(inputs[key]) == 64, key
    assert inputs["gab_rows"]["corpus_positives_kept"] == 80
    assert inputs["gab_rows"]["corpus_negatives_relabelled_1"] == 15
    for part in ("all", "gab", "gab_corpus_labels", "seed"):
        figures = manifest["cross_validated"][part]
        assert 0.5 < figures["roc_auc"] <= 1.0
        assert set(figures) >= {"average_precision", "recall_at_5pct_fpr", "standard"}


def _copy(tmp_path: Path) -> Path:
    for name in (HEAD_FILE, MANIFEST_FILE):
        shutil.copyfile(str(DATA / name), tmp_path / name)
    return tmp_path


def test_a_head_whose_weights_changed_is_refused(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    raw = bytearray((directory / HEAD_FILE).read_bytes())
    raw[-1] ^= 1
    (directory / HEAD_FILE).write_bytes(bytes(raw))
    with pytest.raises(StaleHead, match="does not match"):
        load_head(directory)


def test_a_head_trained_on_another_seed_set_is_refused(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    seed = tmp_path / "seed.tsv"
    seed.write_text((DATA / "seed.tsv").read_text("utf-8") + "0\tidiom\tkill the lights\n")
    with pytest.raises(StaleHead, match="seed"):
        load_head(directory, seed_path=seed)
    manifest = json.loads((directory / MANIFEST_FILE).read_text("utf-8"))
    manifest["format"] = "something-else"
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(StaleHead, match="format"):
        load_head(directory)
