"""LIF populations connected through weights and synapses, z = W s + b (notes §5.1)."""

import numpy as np
import pytest

from tinygrad_nn.neurons import LIF, Network

RATES_X = LIF().rate(np.array([1.5, 3.0, 2.0]))
W = np.array([[0.02, 0.02, 0.01], [-0.01, 0.0, 0.0]])
B = np.array([0.5, 1.2])


def two_populations(tau_s=0.005, n=0):
    net = Network()
    net.add_population("x", 3, bias=[1.5, 3.0, 2.0])
    net.add_population("y", 2, bias=B)
    net.connect("x", "y", W, tau_s=tau_s, n=n)
    return net


def test_unconnected_populations_fire_at_the_rate_of_their_bias():
    res = two_populations().simulate(2.0, 0.001)
    assert np.allclose(res["x"].rates, RATES_X, rtol=1e-9)


@pytest.mark.parametrize("n", [0, 1])
def test_mean_input_is_weights_times_rates_plus_bias(n):
    res = two_populations(n=n).simulate(2.0, 0.001, record_z=True)
    mean_z = res.z["y"][500:].mean(axis=0)  # after the synapses settle
    assert np.allclose(mean_z, W @ RATES_X + B, rtol=0.01)


def test_excitation_drives_and_inhibition_silences():
    res = two_populations().simulate(2.0, 0.001)
    rates = res["y"].rates
    assert rates[0] == pytest.approx(LIF().rate(W[0] @ RATES_X + B[0]), rel=0.05)
    assert rates[1] == 0.0  # 1.2 - 0.42 is below threshold


def test_euler_method_gives_similar_rates():
    exact = two_populations().simulate(2.0, 0.0005)["y"].rates
    euler = two_populations().simulate(2.0, 0.0005, method="euler")["y"].rates
    # Euler places each spike on the grid: its inter-spike interval is off by at most 2 dt
    assert abs(1 / euler[0] - 1 / exact[0]) <= 2 * 0.0005


def test_external_input_over_time_is_added_to_the_bias():
    net = Network()
    net.add_population("x", 2)
    drive = np.zeros((1000, 2))
    drive[500:, 1] = 2.0
    res = net.simulate(1.0, 0.001, inputs={"x": drive})
    assert res["x"].counts[0] == 0 and res["x"].spike_times[1][0] > 0.5


def test_weights_of_the_wrong_shape_are_rejected():
    net = two_populations()
    with pytest.raises(ValueError, match=r"must have shape \(2, 3\), got \(3, 2\)"):
        net.connect("x", "y", W.T)


def test_unknown_population_is_rejected():
    with pytest.raises(ValueError, match="no population named 'z'"):
        two_populations().connect("x", "z", W)


def test_inputs_of_the_wrong_size_are_rejected():
    with pytest.raises(ValueError, match="expected 3"):
        two_populations().simulate(0.1, 0.001, inputs={"x": np.ones(2)})


def test_bad_synaptic_time_constant_is_rejected():
    with pytest.raises(ValueError, match="tau_s"):
        two_populations().connect("x", "y", W, tau_s=0.0)
