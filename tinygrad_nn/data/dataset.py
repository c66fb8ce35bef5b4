"""Datasets: ``Dataset``, ``IterableDataset``, ``TensorDataset``, ``Subset`` and
``random_split`` (PyTorch names).

A dataset maps an index to one sample. Datasets that can also fetch a whole mini-batch at
once define ``get_batch(indices)``; :class:`~tinygrad_nn.data.DataLoader` uses it, so a
``TensorDataset`` (and a ``Subset`` of one) is batched by one fancy-indexing of its arrays,
with no per-sample Python loop (notes §14.1: process the batch as one matrix).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import checks
from ..random import resolve_generator
from ..tensor import Tensor, array_of, wrap

__all__ = [
    "Dataset",
    "IterableDataset",
    "TensorDataset",
    "Subset",
    "random_split",
    "default_collate",
    "default_convert",
    "fetch_batch",
]

Transform = Callable[[np.ndarray], np.ndarray]


def _stack(values: Sequence[Any], field: str = "") -> Tensor:
    arrays = []
    for i, v in enumerate(values):
        a = array_of(v)
        if a.dtype.kind not in "biuf":
            raise TypeError(
                f"default_collate: sample {i}{field} is {type(v).__name__} {v!r:.40}, not a "
                "number, array or Tensor"
            )
        if a.shape != array_of(values[0]).shape:
            raise ValueError(
                f"default_collate: samples of different shapes cannot be stacked: sample 0"
                f"{field} has shape {array_of(values[0]).shape}, sample {i} has {a.shape}"
            )
        arrays.append(a)
    return wrap(np.stack(arrays))


def default_collate(samples: Sequence[Any]) -> Any:
    """Stack a list of samples along a new dim 0.

    A sample that is a tuple or list of fields gives a tuple of batched Tensors; a single
    Tensor, array or number gives one Tensor (Python ints become int64, floats float64).
    """
    if len(samples) == 0:
        raise ValueError("default_collate: cannot collate an empty list of samples")
    first = samples[0]
    if isinstance(first, (tuple, list)):
        width = len(first)
        if any(len(s) != width for s in samples):
            raise ValueError("default_collate: samples have different numbers of fields")
        return tuple(_stack([s[k] for s in samples], f" field {k}") for k in range(width))
    return _stack(samples)


def default_convert(sample: Any) -> Any:
    """A sample with its numpy arrays made Tensors, inside tuples, lists and dicts too (what
    a ``DataLoader`` with ``batch_size=None`` gives, as PyTorch's ``default_convert``)."""
    if isinstance(sample, np.ndarray) and sample.dtype.kind in "biuf":
        return wrap(sample)
    if isinstance(sample, dict):
        return {k: default_convert(v) for k, v in sample.items()}
    if isinstance(sample, (tuple, list)):
        converted = [default_convert(v) for v in sample]
        return type(sample)(*converted) if hasattr(sample, "_fields") else type(sample)(converted)
    return sample


class Dataset:
    """Map-style dataset: subclasses define ``__getitem__(index)`` and ``__len__()``.

    ``get_batch(indices)`` returns the collated mini-batch; this default fetches the
    samples one by one, and subclasses that can do better override it.
    """

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must define __len__")

    def get_batch(self, indices: np.ndarray) -> Any:
        return default_collate([self[int(i)] for i in indices])

    def __add__(self, other: Dataset) -> Dataset:
        """``a + b`` is ``ConcatDataset([a, b])``."""
        from .combine import ConcatDataset  # combine builds on this module

        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """Stream-style dataset: subclasses define ``__iter__``, which yields the samples.

    A ``DataLoader`` cuts the stream into batches (no sampler, no shuffling). With
    ``num_workers > 0`` every worker iterates its own copy of the whole dataset, as in
    PyTorch: to split the work, ``__iter__`` asks :func:`get_worker_info` which worker it
    runs in.
    """

    def __iter__(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")

    def __getitem__(self, index: int) -> Any:
        raise TypeError(f"{type(self).__name__} is an IterableDataset: iterate it, do not index")

    def __len__(self) -> int:  # as a Python object without __len__: a TypeError
        raise TypeError(f"object of type '{type(self).__name__}' has no len()")

    def __add__(self, other: Dataset) -> Dataset:
        """``a + b`` is ``ChainDataset([a, b])``."""
        from .combine import ChainDataset

        return ChainDataset([self, other])


def fetch_batch(dataset: Any, indices: np.ndarray) -> Any:
    """``dataset.get_batch(indices)``, or the collated samples for a dataset without it."""
    get_batch = getattr(dataset, "get_batch", None)
    if get_batch is not None:
        return get_batch(indices)
    return Dataset.get_batch(dataset, indices)


def _as_array(value: Any, position: int) -> np.ndarray:
    if isinstance(value, Tensor):
        return value._data
    if isinstance(value, np.ndarray):
        return value
    raise TypeError(
        f"TensorDataset: argument {position} must be a Tensor or numpy array, "
        f"got {type(value).__name__}"
    )


class TensorDataset(Dataset):
    """Dataset wrapping Tensors (or numpy arrays) that share their size in dim 0.

    Sample ``i`` is ``tuple(t[i] for t in tensors)``. As in torchvision's datasets, the
    optional keyword ``transform`` is applied to the first tensor (the inputs) and
    ``target_transform`` to the second; both receive numpy arrays, one sample or a whole
    batch, and must treat the leading dim of a batch as samples (see ``data.transforms``).
    """

    def __init__(
        self,
        *tensors: Tensor | np.ndarray,
        transform: Transform | None = None,
        target_transform: Transform | None = None,
    ) -> None:
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        arrays = [_as_array(t, k) for k, t in enumerate(tensors)]
        for k, a in enumerate(arrays):
            if a.ndim == 0:
                raise ValueError(f"TensorDataset: tensor {k} is 0-d; it needs a dim 0 of samples")
        n = arrays[0].shape[0]
        for k, a in enumerate(arrays[1:], start=1):
            if a.shape[0] != n:
                raise ValueError(
                    "TensorDataset: all tensors must have the same size in dim 0, "
                    f"but tensor 0 has {n} and tensor {k} has {a.shape[0]} "
                    f"(shapes {arrays[0].shape} and {a.shape})"
                )
        if target_transform is not None and len(arrays) < 2:
            raise ValueError("TensorDataset: target_transform needs a second tensor (targets)")
        self.tensors = tuple(
            t if isinstance(t, Tensor) else wrap(a) for t, a in zip(tensors, arrays)
        )
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self) -> int:
        return self.tensors[0]._data.shape[0]

    def _fetch(self, index: Any) -> tuple[Tensor, ...]:
        fields = [np.asarray(t._data[index]) for t in self.tensors]
        if self.transform is not None:
            fields[0] = np.asarray(self.transform(fields[0]))
        if self.target_transform is not None:
            fields[1] = np.asarray(self.target_transform(fields[1]))
        return tuple(wrap(f) for f in fields)

    def __getitem__(self, index: int) -> tuple[Tensor, ...]:
        return self._fetch(index)

    def get_batch(self, indices: np.ndarray) -> tuple[Tensor, ...]:
        """The samples at ``indices`` stacked along dim 0, by one fancy-indexing per tensor."""
        return self._fetch(np.asarray(indices, dtype=np.intp))


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order."""

    def __init__(self, dataset: Dataset, indices: Sequence[int] | np.ndarray) -> None:
        idx = np.asarray(indices)
        if idx.size == 0:
            idx = idx.astype(np.intp)
        if idx.ndim != 1 or not np.issubdtype(idx.dtype, np.integer):
            raise TypeError(
                f"Subset: indices must be a 1-d sequence of ints, got dtype {idx.dtype} "
                f"and shape {idx.shape}"
            )
        self.dataset = dataset
        self.indices = idx

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index: int) -> Any:
        return self.dataset[int(self.indices[index])]

    def get_batch(self, indices: np.ndarray) -> Any:
        return fetch_batch(self.dataset, self.indices[np.asarray(indices, dtype=np.intp)])


def _split_lengths(n: int, lengths: Sequence[float]) -> list[int]:
    """Integer lengths, or fractions summing to 1 turned into counts as PyTorch does:
    ``floor(n * f)`` each, then the remainder given one by one from the first subset on."""
    if len(lengths) == 0:
        raise ValueError("random_split: lengths must not be empty")
    for k, length in enumerate(lengths):
        checks.in_range(f"random_split: lengths[{k}]", length)  # a number, not NaN or inf
    total = sum(lengths)
    if math.isclose(total, 1) and total <= 1:
        for k, frac in enumerate(lengths):
            if not 0 <= frac <= 1:
                raise ValueError(f"random_split: fraction at index {k} is not in [0, 1]: {frac}")
        counts = [math.floor(n * frac) for frac in lengths]
        for k in range(n - sum(counts)):
            counts[k % len(counts)] += 1
        return counts
    counts = []
    for k, length in enumerate(lengths):
        if isinstance(length, bool) or int(length) != length or length < 0:
            raise ValueError(
                f"random_split: lengths must be non-negative ints or fractions summing to 1, "
                f"got {length!r} at index {k}"
            )
        counts.append(int(length))
    if sum(counts) != n:
        raise ValueError(
            f"random_split: sum of lengths {counts} is {sum(counts)}, "
            f"but the dataset has {n} samples"
        )
    return counts


def random_split(
    dataset: Dataset,
    lengths: Sequence[float],
    generator: np.random.Generator | None = None,
) -> list[Subset]:
    """Split ``dataset`` at random into non-overlapping ``Subset``s of the given lengths
    (e.g. train/validation/test, notes §11.1). ``lengths`` are counts summing to
    ``len(dataset)`` or fractions summing to 1."""
    gen = resolve_generator(generator, "random_split")
    n = len(dataset)
    counts = _split_lengths(n, list(lengths))
    perm = gen.permutation(n)
    bounds = np.cumsum([0, *counts])
    return [Subset(dataset, perm[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
