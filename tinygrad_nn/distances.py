r"""$p$-norm distances between vectors, as PyTorch's top-level ``cdist`` (every row of one
set against every row of another), ``pdist`` (every pair of rows of one set) and ``dist``
(two tensors as two vectors): $d(x, y) = \|x - y\|_p = (\sum_k |x_k - y_k|^p)^{1/p}$, with
$p = 0$ the count of differing coordinates and $p = \infty$ the largest difference.
Composed of the differences and ``norm``, so their gradients are those ops'. As in PyTorch,
the gradient is 0 at a distance of 0, and for $p < 1$ a coordinate that agrees gets
gradient 0 (where $|d|^p$ has an infinite slope). Where several coordinates tie for the
largest difference ($p = \infty$), the gradient is shared among them (PyTorch's ``cdist``
and ``pdist`` give each the whole of it): a subgradient either way.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import checks
from .tensor import Tensor, _promote, _root, _tensor_arg, where

__all__ = ["cdist", "pdist", "dist"]

COMPUTE_MODES = (
    "use_mm_for_euclid_dist_if_necessary",
    "use_mm_for_euclid_dist",
    "donot_use_mm_for_euclid_dist",
)


def _pnorm(diff: Tensor, p: float) -> Tensor:
    r"""$\|d\|_p$ along the last dim of ``diff``, with PyTorch's gradient 0 where a
    coordinate is 0 and $|d|^p$ has an infinite slope ($p < 1$): for $0 < p < 1$ such a
    coordinate is left out of the sum; for $p < 0$ it makes the distance 0."""
    if diff.shape[-1] == 0:  # no coordinates: distance 0 (inf's max of nothing included)
        return diff.sum(-1)
    if p < 1 and p not in (0, -math.inf):
        a = diff.abs()
        nonzero = a._data != 0
        if not nonzero.all():
            safe = where(nonzero, a, 1.0)
            if p > 0:
                return _root(where(nonzero, safe**p, 0.0).sum(-1), p)
            return where(nonzero.all(-1), safe.norm(p, -1), 0.0)
    return diff.norm(p, -1)


def _order(p: Any, who: str) -> float:
    p = float(p.item() if isinstance(p, Tensor) else p)
    if not p >= 0:  # NaN too
        raise RuntimeError(f"{who} only supports non-negative p values, got p={p}")
    return p


def _float_rows(x: Any, who: str, name: str) -> Tensor:
    x = _tensor_arg(x, who, name)
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"{who} only supports floating-point dtypes, {name} got: {x.dtype}")
    return x


def cdist(
    x1: Tensor,
    x2: Tensor,
    p: float = 2.0,
    compute_mode: str = "use_mm_for_euclid_dist_if_necessary",
) -> Tensor:
    r"""$D_{ij} = \|x_{1,i} - x_{2,j}\|_p$ for the rows $i$ of ``x1`` $(\dots, P, M)$ and $j$
    of ``x2`` $(\dots, R, M)$: shape $(\dots, P, R)$, leading dims broadcast, as
    ``torch.cdist``. ``compute_mode`` is accepted; the distances are always computed from the
    differences (PyTorch may use $\|x\|^2 + \|y\|^2 - 2 x \cdot y$ for $p = 2$, faster and
    less accurate)."""
    x1, x2 = _float_rows(x1, "cdist", "x1"), _float_rows(x2, "cdist", "x2")
    if compute_mode not in COMPUTE_MODES:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    for name, x in (("x1", x1), ("x2", x2)):
        if x.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: {x.ndim}D")
    if x1._data.dtype != x2._data.dtype:
        raise RuntimeError(f"cdist: x1 and x2 must have one dtype, got {x1.dtype} and {x2.dtype}")
    if x1.shape[-1] != x2.shape[-1]:
        raise checks.ShapeError(
            f"cdist: x1 and x2 must have the same number of columns, got shapes "
            f"{tuple(x1.shape)} and {tuple(x2.shape)}"
        )
    checks.broadcast_shape("cdist", x1=x1.shape[:-2], x2=x2.shape[:-2])
    return _pnorm(x1.unsqueeze(-2) - x2.unsqueeze(-3), _order(p, "cdist"))


def pdist(input: Tensor, p: float = 2.0) -> Tensor:
    r"""$\|x_i - x_j\|_p$ for every pair $i < j$ of the rows of ``input`` $(N, M)$, in the
    order $(0, 1), (0, 2), \dots, (1, 2), \dots$: $N (N - 1) / 2$ distances, as
    ``torch.pdist`` (the upper triangle of ``cdist(input, input)`` read by rows)."""
    x = _float_rows(input, "pdist", "input")
    if x.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {x.ndim}D")
    p = _order(p, "pdist")
    i, j = np.triu_indices(x.shape[0], 1)
    return _pnorm(x[i] - x[j], p)


def dist(input: Tensor, other: Tensor, p: float = 2.0) -> Tensor:
    r"""$\|x - y\|_p$ of ``input`` and ``other`` broadcast and taken as two vectors, a 0-d
    tensor, as ``torch.dist``; ``p`` may be negative ($-\infty$: the smallest difference)."""
    x, y = _tensor_arg(input, "dist", "input"), _tensor_arg(other, "dist")
    checks.broadcast_shape("dist", input=x.shape, other=y.shape)
    x, y = _promote(x, y)
    return _pnorm((x - y).reshape(-1), float(p.item() if isinstance(p, Tensor) else p))


Tensor.dist = dist
