"""smooth_l1_loss, huber_loss, kl_div, hardtanh, relu6, mish, prelu, softmin,
cosine_similarity and pairwise_distance: the gradient equals central differences in float64
for drawn shapes (broadcast pairs where the function broadcasts), a random upstream gradient,
every element compared (tt.check_grad). Kinked functions get values on a grid of 0.01 that
keeps clear of their kinks."""

import warnings

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
import tinygrad_nn.nn.functional as F
from tinygrad_nn import testing as tt

#: grid values a little off the multiples of 0.5: never on a kink at 0, +-0.5, +-1, 6 ...
OFF_GRID = tt.GRID.map(lambda v: v + 0.003)
REDUCTIONS = st.sampled_from(["mean", "sum", "none"])


def _quietly(fn):
    """``fn`` without the warning about a broadcast target (the point of these cases)."""

    def call(*xs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return fn(*xs)

    return call


@given(tt.broadcast_tensors(elements=OFF_GRID), REDUCTIONS, st.sampled_from([0.0, 0.5, 2.0]))
def test_smooth_l1_loss_gradient_matches_finite_differences(pair, reduction, beta):
    def fn(y, t):
        return F.smooth_l1_loss(y, t, reduction=reduction, beta=beta)

    assert tt.check_grad(_quietly(fn), list(pair))


@given(tt.broadcast_tensors(elements=OFF_GRID), REDUCTIONS, st.sampled_from([0.5, 1.0, 2.0]))
def test_huber_loss_gradient_matches_finite_differences(pair, reduction, delta):
    def fn(y, t):
        return F.huber_loss(
            y, t, reduction=reduction, delta=delta, weight=tnn.full(y.shape, 1.5, dtype=tnn.float64)
        )

    assert tt.check_grad(_quietly(fn), list(pair))


@given(
    tt.broadcast_tensors(elements=[tt.REAL, tt.POSITIVE]),
    st.sampled_from(["batchmean", "sum", "none"]),
    st.booleans(),
)
def test_kl_div_gradient_matches_finite_differences(pair, reduction, log_target):
    def fn(logp, q):
        return F.kl_div(
            logp, q.log() if log_target else q, reduction=reduction, log_target=log_target
        )

    assert tt.check_grad(_quietly(fn), list(pair))


@given(tt.tensors(elements=st.one_of(OFF_GRID, OFF_GRID.map(lambda v: v * 3))))
def test_hardtanh_relu6_and_mish_gradients_match_finite_differences(x):
    assert tt.check_grad(lambda t: F.hardtanh(t, -0.5, 2.0) + F.relu6(t * 3) * F.mish(t), [x])


@given(tt.tensors(shape=tt.shapes(min_dims=1), elements=OFF_GRID), st.data())
def test_prelu_gradient_matches_finite_differences(x, data):
    channels = x.shape[1] if x.ndim >= 2 else 1
    weight = data.draw(tt.tensors(shape=(data.draw(st.sampled_from([1, channels])),)))
    assert tt.check_grad(F.prelu, [x, weight])


@given(tt.tensors(shape=tt.shapes(min_dims=1)), st.data())
def test_softmin_gradient_matches_finite_differences(x, data):
    dim = data.draw(st.integers(-x.ndim, x.ndim - 1))
    assert tt.check_grad(lambda t: F.softmin(t, dim), [x])


@st.composite
def vector_pairs(draw):
    """Two tensors of at least one dim that broadcast, and a dim of the broadcast shape."""
    shapes = draw(tt.broadcastable_shapes(min_dims=1).filter(lambda s: all(len(x) for x in s)))
    pair = [draw(tt.tensors(shape=s, elements=tt.AWAY_FROM_ZERO)) for s in shapes]
    ndim = max(len(s) for s in shapes)
    return pair, draw(st.integers(-ndim, ndim - 1))


@given(vector_pairs())
def test_cosine_similarity_gradient_matches_finite_differences(case):
    """Norms above eps (where a norm is clamped to eps, PyTorch's gradient is that of the
    unclamped norm, not the derivative: compared with torch in tests/reference)."""
    pair, dim = case
    assert tt.check_grad(lambda a, b: F.cosine_similarity(a, b, dim), pair)


@given(vector_pairs(), st.sampled_from([1.0, 2.0, 3.0]), st.booleans())
def test_pairwise_distance_gradient_matches_finite_differences(case, p, keepdim):
    pair, _ = case
    a, b = pair
    b = tnn.tensor(b.detach().numpy() + np.sign(b.detach().numpy()) * 0.5, requires_grad=True)
    assert tt.check_grad(lambda x, y: F.pairwise_distance(x, y, p, keepdim=keepdim), [a, b])


@given(
    tt.tensors(elements=OFF_GRID),
    st.sampled_from([0.5, 1.0, 2.0, 3.0, -1.5]),
    st.sampled_from([1.0, 20.0]),
)
def test_softplus_gradient_matches_finite_differences(x, beta, threshold):
    """Off the grid, beta x keeps clear of the (discontinuous) switch at the threshold."""
    assert tt.check_grad(lambda a: F.softplus(a, beta, threshold), [x])
    assert tt.check_grad(tnn.nn.Softplus(beta, threshold), [x])
