"""The perceptron of notes §7.1 and the gradient norms of §13."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn
from tinygrad_nn.datasets import logic_gate, xor


def test_notes_worked_example_reaches_w_06_08_b_minus_01():
    # Notes §7.1: w = [0.6, -0.2], b = -0.1; samples [1,0],[0,1],[0,0],[1,1] of OR.
    p = nn.Perceptron(2, weight=[0.6, -0.2], bias=-0.1)
    for x, t in [([1, 0], 1), ([0, 1], 1), ([0, 0], 0), ([1, 1], 1)]:
        p.update(np.array(x, float), t)
    np.testing.assert_allclose(p.weight.data, [0.6, 0.8])
    assert p.bias.item() == pytest.approx(-0.1)


def test_updated_bias_is_still_a_0d_array():
    """Read back as the tutorial does: ``numpy()`` of the bias after an update."""
    p = nn.Perceptron(2, weight=[0.6, -0.2], bias=-0.1)
    p.update(np.array([0.0, 1.0]), 1)
    bias = p.bias.detach().numpy()
    assert bias.shape == () and bias.dtype == np.float64 and float(bias) == pytest.approx(0.9)


@pytest.mark.parametrize("gate", ["or", "and"])
def test_perceptron_learns_linearly_separable_gates(gate):
    X, t = logic_gate(gate)
    tnn.manual_seed(0)
    p = nn.Perceptron(2)
    result = p.fit(X, np.ravel(t))
    assert result.converged
    assert p(tnn.tensor(X)).tolist() == np.ravel(t).tolist()


def test_perceptron_fit_needs_at_least_one_epoch():
    with pytest.raises(ValueError, match="max_epochs"):
        X, t = logic_gate("or")
        nn.Perceptron(2).fit(X, np.ravel(t), max_epochs=0)


def test_perceptron_reports_failure_on_xor():
    X, t = xor()
    tnn.manual_seed(0)
    result = nn.Perceptron(2).fit(X, np.ravel(t), max_epochs=50)
    assert not result.converged and result.errors[-1] > 0
    assert "not linearly separable" in str(result)


def test_gradient_norms_shrink_through_saturated_sigmoid_layers():
    tnn.manual_seed(0)
    layers = []
    for _ in range(5):
        lin = nn.Linear(4, 4)
        nn.init.normal_(lin.weight, 0.0, 1.0)
        nn.init.constant_(lin.bias, 3.0)  # large currents: the sigmoids saturate
        layers += [lin, nn.Sigmoid()]
    model = nn.Sequential(*layers[:-1])
    x, t = tnn.randn(8, 4), tnn.randn(8, 4)
    norms = list(nn.gradient_norms(model, x, t, nn.MSELoss()).values())
    assert len(norms) == 5
    assert all(a < b for a, b in zip(norms, norms[1:]))  # smaller the deeper from the output
    assert norms[0] < norms[-1] / 4**3


def test_gradient_norms_exploding_example_13_2():
    # Notes §13.2: logistic units with weights 8 and biases -4 fed a current of 1/2 keep every
    # current at 0 where sigma' = 1/4, so each layer multiplies the gradient by 8/4 = 2.
    layers = []
    for _ in range(5):
        lin = nn.Linear(1, 1, dtype=tnn.float64)
        nn.init.constant_(lin.weight, 8.0)
        nn.init.constant_(lin.bias, -4.0)
        layers += [lin, nn.Sigmoid()]
    model = nn.Sequential(*layers[:-1])
    norms = list(
        nn.gradient_norms(
            model,
            tnn.tensor([[0.5]], dtype=tnn.float64),
            tnn.tensor([[1.0]], dtype=tnn.float64),
            nn.MSELoss(),
        ).values()
    )
    np.testing.assert_allclose(np.array(norms[:-1]) / norms[-1], [16, 8, 4, 2], rtol=1e-9)


def test_the_bias_stays_a_0d_array_after_an_update():
    p = nn.Perceptron(2, weight=[0.6, -0.2], bias=-0.1)
    p.update(np.array([1.0, 0.0]), 0)  # y = 1: an error, so w and b change
    assert p.bias.detach().numpy().shape == () and p.bias.item() == pytest.approx(-0.1 - p.lr)
