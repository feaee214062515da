"""What the head sees of a text: its embedding, plus how close it comes to the seed set.

Two neighbour features join the 384 embedding dimensions: the mean cosine similarity of the
text to its k nearest seed threats, and to its k nearest seed non-threats (scaled, so the L2
penalty treats them like the rest). They let the team's hand-written examples, hard
negatives included, weigh directly on a score, and they are the same neighbours a moderator
is shown as the reasons. Cross-validated on the first (380-row) seed set, they lifted the
Gab average precision from 0.23 to 0.27 and the ROC AUC from 0.918 to 0.933.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
NEIGHBOURS = 3
SCALE = 5.0


def neighbour_features(
    similarity: Floats, seed_is_threat: npt.NDArray[np.bool_], k: int = NEIGHBOURS
) -> Floats:
    """(n, 2): mean similarity to the k nearest threat seeds and to the k nearest others.
    ``similarity`` is (n, seeds); entries set to -inf (a seed compared with itself during
    training) are never among the nearest."""
    out = np.zeros((similarity.shape[0], 2))
    for column, kind in enumerate((seed_is_threat, ~seed_is_threat)):
        count = min(k, int(kind.sum()))
        if count < 1:
            continue
        top = np.sort(similarity[:, kind], axis=1)[:, -count:]
        finite = np.isfinite(top)
        out[:, column] = np.where(finite, top, 0.0).sum(axis=1) / np.maximum(finite.sum(axis=1), 1)
    return out * SCALE


def design(
    embeddings: npt.ArrayLike,
    seed_embeddings: npt.ArrayLike,
    seed_is_threat: npt.NDArray[np.bool_],
    self_index: npt.NDArray[np.int64] | None = None,
) -> Floats:
    """The head's input rows. ``self_index[i]`` is the seed that row i *is* (-1 if none):
    training leaves it out of its own neighbours."""
    x = np.asarray(embeddings, dtype=np.float64)
    similarity = x @ np.asarray(seed_embeddings, dtype=np.float64).T
    if self_index is not None:
        rows = np.flatnonzero(self_index >= 0)
        similarity[rows, self_index[rows]] = -np.inf
    return np.hstack([x, neighbour_features(similarity, seed_is_threat)])
