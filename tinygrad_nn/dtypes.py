"""Data types: numpy's, with float32 as the default for floating-point data (as PyTorch)."""

from __future__ import annotations

from typing import Any

import numpy as np

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int64 = np.dtype(np.int64)
int32 = np.dtype(np.int32)
bool_ = np.dtype(np.bool_)

_default = float32


def set_default_dtype(dtype: Any) -> None:
    """Set the dtype that Python floats and ``rand``/``zeros``/... produce (float32 or float64)."""
    global _default
    dtype = np.dtype(dtype)
    if dtype not in (float32, float64):
        raise TypeError(f"default dtype must be float32 or float64, got {dtype}")
    _default = dtype


def get_default_dtype() -> np.dtype:
    return _default


def resolve(dtype: Any) -> np.dtype:
    """``dtype`` as a numpy dtype, the default float dtype for ``None``."""
    return _default if dtype is None else np.dtype(dtype)


def check(dtype: Any, who: str) -> np.dtype:
    """``dtype`` as a numpy dtype a tensor may hold: bool, integer or real floating point.
    Complex numbers are refused (their gradients would need Wirtinger calculus throughout),
    and so are Python objects, strings, bytes and dates."""
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{who}: {dtype!r} is not a dtype") from None
    if dtype.kind not in "biuf":
        what = _KIND_NAMES.get(dtype.kind, f"dtype {dtype}")
        raise TypeError(
            f"{who}: tensors hold bool, integer or real floating-point numbers, not {what}"
        )
    return dtype


_KIND_NAMES = {
    "c": "complex numbers",
    "O": "Python objects",
    "U": "strings",
    "S": "bytes",
    "M": "dates",
    "m": "time spans",
    "V": "records",
}


def as_array(data: Any, dtype: Any = None, who: str = "tensor") -> np.ndarray:
    """A new array from ``data``. Without ``dtype``, numpy arrays keep theirs, Python floats
    become the default float dtype, ints int64 and bools bool (as ``torch.tensor``)."""
    from .tensor import Tensor

    if isinstance(data, Tensor):
        data = data._data
    dtype = None if dtype is None else check(dtype, who)
    try:
        arr = np.array(data)
    except ValueError as err:
        if "inhomogeneous" not in str(err):
            raise
        raise ValueError(
            f"{who}: nested sequences of different lengths cannot make a tensor ({err})"
        ) from None
    if arr.dtype.kind == "O":
        raise TypeError(f"{who}: cannot make a tensor from {_odd_element(arr)}")
    check(arr.dtype, who)
    if dtype is not None:
        return arr.astype(dtype, copy=False)
    if isinstance(data, (np.ndarray, np.generic)):
        return arr
    if arr.dtype.kind == "f":
        return arr.astype(_default)
    if arr.dtype.kind in "iu":
        return arr.astype(int64, copy=False)
    return arr


def _odd_element(arr: np.ndarray) -> str:
    """Which element of an object array stops it from being a tensor, in words."""
    for x in arr.flat:
        if isinstance(x, int) and not isinstance(x, bool) and not -(2**63) <= x < 2**64:
            return f"the int {x}, which does not fit in 64 bits"
        if not isinstance(x, (bool, int, float, np.number, np.bool_)):
            return f"an element of type {type(x).__name__} ({repr(x)[:40]}): tensors hold numbers"
    return "a mix of numbers that fits no one dtype"


def scalar_array(value: Any, like: np.dtype) -> np.ndarray:
    """A 0-d array for a Python number used with a tensor of dtype ``like``: it takes the
    tensor's dtype, except that a float with an integer tensor gives the default float."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, float) and like.kind in "biu":
        return np.array(value, dtype=_default)
    if like.kind == "b" and not isinstance(value, (bool, np.bool_)):
        return np.array(value, dtype=int64)  # mask + 1 counts, as in PyTorch
    if isinstance(value, (int, float, bool, np.number, np.bool_)):
        return np.array(value, dtype=like)
    raise TypeError(f"unsupported operand type {type(value).__name__} for a tensor op")
