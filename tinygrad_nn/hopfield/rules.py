r"""Learning rules: weights from patterns (notes §15.1). Each returns a symmetric W, zero diagonal.

``patterns`` is an array of bipolar patterns, shape ``(n, N)`` (n patterns of N neurons).
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["hebbian", "pseudoinverse", "storkey"]


def hebbian(patterns: np.ndarray) -> np.ndarray:
    r"""Hebbian rule (notes §15.1): :math:`W = \frac{1}{n}\sum_{s=1}^{n} x^{(s)} x^{(s)T} - I`.

    ``W_ij`` is the average co-activation of neurons i and j. Because :math:`x_i^2 = 1`, the
    diagonal of the average is exactly 1, so ":math:`-I`" makes it exactly zero (no self-coupling).
    The notes normalise by the number of patterns n; textbooks (Hertz, Krogh & Palmer) often use
    1/N. The two differ by the positive factor N/n, which does not change recall when b = 0.
    For mutually orthogonal patterns, :math:`W x^{(q)} = \frac{N - n}{n} x^{(q)}`: every stored
    pattern is a fixed point when n < N.
    """
    p = np.asarray(patterns, dtype=np.float64)
    n = p.shape[0]
    w = (p.T @ p) / n  # integer sums, divided once: the diagonal is exactly 1
    np.fill_diagonal(w, 0.0)
    return w


def storkey(patterns: np.ndarray) -> np.ndarray:
    r"""Storkey's rule (Storkey 1997), patterns added one at a time to :math:`W^{0} = 0`:

    .. math:: w_{ij}^{\nu} = w_{ij}^{\nu-1} + \tfrac{1}{N}\left(\xi_i\xi_j - \xi_i h_{ji} -
              h_{ij}\xi_j\right), \quad h_{ij} = \sum_{k \ne i, j} w_{ik}^{\nu-1}\xi_k

    Vectorised with the local field :math:`f = W\xi` (zero diagonal): :math:`h_{ij} = f_i -
    w_{ij}\xi_j`, so off the diagonal :math:`\Delta W = \frac{1}{N}(\xi\xi^T - \xi f^T -
    f\xi^T + 2W) = \frac{1}{N}(a a^T - f f^T + 2W)` with :math:`a = \xi - f`: a rank-2 update.
    Local and incremental like Hebb's rule, with a larger capacity.
    """
    p = np.asarray(patterns, dtype=np.float64)
    n_neurons = p.shape[1]
    w = np.zeros((n_neurons, n_neurons))
    for xi in p:
        f = w @ xi
        a = xi - f
        w *= 1.0 + 2.0 / n_neurons
        w += (np.stack([a, f], axis=1) @ np.stack([a, -f])) / n_neurons
        np.fill_diagonal(w, 0.0)
    return 0.5 * (w + w.T)  # exact symmetry despite rounding


def pseudoinverse(patterns: np.ndarray) -> np.ndarray:
    r"""Projection (pseudo-inverse) rule: :math:`W = X^{+} X` with the diagonal set to zero.

    ``X`` holds the patterns as rows, so :math:`X^{+}X` projects onto their span and maps every
    stored pattern to itself. After zeroing the diagonal, :math:`(Wx)_i = (1 - P_{ii}) x_i`, so
    each stored pattern stays a fixed point as long as :math:`P_{ii} < 1` (linearly independent
    patterns with n < N, up to degenerate cases). Correlated patterns are stored as well.
    """
    p = np.asarray(patterns, dtype=np.float64)
    w = np.linalg.pinv(p) @ p
    w = 0.5 * (w + w.T)  # exact symmetry despite rounding
    full = np.diagonal(w) > 1.0 - 1e-9  # P_ii = 1: neuron i would get no input at all
    if full.all():
        raise ValueError(
            f"pseudoinverse: the {p.shape[0]} patterns span all {p.shape[1]} dimensions, so "
            "W = P - diag(P) = 0 and nothing would be stored; store fewer patterns than "
            "neurons (linearly dependent ones add nothing)"
        )
    if full.any():
        warnings.warn(
            f"pseudoinverse: neurons {np.flatnonzero(full).tolist()[:10]} get no input "
            "(P_ii = 1) and keep whatever state they start in",
            RuntimeWarning,
            stacklevel=2,
        )
    np.fill_diagonal(w, 0.0)
    return w


RULES = {"hebbian": hebbian, "storkey": storkey, "pseudoinverse": pseudoinverse}
"""The learning rules by name, as ``capacity_experiment(rule=...)`` accepts them."""
