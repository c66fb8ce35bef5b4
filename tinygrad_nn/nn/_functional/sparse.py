r"""``embedding``: a lookup table, $y[\dots] = W[\text{index}[\dots]]$; its gradient adds
each upstream row into the row of $W$ it came from (repeated indices accumulate)."""

from __future__ import annotations

import numpy as np

from ...tensor import Tensor, wrap


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None) -> Tensor:
    r"""Rows of ``weight`` (num_embeddings, dim) at the integer indices ``input``:
    $y[i] = W[x_i]$. The row ``padding_idx`` gets no gradient, as in PyTorch."""
    idx = input._data if isinstance(input, Tensor) else np.asarray(input)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"embedding: indices must be integers, got dtype {idx.dtype}")
    n = weight.shape[0]
    if idx.size and (idx.min() < -n or idx.max() >= n):
        raise IndexError(
            f"embedding: index out of range for {n} embeddings ({idx.min()}..{idx.max()})"
        )
    if padding_idx is None:
        return weight[idx]
    keep = (idx != padding_idx % n)[..., None].astype(weight.dtype)
    rows = weight[idx]
    return rows * wrap(keep) + (rows * wrap(1 - keep)).detach()
