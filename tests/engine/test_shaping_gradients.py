"""The shape and indexing functions of tinygrad_nn.shaping: the gradient equals central
differences in float64 for drawn shapes, dims, offsets and indices, with a random upstream
gradient and every element compared (tt.check_grad); ``take_along_dim`` with broadcast
shapes."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt


@st.composite
def with_dims(draw, min_dims=1, count=2):
    """A tensor of ``min_dims`` or more dims and ``count`` drawn dims of it."""
    x = draw(tt.tensors(shape=tt.shapes(min_dims=min_dims)))
    return x, [draw(st.integers(-x.ndim, x.ndim - 1)) for _ in range(count)]


@given(with_dims(), st.data())
def test_moves_splits_and_turns_have_the_gradients_of_their_views(case, data):
    x, (d0, d1) = case
    k = data.draw(st.integers(-5, 5))
    cut = data.draw(st.one_of(st.integers(1, 4), st.lists(st.integers(-5, 5), max_size=3)))

    def fn(t):
        parts = [tnn.movedim(t, d0, d1), t.swapdims(d0, d1), t.ravel()]
        parts += list(tnn.tensor_split(t, cut, d0))[::-1]
        if d0 % t.ndim != d1 % t.ndim:
            parts += [tnn.rot90(t, k, (d0, d1)), tnn.diagonal(t, k, d0, d1)]
        return tnn.cat([p.reshape(-1) for p in parts])

    assert tt.check_grad(fn, [x])


@given(tt.tensors(shape=tt.shapes(min_dims=1)), st.integers(-2, 2), st.data())
def test_diag_embed_and_diagflat_gradients_read_the_diagonal_back(x, offset, data):
    d1, d2 = data.draw(st.permutations(range(x.ndim + 1)).map(lambda p: p[:2]))

    def fn(t):
        return tnn.cat(
            [tnn.diag_embed(t, offset, d1, d2).reshape(-1), t.diagflat(offset).reshape(-1)]
        )

    assert tt.check_grad(fn, [x])


@given(tt.tensors(shape=tt.shapes(min_dims=1)), st.integers(0, 2**16))
def test_take_gradient_adds_up_repeated_indices(x, seed):
    index = np.random.default_rng(seed).integers(-x.numel(), x.numel(), (2, 3))
    assert tt.check_grad(lambda t: tnn.take(t, tnn.tensor(index)), [x])


@given(tt.broadcastable_shapes(2, min_dims=1), st.data())
def test_take_along_dim_gradient_with_broadcast_shapes(shapes, data):
    x_shape, index_shape = shapes
    n = max(len(x_shape), len(index_shape))
    x_shape, index_shape = (
        (1,) * (n - len(x_shape)) + x_shape,
        (1,) * (n - len(index_shape)) + index_shape,
    )
    x = data.draw(tt.tensors(shape=x_shape))
    dim = data.draw(st.integers(-n, n - 1))
    index = data.draw(
        tt.arrays(shape=index_shape, dtype=np.int64, elements=st.integers(0, x_shape[dim] - 1))
    )
    assert tt.check_grad(lambda t: tnn.take_along_dim(t, tnn.tensor(index), dim), [x])


@given(
    tt.tensors(shape=tt.shapes(min_dims=1, max_dims=1, max_side=5)),
    st.integers(0, 3),
    st.booleans(),
)
def test_combinations_and_cartesian_prod_gradients_count_each_use(v, r, repeats):
    def fn(t):
        pairs = tnn.combinations(t, r, with_replacement=repeats).reshape(-1)
        return tnn.cat([pairs, tnn.cartesian_prod(t, t[:2]).reshape(-1)])

    assert tt.check_grad(fn, [v])


@given(st.lists(tt.tensors(shape=tt.shapes(max_dims=2)), min_size=1, max_size=3))
def test_block_diag_gradient_reads_each_block_back(blocks):
    assert tt.check_grad(lambda *bs: tnn.block_diag(*bs), blocks)


@given(
    st.lists(
        tt.tensors(shape=(3,)),
        min_size=1,
        max_size=3,
    )
)
def test_stacking_functions_gradients_split_back(vectors):
    def fn(*vs):
        parts = [tnn.dstack(vs), tnn.column_stack(vs), tnn.row_stack(vs)]
        parts += [tnn.atleast_3d(vs[0]), tnn.unflatten(vs[0], 0, (1, -1))]
        return tnn.cat([p.reshape(-1) for p in parts])

    assert tt.check_grad(fn, vectors)
