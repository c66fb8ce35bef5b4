"""Hostile inputs to the spiking layers, surrogates and encoders: where snnTorch raises we raise
too (as a ValueError or TypeError that names the argument); where snnTorch silently carries NaN
or clips nonsense (a NaN decay, spike probabilities above 1) we refuse it."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import snn
from tinygrad_nn.snn import spikegen, surrogate

from .conftest import case, refused

NAN, INF = float("nan"), float("inf")
X = tnn.tensor([0.2, 0.5, 0.9])

LAYERS = [
    case(lambda: snn.Leaky(beta=NAN), ValueError, "beta must be finite, got nan", "leaky-beta-nan"),
    case(lambda: snn.Leaky(beta=INF), ValueError, "beta must be finite", "leaky-beta-inf"),
    case(
        lambda: snn.Leaky(beta=tnn.tensor([0.5, NAN])), ValueError, "beta", "leaky-beta-tensor-nan"
    ),
    case(lambda: snn.Leaky(beta="0.9"), TypeError, "beta must be a number", "leaky-beta-str"),
    case(lambda: snn.Leaky(beta=None), TypeError, "beta must be a number", "leaky-beta-none"),
    case(lambda: snn.Leaky(0.9, threshold=NAN), ValueError, "threshold", "leaky-threshold-nan"),
    case(lambda: snn.Leaky(0.9, threshold=-INF), ValueError, "threshold", "leaky-threshold-inf"),
    case(
        lambda: snn.Leaky(0.9, threshold=NAN, learn_threshold=True),
        ValueError,
        "threshold",
        "leaky-learned-threshold-nan",
    ),
    case(lambda: snn.Leaky(0.9, reset_mechanism="Zero"), ValueError, "reset_mechanism", "reset"),
    case(lambda: snn.Leaky(0.9, reset_mechanism=None), ValueError, "reset_mechanism", "reset-none"),
    case(lambda: snn.Leaky(0.9, spike_grad="atan"), TypeError, "spike_grad", "spike-grad-str"),
    case(lambda: snn.Leaky.from_tau(NAN, 1.0), ValueError, "tau_m", "from-tau-nan"),
    case(lambda: snn.Synaptic(alpha=NAN, beta=0.9), ValueError, "alpha", "synaptic-alpha-nan"),
    case(lambda: snn.Synaptic(alpha=0.9, beta=NAN), ValueError, "beta", "synaptic-beta-nan"),
    case(
        lambda: snn.Synaptic(0.9, 0.8, threshold=INF), ValueError, "threshold", "synaptic-thr-inf"
    ),
    case(
        lambda: snn.Synaptic(0.9, 0.8, reset_mechanism="reset"),
        ValueError,
        "reset_mechanism",
        "synaptic-reset",
    ),
    case(lambda: snn.RLeaky(NAN, linear_features=3), ValueError, "beta", "rleaky-beta-nan"),
    case(lambda: snn.RLeaky(0.9, V=NAN, all_to_all=False), ValueError, "V must be", "rleaky-v-nan"),
    case(
        lambda: snn.RLeaky(0.9, linear_features=3, threshold=NAN),
        ValueError,
        "threshold",
        "rleaky-thr-nan",
    ),
    case(
        lambda: snn.RLeaky(0.9, linear_features=3, reset_mechanism=0),
        ValueError,
        "reset_mechanism",
        "rleaky-reset",
    ),
    case(lambda: snn.RLeaky(0.9), TypeError, "linear_features", "rleaky-no-shape"),
    case(lambda: snn.RateCoded(tnn.nn.Identity(), 0), ValueError, "num_steps", "ratecoded-0"),
    case(lambda: surrogate.atan(alpha=NAN), ValueError, "alpha", "atan-alpha-nan"),
    case(lambda: surrogate.atan(alpha=-2), ValueError, "alpha", "atan-alpha-negative"),
    case(lambda: surrogate.fast_sigmoid(slope=0), ValueError, "slope", "fast-sigmoid-slope-0"),
    case(lambda: surrogate.sigmoid(slope=INF), ValueError, "slope", "sigmoid-slope-inf"),
    case(lambda: surrogate.triangular(threshold=NAN), ValueError, "threshold", "triangular-nan"),
]

ENCODERS = [
    case(lambda: spikegen.rate(tnn.tensor([0.5, 1.5]), 3), ValueError, "[0.5, 1.5]", "rate-p-1.5"),
    case(lambda: spikegen.rate(tnn.tensor([-0.1, 0.5]), 3), ValueError, "[0, 1]", "rate-p-neg"),
    case(lambda: spikegen.rate(tnn.tensor([NAN, 0.5]), 3), ValueError, "got nan", "rate-p-nan"),
    case(lambda: spikegen.rate(X, 3, gain=2), ValueError, "gain * data + offset", "rate-gain"),
    case(lambda: spikegen.rate(X, 3, offset=0.5), ValueError, "[0, 1]", "rate-offset"),
    case(lambda: spikegen.rate(X, 3, gain=NAN), ValueError, "gain", "rate-gain-nan"),
    case(lambda: spikegen.rate(X, 3, offset=INF), ValueError, "offset", "rate-offset-inf"),
    case(lambda: spikegen.rate(X, -1), ValueError, "num_steps", "rate-steps-negative"),
    case(lambda: spikegen.rate(X, 2.0), TypeError, "num_steps", "rate-steps-float"),
    case(lambda: spikegen.rate(X, 3, first_spike_time=3), ValueError, "first_spike", "rate-fst"),
    case(lambda: spikegen.rate(X, 3, first_spike_time=-1), ValueError, "first_spike", "rate-fst-"),
    case(lambda: spikegen.latency(tnn.tensor([NAN]), 5), ValueError, "got nan", "latency-nan"),
    case(lambda: spikegen.latency(tnn.tensor([1.5]), 5), ValueError, "[0, 1]", "latency-big"),
    case(lambda: spikegen.latency(X, 0), ValueError, "num_steps", "latency-steps-0"),
    case(lambda: spikegen.latency(X, 5, threshold=0), ValueError, "threshold", "latency-thr-0"),
    case(lambda: spikegen.latency(X, 5, threshold=1), ValueError, "threshold", "latency-thr-1"),
    case(lambda: spikegen.latency(X, 5, threshold=NAN), ValueError, "threshold", "latency-thr-n"),
    case(lambda: spikegen.latency(X, 5, tau=0), ValueError, "tau", "latency-tau-0"),
    case(lambda: spikegen.latency(X, 5, tau=NAN), ValueError, "tau", "latency-tau-nan"),
    case(lambda: spikegen.latency(X, 5, tau=INF), ValueError, "tau", "latency-tau-inf"),
    case(lambda: spikegen.latency(X, 5, epsilon=-1), ValueError, "epsilon", "latency-eps-neg"),
    case(lambda: spikegen.latency(X, 5, epsilon=NAN), ValueError, "epsilon", "latency-eps-nan"),
    case(lambda: spikegen.latency(X, 5, first_spike_time=5), ValueError, "first_spike", "lat-fst"),
    case(lambda: spikegen.latency(X, 5, first_spike_time=-1), ValueError, "first", "lat-fst-neg"),
    case(lambda: spikegen.latency(tnn.tensor([1, 0]), 5), TypeError, "floating", "latency-int"),
]


@pytest.mark.parametrize("call, error, keyword", LAYERS + ENCODERS)
def test_bad_input_is_refused(call, error, keyword):
    refused(call, error, keyword)


@pytest.mark.parametrize("beta, kept", [(1.5, 1.0), (-0.5, 0.0)])
def test_a_finite_beta_outside_the_unit_interval_is_clipped_as_snntorch_documents(beta, kept):
    layer = snn.Leaky(beta=beta, threshold=10.0)
    layer(X)
    _, mem = layer(X)
    np.testing.assert_allclose(mem.numpy(), kept * X.numpy() + X.numpy(), rtol=1e-6)


def test_rate_accepts_the_ends_of_the_unit_interval():
    spikes = spikegen.rate(tnn.tensor([0.0, 1.0]), 4).numpy()
    np.testing.assert_array_equal(spikes, [[0, 1]] * 4)
