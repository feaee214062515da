"""The training-time embedding cache: computes each text once, survives an interrupted run."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from godwit.moderation.embedding_cache import EmbeddingCache


class CountingEncoder:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, text: str) -> np.ndarray:
        self.seen.append(text)
        return np.full(4, float(len(text)), dtype=np.float32)


def test_texts_are_embedded_once_and_returned_in_order(tmp_path: Path) -> None:
    encode = CountingEncoder()
    cache = EmbeddingCache(tmp_path, 4)
    got = cache.embed(["bb", "a", "bb", "cccc"], encode)
    assert encode.seen == ["bb", "a", "cccc"]
    assert got[:, 0].tolist() == [2.0, 1.0, 2.0, 4.0]
    again = EmbeddingCache(tmp_path, 4).embed(["cccc", "ddd"], encode)
    assert encode.seen == ["bb", "a", "cccc", "ddd"]
    assert again[:, 0].tolist() == [4.0, 3.0]


def test_an_interrupted_append_is_recomputed(tmp_path: Path) -> None:
    encode = CountingEncoder()
    EmbeddingCache(tmp_path, 4).embed(["one", "three"], encode)
    vectors = tmp_path / "vectors.f32"
    vectors.write_bytes(vectors.read_bytes()[:-4])  # the last vector lost half-written
    cache = EmbeddingCache(tmp_path, 4)
    assert len(cache) == 1
    got = cache.embed(["three", "one"], encode)
    assert encode.seen == ["one", "three", "three"]
    assert got[:, 0].tolist() == [5.0, 3.0]


def test_a_lost_vector_does_not_leave_a_stale_index_line(tmp_path: Path) -> None:
    encode = CountingEncoder()
    EmbeddingCache(tmp_path, 4).embed(["aa", "bbb"], encode)
    vectors = tmp_path / "vectors.f32"
    vectors.write_bytes(vectors.read_bytes()[:16])  # "bbb"'s vector is gone, its line is not
    EmbeddingCache(tmp_path, 4).embed(["c"], encode)  # "c" takes row 1
    got = EmbeddingCache(tmp_path, 4).embed(["bbb", "c"], encode)
    assert got[:, 0].tolist() == [3.0, 1.0]
