r"""Order statistics and the reductions that skip NaN, as PyTorch's: ``median``,
``nanmedian``, ``mode``, ``kthvalue``, ``quantile``, ``nanquantile``, ``nansum``, ``nanmean``,
``cummax``, ``cummin``, ``logcumsumexp``, ``aminmax`` and ``msort``, as functions and as
Tensor methods.

The chosen elements are found on the array (a stable sort, NaN largest, as
``Tensor.sort``) and taken with ``gather``, so the gradient goes to the element selected;
``quantile`` weights the two order statistics around $q(n - 1)$ with ``lerp``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import ops
from .tensor import Tensor, _axes, _dim, _reduced_axes, _tensor_arg, numpy_names, where, wrap

__all__ = [
    "ValuesIndices",
    "MinMax",
    "median",
    "nanmedian",
    "mode",
    "kthvalue",
    "quantile",
    "nanquantile",
    "nansum",
    "nanmean",
    "cummax",
    "cummin",
    "logcumsumexp",
    "aminmax",
    "msort",
]

_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


class ValuesIndices(NamedTuple):
    """What ``median``, ``nanmedian``, ``mode``, ``kthvalue``, ``cummax`` and ``cummin``
    along a dim return, as PyTorch's ``torch.return_types``: ``values`` and their int64
    ``indices`` along the dim."""

    values: Tensor
    indices: Tensor


class MinMax(NamedTuple):
    """What ``aminmax`` returns, as ``torch.return_types.aminmax``."""

    min: Tensor
    max: Tensor


def _ordered(input: Tensor, who: str) -> Tensor:
    """``input``, refused with PyTorch's NotImplementedError when it holds bools."""
    if _tensor_arg(input, who, "input")._data.dtype == np.bool_:
        raise NotImplementedError(f"{who}: not implemented for bool tensors, as in PyTorch")
    return input


def _pick(input: Tensor, dim: int, keepdim: bool, position: Any, who: str) -> ValuesIndices:
    """The element at the place ``position(sorted, axis)`` (an int array of the keepdim
    shape) of the stable ascending order along ``dim``, and its index."""
    x = _ordered(input, who)
    axis = _dim(dim, max(x.ndim, 1), who)
    flat = x.reshape(1) if x.ndim == 0 else x
    if flat.shape[axis] == 0:
        raise IndexError(f"{who}(): Expected reduction dim {axis} to have non-zero size.")
    order = np.argsort(flat._data, axis, kind="stable")
    ranked = np.take_along_axis(flat._data, order, axis)
    index = np.take_along_axis(order, position(ranked, axis), axis).astype(np.int64)
    values = flat.gather(axis, wrap(index))
    if x.ndim == 0:
        return ValuesIndices(values.reshape(()), wrap(index.reshape(())))
    if not keepdim:
        values, index = values.squeeze(axis), index.squeeze(axis)
    return ValuesIndices(values, wrap(index))


def _median_place(skip_nan: bool) -> Any:
    """The place of the lower median in a sorted slice: among its non-NaN values with
    ``skip_nan``; else the first NaN when it holds one (the median is NaN, as PyTorch's)."""

    def position(ranked: np.ndarray, axis: int) -> np.ndarray:
        valid = (~np.isnan(ranked)).sum(axis, keepdims=True) if ranked.dtype.kind == "f" else None
        n = ranked.shape[axis]
        if valid is None:
            return np.full(_kept(ranked.shape, axis), (n - 1) // 2)
        if skip_nan:  # all NaN: the middle NaN, as PyTorch
            return np.where(valid > 0, valid - 1, n - 1) // 2
        return np.where(valid < n, valid, (n - 1) // 2)

    return position


def _kept(shape: tuple[int, ...], axis: int) -> tuple[int, ...]:
    return shape[:axis] + (1,) + shape[axis + 1 :]


def _whole(input: Tensor, skip_nan: bool, who: str) -> Tensor:
    """The lower median of all elements; its gradient is shared by the elements equal to it
    (the NaNs when it is NaN), as PyTorch's."""
    x = _ordered(input, who)
    a = x._data.reshape(-1)
    if a.size == 0:
        return wrap(np.array(np.nan, a.dtype if a.dtype.kind == "f" else np.float32))
    ranked = np.sort(a)
    value = ranked[_median_place(skip_nan)(ranked, 0)[0]]
    if a.dtype.kind != "f":
        return wrap(np.asarray(value))
    chosen = np.isnan(x._data) if np.isnan(value) else x._data == value
    return where(chosen, x, -np.inf).max()


@numpy_names
def median(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    """The lower median of all elements (NaN if any is NaN); with ``dim`` the medians along
    it and their indices, ``(values, indices)``, as ``torch.median``. The gradient goes to
    the median element (shared among equal ones for the median of all elements)."""
    if dim is None:
        return _whole(input, False, "median")
    return _pick(input, dim, keepdim, _median_place(False), "median")


@numpy_names
def nanmedian(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    """``median`` of the non-NaN elements (NaN where all are NaN), as ``torch.nanmedian``."""
    if dim is None:
        return _whole(input, True, "nanmedian")
    return _pick(input, dim, keepdim, _median_place(True), "nanmedian")


@numpy_names
def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> ValuesIndices:
    """The ``k``-th smallest element along ``dim`` (``k`` from 1) and its index, as
    ``torch.kthvalue``; the gradient goes to that element."""
    x = _ordered(input, "kthvalue")
    n = x.shape[_dim(dim, max(x.ndim, 1), "kthvalue")] if x.ndim else 1
    if not 1 <= k <= n:
        raise RuntimeError(
            f"kthvalue(): selected number k = {k} out of range for dimension {dim} of size {n}"
        )
    return _pick(x, dim, keepdim, lambda r, a: np.full(_kept(r.shape, a), k - 1), "kthvalue")


@numpy_names
def mode(input: Tensor, dim: int = -1, keepdim: bool = False) -> ValuesIndices:
    """The most frequent value along ``dim`` (the smallest among equally frequent ones) and
    the index of its last occurrence, as ``torch.mode``; the gradient goes to that element."""

    def position(ranked: np.ndarray, axis: int) -> np.ndarray:
        r = np.moveaxis(ranked, axis, -1)
        n = r.shape[-1]
        starts = np.ones(r.shape, bool)
        starts[..., 1:] = (r[..., 1:] != r[..., :-1]) & (r[..., 1:] == r[..., 1:])  # NaNs alike
        run = np.maximum.accumulate(np.where(starts, np.arange(n), 0), -1)  # a run's first place
        length = np.arange(n) - run + 1
        ends = np.ones(r.shape, bool)  # the last place of each run holds its length
        ends[..., :-1] = starts[..., 1:]
        best = np.argmax(np.where(ends, length, 0), -1)  # the first longest: smallest value
        return np.expand_dims(best, axis)

    return _pick(input, dim, keepdim, position, "mode")


def _quantile(
    input: Tensor, q: Any, dim: int | None, keepdim: bool, interpolation: str, who: str
) -> Tensor:
    r"""The ``q``-quantiles along ``dim`` (of all elements when None): the order statistics
    at $q(n - 1)$, interpolated as ``interpolation`` says; with ``who == "nanquantile"`` $n$
    counts the non-NaN elements of each slice."""
    x = _tensor_arg(input, who, "input")
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"{who}() input tensor must be either float or double dtype")
    if x._data.size == 0:
        raise RuntimeError(f"{who}() input tensor must be non-empty")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(
            f"{who}() interpolation must be one of linear, lower, higher, midpoint or nearest, "
            f"but got {interpolation}"
        )
    if isinstance(q, Tensor):
        if q.ndim > 1:
            raise RuntimeError(f"{who}() q must be a scalar or 1D tensor")
        if q._data.dtype != x._data.dtype:
            raise RuntimeError(f"{who}() q tensor must be same dtype as the input tensor")
        qs = q._data
    elif isinstance(q, (int, float)) and not isinstance(q, bool):
        qs = np.asarray(q, np.float64)
    else:
        raise TypeError(f"{who}(): q must be a float or a Tensor, got {type(q).__name__}")
    if ((qs < 0) | (qs > 1) | np.isnan(qs)).any():
        raise RuntimeError(f"{who}() q must be in the range [0, 1] but got {qs.tolist()}")
    flat = x.reshape(-1) if dim is None else x.reshape(1) if x.ndim == 0 else x
    axis = 0 if dim is None else _dim(dim, max(x.ndim, 1), who)
    ranked = flat.sort(axis).values  # NaN last
    n = flat.shape[axis]
    valid = (~np.isnan(ranked._data)).sum(axis, keepdims=True)
    count = valid if who == "nanquantile" else np.where(valid < n, 0, n)  # 0: a NaN result
    along = (1,) * axis + (-1,) + (1,) * (flat.ndim - axis - 1)
    dtype = x._data.dtype  # the places in the input's dtype, as PyTorch computes them
    place = qs.astype(dtype).reshape(along) * np.maximum(count - 1, 0).astype(dtype)
    below, above = np.floor(place), np.ceil(place)
    if interpolation == "nearest":
        below = above = np.round(place)  # half to even, as torch.round

    nan_place = n - 1 if who == "quantile" else 0  # a NaN in a slice whose result is NaN

    def at(places: np.ndarray) -> Tensor:
        return ranked.gather(axis, wrap(np.where(count == 0, nan_place, places).astype(np.int64)))

    lower, upper = at(below), at(above)
    if interpolation in ("lower", "nearest"):
        out = lower
    elif interpolation == "higher":
        out = upper
    elif interpolation == "midpoint":
        out = lower.lerp(upper, 0.5)
    else:
        out = lower.lerp(upper, wrap(place - below))
    out = out.permute(axis, *(d for d in range(out.ndim) if d != axis))  # q's dim first
    if keepdim:
        kept = (1,) * x.ndim if dim is None else _kept(tuple(x.shape), axis) if x.ndim else ()
        out = out.reshape((out.shape[0],) + kept)
    return out.reshape(out.shape[1:]) if qs.ndim == 0 else out


def quantile(
    input: Tensor,
    q: Any,
    dim: int | None = None,
    keepdim: bool = False,
    *,
    interpolation: str = "linear",
) -> Tensor:
    r"""The ``q``-quantiles (``q`` a float or a 0-d or 1-d tensor in $[0, 1]$, whose dim
    comes first in the result) along ``dim``, or of all elements, as ``torch.quantile``: with
    the sorted values $v$ and $p = q(n - 1)$, ``linear`` gives
    $v_{\lfloor p\rfloor} + (p - \lfloor p\rfloor)(v_{\lceil p\rceil} - v_{\lfloor p\rfloor})$;
    ``lower``, ``higher``, ``nearest`` and ``midpoint`` one of them or their mean. NaN where
    a slice holds NaN; the gradient goes to the two order statistics with those weights."""
    return _quantile(input, q, dim, keepdim, interpolation, "quantile")


def nanquantile(
    input: Tensor,
    q: Any,
    dim: int | None = None,
    keepdim: bool = False,
    *,
    interpolation: str = "linear",
) -> Tensor:
    """``quantile`` of the non-NaN elements of each slice (NaN where all are NaN), as
    ``torch.nanquantile``."""
    return _quantile(input, q, dim, keepdim, interpolation, "nanquantile")


@numpy_names
def nansum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """The sum with NaN counted as 0 (integers summed as int64, or as ``dtype``), as
    ``torch.nansum``; the gradient is 0 at the NaNs."""
    x = _tensor_arg(input, "nansum", "input")._accumulated(dtype)
    if x._data.dtype.kind == "f":
        nan = np.isnan(x._data)
        if nan.any():
            x = where(nan, wrap(np.zeros((), x._data.dtype)), x)
    return x.sum(dim, keepdim)


@numpy_names
def nanmean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """The mean of the non-NaN elements (NaN where all are NaN), as ``torch.nanmean``; the
    gradient is 0 at the NaNs."""
    x = _tensor_arg(input, "nanmean", "input")
    if x._data.dtype.kind != "f":
        raise RuntimeError(
            f"nanmean(): expected input to have floating point or complex dtype but got {x.dtype}"
        )
    x = x if dtype is None else x.to(dtype)
    axes = _reduced_axes(dim, x.ndim)
    count = np.asarray((~np.isnan(x._data)).sum(axes, keepdims=keepdim), x._data.dtype)
    return nansum(x, axes, keepdim) / wrap(count)


def _running(input: Tensor, dim: int, largest: bool, who: str) -> ValuesIndices:
    """The running maximum (``largest``) or minimum along ``dim`` and the index where it was
    reached: the later index on ties, a NaN staying once met, as PyTorch's."""
    x = _tensor_arg(input, who, "input")
    axis = _dim(dim, max(x.ndim, 1), who)
    if x.ndim == 0:
        return ValuesIndices(x.clone(), wrap(np.zeros((), np.int64)))
    a = x._data
    best = (np.maximum if largest else np.minimum).accumulate(a, axis)  # NaN stays once met
    reached = (a == best) | (a != a)
    places = np.arange(a.shape[axis]).reshape((-1,) + (1,) * (a.ndim - axis - 1))
    index = np.maximum.accumulate(np.where(reached, places, 0), axis).astype(np.int64)
    return ValuesIndices(x.gather(axis, wrap(index)), wrap(index))


@numpy_names
def cummax(input: Tensor, dim: int) -> ValuesIndices:
    r"""The running maximum $y_i = \max_{j \le i} x_j$ along ``dim`` and the index of each,
    ``(values, indices)``, as ``torch.cummax``; the gradient goes to the element chosen."""
    return _running(input, dim, True, "cummax")


@numpy_names
def cummin(input: Tensor, dim: int) -> ValuesIndices:
    r"""The running minimum $y_i = \min_{j \le i} x_j$ along ``dim`` and its indices, as
    ``torch.cummin``."""
    return _running(input, dim, False, "cummin")


@numpy_names
def logcumsumexp(input: Tensor, dim: int) -> Tensor:
    r"""$y_i = \log\sum_{j \le i} e^{x_j}$ along ``dim``, stable for any size of $x$
    (``ops.LogCumSumExp``), as ``torch.logcumsumexp``."""
    x = _tensor_arg(input, "logcumsumexp", "input")
    if x._data.dtype.kind != "f":
        raise NotImplementedError(
            f"logcumsumexp: not implemented for {x.dtype} tensors, as in PyTorch"
        )
    return x._scan(ops.LogCumSumExp, dim, None, "logcumsumexp")


def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False) -> MinMax:
    """``(amin, amax)`` over ``dim`` (one int) or all elements, ``(min, max)``, as
    ``torch.aminmax``; ties share the gradient as in ``amin`` and ``amax``."""
    x = _tensor_arg(input, "aminmax", "input")
    if dim is not None and not isinstance(dim, (int, np.integer)):
        raise TypeError(f"aminmax(): argument 'dim' must be int, not {type(dim).__name__}")
    axes = _axes(dim, x.ndim)
    if x._data.size == 0 or axes and x.shape[axes[0]] == 0:
        raise RuntimeError(
            f"aminmax(): cannot compute aminmax over an empty dimension as the operation has "
            f"no identity (shape {tuple(x.shape)}, dim {dim})"
        )
    return MinMax(x.amin(axes, keepdim), x.amax(axes, keepdim))  # NaN where a slice has one


def msort(input: Tensor) -> Tensor:
    """The elements sorted along dim 0: ``sort(input, dim=0).values``, as ``torch.msort``."""
    return _tensor_arg(input, "msort", "input").sort(0).values


for _name in __all__[2:]:
    setattr(Tensor, _name, globals()[_name])
