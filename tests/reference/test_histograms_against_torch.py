"""histc and histogram against PyTorch on the same data: counts (edges, the closed last bin,
values outside the range), bin edges, weights, density, dtypes and the error types."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

rng = np.random.default_rng(3)
DATA = {
    "normal": rng.normal(size=200),
    "on edges": np.array([0.0, 1.0, 2.0, 3.0, 3.0, 0.9999999, -1.0, 4.0, 2.5]),
    "constant": np.array([1.5, 1.5]),
    "empty": np.array([]),
    "grid": np.arange(-20, 21) / 7,
}


def _same(ours, theirs):
    """The same dtype, and values equal to a few float32 ulps of the largest (bin edges:
    PyTorch's vectorised linspace rounds some inner edges differently, by the width of its
    vectors)."""
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    a, b = ours.numpy(), theirs.numpy()
    scale = np.abs(b[np.isfinite(b)]).max(initial=0)
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6 * scale, equal_nan=True)


def _run(fn, data, dtype, *tensors):
    """``fn(library, x, *tensors)`` with ``x`` the data in ``dtype``, on both libraries."""
    results = []
    for lib in (tnn, torch):
        args = [lib.tensor(np.asarray(a, dtype)) for a in (data, *tensors)]
        results.append(fn(lib, *args))
    return results


@pytest.mark.parametrize("name", DATA)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("args", [(), (7,), (4, 0.0, 3.0), (5, -1.0, 1.0), (3, 2.0, 2.0)])
def test_histc(name, dtype, args):
    out, ref = _run(lambda lib, x: lib.histc(x, *args), DATA[name], dtype)
    np.testing.assert_array_equal(out.numpy(), ref.numpy())
    _same(out, ref)
    out, ref = _run(lambda lib, x: x.histc(*args), DATA[name], dtype)
    np.testing.assert_array_equal(out.numpy(), ref.numpy())


@pytest.mark.parametrize("name", DATA)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "kwargs",
    [{}, {"range": (0.0, 3.0)}, {"range": (1.0, 1.0)}, {"density": True}, {"range": (-1, 2.5)}],
)
@pytest.mark.parametrize("bins", [1, 4, 10])
def test_histogram_of_equal_bins(name, dtype, kwargs, bins):
    out, ref = _run(lambda lib, x: lib.histogram(x, bins, **kwargs), DATA[name], dtype)
    _same(out.bin_edges, ref.bin_edges)
    _same(out.hist, ref.hist)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("density", [False, True])
def test_histogram_of_given_edges_and_weights(dtype, density):
    data, edges = DATA["on edges"].reshape(3, 3), [0.0, 1.0, 1.0, 2.5, 4.0]
    weights = np.arange(9.0).reshape(3, 3) / 4
    out, ref = _run(
        lambda lib, x, e, w: lib.histogram(x, e, weight=w, density=density),
        data,
        dtype,
        edges,
        weights,
    )
    _same(out.hist, ref.hist)
    _same(out.bin_edges, ref.bin_edges)
    out, ref = _run(lambda lib, x, e: x.histogram(e, density=density), data, dtype, edges)
    _same(out.hist, ref.hist)


def test_histogram_result_is_a_named_pair_and_takes_out():
    x = tnn.tensor([1.0, 2.0, 2.5])
    hist, edges = tnn.histogram(x, 2)
    result = tnn.histogram(x, 2, out=(tnn.empty(0), tnn.empty(0)))
    assert result.hist.tolist() == hist.tolist() == [1.0, 2.0]
    assert result.bin_edges.tolist() == edges.tolist() == [1.0, 1.75, 2.5]
    assert isinstance(result, tnn.HistogramResult)


def test_histc_takes_out():
    out = tnn.empty(0)
    assert tnn.histc(tnn.tensor([1.0, 2.0]), 2, out=out) is out and out.tolist() == [1.0, 1.0]


def test_results_have_no_gradient():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    assert not x.histc(2).requires_grad and not tnn.histogram(x, 2).hist.requires_grad


BAD = [
    lambda lib: lib.histc(lib.tensor([1, 2, 3]), 3),
    lambda lib: lib.histc(lib.tensor([1.0, 2.0]), 0),
    lambda lib: lib.histc(lib.tensor([1.0, 2.0]), 2.0),
    lambda lib: lib.histc(lib.tensor([1.0, 2.0]), 4, min=3, max=1),
    lambda lib: lib.histc(lib.tensor([1.0, float("nan")]), 4),
    lambda lib: lib.histc(lib.tensor([1.0, float("inf")]), 4),
    lambda lib: lib.histc(lib.tensor([1.0]), 4, 0, float("inf")),
    lambda lib: lib.histogram(lib.tensor([1, 2]), 4),
    lambda lib: lib.histogram(lib.tensor([1.0, 2.0]), 0),
    lambda lib: lib.histogram(lib.tensor([1.0, 2.0]), 2, range=(3.0, 1.0)),
    lambda lib: lib.histogram(lib.tensor([1.0, 2.0]), 2, range=(0.0, 1.0, 2.0)),
    lambda lib: lib.histogram(lib.tensor([1.0, float("nan")]), 2),
    lambda lib: lib.histogram(lib.tensor([1.0, 2.0]), 2, range=(float("nan"), 1.0)),
    lambda lib: lib.histogram(lib.tensor([1.0, 2.0]), lib.tensor([0.0, 1.0], dtype=lib.float64)),
    lambda lib: lib.histogram(lib.tensor([1.0, 2.0]), lib.tensor([[0.0, 1.0]])),
    lambda lib: lib.histogram(lib.tensor([1.0, 2.0]), lib.tensor([1.0])),
    lambda lib: lib.histogram(lib.tensor([1.0, 2.0]), lib.tensor([0.0, 1.0]), range=(0.0, 1.0)),
    lambda lib: lib.histogram(lib.tensor([1.0, 2.0]), 2, weight=lib.tensor([1, 2])),
    lambda lib: lib.histogram(lib.tensor([1.0, 2.0]), 2, weight=lib.tensor([1.0, 2.0, 3.0])),
]


@pytest.mark.parametrize("call", BAD)
def test_errors(call):
    tt.assert_same_error(call, tnn, torch)
