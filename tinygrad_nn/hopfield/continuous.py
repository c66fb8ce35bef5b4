r"""Hopfield energy on the Tensor engine: continuous dynamics and the Hebbian gradient (§16.1).

The energy :math:`E(x) = -\frac{1}{2}x^TWx + b^Tx` is written with tensors, so autograd gives

- :math:`\partial E/\partial x = -Wx + b`: gradient descent on E is the continuous Hopfield
  dynamics :math:`dx_i/dt = \sum_{j \ne i} W_{ij}x_j - b_i` of the notes;
- :math:`\partial E/\partial w_{ij} = -x_i x_j` for each weight :math:`w_{ij} = w_{ji}`
  (i < j) of a symmetric W: descending E in the weights is Hebb's rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import checks
from ..engine import grad
from ..tensor import Tensor, leaf, wrap
from .network import Hopfield
from .patterns import as_states

__all__ = ["ContinuousResult", "continuous_recall", "tensor_energy", "weight_gradient"]


def tensor_energy(x: Tensor, weights: Tensor, thresholds: Tensor | None = None) -> Tensor:
    r""":math:`E = -\frac{1}{2}x^TWx + b^Tx` for a state ``(N,)`` or each row of ``(B, N)``.

    Differentiable in ``x``, ``weights`` and ``thresholds``. (The notes print the formula without
    the "+" before :math:`b^Tx`; this is the standard form.)
    """
    e = ((x @ weights) * x).sum(-1) * -0.5
    if thresholds is not None:
        e = e + (x * thresholds).sum(-1)
    return e


def weight_gradient(x: np.ndarray, weights: np.ndarray, symmetric: bool = True) -> np.ndarray:
    r"""Autograd's :math:`\partial E/\partial W` at states ``x`` (summed over a batch ``(B, N)``).

    With ``symmetric=False`` every entry of W is a free variable and the result is
    :math:`\partial E/\partial W_{ij} = -\frac{1}{2}x_i x_j`. A Hopfield W is symmetric with a
    zero diagonal, so its free variables are the :math:`w_{ij} = w_{ji}`, i < j. With
    ``symmetric=True`` (default) W is built as :math:`U + U^T` from its strict upper triangle U;
    the result holds :math:`\partial E/\partial w_{ij} = -x_i x_j` at (i, j) and (j, i), zero on
    the diagonal: the notes' :math:`\partial E/\partial W_{ij} = -x_i x_j`, i.e. the Hebbian
    update :math:`\Delta w_{ij} \propto x_i x_j`.
    """
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    xt = wrap(x)
    if not symmetric:
        wt = leaf(w.copy(), True)
        (g,) = grad(tensor_energy(xt, wt).sum(), wt)
        return g.numpy()
    u = leaf(np.triu(w, 1), True)
    (g,) = grad(tensor_energy(xt, u + u.T).sum(), u)
    g = np.triu(g.numpy(), 1)
    return g + g.T


@dataclass
class ContinuousResult:
    """What :func:`continuous_recall` returns.

    ``state``: the continuous states :math:`x = \\tanh(\\text{gain}\\,u)` at the end;
    ``sign``: their signs (ties to +1), the recalled bipolar pattern; ``energies``: E after each
    step, shape ``(n_steps + 1,)`` or ``(B, n_steps + 1)`` (index 0: the start).
    """

    state: np.ndarray
    sign: np.ndarray
    energies: np.ndarray


def continuous_recall(
    net: Hopfield,
    x: np.ndarray,
    dt: float | None = None,
    n_steps: int = 200,
    gain: float = 1.0,
) -> ContinuousResult:
    r"""Continuous Hopfield dynamics by gradient descent on the energy (notes §16.1).

    The state is :math:`x = \tanh(\text{gain}\cdot u)` with internal variables u, started at
    :math:`u(0)` = the bipolar cue; each Euler step is :math:`u \leftarrow u - dt\,\partial
    E/\partial x` with :math:`\partial E/\partial x = -Wx + b` taken from autograd. Then
    :math:`dE/dt = -\sum_i \text{gain}\,(1 - x_i^2)(\partial E/\partial x_i)^2 \le 0`. The
    Euler steps keep this when :math:`dt \le 2 / (\text{gain}\,\|W\|_2)`: each
    :math:`|\Delta x_i| \le \text{gain}\,dt\,|\partial E/\partial x_i|` against the gradient,
    and E has curvature at most :math:`\|W\|_2`. The default ``dt`` is
    :math:`1/(\text{gain}\max_i\sum_j|W_{ij}|)`, within that bound.
    """
    gain = checks.positive("continuous_recall: gain", gain)
    if dt is None:
        row_sum = float(np.abs(net.weights).sum(axis=1).max())
        dt = 1.0 / (gain * row_sum) if row_sum > 0 else 1.0 / gain
    dt = checks.positive("continuous_recall: dt", dt)
    n_steps = checks.integer("continuous_recall: n_steps", n_steps, minimum=0)
    u = as_states(x, net.n_neurons, "continuous_recall", "x", net.binary).copy()
    w, b = wrap(np.array(net.weights)), wrap(np.array(net.thresholds))
    energies = []
    for step in range(n_steps + 1):
        xt = leaf(np.tanh(gain * u), True)
        e = tensor_energy(xt, w, b)
        energies.append(e.detach().numpy().copy())
        if step == n_steps:
            break
        (de_dx,) = grad(e.sum(), xt)  # rows are independent: the sum gives each row's gradient
        u -= dt * de_dx.numpy()
    state = np.tanh(gain * u)
    return ContinuousResult(state, np.where(state >= 0, 1.0, -1.0), np.stack(energies, axis=-1))
