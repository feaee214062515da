"""The trained threat head: a logistic regression over MiniLM embeddings and the text's
similarity to the seed set (godwit/moderation/features.py), the preset thresholds, and the
seed set's embeddings, which feed those features and explain a score by its nearest examples.

Committed as two files in ``godwit/moderation/data``: ``threat-head.safetensors`` (numbers
only: weights, bias, float32 seed embeddings) and ``threat-head.json`` (the manifest: input
hashes, hyper-parameters, thresholds, cross-validated figures, and the hash of the weights
file). Both are written with fixed byte layouts so a retrain from the same inputs gives the
same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load, save

from godwit.domain.threats import ThreatPreset
from godwit.moderation.datasets import DATA, SEED_FILE, LabelledText, read_seed
from godwit.moderation.features import design

HEAD_FILE = "threat-head.safetensors"
MANIFEST_FILE = "threat-head.json"
FORMAT = "godwit-threat-head/2"


class StaleHead(RuntimeError):
    """The committed head does not match the files it was trained from."""


@dataclass(frozen=True)
class ThreatHead:
    weights: npt.NDArray[np.float32]  # (384 + 2,): embedding, then the neighbour features
    bias: float
    seed_embeddings: npt.NDArray[np.float32]  # (len(seeds), 384), unit rows
    seeds: tuple[LabelledText, ...]
    thresholds: Mapping[ThreatPreset, float]
    manifest: Mapping[str, Any]

    @property
    def seed_is_threat(self) -> npt.NDArray[np.bool_]:
        return np.array([seed.label == 1 for seed in self.seeds], dtype=bool)

    def scores(self, embeddings: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        x = design(embeddings, self.seed_embeddings, self.seed_is_threat)
        z = x @ self.weights.astype(np.float64) + self.bias
        return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)), dtype=np.float64)  # stable sigmoid

    def nearest(
        self, embeddings: npt.NDArray[np.float32], k: int
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]:
        """Indices into ``seeds`` of the k most similar seed examples per row, and their
        cosine similarities, most similar first."""
        similarity = embeddings @ self.seed_embeddings.T
        k = min(k, similarity.shape[1])
        top = np.argsort(-similarity, axis=1, kind="stable")[:, :k]
        return top, np.take_along_axis(similarity, top, axis=1)


def head_bytes(
    weights: npt.NDArray[np.float64], bias: float, seed_embeddings: npt.NDArray[np.float32]
) -> bytes:
    return save(
        {
            "bias": np.asarray([bias], dtype=np.float32),
            "seed_embeddings": np.ascontiguousarray(seed_embeddings, dtype=np.float32),
            "weights": np.ascontiguousarray(weights, dtype=np.float32),
        }
    )


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(directory: Path | None, name: str) -> bytes:
    return (directory / name).read_bytes() if directory else (DATA / name).read_bytes()


def load_head(directory: Path | None = None, seed_path: Path | None = None) -> ThreatHead:
    """Load the committed head (or one written to ``directory``), checking that its weights
    and the seed set (the project's, or ``seed_path``) are the ones its manifest names."""
    manifest = json.loads(read_bytes(directory, MANIFEST_FILE))
    if manifest.get("format") != FORMAT:
        raise StaleHead(f"unknown head format {manifest.get('format')!r}")
    raw = read_bytes(directory, HEAD_FILE)
    if sha256_hex(raw) != manifest["head_sha256"]:
        raise StaleHead(f"{HEAD_FILE} does not match {MANIFEST_FILE}; retrain the head")
    seed_raw = seed_path.read_bytes() if seed_path else read_bytes(None, SEED_FILE)
    if sha256_hex(seed_raw) != manifest["inputs"]["seed_sha256"]:
        raise StaleHead(f"{SEED_FILE} changed since the head was trained; retrain the head")
    tensors = load(raw)
    seeds = tuple(read_seed(seed_raw.decode("utf-8")))
    seed_embeddings = tensors["seed_embeddings"]
    if len(seeds) != len(seed_embeddings):
        raise StaleHead("the seed embeddings and the seed set differ in length")
    return ThreatHead(
        weights=tensors["weights"],
        bias=float(tensors["bias"][0]),
        seed_embeddings=seed_embeddings,
        seeds=seeds,
        thresholds={ThreatPreset(k): float(v) for k, v in manifest["thresholds"].items()},
        manifest=manifest,
    )
