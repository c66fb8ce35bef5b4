r"""Writing along a dim at given indices, PyTorch's ``scatter``, ``scatter_add``,
``index_add``, ``index_copy``, ``index_fill`` and ``masked_scatter`` (functions, Tensor
methods and their in-place ``_`` forms), the adjoints of ``gather``, ``index_select`` and
``masked_select``.

For ``dim=0``, ``scatter`` sets $y[i_{jk}][k] = s_{jk}$ and ``scatter_add`` adds
$s_{jk}$ there; ``index_add`` adds row $j$ of the source to row $i_j$. They are composed from
two ops of the chain-rule table: ``ops.ScatterAdd`` (whose gradient is ``gather``) and
``ops.IndexPut``, with ``where``. PyTorch's gradients follow: the input's is $\bar y$ (for
``scatter``, 0 at the places written), the source's is $\bar y$ gathered at the index
(``alpha`` times it for ``index_add``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import ops
from .creation import _shapes_agree_except
from .grad_mode import state
from .tensor import (
    Tensor,
    _check_index_range,
    _dim,
    _in_place,
    _tensor_arg,
    array_of,
    numpy_names,
    where,
    wrap,
)

__all__ = ["scatter", "scatter_add", "index_add", "index_copy", "index_fill", "masked_scatter"]


@numpy_names
def scatter(
    input: Tensor,
    dim: int,
    index: Tensor,
    src: Any = None,
    *,
    value: Any = None,
    reduce: str | None = None,
) -> Tensor:
    """A copy of ``input`` with ``src[j][k]`` written at ``[index[j][k]][k]`` (for ``dim=0``;
    likewise for other dims), or the number ``value`` written at every indexed place, as
    ``torch.scatter``. Places indexed twice get one of the values. ``reduce="add"`` or
    ``"multiply"`` combines instead of writing (PyTorch has no gradient for it: refused on
    tensors that require grad)."""
    if src is None or not isinstance(src, Tensor):
        if src is None and value is None:
            raise TypeError("scatter(): give src (a Tensor) or value (a number)")
        value = src if src is not None else value
        dtype = _tensor_arg(input, "scatter", "input").dtype
        src = wrap(np.full(np.shape(array_of(index)), value, dtype=dtype))
    x, at, part = _checked(input, dim, index, src, "scatter")
    if reduce is not None:
        return _reduced(input, x, at, part, reduce)
    written = np.zeros(x.shape, dtype=bool)
    written[at] = True
    placed = ops.IndexPut.apply(part, shape=x.shape, index=at)
    return where(written, placed, x).reshape(input.shape)


@numpy_names
def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of ``input`` with ``src[j][k]`` added at ``[index[j][k]][k]`` (for ``dim=0``),
    repeated places adding up, as ``torch.scatter_add``."""
    x, at, part = _checked(input, dim, index, src, "scatter_add")
    return (x + ops.ScatterAdd.apply(part, shape=x.shape, index=at)).reshape(input.shape)


@numpy_names
def index_add(
    input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: float = 1
) -> Tensor:
    r"""A copy of ``input`` with ``alpha * source`` added along ``dim``: slice $j$ of the
    source at position ``index[j]``, repeats adding up, as ``torch.index_add``."""
    who = "index_add"
    x, idx, s, d = _operands(input, dim, index, source, who, "source")
    if idx.ndim > 1:
        raise IndexError(f"{who}: Index is supposed to be a vector, but got shape {idx.shape}")
    idx = idx.reshape(-1)
    if s.ndim != x.ndim:
        raise RuntimeError(
            f"{who}: source has {s.ndim} dims but self has {x.ndim} (shapes {tuple(s.shape)} "
            f"and {tuple(input.shape)})"
        )
    if len(idx) != s.shape[d]:
        raise RuntimeError(
            f"{who}: Number of indices ({len(idx)}) should be equal to source.size(dim): "
            f"({s.shape[d]}), for dim: {d}"
        )
    if not _shapes_agree_except(x.shape, s.shape, d):
        raise RuntimeError(
            f"{who}: source tensor shape must match self tensor shape, excluding the "
            f"specified dimension. Got self.shape = {list(x.shape)} source.shape = "
            f"{list(s.shape)}"
        )
    _check_index_range(idx, x.shape[d], d, who, RuntimeError)
    s = s if alpha == 1 else s * alpha
    at = (slice(None),) * d + (np.array(idx),)
    return (x + ops.ScatterAdd.apply(s, shape=x.shape, index=at)).reshape(input.shape)


def _along(
    input: Tensor, dim: int, index: Any, who: str, wraps: bool = False
) -> tuple[Tensor, int, np.ndarray]:
    """The input (1-d when 0-d), ``dim`` as one of its dims and the int64 vector ``index``,
    checked as PyTorch checks them for ``index_copy`` and ``index_fill`` (where, with
    ``wraps``, an index from ``-n`` counts from the end)."""
    x = _tensor_arg(input, who, "input")
    x = x.reshape(-1) if x.ndim == 0 else x
    d = _dim(dim, x.ndim, who)
    idx = array_of(_tensor_arg(index, who, "index"))
    if idx.dtype != np.int64:
        raise IndexError(f"{who}: Expected dtype int64 for index, got {idx.dtype}")
    if idx.ndim > 1:
        raise RuntimeError(f"{who}: Index has to be a vector/scalar, got shape {idx.shape}")
    idx = np.array(idx.reshape(-1))  # our own copy: the graph keeps it
    if wraps:
        idx[idx < 0] += x.shape[d]
    _check_index_range(idx, x.shape[d], d, who, IndexError)
    return x, d, idx


def _at(d: int, idx: np.ndarray) -> tuple:
    return (slice(None),) * d + (idx,)


@numpy_names
def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """A copy of ``input`` with slice $j$ of ``source`` along ``dim`` written at position
    ``index[j]``, as ``torch.index_copy`` (a repeated index gets one of the slices)."""
    who = "index_copy"
    x, d, idx = _along(input, dim, index, who)
    s = _tensor_arg(source, who, "source")
    s = s.reshape(-1) if s.ndim == 0 else s
    if s.ndim != x.ndim or len(idx) != s.shape[d]:
        raise IndexError(
            f"{who}: Number of indices ({len(idx)}) should be equal to source.size(dim) "
            f"(source shape {tuple(s.shape)}, dim {d})"
        )
    if not _shapes_agree_except(x.shape, s.shape, d) or s.dtype != x.dtype:
        raise RuntimeError(
            f"{who}: source {tuple(s.shape)} {s.dtype} must match self {tuple(x.shape)} "
            f"{x.dtype} apart from dim {d}"
        )
    written = np.zeros(x.shape, dtype=bool)
    written[_at(d, idx)] = True
    placed = ops.IndexPut.apply(s, shape=x.shape, index=_at(d, idx))
    return where(written, placed, x).reshape(input.shape)


@numpy_names
def index_fill(input: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    """A copy of ``input`` with ``value`` (a number, or a 0-d tensor that gets the gradient)
    at positions ``index`` along ``dim``, as ``torch.index_fill``."""
    who = "index_fill"
    x, d, idx = _along(input, dim, index, who, wraps=True)
    if isinstance(value, Tensor) and value.ndim:
        raise IndexError(f"{who}: value must be a 0-d tensor or a number, got shape {value.shape}")
    filled = np.zeros(x.shape[d], dtype=bool)
    filled[idx] = True
    mask = filled.reshape((-1,) + (1,) * (x.ndim - 1 - d))
    if not isinstance(value, Tensor):
        value = wrap(np.array(value).astype(x.dtype))  # as torch: 1.5 fills an int tensor with 1
    return where(mask, value.to(x.dtype), x).reshape(input.shape)


def masked_scatter(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """A copy of ``input`` with the first elements of ``source`` (in row-major order) written
    where the bool ``mask`` (broadcast to ``input``) is True, as ``torch.masked_scatter``."""
    who = "masked_scatter"
    x, s = _tensor_arg(input, who, "input"), _tensor_arg(source, who, "source")
    m = array_of(_tensor_arg(mask, who, "mask"))
    if m.dtype != np.bool_:
        raise RuntimeError(f"{who}: only boolean masks are supported, got mask of dtype {m.dtype}")
    try:
        m = np.broadcast_to(m, x.shape)
    except ValueError:
        raise RuntimeError(
            f"{who}: mask of shape {m.shape} does not broadcast to the input's {tuple(x.shape)}"
        ) from None
    places = np.nonzero(m)
    if s.numel() < len(places[0]):
        raise RuntimeError(
            f"{who}: Number of elements of source ({s.numel()}) < number of ones in mask "
            f"({len(places[0])})"
        )
    if s.dtype != x.dtype:
        raise RuntimeError(f"{who}: source ({s.dtype}) and self ({x.dtype}) must have one dtype")
    placed = ops.IndexPut.apply(s.reshape(-1)[: len(places[0])], shape=x.shape, index=places)
    return where(np.array(m), placed, x)


def _operands(
    input: Tensor, dim: int, index: Tensor, src: Tensor, who: str, name: str
) -> tuple[Tensor, np.ndarray, Tensor, int]:
    """PyTorch's checks of the arguments scatter and index_add share: tensors, an int32 or
    int64 index, ``src`` (called ``name``) of the input's dtype. Returns the input and
    ``src``, each made 1-d when 0-d, the index array and ``dim`` as a dim of the input."""
    input, src = _tensor_arg(input, who, "input"), _tensor_arg(src, who, name)
    idx = array_of(_tensor_arg(index, who, "index"))
    if idx.dtype not in (np.int32, np.int64):
        raise RuntimeError(f"{who}: Expected dtype int32/int64 for index, got {idx.dtype}")
    if input.dtype != src.dtype:
        raise RuntimeError(
            f"{who}: self ({input.dtype}) and {name} ({src.dtype}) must have the same dtype"
        )
    x, src = (t.reshape(-1) if t.ndim == 0 else t for t in (input, src))
    return x, idx, src, _dim(dim, x.ndim, who)


def _checked(
    input: Tensor, dim: int, index: Tensor, src: Tensor, who: str
) -> tuple[Tensor, tuple, Tensor]:
    """PyTorch's checks of scatter's arguments; the input (made 1-d when 0-d), the index as
    a tuple of arrays selecting the places written, and the part of ``src`` written there."""
    x, idx, src, d = _operands(input, dim, index, src, who, "src")
    idx = idx.reshape(-1) if idx.ndim == 0 else idx
    if idx.ndim != x.ndim or src.ndim != x.ndim:
        raise RuntimeError(
            f"{who}: Index tensor must have the same number of dimensions as self tensor "
            f"and src (shapes {idx.shape}, {tuple(input.shape)} and {tuple(src.shape)})"
        )
    if any(
        n > s or (i != d and n > m)
        for i, (n, m, s) in enumerate(zip(idx.shape, x.shape, src.shape))
    ):
        raise RuntimeError(
            f"{who}: Expected index {list(idx.shape)} to be no larger than self "
            f"{list(x.shape)} apart from dimension {d} and to be no larger size than src "
            f"{list(src.shape)}"
        )
    _check_index_range(idx, x.shape[d], d, who, RuntimeError)
    at = list(np.ogrid[tuple(slice(n) for n in idx.shape)])
    at[d] = np.array(idx)  # our own copy: the graph keeps it
    part = src[tuple(slice(n) for n in idx.shape)]
    return x, tuple(at), part


def _reduced(input: Tensor, x: Tensor, at: tuple, part: Tensor, reduce: str) -> Tensor:
    """``scatter`` with ``reduce``: numpy's unbuffered ``add.at`` or ``multiply.at``, outside
    any graph (PyTorch has no derivative for it)."""
    if reduce not in ("add", "multiply"):
        raise RuntimeError(f"reduce argument must be either add or multiply, got {reduce!r}")
    if state.grad_enabled and (x.requires_grad or part.requires_grad):
        raise RuntimeError("scatter(): derivative for scatter with reduce= is not implemented")
    out = np.array(x._data)
    (np.add if reduce == "add" else np.multiply).at(out, at, part._data)
    return wrap(out.reshape(input.shape))


for _function in (scatter, scatter_add, index_add, index_copy, index_fill, masked_scatter):
    setattr(Tensor, _function.__name__, _function)
    setattr(Tensor, _function.__name__ + "_", _in_place(_function.__name__, keeps_old=False))
