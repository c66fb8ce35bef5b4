"""Every differentiable op: the engine's gradient equals central differences in float64,
for drawn shapes (0-d, size-1 and broadcast pairs), a random upstream gradient, every
element compared (tnn.gradcheck)."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

REAL, POS, AWAY = tt.REAL, tt.POSITIVE, tt.AWAY_FROM_ZERO

# name -> (function of tensors, element strategy per input)
BINARY = {
    "add": (lambda x, y: x + y, [REAL, REAL]),
    "sub": (lambda x, y: x - y, [REAL, REAL]),
    "mul": (lambda x, y: x * y, [REAL, REAL]),
    "div": (lambda x, y: x / y, [REAL, POS]),
    "pow": (lambda x, y: x**y, [POS, REAL]),
    "maximum": (lambda x, y: x.maximum(y), [REAL, REAL]),
    "minimum": (lambda x, y: x.minimum(y), [REAL, REAL]),
}

UNARY = {
    "neg": (lambda x: -x, REAL),
    "exp": (lambda x: x.exp(), REAL),
    "log": (lambda x: x.log(), POS),
    "log1p": (lambda x: x.log1p(), POS),
    "sqrt": (lambda x: x.sqrt(), POS),
    "abs": (lambda x: x.abs(), AWAY),
    "tanh": (lambda x: x.tanh(), REAL),
    "sigmoid": (lambda x: x.sigmoid(), REAL),
    "arctan": (lambda x: x.arctan(), REAL),
    "sin": (lambda x: x.sin(), REAL),
    "cos": (lambda x: x.cos(), REAL),
    "sinh": (lambda x: x.sinh(), REAL),
    "cosh": (lambda x: x.cosh(), REAL),
    "relu": (lambda x: x.relu(), AWAY),
    "softplus": (lambda x: x.softplus(), REAL),
    "logsigmoid": (lambda x: tnn.nn.functional.logsigmoid(x), REAL),
    "square": (lambda x: x.square(), REAL),
    "pow_scalar": (lambda x: x**3, REAL),
    "pow_fraction": (lambda x: x**1.5, POS),
    "scalar_sub": (lambda x: 2 - x, REAL),
    "scalar_div": (lambda x: 2 / x, POS),
    "scalar_pow": (lambda x: 2**x, REAL),
    # a Python number as one operand: the one-input ops of ops.ScalarOp
    "add_number": (lambda x: x + 0.7, REAL),
    "radd_number": (lambda x: 3 + x, REAL),
    "sub_number": (lambda x: x - 0.7, REAL),
    "mul_number": (lambda x: x * -1.3, REAL),
    "rmul_number": (lambda x: 2 * x, REAL),
    "div_number": (lambda x: x / 3, REAL),
    "pow_zero": (lambda x: x**0, REAL),
    "clamp": (
        lambda x: x.clamp(-1.0, 1.0),
        st.one_of(st.floats(-3, -1.01), st.floats(-0.99, 0.99), st.floats(1.01, 3)),
    ),
    "clone": (lambda x: x.clone(), REAL),
    "reshape": (lambda x: x.reshape(-1), REAL),
    "flatten": (lambda x: x.flatten(), REAL),
    "transpose_T": (lambda x: x.T, REAL),
    "unsqueeze": (lambda x: x.unsqueeze(0), REAL),
    "squeeze": (lambda x: x.squeeze(), REAL),
    "sum_all": (lambda x: x.sum(), REAL),
    "mean_all": (lambda x: x.mean(), REAL),
    "max_all": (lambda x: x.max(), REAL),
    "min_all": (lambda x: x.min(), REAL),
    "logsumexp_all": (lambda x: x.logsumexp(), REAL),
    "expand": (lambda x: x.expand((2,) + x.shape), REAL),
}

# reductions along a drawn dim, with and without keepdim
ALONG_DIM = {
    "sum": lambda x, d, k: x.sum(d, keepdim=k),
    "mean": lambda x, d, k: x.mean(d, keepdim=k),
    "var": lambda x, d, k: x.var(d, keepdim=k),
    "std": lambda x, d, k: x.std(d, keepdim=k),
    "max_values": lambda x, d, k: x.max(d, keepdim=k).values,
    "min_values": lambda x, d, k: x.min(d, keepdim=k).values,
    "amax": lambda x, d, k: x.amax(d, keepdim=k),
    "logsumexp": lambda x, d, k: x.logsumexp(d, keepdim=k),
    "softmax": lambda x, d, k: x.softmax(d),
    "log_softmax": lambda x, d, k: x.log_softmax(d),
    "softmin": lambda x, d, k: tnn.nn.functional.softmin(x, d),
}

NEEDS_DISTINCT = {"maximum", "minimum", "max_all", "min_all", "max_values", "min_values", "amax"}


# Ops with a kink where two values tie draw distinct values on a 0.01 grid (no filtering),
# and at least two per reduced axis, so that the maximum is a real choice.
DISTINCT = dict(elements=tt.GRID, unique=True)


@pytest.mark.parametrize("name", sorted(BINARY))
@given(data=st.data())
def test_binary_op_gradient_matches_finite_differences(name, data):
    fn, elements = BINARY[name]
    x, y = data.draw(tt.broadcast_tensors(2, elements=elements))
    if name in NEEDS_DISTINCT:
        assume(np.all(np.abs(np.subtract(x.detach().numpy(), y.detach().numpy())) > 1e-3))
    assert tt.check_grad(fn, [x, y])


@pytest.mark.parametrize("name", sorted(UNARY))
@given(data=st.data())
def test_unary_op_gradient_matches_finite_differences(name, data):
    fn, elements = UNARY[name]
    if name in NEEDS_DISTINCT:
        x = data.draw(tt.tensors(shape=tt.shapes(min_dims=1, min_side=2), **DISTINCT))
    else:
        x = data.draw(tt.tensors(elements=elements))
    assert tt.check_grad(fn, [x])


@pytest.mark.parametrize("name", sorted(ALONG_DIM))
@given(data=st.data())
def test_reduction_along_dim_gradient_matches_finite_differences(name, data):
    kinked, spread = name in NEEDS_DISTINCT, name in ("std", "var")
    shape = tt.shapes(min_dims=1, min_side=2 if kinked or spread else 1)
    x = data.draw(tt.tensors(shape=shape, **(DISTINCT if kinked or spread else {})))
    dim = data.draw(st.integers(-x.ndim, x.ndim - 1))
    keepdim = data.draw(st.booleans())
    assert tt.check_grad(lambda t: ALONG_DIM[name](t, dim, keepdim), [x])


@given(data=st.data())
def test_sum_and_mean_over_tuple_of_dims_gradient(data):
    x = data.draw(tt.tensors(shape=tt.shapes(min_dims=2)))
    dims = tuple(data.draw(st.lists(st.integers(0, x.ndim - 1), min_size=1, unique=True)))
    keepdim = data.draw(st.booleans())
    assert tt.check_grad(lambda t: t.sum(dims, keepdim=keepdim), [x])
    assert tt.check_grad(lambda t: t.mean(dims, keepdim=keepdim), [x])


@st.composite
def matmul_operands(draw):
    """Shapes numpy's matmul accepts: 1-D, 2-D and broadcast batches."""
    m, k, n = (draw(st.integers(1, 4)) for _ in range(3))
    kind = draw(st.sampled_from(["vv", "mv", "vm", "mm", "batched", "broadcast_batch"]))
    batch = draw(tt.broadcastable_shapes(2, min_dims=1, max_dims=2))
    a_shape, b_shape = {
        "vv": ((k,), (k,)),
        "mv": ((m, k), (k,)),
        "vm": ((k,), (k, n)),
        "mm": ((m, k), (k, n)),
        "batched": (batch[0] + (m, k), (k, n)),
        "broadcast_batch": (batch[0] + (m, k), batch[1] + (k, n)),
    }[kind]
    return draw(tt.tensors(a_shape)), draw(tt.tensors(b_shape))


@given(matmul_operands())
def test_matmul_gradient_matches_finite_differences(ab):
    assert tt.check_grad(lambda a, b: a @ b, list(ab))


@given(tt.broadcast_tensors(3))
def test_where_gradient_follows_the_condition(xyz):
    x, y, c = xyz
    cond = c.data > 0
    assert tt.check_grad(lambda a, b: tnn.where(cond, a, b), [x, y])


@given(data=st.data())
def test_permute_gradient(data):
    x = data.draw(tt.tensors(shape=tt.shapes(min_dims=1)))
    perm = data.draw(st.permutations(range(x.ndim)))
    assert tt.check_grad(lambda t: t.permute(*perm), [x])


@given(data=st.data())
def test_transpose_gradient(data):
    x = data.draw(tt.tensors(shape=tt.shapes(min_dims=2)))
    d0, d1 = data.draw(st.tuples(*[st.integers(-x.ndim, x.ndim - 1)] * 2))
    assert tt.check_grad(lambda t: t.transpose(d0, d1), [x])


@given(data=st.data())
def test_basic_indexing_gradient(data):
    x = data.draw(tt.tensors(shape=tt.shapes(min_dims=1)))
    index = data.draw(
        st.tuples(*[st.one_of(st.integers(-n, n - 1), st.slices(n)) for n in x.shape])
    )
    assume(np.asarray(x.data[index]).size > 0)
    assert tt.check_grad(lambda t: t[index], [x])


@given(data=st.data())
def test_integer_array_indexing_accumulates_repeats(data):
    x = data.draw(tt.tensors(shape=tt.shapes(min_dims=1)))
    idx = data.draw(st.lists(st.integers(0, x.shape[0] - 1), min_size=1, max_size=6))
    assert tt.check_grad(lambda t: t[tnn.tensor(idx)], [x])


@given(data=st.data())
def test_boolean_mask_indexing_gradient(data):
    x = data.draw(tt.tensors(shape=tt.shapes(min_dims=1)))
    mask = data.draw(tt.arrays(x.shape, dtype=bool, elements=st.booleans()))
    assume(mask.any())
    assert tt.check_grad(lambda t: t[mask] * 2.0, [x])


@given(data=st.data())
def test_gather_gradient(data):
    x = data.draw(tt.tensors(shape=tt.shapes(min_dims=1)))
    dim = data.draw(st.integers(0, x.ndim - 1))
    shape = list(x.shape)
    shape[dim] = data.draw(st.integers(1, 5))
    idx = data.draw(
        tt.arrays(tuple(shape), dtype=np.int64, elements=st.integers(0, x.shape[dim] - 1))
    )
    assert tt.check_grad(lambda t: t.gather(dim, tnn.tensor(idx)), [x])


@given(data=st.data())
def test_cat_and_stack_gradient(data):
    shape = data.draw(tt.shapes(min_dims=1))
    dim = data.draw(st.integers(0, len(shape) - 1))
    sizes = data.draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    parts = [data.draw(tt.tensors(shape[:dim] + (n,) + shape[dim + 1 :])) for n in sizes]
    assert tt.check_grad(lambda *ts: tnn.cat(ts, dim), parts)
    same = [data.draw(tt.tensors(shape)) for _ in sizes]
    assert tt.check_grad(lambda *ts: tnn.stack(ts, dim=-1), same)


@given(tt.broadcast_tensors(2))
def test_expand_gradient_sums_back(xy):
    x, y = xy
    target = np.broadcast_shapes(x.shape, y.shape)
    assert tt.check_grad(lambda t: t.expand(target), [x])
