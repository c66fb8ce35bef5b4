"""PSC kernels, spike trains and synaptic filters (notes §4.1, §5.2)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_nn.neurons import (
    Synapse,
    filter_spike_train,
    filtered_spikes,
    psc_kernel,
    spike_times_from_train,
    spike_train,
)

TAU = 0.01
SPIKES = [np.array([0.01, 0.05, 0.051, 0.2]), np.array([0.3])]  # on every grid used here


@pytest.mark.parametrize("n", [0, 1, 2, 0.5])
def test_kernel_integrates_to_one(n):
    t = np.linspace(0.0, 60 * TAU, 600_001)
    h = psc_kernel(t, TAU, n)
    integral = np.sum((h[1:] + h[:-1]) / 2 * np.diff(t))
    assert integral == pytest.approx(1.0, abs=1e-6)


def test_kernel_values_by_hand():
    assert psc_kernel(0.0, TAU, 0) == pytest.approx(1 / TAU)  # k = 1/tau_s
    assert psc_kernel(TAU, TAU, 1) == pytest.approx(math.exp(-1) / TAU)  # k = 1/tau_s^2
    assert psc_kernel(2 * TAU, TAU, 2) == pytest.approx(2 * math.exp(-2) / TAU)  # k = 1/(2 tau^3)


def test_kernel_is_zero_before_the_spike():
    assert np.all(psc_kernel(np.array([-1.0, -1e-9]), TAU, 1) == 0.0)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_kernel_peaks_at_n_tau(n):
    t = np.linspace(0, 10 * TAU, 100_001)
    assert t[np.argmax(psc_kernel(t, TAU, n))] == pytest.approx(n * TAU, abs=1e-6)


@given(st.lists(st.integers(0, 999), max_size=30))
def test_spike_train_round_trips_spikes_on_the_grid(steps):
    times = np.sort(np.array(steps, dtype=float)) * 0.001
    back = spike_times_from_train(spike_train(times, 1.0, 0.001), 0.001)
    np.testing.assert_allclose(back, times, rtol=0, atol=1e-12)


def test_spike_train_integrates_to_the_spike_count():
    train = spike_train(SPIKES, 0.5, 0.001)
    assert train.shape == (500, 2)
    assert train.sum(axis=0) * 0.001 == pytest.approx([4, 1])


@pytest.mark.parametrize("n", [0, 1, 2])
def test_convolution_equals_the_sum_of_kernels_on_the_grid(n):
    dt = 0.001
    grid = np.arange(500) * dt
    conv = filter_spike_train(spike_train(SPIKES, 0.5, dt), dt, TAU, n)
    np.testing.assert_allclose(conv, filtered_spikes(SPIKES, grid, TAU, n), rtol=1e-10, atol=1e-9)


def test_euler_filter_follows_algorithm_one():
    # a spike at t = 0: s_i = (1 - dt/tau)^i / tau
    dt = 0.001
    s = filter_spike_train(spike_train(np.array([0.0]), 0.05, dt), dt, TAU, 0, method="euler")
    np.testing.assert_allclose(s, (1 - dt / TAU) ** np.arange(50) / TAU, rtol=1e-12)


def test_euler_filter_of_order_one_is_two_cascaded_filters():
    dt, steps = 0.001, 100
    s = filter_spike_train(spike_train(np.array([0.0]), 0.1, dt), dt, TAU, 1, method="euler")
    s1, s2, expected = 1 / TAU, 0.0, [0.0]
    for _ in range(steps - 1):
        s1, s2 = s1 + dt / TAU * (0 - s1), s2 + dt / TAU * (s1 - s2)
        expected.append(s2)
    np.testing.assert_allclose(s, expected, rtol=1e-12)


@pytest.mark.parametrize("n", [0, 1])
def test_euler_filter_converges_to_the_exact_filter_at_first_order(n):
    errors = []
    for dt in (1e-3, 5e-4, 2.5e-4):
        grid = np.arange(round(0.5 / dt)) * dt
        euler = filter_spike_train(spike_train(SPIKES, 0.5, dt), dt, TAU, n, method="euler")
        errors.append(np.abs(euler - filtered_spikes(SPIKES, grid, TAU, n)).max())
    assert np.allclose(np.log2(np.array(errors[:-1]) / errors[1:]), 1.0, atol=0.15)


@pytest.mark.parametrize("n", [0, 1, 2])
def test_exact_synapse_places_spikes_inside_steps(n):
    dt, rng = 0.002, np.random.default_rng(0)
    times = np.sort(rng.uniform(0, 0.2, 15))
    syn, out = Synapse(1, TAU, n), []
    for i in range(100):
        syn.step(dt)
        end = (i + 1) * dt
        inside = times[(times >= end - dt) & (times < end)]
        syn.add_spikes(np.zeros(inside.size, int), end - inside)
        out.append(syn.output[0])
    grid = (np.arange(100) + 1) * dt
    assert np.allclose(out, filtered_spikes(times, grid, TAU, n), rtol=1e-10, atol=1e-10)


def test_filtered_spikes_of_one_spike_is_the_kernel():
    t = np.linspace(-0.01, 0.1, 50)
    np.testing.assert_allclose(
        filtered_spikes(np.array([0.02]), t, TAU, 1),
        psc_kernel(t - 0.02, TAU, 1),
        rtol=1e-10,
        atol=1e-12,
    )


@pytest.mark.parametrize("tau_s", [0.0, -0.01])
def test_bad_time_constant_is_rejected(tau_s):
    with pytest.raises(ValueError, match="tau_s"):
        psc_kernel(0.1, tau_s)


def test_negative_order_is_rejected():
    with pytest.raises(ValueError, match="n must be"):
        psc_kernel(0.1, TAU, -1)


def test_euler_filter_needs_an_integer_order():
    with pytest.raises(TypeError, match="n must be an integer"):
        filter_spike_train(np.zeros(10), 0.001, TAU, 0.5, method="euler")


def test_spike_outside_the_simulated_time_is_rejected():
    with pytest.raises(ValueError, match="spike_times must lie in"):
        spike_train(np.array([0.2]), 0.1, 0.001)


def test_bad_dt_for_a_filter_is_rejected():
    with pytest.raises(ValueError, match="dt"):
        filter_spike_train(np.zeros(10), 0.0, TAU)
