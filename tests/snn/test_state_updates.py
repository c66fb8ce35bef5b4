"""The layers' state updates against a plain numpy loop written from snnTorch's equations,
for drawn decays (also outside [0, 1], which are clipped), thresholds, inputs, reset
mechanisms and reset timing."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import snn
from tinygrad_nn import testing as tt

RESETS = st.sampled_from(["subtract", "zero", "none"])
DECAY = st.floats(-0.5, 1.5)
THRESHOLD = st.floats(0.1, 2.0)
INPUTS = tt.arrays(
    shape=st.tuples(st.integers(1, 12), st.integers(1, 3), st.integers(1, 4)),
    elements=st.floats(-1.0, 2.5),
)


def _reference(inputs, beta, threshold, reset_mechanism, reset_delay, alpha=None, v=None):
    """Leaky (alpha None, v None), Synaptic (alpha) or one-to-one RLeaky (v) in numpy;
    returns the spike and membrane traces."""
    b = np.clip(beta, 0, 1)
    syn = np.zeros(inputs.shape[1:])
    mem = np.zeros(inputs.shape[1:])
    spk = np.zeros(inputs.shape[1:])
    spikes, mems = [], []
    for x in inputs:
        r = (mem - threshold > 0).astype(float)
        if alpha is not None:
            syn = np.clip(alpha, 0, 1) * syn + x
            x = syn
        if v is not None:
            x = x + v * spk
        if reset_mechanism == "zero" and alpha is None and v is None:
            mem = b * (1 - r) * mem + x  # Leaky zeroes the old potential
        else:
            mem = b * mem + x
            if reset_mechanism == "subtract":
                mem = mem - r * threshold
            elif reset_mechanism == "zero":
                mem = mem - r * mem  # Synaptic and RLeaky zero the new one
        spk = (mem - threshold > 0).astype(float)
        if not reset_delay and reset_mechanism != "none":
            d = spk - r
            mem = mem - d * (threshold if reset_mechanism == "subtract" else mem)
        spikes.append(spk)
        mems.append(mem)
    return np.array(spikes), np.array(mems)


def f64(value):
    """A float64 tensor: the layers keep a tensor's dtype (a float becomes float32)."""
    return tnn.tensor(np.asarray(value, dtype=np.float64))


def _unroll(layer, inputs):
    n = len(layer.state_names)
    states = [None] * n
    spikes, mems = [], []
    for x in inputs:
        spk, *states = layer(tnn.tensor(x), *states)
        if len(states) < n:
            states = [spk, *states]
        spikes.append(spk.detach().numpy())
        mems.append(states[-1].detach().numpy())
    return np.array(spikes), np.array(mems)


def _check(layer, expected, inputs):
    spikes, mems = _unroll(layer, inputs)
    np.testing.assert_array_equal(spikes, expected[0])
    np.testing.assert_allclose(mems, expected[1], rtol=1e-12, atol=1e-12)


@given(INPUTS, DECAY, THRESHOLD, RESETS, st.booleans())
def test_leaky_state_update_is_the_numpy_loop(inputs, beta, threshold, reset, delay):
    layer = snn.Leaky(f64(beta), f64(threshold), reset_mechanism=reset, reset_delay=delay)
    _check(layer, _reference(inputs, beta, threshold, reset, delay), inputs)


@given(INPUTS, DECAY, DECAY, THRESHOLD, RESETS, st.booleans())
def test_synaptic_state_update_is_the_numpy_loop(inputs, alpha, beta, threshold, reset, delay):
    layer = snn.Synaptic(
        f64(alpha), f64(beta), f64(threshold), reset_mechanism=reset, reset_delay=delay
    )
    _check(layer, _reference(inputs, beta, threshold, reset, delay, alpha=alpha), inputs)


@given(INPUTS, DECAY, st.floats(-1.0, 1.0), THRESHOLD, RESETS, st.booleans())
def test_rleaky_state_update_is_the_numpy_loop(inputs, beta, v, threshold, reset, delay):
    layer = snn.RLeaky(
        f64(beta),
        V=f64(v),
        all_to_all=False,
        threshold=f64(threshold),
        reset_mechanism=reset,
        reset_delay=delay,
    )
    _check(layer, _reference(inputs, beta, threshold, reset, delay, v=v), inputs)


@given(INPUTS, DECAY, THRESHOLD)
def test_per_neuron_decay_and_threshold_broadcast(inputs, beta, threshold):
    n = inputs.shape[-1]
    betas = np.linspace(0.2, 1.0, n) * beta
    layer = snn.Leaky(f64(betas), f64(np.full(n, threshold)))
    _check(layer, _reference(inputs, betas, threshold, "subtract", True), inputs)
