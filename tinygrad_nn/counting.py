r"""Counting the values of a tensor, as PyTorch's ``count_nonzero``, ``bincount`` and
``unique`` (functions and Tensor methods). Counts are int64; none of them has a gradient
except ``bincount``'s sums of ``weights``, whose gradient is $\bar y$ read at each input's bin.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes, ops
from .tensor import Tensor, _axes, _dim, _tensor_arg, numpy_names, wrap

__all__ = ["count_nonzero", "bincount", "unique", "unique_consecutive"]


@numpy_names
def count_nonzero(input: Tensor, dim: int | tuple[int, ...] | None = None) -> Tensor:
    """The number of non-zero elements over ``dim`` (an int or a tuple; all when None), an
    int64 tensor, as ``torch.count_nonzero``."""
    a = _tensor_arg(input, "count_nonzero", "input")._data
    return wrap(np.asarray(np.count_nonzero(a, axis=_axes(dim, a.ndim)), dtype=np.int64))


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """How often each value ``0 .. max(input)`` occurs in the 1-d non-negative integer
    ``input`` (at least ``minlength`` bins), int64; with ``weights`` (one per element) the sum
    of the weights in each bin, float (float64 for integer weights), as ``torch.bincount``."""
    a = _tensor_arg(input, "bincount", "input")._data
    if a.dtype.kind not in "iu":
        raise NotImplementedError(f"bincount: not implemented for dtype {a.dtype}")
    if a.ndim != 1 or (a.size and a.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError(f"bincount: minlength should be >= 0, got {minlength}")
    size = max(int(a.max()) + 1 if a.size else 0, minlength)
    if weights is None:
        return wrap(np.bincount(a, minlength=size).astype(np.int64))
    w = _tensor_arg(weights, "bincount", "weights")
    if w.shape != input.shape:
        raise RuntimeError(
            "bincount: weights should be 1-d and have the same length as input, got shapes "
            f"{tuple(w.shape)} and {tuple(input.shape)}"
        )
    if w._data.dtype.kind != "f":
        w = w.to(dtypes.float64)
    return ops.ScatterAdd.apply(w, shape=(size,), index=(np.array(a),))


@numpy_names
def unique(
    input: Tensor,
    sorted: bool = True,
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: int | None = None,
) -> Any:
    """The distinct values of ``input`` in ascending order (a 1-d tensor; with ``dim``, the
    distinct slices along it), as ``torch.unique``; with ``return_inverse`` also where each
    element went (int64, ``input``'s shape, or its size along ``dim``), with
    ``return_counts`` how often each value occurs. NaNs are not merged. The result is sorted
    also when ``sorted=False`` (PyTorch allows either order). No gradient."""
    a = _tensor_arg(input, "unique", "input")._data
    axis = None if dim is None else _dim(dim, a.ndim, "unique")
    values, inverse, counts = np.unique(
        a, return_inverse=True, return_counts=True, axis=axis, equal_nan=False
    )
    inverse = inverse.reshape(a.shape if axis is None else (a.shape[axis],))
    out = [wrap(values)]
    if return_inverse:
        out.append(wrap(inverse.astype(np.int64)))
    if return_counts:
        out.append(wrap(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


@numpy_names
def unique_consecutive(
    input: Tensor, return_inverse: bool = False, return_counts: bool = False, dim: int | None = None
) -> Any:
    """``input`` (flattened, or its slices along ``dim``) with each run of equal neighbours
    kept once, as ``torch.unique_consecutive``; ``return_inverse`` and ``return_counts`` as
    in ``unique``. No gradient."""
    a = _tensor_arg(input, "unique_consecutive", "input")._data
    axis = None if dim is None else _dim(dim, a.ndim, "unique_consecutive")
    items = a.reshape(-1) if axis is None else np.moveaxis(a, axis, 0)
    n = len(items)
    changes = np.ones(n, dtype=bool)
    if n > 1:
        differ = items[1:] != items[:-1]
        changes[1:] = differ if differ.ndim == 1 else differ.reshape(n - 1, -1).any(axis=1)
    starts = np.flatnonzero(changes)
    values = items[starts] if axis is None else np.moveaxis(items[starts], 0, axis)
    out = [wrap(np.array(values))]
    if return_inverse:
        inverse = np.cumsum(changes) - 1
        out.append(wrap(inverse.reshape(a.shape if axis is None else (n,)).astype(np.int64)))
    if return_counts:
        out.append(wrap(np.diff(np.append(starts, n)).astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


for _name in __all__:
    setattr(Tensor, _name, globals()[_name])
