"""gumbel_softmax, rrelu in training, normalize, and nn.init's orthogonal_, trunc_normal_,
eye_ and dirac_: one behaviour per test (values against torch:
tests/reference/test_more_nn_against_torch.py; gradients: test_more_nn_gradients.py)."""

import math

import numpy as np
import pytest

import tinygrad_nn as tnn
import tinygrad_nn.nn.functional as F
from tinygrad_nn import nn


def test_gumbel_softmax_samples_are_distributions_along_dim():
    y = F.gumbel_softmax(tnn.randn(5, 4, 3), tau=0.5, dim=1)
    np.testing.assert_allclose(y.sum(1).numpy(), np.ones((5, 3)), rtol=1e-6)


def test_hard_gumbel_softmax_is_one_hot_at_the_soft_samples_argmax():
    logits = tnn.randn(6, 4)
    tnn.manual_seed(2)
    soft = F.gumbel_softmax(logits, dim=-1)
    tnn.manual_seed(2)
    hard = F.gumbel_softmax(logits, hard=True, dim=-1)
    expected = np.eye(4)[soft.numpy().argmax(-1)]
    np.testing.assert_allclose(hard.numpy(), expected, atol=1e-7)


def test_hard_gumbel_softmax_picks_each_class_as_often_as_its_probability():
    """The Gumbel-max trick: argmax(z + g) is a sample of softmax(z)."""
    tnn.manual_seed(0)
    probs = np.array([0.6, 0.3, 0.1])
    logits = tnn.tensor(np.log(np.tile(probs, (20_000, 1))))
    counts = F.gumbel_softmax(logits, hard=True).sum(0).numpy() / 20_000
    np.testing.assert_allclose(counts, probs, atol=0.015)


def test_rrelu_in_training_draws_slopes_between_lower_and_upper():
    tnn.manual_seed(0)
    x = -tnn.ones(10_000)
    slopes = -F.rrelu(x, 0.1, 0.3, training=True).numpy()
    assert 0.1 <= slopes.min() and slopes.max() <= 0.3
    assert abs(slopes.mean() - 0.2) < 0.005 and len(np.unique(slopes)) > 1000


def test_rrelu_module_draws_in_training_and_uses_the_mean_slope_in_eval():
    layer = nn.RReLU(0.1, 0.3)
    x = tnn.tensor([-1.0, -1.0, 2.0])
    assert len(set(layer(x).tolist()[:2])) == 2
    assert layer.eval()(x).tolist() == pytest.approx([-0.2, -0.2, 2.0])


def test_normalize_gives_unit_rows_and_leaves_zero_rows_zero():
    y = F.normalize(tnn.tensor([[3.0, 4.0], [0.0, 0.0]]))
    assert y.tolist() == [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (6, 2, 3, 3)])
def test_orthogonal_rows_or_columns_are_orthonormal_times_gain(shape):
    w = nn.init.orthogonal_(tnn.empty(*shape, dtype=tnn.float64), gain=3.0)
    flat = w.numpy().reshape(shape[0], -1)
    small = flat @ flat.T if flat.shape[0] <= flat.shape[1] else flat.T @ flat
    np.testing.assert_allclose(small, 9.0 * np.eye(len(small)), atol=1e-12)


def test_orthogonal_fills_a_parameter_in_place_without_a_gradient():
    layer = nn.Linear(4, 3)
    out = nn.init.orthogonal_(layer.weight)
    assert out is layer.weight and out.grad_fn is None and out.requires_grad


def test_trunc_normal_stays_in_bounds_with_the_truncated_moments():
    """Mean and variance of N(0.5, 1) truncated to [-0.5, 2]: $\\mu + \\sigma(\\phi(\\alpha) -
    \\phi(\\beta))/Z$ and $\\sigma^2[1 + (\\alpha\\phi(\\alpha) - \\beta\\phi(\\beta))/Z -
    ((\\phi(\\alpha) - \\phi(\\beta))/Z)^2]$."""
    tnn.manual_seed(0)
    w = nn.init.trunc_normal_(tnn.empty(200_000, dtype=tnn.float64), 0.5, 1.0, -0.5, 2.0).numpy()
    assert w.min() >= -0.5 and w.max() <= 2.0
    alpha, beta = -1.0, 1.5
    pdf = [math.exp(-v * v / 2) / math.sqrt(2 * math.pi) for v in (alpha, beta)]
    z = (math.erf(beta / math.sqrt(2)) - math.erf(alpha / math.sqrt(2))) / 2
    mean = 0.5 + (pdf[0] - pdf[1]) / z
    var = 1 + (alpha * pdf[0] - beta * pdf[1]) / z - ((pdf[0] - pdf[1]) / z) ** 2
    assert abs(w.mean() - mean) < 0.01 and abs(w.var() - var) < 0.01


def test_trunc_normal_warns_when_the_mean_is_far_outside_the_bounds():
    with pytest.warns(UserWarning, match="more than 2 std"):
        w = nn.init.trunc_normal_(tnn.empty(100), mean=10.0, a=-1.0, b=1.0)
    assert w.min().item() >= -1.0 and w.max().item() <= 1.0


def test_dirac_convolution_passes_its_input_through():
    conv = nn.Conv2d(3, 3, 3, padding=1, bias=False)
    nn.init.dirac_(conv.weight)
    x = tnn.randn(2, 3, 5, 5)
    np.testing.assert_allclose(conv(x).detach().numpy(), x.numpy(), atol=1e-6)


def test_eye_linear_layer_passes_its_input_through():
    layer = nn.Linear(4, 4, bias=False)
    nn.init.eye_(layer.weight)
    x = tnn.randn(3, 4)
    np.testing.assert_allclose(layer(x).detach().numpy(), x.numpy())
