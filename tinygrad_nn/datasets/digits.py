"""The 8x8 handwritten digits shipped with the package (no download)."""

from __future__ import annotations

import functools
import gzip
from importlib import resources

import numpy as np

from ..tensor import Tensor, wrap

__all__ = ["load_digits"]

N_SAMPLES, N_PIXELS, N_CLASSES = 1797, 64, 10


@functools.lru_cache(maxsize=1)
def _raw() -> np.ndarray:
    """The shipped table as uint8, shape (1797, 65): 64 pixels (0..16) then the label."""
    path = resources.files("tinygrad_nn.datasets").joinpath("digits.csv.gz")
    with path.open("rb") as fh, gzip.open(fh, "rt") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.int64, ndmin=2)
    if table.shape != (N_SAMPLES, N_PIXELS + 1):
        raise RuntimeError(f"{path}: expected a {N_SAMPLES}x65 table, found {table.shape}")
    pixels, labels = table[:, :N_PIXELS], table[:, N_PIXELS]
    if pixels.min() < 0 or pixels.max() > 16 or labels.min() < 0 or labels.max() > 9:
        raise RuntimeError(f"{path}: pixel values outside 0..16 or labels outside 0..9")
    table = table.astype(np.uint8)
    table.flags.writeable = False
    return table


def load_digits(
    dtype: np.dtype | type = np.float32, as_tensors: bool = False
) -> tuple[np.ndarray, np.ndarray] | tuple[Tensor, Tensor]:
    """The 1,797 handwritten digits, 8x8 pixels, as ``(X, y)``.

    ``X`` has shape (1797, 64), the pixels row by row scaled by 1/16 into [0, 1], of
    ``dtype``; ``y`` has shape (1797,), the digit 0-9 as int64. Fresh arrays each call;
    ``as_tensors=True`` wraps them as Tensors (e.g. for ``TensorDataset(*load_digits(...))``).
    For images shaped (8, 8) use ``X.reshape(-1, 8, 8)``.

    Source: the test part of "Optical Recognition of Handwritten Digits", E. Alpaydin and
    C. Kaynak (1998), UCI Machine Learning Repository, licensed CC BY 4.0
    (https://archive.ics.uci.edu/dataset/80); this is the copy that scikit-learn distributes
    (BSD-3-Clause) as its bundled digits data.
    """
    dtype = np.dtype(dtype)
    if not np.issubdtype(dtype, np.floating):
        raise TypeError(f"load_digits: dtype must be a floating dtype, got {dtype}")
    table = _raw()
    X = table[:, :N_PIXELS].astype(dtype) / dtype.type(16)
    y = table[:, N_PIXELS].astype(np.int64)
    if as_tensors:
        return wrap(X), wrap(y)
    return X, y
