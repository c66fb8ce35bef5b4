"""The gradients of PyTorch's top-level matrix functions (tinygrad_nn.matrices, composed of
linalg functions and Tensor ops) equal central differences in float64 on drawn shapes."""

from hypothesis import assume, given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt


@given(
    tt.tensors(shape=tt.shapes(max_dims=3, max_side=3)),
    tt.tensors(shape=tt.shapes(max_dims=2, max_side=3)),
)
def test_kron_of_any_dims(x, y):
    assert tt.check_grad(tnn.kron, [x, y])


@st.composite
def contractable(draw):
    """Two tensors and ``d``: the last ``d`` dims of the first are the first of the second."""
    d = draw(st.integers(0, 2))
    shared = draw(tt.shapes(min_dims=d, max_dims=d, max_side=3))
    left = draw(tt.shapes(max_dims=2, max_side=3))
    right = draw(tt.shapes(max_dims=2, max_side=3))
    return draw(tt.tensors(shape=left + shared)), draw(tt.tensors(shape=shared + right)), d


@given(contractable())
def test_tensordot(case):
    a, b, d = case
    assert tt.check_grad(lambda s, t: tnn.tensordot(s, t, d), [a, b])
    if d:
        dims = (list(range(a.ndim - d, a.ndim)), list(range(d)))
        assert tt.check_grad(lambda s, t: tnn.tensordot(s, t, dims), [a, b])


@st.composite
def same_last_dim(draw):
    """Two tensors of at least one dim whose last dims agree."""
    n = draw(st.integers(1, 3))
    first, second = (draw(tt.shapes(max_dims=2, max_side=3)) for _ in range(2))
    return draw(tt.tensors(shape=first + (n,))), draw(tt.tensors(shape=second + (n,)))


@given(same_last_dim())
def test_inner(pair):
    assert tt.check_grad(tnn.inner, list(pair))


@given(same_last_dim())
def test_mv(pair):
    matrix, vector = pair
    matrix = matrix.reshape(-1, vector.shape[-1]).detach().requires_grad_()
    assert tt.check_grad(tnn.mv, [matrix, vector.reshape(-1)[: vector.shape[-1]]])


@given(st.sampled_from([(), (2,)]), st.integers(1, 3), st.data())
def test_logdet_of_positive_determinant(batch, n, data):
    x = data.draw(tt.tensors(shape=(*batch, n, n)))
    assume(float(tnn.linalg.svdvals(x).min()) > 0.3)
    assert tt.check_grad(lambda t: tnn.logdet(t @ t.mT), [x])
