"""Samples from distributions whose parameters are tensors, as PyTorch's ``bernoulli``,
``multinomial`` and ``poisson``, and ``randint_like``. They draw from ``generator`` or the
global generator (``tnn.manual_seed``); no gradient flows through a sample (PyTorch's is
zero).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .random import resolve_generator
from .tensor import Tensor, _tensor_arg, wrap

__all__ = ["bernoulli", "multinomial", "poisson", "randint_like"]


def _probabilities(p: np.ndarray, who: str) -> None:
    if not np.all((p >= 0) & (p <= 1)):  # NaN fails both
        raise RuntimeError(
            f"{who}: probabilities must be in [0, 1], got {p[~((p >= 0) & (p <= 1))][0]}"
        )


def bernoulli(input: Tensor, p: float | None = None, *, generator: Any = None) -> Tensor:
    """0 or 1 with probability ``input`` of 1 (or ``p`` everywhere, when given), in the
    dtype of ``input``, which must be floating point."""
    x = _tensor_arg(input, "bernoulli", "input")._data
    if x.dtype.kind != "f":
        raise NotImplementedError(f"bernoulli: not implemented for {x.dtype} tensors (floats only)")
    prob = x if p is None else np.full(x.shape, p, x.dtype)
    _probabilities(np.asarray(prob), "bernoulli")
    gen = resolve_generator(generator, "bernoulli")
    return wrap(np.asarray(gen.random(x.shape) < prob).astype(x.dtype))


def multinomial(
    input: Tensor, num_samples: int, replacement: bool = False, *, generator: Any = None
) -> Tensor:
    r"""``num_samples`` category indices (int64) per row of the non-negative weights
    ``input`` (1-d, or 2-d: one row per distribution), drawn with probability $w_k / \sum w$.
    Without replacement each index appears at most once, as PyTorch draws them: the
    ``num_samples`` largest $w_k / e_k$ for exponential samples $e_k$ (categories of weight
    0 come last)."""
    w = _tensor_arg(input, "multinomial", "input")._data
    if w.ndim not in (1, 2):
        raise RuntimeError(f"multinomial: prob_dist must be 1 or 2 dim, got shape {w.shape}")
    if w.dtype.kind != "f":
        raise RuntimeError(f"multinomial: weights must be floating point, got {w.dtype}")
    if not np.all(np.isfinite(w) & (w >= 0)):
        raise RuntimeError(
            "multinomial: probability tensor contains either inf, nan or element < 0"
        )
    rows = w.reshape(-1, w.shape[-1]).astype(np.float64)
    if np.any(rows.sum(-1) <= 0):
        raise RuntimeError(
            "multinomial: invalid multinomial distribution (sum of probabilities <= 0)"
        )
    n = rows.shape[-1]
    if num_samples <= 0:
        raise RuntimeError(f"multinomial: cannot sample n_sample <= 0 samples, got {num_samples}")
    if not replacement and num_samples > n:
        raise RuntimeError(
            f"multinomial: cannot sample n_sample > prob_dist.size(-1) samples without "
            f"replacement ({num_samples} > {n})"
        )
    gen = resolve_generator(generator, "multinomial")
    if replacement:
        cdf = np.cumsum(rows, -1)
        u = gen.random((len(rows), num_samples)) * cdf[:, -1:]
        out = np.stack([np.searchsorted(c, v, side="right") for c, v in zip(cdf, u)])
        out = np.minimum(out, n - 1)  # u = total after rounding
    else:
        keys = rows / gen.exponential(size=rows.shape)
        out = np.argsort(-keys, axis=-1, kind="stable")[:, :num_samples]
    return wrap(out.reshape(w.shape[:-1] + (num_samples,)).astype(np.int64))


def poisson(input: Tensor, generator: Any = None) -> Tensor:
    """Poisson samples with the rates ``input`` (non-negative), in its dtype."""
    rate = _tensor_arg(input, "poisson", "input")._data
    if not np.all(rate >= 0):
        raise RuntimeError("poisson: rates must be non-negative")
    gen = resolve_generator(generator, "poisson")
    return wrap(gen.poisson(rate).astype(rate.dtype))


def randint_like(
    input: Tensor, low: int = 0, high: int | None = None, *, dtype: Any = None
) -> Tensor:
    """Integers uniform in ``[low, high)`` (``randint_like(input, high)``: ``low = 0``) of
    the shape of ``input`` and its dtype (or ``dtype``)."""
    x = _tensor_arg(input, "randint_like", "input")._data
    if high is None:
        low, high = 0, low
    data = resolve_generator(None, "randint_like").integers(low, high, size=x.shape)
    return wrap(data.astype(x.dtype if dtype is None else np.dtype(dtype)))
