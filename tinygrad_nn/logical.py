"""PyTorch's logical functions and tests of values: ``logical_and``, ``logical_or``,
``logical_xor``, ``logical_not`` (any dtype, non-zero is true), ``isneginf``, ``isposinf``
and ``isin``. Their results are bool tensors without gradient. All but ``isin`` are Tensor
methods too, and the logical ones have in-place forms (``x.logical_and_(y)``: the result
written as ``x``'s dtype, 1 or 0), as in PyTorch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import checks
from .functions import write_out
from .tensor import Tensor, _in_place, _tensor_arg, wrap

__all__ = [
    "logical_and",
    "logical_or",
    "logical_xor",
    "logical_not",
    "isneginf",
    "isposinf",
    "isin",
]


def _binary(test: Callable, input: Any, other: Any, who: str, out: Tensor | None) -> Tensor:
    x, y = _tensor_arg(input, who, "input"), _tensor_arg(other, who)
    checks.broadcast_shape(who, input=x.shape, other=y.shape)
    return write_out(out, wrap(np.asarray(test(x._data, y._data))), who)


def _unary(test: Callable, input: Any, who: str, out: Tensor | None) -> Tensor:
    x = _tensor_arg(input, who, "input")
    return write_out(out, wrap(np.asarray(test(x._data))), who)


def logical_and(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """True where both ``input`` and ``other`` are non-zero, element-wise with
    broadcasting, as ``torch.logical_and``."""
    return _binary(np.logical_and, input, other, "logical_and", out)


def logical_or(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """True where ``input`` or ``other`` is non-zero, element-wise with broadcasting, as
    ``torch.logical_or``."""
    return _binary(np.logical_or, input, other, "logical_or", out)


def logical_xor(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """True where exactly one of ``input`` and ``other`` is non-zero, element-wise with
    broadcasting, as ``torch.logical_xor``."""
    return _binary(np.logical_xor, input, other, "logical_xor", out)


def logical_not(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """True where ``input`` is zero, as ``torch.logical_not``."""
    return _unary(np.logical_not, input, "logical_not", out)


def isneginf(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    r"""True where ``input`` is $-\infty$, as ``torch.isneginf``."""
    return _unary(np.isneginf, input, "isneginf", out)


def isposinf(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    r"""True where ``input`` is $+\infty$, as ``torch.isposinf``."""
    return _unary(np.isposinf, input, "isposinf", out)


def isin(
    elements: Any, test_elements: Any, *, assume_unique: bool = False, invert: bool = False
) -> Tensor:
    """True where an element of ``elements`` equals one of ``test_elements`` (compared in
    their promoted dtype; NaN equals nothing), of ``elements``' shape, as ``torch.isin``;
    with ``invert``, the opposite. Either may be a number, not both; ``assume_unique`` is a
    speed hint, as in PyTorch."""
    kinds = [isinstance(t, Tensor) for t in (elements, test_elements)]
    numbers = [isinstance(t, (bool, int, float, np.number)) for t in (elements, test_elements)]
    if not any(kinds) or not all(k or n for k, n in zip(kinds, numbers)):
        raise TypeError(
            "isin(): expected elements and test_elements to be Tensors, or one a Tensor and "
            f"the other a number; got {type(elements).__name__} and "
            f"{type(test_elements).__name__}"
        )
    a, b = (t._data if isinstance(t, Tensor) else np.asarray(t) for t in (elements, test_elements))
    return wrap(np.asarray(np.isin(a, b, assume_unique=assume_unique, invert=invert)))


for _function in (logical_and, logical_or, logical_xor, logical_not, isneginf, isposinf):
    setattr(Tensor, _function.__name__, _function)
for _name in ("logical_and", "logical_or", "logical_xor", "logical_not"):
    setattr(Tensor, f"{_name}_", _in_place(_name))
