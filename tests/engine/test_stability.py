"""Large inputs give finite results and no overflow warnings."""

import warnings

import numpy as np
import pytest

import tinygrad_nn as tnn

BIG = [-1000.0, 0.0, 1000.0]


@pytest.fixture(autouse=True)
def errors_on_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            yield


@pytest.mark.parametrize("dtype", [tnn.float32, tnn.float64])
def test_sigmoid_of_large_inputs(dtype):
    x = tnn.tensor(BIG, dtype=dtype, requires_grad=True)
    y = x.sigmoid()
    np.testing.assert_allclose(y.detach().numpy(), [0.0, 0.5, 1.0])
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.25, 0.0])


@pytest.mark.parametrize("dtype", [tnn.float32, tnn.float64])
def test_softmax_logsoftmax_logsumexp_of_large_inputs(dtype):
    x = tnn.tensor(BIG, dtype=dtype, requires_grad=True)
    np.testing.assert_allclose(x.softmax(0).detach().numpy(), [0.0, 0.0, 1.0])
    np.testing.assert_allclose(x.log_softmax(0).detach().numpy(), [-2000.0, -1000.0, 0.0])
    lse = x.logsumexp(0)
    assert lse.item() == pytest.approx(1000.0)
    lse.backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.0, 1.0])


def test_logsumexp_of_all_minus_infinity_is_minus_infinity():
    assert tnn.tensor([-np.inf, -np.inf]).logsumexp(0).item() == -np.inf


@pytest.mark.parametrize(
    "expr, value, grad",
    [
        ("x.log()", [-np.inf, 0.0], [np.inf, 1.0]),
        ("1 / x", [np.inf, 1.0], [-np.inf, -1.0]),
        ("(x - 1).sqrt()", [np.nan, 0.0], [np.nan, np.inf]),
        ("(x * 1000).exp() - (x * 1000).exp()", [0.0, np.nan], [0.0, np.nan]),
        ("x.log() * 0", [np.nan, 0.0], [np.nan, 0.0]),
    ],
)
def test_inf_and_nan_are_silent_where_warnings_are_errors(expr, value, grad):
    # the fixture makes numpy's warnings errors twice over (a filter and np.errstate), as
    # `pytest -W error` or np.seterr(all="raise") would: PyTorch's inf and NaN still come out
    x = tnn.tensor([0.0, 1.0], requires_grad=True)
    y = eval(expr, {"x": x})
    np.testing.assert_array_equal(y.detach().numpy(), np.float32(value))
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.float32(grad))


@pytest.mark.parametrize("way", ["fast", "public"])
def test_numpy_warnings_are_turned_off_and_back_on(way):
    from tinygrad_nn import function

    silence, restore = {
        "fast": (function.silence_fp, function.restore_fp),
        "public": (function._silence_public, function._restore_public),
    }[way]
    before = np.geterr()
    token = silence()
    try:
        assert set(np.geterr().values()) == {"ignore"}
        np.float32(1) / np.float32(0)  # no FloatingPointError, no warning
    finally:
        restore(token)
    assert np.geterr() == before
