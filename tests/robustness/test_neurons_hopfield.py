"""Hostile inputs to the neuron simulators and Hopfield networks: hangs (under a deadline),
steps past a solver's stability limit (an error), inaccurate steps (a warning), bad shapes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tinygrad_nn.hopfield import Hopfield, ModernHopfield, corrupt, pseudoinverse
from tinygrad_nn.neurons import (
    LIF,
    HodgkinHuxley,
    Network,
    PhysicalLIF,
    Synapse,
    filter_spike_train,
    integrate,
    psc_kernel,
    spike_train,
)

from .conftest import case, deadline, refused

NAN = float("nan")
HH = HodgkinHuxley()


def net_with(**connect):
    net = Network()
    net.add_population("x", 2, bias=[1.5, 3.0])
    net.add_population("y", 1)
    if connect:
        net.connect("x", "y", **connect)
    return net


NEURONS = [
    case(lambda: LIF(tau_m=0), ValueError, "tau_m", "lif-tau-0"),
    case(lambda: LIF(tau_m=NAN), ValueError, "tau_m", "lif-tau-nan"),
    case(lambda: LIF(tau_ref=-1), ValueError, "tau_ref", "lif-tau-ref-negative"),
    case(lambda: LIF().simulate(NAN, 1.0), ValueError, "finite", "lif-input-nan"),
    case(lambda: LIF().simulate(1.5, 1.0, dt=0), ValueError, "dt", "lif-dt-0"),
    case(lambda: LIF().simulate(1.5, 0.001, dt=0.01), ValueError, "exceed", "lif-dt-over-t"),
    case(lambda: LIF().simulate(1.5, 1.0, v0=2.0), ValueError, "threshold", "lif-v0"),
    case(lambda: LIF().simulate(1.5, 1.0, method="rk4"), ValueError, "method", "lif-method"),
    case(
        lambda: LIF().simulate(np.ones((3, 2)), 1.0), ValueError, "one row per time step", "lif-2d"
    ),
    case(
        lambda: LIF().simulate(0.9, 1.0, dt=0.03, method="euler"),
        ValueError,
        "stability limit",
        "lif-euler-past-tau",
    ),
    case(lambda: PhysicalLIF(V_th=-0.08), ValueError, "above V_L", "physical-threshold-below-rest"),
    case(lambda: psc_kernel(0.1, tau_s=0), ValueError, "tau_s", "kernel-tau-0"),
    case(lambda: psc_kernel(0.1, 0.01, n=-1), ValueError, "n", "kernel-n-negative"),
    case(lambda: Synapse(3, 0.01, n=1.5), TypeError, "integer", "synapse-n-float"),
    case(lambda: Synapse(3, 0.01).add_spikes([-1]), IndexError, "do not wrap", "synapse-neg"),
    case(lambda: Synapse(3, 0.01).add_spikes([3]), IndexError, "out of range", "synapse-big"),
    case(
        lambda: Synapse(3, 0.005, method="euler").step(0.008),
        ValueError,
        "stability limit",
        "synapse-euler-past-tau",
    ),
    case(
        lambda: filter_spike_train(np.zeros(100), 0.02, 0.01, method="euler"),
        ValueError,
        "stability limit",
        "filter-euler-alternating",
    ),
    case(
        lambda: filter_spike_train(np.zeros(100), 0.03, 0.01, method="euler"),
        ValueError,
        "stability limit",
        "filter-euler-growing",
    ),
    case(lambda: spike_train(np.array([2.0]), 1.0, 0.001), ValueError, "lie in", "train-late"),
    case(lambda: spike_train(np.array([NAN]), 1.0, 0.001), ValueError, "finite", "train-nan"),
    case(
        lambda: net_with().simulate(1.0, method="euler", dt=0.05),
        ValueError,
        "stability limit",
        "network-euler",
    ),
    case(
        lambda: net_with(W=np.ones((2, 1))), ValueError, "must have shape (1, 2)", "network-w-shape"
    ),
    case(lambda: net_with(W=[[NAN, 0.0]]), ValueError, "finite", "network-w-nan"),
    case(
        lambda: net_with().simulate(1.0, inputs={"z": 1.0}), ValueError, "unknown", "network-input"
    ),
    case(lambda: HodgkinHuxley(temperature=NAN), ValueError, "temperature", "hh-temperature-nan"),
    case(lambda: HodgkinHuxley(temperature=1e9), ValueError, "temperature", "hh-temperature-big"),
    case(lambda: HodgkinHuxley(E_Na=NAN), ValueError, "E_Na", "hh-E-nan"),
    case(lambda: HodgkinHuxley(C=0), ValueError, "C", "hh-C-0"),
    case(
        lambda: HH.simulate(10.0, 20.0, dt=1.0, method="exp_euler"),
        ValueError,
        "past the limit of the exp_euler method",
        "hh-exp-euler-1ms",
    ),
    case(
        lambda: HH.simulate(10.0, 5.0, dt=0.01, state0=(-65.0, 2.0, 0.6, 0.3)),
        ValueError,
        "gate m must lie in [0, 1]",
        "hh-gate-above-1",
    ),
    case(
        lambda: HH.simulate(10.0, 5.0, dt=0.01, state0=(-65.0, 0.05, -0.1, 0.3)),
        ValueError,
        "gate h",
        "hh-gate-negative",
    ),
    case(
        lambda: HH.simulate(
            lambda t: np.ones(3), 5.0, dt=0.01, state0=(-65.0, 0.05, 0.6, [0.3] * 2)
        ),
        ValueError,
        "I(t) returned shape (3,)",
        "hh-current-function-size",
    ),
    case(
        lambda: HH.simulate(lambda t: [NAN], 5.0, dt=0.01), ValueError, "finite", "hh-current-nan"
    ),
    case(lambda: HH.simulate(10.0, 5.0, method="heun"), ValueError, "method", "hh-method"),
    case(
        lambda: integrate(lambda t, y: np.ones(2), np.zeros(3), 1.0, 0.1),
        ValueError,
        "dy/dt of shape (2,)",
        "integrate-wrong-shape",
    ),
    case(
        lambda: integrate(lambda t, y: np.ones(1), np.zeros(3), 1.0, 0.1),
        ValueError,
        "state's shape",
        "integrate-broadcast-shape",
    ),
    case(
        lambda: integrate(lambda t, y: y, np.zeros(3), 1.0, 0.1, method="exp_euler"),
        TypeError,
        "(y_inf, tau)",
        "integrate-exp-euler-not-a-pair",
    ),
    case(lambda: integrate(lambda t, y: -y, [NAN], 1.0, 0.1), ValueError, "finite", "integrate-y0"),
]

HOPFIELD = [
    case(
        lambda: pseudoinverse(np.array([[1.0, -1.0], [1.0, 1.0]])),
        ValueError,
        "span all 2 dimensions",
        "pseudoinverse-n-equals-N",
    ),
    case(
        lambda: Hopfield(4).store(
            np.array([[1, -1, 1, -1], [1, 1, -1, -1], [1, 1, 1, 1], [1, -1, -1, 1]]),
            rule="pseudoinverse",
        ),
        ValueError,
        "nothing would be stored",
        "hopfield-store-full-rank",
    ),
    case(lambda: Hopfield(4).store([[1, 2, 1, -1]]), ValueError, "-1 and 1", "store-value-2"),
    case(lambda: Hopfield(4).store([[1, -1, NAN, 1]]), ValueError, "nan", "store-nan"),
    case(lambda: Hopfield(4).store([[1, -1, 1]]), ValueError, "shape", "store-width"),
    case(lambda: Hopfield(4).store(np.array([["a"] * 4])), ValueError, "numeric", "store-text"),
    case(lambda: Hopfield(4).store([[1, -1, 1, -1]], rule="x"), ValueError, "unknown", "rule"),
    case(lambda: Hopfield(4).recall([1, 1, 1]), ValueError, "shape", "recall-width"),
    case(lambda: Hopfield(4).recall([1, 1, 1, 1], mode="x"), ValueError, "mode", "recall-mode"),
    case(lambda: Hopfield(4).recall([1] * 4, max_sweeps=-1), ValueError, ">= 0", "sweeps"),
    case(lambda: Hopfield(0), ValueError, ">= 1", "zero-neurons"),
    case(lambda: Hopfield(4, thresholds=[NAN] * 4), ValueError, "NaN", "thresholds-nan"),
    case(lambda: corrupt(np.ones(4), 2), ValueError, "[0, 1]", "corrupt-noise"),
    case(lambda: ModernHopfield(np.ones(3)), ValueError, "(n, N)", "modern-1d"),
    case(
        lambda: ModernHopfield(np.ones((2, 3)), beta=NAN)(np.ones(3)),
        ValueError,
        "beta",
        "modern-beta-nan",
    ),
]


@pytest.mark.parametrize("call, error, keyword", NEURONS + HOPFIELD)
def test_bad_input_is_refused(call, error, keyword):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the errors are what is tested here
        refused(call, error, keyword)


def test_lif_without_refractory_period_and_a_huge_input_is_an_error_not_a_hang():
    with deadline(10):
        refused(lambda: LIF(tau_ref=0).simulate(1e7, 1.0), ValueError, "spikes in one step")


def test_network_that_would_fire_without_bound_is_an_error_not_a_hang():
    net = Network()
    net.add_population("x", 1, lif=LIF(tau_ref=0), bias=1e7)
    with deadline(10):
        refused(lambda: net.simulate(1.0), ValueError, "tau_ref > 0")


def test_lif_still_fires_several_spikes_a_step_below_the_bound():
    res = LIF(tau_ref=0.001).simulate(50.0, t_end=1.0, dt=0.01)  # about 7 spikes a step
    # the rate of the notes' LIF formula, 1 / (tau_ref + tau_m ln(J / (J - 1))) = 712.2 Hz
    assert abs(res.counts[0] - 1 / (0.001 + 0.02 * np.log(50 / 49))) < 1


def test_lif_below_threshold_never_fires_with_euler_inside_the_limit():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = LIF().simulate(0.9, t_end=1.0, dt=0.02, method="euler")  # dt = tau_m
    assert res.counts[0] == 0


@pytest.mark.parametrize(
    "run",
    [
        lambda: LIF().simulate(1.5, 0.1, dt=0.01, method="euler"),
        lambda: filter_spike_train(np.zeros(10), 0.005, 0.01, method="euler"),
        lambda: HH.simulate(10.0, 2.0, dt=0.1, method="exp_euler", record=False),
        lambda: HH.simulate(10.0, 2.0, dt=0.05, method="euler", record=False),
    ],
    ids=["lif-euler", "synapse-euler", "hh-exp-euler", "hh-euler"],
)
def test_inaccurate_step_warns(run):
    with pytest.warns(RuntimeWarning, match="inaccurate"):
        run()


def test_diverging_rk4_run_is_an_error_naming_a_remedy():
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        refused(
            lambda: HH.simulate(10.0, 20.0, dt=0.12, method="rk4", record=False),
            FloatingPointError,
            "method='exp_euler'",
        )


def test_default_steps_run_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        HH.simulate(10.0, 5.0)
        LIF().simulate(1.5, 0.05, method="euler")
        filter_spike_train(np.zeros(10), 0.001, 0.01, method="euler")
        net_with(W=[[0.02, 0.02]]).simulate(0.05, method="euler")
