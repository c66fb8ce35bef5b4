r"""The activations of modern networks: ``gelu``, ``silu``, ``elu``, ``selu``, ``celu``,
``mish``, ``glu``, the clipped ``hardtanh``, ``relu6``, ``hardsigmoid`` and ``hardswish``, the
shrinkages, ``threshold``, the learnable ``prelu`` and the randomised ``rrelu``, composed from
the primitive ops (their gradients follow by the chain rule)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ... import ops
from ...random import default_generator
from ...tensor import Tensor, require_float, where, wrap

#: SELU's constants (Klambauer et al., 2017): the fixed point of mean 0 and variance 1.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


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
    return _maybe_in_place(input, inplace, lambda x: _exponential_linear(x, alpha, 1.0), "elu_")


def _exponential_linear(x: Tensor, alpha: float, beta: float) -> Tensor:
    r"""$x$ for $x > 0$, else $\alpha(e^{\beta x} - 1)$ (elu, celu, selu)."""
    positive = x._data > 0
    negative = where(positive, 0.0, x)  # its exp never overflows; the full gradient at 0
    scaled = negative if beta == 1.0 else negative * beta
    return where(positive, x, (scaled.exp() - 1) * alpha)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    r"""Scaled ELU $\lambda\,\mathrm{elu}(x, \alpha)$ with $\alpha \approx 1.6733$ and
    $\lambda \approx 1.0507$ (self-normalising: keeps activations near mean 0, variance 1)."""
    require_float(input, "selu")
    return _maybe_in_place(
        input, inplace, lambda x: _exponential_linear(x, SELU_ALPHA, 1.0) * SELU_SCALE, "selu_"
    )


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    r"""Continuously differentiable ELU: $x$ for $x > 0$, else $\alpha(e^{x/\alpha} - 1)$."""
    require_float(input, "celu")
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _maybe_in_place(
        input, inplace, lambda x: _exponential_linear(x, alpha, 1 / alpha), "celu_"
    )


def glu(input: Tensor, dim: int = -1) -> Tensor:
    r"""Gated linear unit: $a \otimes \sigma(b)$, with $a$ and $b$ the two halves of
    ``input`` along ``dim`` (whose size must be even)."""
    require_float(input, "glu")
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    size = input.shape[dim]
    if size % 2:
        raise RuntimeError(
            f"Halving dimension must be even, but dimension {dim} of input shape "
            f"{input.shape} is size {size}"
        )
    a, b = input.split(size // 2, dim)
    return a * b.sigmoid()


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


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    r"""Piecewise-linear sigmoid $\mathrm{relu6}(x + 3)/6$: 0 below -3, 1 above 3; the
    gradient $1/6$ passes strictly inside, as PyTorch's."""
    require_float(input, "hardsigmoid")
    return _maybe_in_place(input, inplace, lambda x: hardtanh(x + 3, 0.0, 6.0) / 6, "hardsigmoid_")


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    r"""$x\,\mathrm{relu6}(x + 3)/6$ (Howard et al., 2019): 0 up to -3, $x$ from 3 on, and
    $x(x+3)/6$ between, whose derivative is $x/3 + 1/2$ (PyTorch's choice at the ends: 0 at
    -3, 1 at 3)."""
    require_float(input, "hardswish")

    def compute(x: Tensor) -> Tensor:
        a = x._data
        return where(a >= 3, x, where(a <= -3, 0.0, x * (x + 3) / 6))

    return _maybe_in_place(input, inplace, compute, "hardswish_")


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    r"""$x$ where $|x| > \lambda$, else 0."""
    require_float(input, "hardshrink")
    return where(input.abs()._data > lambd, input, 0.0)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    r"""Soft thresholding: $x - \lambda$ above $\lambda$, $x + \lambda$ below $-\lambda$,
    else 0."""
    require_float(input, "softshrink")
    if lambd < 0:
        raise RuntimeError(f"softshrink: lambda must be in range [0, inf), but found {lambd}")
    a = input._data
    return where(a > lambd, input - lambd, where(a < -lambd, input + lambd, 0.0))


def softsign(input: Tensor) -> Tensor:
    r"""$x / (1 + |x|)$: values in $(-1, 1)$, approached polynomially (not exponentially)."""
    return input / (input.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:
    r"""$x - \tanh x$."""
    return input - input.tanh()


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    r"""$x$ where $x > \text{threshold}$, else ``value`` (the gradient passes only where $x$
    is kept); integer inputs keep their dtype."""

    def compute(x: Tensor) -> Tensor:
        a = x._data
        return where(a > threshold, x, wrap(np.full(a.shape, value).astype(a.dtype)))

    return _maybe_in_place(input, inplace, compute, "threshold_")


def rrelu(
    input: Tensor,
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    inplace: bool = False,
) -> Tensor:
    r"""Randomised leaky ReLU (Xu et al., 2015): $x$ for $x > 0$, else $a x$, with a slope
    $a \sim U(\text{lower}, \text{upper})$ drawn per element in training and the mean
    $(\text{lower} + \text{upper})/2$ in eval."""
    require_float(input, "rrelu")
    if lower > upper:
        raise RuntimeError(
            "rrelu: Lower bound should be less than or equal to the upper bound, got "
            f"lower={lower} and upper={upper}"
        )
    if training:
        slope = wrap(default_generator().uniform(lower, upper, input.shape).astype(input.dtype))
    else:
        slope = (lower + upper) / 2
    return _maybe_in_place(input, inplace, lambda x: where(x._data > 0, x, x * slope), "rrelu_")


def gumbel_softmax(
    logits: Tensor, tau: float = 1.0, hard: bool = False, eps: float = 1e-10, dim: int = -1
) -> Tensor:
    r"""A sample of the Gumbel-softmax (concrete) distribution (Jang et al., 2017):
    $\mathrm{softmax}((z + g)/\tau)$ along ``dim`` with Gumbel noise $g = -\log e$,
    $e \sim \mathrm{Exp}(1)$. With ``hard`` the one-hot of its argmax, whose gradient is the
    soft sample's (straight-through: $y_\text{hard} - \mathrm{sg}(y) + y$). ``eps`` is
    unused, as in PyTorch."""
    if logits.dtype.kind != "f":
        raise RuntimeError(f"gumbel_softmax: logits must be floating point, got {logits.dtype}")
    noise = -np.log(default_generator().exponential(1.0, logits.shape))
    soft = ((logits + wrap(noise.astype(logits.dtype))) / tau).softmax(dim)
    if not hard:
        return soft
    values = np.atleast_1d(soft._data)
    axis = dim % values.ndim
    one_hot = np.zeros_like(values)
    np.put_along_axis(one_hot, np.expand_dims(values.argmax(axis), axis), 1, axis)
    return wrap(one_hot.reshape(soft.shape)) - soft.detach() + soft


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
