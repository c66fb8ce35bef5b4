import hashlib
from importlib import resources

import numpy as np
import pytest

from tinygrad_nn.datasets import load_digits
from tinygrad_nn.tensor import Tensor

# from ../shared/data/README.md, the provenance record of the shipped file
SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"


def test_shipped_file_has_the_recorded_sha256():
    raw = resources.files("tinygrad_nn.datasets").joinpath("digits.csv.gz").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SHA256


def test_shapes_and_dtypes():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float32
    assert y.shape == (1797,) and y.dtype == np.int64


def test_pixels_are_sixteenths_in_unit_interval():
    X, _ = load_digits()
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.array_equal(X * 16, np.round(X * 16))


def test_class_counts_match_the_published_data_set():
    # per-class counts of scikit-learn's digits (the UCI test set): 1797 in all
    _, y = load_digits()
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_first_digit_is_the_known_zero():
    X, y = load_digits()
    assert y[0] == 0
    assert (X[0, :16] * 16).astype(int).tolist() == [
        0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0,
    ]  # fmt: skip


def test_dtype_option_gives_float64():
    X, _ = load_digits(dtype=np.float64)
    assert X.dtype == np.float64


def test_integer_dtype_is_rejected():
    with pytest.raises(TypeError, match="dtype must be a floating dtype, got int32"):
        load_digits(dtype=np.int32)


def test_as_tensors_returns_tensors():
    X, y = load_digits(as_tensors=True)
    assert isinstance(X, Tensor) and isinstance(y, Tensor) and X.shape == (1797, 64)


def test_each_call_returns_fresh_arrays():
    X, y = load_digits()
    X[:] = -1.0
    y[:] = -1
    X2, y2 = load_digits()
    assert X2.min() == 0.0 and y2.min() == 0
