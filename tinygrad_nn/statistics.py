r"""Covariance and correlation of variables observed together, as ``torch.cov`` and
``torch.corrcoef``: the rows of the input are the variables, the columns the observations.
Composed of Tensor ops, so the gradient comes with them.

With observation weights $w_j$ (``fweights`` times ``aweights``) and
$\bar x_i = \sum_j w_j x_{ij} / \sum_j w_j$,

$$C_{ik} = \frac{\sum_j w_j (x_{ij} - \bar x_i)(x_{kj} - \bar x_k)}{W - c\,A / W},
\qquad W = \sum_j w_j,\quad A = \sum_j w_j a_j,$$

where $c$ is the ``correction`` (1: Bessel's) and $a_j$ the ``aweights`` ($A / W = 1$
without them). The correlation is $C_{ik} / \sqrt{C_{ii} C_{kk}}$, clipped to $[-1, 1]$.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import Tensor, _floating, _tensor_arg

__all__ = ["cov", "corrcoef"]


def _weights(w: Any, n: int, name: str, integer: bool) -> Tensor | None:
    if w is None:
        return None
    w = _tensor_arg(w, "cov", name)
    if w.ndim > 1 or w.numel() != n:
        raise RuntimeError(
            f"cov(): expected {name} to have one dimension and {n} elements (the number of "
            f"observations), got shape {tuple(w.shape)}"
        )
    if integer and w.dtype.kind not in "iu":
        raise RuntimeError(f"cov(): expected fweights to have integral dtype, got {w.dtype}")
    if not integer and w.dtype.kind != "f":
        raise RuntimeError(f"cov(): expected aweights to have floating point dtype, got {w.dtype}")
    if (w._data < 0).any():
        raise RuntimeError(f"cov(): {name} cannot be negative")
    return w.reshape(-1)


def cov(
    input: Tensor,
    *,
    correction: int = 1,
    fweights: Tensor | None = None,
    aweights: Tensor | None = None,
) -> Tensor:
    """The covariance matrix of the variables in the rows of ``input`` (a 1-d input is one
    variable, and gives a 0-d result), as ``torch.cov``."""
    x = _floating(_tensor_arg(input, "cov", "input"))
    if x.ndim > 2:
        raise RuntimeError(
            f"cov(): expected input to have two or fewer dimensions but got an input with "
            f"{x.ndim} dimensions"
        )
    x = x.reshape(1, -1) if x.ndim < 2 else x
    n = x.shape[1]
    f, a = _weights(fweights, n, "fweights", True), _weights(aweights, n, "aweights", False)
    w = a if f is None else f.to(x.dtype) if a is None else f.to(x.dtype) * a
    if w is None:
        mean, total, norm = x.mean(1, keepdim=True), None, n - correction
    else:
        total = w.sum()
        mean = (x * w).sum(1, keepdim=True) / total
        norm = total - (correction * (w * a).sum() / total if a is not None else correction)
    centred = x - mean
    weighted = centred if w is None else centred * w
    norm = np.maximum(norm, 0) if not isinstance(norm, Tensor) else norm.clamp(min=0)
    return (weighted @ centred.mT / norm).squeeze()


def corrcoef(input: Tensor) -> Tensor:
    """The correlation coefficients of the variables in the rows of ``input``, as
    ``torch.corrcoef``."""
    c = cov(input)
    if c.ndim == 0:
        return c / c
    std = c.diag().sqrt()
    return (c / std.reshape(-1, 1) / std.reshape(1, -1)).clamp(-1, 1)


for _function in (cov, corrcoef):
    setattr(Tensor, _function.__name__, _function)
