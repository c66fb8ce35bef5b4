r"""PyTorch functions that are a few Tensor ops put together, so their gradients are those
ops': ``unbind``, ``broadcast_tensors``, ``diff``, ``nan_to_num``, ``clamp_min``,
``clamp_max``, ``var_mean`` and ``std_mean``. Those PyTorch also has as Tensor methods are
methods here too (``x.unbind(1)``, ``x.diff()``, ``x.nan_to_num()`` ...).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import views
from .creation import _shapes_agree_except, cat
from .tensor import Tensor, _dim, _moments_args, _root, _tensor_arg, numpy_names, where, wrap

__all__ = [
    "unbind",
    "broadcast_tensors",
    "diff",
    "nan_to_num",
    "clamp_min",
    "clamp_max",
    "var_mean",
    "std_mean",
]


@numpy_names
def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices of ``input`` along ``dim``, that dim removed (views), as ``torch.unbind``:
    ``a, b = pairs.unbind(1)``.

    Cut by halves: the backward of a slice scatters into zeros the size of what it was cut
    from, so cutting each of n slices out of the whole would cost n arrays of the whole's size
    (quadratic in n); by halves it costs log2(n) (a 400-step LSTM layer, which unbinds its
    input projections: 85 ms forward and backward, against 810 ms)."""
    if _tensor_arg(input, "unbind", "input").ndim == 0:
        raise IndexError("unbind: Dimension specified as 0 but tensor has no dimensions")
    d = _dim(dim, input.ndim, "unbind")

    def halves(x: Tensor) -> list[Tensor]:
        n = x.shape[d]
        if n <= 1:
            return [x.select(d, 0)] if n else []
        return halves(x.narrow(d, 0, n // 2)) + halves(x.narrow(d, n // 2, n - n // 2))

    return views.multiple(tuple(halves(input)), "unbind")


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """The tensors expanded to their common broadcast shape (views), as
    ``torch.broadcast_tensors``."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    for i, t in enumerate(tensors):
        _tensor_arg(t, "broadcast_tensors", f"tensors[{i}]")
    try:
        shape = np.broadcast_shapes(*(tuple(t.shape) for t in tensors))
    except ValueError:
        shapes = ", ".join(str(tuple(t.shape)) for t in tensors)
        raise RuntimeError(f"broadcast_tensors: shapes {shapes} do not broadcast") from None
    return tuple(t.expand(*shape) for t in tensors)


@numpy_names
def diff(
    input: Tensor,
    n: int = 1,
    dim: int = -1,
    prepend: Tensor | None = None,
    append: Tensor | None = None,
) -> Tensor:
    r"""The ``n``-th forward difference along ``dim``, $y_i = x_{i+1} - x_i$ applied ``n``
    times, after joining ``prepend`` and ``append`` (same dims as ``input``, same sizes off
    ``dim``) to either end, as ``torch.diff``; of bools, $x_{i+1} \ne x_i$."""
    if _tensor_arg(input, "diff", "input").ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"diff: order must be non-negative but got {n}")
    d = _dim(dim, input.ndim, "diff")
    parts = [input]
    for name, extra in (("prepend", prepend), ("append", append)):
        if extra is None:
            continue
        extra = _tensor_arg(extra, "diff", name)
        if extra.ndim != input.ndim:
            raise RuntimeError(
                f"diff expects prepend or append to be the same dimension as input, got "
                f"{name} of shape {tuple(extra.shape)} for input of shape {tuple(input.shape)}"
            )
        if not _shapes_agree_except(extra.shape, input.shape, d):
            raise RuntimeError(
                f"diff expects the shape of tensor to prepend or append to match that of input "
                f"except along the differencing dimension; got {name} of shape "
                f"{tuple(extra.shape)} for input of shape {tuple(input.shape)} and dim {d}"
            )
        parts.insert(0 if name == "prepend" else len(parts), extra)
    x = cat(parts, d) if len(parts) > 1 else input
    for _ in range(min(n, x.shape[d])):  # beyond the length: empty, as PyTorch
        after, before = x.narrow(d, 1, x.shape[d] - 1), x.narrow(d, 0, x.shape[d] - 1)
        x = after != before if x.dtype == np.bool_ else after - before
    return x


def nan_to_num(
    input: Tensor,
    nan: float = 0.0,
    posinf: float | None = None,
    neginf: float | None = None,
) -> Tensor:
    r"""``input`` with NaN replaced by ``nan``, $+\infty$ by ``posinf`` and $-\infty$ by
    ``neginf`` (by default the largest and the lowest finite value of the dtype), as
    ``torch.nan_to_num``. The gradient is 0 at the replaced places."""
    a = _tensor_arg(input, "nan_to_num", "input")._data
    if a.dtype.kind != "f":
        return input.clone()
    finite = np.isfinite(a)
    if finite.all():
        return input.clone()
    fixed = np.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)
    return where(finite, input, wrap(fixed))


def clamp_min(input: Tensor, min: Any) -> Tensor:  # noqa: A002
    """``input.clamp(min=min)``, as ``torch.clamp_min``."""
    return _tensor_arg(input, "clamp_min", "input").clamp(min=min)


def clamp_max(input: Tensor, max: Any) -> Tensor:  # noqa: A002
    """``input.clamp(max=max)``, as ``torch.clamp_max``."""
    return _tensor_arg(input, "clamp_max", "input").clamp(max=max)


@numpy_names
def var_mean(
    input: Tensor,
    dim: Any = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: int | None = None,
) -> tuple[Tensor, Tensor]:
    """``(input.var(dim, correction, keepdim), input.mean(dim, keepdim))`` in one call, as
    ``torch.var_mean``; PyTorch's older ``unbiased`` (``var_mean(x, dim, False)`` or
    ``var_mean(x, False)``) is correction 1 or 0."""
    dim, c = _moments_args(input, dim, unbiased, correction, "var_mean")
    return input.var(dim, keepdim=keepdim, correction=c), input.mean(dim, keepdim)


@numpy_names
def std_mean(
    input: Tensor,
    dim: Any = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: int | None = None,
) -> tuple[Tensor, Tensor]:
    """``(input.std(...), input.mean(...))`` in one call, as ``torch.std_mean`` (the
    arguments of :func:`var_mean`): the square root of ``var_mean``'s variance."""
    dim, c = _moments_args(input, dim, unbiased, correction, "std_mean")
    var, mean = var_mean(input, dim, keepdim=keepdim, correction=c)
    return _root(var, 2), mean


for _name in ("unbind", "diff", "nan_to_num", "clamp_min", "clamp_max"):
    setattr(Tensor, _name, globals()[_name])
