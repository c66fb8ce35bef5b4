"""The activations selu, celu, glu, hardswish, hardsigmoid, hardshrink, softshrink, softsign,
tanhshrink, threshold, rrelu (eval), normalize and their in-place forms, the losses
margin_ranking, hinge_embedding, soft_margin, multilabel_soft_margin, multi_margin,
cosine_embedding, triplet_margin, poisson_nll and gaussian_nll, and nn.init's orthogonal_,
eye_ and dirac_ against PyTorch (when installed): functions and modules, same float64
inputs, same values and gradients (one random upstream gradient, every element), the same
printed modules, result dtypes and exception types."""

import warnings

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

rng = np.random.default_rng(7)
X = rng.standard_normal((4, 3)) * 2
Y = rng.standard_normal((4, 3)) * 2
Z = rng.standard_normal((4, 3)) * 2
#: values on the kinks: 0, +-0.5 (the shrinkages), +-3 (hardswish, hardsigmoid), 1 (threshold)
KINKS = np.array([[-3.0, 0.0, 3.0], [0.5, -0.5, 1.0], [2.0, 7.0, -4.0], [1e-9, 0.2, -0.2]])
SIGNS = np.array([1.0, -1.0, -1.0, 1.0])
SIGN_MATRIX = np.sign(Y)
COUNTS = rng.poisson(2.0, (4, 3)).astype(np.float64)
CLASSES = np.array([0, 2, 1, 2])


def F(L):
    return L.nn.functional


def _signs(L, a=SIGNS):
    return L.tensor(a, dtype=L.float64)


GRADIENTS = {
    "selu": (lambda L, x: F(L).selu(x), [KINKS]),
    "SELU_in_place": (lambda L, x: L.nn.SELU(inplace=True)(x * 1), [X]),
    "celu": (lambda L, x: F(L).celu(x, 0.5), [KINKS]),
    "CELU_in_place": (lambda L, x: L.nn.CELU(2.0, inplace=True)(x * 1), [X]),
    "glu": (lambda L, x: F(L).glu(x, 0), [X]),
    "GLU": (lambda L, x: L.nn.GLU()(x.reshape(3, 4)), [X]),
    "hardswish": (lambda L, x: F(L).hardswish(x * 1), [KINKS]),
    "elu_at_kinks": (lambda L, x: F(L).elu(x, 0.5), [KINKS]),
    "Hardswish_in_place": (lambda L, x: L.nn.Hardswish(inplace=True)(x * 2), [X]),
    "hardshrink": (lambda L, x: F(L).hardshrink(x), [KINKS]),
    "Hardshrink": (lambda L, x: L.nn.Hardshrink(1.0)(x), [KINKS]),
    "softshrink": (lambda L, x: F(L).softshrink(x), [KINKS]),
    "Softshrink": (lambda L, x: L.nn.Softshrink(1.0)(x), [KINKS]),
    "softsign": (lambda L, x: F(L).softsign(x), [KINKS]),
    "Softsign": (lambda L, x: L.nn.Softsign()(x), [X]),
    "tanhshrink": (lambda L, x: F(L).tanhshrink(x), [X]),
    "Tanhshrink": (lambda L, x: L.nn.Tanhshrink()(x), [X]),
    "threshold": (lambda L, x: F(L).threshold(x, 1.0, -2.0), [KINKS]),
    "Threshold_in_place": (lambda L, x: L.nn.Threshold(0.5, 3.0, inplace=True)(x * 1), [KINKS]),
    "rrelu_eval": (lambda L, x: F(L).rrelu(x, 0.1, 0.3), [KINKS]),
    "RReLU_eval": (lambda L, x: L.nn.RReLU().eval()(x), [X]),
    "relu_": (lambda L, x: F(L).relu_(x * 1), [KINKS]),
    "elu_": (lambda L, x: F(L).elu_(x * 1, 0.5), [X]),
    "leaky_relu_": (lambda L, x: F(L).leaky_relu_(x * 1, 0.2), [KINKS]),
    "hardtanh_": (lambda L, x: F(L).hardtanh_(x * 1, -0.5, 2.0), [X]),
    "threshold_": (lambda L, x: F(L).threshold_(x * 1, 0.5, 0.0), [KINKS]),
    "selu_": (lambda L, x: F(L).selu_(x * 1), [X]),
    "celu_": (lambda L, x: F(L).celu_(x * 1, 3.0), [X]),
    "rrelu_eval_": (lambda L, x: F(L).rrelu_(x * 1), [X]),
    "normalize": (lambda L, x: F(L).normalize(x), [X]),
    "normalize_p1_dim0": (lambda L, x: F(L).normalize(x, 1.0, 0), [X]),
    "normalize_clamped": (lambda L, x: F(L).normalize(x * 1e-13, eps=1e-12), [X]),
    "margin_ranking_loss": (
        lambda L, x, y: F(L).margin_ranking_loss(x[:, 0], y[:, 0], _signs(L), 0.5),
        [X, Y],
    ),
    "margin_ranking_loss_broadcast_none": (
        lambda L, x, y: F(L).margin_ranking_loss(
            x, y[:1], _signs(L, SIGN_MATRIX), reduction="none"
        ),
        [X, Y],
    ),
    "MarginRankingLoss": (
        lambda L, x, y: L.nn.MarginRankingLoss(0.2, reduction="sum")(x, y, _signs(L, SIGN_MATRIX)),
        [X, Y],
    ),
    "hinge_embedding_loss": (
        lambda L, x: F(L).hinge_embedding_loss(x, _signs(L, SIGN_MATRIX), margin=2.0),
        [X],
    ),
    "hinge_embedding_loss_other_targets": (
        lambda L, x, y: F(L).hinge_embedding_loss(x, y.detach().round(), reduction="none"),
        [X, Y],
    ),
    "HingeEmbeddingLoss": (
        lambda L, x: L.nn.HingeEmbeddingLoss(reduction="sum")(x, _signs(L, SIGN_MATRIX)),
        [X],
    ),
    "soft_margin_loss": (lambda L, x: F(L).soft_margin_loss(x, _signs(L, SIGN_MATRIX)), [X]),
    "SoftMarginLoss": (
        lambda L, x: L.nn.SoftMarginLoss(reduction="none")(x, _signs(L, SIGN_MATRIX)),
        [X],
    ),
    "multilabel_soft_margin_loss": (
        lambda L, x, y: F(L).multilabel_soft_margin_loss(x, (y > 0).double()),
        [X, Y],
    ),
    "multilabel_soft_margin_loss_weight_none": (
        lambda L, x, y: F(L).multilabel_soft_margin_loss(
            x, y.detach().sigmoid(), weight=y[0].abs(), reduction="none"
        ),
        [X, Y],
    ),
    "MultiLabelSoftMarginLoss": (
        lambda L, x, y: L.nn.MultiLabelSoftMarginLoss(reduction="sum")(x, (y > 0).double()),
        [X, Y],
    ),
    "multi_margin_loss": (
        lambda L, x: F(L).multi_margin_loss(x, L.tensor(CLASSES)),
        [X],
    ),
    "multi_margin_loss_p2_weight": (
        lambda L, x, w: F(L).multi_margin_loss(
            x, L.tensor(CLASSES), p=2, margin=0.5, weight=w[0].abs().detach(), reduction="none"
        ),
        [X, Y],
    ),
    "multi_margin_loss_vector": (
        lambda L, x: F(L).multi_margin_loss(x[0], L.tensor(1), margin=3.0),
        [X],
    ),
    "MultiMarginLoss": (
        lambda L, x: L.nn.MultiMarginLoss(p=2, reduction="sum")(x, L.tensor(CLASSES)),
        [X],
    ),
    "cosine_embedding_loss": (
        lambda L, x, y: F(L).cosine_embedding_loss(x, y, _signs(L)),
        [X, Y],
    ),
    "cosine_embedding_loss_margin_none": (
        lambda L, x, y: F(L).cosine_embedding_loss(x, y, _signs(L), 0.3, reduction="none"),
        [X, Y],
    ),
    "cosine_embedding_loss_vectors": (
        lambda L, x, y: F(L).cosine_embedding_loss(x[0], y[0], _signs(L)[1]),
        [X, Y],
    ),
    "CosineEmbeddingLoss": (
        lambda L, x, y: L.nn.CosineEmbeddingLoss(-0.5, reduction="sum")(x, y, -_signs(L)),
        [X, Y],
    ),
    "triplet_margin_loss": (
        lambda L, a, p, n: F(L).triplet_margin_loss(a, p, n),
        [X, Y, Z],
    ),
    "triplet_margin_loss_p1_swap_none": (
        lambda L, a, p, n: F(L).triplet_margin_loss(a, p, n, 3.0, 1.0, swap=True, reduction="none"),
        [X, Y, Z],
    ),
    "TripletMarginLoss": (
        lambda L, a, p, n: L.nn.TripletMarginLoss(margin=5.0, p=3.0, eps=1e-3)(a, p[:1], n),
        [X, Y, Z],
    ),
    "poisson_nll_loss": (lambda L, x, t: F(L).poisson_nll_loss(x, t), [X, COUNTS]),
    "poisson_nll_loss_full_target_above_1": (
        lambda L, x, t: F(L).poisson_nll_loss(x, t + 1.5, full=True),
        [X, COUNTS],
    ),
    "poisson_nll_loss_rates_full_none": (
        lambda L, x: F(L).poisson_nll_loss(
            x.abs(), _signs(L, COUNTS), log_input=False, full=True, reduction="none"
        ),
        [X],
    ),
    "PoissonNLLLoss": (
        lambda L, x: L.nn.PoissonNLLLoss(full=True, reduction="sum")(x, _signs(L, COUNTS)),
        [X],
    ),
    "gaussian_nll_loss": (lambda L, x, t, v: F(L).gaussian_nll_loss(x, t, v.abs()), [X, Y, Z]),
    "gaussian_nll_loss_one_var_per_sample": (
        lambda L, x, t, v: F(L).gaussian_nll_loss(x, t, v[:, 0].abs(), full=True),
        [X, Y, Z],
    ),
    "gaussian_nll_loss_last_dim_1_clamped_none": (
        lambda L, x, t, v: F(L).gaussian_nll_loss(
            x, t, v[:, :1].abs() * 1e-3, eps=1e-3, reduction="none"
        ),
        [X, Y, Z],
    ),
    "GaussianNLLLoss": (
        lambda L, x, t, v: L.nn.GaussianNLLLoss(full=True, reduction="sum")(x, t, v * v),
        [X, Y, Z],
    ),
}


def _leaf(library, a):
    return library.tensor(a, dtype=library.float64, requires_grad=True)


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_values_and_gradients_match_pytorch(name):
    fn, arrays = GRADIENTS[name]
    ours, theirs = [_leaf(tnn, a) for a in arrays], [_leaf(torch, a) for a in arrays]
    tt.assert_same_gradients(fn(tnn, *ours), fn(torch, *theirs), ours, theirs, rng)


def test_hardsigmoid_matches_pytorch_to_its_float32_sixth():
    """Values exactly; gradients to 3e-8: PyTorch's backward multiplies by 1/6 rounded to
    float32 even in float64 (ours by the float64 1/6)."""
    for fn in (lambda L, x: F(L).hardsigmoid(x), lambda L, x: L.nn.Hardsigmoid(True)(x * 2)):
        ours, theirs = _leaf(tnn, KINKS), _leaf(torch, KINKS)
        out, ref = fn(tnn, ours), fn(torch, theirs)
        np.testing.assert_array_equal(out.detach().numpy(), ref.detach().numpy())
        out.sum().backward()
        ref.sum().backward()
        np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=3e-8, atol=0)


MODULES = {
    "SELU_in_place": lambda L: L.nn.SELU(inplace=True),
    "CELU": lambda L: L.nn.CELU(0.5),
    "CELU_in_place": lambda L: L.nn.CELU(inplace=True),
    "GLU": lambda L: L.nn.GLU(0),
    "Hardswish_in_place": lambda L: L.nn.Hardswish(inplace=True),
    "Hardsigmoid": lambda L: L.nn.Hardsigmoid(),
    "Hardshrink": lambda L: L.nn.Hardshrink(),
    "Softshrink": lambda L: L.nn.Softshrink(1.0),
    "Softsign": lambda L: L.nn.Softsign(),
    "Tanhshrink": lambda L: L.nn.Tanhshrink(),
    "Threshold": lambda L: L.nn.Threshold(0.1, 20),
    "Threshold_in_place": lambda L: L.nn.Threshold(0.1, 2.5, True),
    "RReLU": lambda L: L.nn.RReLU(),
    "RReLU_in_place": lambda L: L.nn.RReLU(0.2, 0.4, inplace=True),
    "MarginRankingLoss": lambda L: L.nn.MarginRankingLoss(0.5),
    "HingeEmbeddingLoss": lambda L: L.nn.HingeEmbeddingLoss(),
    "SoftMarginLoss": lambda L: L.nn.SoftMarginLoss(),
    "MultiLabelSoftMarginLoss": lambda L: L.nn.MultiLabelSoftMarginLoss(),
    "MultiMarginLoss": lambda L: L.nn.MultiMarginLoss(p=2, weight=L.ones(3)),
    "CosineEmbeddingLoss": lambda L: L.nn.CosineEmbeddingLoss(),
    "TripletMarginLoss": lambda L: L.nn.TripletMarginLoss(swap=True),
    "PoissonNLLLoss": lambda L: L.nn.PoissonNLLLoss(),
    "GaussianNLLLoss": lambda L: L.nn.GaussianNLLLoss(full=True),
}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_print_and_hold_state_as_pytorchs(name):
    ours, theirs = MODULES[name](tnn), MODULES[name](torch)
    assert repr(ours) == repr(theirs)
    assert sorted(ours.state_dict()) == sorted(theirs.state_dict())


IN_PLACE = {
    "relu_": lambda L, x: F(L).relu_(x),
    "elu_": lambda L, x: F(L).elu_(x, 2.0),
    "leaky_relu_": lambda L, x: F(L).leaky_relu_(x, 0.3),
    "hardtanh_": lambda L, x: F(L).hardtanh_(x, -0.5, 0.5),
    "threshold_": lambda L, x: F(L).threshold_(x, 0.5, -1.0),
    "selu_": lambda L, x: F(L).selu_(x),
    "celu_": lambda L, x: F(L).celu_(x, 0.5),
    "rrelu_eval": lambda L, x: F(L).rrelu_(x),
    "hardswish": lambda L, x: F(L).hardswish(x, inplace=True),
    "hardsigmoid": lambda L, x: F(L).hardsigmoid(x, inplace=True),
    "Threshold": lambda L, x: L.nn.Threshold(0.0, 5.0, inplace=True)(x),
}


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_in_place_forms_write_into_the_input_as_pytorchs(name):
    """The same object comes back, holding PyTorch's values (to float32 rounding)."""
    results = []
    for L in (tnn, torch):
        x = L.tensor(KINKS.astype(np.float32))
        out = IN_PLACE[name](L, x)
        assert out is x
        results.append(x.numpy().copy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6, atol=1e-7)


EXACT = {
    "threshold_ints": lambda L: F(L).threshold(L.tensor([1, 2, -3]), 1.5, 5.5),
    "softsign_ints": lambda L: F(L).softsign(L.tensor([1, -3])),
    "selu_float32": lambda L: F(L).selu(L.tensor([-1.0, 0.0, 2.0])),
    "glu_float32": lambda L: F(L).glu(L.tensor([[1.0, 2.0, 0.0, -1.0]])),
    "hardshrink_float32": lambda L: F(L).hardshrink(L.tensor([0.5, -0.6, 0.1])),
    "softshrink_float32": lambda L: F(L).softshrink(L.tensor([0.5, -0.75, 0.1])),
    "normalize_out": lambda L: F(L).normalize(
        L.tensor([3.0, 4.0], dtype=L.float64), dim=0, out=L.empty(2)
    ),
    "soft_margin_loss_int_target": lambda L: F(L).soft_margin_loss(
        L.tensor([0.5, -1.0]), L.tensor([1, -1])
    ),
    "poisson_nll_loss_int_target": lambda L: F(L).poisson_nll_loss(
        L.tensor([0.5, -1.0]), L.tensor([1, 3]), reduction="none"
    ),
    "gaussian_nll_loss_float_var": lambda L: F(L).gaussian_nll_loss(
        L.tensor([0.5, -1.0]), L.tensor([1.0, 3.0]), 0.5, reduction="none"
    ),
    "multi_margin_loss_0d": lambda L: F(L).multi_margin_loss(L.tensor(0.5), L.tensor(0)),
    "margin_ranking_loss_broadcast": lambda L: F(L).margin_ranking_loss(
        L.tensor([[0.5, -1.0]]), L.tensor([[1.0], [0.0]]), L.tensor([[1.0, -1.0]]), reduction="none"
    ),
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_results_match_pytorch(name):
    out, ref = EXACT[name](tnn), EXACT[name](torch)
    assert (str(out.dtype), tuple(out.shape)) == (str(ref.dtype)[6:], tuple(ref.shape))
    np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-6)


@pytest.mark.parametrize(
    "loss",
    ["hinge_embedding_loss", "soft_margin_loss", "multilabel_soft_margin_loss", "poisson_nll_loss"],
)
def test_a_broadcast_target_gives_no_warning_as_in_pytorch(loss):
    for L in (tnn, torch):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            getattr(F(L), loss)(L.zeros(4, 3), L.ones(3))


ERRORS = {
    "selu_of_ints": lambda L: F(L).selu(L.tensor([1, 2])),
    "hardswish_of_ints": lambda L: F(L).hardswish(L.tensor([1, 2])),
    "glu_of_ints": lambda L: F(L).glu(L.tensor([1, 2])),
    "glu_odd": lambda L: F(L).glu(L.ones(2, 3)),
    "glu_0d": lambda L: F(L).glu(L.tensor(1.0)),
    "celu_alpha_0": lambda L: F(L).celu(L.ones(2), 0.0),
    "softshrink_negative": lambda L: F(L).softshrink(L.ones(2), -1.0),
    "rrelu_bounds": lambda L: F(L).rrelu(L.ones(2), 0.5, 0.1),
    "normalize_ints": lambda L: F(L).normalize(L.tensor([[1, 2]])),
    "normalize_dim": lambda L: F(L).normalize(L.ones(3)),
    "gumbel_softmax_ints": lambda L: F(L).gumbel_softmax(L.tensor([1, 2])),
    "selu_in_place_on_leaf": lambda L: F(L).selu_(L.ones(2, requires_grad=True)),
    "margin_ranking_ndim": lambda L: F(L).margin_ranking_loss(
        L.ones(2, 3), L.ones(2, 3), L.ones(3)
    ),
    "margin_ranking_reduction": lambda L: F(L).margin_ranking_loss(
        L.ones(2), L.ones(2), L.ones(2), reduction="x"
    ),
    "hinge_embedding_shapes": lambda L: F(L).hinge_embedding_loss(L.ones(2, 3), L.ones(5)),
    "multilabel_0d": lambda L: F(L).multilabel_soft_margin_loss(L.tensor(1.0), L.tensor(1.0)),
    "multi_margin_out_of_range": lambda L: F(L).multi_margin_loss(L.ones(2, 3), L.tensor([0, 3])),
    "multi_margin_negative": lambda L: F(L).multi_margin_loss(L.ones(2, 3), L.tensor([0, -1])),
    "multi_margin_target_size": lambda L: F(L).multi_margin_loss(L.ones(2, 3), L.tensor([0])),
    "multi_margin_float_target": lambda L: F(L).multi_margin_loss(L.ones(2, 3), L.ones(2)),
    "multi_margin_p3": lambda L: F(L).multi_margin_loss(L.ones(2, 3), L.tensor([0, 1]), p=3),
    "multi_margin_3d": lambda L: F(L).multi_margin_loss(L.ones(1, 2, 3), L.tensor([0, 1])),
    "multi_margin_weight": lambda L: F(L).multi_margin_loss(
        L.ones(2, 3), L.tensor([0, 1]), weight=L.ones(4)
    ),
    "MultiMarginLoss_p3": lambda L: L.nn.MultiMarginLoss(p=3),
    "MultiMarginLoss_2d_weight": lambda L: L.nn.MultiMarginLoss(weight=L.ones(3, 1)),
    "cosine_embedding_2d_target": lambda L: F(L).cosine_embedding_loss(
        L.ones(2, 3), L.ones(2, 3), L.ones(2, 1)
    ),
    "cosine_embedding_ndim": lambda L: F(L).cosine_embedding_loss(
        L.ones(2, 3), L.ones(3), L.ones(2)
    ),
    "triplet_ndim": lambda L: F(L).triplet_margin_loss(L.ones(2, 3), L.ones(2, 3), L.ones(3)),
    "triplet_margin_0": lambda L: F(L).triplet_margin_loss(L.ones(3), L.ones(3), L.ones(3), 0.0),
    "TripletMarginLoss_margin_0": lambda L: L.nn.TripletMarginLoss(margin=0.0),
    "poisson_reduction": lambda L: F(L).poisson_nll_loss(L.ones(2), L.ones(2), reduction="x"),
    "poisson_shapes": lambda L: F(L).poisson_nll_loss(L.ones(2, 3), L.ones(5)),
    "gaussian_var_size": lambda L: F(L).gaussian_nll_loss(L.ones(4, 3), L.ones(4, 3), L.ones(4, 2)),
    "gaussian_var_negative": lambda L: F(L).gaussian_nll_loss(L.ones(2), L.ones(2), -L.ones(2)),
    "gaussian_float_var_negative": lambda L: F(L).gaussian_nll_loss(L.ones(2), L.ones(2), -1.0),
    "gaussian_reduction": lambda L: F(L).gaussian_nll_loss(
        L.ones(2), L.ones(2), L.ones(2), reduction="x"
    ),
    "orthogonal_1d": lambda L: L.nn.init.orthogonal_(L.empty(3)),
    "eye_3d": lambda L: L.nn.init.eye_(L.empty(2, 2, 2)),
    "dirac_2d": lambda L: L.nn.init.dirac_(L.empty(2, 2)),
    "dirac_groups": lambda L: L.nn.init.dirac_(L.empty(3, 2, 3), groups=2),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_arguments_raise_what_pytorch_raises(name):
    tt.assert_same_error(ERRORS[name], tnn, torch)


INITS = {
    "eye_": lambda L: L.nn.init.eye_(L.empty(3, 5)),
    "eye_tall": lambda L: L.nn.init.eye_(L.empty(4, 2)),
    "dirac_": lambda L: L.nn.init.dirac_(L.empty(3, 2, 3)),
    "dirac_2d_groups": lambda L: L.nn.init.dirac_(L.empty(6, 2, 3, 2), groups=3),
    "dirac_3d": lambda L: L.nn.init.dirac_(L.empty(2, 4, 3, 3, 3)),
}


@pytest.mark.parametrize("name", sorted(INITS))
def test_deterministic_inits_fill_what_pytorchs_fill(name):
    tt.assert_same_result(INITS[name](tnn), INITS[name](torch))


class _Draws:
    """A stand-in for our generator whose ``normal`` returns fixed draws."""

    def __init__(self, values):
        self.values = values

    def normal(self, mean, std, shape):
        assert (mean, std, tuple(shape)) == (0.0, 1.0, self.values.shape)
        return self.values.copy()


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 2, 2), (1, 1)])
def test_orthogonal_is_pytorchs_q_of_the_same_normal_matrix(shape, monkeypatch):
    """Given PyTorch's normal draws, the same matrix: Q of the QR decomposition with the
    columns' signs fixed by diag(R), transposed for wide shapes, times gain."""
    rows = shape[0]
    cols = int(np.prod(shape)) // rows
    torch.manual_seed(3)
    draws = torch.empty(rows, cols, dtype=torch.float64).normal_(0, 1).numpy()
    torch.manual_seed(3)
    ref = torch.nn.init.orthogonal_(torch.empty(*shape, dtype=torch.float64), gain=2.0)
    monkeypatch.setattr(tnn.nn.init, "default_generator", lambda: _Draws(draws))
    ours = tnn.nn.init.orthogonal_(tnn.empty(*shape, dtype=tnn.float64), gain=2.0)
    np.testing.assert_allclose(ours.numpy(), ref.numpy(), atol=1e-12)
