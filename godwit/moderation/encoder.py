"""all-MiniLM-L6-v2 sentence embeddings in plain numpy: no torch, no network.

The forward pass is BERT's (6 layers, 12 heads, exact GELU), followed by what the package's
sentence-transformers configuration asks for: mean pooling over the real tokens (attention
mask), then L2 normalisation. Texts are tokenised with ``tokenizers`` from tokenizer.json,
with its fixed padding to 128 turned off and truncation set to sentence_bert_config's
``max_seq_length`` (256 word pieces, as sentence-transformers does). Texts are sorted by
length into small batches (512 tokens with padding), so a batch's activations stay in the
CPU cache, and each batch is packed (see ``_encode_batch``): texts of any mix of lengths
share one without paying for padding outside attention.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from godwit.moderation.model_files import ModelConfig, load_config

Matrix = npt.NDArray[np.float32]

# Abramowitz & Stegun 7.1.26: |error| < 1.5e-7, far below float32 noise in the encoder.
_ERF_P = np.float32(0.3275911)
_ERF_A = tuple(np.float32(a) for a in (0.254829592, -0.284496736, 1.421413741, -1.453152027))
_ERF_A5 = np.float32(1.061405429)
_SQRT_HALF = np.float32(1.0 / math.sqrt(2.0))
FFN_ROWS = 256  # token rows per feed-forward block
GELU_ROWS = 64  # rows per GELU block: 64 x 1536 floats fit in L2 with their temporaries


def erf(x: Matrix) -> Matrix:
    """Vectorised float32 erf (numpy has none), computed in place on a copy of ``x``."""
    a = np.abs(x)
    t = _ERF_P * a
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    poly = _ERF_A5 * t
    for coefficient in reversed(_ERF_A):
        poly += coefficient
        poly *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a
    np.subtract(np.float32(1.0), poly, out=poly)
    np.copysign(poly, x, out=poly)
    return poly


def gelu(x: Matrix) -> Matrix:
    """BERT's exact GELU, x * Φ(x) = x/2 * (1 + erf(x/√2)), in place (``x`` is consumed)."""
    result = erf(x * _SQRT_HALF)
    result += np.float32(1.0)
    result *= x
    result *= np.float32(0.5)
    return result


def layer_norm(x: Matrix, weight: Matrix, bias: Matrix, eps: float) -> Matrix:
    mean = x.mean(axis=-1, keepdims=True)
    centered: Matrix = x - mean
    variance = (centered * centered).mean(axis=-1, keepdims=True)
    centered /= np.sqrt(variance + np.float32(eps))
    centered *= weight
    centered += bias
    return centered


@dataclass(frozen=True)
class _Layer:
    qkv_w: Matrix  # (hidden, 3*hidden), transposed and fused
    qkv_b: Matrix
    out_w: Matrix
    out_b: Matrix
    ln1_w: Matrix
    ln1_b: Matrix
    up_w: Matrix
    up_b: Matrix
    down_w: Matrix
    down_b: Matrix
    ln2_w: Matrix
    ln2_b: Matrix


class Encoder:
    """Loads the weights once; ``encode`` is thread-safe (numpy releases the GIL in BLAS)."""

    def __init__(self, config: ModelConfig | None = None, batch_tokens: int = 512) -> None:
        self.config = config or load_config()
        self.batch_tokens = batch_tokens
        self.tokenizer = Tokenizer.from_file(str(self.config.directory / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.config.max_seq_length)
        weights = load_file(str(self.config.directory / "model.safetensors"))

        def get(name: str) -> Matrix:
            return np.ascontiguousarray(weights[name], dtype=np.float32)

        def linear(name: str) -> Matrix:  # torch stores (out, in); we multiply x @ W.T
            return np.ascontiguousarray(get(name).T)

        self.word_embeddings = get("embeddings.word_embeddings.weight")
        # token_type_ids are all 0 for single sentences: fold that row into the positions.
        self.position_embeddings = (
            get("embeddings.position_embeddings.weight")
            + get("embeddings.token_type_embeddings.weight")[0]
        )
        self.embed_ln = (get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias"))
        self.layers: list[_Layer] = []
        for index in range(self.config.num_layers):
            p = f"encoder.layer.{index}."
            att = p + "attention."
            self.layers.append(
                _Layer(
                    qkv_w=np.ascontiguousarray(
                        np.concatenate(
                            [linear(f"{att}self.{n}.weight") for n in ("query", "key", "value")],
                            axis=1,
                        )
                    ),
                    qkv_b=np.concatenate(
                        [get(f"{att}self.{n}.bias") for n in ("query", "key", "value")]
                    ),
                    out_w=linear(att + "output.dense.weight"),
                    out_b=get(att + "output.dense.bias"),
                    ln1_w=get(att + "output.LayerNorm.weight"),
                    ln1_b=get(att + "output.LayerNorm.bias"),
                    up_w=linear(p + "intermediate.dense.weight"),
                    up_b=get(p + "intermediate.dense.bias"),
                    down_w=linear(p + "output.dense.weight"),
                    down_b=get(p + "output.dense.bias"),
                    ln2_w=get(p + "output.LayerNorm.weight"),
                    ln2_b=get(p + "output.LayerNorm.bias"),
                )
            )

    @property
    def dimension(self) -> int:
        return self.config.hidden_size

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids with [CLS]/[SEP], truncated to ``max_seq_length``, unpadded."""
        return [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str]) -> Matrix:
        """One L2-normalised embedding per text, shape (len(texts), 384), float32."""
        ids = self.token_ids(texts)
        out = np.zeros((len(ids), self.dimension), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: (len(ids[i]), i))
        start = 0
        while start < len(order):
            longest = len(ids[order[start]])
            end = start + 1
            while end < len(order):
                longest = len(ids[order[end]])
                if (end - start + 1) * longest > self.batch_tokens:
                    break
                end += 1
            batch = order[start:end]
            out[batch] = self._encode_batch([ids[i] for i in batch])
            start = end
        return out

    @staticmethod
    def _feed_forward(x: Matrix, layer: _Layer) -> Matrix:
        """Up-projection, GELU, down-projection, by blocks of rows: the (rows, 1536) hidden
        block and GELU's temporaries stay in the CPU cache (1.2x faster, same results)."""
        out = np.empty_like(x)
        for start in range(0, len(x), FFN_ROWS):
            hidden = x[start : start + FFN_ROWS] @ layer.up_w
            hidden += layer.up_b
            for row in range(0, len(hidden), GELU_ROWS):
                hidden[row : row + GELU_ROWS] = gelu(hidden[row : row + GELU_ROWS])
            np.matmul(hidden, layer.down_w, out=out[start : start + FFN_ROWS])
        out += layer.down_b
        return out

    def _encode_batch(self, batch: list[list[int]]) -> Matrix:
        """Texts are packed: row ``i`` of ``x`` is one real token of one text, so the
        projections and the feed-forward (nine tenths of the work) never touch padding.
        Only attention, which mixes a text's tokens, runs on padded (texts, length) blocks,
        gathered from the packed rows and scattered back. A lone text is its own padded
        block, so its embedding is exactly what an unpacked pass gives."""
        cfg = self.config
        size, length = len(batch), max(len(row) for row in batch)
        lengths = np.array([len(row) for row in batch])
        mask = (np.arange(length)[None, :] < lengths[:, None]).astype(np.float32)
        padded = bool((lengths != length).any())
        # padded[k] -> packed row, for the real cells of the (size, length) block.
        real_cells = np.flatnonzero(mask.reshape(-1))
        flat_ids = np.concatenate([np.asarray(row, dtype=np.int64) for row in batch])
        positions = np.concatenate([np.arange(len(row)) for row in batch])
        x: Matrix = self.word_embeddings[flat_ids] + self.position_embeddings[positions]
        x = layer_norm(x, *self.embed_ln, cfg.layer_norm_eps)
        heads, head_size = cfg.num_heads, cfg.hidden_size // cfg.num_heads
        scale = np.float32(1.0 / math.sqrt(head_size))
        # Padded keys get the most negative float32, as transformers does.
        bias = ((np.float32(1.0) - mask) * np.finfo(np.float32).min)[:, None, None, :]

        def unpack(rows: Matrix) -> Matrix:
            if not padded:
                return rows
            block = np.zeros((size * length, rows.shape[1]), dtype=np.float32)
            block[real_cells] = rows
            return block

        for layer in self.layers:
            projected: Matrix = x @ layer.qkv_w
            projected += layer.qkv_b
            qkv = unpack(projected).reshape(size, length, 3, heads, head_size)
            q = qkv[:, :, 0].transpose(0, 2, 1, 3)
            k = qkv[:, :, 1].transpose(0, 2, 3, 1)
            v = qkv[:, :, 2].transpose(0, 2, 1, 3)
            scores = q @ k
            scores *= scale
            scores += bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            mixed = (scores @ v).transpose(0, 2, 1, 3).reshape(size * length, -1)
            context = mixed.astype(np.float32, copy=False)  # float32 already; for the types
            if padded:
                context = context[real_cells]
            attended: Matrix = context @ layer.out_w
            attended += layer.out_b
            attended += x
            x = layer_norm(attended, layer.ln1_w, layer.ln1_b, cfg.layer_norm_eps)
            forward = self._feed_forward(x, layer)
            forward += x
            x = layer_norm(forward, layer.ln2_w, layer.ln2_b, cfg.layer_norm_eps)
        tokens = unpack(x).reshape(size, length, -1)
        counts = np.maximum(mask.sum(axis=1, keepdims=True), np.float32(1e-9))
        pooled = (tokens * mask[:, :, None]).sum(axis=1) / counts
        if cfg.normalize:
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            pooled = pooled / np.maximum(norms, np.float32(1e-12))
        result: Matrix = pooled.astype(np.float32)
        return result
