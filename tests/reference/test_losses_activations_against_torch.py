"""The losses SmoothL1Loss, HuberLoss and KLDivLoss, the activations Hardtanh, ReLU6, PReLU,
Mish and Softmin, the in-place forms of ReLU, LeakyReLU, ELU, SiLU and Dropout,
CosineSimilarity and PairwiseDistance against PyTorch (when installed):
functions and modules, same float64 inputs, same values and gradients (one random upstream
gradient, every element), the same printed modules, the same exception types."""

import functools
import math
import warnings

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

rng = np.random.default_rng(5)
X = rng.standard_normal((4, 3)) * 2
Y = rng.standard_normal((4, 3)) * 2
IMAGES = rng.standard_normal((2, 3, 2, 2))
#: values on the kinks: 0, +-1 (hardtanh's bounds, smooth_l1's beta), 6 (relu6's top)
KINKS = np.array([[-1.0, 0.0, 1.0], [6.0, -6.0, 0.5], [2.0, 7.0, -0.5], [1e-9, 3.0, -3.0]])
LOG_P = np.log(rng.dirichlet(np.ones(3), 4))
Q = rng.dirichlet(np.ones(3), 4)
Q_ZEROS = np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0], [0.2, 0.3, 0.5], [0.0, 0.9, 0.1]])
TINY = np.array([[1e-9, 0.0, 0.0], [0.0, 0.0, 0.0], [1.0, 2.0, 2.0], [3.0, -1.0, 0.5]])


def F(L):
    return L.nn.functional


GRADIENTS = {
    "smooth_l1_loss": (lambda L, x, y: F(L).smooth_l1_loss(x, y), [X, Y]),
    "smooth_l1_loss_beta_sum": (
        lambda L, x, y: F(L).smooth_l1_loss(x, y, reduction="sum", beta=0.5),
        [X, Y],
    ),
    "smooth_l1_loss_beta_0": (lambda L, x, y: F(L).smooth_l1_loss(x, y, beta=0.0), [X, Y]),
    "smooth_l1_loss_at_kinks": (
        lambda L, x: F(L).smooth_l1_loss(x, x * 0, reduction="none"),
        [KINKS],
    ),
    "SmoothL1Loss": (lambda L, x, y: L.nn.SmoothL1Loss(reduction="none", beta=2.0)(x, y), [X, Y]),
    "huber_loss": (lambda L, x, y: F(L).huber_loss(x, y), [X, Y]),
    "huber_loss_delta_none": (
        lambda L, x, y: F(L).huber_loss(x, y, reduction="none", delta=0.7),
        [X, Y],
    ),
    "huber_loss_weight": (lambda L, x, y: F(L).huber_loss(x, y, weight=y.abs()), [X, Y]),
    "HuberLoss": (lambda L, x, y: L.nn.HuberLoss(reduction="sum", delta=1.5)(x, y), [X, Y]),
    "kl_div_batchmean": (lambda L, p, q: F(L).kl_div(p, q, reduction="batchmean"), [LOG_P, Q]),
    "kl_div_sum": (lambda L, p, q: F(L).kl_div(p, q, reduction="sum"), [LOG_P, Q]),
    "kl_div_none_log_target": (
        lambda L, p, q: F(L).kl_div(p, q.log(), reduction="none", log_target=True),
        [LOG_P, Q],
    ),
    "kl_div_zero_target_input_only": (
        lambda L, p: F(L).kl_div(p, L.tensor(Q_ZEROS, dtype=L.float64), reduction="sum"),
        [LOG_P],
    ),
    "kl_div_broadcast_target": (
        lambda L, p, q: F(L).kl_div(p, q[0], reduction="batchmean"),
        [LOG_P, Q],
    ),
    "KLDivLoss": (
        lambda L, p, q: L.nn.KLDivLoss(reduction="batchmean", log_target=True)(p, q.log()),
        [LOG_P, Q],
    ),
    "softplus_beta_threshold": (lambda L, x: F(L).softplus(x, beta=2.0, threshold=3.0), [X]),
    "softplus_beta_below_1": (lambda L, x: F(L).softplus(x * 30, beta=0.5), [X]),
    "softplus_past_the_default_threshold": (lambda L, x: F(L).softplus(x * 15), [X]),
    "Softplus": (lambda L, x: L.nn.Softplus(beta=-1.5, threshold=2)(x), [X]),
    "hardtanh": (lambda L, x: F(L).hardtanh(x), [KINKS]),
    "hardtanh_bounds": (lambda L, x: F(L).hardtanh(x, -0.5, 2.0), [KINKS]),
    "Hardtanh": (lambda L, x: L.nn.Hardtanh(-2.0, 3.0)(x), [X]),
    "hardtanh_in_place": (lambda L, x: F(L).hardtanh(x * 1, inplace=True) * 2, [KINKS]),
    "relu_in_place": (lambda L, x: F(L).relu(x * 1, inplace=True) * 2, [KINKS]),
    "ReLU_in_place": (lambda L, x: L.nn.ReLU(inplace=True)(x + 0), [KINKS]),
    "leaky_relu_in_place": (lambda L, x: F(L).leaky_relu(x * 1, 0.2, inplace=True), [KINKS]),
    "LeakyReLU_in_place": (lambda L, x: L.nn.LeakyReLU(0.1, True)(x + 0) * x, [X]),
    "elu_in_place": (lambda L, x: F(L).elu(x * 1, 0.5, inplace=True), [X]),
    "SiLU_in_place": (lambda L, x: L.nn.SiLU(inplace=True)(x + 0), [X]),
    "dropout_p1_in_place": (lambda L, x: F(L).dropout(x * 1, 1.0, inplace=True) + x, [X]),
    "Dropout_eval_in_place": (lambda L, x: L.nn.Dropout(0.3, True).eval()(x * 1), [X]),
    "relu6": (lambda L, x: F(L).relu6(x), [KINKS]),
    "ReLU6": (lambda L, x: L.nn.ReLU6()(x * 3), [X]),
    "mish": (lambda L, x: F(L).mish(x), [X]),
    "Mish_in_place": (lambda L, x: L.nn.Mish(inplace=True)(x + 0), [X]),
    "prelu_one_slope": (lambda L, x, w: F(L).prelu(x, w[0, :1]), [IMAGES, X]),
    "prelu_per_channel": (lambda L, x, w: F(L).prelu(x, w[0]), [IMAGES, X]),
    "prelu_vector": (lambda L, x, w: F(L).prelu(x[0, 0, 0], w[0, :1]), [IMAGES, X]),
    "softmin": (lambda L, x: F(L).softmin(x, dim=0), [X]),
    "Softmin": (lambda L, x: L.nn.Softmin(dim=-1)(x), [IMAGES]),
    "cosine_similarity": (lambda L, x, y: F(L).cosine_similarity(x, y), [X, Y]),
    "cosine_similarity_dim_0_broadcast": (
        lambda L, x, y: F(L).cosine_similarity(x, y[:1], dim=0),
        [X, Y],
    ),
    "cosine_similarity_tiny_and_zero": (
        lambda L, x, y: F(L).cosine_similarity(x, y, eps=1e-3),
        [TINY, Y],
    ),
    "CosineSimilarity": (lambda L, x, y: L.nn.CosineSimilarity(dim=1)(x, y), [IMAGES, IMAGES[:1]]),
    "pairwise_distance": (lambda L, x, y: F(L).pairwise_distance(x, y), [X, Y]),
    "pairwise_distance_p1_keepdim": (
        lambda L, x, y: F(L).pairwise_distance(x, y, p=1.0, keepdim=True),
        [X, Y],
    ),
    "pairwise_distance_vectors_broadcast": (
        lambda L, x, y: F(L).pairwise_distance(x[0], y),
        [X, Y],
    ),
    "PairwiseDistance": (lambda L, x, y: L.nn.PairwiseDistance(p=3.0)(x, y), [X, Y]),
}


def _leaf(library, a):
    return library.tensor(a, dtype=library.float64, requires_grad=True)


@pytest.mark.filterwarnings("ignore:Using a target size")
@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_values_and_gradients_match_pytorch(name):
    fn, arrays = GRADIENTS[name]
    ours, theirs = [_leaf(tnn, a) for a in arrays], [_leaf(torch, a) for a in arrays]
    tt.assert_same_gradients(fn(tnn, *ours), fn(torch, *theirs), ours, theirs, rng)


def test_prelu_slope_is_learnt_as_pytorchs():
    """The module's own parameter, one slope per channel, gets PyTorch's gradient."""
    grads = []
    for L in (tnn, torch):
        layer = L.nn.PReLU(3, init=0.1)
        layer(L.tensor(X.astype(np.float32))).sum().backward()
        grads.append(layer.weight.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-6)


MODULES = {
    "SmoothL1Loss": lambda L: L.nn.SmoothL1Loss(beta=0.5),
    "HuberLoss": lambda L: L.nn.HuberLoss(delta=2.0),
    "KLDivLoss": lambda L: L.nn.KLDivLoss(log_target=True),
    "Hardtanh": lambda L: L.nn.Hardtanh(-2, 3),
    "Hardtanh_in_place": lambda L: L.nn.Hardtanh(inplace=True),
    "ReLU": lambda L: L.nn.ReLU(),
    "ReLU_in_place": lambda L: L.nn.ReLU(inplace=True),
    "LeakyReLU_in_place": lambda L: L.nn.LeakyReLU(0.2, inplace=True),
    "ELU_in_place": lambda L: L.nn.ELU(0.5, inplace=True),
    "SiLU_in_place": lambda L: L.nn.SiLU(inplace=True),
    "Dropout": lambda L: L.nn.Dropout(0.25),
    "Dropout2d_in_place": lambda L: L.nn.Dropout2d(0.25, inplace=True),
    "ReLU6": lambda L: L.nn.ReLU6(),
    "ReLU6_in_place": lambda L: L.nn.ReLU6(inplace=True),
    "PReLU": lambda L: L.nn.PReLU(3, init=0.1),
    "Mish": lambda L: L.nn.Mish(),
    "Softplus": lambda L: L.nn.Softplus(),
    "Softplus_beta_threshold": lambda L: L.nn.Softplus(2, 10),
    "Softmin": lambda L: L.nn.Softmin(dim=1),
    "CosineSimilarity": lambda L: L.nn.CosineSimilarity(dim=0),
    "PairwiseDistance": lambda L: L.nn.PairwiseDistance(p=1, keepdim=True),
}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_print_and_hold_parameters_as_pytorchs(name):
    ours, theirs = MODULES[name](tnn), MODULES[name](torch)
    assert repr(ours) == repr(theirs)
    assert [(n, tuple(p.shape), p.tolist()) for n, p in ours.named_parameters()] == [
        (n, tuple(p.shape), p.tolist()) for n, p in theirs.named_parameters()
    ]


IN_PLACE = {
    "relu": lambda L, x: F(L).relu(x, inplace=True),
    "leaky_relu": lambda L, x: F(L).leaky_relu(x, 0.5, inplace=True),
    "elu": lambda L, x: F(L).elu(x, inplace=True),
    "silu": lambda L, x: F(L).silu(x, inplace=True),
    "ReLU": lambda L, x: L.nn.ReLU(inplace=True)(x),
    "dropout_p1": lambda L, x: F(L).dropout(x, 1.0, inplace=True),
    "dropout2d_p1": lambda L, x: F(L).dropout2d(x.reshape(1, 2, 2, 3), 1.0, inplace=True),
}


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_in_place_writes_into_the_input_as_pytorchs(name):
    """The input holds PyTorch's values afterwards, and so does the result (to float32
    rounding: elu's $e^x - 1$ is not torch's expm1 to the last bit)."""
    results = []
    for L in (tnn, torch):
        x = L.tensor(KINKS.astype(np.float32))
        out = IN_PLACE[name](L, x)
        results.append((out.numpy().copy(), x.numpy().copy()))
    (out, x), (ref_out, ref_x) = results
    np.testing.assert_allclose(out, ref_out, rtol=1e-6)
    np.testing.assert_allclose(x, ref_x, rtol=1e-6)


def test_dropout_in_place_scales_the_kept_elements_of_its_input():
    x = tnn.ones(2000)
    assert F(tnn).dropout(x, 0.5, inplace=True) is x
    assert set(np.unique(x.numpy()).tolist()) == {0.0, 2.0}


def test_kl_div_mean_warns_as_pytorch():
    for L in (tnn, torch):
        with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
            F(L).kl_div(L.zeros(2), L.ones(2))


@pytest.mark.parametrize(
    "kwargs", [{}, dict(reduce=False), dict(size_average=False), dict(size_average=True)]
)
def test_kl_div_warns_what_pytorch_warns(kwargs):
    """The 'mean' warning only for the real default; the legacy arguments give their own."""
    warned = []
    for L in (tnn, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            F(L).kl_div(L.zeros(2), L.ones(2), **kwargs)
        warned.append([(w.category, str(w.message)) for w in caught])
    assert warned[0] == warned[1]


def test_legacy_size_average_and_reduce_give_pytorchs_reduction():
    x, y = X.astype(np.float32), Y.astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for kwargs in (
            dict(reduce=False),
            dict(size_average=False),
            dict(size_average=True),
            dict(reduce=0),  # PyTorch reads them as truth values
            dict(size_average=0, reduce=1),
        ):
            out = tnn.nn.SmoothL1Loss(**kwargs)(tnn.tensor(x), tnn.tensor(y))
            ref = torch.nn.SmoothL1Loss(**kwargs)(torch.tensor(x), torch.tensor(y))
            np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-6)


PROBS = rng.uniform(0.1, 0.9, (2, 3)).astype(np.float32)
#: targets of another shape or dtype than PROBS
ODD_TARGETS = {
    "broadcast": PROBS[0],
    "wider": rng.uniform(0, 1, (4, 2, 3)).astype(np.float32),
    "not_broadcasting": np.ones(4, np.float32),
    "ints": np.array([[0, 1, 1], [1, 0, 0]]),
    "ints_broadcast": np.array([1, 0, 1]),
    "int32": np.array([[0, 1, 1], [1, 0, 0]], np.int32),
    "bools": np.array([[False, True, True], [True, False, False]]),
    "float64": rng.uniform(0, 1, (2, 3)),
    "float16": rng.uniform(0, 1, (2, 3)).astype(np.float16),
    "float32": rng.uniform(0, 1, (2, 3)).astype(np.float32),
}
TARGET_LOSSES = [
    "mse_loss",
    "l1_loss",
    "smooth_l1_loss",
    "huber_loss",
    "kl_div",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
]


@pytest.mark.parametrize("input_dtype", ["float32", "float64"])
@pytest.mark.parametrize("target", sorted(ODD_TARGETS))
@pytest.mark.parametrize("loss", TARGET_LOSSES)
def test_targets_of_another_shape_or_dtype_as_pytorchs(loss, target, input_dtype):
    """Each loss broadcasts (with or without a warning), promotes, casts or refuses such a
    target as PyTorch's does: the same warnings, exception type, dtype, shape and values."""
    results = []
    for L in (tnn, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                out = getattr(F(L), loss)(
                    L.tensor(PROBS.astype(input_dtype)),
                    L.tensor(ODD_TARGETS[target]),
                    reduction="none",
                )
            except Exception as error:
                out = type(error)
        results.append((out, [w.category for w in caught]))
    (out, warned), (ref, ref_warned) = results
    assert warned == ref_warned
    if isinstance(ref, type):
        assert out is ref
    else:
        assert (str(out.dtype), out.shape) == (str(ref.dtype)[6:], tuple(ref.shape))
        rtol = 1e-3 if target == "float16" else 1e-6  # where PyTorch computes in float16
        np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=rtol)


@pytest.mark.parametrize(
    "kwargs", [dict(reduce=False), dict(size_average=True), dict(size_average=False)]
)
@pytest.mark.parametrize("spelling", ["function", "module"])
def test_kl_div_legacy_arguments_with_batchmean_as_pytorchs(kwargs, spelling):
    """The function divides the legacy reduction's result by the batch size; the module
    keeps only the legacy reduction (its ``reduction`` is replaced at construction)."""
    results = []
    for L in (tnn, torch):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if spelling == "function":
                loss = functools.partial(F(L).kl_div, reduction="batchmean", **kwargs)
            else:
                loss = L.nn.KLDivLoss(reduction="batchmean", **kwargs)
            p = L.tensor(LOG_P, requires_grad=True)
            out = loss(p, L.tensor(Q))
        out.sum().backward()
        results.append((out.detach().numpy(), p.grad.numpy()))
    (out, grad), (ref, ref_grad) = results
    np.testing.assert_allclose(out, ref, rtol=1e-12)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-12)


EXACT = {
    "hardtanh_ints": lambda L: F(L).hardtanh(L.tensor([3, -2, 0])),
    "relu6_ints": lambda L: F(L).relu6(L.tensor([7, -2, 4])),
    "hardtanh_nan": lambda L: F(L).hardtanh(L.tensor([math.nan, 2.0])),
    "cosine_similarity_int_and_float": lambda L: F(L).cosine_similarity(
        L.tensor([[1, 2]]), L.tensor([[2.0, 1.0]])
    ),
    "pairwise_distance_ints": lambda L: F(L).pairwise_distance(
        L.tensor([[1, 2]]), L.tensor([[2, 1]])
    ),
    "pairwise_distance_p0": lambda L: F(L).pairwise_distance(L.ones(3), L.ones(3), p=0),
    "pairwise_distance_inf": lambda L: F(L).pairwise_distance(
        L.tensor([1.0, 3.0]), L.ones(2), p=math.inf
    ),
    "prelu_0d": lambda L: F(L).prelu(L.tensor(-1.0), L.tensor([0.5])),
    "softplus_float32_extremes": lambda L: F(L).softplus(
        L.tensor([-3e38, -1e3, 0.0, 19.0, 21.0, 1e3, 3e38]), beta=4.0, threshold=25.0
    ),
    "cross_entropy_negative_label_smoothing_smooths_nothing": lambda L: F(L).cross_entropy(
        L.tensor(X), L.tensor([1, 2, 0, 1]), label_smoothing=-0.1
    ),
    "cross_entropy_negative_ignore_index_with_probabilities": lambda L: F(L).cross_entropy(
        L.tensor(X), L.tensor(Q), ignore_index=-1
    ),
    "cross_entropy_nan_label_smoothing_smooths_nothing": lambda L: F(L).cross_entropy(
        L.tensor(X), L.tensor(Q), label_smoothing=math.nan
    ),
    "kl_div_batchmean_of_a_vector": lambda L: F(L).kl_div(
        L.tensor([-1.0, -2.0]), L.tensor([0.5, 0.0]), reduction="batchmean"
    ),
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_results_match_pytorch(name):
    tt.assert_same_result(EXACT[name](tnn), EXACT[name](torch))


def test_softmin_of_ints_by_dtype_float64_matches_pytorch_within_an_ulp():
    """Not bitwise: torch's float64 softmax rounds one element the other way."""
    out, ref = (F(L).softmin(L.tensor([[1, 2]]), 1, dtype=L.float64) for L in (tnn, torch))
    assert (str(out.dtype), out.shape) == ("float64", tuple(ref.shape))
    np.testing.assert_array_max_ulp(out.numpy(), ref.numpy(), maxulp=1)


def test_tensor_softplus_of_ints_is_refused_as_f_softplus():
    with pytest.raises(NotImplementedError, match="softplus"):
        tnn.tensor([1, 2]).softplus()


def test_kl_div_unknown_reduction_names_every_allowed_one():
    with pytest.raises(ValueError, match="'none', 'batchmean'.*'foo'"):
        F(tnn).kl_div(tnn.ones(2), tnn.ones(2), reduction="foo")


ERRORS = {
    "smooth_l1_negative_beta": lambda L: F(L).smooth_l1_loss(L.ones(2), L.ones(2), beta=-1.0),
    "smooth_l1_target_does_not_broadcast": lambda L: F(L).smooth_l1_loss(L.ones(2), L.ones(3)),
    "smooth_l1_batchmean": lambda L: F(L).smooth_l1_loss(
        L.ones(2), L.ones(2), reduction="batchmean"
    ),
    "huber_zero_delta": lambda L: F(L).huber_loss(L.ones(2), L.ones(2), delta=0.0),
    "huber_weight_size": lambda L: F(L).huber_loss(L.ones(2), L.ones(2), weight=L.ones(3)),
    "kl_div_unknown_reduction": lambda L: F(L).kl_div(L.ones(2), L.ones(2), reduction="foo"),
    "KLDivLoss_unknown_reduction": lambda L: L.nn.KLDivLoss(reduction="foo")(L.ones(2), L.ones(2)),
    "hardtanh_bounds_reversed": lambda L: F(L).hardtanh(L.ones(2), 2.0, 1.0),
    "Hardtanh_bounds_reversed": lambda L: L.nn.Hardtanh(2.0, 1.0),
    "hardtanh_in_place_on_leaf": lambda L: F(L).hardtanh(
        L.ones(2, requires_grad=True), inplace=True
    ),
    "relu_in_place_on_leaf": lambda L: F(L).relu(L.ones(2, requires_grad=True), inplace=True),
    "leaky_relu_in_place_of_ints": lambda L: F(L).leaky_relu(L.tensor([1, 2]), inplace=True),
    "dropout_in_place_on_leaf": lambda L: F(L).dropout(
        L.ones(2, requires_grad=True), 0.5, inplace=True
    ),
    "mish_of_ints": lambda L: F(L).mish(L.tensor([1, 2])),
    "softmin_of_ints": lambda L: F(L).softmin(L.tensor([1, 2]), 0),
    "softplus_of_ints": lambda L: F(L).softplus(L.tensor([1, 2])),
    "Softplus_of_ints": lambda L: L.nn.Softplus()(L.tensor([1, 2])),
    "prelu_channels_differ": lambda L: F(L).prelu(L.ones(2, 4), L.ones(3)),
    "prelu_vector_with_two_slopes": lambda L: F(L).prelu(L.ones(2), L.ones(2)),
    "cosine_similarity_ints": lambda L: F(L).cosine_similarity(
        L.tensor([[1, 2]]), L.tensor([[2, 1]])
    ),
    "cosine_similarity_shapes": lambda L: F(L).cosine_similarity(L.ones(2, 3), L.ones(2, 4)),
    "pairwise_distance_shapes": lambda L: F(L).pairwise_distance(L.ones(2, 3), L.ones(2, 4)),
    # cross_entropy's targets and arguments
    "cross_entropy_float_target_of_index_shape": lambda L: F(L).cross_entropy(
        L.tensor(X), L.tensor([1.0, 2.0, 0.0, 1.0])
    ),
    "cross_entropy_float_target_of_0d_index_shape": lambda L: F(L).cross_entropy(
        L.tensor(X[0]), L.tensor(1.0)
    ),
    "cross_entropy_float_target_of_other_shape": lambda L: F(L).cross_entropy(
        L.tensor(X), L.ones(4, 5)
    ),
    "cross_entropy_float_target_of_other_batch": lambda L: F(L).cross_entropy(
        L.tensor(X), L.ones(2)
    ),
    "cross_entropy_int_target_of_probability_shape": lambda L: F(L).cross_entropy(
        L.tensor(X), L.tensor(np.ones((4, 3), np.int64))
    ),
    "cross_entropy_int_target_of_more_dims": lambda L: F(L).cross_entropy(
        L.tensor(X), L.tensor([[1], [2], [0], [1]])
    ),
    "cross_entropy_0d_target_for_a_batch": lambda L: F(L).cross_entropy(L.tensor(X), L.tensor(1)),
    "cross_entropy_bool_target": lambda L: F(L).cross_entropy(
        L.tensor(X), L.tensor([True, False, True, True])
    ),
    "cross_entropy_label_smoothing_above_1": lambda L: F(L).cross_entropy(
        L.tensor(X), L.tensor([1, 2, 0, 1]), label_smoothing=1.5
    ),
    "cross_entropy_label_smoothing_above_1_probabilities": lambda L: F(L).cross_entropy(
        L.tensor(X), L.tensor(Q), label_smoothing=1.5
    ),
    "CrossEntropyLoss_label_smoothing_above_1": lambda L: L.nn.CrossEntropyLoss(
        label_smoothing=2.0
    )(L.tensor(X[0]), L.tensor(1)),
    "cross_entropy_ignore_index_with_probabilities": lambda L: F(L).cross_entropy(
        L.tensor(X), L.tensor(Q), ignore_index=1
    ),
    "cross_entropy_weight_shape": lambda L: F(L).cross_entropy(
        L.tensor(X), L.tensor([1, 2, 0, 1]), L.ones(2, dtype=L.float64)
    ),
    "nll_loss_weight_shape": lambda L: F(L).nll_loss(
        L.tensor(LOG_P), L.tensor([1, 2, 0, 1]), L.ones(4, dtype=L.float64)
    ),
    "nll_loss_int_target_of_more_dims": lambda L: F(L).nll_loss(
        L.tensor(LOG_P), L.tensor(np.ones((4, 3), np.int64))
    ),
    "cross_entropy_of_0d_input": lambda L: F(L).cross_entropy(L.tensor(1.0), L.tensor(1)),
}


@pytest.mark.filterwarnings("ignore:Using a target size")
@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_arguments_raise_what_pytorch_raises(name):
    tt.assert_same_error(ERRORS[name], tnn, torch)
