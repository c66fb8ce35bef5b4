"""Data types: numpy's, with float32 as the default for floating-point data (as PyTorch).

A tensor's ``dtype`` is a ``numpy.dtype``, and ``tnn.float32``, ``tnn.float`` (PyTorch's
alias) and ``numpy.float32`` are the same object, so ``t.dtype == tnn.float32`` and
``t.dtype == np.float32`` both hold. The one visible difference from PyTorch: it prints as
``float32``, not ``torch.float32``. ``tinygrad_nn`` exports PyTorch's aliases (``float``,
``double``, ``half``, ``long``, ``int``, ``short``, ``bool``); they are not defined here,
where they would hide Python's builtins.
"""

from __future__ import annotations

from typing import Any

import numpy as np

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int64 = np.dtype(np.int64)
int32 = np.dtype(np.int32)
bool_ = np.dtype(np.bool_)
float16 = np.dtype(np.float16)
int16 = np.dtype(np.int16)
int8 = np.dtype(np.int8)
uint8 = np.dtype(np.uint8)

# Tensor.type() names: PyTorch's legacy tensor type of each dtype.
_TYPE_NAMES = {
    float32: "FloatTensor",
    float64: "DoubleTensor",
    float16: "HalfTensor",
    int64: "LongTensor",
    int32: "IntTensor",
    int16: "ShortTensor",
    int8: "CharTensor",
    uint8: "ByteTensor",
    bool_: "BoolTensor",
}

_default = float32


def set_default_dtype(dtype: Any) -> None:
    """Set the dtype that Python floats and ``rand``/``zeros``/... produce (float32 or float64)."""
    global _default
    dtype = np.dtype(dtype)
    if dtype not in (float32, float64):
        raise TypeError(f"default dtype must be float32 or float64, got {dtype}")
    _default = dtype


def get_default_dtype() -> np.dtype:
    """The dtype of Python floats and of ``rand``/``zeros``/...: float32 unless set."""
    return _default


def type_name(dtype: np.dtype) -> str:
    """PyTorch's type string of ``dtype`` with our package name: ``"tinygrad_nn.FloatTensor"``
    for float32 (PyTorch says ``"torch.FloatTensor"``)."""
    if dtype not in _TYPE_NAMES:
        raise TypeError(f"type(): dtype {dtype} has no tensor type name")
    return "tinygrad_nn." + _TYPE_NAMES[dtype]


def from_type_name(name: str) -> np.dtype:
    """The dtype named by ``"torch.FloatTensor"`` or ``"tinygrad_nn.FloatTensor"``; a CUDA
    type (``"torch.cuda.FloatTensor"``) raises, since tinygrad_nn runs on the CPU."""
    package, _, short = name.rpartition(".")
    if package.endswith(".cuda"):
        raise RuntimeError(
            f"type(): {name} is a CUDA type; tinygrad_nn computes on the CPU with numpy"
        )
    for dtype, tname in _TYPE_NAMES.items():
        if short == tname and package in ("torch", "tinygrad_nn"):
            return dtype
    raise ValueError(f"type(): invalid type {name!r}; expected e.g. 'torch.FloatTensor'")


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
