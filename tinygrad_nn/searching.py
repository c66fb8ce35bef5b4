r"""Searching a sorted tensor, as PyTorch's ``searchsorted`` and ``bucketize``: for each value
$v$ the index $i$ at which it would be inserted to keep the order, $s_{i-1} < v \le s_i$
(``right=True``: $s_{i-1} \le v < s_i$). Indices are int64 (int32 with ``out_int32``) and
have no gradient."""

from __future__ import annotations

import numpy as np

from .tensor import Tensor, _tensor_arg, wrap

__all__ = ["searchsorted", "bucketize"]


def searchsorted(
    sorted_sequence: Tensor,
    input: Tensor | float,
    *,
    out_int32: bool = False,
    right: bool = False,
    side: str | None = None,
    sorter: Tensor | None = None,
) -> Tensor:
    """The insertion index of each element of ``input`` in ``sorted_sequence``, sorted along
    its last dim: one 1-d sequence for every value, or one per row when its leading dims are
    ``input``'s. ``side="right"`` (or ``right``) places a value after its equals; ``sorter``
    gives the order of an unsorted sequence."""
    seq = _tensor_arg(sorted_sequence, "searchsorted", "sorted_sequence")._data
    if side is not None and side not in ("left", "right"):
        raise RuntimeError(
            f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}"
        )
    if side == "left" and right:
        raise RuntimeError(
            "torch.searchsorted(): side and right can't be set to opposites, got side of left "
            "while right was True"
        )
    values = np.asarray(input._data if isinstance(input, Tensor) else input)
    if values.ndim == 0 and seq.ndim != 1:
        raise RuntimeError(
            "torch.searchsorted(): input value can be a scalar only when boundaries tensor "
            f"dimension is 1, but we got boundaries tensor dim({seq.ndim}) and input value's "
            "dim(0) numel(1)"
        )
    if seq.ndim != 1 and seq.shape[:-1] != values.shape[:-1]:
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
            "dimensions of boundaries tensor and input value tensor must match, but we got "
            f"boundaries tensor {list(seq.shape)} and input value tensor {list(values.shape)}"
        )
    if sorter is not None:
        seq = np.take_along_axis(seq, sorter._data, axis=-1)
    where = "right" if right or side == "right" else "left"
    if seq.ndim == 1:
        index = np.searchsorted(seq, values, side=where)
    else:
        rows = seq.reshape(-1, seq.shape[-1])
        flat = values.reshape(len(rows), -1)
        index = np.stack([np.searchsorted(r, v, side=where) for r, v in zip(rows, flat)])
        index = index.reshape(values.shape)
    return wrap(np.asarray(index, dtype=np.int32 if out_int32 else np.int64))


def bucketize(
    input: Tensor | float, boundaries: Tensor, *, out_int32: bool = False, right: bool = False
) -> Tensor:
    r"""The bucket of each element of ``input`` among the increasing 1-d ``boundaries``:
    $i$ with $b_{i-1} < v \le b_i$ (``right=True``: $b_{i-1} \le v < b_i$)."""
    if _tensor_arg(boundaries, "bucketize", "boundaries").ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)
