r"""PyTorch's ``torch.special``: the special functions under their ``special`` names, as
``tnn.special.expit(x)``. Most are the Tensor methods of the same maths (``expit`` is
``sigmoid``); ``entr`` is an op of its own and ``ndtr`` is written with ``erfc``. Integer and
bool inputs give the default float dtype, as in PyTorch.
"""

from __future__ import annotations

import math
from typing import Any

from . import ops
from .functions import erf, erfc, exp2, expm1, log1p, logit, sinc, write_out, xlogy
from .tensor import Tensor, _floating, _tensor_arg

__all__ = [
    "entr",
    "erf",
    "erfc",
    "exp2",
    "expit",
    "expm1",
    "log1p",
    "log_softmax",
    "logit",
    "logsumexp",
    "ndtr",
    "sinc",
    "softmax",
    "xlogy",
]


def expit(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    r"""The logistic $\sigma(x) = 1 / (1 + e^{-x})$, as ``torch.special.expit``: ``sigmoid``."""
    return write_out(out, _tensor_arg(input, "expit", "input").sigmoid(), "expit")


def entr(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    r"""The entropy term $-x \ln x$ for $x > 0$, 0 at $x = 0$, $-\infty$ for $x < 0$, as
    ``torch.special.entr``: $\sum_i$ ``entr(p)`` is the entropy of a distribution $p$."""
    x = _floating(_tensor_arg(input, "entr", "input"))
    return write_out(out, ops.Entr.apply(x), "entr")


def ndtr(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    r"""The standard normal distribution function
    $\Phi(x) = \frac12 \operatorname{erfc}(-x / \sqrt 2)$, as ``torch.special.ndtr``."""
    x = _tensor_arg(input, "ndtr", "input")
    return write_out(out, (x * -math.sqrt(0.5)).erfc() * 0.5, "ndtr")


def softmax(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """``input.softmax(dim, dtype)``, as ``torch.special.softmax`` (``dim`` required)."""
    return _tensor_arg(input, "softmax", "input").softmax(dim, dtype)


def log_softmax(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """``input.log_softmax(dim, dtype)``, as ``torch.special.log_softmax`` (``dim``
    required)."""
    return _tensor_arg(input, "log_softmax", "input").log_softmax(dim, dtype)


def logsumexp(
    input: Tensor, dim: Any, keepdim: bool = False, *, out: Tensor | None = None
) -> Tensor:
    r"""$\log \sum_i e^{x_i}$ over ``dim``, as ``torch.special.logsumexp`` (``dim``
    required)."""
    result = _tensor_arg(input, "logsumexp", "input").logsumexp(dim, keepdim)
    return write_out(out, result, "logsumexp")
