"""Learning rules: the notes' example, symmetry, zero diagonal, orthogonal patterns (§15.1)."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tinygrad_nn.hopfield import Hopfield, hebbian, pseudoinverse, storkey

from .strategies import RULE_NAMES, bipolar, orthogonal, storable


def test_hebbian_weights_of_the_notes_example():
    """Notes §15.1: W > 0 between neurons in the same state, < 0 between opposite ones.
    The printed matrix has W[3, 0] = +1, a typo: the rule (and symmetry) give -1."""
    net = Hopfield(4).store([1, -1, 1, -1])
    expected = np.array([[0, -1, 1, -1], [-1, 0, -1, 1], [1, -1, 0, -1], [-1, 1, -1, 0]])
    np.testing.assert_array_equal(net.weights, expected)


def test_hebbian_is_the_average_coactivation():
    p = np.array([[1, 1, -1, -1, 1], [1, -1, 1, -1, 1], [-1, -1, -1, 1, 1]], dtype=float)
    w = hebbian(p)
    for i in range(5):
        for j in range(5):
            expected = 0.0 if i == j else np.mean([x[i] * x[j] for x in p])
            assert w[i, j] == pytest.approx(expected)


@pytest.mark.parametrize("rule", RULE_NAMES)
@given(data=bipolar())
def test_weights_are_symmetric_with_zero_diagonal(rule, data):
    patterns, _ = data
    assume(storable(patterns, rule))
    w = Hopfield(patterns.shape[1]).store(patterns, rule=rule).weights
    np.testing.assert_array_equal(w, w.T)
    np.testing.assert_array_equal(np.diag(w), 0.0)


@given(patterns=orthogonal())
def test_orthogonal_patterns_are_scaled_by_n_minus_n_over_n(patterns):
    """Notes §15.1: W x^(q) = (N - n)/n x^(q) for mutually orthogonal patterns."""
    n, n_neurons = patterns.shape
    w = hebbian(patterns)
    np.testing.assert_allclose(patterns @ w, (n_neurons - n) / n * patterns, atol=1e-12)


@pytest.mark.parametrize("rule", ["hebbian", "pseudoinverse"])
@given(patterns=orthogonal())
def test_orthogonal_patterns_are_fixed_points_when_n_below_n_neurons(rule, patterns):
    """Notes §15.1 for the Hebbian rule; the projection rule too (P_ii = n/N < 1). Storkey's
    rule does not promise this near n = N (e.g. 7 orthogonal patterns in 8 neurons)."""
    net = Hopfield(patterns.shape[1]).store(patterns, rule=rule)
    assert np.all(net.is_fixed_point(patterns))


def _storkey_by_the_formula(p):
    """Storkey (1997), written entry by entry as printed."""
    n_neurons = p.shape[1]
    w = np.zeros((n_neurons, n_neurons))
    for xi in p:
        new = w.copy()
        for i in range(n_neurons):
            for j in range(n_neurons):
                if i != j:
                    others = [k for k in range(n_neurons) if k not in (i, j)]
                    h_ij = sum(w[i, k] * xi[k] for k in others)
                    h_ji = sum(w[j, k] * xi[k] for k in others)
                    new[i, j] += (xi[i] * xi[j] - xi[i] * h_ji - h_ij * xi[j]) / n_neurons
        w = new
    return w


@given(data=bipolar(max_neurons=8, max_patterns=4))
def test_storkey_matches_the_entrywise_formula(data):
    patterns, _ = data
    np.testing.assert_allclose(storkey(patterns), _storkey_by_the_formula(patterns), atol=1e-12)


def test_pseudoinverse_stores_correlated_patterns_as_fixed_points():
    rng = np.random.default_rng(3)
    base = rng.choice([-1.0, 1.0], 60)
    # 12 patterns, each 10% away from a common base: strongly correlated
    patterns = np.array([np.where(rng.random(60) < 0.1, -base, base) for _ in range(12)])
    assert not np.all(Hopfield(60).store(patterns, rule="hebbian").is_fixed_point(patterns))
    assert np.all(Hopfield(60).store(patterns, rule="pseudoinverse").is_fixed_point(patterns))


@given(data=bipolar(max_neurons=16, max_patterns=4), scale=st.floats(0.1, 10))
def test_pseudoinverse_maps_the_span_of_the_patterns_onto_itself(data, scale):
    patterns, _ = data
    assume(storable(patterns, "pseudoinverse"))
    w = pseudoinverse(patterns)
    p = np.linalg.pinv(patterns) @ patterns
    v = scale * patterns.sum(axis=0)  # a vector of the span
    np.testing.assert_allclose(w @ v + np.diag(p) * v, v, atol=1e-8 * scale * v.size)
