"""Activations, losses and dropout: values against the formulas, gradients against finite
differences, bad input against clear errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import nn
from tinygrad_nn import testing as tt
from tinygrad_nn.nn import functional as F


def f64(data, grad=True):
    return tnn.tensor(data, dtype=tnn.float64, requires_grad=grad)


# -- values against hand-computed numbers -----------------------------------------------------


def test_activation_modules_match_their_formulas():
    z = tnn.tensor([-2.0, 0.0, 0.5])
    np.testing.assert_allclose(
        nn.Sigmoid()(z).numpy(), 1 / (1 + np.exp([2.0, 0.0, -0.5])), rtol=1e-6
    )
    np.testing.assert_allclose(nn.Tanh()(z).numpy(), np.tanh(z.numpy()), rtol=1e-6)
    np.testing.assert_allclose(nn.Arctan()(z).numpy(), np.arctan(z.numpy()), rtol=1e-6)
    assert nn.ReLU()(z).tolist() == [0.0, 0.0, 0.5]
    assert nn.Step()(z).tolist() == [0.0, 1.0, 1.0]  # 1 iff z >= 0 (notes §3.1)
    assert nn.Identity()(z) is z


def test_sigmoid_slope_of_notes_13_1():
    # Notes §13.1: sigma(5) = 0.9933 with slope 0.0066; sigma(0.1) = 0.525 with slope 0.249
    z = tnn.tensor([5.0, 0.1], dtype=tnn.float64, requires_grad=True)
    y = z.sigmoid()
    y.sum().backward()
    np.testing.assert_allclose(y.data, [0.9933, 0.525], atol=5e-4)
    np.testing.assert_allclose(z.grad.data, [0.0066, 0.249], atol=5e-4)


def test_mse_loss_reductions():
    y, t = tnn.tensor([[1.0, 2.0], [3.0, 5.0]]), tnn.tensor([[1.0, 0.0], [0.0, 5.0]])
    assert nn.MSELoss()(y, t).item() == pytest.approx((0 + 4 + 9 + 0) / 4)
    assert nn.MSELoss(reduction="sum")(y, t).item() == pytest.approx(13.0)
    assert nn.MSELoss(reduction="none")(y, t).tolist() == [[0.0, 4.0], [9.0, 0.0]]


def test_bce_matches_formula_and_is_finite_at_0_and_1():
    y, t = tnn.tensor([0.9, 0.2, 0.0, 1.0]), tnn.tensor([1.0, 0.0, 1.0, 1.0])
    expected = -np.array([np.log(0.9), np.log(0.8), -100.0, 0.0])
    np.testing.assert_allclose(
        F.binary_cross_entropy(y, t, reduction="none").data, expected, rtol=1e-6
    )


def test_bce_with_logits_equals_bce_of_sigmoid_and_is_stable():
    z, t = tnn.tensor([-3.0, 0.5, 2.0]), tnn.tensor([0.0, 1.0, 1.0])
    np.testing.assert_allclose(
        F.binary_cross_entropy_with_logits(z, t).item(),
        F.binary_cross_entropy(z.sigmoid(), t).item(),
        rtol=1e-5,
    )
    big = F.binary_cross_entropy_with_logits(
        tnn.tensor([1000.0, -1000.0]), tnn.tensor([0.0, 1.0]), reduction="none"
    )
    assert big.tolist() == [1000.0, 1000.0]


def test_cross_entropy_with_indices_equals_with_one_hot():
    z = tnn.tensor([[0.6, 3.4, -1.2, 0.05], [1.0, 0.0, 0.0, 0.0]])
    idx = tnn.tensor([1, 0])
    by_index = nn.CrossEntropyLoss()(z, idx).item()
    by_onehot = nn.CrossEntropyLoss()(z, F.one_hot(idx, 4).float()).item()
    expected = -np.mean(
        np.log([np.exp(3.4) / np.exp(z.detach().numpy()[0]).sum(), np.e / (np.e + 3)])
    )
    assert by_index == pytest.approx(expected, rel=1e-6) and by_onehot == pytest.approx(
        expected, rel=1e-6
    )


def test_cross_entropy_gradient_is_softmax_minus_target():
    z = f64([[0.6, 3.4, -1.2, 0.05]])
    F.cross_entropy(z, tnn.tensor([1]), reduction="sum").backward()
    y = np.exp(z.detach().numpy()) / np.exp(z.detach().numpy()).sum()
    np.testing.assert_allclose(z.grad.data, y - [[0, 1, 0, 0]], rtol=1e-12)


def test_one_hot_of_notes_6_2():
    assert F.one_hot(tnn.tensor([1]), 4).tolist() == [[0, 1, 0, 0]]
    z = tnn.tensor([0.6, 3.4, -1.2, 0.05])  # Example 6.2: one-hot of the largest element
    assert F.one_hot(z.argmax(), 4).tolist() == [0, 1, 0, 0]


def test_l2_penalty_gradient_is_two_lambda_theta():
    w = f64([1.0, -2.0])
    (0.1 * F.l2_penalty([w])).backward()
    np.testing.assert_allclose(w.grad.data, 2 * 0.1 * w.data)
    assert F.l1_penalty([w]).item() == 3.0


# -- gradients (Hypothesis, float64) -------------------------------------------------------


@given(tt.tensors(shape=tt.shapes(min_dims=2, max_dims=2)), st.data())
def test_loss_gradients_match_finite_differences(z, data):
    n, c = z.shape
    t_prob = data.draw(tt.tensors((n, c), elements=st.floats(0.0, 1.0), requires_grad=False))
    idx = tnn.tensor(data.draw(tt.arrays((n,), np.int64, st.integers(0, c - 1))))
    probs = data.draw(tt.tensors((n, c), elements=st.floats(0.05, 0.95)))
    for reduction in ("mean", "sum", "none"):
        assert tt.check_grad(lambda a, r=reduction: F.cross_entropy(a, idx, reduction=r), [z])
        assert tt.check_grad(lambda a, r=reduction: F.cross_entropy(a, t_prob, reduction=r), [z])
        assert tt.check_grad(lambda a, r=reduction: F.mse_loss(a, t_prob, r), [z])
        assert tt.check_grad(
            lambda a, r=reduction: F.binary_cross_entropy_with_logits(a, t_prob, reduction=r), [z]
        )
        assert tt.check_grad(
            lambda a, r=reduction: F.binary_cross_entropy(a, t_prob, reduction=r), [probs]
        )


@given(tt.tensors(shape=tt.shapes(min_dims=1, max_dims=3)), st.data())
def test_linear_gradient_matches_finite_differences(x, data):
    n_out = data.draw(st.integers(1, 3))
    w = data.draw(tt.tensors((n_out, x.shape[-1])))
    b = data.draw(tt.tensors((n_out,)))
    assert tt.check_grad(F.linear, [x, w, b])
    assert tt.check_grad(F.linear, [x, w])
    assert tt.check_gradgrad(lambda a, c, d: F.linear(a, c, d).tanh(), [x, w, b])


def test_cross_entropy_of_one_sample_without_a_batch_axis():
    z = f64([0.3, -0.2, 1.0])
    expected = np.log(np.exp(z.detach().numpy()).sum()) - 1.0
    for reduction in ("mean", "sum", "none"):
        loss = F.cross_entropy(z, tnn.tensor(2), reduction=reduction)
        assert loss.shape == () and loss.item() == pytest.approx(expected, rel=1e-12)
        assert tt.check_grad(
            lambda a, r=reduction: F.cross_entropy(a, tnn.tensor(2), reduction=r), [z]
        )
    assert tt.check_gradgrad(lambda a: F.cross_entropy(a, tnn.tensor(2)), [z])


@given(st.integers(1, 4), st.sampled_from(["mean", "sum", "none"]), st.data())
def test_one_sample_losses_gradients_match_finite_differences(n_classes, reduction, data):
    """Input (C,), a 0-d target (or (1,) for C = 1, which torch's autograd takes), with class
    weights, ignore_index and label smoothing."""
    z = data.draw(tt.tensors((n_classes,)))
    w = data.draw(tt.tensors((n_classes,), elements=tt.POSITIVE, requires_grad=False))
    k = tnn.tensor(data.draw(st.integers(0, n_classes - 1)))
    other = (k + 1) % n_classes
    one = tnn.tensor([0]) if n_classes == 1 else k
    assert tt.check_grad(
        lambda a: F.cross_entropy(a, k, w, label_smoothing=0.2, reduction=reduction), [z]
    )
    if n_classes > 1:  # with one class the only sample would be ignored: a NaN mean
        assert tt.check_grad(lambda a: F.cross_entropy(a, k, ignore_index=int(other)), [z])
    assert tt.check_grad(lambda a: F.nll_loss(a, one, w, reduction=reduction), [z])


@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.uint64])
def test_cross_entropy_takes_class_indices_of_any_integer_dtype(dtype):
    z = f64([[0.3, -0.2, 1.0], [0.0, 0.5, -1.0]])
    loss = F.cross_entropy(z, tnn.from_numpy(np.array([2, 0], dtype)))
    loss.backward()
    ref = f64(z.detach().numpy())
    F.cross_entropy(ref, tnn.tensor([2, 0])).backward()
    assert loss.item() == pytest.approx(F.cross_entropy(ref, tnn.tensor([2, 0])).item())
    np.testing.assert_array_equal(z.grad.numpy(), ref.grad.numpy())


def test_cross_entropy_backward_leaves_its_saved_arrays_unchanged():
    # backward writes the one-hot into a softmax it makes, not into the exponentials it saved
    z = f64([[0.3, -0.2, 1.0], [0.0, 0.5, -1.0]])
    loss = F.cross_entropy(z, tnn.tensor([2, 0]))
    loss.backward(retain_graph=True)
    first = z.grad.numpy().copy()
    z.grad = None
    loss.backward()
    np.testing.assert_array_equal(z.grad.numpy(), first)


def test_cross_entropy_second_derivative():
    z = f64([[0.3, -0.2, 1.0], [0.0, 0.5, -1.0]])
    assert tt.check_gradgrad(lambda a: F.cross_entropy(a, tnn.tensor([2, 0])), [z])


# -- dropout ---------------------------------------------------------------------------------


@given(st.floats(0.0, 0.9))
def test_dropout_keeps_the_expected_value(p):
    tnn.manual_seed(1)
    x = tnn.ones(200_000)
    y = nn.Dropout(p)(x).numpy()
    assert y.mean() == pytest.approx(1.0, abs=5 * np.sqrt(p / (1 - p) / x.numel()) + 1e-12)
    assert set(np.unique(y)) <= {0.0, np.float32(1 / (1 - p))}


def test_dropout_is_identity_in_eval_mode():
    d = nn.Dropout(0.5).eval()
    x = tnn.randn(10)
    assert d(x) is x


def test_dropout_rejects_bad_probability():
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.Dropout(1.5)


# -- bad input -----------------------------------------------------------------------------


def test_losses_name_wrong_target_shape():
    y = tnn.zeros(4, 3)
    for loss in (nn.BCELoss(), nn.BCEWithLogitsLoss()):
        with pytest.raises(ValueError, match=r"target shape \(4,\).*\(4, 3\)"):
            loss(y, tnn.zeros(4))
    # MSELoss broadcasts a target of another shape with PyTorch's warning, if it can
    with pytest.warns(UserWarning, match="target size"):
        with pytest.raises(RuntimeError, match=r"target shape \(4,\).*\(4, 3\)"):
            nn.MSELoss()(y, tnn.zeros(4))
    with pytest.raises(ValueError, match=r"\(3,\).*\(4,\)"):
        nn.CrossEntropyLoss()(y, tnn.tensor([0, 1, 2]))


def test_losses_name_wrong_target_dtype():
    with pytest.raises(RuntimeError, match="target dtype int64 must be the input.s dtype float32"):
        nn.BCELoss()(tnn.zeros(2), tnn.tensor([0, 1]))
    with pytest.raises(RuntimeError, match="integer dtype.*bool"):  # torch's type
        nn.CrossEntropyLoss()(tnn.zeros(2, 2), tnn.tensor([True, False]))


@pytest.mark.parametrize("dtype", [tnn.int64, tnn.uint8, tnn.bool])
@pytest.mark.parametrize(
    "loss, what", [(F.cross_entropy, "logits"), (F.nll_loss, "log-probabilities")]
)
def test_losses_of_class_indices_refuse_integer_input_naming_dtype_and_fix(loss, what, dtype):
    x = tnn.ones(2, 3, dtype=dtype)
    # PyTorch's NotImplementedError, a RuntimeError
    with pytest.raises(NotImplementedError, match=rf"\({what}\).*dtype {dtype}; convert it with"):
        loss(x, tnn.tensor([0, 2]))
    assert loss(x.float(), tnn.tensor([0, 2])).dtype == tnn.float32


def test_cross_entropy_names_out_of_range_class():
    with pytest.raises(IndexError, match="class 3 is out of range for 3 classes"):
        nn.CrossEntropyLoss()(tnn.zeros(2, 3), tnn.tensor([0, 3]))


def test_bce_rejects_values_outside_0_1():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        nn.BCELoss()(tnn.tensor([1.5]), tnn.tensor([1.0]))


def test_unknown_reduction_is_rejected():
    with pytest.raises(ValueError, match="reduction"):
        nn.MSELoss(reduction="avg")


def test_nll_of_log_softmax_equals_cross_entropy():
    z, t = tnn.tensor([[0.6, 3.4, -1.2], [1.0, 0.0, 0.5]]), tnn.tensor([1, 2])
    assert nn.NLLLoss()(nn.LogSoftmax(-1)(z), t).item() == pytest.approx(
        nn.CrossEntropyLoss()(z, t).item(), rel=1e-6
    )


def test_l1_loss_and_leaky_relu_and_softplus_modules():
    assert nn.L1Loss()(tnn.tensor([1.0, -2.0]), tnn.tensor([0.0, 0.0])).item() == 1.5
    assert nn.LeakyReLU(0.1)(tnn.tensor([-2.0, 0.0, 3.0])).tolist() == pytest.approx(
        [-0.2, 0.0, 3.0]
    )
    assert nn.Softplus()(tnn.tensor([0.0])).item() == pytest.approx(np.log(2))


@given(tt.tensors(elements=tt.AWAY_FROM_ZERO))
def test_leaky_relu_and_l1_gradients(x):
    assert tt.check_grad(lambda a: F.leaky_relu(a, 0.2), [x])
    assert tt.check_grad(lambda a: F.l1_loss(a, tnn.zeros_like(a)), [x])


def test_bce_rejects_nan_input():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        F.binary_cross_entropy(tnn.tensor([float("nan"), 0.5]), tnn.tensor([1.0, 0.0]))


def test_dropout_rejects_integer_input():
    with pytest.raises(TypeError, match="int64"):
        F.dropout(tnn.tensor([1, 2, 3]), 0.3)


def test_one_hot_of_empty_tensor_needs_num_classes():
    with pytest.raises(ValueError, match="num_classes"):
        F.one_hot(tnn.tensor(np.zeros(0, np.int64)))
    assert F.one_hot(tnn.tensor(np.zeros(0, np.int64)), 3).shape == (0, 3)


def test_cross_entropy_weight_ignore_index_and_label_smoothing_by_hand():
    z = np.array([[0.6, 3.4, -1.2], [1.0, 0.0, 0.5], [0.2, 0.1, 0.0]])
    t = np.array([1, 2, 0])
    logp = z - np.log(np.exp(z).sum(1, keepdims=True))
    w = np.array([0.5, 2.0, 1.0])
    zt, tt_ = tnn.tensor(z, dtype=tnn.float64), tnn.tensor(t)
    weighted = F.cross_entropy(zt, tt_, tnn.tensor(w)).item()
    picked = -logp[np.arange(3), t]
    assert weighted == pytest.approx((w[t] * picked).sum() / w[t].sum(), rel=1e-12)
    ignored = F.cross_entropy(zt, tt_, ignore_index=2).item()
    assert ignored == pytest.approx((picked[0] + picked[2]) / 2, rel=1e-12)
    smooth = F.cross_entropy(zt, tt_, label_smoothing=0.3).item()
    q = 0.7 * np.eye(3)[t] + 0.1
    assert smooth == pytest.approx(-(q * logp).sum(1).mean(), rel=1e-12)


@given(tt.tensors(shape=(3, 4)))
def test_cross_entropy_with_options_gradient(z):
    w = tnn.tensor([0.5, 1.0, 2.0, 1.5], dtype=tnn.float64)
    t = tnn.tensor([3, 0, 1])
    assert tt.check_grad(
        lambda a: F.cross_entropy(a, t, w, ignore_index=0, label_smoothing=0.1), [z]
    )


def test_cross_entropy_with_every_sample_ignored_is_nan_with_zero_gradient():
    z = tnn.tensor([[0.1, 0.2, 0.3], [0.0, 1.0, 0.0]], requires_grad=True)
    loss = F.cross_entropy(z, tnn.tensor([1, 1]), ignore_index=1)
    loss.backward()
    assert np.isnan(loss.item()) and z.grad.tolist() == [[0.0] * 3, [0.0] * 3]


# -- softmax: rows with +inf, the implicit dim, integer inputs --------------------------------


def test_softmax_row_holding_plus_inf_is_nan_and_other_rows_are_untouched():
    z = tnn.tensor([[np.inf, 1.0], [1.0, 1.0], [-np.inf, 1.0]])
    for out in (F.softmax(z, dim=1), z.log_softmax(1).exp(), nn.Softmax(1)(z)):
        assert np.isnan(out[0].numpy()).all()
        assert out[1:].tolist() == [[0.5, 0.5], [0.0, 1.0]]


def test_softmax_without_dim_picks_torchs_implicit_dim_and_warns():
    z = tnn.randn(2, 3, 4)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        np.testing.assert_allclose(F.softmax(z).sum(0).numpy(), 1, rtol=1e-6)  # 3-d: dim 0
    with pytest.warns(UserWarning, match="Implicit dimension choice for log_softmax"):
        np.testing.assert_allclose(nn.LogSoftmax()(z[0]).exp().sum(1).numpy(), 1, rtol=1e-6)


def test_softmax_of_integers_needs_a_dtype():
    with pytest.raises(NotImplementedError, match="softmax: not implemented for int64"):
        F.softmax(tnn.tensor([1, 2]), dim=0)
    assert F.log_softmax(tnn.tensor([1, 1]), 0, dtype=tnn.float64).dtype == tnn.float64


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
def test_softmax_over_an_empty_dim_is_empty_with_an_empty_gradient(name):
    x = tnn.zeros(2, 0, 3, requires_grad=True)
    y = getattr(F, name)(x, dim=1)
    y.sum().backward()
    assert y.shape == x.grad.shape == (2, 0, 3)


def test_logsumexp_over_an_empty_dim_is_minus_infinity():
    assert tnn.zeros(2, 0).logsumexp(1).tolist() == [-np.inf, -np.inf]
