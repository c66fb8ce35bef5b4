"""PyTorch's legacy tensor constructors: ``Tensor(2, 3)`` (sizes, Python or numpy integers, give an
uninitialised tensor of that shape in the default float dtype, as ``torch.Tensor(2, 3)``;
``Tensor(Size)`` too) and the typed ``FloatTensor``, ``DoubleTensor``, ``LongTensor``,
``IntTensor`` and ``BoolTensor``, each taking data or sizes. New code should prefer
``tnn.tensor(data, dtype=...)`` and ``tnn.empty(*size, dtype=...)``, as in PyTorch.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from . import dtypes
from .device import resolve_device
from .size import Size
from .tensor import Tensor, wrap

__all__ = ["BoolTensor", "DoubleTensor", "FloatTensor", "IntTensor", "LongTensor"]


def is_size(n: Any) -> bool:
    """Whether ``Tensor(n)`` or ``FloatTensor(n)`` reads ``n`` as a size (an int, a numpy
    integer or 0-d integer array, or a ``Size``), as torch does, not as data."""
    return isinstance(n, Size) or _index(n) is not None


def _index(n: Any) -> int | None:
    """``n`` as a size, as torch reads one: a Python int or a numpy integer (a scalar or a 0-d
    array); None for anything else."""
    if type(n) is int:
        return n
    if isinstance(n, (np.integer, np.ndarray)) and n.ndim == 0 and n.dtype.kind in "iu":
        return int(n)
    return None


def sized(who: str, size: tuple, dtype: Any) -> np.ndarray:
    """The uninitialised array of ``who(*size)`` or ``who(Size)``: every size an int or a numpy
    integer (or the one argument a ``Size``), none negative, as ``torch.Tensor(2, 3)``; as
    torch, ``True`` and ``False`` after the first size are 1 and 0."""
    if len(size) == 1 and isinstance(size[0], Size):
        size = tuple(size[0])
    shape = tuple(int(n) if i and type(n) is bool else _index(n) for i, n in enumerate(size))
    if None in shape:
        given = ", ".join(type(n).__name__ for n in size)
        raise TypeError(
            f"{who}(*sizes) takes ints (or one Size), got ({given}); pass data as one "
            f"list or array: {who}([1, 2]), or use tnn.tensor(data)"
        )
    if any(n < 0 for n in shape):
        raise ValueError(f"{who}: sizes must not be negative, got {shape}")
    return np.empty(shape, dtype)


def tensor_sizes(first: Any, second: Any, more: tuple) -> tuple[np.ndarray, bool]:
    """``Tensor(2, 3, 4)`` arrives as ``data=2, requires_grad=3, *size=(4,)``: the uninitialised
    array of the sizes, in the default float dtype, and the ``requires_grad`` flag (a bool in
    second place, as in ``Tensor(2, True)``, is the flag, not a size)."""
    flag = type(second) is bool and not more
    sizes = (first,) if flag else (first, second, *more)
    return sized("Tensor", sizes, dtypes.get_default_dtype()), second if flag else False


def _data(who: str, data: Any, dtype: np.dtype) -> np.ndarray:
    """``data`` converted to ``dtype`` as torch's typed constructors do: floats are truncated
    toward zero for the integer types; NaN, infinity or a value out of range is refused."""
    arr = dtypes.as_array(data, dtype if dtype.kind == "f" else None, who=who)
    if arr.dtype.kind == "f" and dtype.kind != "f" and not isinstance(data, np.ndarray):
        arr = np.array(data, np.float64)  # Python floats as they are, not in the default dtype
    if dtype.kind in "iu" and arr.dtype.kind in "iuf" and arr.size:
        info = np.iinfo(dtype)
        low, high = arr.min(), arr.max()
        if not (low >= info.min and high <= info.max):  # NaN fails both comparisons
            raise ValueError(
                f"{who}: the values in [{low}, {high}] cannot be converted to {dtype} "
                f"without overflow (it holds [{info.min}, {info.max}], no NaN or infinity)"
            )
    return arr.astype(dtype)


class _Legacy(type):
    """The metaclass of the typed constructors: calling one makes a ``Tensor`` of its dtype,
    and ``isinstance(t, tnn.FloatTensor)`` asks whether ``t`` is a float32 Tensor, as torch."""

    dtype: np.dtype

    def __call__(cls, *args: Any, device: Any = None) -> Tensor:
        who = cls.__name__
        resolve_device(device, who)
        args = args or ([],)  # FloatTensor() is empty, shape (0,)
        if len(args) == 1 and not (is_size(args[0]) or type(args[0]) is bool):  # sized refuses bool
            data = args[0]
            if not isinstance(data, Tensor):
                return wrap(_data(who, data, cls.dtype))
            if data._data.dtype != cls.dtype:
                raise TypeError(
                    f"{who}: expected a {cls.dtype} tensor, got {data.dtype}; convert it with "
                    f".to(tnn.{cls.dtype}) or pass its values as a list or an array"
                )
            return data.view_as(data)  # an alias in the graph, as torch's
        return wrap(sized(who, args, cls.dtype))

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor) and obj._data.dtype == cls.dtype


class FloatTensor(metaclass=_Legacy):
    """``FloatTensor(data)`` or ``FloatTensor(*sizes)``: a float32 Tensor of ``data`` (converted)
    or an uninitialised one of shape ``sizes``, as ``torch.FloatTensor``."""

    dtype: ClassVar[np.dtype] = np.dtype(np.float32)


class DoubleTensor(metaclass=_Legacy):
    """``DoubleTensor(data)`` or ``DoubleTensor(*sizes)``: a float64 Tensor, as
    ``torch.DoubleTensor``."""

    dtype: ClassVar[np.dtype] = np.dtype(np.float64)


class LongTensor(metaclass=_Legacy):
    """``LongTensor(data)`` or ``LongTensor(*sizes)``: an int64 Tensor (floats truncated toward
    zero, NaN and out-of-range values refused), as ``torch.LongTensor``."""

    dtype: ClassVar[np.dtype] = np.dtype(np.int64)


class IntTensor(metaclass=_Legacy):
    """``IntTensor(data)`` or ``IntTensor(*sizes)``: an int32 Tensor (floats truncated toward
    zero, NaN and out-of-range values refused), as ``torch.IntTensor``."""

    dtype: ClassVar[np.dtype] = np.dtype(np.int32)


class BoolTensor(metaclass=_Legacy):
    """``BoolTensor(data)`` or ``BoolTensor(*sizes)``: a bool Tensor (nonzero is ``True``), as
    ``torch.BoolTensor``."""

    dtype: ClassVar[np.dtype] = np.dtype(np.bool_)
