"""The spiking layers as nn modules: snnTorch's calling conventions, state kept with
init_hidden for nn.Sequential, learnable decay and threshold, errors, and the LIF rate
curve of notes §2.1."""

import math

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn, snn


def _inputs(steps=8, batch=3, n=5, seed=0):
    return np.random.default_rng(seed).uniform(0, 1, (steps, batch, n)).astype(np.float32)


def test_from_tau_gives_the_decay_of_the_notes():
    layer = snn.Leaky.from_tau(tau_m=0.02, dt=0.001, threshold=0.5)
    assert layer.beta.item() == pytest.approx(math.exp(-0.001 / 0.02), rel=1e-7)
    assert layer.threshold.item() == 0.5


def test_from_tau_refuses_a_non_positive_time_constant():
    with pytest.raises(ValueError, match="tau_m"):
        snn.Leaky.from_tau(tau_m=0.0, dt=0.001)


def test_init_hidden_in_sequential_gives_the_same_spikes_as_explicit_state():
    tnn.manual_seed(0)
    lin = nn.Linear(5, 4)
    explicit = snn.Leaky(beta=0.8)
    net = nn.Sequential(lin, snn.Leaky(beta=0.8, init_hidden=True))
    x = _inputs()
    mem = explicit.init_leaky()
    for x_t in x:
        spk, mem = explicit(lin(tnn.tensor(x_t)), mem)
        np.testing.assert_array_equal(net(tnn.tensor(x_t)).numpy(force=True), spk.numpy(force=True))


def test_output_true_returns_spikes_and_state_from_sequential():
    net = nn.Sequential(nn.Linear(5, 4), snn.Synaptic(0.5, 0.8, init_hidden=True, output=True))
    spk, syn, mem = net(tnn.tensor(_inputs()[0]))
    assert spk.shape == syn.shape == mem.shape == (3, 4)


def test_passing_state_with_init_hidden_is_an_error():
    layer = snn.Leaky(beta=0.8, init_hidden=True)
    with pytest.raises(TypeError, match="init_hidden"):
        layer(tnn.zeros(2, 3), tnn.zeros(2, 3))


def test_utils_reset_zeroes_every_spiking_layer_and_cuts_the_graph():
    net = nn.Sequential(nn.Linear(5, 4), snn.Leaky(0.8, init_hidden=True), nn.Linear(4, 2))
    net.append(snn.RLeaky(0.8, linear_features=2, init_hidden=True))
    for x_t in _inputs():
        net(tnn.tensor(x_t) * 3)
    snn.utils.reset(net)
    for layer in (net[1], net[3]):
        assert not layer.mem.requires_grad and not layer.mem.numpy().any()
    assert not net[3].spk.numpy().any()


def test_state_restarts_at_zero_when_the_batch_shape_changes():
    layer = snn.Leaky(beta=0.5)
    layer(tnn.ones(3, 2) * 0.8)
    spk, mem = layer(tnn.ones(4, 2) * 0.8)
    np.testing.assert_allclose(mem.numpy(force=True), 0.8)


def test_learn_beta_and_threshold_make_parameters_that_receive_gradients():
    layer = snn.Synaptic(0.5, 0.8, learn_alpha=True, learn_beta=True, learn_threshold=True)
    names = {name for name, _ in layer.named_parameters()}
    assert names == {"alpha", "beta", "threshold"}
    x = tnn.tensor(_inputs() * 2)
    total = 0
    syn = mem = None
    for x_t in x:
        spk, syn, mem = layer(x_t, syn, mem)
        total = total + spk.sum() + mem.sum()
    total.backward()
    assert all(p.grad is not None and p.grad.item() != 0 for p in layer.parameters())


def test_fixed_decay_and_threshold_are_buffers_in_the_state_dict_but_the_state_is_not():
    layer = snn.Leaky(beta=0.8, threshold=0.5)
    layer(tnn.ones(2, 3))
    assert set(layer.state_dict()) == {"threshold", "beta"}
    assert list(layer.parameters()) == []


def test_the_reset_is_detached_from_the_graph():
    layer = snn.Leaky(beta=0.9)
    x = tnn.tensor([[2.0]], requires_grad=True)
    _, mem = layer(x)
    reset = layer.mem_reset(mem)
    assert reset.item() == 1.0 and not reset.requires_grad


def test_firing_is_strict_at_the_threshold():
    spk, _ = snn.Leaky(beta=0.5, threshold=1.0)(tnn.tensor([[1.0, 1.0001]]))
    np.testing.assert_array_equal(spk.numpy(force=True), [[0.0, 1.0]])


def test_leaky_after_conv2d_keeps_the_feature_map_shape():
    net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), snn.Leaky(0.9, init_hidden=True))
    out = net(tnn.rand(4, 1, 8, 8))
    assert out.shape == (4, 2, 8, 8)
    out.sum().backward()
    assert net[0].weight.grad is not None


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: snn.Leaky(0.9, reset_mechanism="bounce"), "reset_mechanism"),
        (lambda: snn.Leaky(0.9, spike_grad=2.0), "spike_grad"),
        (lambda: snn.RLeaky(0.9), "linear_features"),
        (lambda: snn.RLeaky(0.9, all_to_all=False, linear_features=3), "one-to-one"),
        (lambda: snn.Leaky(0.9)(np.ones(3)), "input must be a Tensor"),
    ],
)
def test_bad_arguments_raise_errors_that_name_them(make, match):
    with pytest.raises((TypeError, ValueError), match=match):
        make()


def test_firing_rate_under_constant_input_follows_the_lif_rate_curve():
    """Notes §2.1: with tau_m dv/dt = v_in - v, reset to 0 and no refractory period, the
    time to fire is t* = -tau_m ln(1 - 1/v_in), the rate G(v_in) = 1/t*. The layer takes the
    input current (1 - beta) v_in per step (the exact step of the ODE) and resets to zero at
    once, so each interval between spikes is t* rounded up to a whole step."""
    tau_m, dt, steps = 0.02, 1e-4, 3000
    v_in = np.array([1.2, 1.5, 2.0, 3.0, 5.0])
    layer = snn.Leaky.from_tau(tau_m, dt, reset_mechanism="zero", reset_delay=False)
    layer.double()
    current = tnn.tensor((1 - layer.beta.item()) * v_in)
    with tnn.no_grad():
        spikes = np.array([layer(current)[0].numpy() for _ in range(steps)])
    t_star = -tau_m * np.log(1 - 1 / v_in)
    for k in range(len(v_in)):
        intervals = np.diff(np.flatnonzero(spikes[:, k])) * dt
        assert len(intervals) >= 2
        assert np.all(intervals >= t_star[k] - 1e-9) and np.all(intervals <= t_star[k] + dt)


def test_leaky_repr_names_its_constants():
    assert repr(snn.Leaky(0.9)) == "Leaky(beta=0.9, threshold=1, reset_mechanism='subtract')"


def test_unrolled_steps_draw_as_one_graph_with_a_spike_per_step():
    pytest.importorskip("graphviz")
    net = nn.Sequential(nn.Linear(4, 3), snn.Leaky(0.9, init_hidden=True))
    x = tnn.rand(3, 2, 4)
    with tnn.viz.trace(net) as tr:
        spk = tnn.stack([net(x_t) for x_t in x])
        loss = snn.functional.ce_count_loss()(spk, tnn.tensor([0, 2]))
    source = tr.draw(loss).source
    assert source.count("<B>ATan</B>") == 3 and source.count("<B>Linear</B>") == 3
    assert 'label="1: Leaky"' in source


def test_rate_coded_runs_the_network_over_time_from_a_fresh_state():
    tnn.manual_seed(0)
    net = nn.Sequential(nn.Linear(5, 4), snn.Leaky(0.9, init_hidden=True, output=True))
    model = snn.RateCoded(net, num_steps=7)
    x = tnn.rand(3, 5)
    tnn.manual_seed(1)
    first = model(x)
    tnn.manual_seed(1)
    again = model(x)  # the state left by the first call is cleared first
    assert first.shape == (7, 3, 4)
    np.testing.assert_array_equal(first.numpy(force=True), again.numpy(force=True))
    assert "num_steps=7" in repr(model)


def test_raster_marks_every_spike_at_its_step_and_neuron():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure  # no pyplot: no backend needed

    spikes = np.zeros((6, 3))
    spikes[[0, 2, 5], [1, 1, 2]] = 1
    marks = snn.spikeplot.raster(tnn.tensor(spikes), Figure().subplots())
    np.testing.assert_array_equal(marks.get_offsets(), [[0, 1], [2, 1], [5, 2]])
    with pytest.raises(ValueError, match="num_steps, neurons"):
        snn.spikeplot.raster(np.zeros((2, 2, 2)), Figure().subplots())
