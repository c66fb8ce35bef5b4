"""Functions that make tensors, with PyTorch's names and signatures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import checks, dtypes
from .device import resolve_device
from .random import resolve_generator
from .tensor import Tensor, _dim, _shape_arg, array_of, leaf

__all__ = [
    "tensor",
    "from_numpy",
    "as_tensor",
    "is_tensor",
    "zeros",
    "ones",
    "empty",
    "full",
    "zeros_like",
    "ones_like",
    "empty_like",
    "full_like",
    "arange",
    "linspace",
    "logspace",
    "eye",
    "rand",
    "randn",
    "normal",
    "randint",
    "randperm",
    "randn_like",
    "rand_like",
    "meshgrid",
    "cat",
    "stack",
]


def _new(data: np.ndarray, requires_grad: bool, device: Any, who: str) -> Tensor:
    """A Tensor of ``data`` after checking ``device`` (only the CPU exists)."""
    resolve_device(device, who)
    return leaf(data, requires_grad)


def _size(size: tuple, kw: dict, who: str) -> tuple[int, ...]:
    """The shape given as ``f(2, 3)``, ``f((2, 3))`` or ``f(size=(2, 3))`` (``kw`` holds the
    keywords left over, which may only be ``size``)."""
    keyword = kw.pop("size", None)
    if kw:
        raise TypeError(f"{who}: unexpected keyword arguments {sorted(kw)}")
    if keyword is not None:
        if size:
            raise TypeError(f"{who}: size given both by position and as size=")
        return tuple(keyword)
    return _shape_arg(size)


def _like(t: Tensor, dtype: Any) -> np.dtype:
    return t._data.dtype if dtype is None else np.dtype(dtype)


def tensor(
    data: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    pin_memory: bool = False,
) -> Tensor:
    """A new tensor holding a copy of ``data`` (a number, nested lists or an array).
    ``pin_memory`` is accepted and has no effect (it matters only for GPU copies)."""
    return _new(dtypes.as_array(data, dtype), requires_grad, device, "tensor")


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``ndarray`` (same dtype): a change to either shows in
    the other."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"from_numpy: expected np.ndarray (got {type(ndarray).__name__})")
    return leaf(ndarray, False)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """``data`` as a tensor, sharing memory when it is already a Tensor or a numpy array of
    the requested dtype; anything else is copied as by ``tensor``."""
    resolve_device(device, "as_tensor")
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray):
        return leaf(data if dtype is None else data.astype(dtype, copy=False), False)
    return tensor(data, dtype)


def is_tensor(obj: Any) -> bool:
    """True when ``obj`` is a Tensor."""
    return isinstance(obj, Tensor)


def zeros(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, **kw: Any
) -> Tensor:
    """A tensor of zeros, as ``torch.zeros``.

    Parameters
    ----------
    *size : int or sequence of int
        The shape, as separate integers or one sequence.
    dtype : dtype, optional
        The element type; the default float dtype (float32) when omitted.
    device : str or tnn.device, optional
        Only ``"cpu"`` (the default); a GPU device raises.
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
    shape = _size(size, kw, "zeros")
    return _new(np.zeros(shape, dtypes.resolve(dtype)), requires_grad, device, "zeros")


def ones(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, **kw: Any
) -> Tensor:
    """A tensor of ones, as ``torch.ones``; the arguments are those of `zeros`.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.ones(3, dtype=tnn.int64)
    tensor([1, 1, 1])
    """
    shape = _size(size, kw, "ones")
    return _new(np.ones(shape, dtypes.resolve(dtype)), requires_grad, device, "ones")


def empty(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, **kw: Any
) -> Tensor:
    """A tensor whose values are not set (whatever the memory held), as ``torch.empty``."""
    shape = _size(size, kw, "empty")
    return _new(np.empty(shape, dtypes.resolve(dtype)), requires_grad, device, "empty")


def full(
    size: Sequence[int],
    fill_value: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
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
    device : str or tnn.device, optional
        Only ``"cpu"`` (the default); a GPU device raises.
    requires_grad : bool
        Whether backward computes a gradient for it.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.full((2, 2), 0.5)
    tensor([[0.5000, 0.5000],
            [0.5000, 0.5000]])
    """
    if dtype is None:
        dtype = dtypes.as_array(fill_value).dtype
    return _new(np.full(tuple(size), fill_value, dtype=dtype), requires_grad, device, "full")


def zeros_like(
    t: Tensor, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Zeros of the shape (and, unless ``dtype`` is given, the dtype) of ``t``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.zeros_like(tnn.tensor([1, 2, 3]))
    tensor([0, 0, 0])
    """
    return _new(np.zeros(t.shape, _like(t, dtype)), requires_grad, device, "zeros_like")


def ones_like(
    t: Tensor, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Ones of the shape (and, unless ``dtype`` is given, the dtype) of ``t``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.ones_like(tnn.zeros(2))
    tensor([1., 1.])
    """
    return _new(np.ones(t.shape, _like(t, dtype)), requires_grad, device, "ones_like")


def empty_like(
    t: Tensor, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """An unset tensor of ``t``'s shape (and dtype unless given)."""
    return _new(np.empty(t.shape, _like(t, dtype)), requires_grad, device, "empty_like")


def full_like(
    t: Tensor,
    fill_value: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``fill_value`` in the shape (and, unless ``dtype`` is given, the dtype) of ``t``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.full_like(tnn.zeros(3), 7.0)
    tensor([7., 7., 7.])
    """
    data = np.full(t.shape, fill_value, _like(t, dtype))
    return _new(data, requires_grad, device, "full_like")


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    dtype: Any = None,
    device: Any = None,
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
    return _new(np.arange(start, end, step, dtype=dtype), requires_grad, device, "arange")


def linspace(
    start: float,
    end: float,
    steps: int,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
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
    device : str or tnn.device, optional
        Only ``"cpu"`` (the default); a GPU device raises.
    requires_grad : bool
        Whether backward computes a gradient for it.

    Shape
    -----
    Output: ``(steps,)``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.linspace(0, 1, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    data = _evenly_spaced(start, end, steps, np.dtype(dtypes.resolve(dtype)))
    return _new(data, requires_grad, device, "linspace")


def _evenly_spaced(start: float, end: float, steps: int, dtype: np.dtype) -> np.ndarray:
    r"""PyTorch's linspace bit for bit: $s$, $e$ in ``dtype``, the step
    $h = (e - s) / (n - 1)$ in ``dtype`` (float64 for integers); element $i$ is $s + h\,i$
    before the midpoint $\lfloor n/2 \rfloor$ and $e - h\,(n - 1 - i)$ from it on, each a
    fused multiply-add (rounded once, as torch's compiled kernel), truncated for integers;
    float16 rounds after every operation instead (`_half_spaced`)."""
    if steps < 0:
        raise RuntimeError(f"linspace: number of steps must be non-negative, got {steps}")
    if dtype.kind == "f":
        for name, value in (("start", start), ("end", end)):
            if np.finfo(dtype).max < abs(float(value)) < np.inf:
                raise RuntimeError(
                    f"linspace: {name}={value!r} cannot be converted to {dtype} without "
                    "overflow (PyTorch refuses it too)"
                )
    if dtype == np.float16:
        return _half_spaced(start, end, steps)
    if dtype.kind in "fc":
        s, e = dtype.type(start), dtype.type(end)
        step = (e - s) / dtype.type(max(steps - 1, 1))
    else:
        s, e = float(int(start)), float(int(end))
        step = (e - s) / max(steps - 1, 1)
    if steps <= 1:
        return np.full(steps, s).astype(dtype)
    i = np.arange(steps, dtype=np.float64)
    h = np.float64(step)
    out = np.where(i < steps // 2, _fma(h, i, s), _fma(-h, steps - 1 - i, e))
    return out.astype(dtype)


def _half_spaced(start: float, end: float, steps: int) -> np.ndarray:
    r"""float16 linspace as torch's kernel computes it with ``c10::Half``, whose every
    operation is done in float32 and rounded to float16 (no fused multiply-add): $s$, $e$,
    $h = (e - s) / (n - 1)$, the index $i$ itself (not exact above 2048), each product $h\,i$
    and each sum $s + h\,i$ (or difference $e - h\,(n - 1 - i)$ from the midpoint on)."""
    if steps < 2:
        return _to_half(np.full(steps, start))
    f32 = np.float32
    with np.errstate(over="ignore", invalid="ignore"):  # e - s, n - 1 or i may be inf
        s, e = _to_half(start).astype(f32), _to_half(end).astype(f32)
        h = _to_half(_to_half(e - s).astype(f32) / _to_half(steps - 1).astype(f32)).astype(f32)
        i = np.arange(steps)
        lower = i < steps // 2
        k = _to_half(np.where(lower, i, steps - 1 - i)).astype(f32)
        product = _to_half(h * k).astype(f32)
        return _to_half(np.where(lower, s + product, e - product))


def _to_half(x: Any) -> np.ndarray:
    """``x`` rounded to float32, then to float16, as C++ converts a double or an int64 to
    ``c10::Half`` (through float)."""
    return np.asarray(x, np.float32).astype(np.float16)


def _fma(a: Any, b: np.ndarray, c: Any) -> np.ndarray:
    r"""$a b + c$ in float64 rounded once (to within the rare double-rounding tie): the
    product split exactly into $p + p'$ (Dekker), the sum $c + p$ into $s + s'$ (Knuth), then
    $s + (s' + p')$."""
    a, b, c = (np.asarray(x, np.float64) for x in (a, b, c))
    p = a * b
    (ah, al), (bh, bl) = _halves(a), _halves(b)
    p_err = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    s = c + p
    back = s - c
    s_err = (c - (s - back)) + (p - back)
    return s + (s_err + p_err)


def _halves(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Veltkamp's split of float64 ``a`` into a high part of 26 bits and the exact rest."""
    scaled = a * 134217729.0  # 2**27 + 1
    high = scaled - (scaled - a)
    return high, a - high


def logspace(
    start: float,
    end: float,
    steps: int,
    base: float = 10.0,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` values from ``base**start`` to ``base**end``, evenly spaced in their
    exponents, as ``torch.logspace``."""
    data = np.logspace(start, end, steps, base=base).astype(dtypes.resolve(dtype))
    return _new(data, requires_grad, device, "logspace")


def eye(
    n: int,
    m: int | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The identity matrix: ones on the diagonal, zeros elsewhere.

    Parameters
    ----------
    n : int
        The number of rows.
    m : int, optional
        The number of columns; ``n`` when omitted.
    dtype : dtype, optional
        The element type; the default float dtype when omitted.
    device : str or tnn.device, optional
        Only ``"cpu"`` (the default); a GPU device raises.
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
    return _new(np.eye(n, m, dtype=dtypes.resolve(dtype)), requires_grad, device, "eye")


def rand(
    *size: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    generator: np.random.Generator | None = None,
    **kw: Any,
) -> Tensor:
    """Uniform samples from $[0, 1)$."""
    gen = resolve_generator(generator, "rand")
    data = gen.random(_size(size, kw, "rand")).astype(dtypes.resolve(dtype))
    return _new(data, requires_grad, device, "rand")


def randn(
    *size: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    generator: np.random.Generator | None = None,
    **kw: Any,
) -> Tensor:
    """Standard normal samples."""
    gen = resolve_generator(generator, "randn")
    shape = _size(size, kw, "randn")
    data = gen.standard_normal(shape).astype(dtypes.resolve(dtype))
    return _new(data, requires_grad, device, "randn")


def normal(
    mean: Any = 0.0,
    std: Any = 1.0,
    size: Sequence[int] | None = None,
    *,
    generator: np.random.Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    r"""Samples of $\mathcal N(\text{mean}, \text{std}^2)$: of shape ``size`` for numbers
    ``mean`` and ``std``, else of their broadcast shape (and the tensor's dtype). As in
    PyTorch no gradient flows to ``mean`` and ``std`` (PyTorch's is zero)."""
    if np.any(np.asarray(array_of(std)) < 0):
        raise RuntimeError(f"normal: std must be >= 0, got {std}")
    gen = resolve_generator(generator, "normal")
    tensors = [v for v in (mean, std) if isinstance(v, Tensor)]
    if tensors:
        if size is not None:
            raise TypeError("normal: size= is only for a number mean and std")
        m, s = np.asarray(array_of(mean)), np.asarray(array_of(std))
        data = gen.normal(m, s, np.broadcast_shapes(m.shape, s.shape))
        dtype = tensors[0]._data.dtype if dtype is None else dtype
    else:
        if size is None:
            raise TypeError("normal: size= is needed when mean and std are numbers")
        data = gen.normal(mean, std, tuple(size))
    return _new(data.astype(dtypes.resolve(dtype)), requires_grad, device, "normal")


def randint(
    low: int,
    high: int | Sequence[int],
    size: Sequence[int] | None = None,
    *,
    generator: np.random.Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Integers uniform in ``[low, high)`` (``randint(high, size)``: ``low = 0``), int64."""
    if size is None:
        low, high, size = 0, low, high
    gen = resolve_generator(generator, "randint")
    data = gen.integers(low, high, size=tuple(size), dtype=np.int64)
    return _new(data if dtype is None else data.astype(dtype), requires_grad, device, "randint")


def randperm(
    n: int,
    *,
    generator: np.random.Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A random permutation of ``0 .. n-1`` (int64 unless ``dtype`` is given), drawn from
    ``generator`` or the global one (see `manual_seed`), as ``torch.randperm``:
    ``x[tnn.randperm(len(x))]`` shuffles the rows."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(
            f"randperm(): argument 'n' (position 1) must be int, not {type(n).__name__}"
        )
    if n < 0:
        raise RuntimeError(f"randperm: Trying to create tensor with negative dimension {n}: [{n}]")
    data = resolve_generator(generator, "randperm").permutation(int(n))
    return _new(data if dtype is None else data.astype(dtype), requires_grad, device, "randperm")


def randn_like(
    t: Tensor, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Standard normal samples in the shape (and, unless ``dtype`` is given, the dtype) of
    ``t``, from the global generator (see `manual_seed`)."""
    return randn(t.shape, dtype=_like(t, dtype), device=device, requires_grad=requires_grad)


def rand_like(
    t: Tensor, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Uniform samples from $[0, 1)$ in the shape (and, unless ``dtype`` is given, the
    dtype) of ``t``, from the global generator (see `manual_seed`)."""
    return rand(t.shape, dtype=_like(t, dtype), device=device, requires_grad=requires_grad)


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple[Tensor, ...]:
    """Coordinate grids from 1-d tensors: output ``i`` repeats ``tensors[i]`` along every
    other dim. ``indexing="ij"`` (the default, as PyTorch) gives shape ``(len(t0), len(t1),
    ...)``; ``"xy"`` swaps the first two dims, as numpy's default."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing not in (None, "ij", "xy"):
        raise ValueError(f"meshgrid: indexing must be 'ij' or 'xy', got {indexing!r}")
    for k, t in enumerate(tensors):
        if not isinstance(t, Tensor) or t.ndim > 1:
            raise ValueError(f"meshgrid: tensor {k} must be a 0-d or 1-d Tensor")
    dims = list(range(len(tensors)))
    if indexing == "xy" and len(dims) > 1:
        dims[0], dims[1] = 1, 0
    shape = [0] * len(tensors)
    for t, d in zip(tensors, dims):
        shape[d] = t.numel()
    return tuple(
        t.reshape([-1 if i == d else 1 for i in range(len(shape))]).expand(shape)
        for t, d in zip(tensors, dims)
    )


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension."""
    from .ops import Cat

    tensors = list(tensors)
    if not tensors:
        raise ValueError("cat: expected a non-empty list of tensors")  # as PyTorch
    ndim = tensors[0].ndim
    if ndim == 0:
        # ShapeError: a RuntimeError, as PyTorch's, and a ValueError
        raise checks.ShapeError("cat: zero-dimensional tensors cannot be concatenated")
    dim = _dim(dim, ndim, "cat")
    for t in tensors:
        if not _shapes_agree_except(t.shape, tensors[0].shape, dim):
            raise checks.ShapeError(
                f"cat: shapes {tensors[0].shape} and {t.shape} differ outside dim {dim}"
            )
    return Cat.apply(*tensors, axis=dim)


def _shapes_agree_except(shape: Sequence[int], other: Sequence[int], dim: int) -> bool:
    """Whether two shapes have the same number of dims and the same sizes off ``dim`` (as
    ``cat``, ``diff``'s ``prepend`` and ``index_add``'s source need)."""
    return len(shape) == len(other) and all(
        n == m for i, (n, m) in enumerate(zip(shape, other)) if i != dim
    )


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
