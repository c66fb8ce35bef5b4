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


def _binary(test: Callable, name: str, what: str) -> Callable:
    def function(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
        x, y = _tensor_arg(input, name, "input"), _tensor_arg(other, name)
        checks.broadcast_shape(name, input=x.shape, other=y.shape)
        return write_out(out, wrap(np.asarray(test(x._data, y._data))), name)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"True where {what}, element-wise with broadcasting, as ``torch.{name}``."
    return function


logical_and = _binary(np.logical_and, "logical_and", "both ``input`` and ``other`` are non-zero")
logical_or = _binary(np.logical_or, "logical_or", "``input`` or ``other`` is non-zero")
logical_xor = _binary(
    np.logical_xor, "logical_xor", "exactly one of ``input`` and ``other`` is non-zero"
)


def _unary(test: Callable, name: str, what: str) -> Callable:
    def function(input: Tensor, *, out: Tensor | None = None) -> Tensor:
        x = _tensor_arg(input, name, "input")
        return write_out(out, wrap(np.asarray(test(x._data))), name)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"True where {what}, as ``torch.{name}``."
    return function


logical_not = _unary(np.logical_not, "logical_not", "``input`` is zero")
isneginf = _unary(np.isneginf, "isneginf", r"``input`` is $-\infty$")
isposinf = _unary(np.isposinf, "isposinf", r"``input`` is $+\infty$")


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
