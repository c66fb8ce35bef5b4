r"""Similarity and distance of vectors along a dim: ``cosine_similarity`` and
``pairwise_distance``, composed from ``norm`` and the element-wise ops."""

from __future__ import annotations

import numpy as np

from ...composites import broadcast_tensors
from ...tensor import Tensor, _floating, _tensor_arg, wrap


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    r"""$\sum_d \frac{x_1}{\max(\|x_1\|, \epsilon)} \frac{x_2}{\max(\|x_2\|, \epsilon)}$
    along ``dim`` after broadcasting ``x1`` and ``x2``, as PyTorch's: each vector is divided
    by its norm first (the result stays in $[-1, 1]$), and, as there, the norm's gradient is
    that of the unclamped norm."""
    who = "cosine_similarity"
    x1, x2 = _tensor_arg(x1, who, "x1"), _tensor_arg(x2, who, "x2")
    if x1._data.dtype.kind != "f" and x2._data.dtype.kind != "f":
        raise RuntimeError(
            f"{who}: expected common dtype to be floating point, yet x1 is {x1.dtype} and x2 "
            f"{x2.dtype}"
        )
    x1, x2 = _broadcast_floats(x1, x2, who)
    return ((x1 / _norm_at_least(x1, dim, eps)) * (x2 / _norm_at_least(x2, dim, eps))).sum(dim)


def pairwise_distance(
    x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False
) -> Tensor:
    r"""$\|x_1 - x_2 + \epsilon\|_p$ along the last dim (rows of a batch, or two vectors),
    after broadcasting, as PyTorch's ``pairwise_distance``."""
    who = "pairwise_distance"
    x1, x2 = _broadcast_floats(_tensor_arg(x1, who, "x1"), _tensor_arg(x2, who, "x2"), who)
    return (x1 - x2 + eps).norm(p, -1, keepdim)


def _broadcast_floats(x1: Tensor, x2: Tensor, who: str) -> tuple[Tensor, Tensor]:
    """``x1`` and ``x2`` expanded to their common shape, integers as the default float."""
    try:
        return broadcast_tensors(_floating(x1), _floating(x2))
    except RuntimeError:
        raise RuntimeError(
            f"{who}: the shapes of x1 {tuple(x1.shape)} and x2 {tuple(x2.shape)} do not broadcast"
        ) from None


def _norm_at_least(x: Tensor, dim: int, eps: float) -> Tensor:
    r"""$\max(\|x\|_2, \epsilon)$ along ``dim`` (kept) in value, with the gradient of
    $\|x\|_2$ (PyTorch clamps the norm in place, outside the graph)."""
    norm = x.norm(2, dim, keepdim=True)
    lift = np.maximum(norm._data, eps) - norm._data
    return norm + wrap(lift) if lift.any() else norm
