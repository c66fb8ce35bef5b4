r"""The activations of modern networks: ``gelu``, ``silu``, ``elu``, ``mish``, the clipped
``hardtanh`` and ``relu6``, the learnable ``prelu``, composed from the primitive ops (their
gradients follow by the chain rule)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ... import ops
from ...tensor import Tensor, require_float, where, wrap


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


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    r"""Sigmoid linear unit (swish) $x\,\sigma(x)$; ``inplace`` writes into ``input``."""
    require_float(input, "silu")
    return _maybe_in_place(input, inplace, lambda x: x * x.sigmoid(), "silu_")


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    r"""Exponential linear unit: $x$ for $x > 0$, else $\alpha(e^x - 1)$; ``inplace``
    writes into ``input``."""
    require_float(input, "elu")

    def compute(x: Tensor) -> Tensor:
        negative = (x.minimum(0.0).exp() - 1) * alpha  # exp of min(x, 0): never overflows
        return where(x._data > 0, x, negative)

    return _maybe_in_place(input, inplace, compute, "elu_")


def hardtanh(
    input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False
) -> Tensor:
    r"""$x$ clipped to $[\text{min\_val}, \text{max\_val}]$; as PyTorch's, the gradient
    passes only strictly inside (0 at the bounds, where ``clamp``'s passes). Integer inputs
    keep their dtype; ``inplace`` writes into ``input``."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")

    def compute(x: Tensor) -> Tensor:
        a = x._data
        clipped = wrap(np.clip(a, min_val, max_val).astype(a.dtype))
        return where((a > min_val) & (a < max_val), x, clipped)

    return _maybe_in_place(input, inplace, compute, "hardtanh_")


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    r"""$\min(\max(0, x), 6)$: ``hardtanh(input, 0, 6)``."""
    return hardtanh(input, 0.0, 6.0, inplace)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    r"""Mish (Misra, 2019): $x \tanh(\mathrm{softplus}(x)) = x \tanh(\log(1 + e^x))$;
    float inputs only, as PyTorch's."""
    require_float(input, "mish")
    return _maybe_in_place(input, inplace, lambda x: x * x.softplus().tanh(), "mish_")


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    r"""Parametric ReLU: $x$ for $x > 0$, else $a_c x$ with the learnable slope $a_c$ of
    channel $c$ (dim 1; ``weight`` holds one slope, or one per channel)."""
    channels = input.shape[1] if input.ndim >= 2 else 1
    if weight.numel() not in (1, channels):
        raise RuntimeError(
            "Mismatch of parameter numbers and input channel size. Found parameter numbers = "
            f"{weight.numel()} and channel size = {channels}."
        )
    if weight.numel() == 1:
        slope = weight.reshape(())
    else:
        slope = weight.reshape((channels,) + (1,) * (input.ndim - 2))
    return where(input._data > 0, input, slope * input)


def _maybe_in_place(input: Tensor, inplace: bool, compute: Any, name: str) -> Tensor:
    """``compute(input)``, or with ``inplace`` its value written into ``input`` (recorded as
    an in-place op when a gradient flows through, as PyTorch's ``inplace=True``)."""
    if not inplace:
        return compute(input)
    if not input._in_graph():
        return input._overwrite(compute(input)._data, name)
    return input._update(name, compute, True)
