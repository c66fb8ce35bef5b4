"""LIF neurons (notes §2.1): the rate formula, exact simulation, Euler, physical units."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_nn.neurons import LIF, PhysicalLIF

# Hand-computed from G = 1 / (tau_ref - tau_m ln(1 - 1/v_in)), tau_m = 20 ms, tau_ref = 2 ms:
#   v_in = 2:   ln 2 = 0.693147..., ISI = 2 ms + 13.862944 ms = 15.862944 ms -> 63.040002 Hz
#   v_in = 1.5: ln 3 = 1.098612..., ISI = 2 ms + 21.972246 ms = 23.972246 ms -> 41.714907 Hz
#   v_in = 5:   ln 1.25 = 0.223144, ISI = 2 ms + 4.462871 ms = 6.462871 ms -> 154.729995 Hz
HAND = [(2.0, 63.040002), (1.5, 41.714907), (5.0, 154.729995)]


@pytest.mark.parametrize("v_in, hz", HAND)
def test_rate_matches_hand_computed_values(v_in, hz):
    assert LIF().rate(v_in) == pytest.approx(hz, rel=1e-7)


def test_rate_is_exactly_zero_at_and_below_threshold():
    r = LIF().rate([-3.0, 0.0, 0.5, 1.0])
    assert np.array_equal(r, np.zeros(4))


def test_rate_is_accurate_just_above_threshold():
    # v_in = 1 + 2^-40: ln(1 - 1/v_in) = -ln(1 + 2^40) = -(40 ln 2 + ln(1 + 2^-40))
    expected = 1.0 / (0.002 + 0.02 * (40 * math.log(2.0) + 2.0**-40))
    assert LIF().rate(1.0 + 2.0**-40) == pytest.approx(expected, rel=1e-13)


def test_rate_tends_to_one_over_tau_ref():
    assert LIF(tau_ref=0.004).rate(1e9) == pytest.approx(250.0, rel=1e-6)


def test_rate_keeps_the_input_shape():
    assert LIF().rate(np.ones((3, 4)) * 2).shape == (3, 4)
    assert np.ndim(LIF().rate(2.0)) == 0


@pytest.mark.parametrize("dt", [0.001, 0.005])
def test_exact_simulation_matches_rate_within_a_thousandth(dt):
    lif = LIF()
    v_in = np.linspace(1.05, 20.0, 40)
    res = lif.simulate(v_in, t_end=2.0, dt=dt)
    assert np.allclose(res.rates, lif.rate(v_in), rtol=1e-3, atol=0)  # the bar
    np.testing.assert_allclose(res.rates, lif.rate(v_in), rtol=1e-9)  # in fact exact


def test_several_spikes_per_step_when_dt_exceeds_the_interval():
    lif = LIF(tau_ref=0.001)
    res = lif.simulate(50.0, t_end=1.0, dt=0.01)  # ISI about 1.4 ms, 7 spikes per step
    assert res.rates[0] == pytest.approx(lif.rate(50.0), rel=1e-9)


def test_first_spike_at_the_analytic_time():
    res = LIF().simulate(2.0, t_end=0.1, dt=0.001)
    assert res.spike_times[0][0] == pytest.approx(0.02 * math.log(2.0), rel=1e-12)


@given(
    v_in=st.floats(0.0, 30.0),
    t_end=st.floats(0.05, 2.0),
    dt=st.sampled_from([0.0005, 0.001, 0.002]),
)
def test_spike_count_stays_within_one_of_rate_times_duration(v_in, t_end, dt):
    lif = LIF()
    res = lif.simulate(v_in, t_end=t_end, dt=dt)
    assert abs(res.counts[0] - lif.rate(v_in) * res.t[-1]) <= 1.0


def test_no_spikes_below_threshold_input():
    res = LIF().simulate([0.0, 0.99, 1.0], t_end=1.0, dt=0.001)
    assert res.counts.tolist() == [0, 0, 0]
    assert res.rates.tolist() == [0.0, 0.0, 0.0]


def test_input_over_time_switches_the_neuron_on():
    steps = 1000
    v_in = np.zeros((steps, 1))
    v_in[500:] = 2.0
    res = LIF().simulate(v_in, t_end=1.0, dt=0.001)
    assert res.spike_times[0][0] == pytest.approx(0.5 + 0.02 * math.log(2.0), rel=1e-12)


def test_constant_input_over_time_equals_a_constant_input():
    a = LIF().simulate(np.full((200, 2), [1.5, 3.0]), t_end=0.2, dt=0.001)
    b = LIF().simulate([1.5, 3.0], t_end=0.2, dt=0.001)
    for x, y in zip(a.spike_times, b.spike_times, strict=True):
        assert np.array_equal(x, y)


def test_recorded_voltage_stays_below_threshold_and_is_reset():
    res = LIF().simulate(3.0, t_end=0.2, dt=0.0001, record_v=True)
    assert res.v.shape == (2001, 1)
    assert res.v.max() <= 1.0
    step_after_spike = np.ceil(res.spike_times[0][0] / 0.0001).astype(int)
    assert res.v[step_after_spike, 0] == 0.0


def test_voltage_follows_the_exact_solution_below_threshold():
    res = LIF().simulate(0.8, t_end=0.1, dt=0.001, record_v=True)
    assert np.allclose(res.v[:, 0], 0.8 * (1 - np.exp(-res.t / 0.02)), rtol=1e-12, atol=1e-15)


def test_euler_steps_follow_algorithm_one():
    # v_1 = 0 + 0.05 (2 - 0) = 0.1; v_2 = 0.1 + 0.05 (2 - 0.1) = 0.195
    res = LIF().simulate(2.0, t_end=0.002, dt=0.001, method="euler", record_v=True)
    assert res.v[:, 0] == pytest.approx([0.0, 0.1, 0.195])


@pytest.mark.parametrize("dt", [1e-3, 1e-4, 1e-5])
def test_euler_interval_is_within_two_steps_of_the_exact_one(dt):
    lif = LIF()
    v_in = np.array([1.5, 2.0, 5.0, 10.0])
    res = lif.simulate(v_in, t_end=0.1, dt=dt, method="euler")
    assert np.all(np.abs(1 / res.rates - 1 / lif.rate(v_in)) <= 2 * dt)


def test_physical_units_map_to_the_normalised_form():
    p = PhysicalLIF(R=1e7, C=2e-9, V_L=-0.07, V_th=-0.05)
    assert p.lif.tau_m == pytest.approx(0.02)
    assert p.v_in(3e-9) == pytest.approx(1.5)  # R J = 30 mV over a 20 mV gap
    assert p.rate(3e-9) == pytest.approx(LIF().rate(1.5))


def test_physical_simulation_reports_volts():
    p = PhysicalLIF()
    res = p.simulate(3e-9, t_end=0.1, dt=0.001, record_v=True)
    assert res.v[0, 0] == pytest.approx(-0.07)
    assert res.v.max() <= -0.05


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"tau_m": 0.0}, "tau_m"),
        ({"tau_m": -0.02}, "tau_m"),
        ({"tau_ref": -0.001}, "tau_ref"),
        ({"tau_m": float("nan")}, "tau_m"),
    ],
)
def test_bad_time_constants_are_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        LIF(**kwargs)


@pytest.mark.parametrize("dt", [0.0, -0.001])
def test_bad_dt_is_rejected(dt):
    with pytest.raises(ValueError, match="dt"):
        LIF().simulate(2.0, t_end=1.0, dt=dt)


def test_bad_t_end_is_rejected():
    with pytest.raises(ValueError, match="t_end"):
        LIF().simulate(2.0, t_end=0.0, dt=0.001)


def test_input_with_the_wrong_number_of_steps_is_rejected():
    with pytest.raises(ValueError, match=r"one row per time step \(100 steps\)"):
        LIF().simulate(np.ones((99, 3)), t_end=0.1, dt=0.001)


def test_input_with_three_dimensions_is_rejected():
    with pytest.raises(ValueError, match="v_in"):
        LIF().simulate(np.ones((100, 3, 2)), t_end=0.1, dt=0.001)


def test_nan_input_is_rejected():
    with pytest.raises(ValueError, match="v_in must be finite"):
        LIF().simulate([1.0, np.nan], t_end=0.1, dt=0.001)


def test_initial_voltage_above_threshold_is_rejected():
    with pytest.raises(ValueError, match="v0"):
        LIF().simulate(2.0, t_end=0.1, dt=0.001, v0=1.5)


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError, match="method"):
        LIF().simulate(2.0, t_end=0.1, dt=0.001, method="rk4")


def test_physical_threshold_below_rest_is_rejected():
    with pytest.raises(ValueError, match="V_th"):
        PhysicalLIF(V_L=-0.05, V_th=-0.07)
