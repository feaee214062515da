"""Weighted, L2-regularised logistic regression fitted by Newton's method, in float64.

Newton steps on a 385-parameter problem converge in a handful of iterations, and every step
is a fixed sequence of numpy/LAPACK operations: with single-threaded BLAS the fit is
bit-for-bit repeatable, which stochastic optimisers are not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LogisticModel:
    weights: Floats  # (d,)
    bias: float

    def decision(self, features: npt.ArrayLike) -> Floats:
        x = np.asarray(features, dtype=np.float64)
        return np.asarray(x @ self.weights + self.bias, dtype=np.float64)

    def predict(self, features: npt.ArrayLike) -> Floats:
        return sigmoid(self.decision(features))


def sigmoid(z: Floats) -> Floats:
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    out[~positive] = e / (1.0 + e)
    return out


def fit_logistic(
    features: npt.ArrayLike,
    labels: npt.ArrayLike,
    sample_weights: npt.ArrayLike,
    l2: float,
    max_iterations: int = 50,
    tolerance: float = 1e-10,
) -> LogisticModel:
    """Minimise Σ wᵢ·logloss(yᵢ, sigmoid(xᵢ·β + b)) + l2/2·‖β‖² (the bias is not penalised)."""
    x = np.asarray(features, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    w = np.asarray(sample_weights, dtype=np.float64)
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    beta = np.zeros(d + 1)
    for _ in range(max_iterations):
        p = sigmoid(design @ beta)
        gradient = design.T @ (w * (p - y)) + penalty * beta
        curvature = w * p * (1.0 - p)
        hessian = (design * curvature[:, None]).T @ design + np.diag(penalty)
        hessian[-1, -1] += 1e-9  # keeps the bias row invertible on separable data
        step = np.linalg.solve(hessian, gradient)
        beta = beta - step
        if float(np.max(np.abs(step))) < tolerance:
            break
    return LogisticModel(weights=beta[:-1].copy(), bias=float(beta[-1]))
