"""Energy on the Tensor engine (§16.1): dE/dx is the dynamics, dE/dw is Hebb's rule."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt
from tinygrad_nn.hopfield import (
    Hopfield,
    continuous_recall,
    corrupt,
    hebbian,
    overlap,
    tensor_energy,
    weight_gradient,
)

from .strategies import bipolar, random_network


def test_tensor_energy_equals_the_numpy_energy():
    rng = np.random.default_rng(0)
    net = Hopfield(9, thresholds=rng.normal(size=9)).store(rng.choice([-1, 1], (3, 9)))
    xs = rng.choice([-1.0, 1.0], (4, 9))
    e = tensor_energy(tnn.tensor(xs), tnn.tensor(net.weights), tnn.tensor(net.thresholds))
    np.testing.assert_allclose(e.numpy(), net.energy(xs))


@given(data=bipolar(max_neurons=12))
def test_autograd_de_dx_is_minus_w_x_plus_b(data):
    """Notes §16.1: dE/dx_i = -sum_{j != i} W_ij x_j + b_i (with the sign of b fixed)."""
    patterns, seed = data
    rng = np.random.default_rng(seed)
    n_neurons = patterns.shape[1]
    w, b = hebbian(patterns), rng.normal(size=n_neurons)
    x = tnn.tensor(rng.uniform(-1, 1, (3, n_neurons)), requires_grad=True)
    (g,) = tnn.grad(tensor_energy(x, tnn.tensor(w), tnn.tensor(b)).sum(), x)
    np.testing.assert_allclose(g.numpy(), -x.detach().numpy() @ w + b, atol=1e-12)


def test_tensor_energy_passes_gradcheck_in_all_arguments():
    rng = np.random.default_rng(1)
    args = [tnn.tensor(rng.normal(size=s), requires_grad=True) for s in [(2, 5), (5, 5), (5,)]]
    assert tt.check_grad(tensor_energy, args)


@given(data=bipolar(max_neurons=10, max_patterns=1))
def test_autograd_weight_gradient_is_minus_x_x_transpose(data):
    """Notes §16.1: dE/dW_ij = -x_i x_j (i != j) for the shared weight w_ij = w_ji."""
    (x,), _ = data
    g = weight_gradient(x, hebbian(x[None]))
    expected = -np.outer(x, x)
    np.fill_diagonal(expected, 0.0)
    np.testing.assert_array_equal(g, expected)


def test_free_matrix_weight_gradient_is_minus_half_x_x_transpose():
    x = np.array([1.0, -1.0, 1.0])
    np.testing.assert_array_equal(
        weight_gradient(x, np.zeros((3, 3)), symmetric=False), -0.5 * np.outer(x, x)
    )


@given(data=bipolar())
def test_one_descent_step_per_pattern_with_rate_one_over_n_is_the_hebbian_rule(data):
    patterns, _ = data
    n, n_neurons = patterns.shape
    w = np.zeros((n_neurons, n_neurons))
    for x in patterns:
        w -= weight_gradient(x, w) / n
    np.testing.assert_allclose(w, hebbian(patterns), atol=1e-12)


def test_continuous_recall_descends_the_energy_and_recalls_the_patterns():
    rng = np.random.default_rng(0)
    patterns = rng.choice([-1.0, 1.0], (8, 200))
    net = Hopfield(200).store(patterns)
    result = continuous_recall(net, corrupt(patterns, 0.2, rng), n_steps=60)
    assert np.all(np.diff(result.energies, axis=-1) <= 1e-9)
    np.testing.assert_array_equal(overlap(result.sign, patterns), 1.0)
    assert result.energies.shape == (8, 61)


@given(
    seed=st.integers(0, 2**32 - 1),
    n_neurons=st.integers(2, 15),
    gain=st.floats(0.1, 10),
    fraction=st.floats(0.01, 1.0),
)
def test_continuous_recall_never_raises_the_energy_for_steps_within_the_bound(
    seed, n_neurons, gain, fraction
):
    """dt <= 2 / (gain ||W||_2) keeps E from rising at every Euler step."""
    rng = np.random.default_rng(seed)
    net = random_network(rng, n_neurons)
    dt = fraction * 2 / (gain * np.linalg.norm(net.weights, 2))
    cue = rng.choice([-1.0, 1.0], (2, n_neurons))
    for step in (dt, None):
        result = continuous_recall(net, cue, dt=step, n_steps=30, gain=gain)
        energies = result.energies
        assert np.all(np.diff(energies) <= 1e-9 * (1 + np.abs(energies).max()))


def test_continuous_recall_rejects_a_non_positive_step():
    with pytest.raises(ValueError, match="dt must be a positive"):
        continuous_recall(Hopfield(3), [1, 1, 1], dt=0.0)
