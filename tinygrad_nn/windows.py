r"""Window functions for spectral analysis, as ``torch.hann_window`` and its siblings: $w_n$
for $n = 0 \dots N-1$ with $M = N$ (``periodic=False``, symmetric) or $M = N + 1$
(``periodic=True``, the default: the symmetric window of $N + 1$ points without its last),

* Hann $\tfrac12 - \tfrac12\cos\frac{2\pi n}{M-1}$, Hamming $\alpha - \beta\cos\frac{2\pi n}{M-1}$,
* Bartlett $1 - \left|\frac{2n}{M-1} - 1\right|$,
* Blackman $0.42 - 0.5\cos\frac{2\pi n}{M-1} + 0.08\cos\frac{4\pi n}{M-1}$,
* Kaiser $I_0\!\big(\beta\sqrt{1 - (\frac{2n}{M-1} - 1)^2}\big) / I_0(\beta)$.

A window of one point is ``[1.]``, of none empty. The dtype is the default float dtype.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import checks, dtypes
from .tensor import Tensor, leaf

__all__ = ["hann_window", "hamming_window", "bartlett_window", "blackman_window", "kaiser_window"]


def _window(
    who: str, n: int, periodic: bool, dtype: Any, requires_grad: bool, shape: Callable
) -> Tensor:
    n = checks.integer(f"{who}: window_length", n, minimum=0)
    if n <= 1:
        values = np.ones(n)
    else:
        m = n + 1 if periodic else n
        values = shape(np.arange(m) / (m - 1))[:n]  # the phase 2n/(M-1) / 2, in [0, 1]
    out = values.astype(dtypes.resolve(dtype))
    if out.dtype.kind != "f":
        raise RuntimeError(f"{who} expects floating point dtypes, got {out.dtype}")
    return leaf(out, requires_grad)


def hann_window(
    window_length: int, periodic: bool = True, *, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """The Hann window (see the module)."""
    return _window(
        "hann_window",
        window_length,
        periodic,
        dtype,
        requires_grad,
        lambda t: 0.5 - 0.5 * np.cos(2 * np.pi * t),
    )


def hamming_window(
    window_length: int,
    periodic: bool = True,
    alpha: float = 0.54,
    beta: float = 0.46,
    *,
    dtype: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The Hamming window (see the module)."""
    return _window(
        "hamming_window",
        window_length,
        periodic,
        dtype,
        requires_grad,
        lambda t: alpha - beta * np.cos(2 * np.pi * t),
    )


def bartlett_window(
    window_length: int, periodic: bool = True, *, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """The Bartlett (triangular) window (see the module)."""
    return _window(
        "bartlett_window",
        window_length,
        periodic,
        dtype,
        requires_grad,
        lambda t: 1 - np.abs(2 * t - 1),
    )


def blackman_window(
    window_length: int, periodic: bool = True, *, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """The Blackman window (see the module)."""
    return _window(
        "blackman_window",
        window_length,
        periodic,
        dtype,
        requires_grad,
        lambda t: 0.42 - 0.5 * np.cos(2 * np.pi * t) + 0.08 * np.cos(4 * np.pi * t),
    )


def kaiser_window(
    window_length: int,
    periodic: bool = True,
    beta: float = 12.0,
    *,
    dtype: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The Kaiser window (see the module)."""
    return _window(
        "kaiser_window",
        window_length,
        periodic,
        dtype,
        requires_grad,
        lambda t: np.i0(beta * np.sqrt(np.clip(1 - (2 * t - 1) ** 2, 0, None))) / np.i0(beta),
    )
