"""Every surrogate: the forward is the strict Heaviside step of snnTorch, the backward its
derivative formula (written out here independently), for drawn inputs, parameters and upstream
gradients, in plain and in recorded (create_graph) backward."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import snn
from tinygrad_nn import testing as tt

PARAM = st.floats(0.1, 30.0)

# name -> (surrogate factory, strategy of its keyword arguments, dS/dx as numpy)
SURROGATES = {
    "atan": (
        snn.surrogate.atan,
        st.fixed_dictionaries({"alpha": PARAM}),
        lambda x, alpha: alpha / 2 / (1 + (math.pi / 2 * alpha * x) ** 2),
    ),
    "fast_sigmoid": (
        snn.surrogate.fast_sigmoid,
        st.fixed_dictionaries({"slope": PARAM}),
        lambda x, slope: 1 / (1 + slope * np.abs(x)) ** 2,
    ),
    "sigmoid": (
        snn.surrogate.sigmoid,
        st.fixed_dictionaries({"slope": PARAM}),
        lambda x, slope: slope * np.exp(-slope * np.abs(x)) / (1 + np.exp(-slope * np.abs(x))) ** 2,
    ),
    "triangular": (
        snn.surrogate.triangular,
        st.fixed_dictionaries({"threshold": PARAM}),
        lambda x, threshold: np.where(x < 0, threshold, -threshold),
    ),
    "straight_through_estimator": (
        snn.surrogate.straight_through_estimator,
        st.just({}),
        lambda x: np.ones_like(x),
    ),
    "heaviside": (snn.surrogate.heaviside, st.just({}), lambda x: (x > 0).astype(x.dtype)),
}
NAMES = list(SURROGATES)
# inputs with exact zeros among them: the step is 0 there (strict), the surrogate is not
VALUES = st.one_of(tt.REAL, st.just(0.0))


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_surrogate_forward_is_the_strict_step(name, data):
    factory, params, _ = SURROGATES[name]
    x = data.draw(tt.arrays(elements=VALUES))
    spk = factory(**data.draw(params))(tnn.tensor(x))
    assert spk.dtype == x.dtype
    np.testing.assert_array_equal(spk.numpy(), (x > 0).astype(x.dtype))


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_surrogate_gradient_is_its_formula(name, data):
    factory, params, formula = SURROGATES[name]
    kwargs = data.draw(params)
    x = data.draw(tt.arrays(elements=VALUES))
    g = data.draw(tt.arrays(shape=st.just(x.shape)))
    xt = tnn.tensor(x, requires_grad=True)
    factory(**kwargs)(xt).backward(tnn.tensor(g))
    np.testing.assert_allclose(xt.grad.numpy(), g * formula(x, **kwargs), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_surrogate_gradient_recorded_for_create_graph_is_the_same(name, data):
    factory, params, formula = SURROGATES[name]
    kwargs = data.draw(params)
    x = data.draw(tt.arrays(elements=VALUES))
    g = data.draw(tt.arrays(shape=st.just(x.shape)))
    xt = tnn.tensor(x, requires_grad=True)
    (gx,) = tnn.grad(factory(**kwargs)(xt), xt, tnn.tensor(g), create_graph=True)
    np.testing.assert_allclose(gx.detach().numpy(), g * formula(x, **kwargs), rtol=1e-12)


@pytest.mark.parametrize("name", ["atan", "fast_sigmoid", "sigmoid"])
def test_smooth_surrogate_derivatives_are_differentiable_again(name):
    factory, _, formula = SURROGATES[name]
    defaults = {"atan": {"alpha": 2.0}}.get(name, {"slope": 25})
    x = tnn.tensor(np.linspace(-0.5, 0.5, 7), requires_grad=True)
    (gx,) = tnn.grad(factory()(x).sum(), x, create_graph=True)
    (ggx,) = tnn.grad(gx.sum(), x)
    eps = 1e-6
    a = x.detach().numpy()
    fd = (formula(a + eps, **defaults) - formula(a - eps, **defaults)) / (2 * eps)
    np.testing.assert_allclose(ggx.numpy(), fd, rtol=1e-5, atol=1e-6)


def test_atan_is_the_default_surrogate_of_every_layer():
    for layer in (snn.Leaky(0.9), snn.Synaptic(0.5, 0.9), snn.RLeaky(0.9, linear_features=3)):
        x = tnn.tensor([0.3], requires_grad=True)
        layer.spike_grad(x).backward()
        assert x.grad.item() == pytest.approx(1 / (1 + (math.pi * 0.3) ** 2))


def test_surrogate_spikes_of_integer_input_are_float():
    spk = snn.surrogate.atan()(tnn.tensor([-1, 0, 2]))
    np.testing.assert_array_equal(spk.numpy(), np.array([0, 0, 1], np.float32))
