r"""Adaptive max pooling: ``adaptive_max_pool1d/2d/3d`` take the
maximum over PyTorch's adaptive windows, cells $\lfloor iS/O \rfloor .. \lceil (i+1)S/O
\rceil - 1$ of each side, whatever the input size. The maxima are found in numpy, one output
cell at a time; the result is a ``gather`` of the input at their flat indices, so the gradient
goes to the maxima (the first of a tie, as PyTorch's)."""

from __future__ import annotations

import math

import numpy as np

from ...tensor import Tensor, wrap
from .pooling import _adaptive_sizes


def _adaptive_max(
    input: Tensor, output_size: object, return_indices: bool, nd: int, who: str
) -> Tensor | tuple[Tensor, Tensor]:
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f'"{who}" not implemented for {input.dtype} tensors')
    sizes = _adaptive_sizes(input, output_size, nd, who)
    batch, spatial = input.shape[:-nd], input.shape[-nd:]
    flat = input.reshape(*batch, -1)
    indices = np.empty(batch + sizes, np.int64)
    for cell in np.ndindex(*sizes):
        ranges = [
            np.arange(i * n // o, math.ceil((i + 1) * n / o))
            for i, n, o in zip(cell, spatial, sizes)
        ]
        window = np.ravel_multi_index(np.meshgrid(*ranges, indexing="ij"), spatial).ravel()
        indices[(..., *cell)] = window[flat._data[..., window].argmax(-1)]
    picked = flat.gather(-1, wrap(indices.reshape(*batch, -1))).reshape(*batch, *sizes)
    return (picked, wrap(indices)) if return_indices else picked


def adaptive_max_pool1d(
    input: Tensor, output_size: int, return_indices: bool = False
) -> Tensor | tuple[Tensor, Tensor]:
    r"""The maximum of each adaptive window of (N, C, L) or (C, L), to ``output_size`` cells;
    with ``return_indices`` also the position of each maximum along L."""
    return _adaptive_max(input, output_size, return_indices, 1, "adaptive_max_pool1d")


def adaptive_max_pool2d(
    input: Tensor, output_size: int | tuple[int | None, int | None], return_indices: bool = False
) -> Tensor | tuple[Tensor, Tensor]:
    r"""The maximum of each adaptive window of (N, C, H, W) or (C, H, W), to ``output_size``
    (OH, OW) (``None`` keeps that side); with ``return_indices`` also the flat position
    $h W + w$ of each maximum."""
    return _adaptive_max(input, output_size, return_indices, 2, "adaptive_max_pool2d")


def adaptive_max_pool3d(
    input: Tensor,
    output_size: int | tuple[int | None, int | None, int | None],
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]:
    r"""The maximum of each adaptive window of (N, C, D, H, W) or (C, D, H, W), to
    ``output_size`` (OD, OH, OW) (``None`` keeps that side); with ``return_indices`` also the
    flat position $(d H + h) W + w$ of each maximum."""
    return _adaptive_max(input, output_size, return_indices, 3, "adaptive_max_pool3d")
