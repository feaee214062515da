"""The seed-neighbour features, on vectors small enough to check by hand."""

from __future__ import annotations

import numpy as np
import pytest

from godwit.moderation.features import SCALE, design, neighbour_features


def test_mean_similarity_to_the_nearest_seeds_of_each_kind() -> None:
    similarity = np.array([[0.9, 0.1, 0.5, 0.3, 0.2, 0.8]])
    is_threat = np.array([True, True, True, False, False, False])
    got = neighbour_features(similarity, is_threat, k=2)
    assert got[0] == pytest.approx([SCALE * (0.9 + 0.5) / 2, SCALE * (0.8 + 0.3) / 2])


def test_a_seed_is_never_its_own_neighbour() -> None:
    seeds = np.eye(4)[:3]  # three orthogonal unit "embeddings"
    is_threat = np.array([True, True, False])
    with_self = design(seeds, seeds, is_threat, k_self := np.array([0, 1, 2]))
    assert k_self.tolist() == [0, 1, 2]
    # Row 0 is threat seed 0: without itself, its nearest threat is seed 1 (similarity 0).
    assert with_self[0, -2] == 0.0
    assert design(seeds, seeds, is_threat)[0, -2] == pytest.approx(SCALE * 0.5)  # (1 + 0) / 2
    assert with_self.shape == (3, 4 + 2)
