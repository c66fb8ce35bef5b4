"""Hodgkin–Huxley neurons (notes §1.1): rates, rest, firing, overshoot, solver orders."""

import numpy as np
import pytest

from tinygrad_nn.neurons import HodgkinHuxley

HH = HodgkinHuxley()


def test_rates_at_rest_match_published_values():
    # standard HH values at -65 mV (e.g. Dayan & Abbott, Gerstner et al.)
    V = -65.0
    assert HH.alpha_m(V) == pytest.approx(0.1 * 25 / (np.exp(2.5) - 1))
    assert HH.beta_m(V) == pytest.approx(4.0)
    assert HH.alpha_h(V) == pytest.approx(0.07)
    assert HH.beta_h(V) == pytest.approx(1 / (1 + np.exp(3.0)))
    assert HH.alpha_n(V) == pytest.approx(0.01 * 10 / (np.e - 1))
    assert HH.beta_n(V) == pytest.approx(0.125)


def test_steady_state_gates_at_rest_match_published_values():
    assert HH.m_inf(-65.0) == pytest.approx(0.0529, abs=1e-4)
    assert HH.h_inf(-65.0) == pytest.approx(0.5961, abs=1e-4)
    assert HH.n_inf(-65.0) == pytest.approx(0.3177, abs=1e-4)


def test_time_constants_are_one_over_alpha_plus_beta():
    V = np.linspace(-100, 50, 7)
    assert np.allclose(HH.tau_n(V), 1 / (HH.alpha_n(V) + HH.beta_n(V)))
    assert np.allclose(HH.tau_m(V), 1 / (HH.alpha_m(V) + HH.beta_m(V)))


@pytest.mark.parametrize("rate, V0, limit", [("alpha_m", -40.0, 1.0), ("alpha_n", -55.0, 0.1)])
def test_removable_singularity_has_its_limit_and_is_smooth(rate, V0, limit):
    f = getattr(HH, rate)
    assert f(V0) == limit
    # x / (1 - e^-x) = 1 + x/2 + x^2/12 + ..., x = (V - V0)/10
    for dV in (1e-12, 1e-7, -1e-7, 1e-3):
        x = dV / 10
        assert f(V0 + dV) == pytest.approx(limit * (1 + x / 2 + x * x / 12), rel=1e-14)


def test_temperature_scales_all_rates_by_q10_of_three():
    warm = HodgkinHuxley(temperature=16.3)
    V = np.array([-80.0, -40.0, 0.0])
    assert np.allclose(warm.alpha_m(V), 3 * HH.alpha_m(V))
    assert np.allclose(warm.beta_h(V), 3 * HH.beta_h(V))


def _reference_derivative(hh, y, I):
    """d(V, m, h, n)/dt written out as in the notes (§1.1), one rate at a time, and for each
    row the size of its largest terms (the scale of its rounding errors)."""
    V, m, h, n = y
    I = np.broadcast_to(I, V.shape)
    phi = hh.phi
    alpha = (
        phi * 0.1 * (V + 40) / -np.expm1(-(V + 40) / 10),
        phi * 0.07 * np.exp(-(V + 65) / 20),
        phi * 0.01 * (V + 55) / -np.expm1(-(V + 55) / 10),
    )
    beta = (
        phi * 4 * np.exp(-(V + 65) / 18),
        phi / (1 + np.exp(-(V + 35) / 10)),
        phi * 0.125 * np.exp(-(V + 65) / 80),
    )
    currents = (
        I,
        -hh.g_Na * m**3 * h * (V - hh.E_Na),
        -hh.g_K * n**4 * (V - hh.E_K),
        -hh.g_L * (V - hh.E_L),
    )
    gates = [a * (1 - x) - b * x for a, b, x in zip(alpha, beta, (m, h, n), strict=True)]
    rows = [sum(currents) / hh.C, *gates]
    # every term of dx/dt, written this way or as alpha - (alpha + beta) x, is within alpha + beta
    scales = [np.max(np.abs(currents), axis=0) / hh.C, *(a + b for a, b in zip(alpha, beta))]
    return np.stack(rows), np.stack(scales)


MODELS = [HH, HodgkinHuxley(C=2.0, g_Na=100.0, g_K=30.0, E_L=-60.0, temperature=16.3)]


@pytest.mark.parametrize("hh", MODELS, ids=["standard", "warm"])
def test_derivative_matches_the_equations_written_out(hh):
    rng = np.random.default_rng(0)
    y = np.stack([rng.uniform(-100, 60, 2000), *rng.uniform(0, 1, (3, 2000))])
    I = rng.uniform(-5, 25, 2000)
    expected, scale = _reference_derivative(hh, y, I)
    assert np.all(np.abs(hh.derivative(y, I) - expected) <= 1e-12 * scale)


@pytest.mark.parametrize("V", [-40.0, -55.0])
def test_derivative_at_a_removable_singularity_is_the_limit_of_the_equations(V):
    y, dV = np.array([V, 0.1, 0.5, 0.3]), np.array([1e-6, 0.0, 0.0, 0.0])
    below, _ = _reference_derivative(HH, y - dV, 10.0)
    above, scale = _reference_derivative(HH, y + dV, 10.0)
    assert np.all(np.abs(HH.derivative(y, 10.0) - (below + above) / 2) <= 1e-12 * scale)


def test_derivative_keeps_the_shape_of_the_state_and_broadcasts_the_current():
    rng = np.random.default_rng(1)
    y = np.stack([rng.uniform(-80, 40, (2, 3)), *rng.uniform(0, 1, (3, 2, 3))])
    I = np.array([0.0, 5.0, 10.0])
    got = HH.derivative(y, I)
    assert got.shape == (4, 2, 3)
    assert np.allclose(got, _reference_derivative(HH, y, I)[0], rtol=1e-12, atol=1e-12)
    single = HH.derivative(y[:, 1, 2], 10.0)
    assert single.shape == (4,) and np.allclose(single, got[:, 1, 2], rtol=1e-12, atol=1e-12)


def test_rk4_run_matches_the_equations_integrated_step_by_step():
    # hh_1k's workload on a few of its neurons, against the textbook RK4 of the written-out
    # equations: the fast derivative changes roundings only, so the traces agree to rounding
    # amplified by the steep upstrokes of the spikes
    I, dt = np.array([0.0, 5.0, 7.0, 10.0, 20.0]), 0.01
    res = HH.simulate(I, t_end=30.0, dt=dt)
    y = np.repeat(np.array(HH.resting_state())[:, None], len(I), axis=1)
    V = [y[0]]
    for _ in range(3000):
        k1 = _reference_derivative(HH, y, I)[0]
        k2 = _reference_derivative(HH, y + dt / 2 * k1, I)[0]
        k3 = _reference_derivative(HH, y + dt / 2 * k2, I)[0]
        k4 = _reference_derivative(HH, y + dt * k3, I)[0]
        y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        V.append(y[0])
    V = np.array(V)
    assert np.abs(res.V - V).max() < 1e-8  # mV, over spikes of 100 mV
    crossings = np.sum((V[:-1] < 0) & (V[1:] >= 0), axis=0)
    assert [len(ts) for ts in res.spike_times] == crossings.tolist() == [0, 1, 2, 2, 3]


@pytest.mark.slow
def test_the_hh_1k_workload_fires_the_5554_spikes_of_brian2():
    # benchmark row hh_1k: 1,000 neurons with currents in [0, 20] uA/cm2, 100 ms of RK4 at
    # dt = 0.01 ms; Brian2 2.9 integrating the same equations counts 5,554 (benchmarks/peers.py)
    res = HH.simulate(np.linspace(0.0, 20.0, 1_000), t_end=100.0, dt=0.01, record=False)
    assert sum(len(ts) for ts in res.spike_times) == 5554


def test_resting_potential_is_minus_65_mV():
    V, m, h, n = HH.resting_state()
    assert V == pytest.approx(-65.0, abs=0.01)
    assert (m, h, n) == pytest.approx(HH.steady_state(V))


def test_rest_is_an_equilibrium():
    res = HH.simulate(0.0, t_end=50.0, dt=0.05)
    assert np.ptp(res.V) < 1e-9


@pytest.fixture(scope="module")
def fi():
    currents = np.array([0.0, 2.0, 4.0, 5.5, 7.0, 8.5, 10.0])
    return dict(zip(currents, HH.fi_curve(currents, t_end=300.0, dt=0.025), strict=True))


@pytest.mark.parametrize("I", [0.0, 2.0, 4.0, 5.5])
def test_small_current_steps_give_no_repetitive_firing(fi, I):
    assert fi[I] == 0.0


@pytest.mark.parametrize("I", [7.0, 8.5, 10.0])
def test_current_steps_of_7_to_10_give_sustained_firing_at_50_to_70_hz(fi, I):
    assert 50.0 <= fi[I] <= 70.0


def test_firing_rate_increases_with_current(fi):
    assert fi[7.0] < fi[8.5] < fi[10.0]


def test_spike_overshoots_to_about_plus_40_mV():
    res = HH.simulate(10.0, t_end=20.0, dt=0.01)
    assert res.V.max() == pytest.approx(40.0, abs=3.0)


def test_spike_times_are_interpolated_crossings_of_zero():
    coarse = HH.simulate(10.0, t_end=20.0, dt=0.02).spike_times[0]
    fine = HH.simulate(10.0, t_end=20.0, dt=0.002).spike_times[0]
    assert len(coarse) == len(fine) >= 1
    assert np.allclose(coarse, fine, atol=0.002)


def _order(method, dts, t_end=15.0):
    """Observed order from three step sizes halving: log2 of successive differences."""
    ys = [HH.simulate(10.0, t_end, dt, method=method, record=False).state[:, 0] for dt in dts]
    d1, d2 = np.abs(ys[0] - ys[1]).max(), np.abs(ys[1] - ys[2]).max()
    return np.log2(d1 / d2)


def test_rk4_converges_at_fourth_order():
    assert 3.5 < _order("rk4", [0.04, 0.02, 0.01]) < 4.5


def test_euler_converges_at_first_order():
    assert 0.8 < _order("euler", [0.01, 0.005, 0.0025]) < 1.2


def test_exponential_euler_converges_at_first_order():
    assert 0.8 < _order("exp_euler", [0.01, 0.005, 0.0025]) < 1.2


def test_exponential_euler_stays_bounded_at_a_large_step():
    with pytest.warns(RuntimeWarning, match="inaccurate"):  # bounded, but not accurate
        res = HH.simulate(10.0, t_end=50.0, dt=0.1, method="exp_euler")
    assert np.all(np.isfinite(res.V)) and len(res.spike_times[0]) >= 2


def test_diverging_euler_run_is_an_error_with_a_remedy():
    with pytest.warns(RuntimeWarning, match="inaccurate"):
        with pytest.raises(FloatingPointError, match=r"diverged.*method='exp_euler'"):
            with np.errstate(all="ignore"):
                HH.simulate(10.0, t_end=20.0, dt=0.1, method="euler", record=False)


def test_currents_given_per_neuron_as_function_or_over_time_agree():
    I = np.array([3.0, 10.0])
    steps = 1000
    runs = [
        HH.simulate(I, 20.0, 0.02),
        HH.simulate(lambda t: I, 20.0, 0.02),
        HH.simulate(np.tile(I, (steps, 1)), 20.0, 0.02),
    ]
    for r in runs[1:]:
        assert np.allclose(r.V, runs[0].V)
    single = HH.simulate(10.0, 20.0, 0.02)
    assert np.allclose(single.V[:, 0], runs[0].V[:, 1])


def test_time_dependent_current_starts_firing_after_its_onset():
    res = HH.simulate(lambda t: 10.0 if t >= 10.0 else 0.0, t_end=30.0, dt=0.01)
    assert res.spike_times[0][0] > 10.0


def test_unrecorded_run_keeps_spikes_and_final_state():
    full = HH.simulate(10.0, 30.0, 0.02)
    light = HH.simulate(10.0, 30.0, 0.02, record=False)
    assert light.V is None
    assert np.array_equal(light.spike_times[0], full.spike_times[0])
    assert np.array_equal(light.state[0], full.V[-1])


def test_result_shapes():
    res = HH.simulate([1.0, 2.0, 3.0], t_end=0.5, dt=0.05)
    assert res.t.shape == (11,)
    assert res.V.shape == res.m.shape == res.h.shape == res.n.shape == (11, 3)
    assert len(res.spike_times) == 3


@pytest.mark.parametrize("dt", [0.0, -0.01])
def test_bad_dt_is_rejected(dt):
    with pytest.raises(ValueError, match="dt"):
        HH.simulate(10.0, 10.0, dt)


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError, match="method must be one of"):
        HH.simulate(10.0, 10.0, 0.01, method="midpoint")


def test_current_over_time_with_wrong_length_is_rejected():
    with pytest.raises(ValueError, match=r"I has shape \(5, 2\)"):
        HH.simulate(np.ones((5, 2)), 0.5, 0.05)


def test_initial_state_of_wrong_shape_is_rejected():
    with pytest.raises(ValueError, match="state0"):
        HH.simulate([1.0, 2.0], 0.5, 0.05, state0=(-65.0, 0.05, 0.6, np.ones(3)))


@pytest.mark.parametrize("name", ["C", "g_L"])
def test_non_positive_parameters_are_rejected(name):
    with pytest.raises(ValueError, match=name):
        HodgkinHuxley(**{name: 0.0})
