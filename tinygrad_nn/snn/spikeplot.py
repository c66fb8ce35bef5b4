"""Pictures of spike trains (snnTorch's ``spikeplot``); needs matplotlib."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import array_of

__all__ = ["raster"]


def raster(data: Any, ax: Any, **kwargs: Any) -> Any:
    """A raster plot: a mark at (t, neuron) for every spike of ``data``, shape
    ``(num_steps, neurons)`` (or ``(num_steps,)`` for one neuron); ``kwargs`` go to
    ``ax.scatter`` (e.g. ``s=20, c="black"``). Returns the scatter's collection."""
    a = np.asarray(array_of(data))
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2:
        raise ValueError(f"raster: data must have shape (num_steps, neurons), got {a.shape}")
    t, neuron = np.nonzero(a)
    return ax.scatter(t, neuron, **kwargs)
