"""exp2, logit, xlogy, sinc and ``tinygrad_nn.special``: values at known points and at the
edges (0, 1, infinities, NaN), result dtypes, and the gradients PyTorch defines where the
formula is singular. tests/reference compares them with PyTorch's; the gradients against
finite differences are in test_elementwise_gradients.py."""

import math

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import special

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # log(0), 0/0 on purpose
INF, NAN = math.inf, math.nan


def _values(t):
    return np.asarray(t.detach().numpy(), dtype=np.float64)


def test_exp2_is_two_to_the_power_and_makes_integers_float():
    np.testing.assert_array_equal(
        _values(tnn.tensor([0.0, 1.0, -1.0, 10.0]).exp2()), [1, 2, 0.5, 1024]
    )
    x = tnn.tensor([0, 3])
    assert tnn.exp2(x).dtype == tnn.float32 and tnn.exp2(x).tolist() == [1.0, 8.0]
    y = tnn.tensor([3.0], requires_grad=True)
    y.exp2().backward()
    assert y.grad.item() == pytest.approx(8 * math.log(2))


def test_logit_is_the_inverse_of_sigmoid_with_infinities_at_0_and_1():
    x = tnn.tensor([0.0, 1.0, 0.5, -0.5, 1.5, NAN])
    np.testing.assert_array_equal(_values(x.logit()), [-INF, INF, 0.0, NAN, NAN, NAN])
    p = tnn.tensor([0.2, 0.7, 0.99], dtype=tnn.float64)
    np.testing.assert_allclose(_values(p.logit().sigmoid()), _values(p), rtol=1e-14)


def test_logit_gradient_is_infinite_at_0_and_1_and_nan_outside():
    x = tnn.tensor([-0.0, 0.0, 1.0, 0.5, -0.5, 2.0], requires_grad=True)
    x.logit().sum().backward()
    np.testing.assert_array_equal(_values(x.grad), [INF, INF, INF, 4.0, NAN, NAN])


def test_logit_with_eps_clamps_to_eps_and_one_minus_eps_with_gradient_zero_outside():
    x = tnn.tensor([0.0, 1.0, 0.5, 0.25, 0.1, -3.0], requires_grad=True)
    y = tnn.logit(x, eps=0.25)
    third = math.log(1 / 3)
    np.testing.assert_allclose(_values(y), [third, -third, 0, third, third, third], rtol=1e-6)
    y.sum().backward()
    np.testing.assert_allclose(_values(x.grad), [0, 0, 4, 1 / (0.25 * 0.75), 0, 0], rtol=1e-6)
    assert not np.signbit(_values(x.grad)).any()  # +0 where clamped, as PyTorch
    np.testing.assert_array_equal(_values(tnn.tensor([0.0, 1.0]).logit(-0.1)), [-INF, INF])


def test_xlogy_is_zero_where_x_is_zero_unless_y_is_nan():
    x = tnn.tensor([0.0, 0.0, 0.0, 2.0, 1.0, 0.0])
    y = tnn.tensor([0.0, -1.0, NAN, math.e, 0.0, INF])
    np.testing.assert_allclose(_values(x.xlogy(y)), [0, 0, NAN, 2, -INF, 0])
    assert not np.signbit(_values(x.xlogy(y))[:2]).any()
    assert tnn.xlogy(2, tnn.tensor([1.0, math.e])).tolist() == pytest.approx([0.0, 2.0])
    ints = tnn.xlogy(tnn.tensor([0, 1, 2]), 3)
    assert ints.dtype == tnn.float32 and ints.tolist() == pytest.approx(
        [0, math.log(3), 2 * math.log(3)]
    )


def test_xlogy_gradients_are_pytorchs_at_zero():
    x = tnn.tensor([0.0, 0.0, 2.0, 0.0], requires_grad=True)
    y = tnn.tensor([0.0, -1.0, 4.0, 2.0], requires_grad=True)
    x.xlogy(y).sum().backward()
    # d/dx = log y, but 0 where x = 0 and y <= 0; d/dy = x / y
    np.testing.assert_allclose(_values(x.grad), [0, 0, math.log(4), math.log(2)])
    np.testing.assert_allclose(_values(y.grad), [NAN, 0, 0.5, 0])


def test_sinc_is_one_at_zero_with_gradient_zero():
    x = tnn.tensor([0.0, 0.5, 1.0, -1.5, INF], dtype=tnn.float64, requires_grad=True)
    np.testing.assert_allclose(
        _values(x.sinc()), [1, 2 / math.pi, 0, -2 / (3 * math.pi), NAN], atol=1e-16
    )
    x.sinc()[:4].sum().backward()
    np.testing.assert_allclose(_values(x.grad)[:3], [0, -4 / math.pi, -1], atol=1e-15)


def test_entr_is_minus_x_log_x_zero_at_zero_and_minus_infinity_below():
    x = tnn.tensor([0.0, 1.0, 1 / math.e, -1.0, INF, NAN], dtype=tnn.float64)
    np.testing.assert_allclose(_values(special.entr(x)), [0, 0, 1 / math.e, -INF, -INF, NAN])
    p = tnn.tensor([0.5, 0.25, 0.25, 0.0], requires_grad=True)
    entropy = special.entr(p).sum()
    assert entropy.item() == pytest.approx(1.5 * math.log(2))
    entropy.backward()  # -(1 + log p): +inf at p = 0
    np.testing.assert_allclose(
        _values(p.grad), [math.log(2) - 1, math.log(4) - 1, math.log(4) - 1, INF], rtol=1e-6
    )


def test_ndtr_is_the_normal_distribution_function_accurate_in_the_far_tail():
    x = tnn.tensor([0.0, 1.959963984540054, -10.0, 40.0], dtype=tnn.float64)
    np.testing.assert_allclose(
        _values(special.ndtr(x)), [0.5, 0.975, 7.619853024160527e-24, 1.0], rtol=1e-14
    )
    assert special.ndtr(tnn.tensor([0, 1])).dtype == tnn.float32


def test_special_names_are_the_functions_of_the_same_maths():
    x = tnn.tensor([[-1.5, 0.0, 2.0], [0.5, 3.0, -0.25]])
    for name, same in (
        ("expit", x.sigmoid()),
        ("erf", x.erf()),
        ("erfc", x.erfc()),
        ("exp2", x.exp2()),
        ("expm1", x.expm1()),
        ("log1p", x.abs().log1p()),
        ("sinc", x.sinc()),
    ):
        arg = x.abs() if name == "log1p" else x
        np.testing.assert_array_equal(getattr(special, name)(arg).numpy(), same.numpy())
    np.testing.assert_array_equal(special.softmax(x, 1).numpy(), x.softmax(1).numpy())
    np.testing.assert_array_equal(special.log_softmax(x, 0).numpy(), x.log_softmax(0).numpy())
    np.testing.assert_array_equal(special.logsumexp(x, 1).numpy(), x.logsumexp(1).numpy())
    with pytest.raises(TypeError):
        special.softmax(x)  # dim is required, as in torch.special


def test_in_place_forms_and_out_argument():
    x = tnn.tensor([1.0, 2.0])
    x.exp2_()
    assert x.tolist() == [2.0, 4.0]
    out = tnn.empty(2)
    special.entr(tnn.tensor([1.0, 0.0]), out=out)
    assert out.tolist() == [0.0, 0.0]
    with pytest.raises(RuntimeError, match="can't be cast"):
        tnn.tensor([1, 2]).logit_()
