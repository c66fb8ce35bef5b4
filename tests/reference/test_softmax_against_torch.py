r"""softmax, log_softmax, softmin and logsigmoid against PyTorch: rows holding infinities and
NaN (a row with $+\infty$ is NaN throughout), values and gradients along each dim, the
implicit dim of ``dim=None``, ``dtype=`` and the refusal of integer inputs, through every
spelling (``Tensor`` method, ``tnn.softmax``, ``F.softmax``, ``nn.Softmax``)."""

import warnings

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

inf, nan = np.inf, np.nan
ROWS = [
    [inf, 1.0, -2.0],
    [-inf, 1.0, 2.0],
    [-inf, -inf, -inf],
    [inf, inf, 0.0],
    [inf, -inf, 3.0],
    [nan, 1.0, 0.0],
    [1.0, 2.0, 3.0],
    [1e30, -1e30, 0.0],
]
SPELLINGS = {
    "method": lambda lib, x, dim, name: getattr(x, name)(dim),
    "function": lambda lib, x, dim, name: getattr(lib, name)(x, dim),
    "functional": lambda lib, x, dim, name: getattr(lib.nn.functional, name)(x, dim=dim),
    "module": lambda lib, x, dim, name: getattr(lib.nn, _MODULES[name])(dim)(x),
}
_MODULES = {"softmax": "Softmax", "log_softmax": "LogSoftmax", "softmin": "Softmin"}


def _both(fn, data, dtype="float32"):
    """``fn(lib, x)`` for x a leaf of ``data`` in each library; values, then gradients for a
    fixed upstream gradient, compared (NaN where torch has NaN)."""
    results = []
    for lib in (tnn, torch):
        x = lib.tensor(data, dtype=getattr(lib, dtype), requires_grad=True)
        out = fn(lib, x)
        upstream = np.arange(1.0, out.numel() + 1).reshape(tuple(out.shape))
        out.backward(lib.tensor(upstream, dtype=out.dtype))
        results.append((out.detach().numpy(), x.grad.numpy()))
    (out, grad), (ref, ref_grad) = results
    assert out.dtype == ref.dtype
    rtol = 3e-5 if out.dtype == np.float32 else 1e-12  # softmax is exp(log_softmax)
    np.testing.assert_allclose(out, ref, rtol=rtol, atol=1e-7, equal_nan=True)
    np.testing.assert_allclose(grad, ref_grad, rtol=rtol, atol=1e-6, equal_nan=True)


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_rows_with_infinities_and_nan(name, spelling, dim):
    _both(lambda lib, x: SPELLINGS[spelling](lib, x, dim, name), ROWS)


@pytest.mark.parametrize("spelling", ["functional", "module"])
@pytest.mark.parametrize("dim", [0, 1])
def test_softmin_is_torchs(spelling, dim):
    _both(lambda lib, x: SPELLINGS[spelling](lib, x, dim, "softmin"), ROWS)
    _both(lambda lib, x: lib.nn.functional.softmin(x, dim, dtype=lib.float64), ROWS)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_logsigmoid_at_extreme_values_is_torchs(dtype):
    values = [-inf, -1e30, -100.0, -20.0, -1.0, 0.0, 1.0, 20.0, 100.0, 1e30, inf, nan]
    _both(lambda lib, x: lib.nn.functional.logsigmoid(x), values, dtype)
    _both(lambda lib, x: lib.nn.LogSigmoid()(x), values, dtype)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("data", [inf, -inf, 2.0, [inf], [[inf, 1.0]]], ids=str)
def test_small_shapes_with_infinities(name, data):
    _both(lambda lib, x: getattr(x, name)(0), data, "float64")


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
@pytest.mark.parametrize("shape", [(), (5,), (2, 3), (2, 3, 4), (2, 3, 2, 2)], ids=str)
@pytest.mark.parametrize("spelling", ["functional", "module"])
def test_implicit_dim_is_torchs_with_its_warning(name, shape, spelling):
    data = np.random.default_rng(len(shape)).standard_normal(shape)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        _both(lambda lib, x: SPELLINGS[spelling](lib, x, None, name), data)
    ours, theirs = (str(w.message) for w in seen if w.category is UserWarning)
    assert ours == theirs and "Implicit dimension choice for" in ours


EMPTY = [((2, 0), 1), ((0, 3), 0), ((0,), 0), ((2, 0, 3), 1), ((2, 0, 3), -1)]


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape, dim", EMPTY, ids=str)
def test_an_empty_dim_gives_torchs_empty_result_and_gradient(name, spelling, shape, dim):
    _both(lambda lib, x: SPELLINGS[spelling](lib, x, dim, name), np.zeros(shape))


@pytest.mark.parametrize("spelling", ["functional", "module"])
@pytest.mark.parametrize("shape, dim", EMPTY, ids=str)
def test_softmin_and_logsumexp_of_an_empty_dim_are_torchs(spelling, shape, dim):
    _both(lambda lib, x: SPELLINGS[spelling](lib, x, dim, "softmin"), np.zeros(shape))
    _both(lambda lib, x: x.logsumexp(dim), np.zeros(shape))  # log 0 = -inf


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("data", [[1, 2, 5], [True, False]], ids=["int64", "bool"])
def test_integer_inputs_need_a_dtype(name, data):
    for lib in (tnn, torch):
        with pytest.raises(NotImplementedError):
            getattr(lib, name)(lib.tensor(data), 0)
    for dtype in ("float32", "float64"):
        ours = getattr(tnn, name)(tnn.tensor(data), 0, dtype=getattr(tnn, dtype))
        ref = getattr(torch.nn.functional, name)(torch.tensor(data), 0, dtype=getattr(torch, dtype))
        assert str(ours.dtype) == str(ref.dtype).replace("torch.", "")
        np.testing.assert_allclose(ours.numpy(), ref.numpy(), rtol=1e-5, atol=1e-6)


def test_dtype_casts_a_float_input_first():
    _both(lambda lib, x: x.softmax(1, dtype=lib.float64), ROWS)
    _both(lambda lib, x: lib.nn.functional.log_softmax(x, 0, 3, lib.float64), ROWS)


def test_module_repr():
    for name in _MODULES.values():
        for args in ((), (1,)):
            assert repr(getattr(tnn.nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))
