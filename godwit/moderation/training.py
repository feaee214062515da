"""Train the threat head: embed the labelled texts, cross-validate, fix the preset thresholds
on the out-of-fold scores, fit on everything, write the head and its manifest.

Run it through ``scripts/train-threat-head`` (or ``godwit moderation train``), which pins
BLAS to one thread: with the same inputs, numpy and CPU the output is the same bytes.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from godwit.domain.threats import ThreatPreset
from godwit.moderation import metrics
from godwit.moderation.datasets import (
    DATA,
    REVIEW_FILE,
    SEED_FILE,
    GabSelection,
    LabelledText,
    read_gab,
    read_review,
    read_seed,
)
from godwit.moderation.embedding_cache import EmbeddingCache, text_sha256
from godwit.moderation.encoder import Encoder
from godwit.moderation.features import NEIGHBOURS, SCALE, design
from godwit.moderation.head import (
    FORMAT,
    HEAD_FILE,
    MANIFEST_FILE,
    head_bytes,
    manifest_bytes,
    sha256_hex,
)
from godwit.moderation.logistic import fit_logistic
from godwit.moderation.model_files import file_sha256

Floats = npt.NDArray[np.float64]

# Presets, as false-positive rates among ordinary posts (the Gab posts we label 0): the
# share of everyday posts each preset would hold for a moderator. See docs/moderation.md.
PRESET_FPR = {
    ThreatPreset.STRICT: 0.02,
    ThreatPreset.STANDARD: 0.005,
    ThreatPreset.LENIENT: 0.001,
}


@dataclass(frozen=True)
class TrainingConfig:
    gab_path: Path | None  # None: the seed set alone (tests, or a fresh clone without shared/)
    output_dir: Path
    cache_dir: Path
    seed_path: Path | None = None  # None: the project's seed set
    gab_negatives: int | None = None  # None: every cv=0 post
    l2: float = 1.0
    seed_weight: float = 1.0  # a seed row counts as this many Gab rows
    folds: int = 5


@dataclass
class TrainingResult:
    manifest: dict[str, Any]
    head: bytes
    manifest_file: bytes
    messages: list[str] = field(default_factory=list)


def fold_ids(items: Sequence[LabelledText], folds: int) -> npt.NDArray[np.int64]:
    """Stratified folds: within each (source, label) group, rows sorted by text hash are
    dealt round-robin, so folds never depend on file order or randomness."""
    ids = np.zeros(len(items), dtype=np.int64)
    groups: dict[tuple[str, int], list[int]] = {}
    for i, item in enumerate(items):
        groups.setdefault((item.source, item.label), []).append(i)
    for members in groups.values():
        for rank, i in enumerate(sorted(members, key=lambda i: text_sha256(items[i].text))):
            ids[i] = rank % folds
    return ids


def sample_weights(items: Sequence[LabelledText], seed_weight: float) -> Floats:
    """Seed rows weigh ``seed_weight``; then positives are scaled so both classes weigh the
    same in total (threats are rare, and ranking them is what counts)."""
    w = np.array([seed_weight if item.source == "seed" else 1.0 for item in items])
    y = np.array([item.label for item in items])
    w[y == 1] *= w[y == 0].sum() / w[y == 1].sum()
    normalised: Floats = w / w.mean()
    return normalised


def training_design(x: Floats, y: Floats, is_seed: npt.NDArray[np.bool_]) -> Floats:
    """Head inputs for training rows: the seed rows among them are the neighbours, and a
    seed row never counts itself as its own neighbour."""
    seed_rows = np.flatnonzero(is_seed)
    self_index = np.full(len(x), -1, dtype=np.int64)
    self_index[seed_rows] = np.arange(len(seed_rows))
    return design(x, x[seed_rows], y[seed_rows] == 1, self_index)


def out_of_fold_scores(
    x: Floats,
    y: Floats,
    w: Floats,
    is_seed: npt.NDArray[np.bool_],
    folds: npt.NDArray[np.int64],
    l2: float,
) -> Floats:
    """Each fold scored by a head that saw neither its rows nor its seeds."""
    scores = np.zeros(len(y))
    for fold in range(int(folds.max()) + 1):
        test = folds == fold
        train_x, train_y, train_seed = x[~test], y[~test], is_seed[~test]
        model = fit_logistic(training_design(train_x, train_y, train_seed), train_y, w[~test], l2)
        neighbours = train_x[train_seed]
        test_x = design(x[test], neighbours, train_y[train_seed] == 1)
        scores[test] = model.predict(test_x)
    return scores


def _figures(y: Floats, s: Floats, thresholds: dict[ThreatPreset, float]) -> dict[str, Any]:
    def r(value: float) -> float:
        return round(float(value), 4)

    out: dict[str, Any] = {
        "positives": int(y.sum()),
        "negatives": int(len(y) - y.sum()),
        "average_precision": r(metrics.average_precision(y, s)),
        "roc_auc": r(metrics.roc_auc(y, s)),
        "recall_at_5pct_fpr": r(metrics.recall_at_fpr(y, s, 0.05)),
    }
    for preset, threshold in thresholds.items():
        at = metrics.at_threshold(y, s, threshold)
        out[preset.value] = {
            "precision": None if np.isnan(at.precision) else r(at.precision),
            "recall": r(at.recall),
            "false_positive_rate": r(at.false_positive_rate),
            "flagged": at.flagged,
        }
    return out


def _selection(config: TrainingConfig) -> tuple[list[LabelledText], GabSelection | None]:
    seed_text = config.seed_path.read_text("utf-8") if config.seed_path else None
    seeds = read_seed(seed_text)
    if config.gab_path is None:
        return seeds, None
    gab = read_gab(config.gab_path, read_review(), config.gab_negatives)
    if gab.unreviewed_positives:
        raise ValueError(
            f"{gab.unreviewed_positives} cv=1 posts are missing from {REVIEW_FILE}: review them"
        )
    return seeds, gab


def train(
    config: TrainingConfig, encoder: Encoder, say: Callable[[str], None] = print
) -> TrainingResult:
    seeds, gab = _selection(config)
    gab_items = [] if gab is None else gab.positives + gab.relabelled + gab.negatives
    items = seeds + gab_items
    model_hash = file_sha256(encoder.config.directory / "model.safetensors")
    cache = EmbeddingCache(config.cache_dir / model_hash[:16], encoder.dimension)
    say(f"embedding {len(items)} texts ({len(cache)} cached in {cache.directory})")
    x32 = cache.embed(
        [item.text for item in items],
        lambda text: encoder.encode([text])[0],
        lambda done, total: say(f"  embedded {done}/{total}"),
    )
    x = x32.astype(np.float64)
    y = np.array([item.label for item in items], dtype=np.float64)
    w = sample_weights(items, config.seed_weight)
    folds = fold_ids(items, config.folds)
    say(f"cross-validating ({config.folds} folds, l2={config.l2})")
    is_seed = np.arange(len(items)) < len(seeds)
    oof = out_of_fold_scores(x, y, w, is_seed, folds, config.l2)

    natural = np.array([item.source == "gab" for item in items])
    basis = natural if natural.any() else np.ones(len(items), dtype=bool)
    thresholds = {
        preset: metrics.threshold_at_fpr(y[basis], oof[basis], fpr)
        for preset, fpr in PRESET_FPR.items()
    }
    seed_rows = ~natural
    cross_validated = {"all": _figures(y, oof, thresholds)}
    if natural.any():
        cross_validated["gab"] = _figures(y[natural], oof[natural], thresholds)
        # The same scores against the corpus's own cv labels, before our review.
        corpus = np.array([item.corpus_label or 0 for item in items], dtype=np.float64)
        cross_validated["gab_corpus_labels"] = _figures(corpus[natural], oof[natural], thresholds)
    cross_validated["seed"] = _figures(y[seed_rows], oof[seed_rows], thresholds)

    say("fitting on all the training data")
    final = fit_logistic(training_design(x, y, is_seed), y, w, config.l2)
    seed_embeddings = x32[: len(seeds)]
    head = head_bytes(final.weights, final.bias, seed_embeddings)
    seed_raw = (
        config.seed_path.read_bytes() if config.seed_path else (DATA / SEED_FILE).read_bytes()
    )
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "head_sha256": sha256_hex(head),
        "inputs": {
            "seed_sha256": sha256_hex(seed_raw),
            "seed_rows": {"threat": int(sum(s.label for s in seeds)), "total": len(seeds)},
            "gab_review_sha256": sha256_hex((DATA / REVIEW_FILE).read_bytes()) if gab else None,
            "gab_corpus_sha256": file_sha256(config.gab_path) if config.gab_path else None,
            "gab_rows": None
            if gab is None
            else {
                "corpus_positives_kept": len(gab.positives) - gab.promoted,
                "corpus_positives_relabelled_0": len(gab.relabelled),
                "corpus_negatives_relabelled_1": gab.promoted,
                "negatives": len(gab.negatives),
                "duplicates_dropped": gab.duplicates,
            },
            "model_sha256": model_hash,
            "tokenizer_sha256": file_sha256(encoder.config.directory / "tokenizer.json"),
            "embeddings_sha256": sha256_hex(np.ascontiguousarray(x32).tobytes()),
        },
        "training": {
            "head": "logistic regression (Newton, float64), L2 on weights only",
            "features": "embedding (384) + mean similarity to the nearest seed threats and "
            "non-threats",
            "neighbours": NEIGHBOURS,
            "neighbour_scale": SCALE,
            "l2": config.l2,
            "seed_weight": config.seed_weight,
            "class_balance": "positives scaled to the negatives' total weight",
            "folds": config.folds,
            "numpy": np.__version__,
            "machine": platform.machine(),
        },
        "preset_fpr_on_ordinary_posts": {p.value: fpr for p, fpr in PRESET_FPR.items()},
        "thresholds": {p.value: t for p, t in thresholds.items()},
        "cross_validated": cross_validated,
    }
    return TrainingResult(manifest, head, manifest_bytes(manifest))


def write(result: TrainingResult, output_dir: Path) -> None:
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / HEAD_FILE).write_bytes(result.head)
    (output_dir / MANIFEST_FILE).write_bytes(result.manifest_file)
