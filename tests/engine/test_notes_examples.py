"""The worked examples of the course notes."""

import numpy as np
import pytest

import tinygrad_nn as tnn


def test_softmax_example_6_1():
    # Notes Example 6.1: z = (0.6, 3.4, -1.2, 0.05) -> y = (0.06, 0.9, 0.009, 0.031),
    # printed to one or two significant figures (the exact first value is 0.0550).
    y = tnn.tensor([0.6, 3.4, -1.2, 0.05]).softmax(dim=0).numpy()
    np.testing.assert_allclose(y, [0.06, 0.9, 0.009, 0.031], rtol=0.1)
    np.testing.assert_allclose(y, [0.0550, 0.9042, 0.00909, 0.0317], rtol=2e-3)
    np.testing.assert_allclose(
        y, np.exp([0.6, 3.4, -1.2, 0.05]) / np.exp([0.6, 3.4, -1.2, 0.05]).sum(), rtol=1e-6
    )
    assert y.sum() == pytest.approx(1.0)


def test_finite_difference_example_8_1():
    # Notes Example 8.1: E(0.49) = 0.240761 and E(-0.51) = 0.24150 give the central
    # difference (E(0.49) - E(-0.51)) / (2 * 0.5). The notes print -0.0007475; the two
    # printed values give -0.000739 (the printed E values are rounded).
    table = {-0.01: 0.24113, 0.49: 0.240761, -0.51: 0.24150}

    def E(theta):
        return tnn.tensor(table[round(float(theta.item()), 2)], dtype=tnn.float64)

    (g,) = tnn.numerical_grad(E, [tnn.tensor(-0.01, dtype=tnn.float64)], eps=0.5)
    assert g == pytest.approx((0.240761 - 0.24150) / 1.0, rel=1e-9)


def test_finite_differences_agree_with_backprop_on_a_small_network():
    # A one-hidden-unit logistic network like the notes' Example 8.1: y = s(M s(theta x)),
    # E = (y - t)^2. The engine's dE/dtheta equals the central difference.
    x, t, M = 1.0, 1.0, 0.5
    theta = tnn.tensor(-0.01, dtype=tnn.float64, requires_grad=True)

    def E(th):
        y = ((th * x).sigmoid() * M).sigmoid()
        return (y - t) ** 2

    E(theta).backward()
    (numeric,) = tnn.numerical_grad(E, [theta.detach()], eps=1e-5)
    assert theta.grad.item() == pytest.approx(numeric, rel=1e-7)
