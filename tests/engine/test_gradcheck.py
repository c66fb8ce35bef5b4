"""The gradient checker itself: it passes right gradients and catches wrong ones."""

import numpy as np
import pytest
from hypothesis import given

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt
from tinygrad_nn.function import Function


class ZeroGradSquare(Function):
    def forward(self, x):
        return x * x

    def backward(self, g):
        return (g * 0,)


class UnreducedSum(Function):
    """Right values but a wrong backward: ignores the upstream gradient's values."""

    def forward(self, x):
        return x.sum(axis=-1)

    def backward(self, g):
        return (np.ones(g.shape + (3,)),)


class TransposedMatmul(Function):
    def forward(self, a, b):
        self.saved = (a, b)
        return a @ b

    def backward(self, g, a, b):
        return g @ b, a @ g  # should be g @ b.T and a.T @ g


class NaNGradSquare(Function):
    """Right values, and a NaN for one element's gradient."""

    def forward(self, x):
        self.saved = (x,)
        return x * x

    def backward(self, g, x):
        grad = 2 * g * x
        grad[0] = np.nan
        return (grad,)


def x64(*shape):
    return tnn.randn(*shape, dtype=tnn.float64, requires_grad=True)


@pytest.mark.parametrize(
    "fn, inputs",
    [
        (ZeroGradSquare.apply, [x64(3)]),
        (UnreducedSum.apply, [x64(2, 3)]),
        (TransposedMatmul.apply, [x64(3, 3), x64(3, 3)]),
        (NaNGradSquare.apply, [x64(3)]),
    ],
    ids=["zero", "unreduced", "transposed", "nan"],
)
def test_wrong_backward_is_caught(fn, inputs):
    with pytest.raises(tnn.GradcheckError, match=r"input \d .*element .*analytic .* numerical"):
        tnn.gradcheck(fn, inputs)


def test_equal_infinities_and_nans_in_both_gradients_pass():
    x = tnn.tensor([0.0, 1.0], dtype=tnn.float64, requires_grad=True)
    assert tnn.gradcheck(lambda t: t.sqrt() * 0 + t, [x])  # 0 * inf: NaN in both at 0


def test_gradcheck_requires_float64():
    with pytest.raises(ValueError, match="float64"):
        tnn.gradcheck(lambda t: t * 2, [tnn.randn(2, requires_grad=True)])


def test_numerical_grad_of_a_quadratic_is_exact():
    (g,) = tnn.numerical_grad(lambda t: (t * t).sum(), [tnn.tensor([1.0, -2.0], dtype=tnn.float64)])
    np.testing.assert_allclose(g, [2.0, -4.0], rtol=1e-8)


@given(tt.broadcast_tensors(2))
def test_second_derivatives_of_mul_and_div(xy):
    x, y = xy
    assert tnn.gradgradcheck(lambda a, b: a * b, [x, y])
    assert tnn.gradgradcheck(lambda a, b: a / (b * b + 1.0), [x, y])


@given(tt.tensors())
def test_second_derivatives_of_smooth_unary_ops(x):
    for fn in (
        lambda t: t.tanh(),
        lambda t: t.sigmoid(),
        lambda t: t.exp(),
        lambda t: t.arctan(),
        lambda t: t.sin() * t.cos(),
        lambda t: t**3,
        lambda t: (0.5 - t * 2.0) ** 2 / 3.0 + 1,  # ops of a tensor and a Python number
        lambda t: t.softmax(-1) if t.ndim else t.exp(),
    ):
        assert tnn.gradgradcheck(fn, [x])


@given(tt.tensors(shape=tt.shapes(min_dims=1)))
def test_second_derivatives_of_reductions_and_indexing(x):
    assert tnn.gradgradcheck(lambda t: (t * t).logsumexp(-1), [x])
    assert tnn.gradgradcheck(lambda t: (t[..., ::2] ** 2).sum() * t.mean(), [x])


def test_second_derivative_of_matmul():
    a, b = x64(2, 3), x64(3, 2)
    assert tnn.gradgradcheck(lambda p, q: (p @ q).tanh(), [a, b])


def test_gradgradcheck_of_linear_and_piecewise_linear_functions():
    x = x64(3)
    assert tnn.gradgradcheck(lambda t: t * 2.0, [x])
    assert tnn.gradgradcheck(lambda t: (t + 10.0).relu(), [x])
