"""``DataLoader``: mini-batches over a dataset, one epoch per iteration (notes §14.1–14.2).

Each ``iter(loader)`` is one epoch: the indices ``0..n-1`` (shuffled when ``shuffle=True``,
with a fresh permutation every epoch) are cut into consecutive chunks of ``batch_size``;
the last, shorter chunk is kept unless ``drop_last=True``. So every sample appears exactly
once per epoch (at most ``batch_size - 1`` are left out with ``drop_last``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .. import checks
from ..random import resolve_generator
from .dataset import Dataset, fetch_batch

__all__ = ["DataLoader"]


class DataLoader:
    """Iterate over ``dataset`` in mini-batches, like ``torch.utils._data.DataLoader``.

    Batches come from ``dataset.get_batch(indices)``: for a ``TensorDataset`` (or a
    ``Subset`` of one) a tuple of Tensors stacked along dim 0, fetched by fancy-indexing.
    ``generator`` (a ``numpy.random.Generator`` or an int seed) drives the shuffling; None
    means the global generator of ``tinygrad_nn.random``, which ``manual_seed`` reseeds in
    place. ``collate_fn``, when given, receives the list of samples
    of each batch (as in PyTorch) instead of the fast batched fetch.
    """

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        generator: np.random.Generator | None = None,
        collate_fn: Callable[[list[Any]], Any] | None = None,
    ) -> None:
        batch_size = checks.integer("DataLoader: batch_size", batch_size, minimum=1)
        if not hasattr(dataset, "__len__"):
            raise TypeError(
                f"DataLoader: dataset must define __len__, got {type(dataset).__name__}"
            )
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        # resolved once: an int seed then gives a new order every epoch, not the same one
        self.generator = resolve_generator(generator, "DataLoader")
        self.collate_fn = collate_fn

    def __len__(self) -> int:
        """Number of batches in one epoch."""
        n = len(self.dataset)
        if self.drop_last:
            return n // self.batch_size
        return -(-n // self.batch_size)

    def _order(self) -> np.ndarray:
        n = len(self.dataset)
        if self.shuffle:
            return self.generator.permutation(n)
        return np.arange(n)

    def __iter__(self) -> Iterator[Any]:
        order = self._order()
        stop = len(self) * self.batch_size
        for start in range(0, stop, self.batch_size):
            indices = order[start : start + self.batch_size]
            if self.collate_fn is None:
                yield fetch_batch(self.dataset, indices)
            else:  # the user's collation, sample by sample as in PyTorch
                yield self.collate_fn([self.dataset[int(i)] for i in indices])

    def __repr__(self) -> str:
        return (
            f"DataLoader(dataset={type(self.dataset).__name__} of {len(self.dataset)}, "
            f"batch_size={self.batch_size}, shuffle={self.shuffle}, drop_last={self.drop_last})"
        )
