"""``DataLoader``: mini-batches over a dataset, one epoch per iteration (notes §14.1–14.2).

Each ``iter(loader)`` is one epoch: the indices ``0..n-1`` (shuffled when ``shuffle=True``,
with a fresh permutation every epoch) are cut into consecutive chunks of ``batch_size``;
the last, shorter chunk is kept unless ``drop_last=True``. So every sample appears exactly
once per epoch (at most ``batch_size - 1`` are left out with ``drop_last``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .. import checks
from ..random import resolve_generator
from .dataset import Dataset
from .workers import WorkerPool, fetch

__all__ = ["DataLoader"]


class DataLoader:
    """Iterate over ``dataset`` in mini-batches, like ``torch.utils.data.DataLoader``.

    Batches come from ``dataset.get_batch(indices)``: for a ``TensorDataset`` (or a
    ``Subset`` of one) a tuple of Tensors stacked along dim 0, fetched by fancy-indexing.
    ``generator`` (a ``numpy.random.Generator``, a ``tnn.Generator`` or an int seed) drives
    the shuffling; None means the global generator of ``tinygrad_nn.random``, which
    ``manual_seed`` reseeds in place. ``collate_fn``, when given, receives the list of
    samples of each batch (as in PyTorch) instead of the fast batched fetch.

    ``num_workers > 0`` fetches the batches in that many worker processes (see
    ``tinygrad_nn.data.workers``: per-worker seeds, ``worker_init_fn``, ``timeout``,
    ``prefetch_factor``, ``persistent_workers`` keeping them between epochs); the batches
    are the same, in the same order, as with ``num_workers=0``. ``pin_memory`` is accepted
    and does nothing: it speeds up copies to a GPU, and tinygrad_nn stays on the CPU.
    """

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        generator: np.random.Generator | int | None = None,
        collate_fn: Callable[[list[Any]], Any] | None = None,
        num_workers: int = 0,
        pin_memory: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        multiprocessing_context: str | None = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
    ) -> None:
        batch_size = checks.integer("DataLoader: batch_size", batch_size, minimum=1)
        if not hasattr(dataset, "__len__"):
            raise TypeError(
                f"DataLoader: dataset must define __len__, got {type(dataset).__name__}"
            )
        self.num_workers = checks.integer("DataLoader: num_workers", num_workers, minimum=0)
        if self.num_workers == 0 and (persistent_workers or prefetch_factor is not None):
            raise ValueError(
                "DataLoader: persistent_workers and prefetch_factor need num_workers > 0"
            )
        self.prefetch_factor = checks.integer(
            "DataLoader: prefetch_factor", 2 if prefetch_factor is None else prefetch_factor, 1
        )
        self.timeout = checks.non_negative("DataLoader: timeout", timeout)
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        # resolved once: an int seed then gives a new order every epoch, not the same one
        self.generator = resolve_generator(generator, "DataLoader")
        self.collate_fn = collate_fn
        self.pin_memory = bool(pin_memory)
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.persistent_workers = bool(persistent_workers)
        self._pool: WorkerPool | None = None
        self._seeds: np.random.Generator | None = None

    def __len__(self) -> int:
        """Number of batches in one epoch."""
        n = len(self.dataset)
        if self.drop_last:
            return n // self.batch_size
        return -(-n // self.batch_size)

    def _batches(self) -> list[np.ndarray]:
        n = len(self.dataset)
        order = self.generator.permutation(n) if self.shuffle else np.arange(n)
        stop = len(self) * self.batch_size
        return [order[start : start + self.batch_size] for start in range(0, stop, self.batch_size)]

    def __iter__(self) -> Iterator[Any]:
        batches = self._batches()
        if self.num_workers == 0:
            return (fetch(self.dataset, b, self.collate_fn) for b in batches)
        if not self.persistent_workers:
            return self._one_epoch_pool(batches)
        if self._pool is None or not self._pool.processes:  # none yet, or stopped by an error
            self._pool = WorkerPool(self, self._base_seed())
            weakref.finalize(self, self._pool.shutdown)
        return self._pool.epoch(batches)

    def _base_seed(self) -> int:
        """The workers' seeds are this plus their id, drawn from a generator spawned from the
        loader's: spawning leaves the loader's own draws, the shuffle order, as they are
        without workers."""
        if self._seeds is None:
            self._seeds = np.random.Generator(self.generator.bit_generator.spawn(1)[0])
        return int(self._seeds.integers(0, 2**62))

    def _one_epoch_pool(self, batches: list[np.ndarray]) -> Iterator[Any]:
        pool = WorkerPool(self, self._base_seed())
        try:
            yield from pool.epoch(batches)
        finally:  # also when the loop stops early
            pool.shutdown()

    def __repr__(self) -> str:
        return (
            f"DataLoader(dataset={type(self.dataset).__name__} of {len(self.dataset)}, "
            f"batch_size={self.batch_size}, shuffle={self.shuffle}, drop_last={self.drop_last}, "
            f"num_workers={self.num_workers})"
        )
