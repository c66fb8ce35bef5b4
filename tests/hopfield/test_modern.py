"""Modern Hopfield layer: xi <- X^T softmax(beta X xi), differentiable on the Tensor engine."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt
from tinygrad_nn.hopfield import ModernHopfield, corrupt, modern_update, overlap


def _patterns(n=10, n_neurons=200, seed=0):
    return np.random.default_rng(seed).choice([-1.0, 1.0], (n, n_neurons))


def test_update_matches_the_formula():
    rng = np.random.default_rng(0)
    x, xi, beta = rng.normal(size=(4, 6)), rng.normal(size=6), 0.7
    z = beta * x @ xi
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    out = ModernHopfield(x, beta=beta)(tnn.tensor(xi))
    np.testing.assert_allclose(out.numpy(), x.T @ p)


def test_one_update_retrieves_a_pattern_from_a_noisy_cue():
    patterns = _patterns()
    cues = corrupt(patterns, 0.3, rng=1)
    out = ModernHopfield(patterns, beta=0.5)(cues).numpy()
    np.testing.assert_allclose(overlap(out, patterns), 1.0, atol=1e-6)


def test_many_more_patterns_than_a_classical_network_holds():
    patterns = _patterns(n=100, n_neurons=64, seed=2)  # load 1.6, far above 0.14
    cues = corrupt(patterns, 0.1, rng=3)
    out = ModernHopfield(patterns, beta=0.5)(cues).numpy()
    np.testing.assert_array_equal(np.sign(out), patterns)


@given(seed=st.integers(0, 2**32 - 1), beta=st.floats(0.05, 5.0))
def test_updates_never_raise_the_energy(seed, beta):
    rng = np.random.default_rng(seed)
    layer = ModernHopfield(rng.normal(size=(5, 8)), beta=beta)
    xi = tnn.tensor(rng.normal(size=(3, 8)))
    for _ in range(4):
        new = layer(xi)
        before, after = layer.energy(xi).numpy(), layer.energy(new).numpy()
        assert np.all(after <= before + 1e-9 * (1 + np.abs(before)))
        assert np.all(after >= -1e-9)
        xi = new


def test_attention_sums_to_one_over_the_patterns():
    layer = ModernHopfield(_patterns(n=7, n_neurons=20), beta=0.3)
    p = layer.attention(np.ones((2, 20))).numpy()
    assert p.shape == (2, 7)
    np.testing.assert_allclose(p.sum(-1), 1.0)


def test_gradients_flow_to_the_query_and_the_patterns():
    rng = np.random.default_rng(4)
    xi = tnn.tensor(rng.normal(size=(2, 6)), requires_grad=True)
    x = tnn.tensor(rng.normal(size=(4, 6)), requires_grad=True)
    assert tt.check_grad(lambda q, p: modern_update(q, p, beta=0.8, n_steps=2), [xi, x])


def test_learnable_patterns_are_parameters_and_fixed_ones_buffers():
    patterns = np.random.default_rng(5).normal(size=(3, 4))
    learned = ModernHopfield(patterns, requires_grad=True)
    assert [name for name, _ in learned.named_parameters()] == ["patterns"]
    fixed = ModernHopfield(patterns)
    assert list(fixed.parameters()) == [] and list(fixed.state_dict()) == ["patterns"]
    loss = (learned(np.ones((2, 4))) ** 2).sum()
    loss.backward()
    assert learned.patterns.grad is not None and learned.patterns.grad.shape == (3, 4)


def test_rejects_a_query_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"xi must have shape \(6,\)"):
        ModernHopfield(np.ones((3, 6)))(np.ones(5))
