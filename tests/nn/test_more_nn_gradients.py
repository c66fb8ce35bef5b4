"""selu, celu, glu, hardswish, hardsigmoid, hardshrink, softshrink, softsign, tanhshrink,
threshold, rrelu, normalize, gumbel_softmax and the losses margin_ranking, hinge_embedding,
soft_margin, multilabel_soft_margin, multi_margin, cosine_embedding, triplet_margin,
poisson_nll and gaussian_nll: the gradient equals central differences in float64 for drawn
shapes (broadcast where the function broadcasts), a random upstream gradient, every element
compared (tt.check_grad). Kinked functions get values on a grid of 0.01 shifted by 0.003,
and margins and thresholds placed between grid points, so no kink is within reach of eps."""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tinygrad_nn as tnn
import tinygrad_nn.nn.functional as F
from tinygrad_nn import testing as tt

#: grid values a little off the multiples of 0.01: 0.003 from every kink at k/100 (0, ±0.5, ±3)
OFF_GRID = tt.GRID.map(lambda v: v + 0.003)
REDUCTIONS = st.sampled_from(["mean", "sum", "none"])
ACTIVATIONS = {
    "selu": F.selu,
    "celu": lambda x: F.celu(x, 0.7),
    "hardswish": F.hardswish,
    "hardsigmoid": F.hardsigmoid,
    "hardshrink": lambda x: F.hardshrink(x, 0.25),
    "softshrink": F.softshrink,
    "softsign": F.softsign,
    "tanhshrink": F.tanhshrink,
    "threshold": lambda x: F.threshold(x, 0.25, -2.0),
    "rrelu_eval": lambda x: F.rrelu(x, 0.1, 0.4),
}


@given(
    tt.tensors(elements=st.one_of(OFF_GRID, OFF_GRID.map(lambda v: v + 3.0 * np.sign(v)))),
    st.sampled_from(sorted(ACTIVATIONS)),
)
def test_activation_gradients_match_finite_differences(x, name):
    """Values up to 6 in size, so that hardswish's and hardsigmoid's ends at ±3 are crossed."""
    assert tt.check_grad(ACTIVATIONS[name], [x])


@given(tt.tensors(shape=tt.shapes(min_dims=1), elements=OFF_GRID))
def test_rrelu_in_training_gradient_is_its_drawn_slope(x):
    """Re-seeded before each call, the random slopes are the same in every evaluation."""

    def fn(t):
        tnn.manual_seed(0)
        return F.rrelu(t, 0.1, 0.4, training=True)

    assert tt.check_grad(fn, [x])


@given(tt.tensors(shape=tt.shapes(min_dims=1)), st.data())
def test_glu_gradient_matches_finite_differences(x, data):
    dim = data.draw(st.integers(-x.ndim, x.ndim - 1))
    doubled = tnn.tensor(np.concatenate([x.detach().numpy()] * 2, dim), requires_grad=True)
    assert tt.check_grad(lambda t: F.glu(t, dim), [doubled])


@given(
    tt.tensors(shape=tt.shapes(min_dims=1), elements=tt.AWAY_FROM_ZERO),
    st.sampled_from([1.0, 2.0, 3.0]),
    st.data(),
)
def test_normalize_gradient_matches_finite_differences(x, p, data):
    dim = data.draw(st.integers(-x.ndim, x.ndim - 1))
    assert tt.check_grad(lambda t: F.normalize(t, p, dim), [x])


@given(tt.tensors(shape=tt.shapes(min_dims=1)), st.sampled_from([0.5, 1.0, 2.0]))
def test_gumbel_softmax_gradient_matches_finite_differences(logits, tau):
    def fn(t):
        tnn.manual_seed(0)
        return F.gumbel_softmax(t, tau)

    assert tt.check_grad(fn, [logits])


def _same_ndim(shapes):
    """The shapes left-padded with 1s to one number of dims."""
    ndim = max(len(s) for s in shapes)
    return [(1,) * (ndim - len(s)) + tuple(s) for s in shapes]


@st.composite
def signs(draw, shape, values=(-1.0, 1.0)):
    return tnn.tensor(draw(tt.arrays(shape, elements=st.sampled_from(values))))


@given(st.data(), REDUCTIONS)
def test_margin_ranking_loss_gradient_matches_finite_differences(data, reduction):
    s1, s2, s3 = _same_ndim(data.draw(tt.broadcastable_shapes(3)))
    x1, x2 = (data.draw(tt.tensors(s, elements=OFF_GRID)) for s in (s1, s2))
    target = data.draw(signs(s3))

    def fn(a, b):
        return F.margin_ranking_loss(a, b, target, 0.005, reduction=reduction)

    assert tt.check_grad(fn, [x1, x2])


@given(st.data(), REDUCTIONS)
def test_hinge_embedding_loss_gradient_matches_finite_differences(data, reduction):
    """Targets 1, -1 and (both terms, as PyTorch's) 0; broadcast."""
    shape, target_shape = data.draw(tt.broadcastable_shapes(2))
    x = data.draw(tt.tensors(shape, elements=OFF_GRID))
    target = data.draw(signs(target_shape, (-1.0, 0.0, 1.0)))

    def fn(t):
        return F.hinge_embedding_loss(t, target, 1.005, reduction=reduction)

    assert tt.check_grad(fn, [x])


@given(st.data(), REDUCTIONS)
def test_soft_margin_loss_gradient_matches_finite_differences(data, reduction):
    shape, target_shape = data.draw(tt.broadcastable_shapes(2))
    x, target = data.draw(tt.tensors(shape)), data.draw(signs(target_shape))
    assert tt.check_grad(lambda t: F.soft_margin_loss(t, target, reduction=reduction), [x])


@given(
    tt.tensors(shape=tt.shapes(min_dims=1)),
    st.data(),
    st.booleans(),
    REDUCTIONS,
)
def test_multilabel_soft_margin_loss_gradient_matches_finite_differences(
    x, data, weighted, reduction
):
    """Soft targets in [0, 1]; the gradient reaches the input, the target and the weight."""
    target = data.draw(tt.tensors(x.shape, elements=st.floats(0.0, 1.0)))
    weight = data.draw(tt.tensors((x.shape[-1],), elements=tt.POSITIVE))

    def fn(t, y, w):
        return F.multilabel_soft_margin_loss(t, y, w if weighted else None, reduction=reduction)

    assert tt.check_grad(fn, [x, target, weight])


@given(
    tt.tensors(shape=tt.shapes(min_dims=1, max_dims=2), elements=OFF_GRID, unique=True),
    st.data(),
    st.sampled_from([1, 2]),
    REDUCTIONS,
)
def test_multi_margin_loss_gradient_matches_finite_differences(x, data, p, reduction):
    """Scores (N, C) or (C,), margins between grid points; the gradient reaches the
    weight too."""
    n_classes = x.shape[-1]
    target = tnn.tensor(data.draw(tt.arrays(x.shape[:-1], np.int64, st.integers(0, n_classes - 1))))
    weight = data.draw(tt.tensors((n_classes,), elements=tt.POSITIVE))

    def fn(t, w):
        return F.multi_margin_loss(t, target, p, 1.005, w, reduction=reduction)

    assert tt.check_grad(fn, [x, weight])


@given(
    st.integers(1, 4).flatmap(lambda n: st.sampled_from([(), (n,)])),
    st.integers(1, 4),
    st.data(),
    st.sampled_from([-0.5, 0.0, 0.5]),
    REDUCTIONS,
)
def test_cosine_embedding_loss_gradient_matches_finite_differences(
    batch, features, data, margin, reduction
):
    x1, x2 = (data.draw(tt.tensors(batch + (features,), elements=tt.AWAY_FROM_ZERO)) for _ in "12")
    target = data.draw(signs(batch))

    def fn(a, b):
        return F.cosine_embedding_loss(a, b, target, margin, reduction=reduction)

    assert tt.check_grad(fn, [x1, x2])


@given(
    st.data(),
    st.sampled_from([1.0, 2.0, 3.0]),
    st.booleans(),
    REDUCTIONS,
)
def test_triplet_margin_loss_gradient_matches_finite_differences(data, p, swap, reduction):
    """Broadcast triplets. On the grid, eps = 0.0025 keeps x - y + eps clear of 0 and, with
    the margin 2.0037, the hinge clear of its kink; ties of the swap's minimum are skipped."""
    shapes = _same_ndim(
        data.draw(
            tt.broadcastable_shapes(3, min_dims=1, max_dims=2).filter(
                lambda s: all(len(x) for x in s)
            )
        )
    )
    a, pos, neg = (data.draw(tt.tensors(s, elements=OFF_GRID)) for s in shapes)
    if swap:
        gap = F.pairwise_distance(a, neg, p, 0.0025) - F.pairwise_distance(pos, neg, p, 0.0025)
        assume(gap.abs().min().item() > 1e-4)

    def fn(x, y, z):
        return F.triplet_margin_loss(x, y, z, 2.0037, p, 0.0025, swap, reduction=reduction)

    assert tt.check_grad(fn, [a, pos, neg])


@given(st.data(), st.booleans(), st.booleans(), REDUCTIONS)
def test_poisson_nll_loss_gradient_matches_finite_differences(data, log_input, full, reduction):
    """Rates (not logs) positive; with ``full``, counts above 1 take the gradient of the
    Stirling term, counts up to 1 none."""
    shape, target_shape = data.draw(tt.broadcastable_shapes(2))
    x = data.draw(tt.tensors(shape, elements=tt.REAL if log_input else tt.POSITIVE))
    target = data.draw(tt.tensors(target_shape, elements=st.floats(0.0, 0.9) | st.floats(1.1, 5.0)))

    def fn(t, y):
        return F.poisson_nll_loss(t, y, log_input, full, reduction=reduction)

    assert tt.check_grad(fn, [x, target])


@given(st.data(), st.sampled_from(["same", "one_per_row", "last_dim_1"]), st.booleans(), REDUCTIONS)
def test_gaussian_nll_loss_gradient_matches_finite_differences(data, var_shape, full, reduction):
    """Variances above eps; one per element, one per row (the input's shape without its
    last dim) or a last dim of 1."""
    shape = data.draw(tt.shapes(min_dims=1))
    x, target = data.draw(tt.tensors(shape)), data.draw(tt.tensors(shape))
    var_shapes = {"same": shape, "one_per_row": shape[:-1], "last_dim_1": shape[:-1] + (1,)}
    var = data.draw(tt.tensors(var_shapes[var_shape], elements=tt.POSITIVE))

    def fn(m, t, v):
        return F.gaussian_nll_loss(m, t, v, full, reduction=reduction)

    assert tt.check_grad(fn, [x, target, var])


@settings(max_examples=20)
@given(tt.tensors(shape=tt.shapes(min_dims=1)))
def test_hard_gumbel_softmax_passes_the_soft_gradient_straight_through(logits):
    upstream = tnn.tensor(np.random.default_rng(0).standard_normal(logits.shape))
    grads = []
    for hard in (False, True):
        logits.grad = None
        tnn.manual_seed(1)
        (F.gumbel_softmax(logits, 0.5, hard) * upstream).sum().backward()
        grads.append(logits.grad.numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-12, atol=1e-15)
