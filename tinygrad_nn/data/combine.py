"""Datasets made of datasets: one after another (``ConcatDataset``, ``ChainDataset``) or
side by side (``StackDataset``), with PyTorch's names and errors."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import Any

import numpy as np

from .dataset import Dataset, IterableDataset, fetch_batch

__all__ = ["ConcatDataset", "ChainDataset", "StackDataset"]


class ConcatDataset(Dataset):
    """The samples of ``datasets`` (map-style) one dataset after another; sample ``i`` comes
    from the first dataset whose ``cumulative_sizes`` entry exceeds ``i``."""

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise AssertionError("datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise AssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = list(accumulate(len(d) for d in self.datasets))

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int) -> Any:
        if index < 0:
            if -index > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            index += len(self)
        which = bisect_right(self.cumulative_sizes, index)
        if which == len(self.datasets):
            raise IndexError(f"ConcatDataset: index {index} is out of range for {len(self)}")
        start = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][index - start]


class ChainDataset(IterableDataset):
    """The samples of the ``IterableDataset``s in ``datasets``, one stream after another."""

    def __init__(self, datasets: Iterable[IterableDataset]) -> None:
        self.datasets = datasets

    def _parts(self) -> Iterator[IterableDataset]:
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            yield d

    def __iter__(self) -> Iterator[Any]:
        for d in self._parts():
            yield from d

    def __len__(self) -> int:
        return sum(len(d) for d in self._parts())


class StackDataset(Dataset):
    """Sample ``i`` of several datasets of one length side by side: a tuple
    ``(a[i], b[i], ...)`` for ``StackDataset(a, b)``, a dict ``{"x": a[i], ...}`` for
    ``StackDataset(x=a, ...)``. Batches are fetched from each dataset as a whole."""

    def __init__(self, *args: Dataset, **kwargs: Dataset) -> None:
        if args and kwargs:
            raise ValueError(
                "Supported either ``tuple``- (via ``args``) or ``dict``- (via ``kwargs``) "
                "like input/output, but both types are given."
            )
        if not args and not kwargs:
            raise ValueError("At least one dataset should be passed")
        self.datasets: tuple | dict = args or kwargs
        parts = list(args or kwargs.values())
        self._length = len(parts[0])
        if any(len(d) != self._length for d in parts):
            raise ValueError("Size mismatch between datasets")

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: int) -> Any:
        if isinstance(self.datasets, dict):
            return {k: d[index] for k, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def get_batch(self, indices: np.ndarray) -> Any:
        """Each dataset's batch (``fetch_batch``), in a tuple or dict as the samples."""
        if isinstance(self.datasets, dict):
            return {k: fetch_batch(d, indices) for k, d in self.datasets.items()}
        return tuple(fetch_batch(d, indices) for d in self.datasets)
