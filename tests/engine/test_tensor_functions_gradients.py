"""einsum, the scatter family and the composed functions (diff, nan_to_num, var_mean ...):
the gradient equals central differences in float64 for drawn shapes, dims and indices,
broadcast shapes included, with a random upstream gradient and every element compared
(tt.check_grad); einsum's second derivatives too."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

EQUATIONS = ["ij,jk->ik", "bij,bjk", "ii->i", "ii", "i,j->ij", "iji->j", "ij->", "ij,ij->i"]
ELLIPSES = ["...ij->...ji", "...j,...j->...", "...ij->j"]


@st.composite
def einsum_operands(draw):
    """An equation and operands for it: a letter's dim is its size or 1 (broadcast), the dims
    under ``...`` are mutually broadcastable shapes."""
    equation = draw(st.sampled_from(EQUATIONS + ELLIPSES))
    terms = equation.split("->")[0].split(",")
    sizes = {c: draw(st.integers(1, 3)) for c in sorted(set(equation) - set(".,->"))}
    batches = draw(tt.broadcastable_shapes(len(terms), max_dims=2, max_side=3))
    shapes = []
    for term, batch in zip(terms, batches):
        letters = term.replace("...", "")
        named = [sizes[c] if letters.count(c) > 1 or draw(st.booleans()) else 1 for c in letters]
        shapes.append((tuple(batch) if "..." in term else ()) + tuple(named))
    return equation, [draw(tt.tensors(shape=s)) for s in shapes]


@given(einsum_operands())
def test_einsum_gradient_matches_finite_differences(case):
    equation, operands = case
    assert tt.check_grad(lambda *xs: tnn.einsum(equation, *xs), operands)


@given(st.sampled_from(EQUATIONS[:4]), st.data())
def test_einsum_second_derivative_matches_finite_differences(equation, data):
    n = data.draw(st.integers(1, 3))
    operands = [
        data.draw(tt.tensors(shape=(n,) * len(t))) for t in equation.split("->")[0].split(",")
    ]
    assert tt.check_gradgrad(lambda *xs: tnn.einsum(equation, *xs), operands)


@st.composite
def along_a_dim(draw, min_dims=1):
    """A tensor, a dim of it, an index shape no larger than it, and a seeded numpy rng."""
    x = draw(tt.tensors(shape=tt.shapes(min_dims=min_dims)))
    dim = draw(st.integers(-x.ndim, x.ndim - 1))
    index_shape = tuple(draw(st.integers(1, n)) for n in x.shape)
    return x, dim, index_shape, np.random.default_rng(draw(st.integers(0, 2**16)))


@given(along_a_dim(), st.data())
def test_scatter_gradient_matches_finite_differences(case, data):
    x, dim, shape, rng = case
    # distinct places along dim: no value is overwritten by another
    order = np.argsort(rng.random(tuple(x.shape)), axis=dim)
    index = tnn.tensor(order[tuple(slice(n) for n in shape)])
    src = data.draw(tt.tensors(shape=tuple(n + data.draw(st.integers(0, 1)) for n in shape)))
    assert tt.check_grad(lambda a, s: a.scatter(dim, index, s), [x, src])
    assert tt.check_grad(lambda a, s: (a * 1).scatter_(dim, index, s), [x, src])


@given(along_a_dim(), st.data())
def test_scatter_add_gradient_matches_finite_differences(case, data):
    x, dim, shape, rng = case
    index = tnn.tensor(rng.integers(0, x.shape[dim], shape))  # repeats add up
    src = data.draw(tt.tensors(shape=shape))
    assert tt.check_grad(lambda a, s: tnn.scatter_add(a, dim, index, s), [x, src])
    assert tt.check_grad(lambda a, s: (a * 1).scatter_add_(dim, index, s), [x, src])


@given(along_a_dim(), st.data())
def test_index_add_gradient_matches_finite_differences(case, data):
    x, dim, _, rng = case
    k = data.draw(st.integers(0, 4))
    index = tnn.tensor(rng.integers(0, x.shape[dim], k))
    shape = list(x.shape)
    shape[dim] = k
    source = data.draw(tt.tensors(shape=tuple(shape)))
    alpha = data.draw(st.sampled_from([1, -2.5]))
    assert tt.check_grad(lambda a, s: tnn.index_add(a, dim, index, s, alpha=alpha), [x, source])


@given(along_a_dim(), st.integers(0, 3), st.booleans())
def test_diff_gradient_matches_finite_differences(case, n, prepend):
    x, dim, _, _ = case
    extra = x.detach().narrow(dim, 0, 1) * 2 if prepend else None
    assert tt.check_grad(lambda t: tnn.diff(t, n, dim, prepend=extra, append=t), [x])


@given(along_a_dim())
def test_unbind_gradient_matches_finite_differences(case):
    x, dim, _, _ = case
    assert tt.check_grad(lambda t: tnn.stack(t.unbind(dim)[::-1], dim), [x])


@given(tt.broadcast_tensors())
def test_broadcast_tensors_gradient_matches_finite_differences(pair):
    def fn(a, b):
        p, q = tnn.broadcast_tensors(a, b)
        return p * 2 - q * q

    assert tt.check_grad(fn, list(pair))


@given(tt.tensors(shape=tt.shapes(min_dims=1)), st.data())
def test_nan_to_num_gradient_is_zero_at_the_replaced_places(x, data):
    holes = data.draw(tt.arrays(shape=tuple(x.shape), dtype=bool, elements=st.booleans()))
    values = np.where(np.arange(holes.size).reshape(holes.shape) % 3, math.inf, math.nan)

    def fn(t):
        return tnn.where(holes, tnn.tensor(values), t * 1.5).nan_to_num(posinf=7.0)

    assert tt.check_grad(fn, [x])


@given(tt.tensors(elements=tt.GRID))
def test_clamp_min_and_clamp_max_gradients_match_finite_differences(x):
    assert tt.check_grad(lambda t: tnn.clamp_min(t, 0.005) + t.clamp_max(-0.505), [x])


@given(tt.tensors(shape=tt.shapes(min_dims=1, min_side=2)), st.data())
def test_var_mean_and_std_mean_gradients_match_finite_differences(x, data):
    dim = data.draw(st.one_of(st.none(), st.integers(-x.ndim, x.ndim - 1)))
    keepdim, correction = data.draw(st.booleans()), data.draw(st.integers(0, 1))

    def fn(t):
        moments = tnn.var_mean(t, dim, correction=correction, keepdim=keepdim)
        return tnn.stack(moments + tnn.std_mean(t, dim, correction=correction, keepdim=keepdim))

    assert tt.check_grad(fn, [x])


@given(tt.tensors(shape=tt.shapes(min_dims=1, max_dims=1, max_side=6)), st.integers(0, 2**16))
def test_bincount_weights_gradient_matches_finite_differences(w, seed):
    bins = tnn.tensor(np.random.default_rng(seed).integers(0, 4, len(w)))
    assert tt.check_grad(lambda t: tnn.bincount(bins, weights=t, minlength=2), [w])


@given(
    tt.broadcast_tensors(3, elements=[tt.GRID.map(lambda v, d=d: v + d) for d in (0, 0.003, 0.006)])
)
def test_clamp_by_tensors_gradient_matches_finite_differences(operands):
    # x, min and max on three shifted grids: no two tie, so no kink within the step
    x, low, high = operands
    assert tt.check_grad(lambda a, lo, hi: a.clamp(lo, hi), [x, low, high])
    assert tt.check_grad(lambda a, lo: tnn.clamp(a, min=lo), [x, low])


@given(along_a_dim(), st.data())
def test_index_copy_and_index_fill_gradients_match_finite_differences(case, data):
    x, dim, _, rng = case
    n = x.shape[dim]
    k = data.draw(st.integers(0, n))
    index = tnn.tensor(rng.permutation(n)[:k])  # distinct: no slice overwrites another
    shape = list(x.shape)
    shape[dim] = k
    source = data.draw(tt.tensors(shape=tuple(shape)))
    value = data.draw(tt.tensors(shape=()))
    assert tt.check_grad(lambda a, s: tnn.index_copy(a, dim, index, s), [x, source])
    assert tt.check_grad(lambda a, v: a.index_fill(dim, index, v), [x, value])


@given(tt.tensors(shape=tt.shapes(min_dims=1)), st.data())
def test_masked_scatter_gradient_matches_finite_differences(x, data):
    mask = data.draw(tt.arrays(shape=tuple(x.shape), dtype=bool, elements=st.booleans()))
    source = data.draw(tt.tensors(shape=(int(mask.sum()) + data.draw(st.integers(0, 2)),)))
    assert tt.check_grad(lambda a, s: a.masked_scatter(tnn.tensor(mask), s), [x, source])


@given(
    tt.tensors(shape=tt.shapes(min_dims=1, max_dims=2, min_side=2)), st.integers(0, 1), st.data()
)
def test_cov_and_corrcoef_gradients_match_finite_differences(x, correction, data):
    n = x.shape[-1]
    weights = data.draw(tt.arrays(shape=(n,), elements=st.floats(0.5, 2.0)))
    counts = tnn.tensor(
        data.draw(tt.arrays(shape=(n,), dtype=np.int64, elements=st.integers(1, 3)))
    )
    aweights = tnn.tensor(weights)
    assert tt.check_grad(lambda a: tnn.cov(a, correction=correction), [x])
    assert tt.check_grad(
        lambda a, w: tnn.cov(a, fweights=counts, aweights=w), [x, aweights.requires_grad_()]
    )
    if x.ndim == 2 and float(np.min(np.var(x.detach().numpy(), axis=1))) > 1e-3:
        assert tt.check_grad(tnn.corrcoef, [x])
