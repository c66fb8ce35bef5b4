"""Samplers: the order in which a ``DataLoader`` visits a dataset's indices
(``torch.utils.data.sampler``'s names, arguments and errors).

A sampler is an iterable of indices; a batch sampler an iterable of lists of indices.
``DataLoader(shuffle=True)`` is ``RandomSampler`` with the loader's generator, cut into
batches by ``BatchSampler``. Random samplers draw from ``generator`` (a
``numpy.random.Generator``, a ``tnn.Generator`` or an int seed), or from the global
generator of ``tinygrad_nn.random`` when it is None; each ``iter`` draws a new order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Any

import numpy as np

from ..random import resolve_generator
from ..sampling import multinomial
from ..tensor import array_of, wrap

__all__ = [
    "Sampler",
    "SequentialSampler",
    "RandomSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
    "BatchSampler",
]


def _positive_int(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{name} should be a positive integer value, but got {name}={value}")
    return value


class Sampler:
    """Base class: subclasses define ``__iter__`` (the indices) and usually ``__len__``."""

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


class SequentialSampler(Sampler):
    """``0, 1, ..., len(data_source) - 1``, in order."""

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """The indices of ``data_source`` in random order: without replacement, whole
    permutations (``num_samples`` beyond the length starts another permutation), with
    ``replacement=True``, ``num_samples`` independent uniform draws."""

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: np.random.Generator | int | None = None,
    ) -> None:
        if not isinstance(replacement, bool):
            raise TypeError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        self.data_source, self.replacement, self._num_samples = data_source, replacement, None
        if num_samples is not None:
            self._num_samples = _positive_int("num_samples", num_samples)
        self.generator = generator
        self._generator = resolve_generator(generator, "RandomSampler")

    @property
    def num_samples(self) -> int:
        """How many indices one iteration gives (the dataset's length unless set)."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        n, k, gen = len(self.data_source), self.num_samples, self._generator
        if n == 0:
            return iter([])
        if self.replacement:
            return iter(gen.integers(0, n, size=k).tolist())
        orders = [gen.permutation(n) for _ in range(k // n)]
        if k % n:
            orders.append(gen.permutation(n)[: k % n])
        return iter(np.concatenate(orders).tolist())

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given ``indices`` in random order, a new permutation every iteration."""

    def __init__(
        self, indices: Sequence[int], generator: np.random.Generator | int | None = None
    ) -> None:
        self.indices, self.generator = indices, generator
        self._generator = resolve_generator(generator, "SubsetRandomSampler")

    def __iter__(self) -> Iterator[Any]:
        return (self.indices[i] for i in self._generator.permutation(len(self.indices)))

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    r"""``num_samples`` indices $i$ drawn with probability $w_i / \sum_j w_j$ (the
    ``weights`` need not sum to 1), with replacement unless ``replacement=False``; the
    draw is ``tnn.multinomial``'s."""

    def __init__(
        self,
        weights: Sequence[float] | Any,
        num_samples: int,
        replacement: bool = True,
        generator: np.random.Generator | int | None = None,
    ) -> None:
        self.num_samples = _positive_int("num_samples", num_samples)
        if not isinstance(replacement, bool):
            raise ValueError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        w = np.asarray(array_of(weights), dtype=np.float64)
        if w.ndim != 1:
            raise ValueError(
                f"weights should be a 1d sequence but given weights have shape {w.shape}"
            )
        self.weights, self.replacement, self.generator = wrap(w), replacement, generator
        self._generator = resolve_generator(generator, "WeightedRandomSampler")

    def __iter__(self) -> Iterator[int]:
        drawn = multinomial(
            self.weights, self.num_samples, self.replacement, generator=self._generator
        )
        return iter(drawn._data.tolist())

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler):
    """Lists of ``batch_size`` consecutive indices of ``sampler``; the last, shorter one
    is kept unless ``drop_last``."""

    def __init__(self, sampler: Iterable[Any], batch_size: int, drop_last: bool) -> None:
        self.batch_size = _positive_int("batch_size", batch_size)
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler, self.drop_last = sampler, drop_last

    def __iter__(self) -> Iterator[list[Any]]:
        batch: list[Any] = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
