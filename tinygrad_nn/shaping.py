r"""PyTorch's shape and indexing functions that are views, indexing and ``cat`` put
together, so that their gradients are those ops': ``movedim``, ``unflatten``,
``tensor_split`` and its ``hsplit``/``vsplit``/``dsplit``, ``rot90``, ``diagonal``,
``diag_embed``, ``take``, ``take_along_dim``, ``atleast_1d``/``2d``/``3d``,
``cartesian_prod``, ``block_diag``, ``combinations`` and the index grids ``triu_indices`` and
``tril_indices``. Those PyTorch also has as Tensor methods are methods here too.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import dtypes
from .creation import cat, meshgrid, stack
from .ops import IndexPut
from .tensor import Tensor, _dim, _tensor_arg, wrap

__all__ = [
    "movedim",
    "moveaxis",
    "swapdims",
    "swapaxes",
    "unflatten",
    "ravel",
    "broadcast_to",
    "tensor_split",
    "hsplit",
    "vsplit",
    "dsplit",
    "rot90",
    "fliplr",
    "flipud",
    "diagonal",
    "diag_embed",
    "diagflat",
    "take",
    "take_along_dim",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "triu_indices",
    "tril_indices",
    "cartesian_prod",
    "block_diag",
    "combinations",
]


def _dims(dims: int | Sequence[int], ndim: int, who: str) -> list[int]:
    return [_dim(d, ndim, who) for d in ((dims,) if isinstance(dims, (int, np.integer)) else dims)]


def movedim(input: Tensor, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
    """The dims ``source`` moved to the places ``destination``, the others keeping their
    order (a view), as ``torch.movedim``."""
    x = _tensor_arg(input, "movedim", "input")
    if isinstance(source, (int, np.integer)) != isinstance(destination, (int, np.integer)):
        raise TypeError(
            f"movedim(): source and destination must both be ints or both sequences of ints, "
            f"got {source!r} and {destination!r}"
        )
    n = max(x.ndim, 1)
    src, dst = _dims(source, n, "movedim"), _dims(destination, n, "movedim")
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({list(src)} dims) should "
            f"contain the same number of dims as destination ({list(dst)} dims)"
        )
    for name, dims in (("source", src), ("destination", dst)):
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({dims})")
    if x.ndim == 0:
        return x.reshape(())
    rest = iter(d for d in range(x.ndim) if d not in src)
    chosen = dict(zip(dst, src))
    return x.permute([chosen[i] if i in chosen else next(rest) for i in range(x.ndim)])


moveaxis = movedim


def swapdims(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """``input.transpose(dim0, dim1)`` (a view), as ``torch.swapdims``."""
    return _tensor_arg(input, "swapdims", "input").transpose(dim0, dim1)


swapaxes = swapdims


def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    """Dim ``dim`` split into dims of ``sizes`` (one may be -1) (a view), as
    ``torch.unflatten``."""
    x = _tensor_arg(input, "unflatten", "input")
    d = _dim(dim, x.ndim, "unflatten")
    sizes = tuple(sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    n, known = x.shape[d], math.prod(s for s in sizes if s != -1)
    if sizes.count(-1) > 1 or (known != n if -1 not in sizes else known == 0 or n % known):
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {d} "
            f"({n}) in the input tensor of shape {tuple(x.shape)}"
        )
    return x.reshape(x.shape[:d] + sizes + x.shape[d + 1 :])


def ravel(input: Tensor) -> Tensor:
    """The elements as a 1-d tensor (a view where the storage allows), as ``torch.ravel``."""
    return _tensor_arg(input, "ravel", "input").reshape(-1)


def broadcast_to(input: Tensor, size: Sequence[int]) -> Tensor:
    """``input`` expanded to ``size`` (-1 keeps a size) (a view), as ``torch.broadcast_to``."""
    x = _tensor_arg(input, "broadcast_to", "input")
    size = (size,) if isinstance(size, (int, np.integer)) else tuple(size)
    lead = len(size) - x.ndim
    target = tuple(x.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(size))
    if (
        lead < 0
        or any(n == -1 for n in target)
        or not all(m in (1, n) for m, n in zip(x.shape, target[lead:]))
    ):
        raise RuntimeError(
            f"broadcast_to: the tensor of shape {tuple(x.shape)} cannot be broadcast to {size}"
        )
    return x.expand(target)


def tensor_split(input: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Views of ``input`` cut along ``dim``: into ``sections`` pieces (an int or a 0-d
    tensor; the first ``n % sections`` one longer), or at the ``indices`` (a list or a 1-d
    tensor; Python's slicing rules), as ``torch.tensor_split``."""
    x = _tensor_arg(input, "tensor_split", "input")
    d = _dim(dim, max(x.ndim, 1), "tensor_split")
    if x.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a 0-d")
    split = indices_or_sections
    if isinstance(split, Tensor):
        if split._data.dtype.kind not in "iu" or split.ndim > 1:
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                f"one-dimensional tensor of integers, but got dtype {split.dtype} and shape "
                f"{tuple(split.shape)}"
            )
        split = split.item() if split.ndim == 0 else split.tolist()
    n = x.shape[d]
    if isinstance(split, (int, np.integer)):
        if split <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {split}")
        small, extra = divmod(n, split)
        bounds = list(itertools.accumulate([small + 1] * extra + [small] * (split - extra - 1)))
    else:
        bounds = list(split)
    lead = (slice(None),) * d
    return tuple(x[lead + (slice(a, b),)] for a, b in zip([0, *bounds], [*bounds, None]))


def _split_along(input: Tensor, split: Any, dim: int, least: int, who: str) -> tuple[Tensor, ...]:
    """``tensor_split`` along ``dim`` for ``hsplit``, ``vsplit`` and ``dsplit``: an int
    must divide the size evenly, as PyTorch's."""
    x = _tensor_arg(input, who, "input")
    if x.ndim < least:
        raise RuntimeError(
            f"torch.{who} requires a tensor with at least {least} dimension, but got a tensor "
            f"with {x.ndim} dimensions!"
        )
    if isinstance(split, (int, np.integer)) and (split == 0 or x.shape[dim] % split):
        raise RuntimeError(
            f"torch.{who} attempted to split along dimension {dim}, but the size of the "
            f"dimension {x.shape[dim]} is not divisible by the split_size {split}!"
        )
    return tensor_split(x, split, dim)


def hsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """``tensor_split`` along dim 1 (dim 0 of a 1-d tensor), as ``torch.hsplit``."""
    dim = 0 if getattr(input, "ndim", 0) == 1 else 1
    return _split_along(input, indices_or_sections, dim, 1, "hsplit")


def vsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """``tensor_split`` along dim 0 of a tensor of 2 or more dims, as ``torch.vsplit``."""
    return _split_along(input, indices_or_sections, 0, 2, "vsplit")


def dsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """``tensor_split`` along dim 2 of a tensor of 3 or more dims, as ``torch.dsplit``."""
    return _split_along(input, indices_or_sections, 2, 3, "dsplit")


def rot90(input: Tensor, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
    """``input`` turned by ``k`` quarter turns in the plane of ``dims``, from the first dim
    toward the second, as ``torch.rot90``."""
    x = _tensor_arg(input, "rot90", "input")
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if x.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {x.ndim}")
    d0, d1 = _dims(dims, x.ndim, "rot90")
    if d0 == d1:
        raise RuntimeError(
            f"expected rotation dims to be different, but got dim0 = {d0} and dim1 = {d1}"
        )
    turns = k % 4
    if turns == 0:
        return x.clone()
    if turns == 2:
        return x.flip(d0, d1)
    return x.flip(d1 if turns == 1 else d0).transpose(d0, d1)


def fliplr(input: Tensor) -> Tensor:
    """``input.flip(1)`` of a tensor of 2 or more dims, as ``torch.fliplr``."""
    if _tensor_arg(input, "fliplr", "input").ndim < 2:
        raise RuntimeError(f"fliplr: Input must be >= 2-d, got shape {tuple(input.shape)}")
    return input.flip(1)


def flipud(input: Tensor) -> Tensor:
    """``input.flip(0)`` of a tensor of 1 or more dims, as ``torch.flipud``."""
    if _tensor_arg(input, "flipud", "input").ndim < 1:
        raise RuntimeError("flipud: Input must be >= 1-d, got a 0-d tensor")
    return input.flip(0)


def _diagonal_places(offset: int, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """The row and column indices of diagonal ``offset`` of a ``rows`` by ``cols`` matrix."""
    below, right = max(-offset, 0), max(offset, 0)
    i = np.arange(max(0, min(rows - below, cols - right)))
    return i + below, i + right


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The diagonal ``offset`` of the matrices in dims ``dim1`` and ``dim2``, as the last
    dim, as ``torch.diagonal`` (a copy here, not a view)."""
    x = _tensor_arg(input, "diagonal", "input")
    d1, d2 = _dim(dim1, x.ndim, "diagonal"), _dim(dim2, x.ndim, "diagonal")
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    rest = [d for d in range(x.ndim) if d not in (d1, d2)]
    rows, cols = _diagonal_places(offset, x.shape[d1], x.shape[d2])
    return x.permute(*rest, d1, d2)[..., rows, cols]


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Matrices whose diagonal ``offset`` holds the last dim of ``input``, in the new dims
    ``dim1`` and ``dim2`` of the result (zeros elsewhere), as ``torch.diag_embed``."""
    x = _tensor_arg(input, "diag_embed", "input")
    n = x.shape[-1] if x.ndim else 1
    ndim = max(x.ndim, 1) + 1
    d1, d2 = _dim(dim1, ndim, "diag_embed"), _dim(dim2, ndim, "diag_embed")
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    m = n + abs(offset)
    rows, cols = _diagonal_places(offset, m, m)
    batch = tuple(x.shape[:-1])
    out = IndexPut.apply(x.reshape(batch + (n,)), shape=batch + (m, m), index=(..., rows, cols))
    order = iter(range(ndim - 2))
    return out.permute(
        [ndim - 2 if i == d1 else ndim - 1 if i == d2 else next(order) for i in range(ndim)]
    )


def diagflat(input: Tensor, offset: int = 0) -> Tensor:
    """The elements of ``input`` laid on the diagonal ``offset`` of a square matrix, as
    ``torch.diagflat``."""
    return _tensor_arg(input, "diagflat", "input").reshape(-1).diag(offset)


def take(input: Tensor, index: Tensor) -> Tensor:
    """The elements of the flattened ``input`` at ``index`` (int64; negative ones count from
    the end), in the shape of ``index``, as ``torch.take``."""
    x = _tensor_arg(input, "take", "input")
    idx = _tensor_arg(index, "take", "index")._data
    if idx.dtype != np.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {index.dtype}")
    n = x.numel()
    if idx.size and (idx.min() < -n or idx.max() >= n):
        bad = idx.min() if idx.min() < -n else idx.max()
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
    return x.reshape(-1)[idx]


def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """``input`` gathered along ``dim`` at ``indices`` (int64), the other dims of the two
    broadcast together; of the flattened ``input`` when ``dim`` is None, as
    ``torch.take_along_dim``."""
    x = _tensor_arg(input, "take_along_dim", "input")
    idx = _tensor_arg(indices, "take_along_dim", "indices")
    if idx._data.dtype != np.int64:
        raise RuntimeError(
            f"torch.take_along_dim(): dtype of indices should be Long but got {idx.dtype}"
        )
    if dim is None:
        return x.reshape(-1).gather(0, idx.reshape(-1))
    if x.ndim != idx.ndim:
        raise RuntimeError(
            "torch.take_along_dim(): input and indices should have the same number of "
            f"dimensions, but input has {x.ndim} dimensions and indices has {idx.ndim} dimensions"
        )
    d = _dim(dim, x.ndim, "take_along_dim")
    try:
        shape = list(np.broadcast_shapes(_off(x.shape, d), _off(idx.shape, d)))
    except ValueError:
        raise RuntimeError(
            f"take_along_dim: the shapes of input {tuple(x.shape)} and indices "
            f"{tuple(idx.shape)} do not broadcast off dim {d}"
        ) from None
    index = np.broadcast_to(idx._data, shape[:d] + [idx.shape[d]] + shape[d + 1 :])
    return x.expand(shape[:d] + [x.shape[d]] + shape[d + 1 :]).gather(d, wrap(index))


def _off(shape: Sequence[int], dim: int) -> tuple[int, ...]:
    """``shape`` with size 1 at ``dim``."""
    return tuple(1 if i == dim else n for i, n in enumerate(shape))


def _at_least(tensors: tuple, ndim: int, pad: Any, who: str) -> Any:
    """The tensors with dims added by ``pad(t)`` up to ``ndim``: one tensor for one, a tuple
    for several or for a list, as PyTorch's ``atleast_*d``."""
    one = len(tensors) == 1 and isinstance(tensors[0], Tensor)
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    out = tuple(
        pad(_tensor_arg(t, who, f"tensors[{i}]")) if t.ndim < ndim else t
        for i, t in enumerate(tensors)
    )
    return out[0] if one else out


def atleast_1d(*tensors: Any) -> Any:
    """Each tensor with at least 1 dim (a 0-d one as shape ``(1,)``), as
    ``torch.atleast_1d``."""
    return _at_least(tensors, 1, lambda t: t.reshape(1), "atleast_1d")


def atleast_2d(*tensors: Any) -> Any:
    """Each tensor with at least 2 dims: 0-d as ``(1, 1)``, ``(n,)`` as ``(1, n)``, as
    ``torch.atleast_2d``."""
    return _at_least(tensors, 2, lambda t: t.reshape(1, -1), "atleast_2d")


def atleast_3d(*tensors: Any) -> Any:
    """Each tensor with at least 3 dims: 0-d as ``(1, 1, 1)``, ``(n,)`` as ``(1, n, 1)``,
    ``(m, n)`` as ``(m, n, 1)``, as ``torch.atleast_3d``."""
    return _at_least(
        tensors, 3, lambda t: t.reshape(1, -1, 1) if t.ndim < 2 else t.unsqueeze(-1), "atleast_3d"
    )


def _indices(places: tuple[np.ndarray, np.ndarray], dtype: Any) -> Tensor:
    return wrap(np.stack(places).astype(dtypes.int64 if dtype is None else dtype))


def triu_indices(
    row: int, col: int, offset: int = 0, *, dtype: Any = None, device: Any = None
) -> Tensor:
    """The ``(2, N)`` int64 row and column indices of the upper triangle (on and above
    diagonal ``offset``) of a ``row`` by ``col`` matrix, row by row, as
    ``torch.triu_indices``."""
    return _indices(np.triu_indices(row, offset, col), dtype)


def tril_indices(
    row: int, col: int, offset: int = 0, *, dtype: Any = None, device: Any = None
) -> Tensor:
    """The ``(2, N)`` indices of the lower triangle (on and below diagonal ``offset``), as
    ``torch.tril_indices``."""
    return _indices(np.tril_indices(row, offset, col), dtype)


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """The ``(N, k)`` tensor of every tuple of elements of the ``k`` 1-d tensors, the last
    varying fastest (one tensor is returned as it is), as ``torch.cartesian_prod``."""
    for i, t in enumerate(tensors):
        if _tensor_arg(t, "cartesian_prod", f"tensors[{i}]").ndim != 1:
            raise RuntimeError(
                f"Expect a 1D vector, but got shape {list(t.shape)} for tensors[{i}]"
            )
    if len(tensors) == 1:
        return tensors[0]
    return stack([g.reshape(-1) for g in meshgrid(*tensors, indexing="ij")], 1)


def block_diag(*tensors: Tensor) -> Tensor:
    """The matrices (0-d and 1-d tensors as one row) on the diagonal of a matrix of zeros,
    in their common dtype, as ``torch.block_diag``."""
    blocks = []
    for i, t in enumerate(tensors):
        if _tensor_arg(t, "block_diag", f"tensors[{i}]").ndim > 2:
            raise RuntimeError(
                f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} "
                f"has {t.ndim} dimensions"
            )
        blocks.append(t.reshape(1, -1) if t.ndim < 2 else t)
    if not blocks:
        return wrap(np.zeros((1, 0), dtypes.get_default_dtype()))
    dtype = blocks[0]._data.dtype
    for b in blocks:  # PyTorch's promotion, each block counting as a tensor with dims
        dtype = dtypes.result_type(np.empty(1, dtype), np.empty(1, b._data.dtype))
    width = sum(b.shape[1] for b in blocks)
    rows, left = [], 0
    for b in blocks:
        r, c = b.shape
        zeros = (wrap(np.zeros((r, left), dtype)), wrap(np.zeros((r, width - left - c), dtype)))
        rows.append(cat([zeros[0], b.to(dtype), zeros[1]], 1))
        left += c
    return cat(rows, 0)


def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    """The ``(N, r)`` tensor of the ``r``-element combinations of the elements of the 1-d
    ``input`` (with repeats when ``with_replacement``), in lexicographic order of places, as
    ``torch.combinations`` (``r = 0``: an empty 1-d tensor)."""
    x = _tensor_arg(input, "combinations", "input")
    if x.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(x.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return wrap(np.zeros(0, x._data.dtype))
    choose = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    places = np.array(list(choose(range(x.shape[0]), r)), dtype=np.int64).reshape(-1, r)
    return x[places]


for _name in (
    "movedim moveaxis swapdims unflatten ravel broadcast_to tensor_split hsplit vsplit dsplit "
    "rot90 fliplr flipud diagonal diag_embed diagflat take take_along_dim"
).split():
    setattr(Tensor, _name, globals()[_name])
