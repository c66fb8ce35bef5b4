"""SmoothL1Loss, HuberLoss, KLDivLoss, Hardtanh, ReLU6, PReLU, Mish, Softmin,
CosineSimilarity and PairwiseDistance: one behaviour per test (values against torch:
tests/reference/test_losses_activations_against_torch.py)."""

import math

import numpy as np
import pytest

import tinygrad_nn as tnn
import tinygrad_nn.nn.functional as F
from tinygrad_nn import nn, optim
from tinygrad_nn import testing as tt


def test_huber_is_smooth_l1_times_delta():
    y, t = tnn.tensor([0.2, -3.0, 1.5]), tnn.zeros(3)
    huber = F.huber_loss(y, t, delta=2.0, reduction="none")
    assert huber.allclose(F.smooth_l1_loss(y, t, beta=2.0, reduction="none") * 2.0)


def test_kl_div_of_equal_distributions_is_zero_and_zero_targets_add_nothing():
    q = tnn.tensor([[0.25, 0.75, 0.0]])
    assert F.kl_div(tnn.tensor([[0.25, 0.75, 1.0]]).log(), q, reduction="sum").item() == 0.0


def test_kl_div_batchmean_divides_the_sum_by_the_batch_size():
    logp, q = tnn.tensor([[0.5, 0.5], [0.9, 0.1]]).log(), tnn.tensor([[0.2, 0.8], [0.5, 0.5]])
    total = F.kl_div(logp, q, reduction="sum")
    assert F.kl_div(logp, q, reduction="batchmean").allclose(total / 2)


def test_kl_div_log_target_equals_the_plain_target():
    logp, q = tnn.tensor([0.3, 0.7]).log(), tnn.tensor([0.6, 0.4])
    plain = F.kl_div(logp, q, reduction="sum")
    assert F.kl_div(logp, q.log(), reduction="sum", log_target=True).allclose(plain)


def test_a_target_of_another_shape_broadcasts_with_a_warning():
    with pytest.warns(UserWarning, match="different to the input size"):
        F.smooth_l1_loss(tnn.ones(2, 3), tnn.zeros(3))


def test_legacy_reduce_false_warns_and_keeps_each_element():
    with pytest.warns(UserWarning, match="reduction='none'"):
        loss = nn.SmoothL1Loss(reduce=False)
    assert loss(tnn.ones(2), tnn.zeros(2)).shape == (2,)


def test_hardtanh_gradient_is_zero_on_the_bounds():
    x = tnn.tensor([-1.0, 0.0, 1.0], requires_grad=True)
    F.hardtanh(x).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0]


def test_in_place_activation_returns_its_input_changed():
    x = tnn.tensor([-2.0, 0.5, 9.0])
    assert F.relu6(x, inplace=True) is x and x.tolist() == [0.0, 0.5, 6.0]


def test_in_place_activation_keeps_the_history():
    w = tnn.tensor([-2.0, 0.5, 9.0], requires_grad=True)
    h = w * 1.0
    nn.Hardtanh(inplace=True)(h).sum().backward()
    assert w.grad.tolist() == [0.0, 1.0, 0.0]


def test_prelu_slopes_are_learnt():
    layer = nn.PReLU(2)
    opt = optim.SGD(layer.parameters(), lr=0.1)
    layer(tnn.tensor([[-1.0, -2.0], [1.0, -1.0]])).sum().backward()
    opt.step()
    assert layer.weight.tolist() == pytest.approx([0.25 + 0.1, 0.25 + 0.3])


def test_mish_of_zero_is_zero_and_of_large_inputs_the_input():
    assert F.mish(tnn.tensor([0.0, 50.0])).tolist() == [0.0, 50.0]


def test_softmin_puts_the_largest_weight_on_the_smallest_entry():
    assert nn.Softmin(dim=0)(tnn.tensor([3.0, -1.0, 2.0])).argmax().item() == 1


def test_cosine_similarity_of_parallel_and_opposite_vectors():
    a = tnn.tensor([[1.0, 2.0], [1.0, 2.0]])
    b = tnn.tensor([[2.0, 4.0], [-1.0, -2.0]])
    assert nn.CosineSimilarity()(a, b).allclose(tnn.tensor([1.0, -1.0]))


def test_pairwise_distance_of_rows():
    d = nn.PairwiseDistance()(tnn.tensor([[0.0, 0.0]]), tnn.tensor([[3.0, 4.0]]))
    assert d.shape == (1,) and math.isclose(d.item(), 5.0, rel_tol=1e-5)


def test_binary_cross_entropy_refuses_a_target_of_another_dtype():
    y, t = tnn.tensor([0.2, 0.7]), tnn.tensor([0.0, 1.0], dtype=tnn.float64)
    with pytest.raises(
        RuntimeError, match="target dtype float64 must be the input's dtype float32"
    ):
        F.binary_cross_entropy(y, t)
    with pytest.raises(RuntimeError, match="binary_cross_entropy: target dtype float64"):
        nn.BCELoss()(y, t)


def test_binary_cross_entropy_with_logits_has_the_targets_dtype():
    z = tnn.tensor([0.2, -3.0], dtype=tnn.float64, requires_grad=True)
    loss = nn.BCEWithLogitsLoss()(z, tnn.tensor([0.0, 1.0]))
    assert loss.dtype == tnn.float32
    loss.backward()
    assert z.grad.dtype == tnn.float64


def test_huber_loss_has_the_inputs_dtype():
    y = tnn.tensor([0.2, -3.0], requires_grad=True)
    loss = F.huber_loss(y, tnn.tensor([0.0, 1.0], dtype=tnn.float64))
    assert loss.dtype == tnn.float32
    assert F.huber_loss(y, tnn.tensor([0.0, 1.0]), weight=tnn.ones(2, dtype=tnn.float64)).dtype == (
        tnn.float64
    )


def test_l1_loss_refuses_a_bool_target_but_promotes_ints():
    with pytest.raises(RuntimeError, match="l1_loss: target must be a number, got dtype bool"):
        F.l1_loss(tnn.ones(2), tnn.tensor([True, False]))
    assert F.l1_loss(tnn.ones(2), tnn.tensor([1, 0])).item() == 0.5


def test_kl_div_legacy_reduce_with_batchmean_still_divides_by_the_batch_size():
    logp, q = tnn.tensor([[0.5, 0.5], [0.9, 0.1]]).log(), tnn.tensor([[0.2, 0.8], [0.5, 0.5]])
    each = F.kl_div(logp, q, reduction="none")
    with pytest.warns(UserWarning, match="reduction='none'"):
        halves = F.kl_div(logp, q, reduce=False, reduction="batchmean")
    assert halves.allclose(each / 2)
    with pytest.warns(UserWarning, match="reduction='mean'"):
        quarter_of_mean = F.kl_div(logp, q, size_average=True, reduction="batchmean")
    assert quarter_of_mean.allclose(each.mean() / 2)


@pytest.mark.parametrize("beta, threshold", [(1.0, 20.0), (2.0, 3.0), (0.5, 1.0), (-1.5, 2.0)])
def test_softplus_is_log1p_exp_of_beta_x_over_beta_and_linear_past_the_threshold(beta, threshold):
    x = np.linspace(-30.0, 30.0, 121)
    expected = np.where(beta * x > threshold, x, np.log1p(np.exp(beta * x)) / beta)
    np.testing.assert_allclose(F.softplus(tnn.tensor(x), beta, threshold).numpy(), expected)


def test_softplus_of_huge_inputs_is_finite_and_silent():
    program = (
        "import tinygrad_nn as tnn, tinygrad_nn.nn.functional as F\n"
        "x = tnn.tensor([-3e38, -1e3, 1e3, 3e38], requires_grad=True)\n"
        "y = F.softplus(x, beta=4.0)\n"
        "y.sum().backward()\n"
        "print(y.tolist(), x.grad.tolist())\n"
    )
    out = tt.run_warning_free(program)
    assert out.split() == "[0.0, 0.0, 1000.0, 3.0000000054977558e+38] [0.0, 0.0, 1.0, 1.0]".split()


def test_softplus_module_holds_and_prints_beta_and_threshold():
    assert repr(nn.Softplus(2, 10)) == "Softplus(beta=2, threshold=10)"


def test_cross_entropy_gradient_of_logits_that_are_a_transposed_view():
    # the softmax follows the logits' memory layout: its one-hot is subtracted in place
    # wherever it lies (a (C, N) array transposed to (N, C), as a channel axis moved last)
    rng = np.random.default_rng(3)
    base = rng.standard_normal((4, 6))
    target = tnn.tensor([0, 3, 1, 2, 2, 0])
    grads = []
    for logits in (base.T, np.ascontiguousarray(base.T)):
        z = tnn.tensor(logits, requires_grad=True)
        F.cross_entropy(z, target).backward()
        grads.append(z.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)
    assert grads[0][np.arange(6), [0, 3, 1, 2, 2, 0]].max() < 0  # p - 1 at each class
