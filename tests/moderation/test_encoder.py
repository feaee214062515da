"""The numpy encoder reproduces sentence-transformers' all-MiniLM-L6-v2 embeddings.

The reference vectors in fixtures/reference-embeddings.json were computed once with
sentence-transformers and torch on the CPU (see the file's "about"), outside the project.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from godwit.moderation.encoder import Encoder, erf, gelu
from godwit.moderation.model_files import load_config
from tests.moderation.support import FIXTURES

REFERENCE = json.loads((FIXTURES / "reference-embeddings.json").read_text(encoding="utf-8"))
CASES = REFERENCE["cases"]


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def test_batched_embeddings_match_the_reference(encoder: Encoder) -> None:
    got = encoder.encode([case["text"] for case in CASES])
    expected = np.array([case["embedding"] for case in CASES], dtype=np.float64)
    assert got.shape == (len(CASES), 384)
    assert got.dtype == np.float32
    assert _cosines(got.astype(np.float64), expected).min() > 0.9999
    assert np.abs(got - expected).max() < 1e-4
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)  # the Normalize module


def test_one_by_one_embeddings_match_the_reference(encoder: Encoder) -> None:
    for case in CASES:
        got = encoder.encode([case["text"]]).astype(np.float64)
        assert _cosines(got, np.array([case["embedding"]]))[0] > 0.9999, case["text"][:40]


def test_padding_in_a_batch_does_not_change_an_embedding(encoder: Encoder) -> None:
    texts = ["short", "a much longer sentence that forces the short one to be padded " * 3]
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([text]) for text in texts])
    assert np.abs(together - alone).max() < 1e-5


def test_tokens_match_the_reference_tokenizer(encoder: Encoder) -> None:
    ids = encoder.token_ids([case["text"] for case in CASES])
    assert ids == [case["token_ids"] for case in CASES]


def test_no_padding_to_128_and_truncation_at_max_seq_length(encoder: Encoder) -> None:
    config = load_config()
    assert config.max_seq_length == 256  # sentence_bert_config.json, as sentence-transformers
    short, long = encoder.token_ids(["have a nice day", "word " * 1000])
    assert short[0] == 101
    assert short[-1] == 102
    assert len(short) == 6  # not padded to the 128 that tokenizer.json asks for
    assert len(long) == config.max_seq_length
    assert long[-1] == 102
    assert len(CASES[3]["token_ids"]) == 256  # the reference truncated its long text alike


def test_empty_and_blank_texts_embed(encoder: Encoder) -> None:
    vectors = encoder.encode(["", "   ", "\n"])
    assert np.isfinite(vectors).all()
    assert encoder.encode([]).shape == (0, 384)


def test_erf_and_gelu_are_exact_to_float32_noise() -> None:
    xs = np.linspace(-7, 7, 4001, dtype=np.float32)
    expected = np.array([math.erf(float(x)) for x in xs])
    assert np.abs(erf(xs.copy()) - expected).max() < 1e-6
    expected_gelu = np.array([float(x) * 0.5 * (1 + math.erf(float(x) / math.sqrt(2))) for x in xs])
    assert np.abs(gelu(xs.copy()) - expected_gelu).max() < 1e-5


@pytest.mark.parametrize("batch_tokens", [1, 64, 100_000])
def test_batch_size_does_not_change_results(encoder: Encoder, batch_tokens: int) -> None:
    texts = [case["text"] for case in CASES[:3]]
    expected = encoder.encode(texts)
    default = encoder.batch_tokens
    encoder.batch_tokens = batch_tokens
    try:
        got = encoder.encode(texts)
    finally:
        encoder.batch_tokens = default
    assert np.abs(got - expected).max() < 1e-5
