r"""Counting values into bins, as ``torch.histc`` and ``torch.histogram``: float tensors only,
counts in the input's dtype, no gradient (PyTorch has none either). An element $x$ falls in
bin $k$ when $e_k \le x < e_{k+1}$, the last bin closed on the right ($x = e_n$ counts in
it); elements outside $[e_0, e_n]$ are not counted. Both are Tensor methods too.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from .functions import write_out
from .tensor import Tensor, _tensor_arg, require_float, wrap

__all__ = ["HistogramResult", "histc", "histogram"]


class HistogramResult(NamedTuple):
    """``(hist, bin_edges)`` of :func:`histogram`."""

    hist: Tensor
    bin_edges: Tensor


def _bin_count(bins: Any, who: str) -> int:
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)):
        raise TypeError(f"{who}(): argument 'bins' must be int, not {type(bins).__name__}")
    if bins <= 0:
        raise RuntimeError(f"{who}: bins must be > 0, but got {bins}")
    return int(bins)


def _finite_range(lo: float, hi: float, who: str) -> None:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"{who}: range of [{lo}, {hi}] is not finite")


def histc(
    input: Tensor, bins: int = 100, min: float = 0, max: float = 0, *, out: Tensor | None = None
) -> Tensor:
    r"""The counts of ``input``'s elements in ``bins`` equal bins spanning ``[min, max]``, as
    ``torch.histc``: with ``min == max`` (the default 0, 0) the data's own least and
    greatest values, widened by 1 either way when those are equal too. The bin of $x$ is
    $\lfloor (x - \min) \cdot \text{bins} / (\max - \min) \rfloor$, computed in the
    input's dtype as PyTorch computes it."""
    data = require_float(_tensor_arg(input, "histc", "input"), "histc")._data.reshape(-1)
    bins = _bin_count(bins, "histc")
    lo, hi = float(min), float(max)
    if lo == hi and data.size:
        lo, hi = float(data.min()), float(data.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    _finite_range(lo, hi, "histc")
    if lo > hi:
        raise RuntimeError(f"histc: max must be larger than min, got min {lo} and max {hi}")
    left, right = data.dtype.type(lo), data.dtype.type(hi)
    inside = data[(data >= left) & (data <= right)]
    position = ((inside - left) * data.dtype.type(bins) / (right - left)).astype(np.int64)
    counts = np.bincount(np.minimum(position, bins - 1), minlength=bins)
    return write_out(out, wrap(counts.astype(data.dtype)), "histc")


def _linspace(lo: float, hi: float, steps: int, dtype: np.dtype) -> np.ndarray:
    """PyTorch's ``linspace`` in ``dtype``'s arithmetic: the first half counted up from
    ``lo``, the second half down from ``hi`` (so both ends are exact)."""
    start, end = dtype.type(lo), dtype.type(hi)
    step = (end - start) / dtype.type(steps - 1)
    i = np.arange(steps).astype(dtype)
    return np.where(np.arange(steps) < steps // 2, start + step * i, end - step * (steps - 1 - i))


def _edges(data: np.ndarray, bins: Any, range: Any) -> np.ndarray:
    """The bin edges of ``histogram``: ``bins`` as given (a tensor), or ``bins + 1`` equal
    steps over ``range`` or the data's extent ($[0, 1]$ for no data), widened by 1/2 either
    way where it is a point."""
    if isinstance(bins, Tensor):
        if range is not None:
            raise TypeError("histogram(): range= goes with an int number of bins, not a tensor")
        if bins.ndim != 1 or bins.numel() < 2:
            raise RuntimeError(
                f"histogram: bins must be a 1-D tensor of at least 2 edges, got shape "
                f"{tuple(bins.shape)}"
            )
        if bins._data.dtype != data.dtype:
            raise RuntimeError(
                f"histogram: input and bins must have the same dtype, got {data.dtype} and "
                f"{bins.dtype}"
            )
        return bins._data.copy()
    bins = _bin_count(bins, "histogram")
    if range is not None:
        if len(range) != 2:
            raise RuntimeError(f"histogram: range must have 2 elements (min, max), got {range}")
        lo, hi = (float(v) for v in range)
        if lo > hi:
            raise RuntimeError(f"histogram: min should not exceed max, got range ({lo}, {hi})")
    else:
        lo, hi = (float(data.min()), float(data.max())) if data.size else (0.0, 1.0)
    _finite_range(lo, hi, "histogram")
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    return _linspace(lo, hi, bins + 1, data.dtype)


def histogram(
    input: Tensor,
    bins: int | Tensor,
    *,
    range: tuple[float, float] | None = None,  # noqa: A002  (PyTorch's keyword)
    weight: Tensor | None = None,
    density: bool = False,
    out: tuple[Tensor, Tensor] | None = None,
) -> HistogramResult:
    r"""``(hist, bin_edges)``: the counts of ``input``'s elements in bins, as
    ``torch.histogram``. ``bins`` is a number of equal bins over ``range`` (the data's extent
    by default) or a 1-d tensor of edges. With ``weight`` (of ``input``'s shape and dtype)
    each element counts its weight; with ``density`` the counts are divided by their total
    and the bin widths, so that $\sum_k h_k (e_{k+1} - e_k) = 1$."""
    data = require_float(_tensor_arg(input, "histogram", "input"), "histogram")._data
    edges = _edges(data.reshape(-1), bins, range)
    weights = None
    if weight is not None:
        if _tensor_arg(weight, "histogram", "weight")._data.dtype != data.dtype:
            raise RuntimeError(
                f"histogram: weight must have input's dtype {data.dtype}, got {weight.dtype}"
            )
        if weight.shape != data.shape:
            raise RuntimeError(
                f"histogram: weight must have input's shape {data.shape}, got {weight.shape}"
            )
        weights = weight._data.reshape(-1)
    data = data.reshape(-1)
    n = len(edges) - 1
    inside = (data >= edges[0]) & (data <= edges[-1])
    position = np.clip(np.searchsorted(edges, data[inside], side="right") - 1, 0, n - 1)
    kept = None if weights is None else weights[inside]
    hist = np.bincount(position, weights=kept, minlength=n).astype(data.dtype)
    if density:
        with np.errstate(divide="ignore", invalid="ignore"):  # an empty bin of width 0: NaN
            hist = hist / hist.sum() / np.diff(edges)
    return write_out(out, HistogramResult(wrap(hist), wrap(edges)), "histogram")


Tensor.histc = histc
Tensor.histogram = histogram
