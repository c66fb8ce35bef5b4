"""The order statistics and NaN-skipping reductions (tinygrad_nn.order): the gradient
equals central differences in float64 for drawn shapes, dims and arguments, with a random
upstream gradient and every element compared (tt.check_grad). Values are distinct (a grid
drawn unique), so that a small step never changes which element is chosen; NaNs are put in
by ``where`` beside the input, so that the input itself stays differentiable."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

INTERPOLATIONS = ["linear", "lower", "higher", "midpoint", "nearest"]


@st.composite
def distinct_along_a_dim(draw, min_dims=0):
    """A tensor of distinct values, a dim of it (of a 0-d one: 0 or -1) and keepdim."""
    x = draw(tt.tensors(shape=tt.shapes(min_dims=min_dims), elements=tt.GRID, unique=True))
    dim = draw(st.integers(-max(x.ndim, 1), max(x.ndim, 1) - 1))
    return x, dim, draw(st.booleans())


@st.composite
def with_nans(draw):
    """A tensor, a mask of the places that become NaN, and ``put``, which makes them so."""
    x = draw(tt.tensors(shape=tt.shapes(min_dims=1), elements=tt.GRID, unique=True))
    holes = draw(tt.arrays(shape=tuple(x.shape), dtype=bool, elements=st.booleans()))

    def put(t):
        return tnn.where(holes, math.nan, t)

    return x, holes, put


@given(distinct_along_a_dim())
def test_median_kthvalue_and_mode_gradients_go_to_the_chosen_element(case):
    x, dim, keepdim = case
    n = x.shape[dim] if x.ndim else 1

    def fn(t):
        parts = [t.median(), t.median(dim, keepdim).values, t.nanmedian(dim, keepdim)[0]]
        parts += [tnn.kthvalue(t, n, dim, keepdim).values, t.mode(dim, keepdim).values]
        # a slice that is all NaN reduces to NaN, which no input moves: compared as 0, so that
        # the check compares numbers (a NaN in only one of the two gradients fails it)
        return tnn.cat([p.reshape(-1) for p in parts]).nan_to_num()

    assert tt.check_grad(fn, [x])


def test_median_of_all_shares_its_gradient_among_the_elements_equal_to_it():
    x = tnn.tensor([2.0, 1.0, 2.0, 1.0, 0.0], requires_grad=True)
    x.median().backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.0, 0.5, 0.0]


@given(distinct_along_a_dim(min_dims=1), st.sampled_from(INTERPOLATIONS), st.data())
def test_quantile_gradient_is_the_interpolation_weights(case, interpolation, data):
    x, dim, keepdim = case
    q = data.draw(st.one_of(st.floats(0, 1), st.lists(st.floats(0, 1), min_size=1, max_size=3)))
    q = tnn.tensor(q, dtype=tnn.float64) if isinstance(q, list) else q
    along = data.draw(st.sampled_from([None, dim]))

    def fn(t):
        return tnn.quantile(t, q, along, keepdim, interpolation=interpolation)

    assert tt.check_grad(fn, [x])


@given(with_nans(), st.sampled_from(INTERPOLATIONS), st.floats(0, 1), st.data())
def test_nan_skipping_reductions_have_gradient_zero_at_the_nans(case, interpolation, q, data):
    x, holes, put = case
    dim = data.draw(st.integers(-x.ndim, x.ndim - 1))

    def fn(t):
        y = put(t)
        parts = [tnn.nansum(y), y.nansum(dim), y.nanmedian(dim).values]
        parts += [y.nanquantile(q, dim, interpolation=interpolation)]
        if not holes.all():
            parts += [y.nanmean(), y.nanmedian()]
        # a slice that is all NaN reduces to NaN, which no input moves: compared as 0, so that
        # the check compares numbers (a NaN in only one of the two gradients fails it)
        return tnn.cat([p.reshape(-1) for p in parts]).nan_to_num()

    assert tt.check_grad(fn, [x])


@given(distinct_along_a_dim())
def test_cummax_and_cummin_gradients_go_to_the_running_extreme(case):
    x, dim, _ = case
    assert tt.check_grad(lambda t: tnn.cummax(t, dim).values - t.cummin(dim)[0] * 2, [x])


@given(tt.tensors(elements=st.floats(-30, 30)), st.data())
def test_logcumsumexp_gradient_matches_finite_differences(x, data):
    dim = data.draw(st.integers(-max(x.ndim, 1), max(x.ndim, 1) - 1))
    assert tt.check_grad(lambda t: tnn.logcumsumexp(t, dim), [x])


def test_logcumsumexp_is_stable_where_exp_would_overflow_or_underflow():
    x = tnn.tensor([-1000.0, 0.0, 1000.0, 999.0], dtype=tnn.float64, requires_grad=True)
    out = x.logcumsumexp(0)
    np.testing.assert_allclose(out.detach().numpy(), [-1000, 0, 1000, 1000 + np.log1p(np.exp(-1))])
    out.backward(tnn.ones_like(out))
    softmax_tail = 1 / (1 + np.exp(-1))
    np.testing.assert_allclose(x.grad.numpy(), [1, 1, 1 + softmax_tail, 1 - softmax_tail])


@given(distinct_along_a_dim())
def test_aminmax_and_msort_gradients_match_finite_differences(case):
    x, dim, keepdim = case
    along = None if x.ndim == 0 else dim

    def fn(t):
        low, high = tnn.aminmax(t, dim=along, keepdim=keepdim)
        return tnn.stack([low, high * 2]).reshape(-1).sum() + t.msort().reshape(-1)

    assert tt.check_grad(fn, [x])
