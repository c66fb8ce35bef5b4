"""Hypothesis strategies shared by the Hopfield tests."""

import numpy as np
from hypothesis import strategies as st

from tinygrad_nn.hopfield import Hopfield

RULE_NAMES = ["hebbian", "storkey", "pseudoinverse"]


@st.composite
def bipolar(draw, max_neurons: int = 24, max_patterns: int = 6):
    """(patterns (n, N), seed): random ±1 patterns."""
    n_neurons = draw(st.integers(2, max_neurons))
    n = draw(st.integers(1, max_patterns))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    return rng.choice([-1.0, 1.0], size=(n, n_neurons)), seed


@st.composite
def orthogonal(draw):
    """n < N mutually orthogonal ±1 patterns: rows of a Sylvester-Hadamard matrix with random
    column and row signs."""
    k = draw(st.integers(1, 5))
    h = np.array([[1.0]])
    for _ in range(k):
        h = np.block([[h, h], [h, -h]])
    n_neurons = h.shape[0]
    n = draw(st.integers(1, n_neurons - 1))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    rows = rng.permutation(n_neurons)[:n]
    col_signs = rng.choice([-1.0, 1.0], n_neurons)
    row_signs = rng.choice([-1.0, 1.0], (n, 1))
    return h[rows] * col_signs * row_signs


def random_network(rng: np.random.Generator, n_neurons: int):
    """A Hopfield network with Gaussian symmetric weights (zero diagonal) and thresholds."""
    a = np.triu(rng.normal(size=(n_neurons, n_neurons)), 1)
    net = Hopfield(n_neurons, thresholds=rng.normal(size=n_neurons))
    net.weights = a + a.T
    return net


def storable(patterns: np.ndarray, rule: str) -> bool:
    """Whether ``rule`` accepts ``patterns``: the pseudo-inverse rule refuses patterns that
    span every dimension (it would store nothing)."""
    return rule != "pseudoinverse" or np.linalg.matrix_rank(patterns) < patterns.shape[1]
