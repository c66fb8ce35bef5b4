r"""The smooth activations of modern networks: ``gelu``, ``silu``, ``elu``, composed from
the primitive ops (their gradients follow by the chain rule)."""

from __future__ import annotations

import math

from ... import ops
from ...tensor import Tensor, require_float, where


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    r"""Gaussian error linear unit $x\,\Phi(x) = \frac{x}{2}(1 + \mathrm{erf}(x/\sqrt2))$
    (Hendrycks & Gimpel, 2016); ``approximate="tanh"`` gives
    $\frac{x}{2}(1 + \tanh(\sqrt{2/\pi}(x + 0.044715 x^3)))$. Float inputs only, as
    PyTorch's (so are ``silu`` and ``elu``)."""
    require_float(input, "gelu")
    if approximate == "none":
        return input * 0.5 * (ops.Erf.apply(input * (1 / math.sqrt(2))) + 1)
    if approximate == "tanh":
        inner = (input + input * input * input * 0.044715) * math.sqrt(2 / math.pi)
        return input * 0.5 * (inner.tanh() + 1)
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def silu(input: Tensor) -> Tensor:
    r"""Sigmoid linear unit (swish) $x\,\sigma(x)$."""
    require_float(input, "silu")
    return input * input.sigmoid()


def elu(input: Tensor, alpha: float = 1.0) -> Tensor:
    r"""Exponential linear unit: $x$ for $x > 0$, else $\alpha(e^x - 1)$."""
    require_float(input, "elu")
    negative = (input.minimum(0.0).exp() - 1) * alpha  # exp of min(x, 0): never overflows
    return where(input._data > 0, input, negative)
