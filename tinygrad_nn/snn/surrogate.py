r"""Surrogate gradients (Neftci, Mostafa & Zenke 2019), with snnTorch's names and formulas.

A neuron fires when its membrane potential crosses the threshold: the spike is the
Heaviside step $S = \Theta(U - U_{thr})$ of the shifted potential $x = U - U_{thr}$, strictly
($S = 1$ only for $x > 0$, as snnTorch). Its derivative is 0 everywhere except at $x = 0$,
so no error would flow back through a spike. Each node below keeps the step in ``forward``
and puts the derivative $\partial S/\partial x$ of a smooth stand-in in ``backward``:

* ``atan(alpha=2.0)``, the default: $\frac{\alpha/2}{1 + (\frac{\pi}{2}\alpha x)^2}$
* ``fast_sigmoid(slope=25)``: $\frac{1}{(1 + k|x|)^2}$
* ``sigmoid(slope=25)``: $k\,\sigma(kx)\,(1 - \sigma(kx))$
* ``triangular(threshold=1)``: $U_{thr}$ for $x < 0$, $-U_{thr}$ for $x \ge 0$ (snnTorch's)
* ``straight_through_estimator()``: $1$
* ``heaviside()``: $S$ itself

Each function returns the callable a neuron takes as ``spike_grad``. A surrogate of your own
is any callable of the same kind, for instance the ``apply`` of a ``tnn.autograd.Function``
whose forward is the step and whose backward is your derivative.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from .. import checks
from ..function import Function
from ..tensor import Tensor, array_of, wrap

__all__ = [
    "ATan",
    "FastSigmoid",
    "Heaviside",
    "Sigmoid",
    "StraightThroughEstimator",
    "Triangular",
    "atan",
    "fast_sigmoid",
    "heaviside",
    "sigmoid",
    "straight_through_estimator",
    "triangular",
]


class _Spike(Function):
    r"""The forward of every surrogate: $S = [x > 0]$ in the input's float dtype; the input
    and the surrogate's options are kept for ``backward``."""

    def forward(self, x: np.ndarray, **options: float) -> np.ndarray:
        self.saved = (x, *options.values())
        return _step(x)


def _step(x: np.ndarray) -> np.ndarray:
    """$[x > 0]$ in ``x``'s float dtype (float32 for integer input)."""
    return (x > 0).astype(x.dtype if x.dtype.kind == "f" else np.float32)


class ATan(_Spike):
    r"""Step forward; backward $\bar x = \bar S\,\frac{\alpha/2}{1 + (\frac{\pi}{2}\alpha x)^2}$,
    the derivative of $\frac{1}{\pi}\arctan(\frac{\pi}{2}\alpha x)$ (Fang et al. 2021)."""

    def backward(self, g: Any, x: Any, alpha: float) -> tuple[Any]:
        z = x * (math.pi / 2 * alpha)
        return (g * (alpha / 2) / (z * z + 1),)


class FastSigmoid(_Spike):
    r"""Step forward; backward $\bar x = \bar S / (1 + k|x|)^2$, the derivative of the fast
    sigmoid $x / (1 + k|x|)$ (SuperSpike, Zenke & Ganguli 2018)."""

    def backward(self, g: Any, x: Any, slope: float) -> tuple[Any]:
        d = (x.abs() if isinstance(x, Tensor) else np.abs(x)) * slope + 1
        return (g / (d * d),)


class Sigmoid(_Spike):
    r"""Step forward; backward $\bar x = \bar S\,k\,\sigma(kx)\,\sigma(-kx)$, the
    derivative of the logistic $\sigma(kx)$ (notes §3.1), written with $1 - \sigma(kx) =
    \sigma(-kx)$ so that neither tail loses precision or overflows."""

    def backward(self, g: Any, x: Any, slope: float) -> tuple[Any]:
        if isinstance(x, Tensor):
            both = (x * slope).sigmoid() * (x * -slope).sigmoid()
        else:
            e = np.exp(-slope * np.abs(x))  # sigma(kx) sigma(-kx) = e / (1 + e)^2, e <= 1
            both = e / ((1 + e) * (1 + e))
        return (g * slope * both,)


class Triangular(_Spike):
    r"""Step forward; backward $\bar x = \bar S\,U_{thr}$ where $x < 0$ and
    $-\bar S\,U_{thr}$ where $x \ge 0$, exactly as snnTorch's ``Triangular``."""

    def backward(self, g: Any, x: Any, threshold: float) -> tuple[Any]:
        sign = np.where(array_of(x) >= 0, -threshold, threshold).astype(array_of(x).dtype)
        return (g * (wrap(sign) if isinstance(g, Tensor) else sign),)


class StraightThroughEstimator(_Spike):
    r"""Step forward; backward $\bar x = \bar S$ (the step treated as the identity)."""

    saves_inputs = False

    def forward(self, x: np.ndarray) -> np.ndarray:
        return _step(x)

    def backward(self, g: Any) -> tuple[Any]:
        return (g,)


class Heaviside(_Spike):
    r"""Step forward; backward $\bar x = \bar S\,S$: the gradient passes where the neuron
    fired (snnTorch's ``heaviside``)."""

    output_saved_at = 0
    saves_inputs = False

    def forward(self, x: np.ndarray) -> np.ndarray:
        out = _step(x)
        self.saved = (out,)
        return out

    def backward(self, g: Any, out: Any) -> tuple[Any]:
        return (g * out,)


SpikeFn = Callable[[Tensor], Tensor]


def atan(alpha: float = 2.0) -> SpikeFn:
    r"""The arctan surrogate (the neurons' default): $S = [x > 0]$,
    $\partial S/\partial x = \frac{\alpha/2}{1 + (\frac{\pi}{2}\alpha x)^2}$."""
    return partial(ATan.apply, alpha=checks.positive("surrogate.atan: alpha", alpha))


def fast_sigmoid(slope: float = 25) -> SpikeFn:
    r"""The fast-sigmoid surrogate: $S = [x > 0]$, $\partial S/\partial x = 1/(1 + k|x|)^2$."""
    return partial(FastSigmoid.apply, slope=checks.positive("surrogate.fast_sigmoid: slope", slope))


def sigmoid(slope: float = 25) -> SpikeFn:
    r"""The sigmoid surrogate: $S = [x > 0]$,
    $\partial S/\partial x = k\,\sigma(kx)(1 - \sigma(kx))$."""
    return partial(Sigmoid.apply, slope=checks.positive("surrogate.sigmoid: slope", slope))


def triangular(threshold: float = 1) -> SpikeFn:
    r"""The triangular surrogate: $S = [x > 0]$, $\partial S/\partial x = U_{thr}$ for
    $x < 0$ and $-U_{thr}$ for $x \ge 0$ (snnTorch's formula, sign included)."""
    threshold = checks.in_range("surrogate.triangular: threshold", threshold)
    return partial(Triangular.apply, threshold=threshold)


def straight_through_estimator() -> SpikeFn:
    r"""The straight-through estimator: $S = [x > 0]$, $\partial S/\partial x = 1$."""
    return partial(StraightThroughEstimator.apply)


def heaviside() -> SpikeFn:
    r"""The step with its own mask as gradient: $S = [x > 0]$, $\partial S/\partial x = S$."""
    return partial(Heaviside.apply)


def is_builtin(spike_grad: Any) -> bool:
    """Whether ``spike_grad`` is one of the functions above, whose forward is the plain step
    $[x > 0]$ (so that a layer may compute its detached reset without running it)."""
    fn = getattr(spike_grad, "func", None) if isinstance(spike_grad, partial) else None
    owner = getattr(fn, "__self__", None)
    return isinstance(owner, type) and issubclass(owner, _Spike)
