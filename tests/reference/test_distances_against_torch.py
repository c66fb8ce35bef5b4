"""cdist, pdist and dist against PyTorch on the same rows: values and gradients for each p
(0 and inf included, zero distances included), broadcast batches, dtypes and errors."""

import numpy as np
import pytest

import tinygrad_nn as tnn
import tinygrad_nn.nn.functional as F
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

ORDERS = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, float("inf")]
rng = np.random.default_rng(5)
X1 = rng.normal(size=(2, 1, 4, 3))
X2 = rng.normal(size=(3, 5, 3))
ROWS = np.vstack([rng.normal(size=(4, 3)), [[0.5, 0.5, 0.5]] * 2, [[0.5, 1.0, 0.5]]])


def _compare(fn, arrays, dtype=np.float64, grad=True):
    """Values and (float64) gradients of ``fn(library, *leaves)`` on both libraries."""
    outs, leaves = [], []
    for lib in (tnn, torch):
        ts = [lib.tensor(np.asarray(a, dtype), requires_grad=grad) for a in arrays]
        outs.append(fn(lib, *ts))
        leaves.append(ts)
    out, ref = outs
    assert str(out.dtype) == str(ref.dtype).removeprefix("torch.")
    assert tuple(out.shape) == tuple(ref.shape)
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=rtol, atol=rtol)
    if grad:
        v = rng.standard_normal(tuple(ref.shape))
        out.backward(tnn.tensor(v))
        ref.backward(torch.tensor(v))
        for o, t in zip(*leaves):
            got = np.zeros(tuple(t.shape)) if o.grad is None else o.grad.numpy()
            np.testing.assert_allclose(got, t.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("p", ORDERS)
def test_cdist_of_broadcast_batches(p):
    _compare(lambda lib, a, b: lib.cdist(a, b, p=p), [X1, X2])


@pytest.mark.parametrize("p", ORDERS)
def test_cdist_where_rows_coincide(p):
    _compare(lambda lib, a, b: lib.cdist(a, b, p), [ROWS, ROWS[3:]])


@pytest.mark.parametrize("mode", ["use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist"])
def test_cdist_float32_and_compute_modes(mode):
    _compare(lambda lib, a, b: lib.cdist(a, b, compute_mode=mode), [X1, X2], np.float32, False)


@pytest.mark.parametrize("p", ORDERS)
def test_pdist(p):
    _compare(lambda lib, a: lib.pdist(a, p), [ROWS])
    _compare(lambda lib, a: lib.nn.functional.pdist(a, p=p), [ROWS], np.float32, False)


def test_pdist_of_one_row_is_empty_and_f_pdist_is_pdist():
    assert tnn.pdist(tnn.ones(1, 3)).shape == (0,) and F.pdist is tnn.pdist


@pytest.mark.parametrize("p", [*ORDERS, -1.0, -float("inf")])
def test_dist(p):
    grad = p != 0  # torch's backward of p = 0 fails ("Expected a proper Tensor")
    _compare(lambda lib, a, b: lib.dist(a, b, p), [X1[0, 0], ROWS[:1] + 0.25], grad=grad)
    same_middle = X1[0, 0][:, ::-1].copy()  # a zero difference in the middle column
    _compare(lambda lib, a, b: a.dist(b, p=p), [X1[0, 0], same_middle], grad=grad)


def test_dist_promotes():
    for dtypes in [(np.float32, np.float64), (np.int64, np.float32)]:
        out, ref = (lib.dist(*(lib.tensor(np.ones(3, d)) for d in dtypes)) for lib in (tnn, torch))
        assert str(out.dtype) == str(ref.dtype).removeprefix("torch.")


BAD = [
    lambda lib: lib.cdist(lib.ones(3, 2), lib.ones(2, 2), p=-1),
    lambda lib: lib.cdist(lib.ones(3, 2), lib.ones(2, 2), p=float("nan")),
    lambda lib: lib.cdist(lib.ones(3, 2), lib.ones(2, 3)),
    lambda lib: lib.cdist(lib.ones(2), lib.ones(2, 2)),
    lambda lib: lib.cdist(lib.ones(3, 2, dtype=lib.int64), lib.ones(2, 2, dtype=lib.int64)),
    lambda lib: lib.cdist(lib.ones(3, 2, dtype=lib.float64), lib.ones(2, 2)),
    lambda lib: lib.cdist(lib.ones(2, 3, 2), lib.ones(3, 2, 2)),
    lambda lib: lib.cdist(lib.ones(3, 2), lib.ones(2, 2), compute_mode="fast"),
    lambda lib: lib.pdist(lib.ones(3, 2), -1),
    lambda lib: lib.pdist(lib.ones(3)),
    lambda lib: lib.pdist(lib.ones(1, 3, 2)),
    lambda lib: lib.pdist(lib.ones(3, 2, dtype=lib.int64)),
    lambda lib: lib.dist(lib.ones(3, 2), lib.ones(2, 2)),
    lambda lib: lib.dist(lib.ones(3, dtype=lib.int64), lib.ones(3, dtype=lib.int64)),
    lambda lib: lib.dist(lib.ones(3), 2.0),
]


@pytest.mark.parametrize("call", BAD)
def test_errors(call):
    tt.assert_same_error(call, tnn, torch)
