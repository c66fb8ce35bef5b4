"""Data types: numpy's, with float32 as the default for floating-point data (as PyTorch).

A tensor's ``dtype`` is a ``numpy.dtype``, and ``tnn.float32``, ``tnn.float`` (PyTorch's
alias) and ``numpy.float32`` are the same object, so ``t.dtype == tnn.float32`` and
``t.dtype == np.float32`` both hold. The one visible difference from PyTorch: it prints as
``float32``, not ``torch.float32``. ``tinygrad_nn`` exports PyTorch's aliases (``float``,
``double``, ``half``, ``long``, ``int``, ``short``, ``bool``); they are not defined here,
where they would hide Python's builtins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = [
    "float32",
    "float64",
    "int64",
    "int32",
    "bool_",
    "float16",
    "int16",
    "int8",
    "uint8",
    "set_default_dtype",
    "get_default_dtype",
    "promote_types",
    "can_cast",
    "finfo",
    "iinfo",
    "result_type",
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
float16 = np.dtype(np.float16)
"""16-bit floating point (``tnn.half``); numpy computes it, slowly."""
int16 = np.dtype(np.int16)
"""16-bit integer (``tnn.short``)."""
int8 = np.dtype(np.int8)
"""8-bit integer."""
uint8 = np.dtype(np.uint8)
"""8-bit unsigned integer (bytes, image pixels)."""

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
    """The dtype that Python floats and ``rand``/``zeros``/... produce (float32 unless set).

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.get_default_dtype()
    dtype('float32')
    """
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


# -- type promotion (PyTorch's, not numpy's) -----------------------------------------------
# Categories: bool < integer < floating < complex. Operands rank as tensors with dims >
# 0-d tensors > Python numbers: a lower-ranked operand can lift the result's category but
# never its width within a category (float32 * 0.5 and float32 * float64 0-d stay float32).

_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}
_NUMBER_CATEGORY = {bool: 0, int: 1, float: 2, complex: 3}


def promote_types(a: np.dtype, b: np.dtype) -> np.dtype:
    """The smallest dtype holding both (``torch.promote_types``): within a category numpy's
    rule; across categories the higher category's dtype (int64 with float32 is float32)."""
    if a is b:
        return a
    ca, cb = _CATEGORY[a.kind], _CATEGORY[b.kind]
    if ca == cb or ca + cb == 5:  # same category, or float with complex
        return np.promote_types(a, b)
    return a if ca > cb else b


def number_dtype(value: Any) -> np.dtype:
    """The dtype a Python number stands for: bool, int64, or the default float/complex."""
    kind = _NUMBER_CATEGORY.get(type(value))
    if kind is None and isinstance(value, np.generic):  # numpy scalars count as numbers
        kind = _NUMBER_CATEGORY.get(type(value.item()))
    if kind is None:
        raise TypeError(f"unsupported operand type {type(value).__name__} for a tensor op")
    return (bool_, int64, _default, _complex_of(_default))[kind]


def _complex_of(dtype: np.dtype) -> np.dtype:
    return np.dtype(np.complex64 if dtype.itemsize <= 4 else np.complex128)


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """The result of a higher-ranked and a lower-ranked operand group: the higher one's dtype
    unless the lower one is of a higher category."""
    if lower is None:
        return higher
    if higher is None or _CATEGORY[higher.kind] >= _CATEGORY[lower.kind]:
        return higher if higher is not None else lower
    if lower.kind == "c" and higher.kind == "f":
        return _complex_of(higher)
    return lower


def can_cast(from_: Any, to: Any) -> bool:
    """Whether PyTorch casts ``from_`` to ``to`` in an op's output: not to a lower category
    (float to int, int to bool), as ``torch.can_cast``."""
    return _CATEGORY[check(from_, "can_cast").kind] <= _CATEGORY[check(to, "can_cast").kind]


class finfo:
    """The limits of a float dtype (the default float dtype when omitted), as ``torch.finfo``:
    ``bits``, ``eps`` (the gap from 1 to the next number), ``max``, ``min``, ``tiny`` (=
    ``smallest_normal``) and ``resolution`` as Python numbers, and ``dtype`` as a name."""

    def __init__(self, type: Any = None) -> None:  # noqa: A002  (PyTorch's name)
        dtype = get_default_dtype() if type is None else check(type, "finfo")
        if dtype.kind != "f":
            raise TypeError(f"finfo: {dtype} is not a floating point dtype; use tnn.iinfo")
        info = np.finfo(dtype)
        self.bits, self.dtype = info.bits, str(dtype)
        self.eps, self.max, self.min = float(info.eps), float(info.max), float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0**-info.precision  # exactly, as torch (not float32's 1e-6)

    def __repr__(self) -> str:
        return (
            f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
            f"eps={self.eps:g}, smallest_normal={self.tiny:g}, tiny={self.tiny:g}, "
            f"dtype={self.dtype})"
        )


class iinfo:
    """The limits of an integer dtype, as ``torch.iinfo``: ``bits``, ``max``, ``min`` as
    Python ints and ``dtype`` as a name."""

    def __init__(self, type: Any) -> None:  # noqa: A002  (PyTorch's name)
        dtype = check(type, "iinfo")
        if dtype.kind not in "iu":
            raise TypeError(f"iinfo: {dtype} is not an integer dtype; use tnn.finfo")
        info = np.iinfo(dtype)
        self.bits, self.max, self.min, self.dtype = (
            info.bits,
            int(info.max),
            int(info.min),
            str(dtype),
        )

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


def check_cast(src: np.dtype, dst: np.dtype, who: str) -> None:
    """Refuse to write a result of dtype ``src`` into a tensor of dtype ``dst`` when PyTorch
    does: a cast to a lower category (float into int, int into bool)."""
    if not np.can_cast(src, dst, "same_kind"):
        raise RuntimeError(
            f"{who}: result type {src} can't be cast to the desired output type {dst}"
        )


def scalar_of(dtype: np.dtype, value: Any) -> np.ndarray | None:
    """A Python int or float ``value`` as a 0-d array of ``dtype`` when promotion with a
    tensor of ``dtype`` keeps it (``result_type``'s rule: ``float32 * 0.5`` stays float32),
    else None. numpy computes with a 0-d array faster than with a Python number (rows
    *_number)."""
    kind = type(value)
    if (kind is float or kind is int) and _CATEGORY[dtype.kind] >= _NUMBER_CATEGORY[kind]:
        return np.array(value, dtype)
    return None


class MadeOnce(dict):
    """``cache[key]`` is the read-only array ``make(*key)`` (``make(key)`` for a key that is
    not a tuple), made on first use and then read as one dict lookup, where a call would cost
    more than a small op's numpy work (rows 1-4). Emptied past 64 entries (the sizes of a
    run)."""

    def __init__(self, make: Callable[..., np.ndarray]) -> None:
        self.make = make

    def __missing__(self, key: Any) -> np.ndarray:
        if len(self) >= 64:
            self.clear()
        made = self[key] = self.make(*key) if type(key) is tuple else self.make(key)
        made.flags.writeable = False
        return made


# ``ONE[dtype]``: 1 as a 0-d array, for the backward formulas of tanh and the logistic (1 - y)
ONE = MadeOnce(lambda dtype: np.ones((), dtype))
_CONSTANTS: dict[tuple[float, np.dtype], np.ndarray] = {}


def constant(value: float, dtype: np.dtype) -> np.ndarray:
    """``value`` (a Python number) as a 0-d array of ``dtype``, made once: numpy 2 computes
    ``a * 0.9`` about 0.6 us slower than ``a * constant(0.9, a.dtype)``, which gives the same
    result (the number is cast to ``a``'s dtype either way). For optimizers' hyper-parameters,
    used on every parameter at every step (benchmark rows 1-2). Zero is not cached, as -0.0
    and 0.0 would share an entry; a learning-rate schedule adds an entry per step, so the
    cache is emptied when it grows past 64. Anything else (a Tensor or an array given as a
    learning rate, which may change in place) is read afresh each time."""
    try:  # a number seen before: one dict lookup, no more lines (rows 1-2)
        return _CONSTANTS[value, dtype]
    except (KeyError, TypeError):  # new, or an array (unhashable)
        pass
    kind = type(value)
    if kind is not float and kind is not int:
        return np.asarray(value, dtype)
    found = np.array(value, dtype)
    if value:
        if len(_CONSTANTS) >= 64:
            _CONSTANTS.clear()
        _CONSTANTS[value, dtype] = found
        found.flags.writeable = False
    return found


def result_type(a: Any, b: Any) -> np.dtype:
    """The dtype of a binary op's result, as ``torch.result_type``. ``a`` and ``b`` are
    numpy arrays (a Tensor's data; a 0-d array counts as a 0-d tensor) or Python numbers.

    ``int64 tensor + 0.5`` is the default float, ``float32 tensor * float64 0-d tensor`` is
    float32, ``float32 + int64 tensor`` float32, ``bool tensor + 1`` int64."""
    if type(b) in _NUMBER_CATEGORY:  # the hot case: a tensor and a Python number
        da = a.dtype if isinstance(a, np.ndarray) else number_dtype(a)
        if _CATEGORY[da.kind] >= _NUMBER_CATEGORY[type(b)]:
            return da
    return common_dtype(a, b)


def common_dtype(*operands: Any) -> np.dtype:
    """The dtype of an op's result on any number of ``operands`` (arrays or Python numbers),
    by :func:`result_type`'s rule: the dims-having arrays decide, then 0-d arrays, then
    numbers, a later group only when of a higher category (``addcmul``'s three inputs)."""
    ranked: list[np.dtype | None] = [None, None, None]  # dims, 0-d, numbers
    for v in operands:
        if isinstance(v, np.ndarray):
            rank, dtype = (0 if v.ndim else 1), v.dtype
        else:
            rank, dtype = 2, number_dtype(v)
        ranked[rank] = dtype if ranked[rank] is None else promote_types(ranked[rank], dtype)
    return _combine(ranked[0], _combine(ranked[1], ranked[2]))
