"""Functions that make tensors, with PyTorch's names and signatures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import checks, dtypes
from .random import resolve_generator
from .tensor import Tensor, _dim, _shape_arg

__all__ = [
    "tensor",
    "zeros",
    "ones",
    "full",
    "zeros_like",
    "ones_like",
    "full_like",
    "arange",
    "linspace",
    "eye",
    "rand",
    "randn",
    "randint",
    "randn_like",
    "rand_like",
    "cat",
    "stack",
]


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data`` (a number, nested lists or an array)."""
    return Tensor(dtypes.as_array(data, dtype), requires_grad)


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros, as ``torch.zeros``.

    Parameters
    ----------
    *size : int or sequence of int
        The shape, as separate integers or one sequence.
    dtype : dtype, optional
        The element type; the default float dtype (float32) when omitted.
    requires_grad : bool
        Whether backward computes a gradient for it.

    Returns
    -------
    Tensor
        A new tensor of shape ``size``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.zeros(2, 3)
    tensor([[0., 0., 0.],
            [0., 0., 0.]])
    """
    return Tensor(np.zeros(_shape_arg(size), dtypes.resolve(dtype)), requires_grad)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones, as ``torch.ones``; the arguments are those of `zeros`.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.ones(3, dtype=tnn.int64)
    tensor([1, 1, 1])
    """
    return Tensor(np.ones(_shape_arg(size), dtypes.resolve(dtype)), requires_grad)


def full(
    size: Sequence[int], fill_value: Any, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """A tensor of shape ``size`` filled with ``fill_value``, as ``torch.full``.

    Parameters
    ----------
    size : sequence of int
        The shape.
    fill_value : number
        The value of every element; its type gives the dtype when ``dtype`` is omitted
        (a Python float gives the default float dtype, an int int64).
    dtype : dtype, optional
        The element type.
    requires_grad : bool
        Whether backward computes a gradient for it.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.full((2, 2), 0.5)
    tensor([[0.5, 0.5],
            [0.5, 0.5]])
    """
    if dtype is None:
        dtype = dtypes.as_array(fill_value).dtype
    return Tensor(np.full(tuple(size), fill_value, dtype=dtype), requires_grad)


def zeros_like(t: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros of the shape (and, unless ``dtype`` is given, the dtype) of ``t``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.zeros_like(tnn.tensor([1, 2, 3]))
    tensor([0, 0, 0])
    """
    return Tensor(np.zeros(t.shape, dtype or t.dtype), requires_grad)


def ones_like(t: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Ones of the shape (and, unless ``dtype`` is given, the dtype) of ``t``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.ones_like(tnn.zeros(2))
    tensor([1., 1.])
    """
    return Tensor(np.ones(t.shape, dtype or t.dtype), requires_grad)


def full_like(t: Tensor, fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """``fill_value`` in the shape (and, unless ``dtype`` is given, the dtype) of ``t``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.full_like(tnn.zeros(3), 7.0)
    tensor([7., 7., 7.])
    """
    return Tensor(np.full(t.shape, fill_value, dtype or t.dtype), requires_grad)


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    dtype: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``[start, end)`` in steps; integers give int64, any float the default float dtype."""
    if end is None:
        start, end = 0, start
    for name, v in (("start", start), ("end", end), ("step", step)):
        checks.in_range(f"arange: {name}", v)
    if step == 0:
        raise ValueError("arange: step must be nonzero")
    if dtype is None:
        exact = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = dtypes.int64 if exact else dtypes.get_default_dtype()
    return Tensor(np.arange(start, end, step, dtype=dtype), requires_grad)


def linspace(
    start: float, end: float, steps: int, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included.

    Parameters
    ----------
    start, end : float
        The first and the last value.
    steps : int
        How many values.
    dtype : dtype, optional
        The element type; the default float dtype when omitted.
    requires_grad : bool
        Whether backward computes a gradient for it.

    Shape
    -----
    Output: ``(steps,)``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.linspace(0, 1, 5)
    tensor([0.  , 0.25, 0.5 , 0.75, 1.  ])
    """
    return Tensor(np.linspace(start, end, steps, dtype=dtypes.resolve(dtype)), requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """The identity matrix: ones on the diagonal, zeros elsewhere.

    Parameters
    ----------
    n : int
        The number of rows.
    m : int, optional
        The number of columns; ``n`` when omitted.
    dtype : dtype, optional
        The element type; the default float dtype when omitted.
    requires_grad : bool
        Whether backward computes a gradient for it.

    Shape
    -----
    Output: ``(n, m)``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.eye(2)
    tensor([[1., 0.],
            [0., 1.]])
    """
    return Tensor(np.eye(n, m, dtype=dtypes.resolve(dtype)), requires_grad)


def rand(
    *size: Any,
    dtype: Any = None,
    requires_grad: bool = False,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Uniform samples from $[0, 1)$."""
    gen = resolve_generator(generator, "rand")
    return Tensor(gen.random(_shape_arg(size)).astype(dtypes.resolve(dtype)), requires_grad)


def randn(
    *size: Any,
    dtype: Any = None,
    requires_grad: bool = False,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Standard normal samples."""
    gen = resolve_generator(generator, "randn")
    return Tensor(
        gen.standard_normal(_shape_arg(size)).astype(dtypes.resolve(dtype)), requires_grad
    )


def randint(
    low: int, high: int, size: Sequence[int], generator: np.random.Generator | None = None
) -> Tensor:
    """Integers uniform in ``[low, high)``, as int64."""
    gen = resolve_generator(generator, "randint")
    return Tensor(gen.integers(low, high, size=tuple(size), dtype=np.int64))


def randn_like(t: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples in the shape (and, unless ``dtype`` is given, the dtype) of
    ``t``, from the global generator (see `manual_seed`)."""
    return randn(t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def rand_like(t: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform samples from $[0, 1)$ in the shape (and, unless ``dtype`` is given, the
    dtype) of ``t``, from the global generator (see `manual_seed`)."""
    return rand(t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension."""
    from .ops import Cat

    tensors = list(tensors)
    if not tensors:
        raise ValueError("cat: expected a non-empty list of tensors")
    ndim = tensors[0].ndim
    if ndim == 0:
        raise ValueError("cat: zero-dimensional tensors cannot be concatenated")
    dim = _dim(dim, ndim, "cat")
    first = [n for i, n in enumerate(tensors[0].shape) if i != dim]
    for t in tensors:
        others = [n for i, n in enumerate(t.shape) if i != dim]
        if t.ndim != ndim or others != first:
            raise ValueError(
                f"cat: shapes {tensors[0].shape} and {t.shape} differ outside dim {dim}"
            )
    return Cat.apply(*tensors, axis=dim)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of one shape along a new dimension."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("stack: expected a non-empty list of tensors")
    for t in tensors:
        if t.shape != tensors[0].shape:
            raise ValueError(f"stack: shapes {tensors[0].shape} and {t.shape} differ")
    dim = _dim(dim, tensors[0].ndim + 1, "stack")
    return cat([t.unsqueeze(dim) for t in tensors], dim)
