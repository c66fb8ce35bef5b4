"""Data types: numpy's, with float32 as the default for floating-point data (as PyTorch)."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "float32",
    "float64",
    "int64",
    "int32",
    "bool_",
    "set_default_dtype",
    "get_default_dtype",
]

float32 = np.dtype(np.float32)
"""32-bit floating point: the default dtype of Python floats and of ``rand``, ``zeros``, ..."""
float64 = np.dtype(np.float64)
"""64-bit floating point (``tnn.set_default_dtype(tnn.float64)`` for gradient checks)."""
int64 = np.dtype(np.int64)
"""64-bit integer: the dtype of Python ints, class indices and ``argmax``."""
int32 = np.dtype(np.int32)
"""32-bit integer."""
bool_ = np.dtype(np.bool_)
"""Boolean: the dtype of comparisons such as ``x > 0``."""

_default = float32


def set_default_dtype(dtype: Any) -> None:
    """Set the dtype that Python floats and ``rand``/``zeros``/... produce (float32 or float64)."""
    global _default
    dtype = np.dtype(dtype)
    if dtype not in (float32, float64):
        raise TypeError(f"default dtype must be float32 or float64, got {dtype}")
    _default = dtype


def get_default_dtype() -> np.dtype:
    """The dtype that Python floats and ``rand``/``zeros``/... produce (float32 unless set).

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.get_default_dtype()
    dtype('float32')
    """
    return _default


def resolve(dtype: Any) -> np.dtype:
    """``dtype`` as a numpy dtype, the default float dtype for ``None``."""
    return _default if dtype is None else np.dtype(dtype)


def as_array(data: Any, dtype: Any = None) -> np.ndarray:
    """A new array from ``data``. Without ``dtype``, numpy arrays keep theirs, Python floats
    become the default float dtype, ints int64 and bools bool (as ``torch.tensor``)."""
    from .tensor import Tensor

    if isinstance(data, Tensor):
        data = data._data
    if dtype is not None:
        return np.array(data, dtype=np.dtype(dtype))
    if isinstance(data, (np.ndarray, np.generic)):
        return np.array(data)
    arr = np.array(data)
    if arr.dtype.kind == "f":
        return arr.astype(_default)
    if arr.dtype.kind in "iu":
        return arr.astype(int64, copy=False)
    if arr.dtype.kind not in "bc":
        raise TypeError(f"cannot make a tensor from data of type {type(data).__name__}")
    return arr


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
