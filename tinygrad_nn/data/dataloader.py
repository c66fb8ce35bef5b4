"""``DataLoader``: mini-batches over a dataset, one epoch per iteration (notes §14.1–14.2).

Each ``iter(loader)`` is one epoch: the indices ``0..n-1`` (shuffled when ``shuffle=True``,
with a fresh permutation every epoch) are cut into consecutive chunks of ``batch_size``;
the last, shorter chunk is kept unless ``drop_last=True``. So every sample appears exactly
once per epoch (at most ``batch_size - 1`` are left out with ``drop_last``). A ``sampler``
gives another order of indices, a ``batch_sampler`` the batches themselves; an
``IterableDataset`` is read as a stream and cut into batches as it comes.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

from .. import checks
from ..random import resolve_generator
from .dataset import Dataset, IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler
from .workers import WorkerPool, fetch, stream_batches

__all__ = ["DataLoader"]


class DataLoader:
    """Iterate over ``dataset`` in mini-batches, like ``torch.utils.data.DataLoader``.

    Batches come from ``dataset.get_batch(indices)``: for a ``TensorDataset`` (or a
    ``Subset`` of one) a tuple of Tensors stacked along dim 0, fetched by fancy-indexing.
    ``generator`` (a ``numpy.random.Generator``, a ``tnn.Generator`` or an int seed) drives
    the shuffling; None means the global generator of ``tinygrad_nn.random``, which
    ``manual_seed`` reseeds in place. ``collate_fn``, when given, receives the list of
    samples of each batch (as in PyTorch) instead of the fast batched fetch.

    ``sampler`` (an iterable of indices) replaces the order; ``batch_sampler`` (an iterable
    of lists of indices) replaces the batching, and excludes ``batch_size``, ``shuffle``,
    ``sampler`` and ``drop_last``, as in PyTorch. ``batch_size=None`` turns batching off:
    each item is one sample, its numpy arrays made Tensors (``default_convert``), or
    ``collate_fn`` of it. An ``IterableDataset`` takes none of ``shuffle``, ``sampler`` and
    ``batch_sampler``.

    ``num_workers > 0`` fetches the batches in that many worker processes (see
    ``tinygrad_nn.data.workers``: per-worker seeds, ``worker_init_fn``, ``timeout``,
    ``prefetch_factor``, ``persistent_workers`` keeping them between epochs); the batches
    are the same, in the same order, as with ``num_workers=0``. ``pin_memory`` is accepted
    and does nothing: it speeds up copies to a GPU, and tinygrad_nn stays on the CPU.
    """

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int | None = 1,
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
        sampler: Sampler | Iterable[Any] | None = None,
        batch_sampler: Sampler | Iterable[list[Any]] | None = None,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
    ) -> None:
        if batch_size is not None:
            batch_size = checks.integer("DataLoader: batch_size", batch_size, minimum=1)
        self._iterable = isinstance(dataset, IterableDataset)
        if not self._iterable and not hasattr(dataset, "__len__"):
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
        self.batch_size: int | None = batch_size
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        # resolved once: an int seed then gives a new order every epoch, not the same one
        self.generator = resolve_generator(generator, "DataLoader")
        self._set_sampler(sampler, batch_sampler)
        self.collate_fn = collate_fn
        self.pin_memory = bool(pin_memory)
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.persistent_workers = bool(persistent_workers)
        self._pool: WorkerPool | None = None
        self._seeds: np.random.Generator | None = None

    def _set_sampler(self, sampler: Any, batch_sampler: Any) -> None:
        """``sampler`` and ``batch_sampler`` as PyTorch sets them, with its errors."""
        if self._iterable:
            for name, value in (
                ("shuffle", self.shuffle or None),
                ("sampler", sampler),
                ("batch_sampler", batch_sampler),
            ):
                if value is not None:
                    raise ValueError(
                        f"DataLoader with IterableDataset: expected unspecified {name} option, "
                        f"but got {name}={value}"
                    )
            self.sampler = self.batch_sampler = None
            return
        if sampler is not None and self.shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if self.batch_size != 1 or self.shuffle or sampler is not None or self.drop_last:
                raise ValueError(
                    "batch_sampler option is mutually exclusive with batch_size, shuffle, "
                    "sampler, and drop_last"
                )
            self.batch_size = None
        elif self.batch_size is None and self.drop_last:
            raise ValueError(
                "batch_size=None option disables auto-batching and is mutually exclusive with "
                "drop_last"
            )
        if sampler is None:
            shuffled = RandomSampler(self.dataset, generator=self.generator)
            sampler = shuffled if self.shuffle else SequentialSampler(self.dataset)
        if batch_sampler is None and self.batch_size is not None:
            batch_sampler = BatchSampler(sampler, self.batch_size, self.drop_last)
        self.sampler, self.batch_sampler = sampler, batch_sampler

    def __len__(self) -> int:
        """Number of batches in one epoch (for an ``IterableDataset``, from its length)."""
        if not self._iterable:
            return len(self.sampler if self.batch_sampler is None else self.batch_sampler)
        n = len(self.dataset)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def _batches(self) -> list[Any]:
        """The index arrays of the epoch's batches (the indices, without auto-batching)."""
        if self.batch_sampler is None:
            return list(self.sampler)
        return [np.asarray(b, dtype=np.intp) for b in self.batch_sampler]

    def __iter__(self) -> Iterator[Any]:
        if self._iterable and self.num_workers == 0:
            return stream_batches(
                iter(self.dataset), self.batch_size, self.drop_last, self.collate_fn
            )
        batches = None if self._iterable else self._batches()
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

    def _one_epoch_pool(self, batches: list[Any] | None) -> Iterator[Any]:
        pool = WorkerPool(self, self._base_seed())
        try:
            yield from pool.epoch(batches)
        finally:  # also when the loop stops early
            pool.shutdown()

    def __repr__(self) -> str:
        size = "a stream" if self._iterable else len(self.dataset)
        return (
            f"DataLoader(dataset={type(self.dataset).__name__} of {size}, "
            f"batch_size={self.batch_size}, shuffle={self.shuffle}, drop_last={self.drop_last}, "
            f"num_workers={self.num_workers})"
        )
