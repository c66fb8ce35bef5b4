"""pixel_shuffle, pixel_unshuffle, adaptive_max_pool1d/2d, instance_norm, rms_norm, dropout1d
and alpha_dropout: the gradient equals central differences in float64 for drawn shapes, a
random upstream gradient, every element compared (tt.check_grad); the maxima are drawn
distinct (no tie within eps), the random masks re-seeded before each evaluation."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
import tinygrad_nn.nn.functional as F
from tinygrad_nn import testing as tt


@given(st.integers(1, 2), st.integers(1, 3), st.integers(1, 2), st.integers(1, 2), st.data())
def test_pixel_shuffle_and_unshuffle_gradients_match_finite_differences(r, c, h, w, data):
    batch = data.draw(st.sampled_from([(), (2,), (1, 2)]))
    x = data.draw(tt.tensors(batch + (c * r * r, h, w)))
    assert tt.check_grad(lambda t: F.pixel_shuffle(t, r), [x])
    y = data.draw(tt.tensors(batch + (c, h * r, w * r)))
    assert tt.check_grad(lambda t: F.pixel_unshuffle(t, r), [y])


@given(st.data(), st.sampled_from([1, 2]))
def test_adaptive_max_pool_gradient_matches_finite_differences(data, nd):
    """Output sizes below, at and above the input's (overlapping windows)."""
    batch = data.draw(st.sampled_from([(2,), (1, 3)]))
    spatial = tuple(data.draw(st.integers(1, 5)) for _ in range(nd))
    x = data.draw(tt.tensors(batch + spatial, elements=tt.GRID, unique=True))
    size = tuple(data.draw(st.integers(1, 6)) for _ in range(nd))
    pool = F.adaptive_max_pool1d if nd == 1 else F.adaptive_max_pool2d
    assert tt.check_grad(lambda t: pool(t, size if nd == 2 else size[0]), [x])


@given(st.data(), st.booleans())
def test_instance_norm_gradient_matches_finite_differences(data, affine):
    n, c = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3))
    spatial = data.draw(st.sampled_from([(3,), (2, 2), (1, 3)]))
    x = data.draw(tt.tensors((n, c) + spatial))
    weight, bias = (data.draw(tt.tensors((c,))) for _ in "wb")

    def fn(t, w, b):
        return F.instance_norm(t, weight=w if affine else None, bias=b if affine else None)

    assert tt.check_grad(fn, [x, weight, bias])


@given(
    tt.tensors(shape=tt.shapes(min_dims=1), elements=tt.AWAY_FROM_ZERO),
    st.data(),
    st.sampled_from([None, 1e-3]),
)
def test_rms_norm_gradient_matches_finite_differences(x, data, eps):
    """Away from 0: with eps of 2e-16 the rms of a zero row is a cliff for central
    differences."""
    k = data.draw(st.integers(1, x.ndim))
    weight = data.draw(tt.tensors(x.shape[x.ndim - k :]))
    assert tt.check_grad(lambda t, w: F.rms_norm(t, x.shape[x.ndim - k :], w, eps), [x, weight])


@given(
    tt.tensors(shape=st.sampled_from([(2, 3), (2, 3, 4)])),
    st.sampled_from(["dropout1d", "alpha_dropout"]),
    st.sampled_from([0.2, 0.5]),
)
def test_channel_and_alpha_dropout_gradients_match_finite_differences(x, name, p):
    def fn(t):
        tnn.manual_seed(0)
        return getattr(F, name)(t, p, True)

    assert tt.check_grad(fn, [x])


def test_pixel_unshuffle_undoes_pixel_shuffle():
    x = tnn.randn(2, 12, 3, 4)
    np.testing.assert_array_equal(F.pixel_unshuffle(F.pixel_shuffle(x, 2), 2).numpy(), x.numpy())


def test_dropout1d_zeros_whole_channels_and_scales_the_rest():
    tnn.manual_seed(0)
    y = F.dropout1d(tnn.ones(50, 8, 6), 0.5).numpy()
    assert set(np.unique(y).tolist()) == {0.0, 2.0}
    assert (y.min(-1) == y.max(-1)).all()


def test_alpha_dropout_keeps_the_mean_and_variance_of_standard_inputs():
    tnn.manual_seed(0)
    y = F.alpha_dropout(tnn.randn(200_000, dtype=tnn.float64), 0.3, True).numpy()
    assert abs(y.mean()) < 0.01 and abs(y.var() - 1) < 0.02


def test_rms_norm_of_a_constant_row_is_ones():
    y = F.rms_norm(tnn.full((2, 4), -3.0), (4,))
    np.testing.assert_allclose(y.numpy(), -np.ones((2, 4)), rtol=1e-6)
