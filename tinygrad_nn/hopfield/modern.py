r"""Modern (dense) Hopfield network as a differentiable layer (Ramsauer et al. 2020).

Stored patterns are the rows of X, shape (n, N); a state (query) :math:`\xi` is updated by

.. math:: \xi \leftarrow X^T \operatorname{softmax}(\beta X \xi)

(:math:`\xi \leftarrow X\,\mathrm{softmax}(\beta X^T\xi)` with patterns as columns). Each
update lowers :math:`E(\xi) = -\beta^{-1}\log\sum_s e^{\beta\, x^{(s)}\cdot\xi} +
\frac{1}{2}\xi^T\xi + \beta^{-1}\log n + \frac{1}{2}M^2`, :math:`M = \max_s\|x^{(s)}\|`, and
retrieves a well-separated pattern in one step; capacity grows exponentially in N.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import checks
from ..dtypes import get_default_dtype
from ..nn.module import Module, Parameter
from ..tensor import Tensor, wrap

__all__ = ["ModernHopfield", "modern_energy", "modern_update"]


def _check(xi: Tensor, patterns: Tensor, beta: float, where: str) -> None:
    if patterns.ndim != 2 or 0 in patterns.shape:
        raise ValueError(f"{where}: patterns must have shape (n, N), got {patterns.shape}")
    n_neurons = patterns.shape[1]
    if xi.ndim not in (1, 2) or xi.shape[-1] != n_neurons:
        raise ValueError(
            f"{where}: xi must have shape ({n_neurons},) or (B, {n_neurons}), got {xi.shape}"
        )
    checks.positive(f"{where}: beta", beta)


def modern_update(xi: Tensor, patterns: Tensor, beta: float, n_steps: int = 1) -> Tensor:
    r"""``n_steps`` updates :math:`\xi \leftarrow X^T\mathrm{softmax}(\beta X\xi)` of a state
    ``(N,)`` or each row of ``(B, N)``; differentiable in ``xi`` and ``patterns`` (n, N)."""
    _check(xi, patterns, beta, "modern_update")
    n_steps = checks.integer("modern_update: n_steps", n_steps, minimum=1)
    for _ in range(n_steps):
        xi = (xi @ patterns.T * beta).softmax(-1) @ patterns
    return xi


def modern_energy(xi: Tensor, patterns: Tensor, beta: float) -> Tensor:
    r""":math:`E = -\beta^{-1}\mathrm{lse}(\beta X\xi) + \frac{1}{2}\xi^T\xi +
    \beta^{-1}\log n + \frac{1}{2}M^2` per state (:math:`E \ge 0`; M is the largest pattern
    norm, a constant)."""
    _check(xi, patterns, beta, "modern_energy")
    n = patterns.shape[0]
    m2 = float(np.max(np.sum(patterns._data.astype(np.float64) ** 2, axis=1)))
    lse = (xi @ patterns.T * beta).logsumexp(-1) * (1.0 / beta)
    return -lse + (xi * xi).sum(-1) * 0.5 + (np.log(n) / beta + 0.5 * m2)


class ModernHopfield(Module):
    r"""Dense associative memory layer: ``layer(xi)`` applies :func:`modern_update`.

    ``patterns``: (n, N), any real values. With ``requires_grad=True`` they are a ``Parameter``
    (learned with an optimiser); otherwise a buffer (in ``state_dict``, not trained).
    ``beta``: inverse temperature :math:`\beta > 0`.
    """

    def __init__(self, patterns: Any, beta: float = 1.0, requires_grad: bool = False) -> None:
        super().__init__()
        data = np.array(patterns._data if isinstance(patterns, Tensor) else patterns)
        if data.dtype.kind != "f":
            data = data.astype(get_default_dtype())
        if data.ndim != 2 or 0 in data.shape:
            raise ValueError(f"ModernHopfield: patterns must have shape (n, N), got {data.shape}")
        checks.positive("ModernHopfield: beta", beta)
        if requires_grad:
            self.patterns = Parameter(data)
        else:
            self.register_buffer("patterns", wrap(data))
        self.beta = float(beta)

    def extra_repr(self) -> str:
        n, n_neurons = self.patterns.shape
        return f"patterns={n}, n_neurons={n_neurons}, beta={self.beta}"

    def _query(self, xi: Any) -> Tensor:
        return xi if isinstance(xi, Tensor) else wrap(np.array(xi, dtype=self.patterns.dtype))

    def forward(self, xi: Any, n_steps: int = 1) -> Tensor:
        return modern_update(self._query(xi), self.patterns, self.beta, n_steps)

    def attention(self, xi: Any) -> Tensor:
        r"""The weights :math:`p = \mathrm{softmax}(\beta X\xi)` over the n patterns."""
        xi = self._query(xi)
        _check(xi, self.patterns, self.beta, "ModernHopfield.attention")
        return (xi @ self.patterns.T * self.beta).softmax(-1)

    def energy(self, xi: Any) -> Tensor:
        """:func:`modern_energy` of the stored patterns at ``xi``."""
        return modern_energy(self._query(xi), self.patterns, self.beta)
