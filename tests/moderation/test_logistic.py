"""The Newton logistic regression: it reaches the optimum and repeats bit for bit."""

from __future__ import annotations

import numpy as np

from godwit.moderation.logistic import fit_logistic, sigmoid


def _data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(300, 5))
    y = (x @ np.array([2.0, -1.0, 0.5, 0.0, 0.0]) + 0.3 + rng.normal(size=300) > 0).astype(float)
    w = np.where(y == 1, 2.0, 1.0)
    return x, y, w


def test_the_fit_sets_the_penalised_gradient_to_zero() -> None:
    x, y, w = _data()
    model = fit_logistic(x, y, w, l2=0.5)
    p = model.predict(x)
    assert np.allclose(x.T @ (w * (p - y)) + 0.5 * model.weights, 0.0, atol=1e-8)
    assert abs(float(np.sum(w * (p - y)))) < 1e-8  # the bias is not penalised
    assert model.weights[0] > 0 > model.weights[1]


def test_the_fit_is_repeatable_bit_for_bit() -> None:
    x, y, w = _data()
    a, b = fit_logistic(x, y, w, l2=1.0), fit_logistic(x, y, w, l2=1.0)
    assert a.weights.tobytes() == b.weights.tobytes()
    assert a.bias == b.bias


def test_separable_data_stays_finite_with_a_penalty() -> None:
    x = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    model = fit_logistic(x, np.array([0.0, 0.0, 1.0, 1.0]), np.ones(4), l2=0.1)
    assert np.isfinite(model.weights).all()
    assert model.predict(np.array([[3.0]]))[0] > 0.9


def test_sigmoid_is_stable_at_the_extremes() -> None:
    z = np.array([-1000.0, 0.0, 1000.0])
    assert sigmoid(z).tolist() == [0.0, 0.5, 1.0]
