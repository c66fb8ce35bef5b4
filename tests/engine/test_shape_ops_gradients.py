"""The shape, indexing, scan and order ops (cumsum ... norm): the engine's gradient equals
central differences in float64 for drawn shapes and dims, a random upstream gradient, every
element compared (tt.check_grad)."""

import math

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

#: values with exact zeros among them: prod and cumprod take another path there
WITH_ZEROS = st.one_of(st.just(0.0), tt.REAL)
DISTINCT = dict(elements=tt.GRID, unique=True)

# name -> (function of a tensor and a dim, elements, needs distinct values)
ALONG_DIM = {
    "cumsum": (lambda x, d: x.cumsum(d), tt.REAL),
    "cumprod": (lambda x, d: x.cumprod(d), WITH_ZEROS),
    "prod": (lambda x, d: x.prod(d), WITH_ZEROS),
    "prod_keepdim": (lambda x, d: x.prod(d, keepdim=True), WITH_ZEROS),
    "flip": (lambda x, d: x.flip(d), tt.REAL),
    "roll": (lambda x, d: x.roll(2, d), tt.REAL),
    "split": (lambda x, d: x.split(2, d)[-1] * 3.0, tt.REAL),
    "chunk": (lambda x, d: x.chunk(2, d)[0], tt.REAL),
    "repeat_interleave": (lambda x, d: x.repeat_interleave(2, d), tt.REAL),
    "index_select": (
        lambda x, d: x.index_select(d, tnn.tensor(np.array([0, 0, -1]) % x.shape[d])),
        tt.REAL,
    ),
    "sort_descending": (lambda x, d: x.sort(d, descending=True).values, tt.GRID),
    "topk": (lambda x, d: x.topk(1, d, largest=False).values, tt.GRID),
    "amin": (lambda x, d: x.amin(d), tt.GRID),
    "norm_1": (lambda x, d: x.norm(1, d), tt.AWAY_FROM_ZERO),
    "norm_2": (lambda x, d: x.norm(2, d, keepdim=True), tt.AWAY_FROM_ZERO),
    "norm_3": (lambda x, d: x.norm(3, d), tt.AWAY_FROM_ZERO),
    "norm_inf": (lambda x, d: x.norm(math.inf, d), tt.GRID),
}
ORDER = {"sort_descending", "topk", "amin", "norm_inf"}


@pytest.mark.parametrize("name", sorted(ALONG_DIM))
@given(data=st.data())
def test_op_along_a_dim_gradient_matches_finite_differences(name, data):
    fn, elements = ALONG_DIM[name]
    extra = dict(unique=True) if name in ORDER else {}
    x = data.draw(tt.tensors(shape=tt.shapes(min_dims=1), elements=elements, **extra))
    dim = data.draw(st.integers(-x.ndim, x.ndim - 1))
    if name == "norm_inf":
        assume(len(np.unique(np.abs(x.detach().numpy()))) == x.numel())  # no ties of |x|
    assert tt.check_grad(lambda t: fn(t, dim), [x])


@pytest.mark.parametrize("p", [0.5, -1.5])
@given(data=st.data())
def test_norm_below_1_gradient_at_zeros_is_0_the_central_difference(p, data):
    """At an exact zero the gradient of the p-norm, p < 1, is 0, as PyTorch's: the central
    difference there, |x|^p being even (for p < 0 the norm is 0 near such a point)."""
    elements = st.one_of(st.just(0.0), tt.AWAY_FROM_ZERO)
    x = data.draw(tt.tensors(shape=tt.shapes(min_dims=1), elements=elements))
    dim = data.draw(st.integers(-x.ndim, x.ndim - 1))
    assert tt.check_grad(lambda t: t.norm(p, dim), [x])
    x.norm(p, dim).sum().backward()
    assert np.isfinite(x.grad.numpy()).all()  # gradcheck lets a NaN gradient through


WHOLE = {
    "prod_all": (lambda x: x.prod(), WITH_ZEROS),
    "roll_flat": (lambda x: x.roll(-1), tt.REAL),
    "repeat_interleave_flat": (lambda x: x.repeat_interleave(3), tt.REAL),
    "norm_fro": (lambda x: x.norm(), tt.AWAY_FROM_ZERO),
    "masked_select": (lambda x: x.masked_select(x.detach() > 0), tt.AWAY_FROM_ZERO),
    "masked_fill": (lambda x: x.masked_fill(x.detach() > 0, 2.0), tt.AWAY_FROM_ZERO),
}


@pytest.mark.parametrize("name", sorted(WHOLE))
@given(data=st.data())
def test_op_of_the_whole_tensor_gradient_matches_finite_differences(name, data):
    fn, elements = WHOLE[name]
    x = data.draw(tt.tensors(elements=elements))
    if name == "masked_select":
        assume((x.detach().numpy() > 0).any())
    assert tt.check_grad(fn, [x])


MATRIX = {
    "tril": lambda x, k: x.tril(k),
    "triu": lambda x, k: x.triu(k),
    "diag": lambda x, k: x[..., 0, :].diag(k) if x.ndim == 2 else x[0, 0].diag(k),
    "diag_of_matrix": lambda x, k: x[0].diag(k) if x.ndim == 3 else x.diag(k),
    "trace": lambda x, k: x[0].trace() if x.ndim == 3 else x.trace(),
}


@pytest.mark.parametrize("name", sorted(MATRIX))
@given(data=st.data())
def test_matrix_op_gradient_matches_finite_differences(name, data):
    x = data.draw(tt.tensors(shape=tt.shapes(min_dims=2, max_dims=3)))
    k = data.draw(st.integers(-3, 3))
    assert tt.check_grad(lambda t: MATRIX[name](t, k), [x])


@given(data=st.data())
def test_masked_fill_with_a_tensor_value_sends_it_the_filled_places_gradient(data):
    x = data.draw(tt.tensors(shape=tt.shapes(min_dims=1)))
    mask = data.draw(tt.arrays(x.shape[1:], dtype=bool, elements=st.booleans()))
    value = data.draw(tt.tensors(shape=()))
    assert tt.check_grad(lambda t, v: t.masked_fill(tnn.tensor(mask), v), [x, value])


@given(data=st.data())
def test_tile_and_repeat_gradient_sums_the_copies(data):
    x = data.draw(tt.tensors())
    reps = tuple(data.draw(st.lists(st.integers(1, 3), min_size=x.ndim, max_size=x.ndim + 1)))
    assert tt.check_grad(lambda t: t.repeat(*reps), [x])
    assert tt.check_grad(lambda t: t.tile(reps[1:]), [x])


@given(data=st.data())
def test_dot_and_outer_gradients(data):
    n = data.draw(st.integers(1, 5))
    x, y = data.draw(tt.tensors((n,))), data.draw(tt.tensors((n,)))
    z = data.draw(tt.tensors((data.draw(st.integers(1, 4)),)))
    assert tt.check_grad(lambda a, b: a.dot(b), [x, y])
    assert tt.check_grad(lambda a, b: a.outer(b), [x, z])


@given(tt.tensors(shape=tt.shapes(min_dims=1, max_side=5), elements=WITH_ZEROS))
@example(tnn.tensor([6e-84], dtype=tnn.float64, requires_grad=True))  # x**2 underflows
def test_prod_and_cumprod_second_derivatives_match_finite_differences(x):
    assert tt.check_gradgrad(lambda t: t.prod(0), [x])
    assert tt.check_gradgrad(lambda t: t.cumprod(-1), [x])


@given(tt.tensors(shape=tt.shapes(min_dims=1)))
def test_cumsum_and_flip_second_derivatives(x):
    assert tt.check_gradgrad(lambda t: (t * t).cumsum(0).flip(-1), [x])


@st.composite
def matrices_with_distinct_singular_values(draw):
    """Batches of matrices whose singular values are apart and away from 0 (where the
    gradient U V^T is unique and smooth)."""
    batch = draw(st.sampled_from([(), (2,), (1, 2)]))
    shape = (*batch, draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    x = draw(tt.tensors(shape=shape))
    s = np.linalg.svd(x.detach().numpy(), compute_uv=False)
    assume(s.min() > 0.1 and (s.shape[-1] < 2 or np.diff(-s, axis=-1).min() > 0.1))
    return x


@given(matrices_with_distinct_singular_values(), st.booleans())
def test_nuclear_norm_gradient_matches_finite_differences(x, keepdim):
    dims = (x.ndim - 2, x.ndim - 1) if keepdim else (-1, -2)
    assert tt.check_grad(lambda t: t.norm(p="nuc", dim=dims, keepdim=keepdim), [x])


def test_nuclear_norm_refuses_second_derivatives_and_bad_dims():
    x = tnn.tensor([[3.0, 1.0], [0.0, 2.0]], requires_grad=True)
    with pytest.raises(NotImplementedError, match="create_graph"):
        tnn.autograd.grad(x.norm(p="nuc"), x, create_graph=True)
    with pytest.raises(RuntimeError, match="2-tuple"):
        tnn.ones(2, 2, 2).norm(p="nuc")
    with pytest.raises(RuntimeError, match="at least 2 dims"):
        tnn.ones(3).norm(p="nuc")
