"""Spikes, membrane traces and gradients against snnTorch itself, when it is installed (it is
not a test dependency: ``pip install torch`` and ``pip install --no-deps snntorch``). Same
float64 weights and inputs, every reset mechanism and surrogate, every element compared."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import snn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")
snntorch = tt.reference_library("snntorch")
from snntorch import functional as sfunctional  # noqa: E402
from snntorch import spikegen as sspikegen  # noqa: E402
from snntorch import surrogate as ssurrogate  # noqa: E402

STEPS, BATCH, N_IN, N_OUT = 10, 3, 5, 4
SURROGATES = {
    "atan": ((), {"alpha": 2.0}),
    "atan_alpha": ((), {"alpha": 5.0}),
    "fast_sigmoid": ((), {"slope": 25}),
    "sigmoid": ((), {"slope": 5}),
    "triangular": ((), {}),
    "straight_through_estimator": ((), {}),
}
RESETS = ["subtract", "zero", "none"]
GRAD_TOL = dict(rtol=1e-6, atol=1e-6)  # gradients here are of order 10


def _surrogates(name):
    kind = name.split("_alpha")[0]
    args, kwargs = SURROGATES[name]
    return getattr(snn.surrogate, kind)(*args, **kwargs), getattr(ssurrogate, kind)(*args, **kwargs)


def _layers(kind, ours_grad, theirs_grad, **kwargs):
    """The same spiking layer in both libraries (float64)."""
    common = dict(reset_mechanism=kwargs.pop("reset_mechanism"), **kwargs)
    if kind == "leaky":
        make = lambda lib, sg: lib.Leaky(beta=0.8, threshold=0.7, spike_grad=sg, **common)  # noqa: E731
    elif kind == "synaptic":
        make = lambda lib, sg: lib.Synaptic(  # noqa: E731
            alpha=0.6, beta=0.8, threshold=0.7, spike_grad=sg, **common
        )
    elif kind == "rleaky_linear":
        make = lambda lib, sg: lib.RLeaky(  # noqa: E731
            beta=0.8, linear_features=N_OUT, threshold=0.7, spike_grad=sg, **common
        )
    else:  # rleaky one-to-one
        make = lambda lib, sg: lib.RLeaky(  # noqa: E731
            beta=0.8, V=0.5, all_to_all=False, threshold=0.7, spike_grad=sg, **common
        )
    ours, theirs = make(snn, ours_grad), make(snntorch, theirs_grad).double()
    ours.double()
    if kind == "rleaky_linear":  # one recurrent weight matrix for both
        rng = np.random.default_rng(1)
        w, b = rng.normal(0, 0.6, (N_OUT, N_OUT)), rng.normal(0, 0.1, N_OUT)
        ours.recurrent.weight._data[...] = w
        ours.recurrent.bias._data[...] = b
        with torch.no_grad():
            theirs.recurrent.weight.copy_(torch.tensor(w))
            theirs.recurrent.bias.copy_(torch.tensor(b))
        # snnTorch's spikes stay float32 (a 0-d float64 factor does not promote them), which
        # its float64 recurrent Linear refuses: hand it the same 0/1 values as float64
        linear = theirs.recurrent.forward
        theirs.recurrent.forward = lambda s: linear(s.double())
    return ours, theirs


def _run(layer, w, x, n_states):
    """Unroll a Linear + spiking layer over time, passing the state explicitly (an RLeaky
    takes its spikes back); return the spike and membrane traces."""
    states = [None] * n_states
    spks, mems = [], []
    for t in range(STEPS):
        spk, *states = layer(x[t] @ w.T, *states)
        if len(states) < n_states:
            states = [spk, *states]
        spks.append(spk)
        mems.append(states[-1])
    return spks, mems


def _assert_same_traces(spk_o, mem_o, spk_t, mem_t):
    """Our spikes equal snnTorch's and the membranes agree to 1e-12, in a case that has both
    spikes and silence."""
    spikes = np.stack([s.detach().numpy() for s in spk_o])
    assert 0 < spikes.mean() < 1, "the case must have both spikes and silence"
    np.testing.assert_array_equal(spikes, np.stack([s.detach().numpy() for s in spk_t]))
    np.testing.assert_allclose(
        np.stack([m.detach().numpy() for m in mem_o]),
        np.stack([m.detach().numpy() for m in mem_t]),
        rtol=1e-12,
        atol=1e-12,
    )


def _compare(kind, surrogate_name, learn=False, **kwargs):
    ours_grad, theirs_grad = _surrogates(surrogate_name)
    extra = dict(learn_beta=True, learn_threshold=True) if learn else {}
    ours, theirs = _layers(kind, ours_grad, theirs_grad, **extra, **kwargs)
    rng = np.random.default_rng(0)
    w = rng.normal(0, 1.0, (N_OUT, N_IN))
    x = rng.uniform(0, 1, (STEPS, BATCH, N_IN))
    a, b = rng.normal(size=(STEPS, BATCH, N_OUT)), rng.normal(size=(STEPS, BATCH, N_OUT))
    n_states = len(ours.state_names)

    w_o, x_o = tnn.tensor(w, requires_grad=True), tnn.tensor(x, requires_grad=True)
    spk_o, mem_o = _run(ours, w_o, x_o, n_states)
    loss_o = sum(
        (s * tnn.tensor(a[t]) + m * tnn.tensor(b[t])).sum()
        for t, (s, m) in enumerate(zip(spk_o, mem_o))
    )
    loss_o.backward()

    w_t = torch.tensor(w, requires_grad=True)
    x_t = torch.tensor(x, requires_grad=True)
    spk_t, mem_t = _run(theirs, w_t, x_t, n_states)
    loss_t = sum(
        (s * torch.tensor(a[t]) + m * torch.tensor(b[t])).sum()
        for t, (s, m) in enumerate(zip(spk_t, mem_t))
    )
    loss_t.backward()

    _assert_same_traces(spk_o, mem_o, spk_t, mem_t)
    # snnTorch's surrogates return float32 spikes (``.float()``), so the gradient that flows
    # back through a spike is rounded to float32 there: compare gradients to float32 accuracy
    np.testing.assert_allclose(w_o.grad.numpy(), w_t.grad.numpy(), **GRAD_TOL)
    np.testing.assert_allclose(x_o.grad.numpy(), x_t.grad.numpy(), **GRAD_TOL)
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(
            p.grad.numpy(), theirs_params[name].grad.numpy(), **GRAD_TOL, err_msg=name
        )


@pytest.mark.parametrize("surrogate_name", list(SURROGATES))
@pytest.mark.parametrize("reset_mechanism", RESETS)
def test_leaky_matches_snntorch(surrogate_name, reset_mechanism):
    _compare("leaky", surrogate_name, reset_mechanism=reset_mechanism)


@pytest.mark.parametrize("kind", ["leaky", "synaptic", "rleaky_linear", "rleaky_v"])
@pytest.mark.parametrize("reset_mechanism", RESETS)
def test_layers_with_learnable_beta_and_threshold_match_snntorch(kind, reset_mechanism):
    _compare(kind, "atan", learn=True, reset_mechanism=reset_mechanism)


@pytest.mark.parametrize("kind", ["leaky", "synaptic", "rleaky_linear"])
@pytest.mark.parametrize("surrogate_name", ["fast_sigmoid", "triangular"])
def test_other_layers_match_snntorch_per_surrogate(kind, surrogate_name):
    _compare(kind, surrogate_name, reset_mechanism="subtract")


@pytest.mark.parametrize("kind", ["leaky", "synaptic", "rleaky_v"])
@pytest.mark.parametrize("reset_mechanism", ["subtract", "zero"])
def test_immediate_reset_matches_snntorch(kind, reset_mechanism):
    _compare(kind, "atan", reset_mechanism=reset_mechanism, reset_delay=False)


LOSSES = {
    "ce_rate_loss": ((), {}),
    "ce_count_loss": ((), {}),
    "mse_count_loss": ((), {"correct_rate": 0.8, "incorrect_rate": 0.2}),
    "mse_membrane_loss": ((), {}),
    "mse_membrane_loss_on_off": ((), {"on_target": 1.5, "off_target": -0.5}),
}


@pytest.mark.parametrize("name", list(LOSSES))
def test_losses_and_their_gradients_match_snntorch(name):
    args, kwargs = LOSSES[name]
    kind = name.removesuffix("_on_off")
    rng = np.random.default_rng(2)
    out = rng.uniform(0, 1.5, (STEPS, BATCH, N_OUT))
    if "membrane" not in name:
        out = (out > 0.7).astype(np.float64)
    y = np.array([0, 3, 1])
    ours_out = tnn.tensor(out, requires_grad=True)
    ours = getattr(snn.functional, kind)(*args, **kwargs)(ours_out, tnn.tensor(y))
    ours.backward()
    theirs_out = torch.tensor(out, requires_grad=True)
    theirs = getattr(sfunctional, kind)(*args, **kwargs)(theirs_out, torch.tensor(y))
    theirs.sum().backward()
    np.testing.assert_allclose(ours.item(), theirs.sum().item(), rtol=1e-6)
    np.testing.assert_allclose(ours_out.grad.numpy(), theirs_out.grad.numpy(), rtol=1e-6, atol=1e-9)


def test_accuracy_rate_matches_snntorch():
    rng = np.random.default_rng(3)
    spk = (rng.uniform(size=(STEPS, 20, N_OUT)) > 0.6).astype(np.float64)
    y = rng.integers(0, N_OUT, 20)
    ours = snn.functional.accuracy_rate(tnn.tensor(spk), tnn.tensor(y))
    theirs = sfunctional.accuracy_rate(torch.tensor(spk), torch.tensor(y))
    assert ours == pytest.approx(theirs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"tau": 5, "normalize": True},
        {"normalize": True},
        {"linear": True, "tau": 8},
        {"normalize": True, "linear": True},
        {"normalize": True, "clip": True, "threshold": 0.2},
        {"first_spike_time": 1},
    ],
    ids=str,
)
def test_latency_code_matches_snntorch(kwargs):
    data = np.array([[0.0, 0.005, 0.02, 0.1, 0.3], [0.5, 0.7, 0.9, 0.99, 1.0]])
    ours = snn.spikegen.latency(tnn.tensor(data), num_steps=14, **kwargs)
    theirs = sspikegen.latency(torch.tensor(data), num_steps=14, **kwargs)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_latency_refuses_spikes_past_the_last_step_like_snntorch():
    data = np.array([0.0, 0.5, 1.0])
    with pytest.raises(Exception, match="out of bounds"):
        sspikegen.latency(torch.tensor(data), num_steps=5, tau=5)
    with pytest.raises(ValueError, match="past num_steps - 1"):
        snn.spikegen.latency(tnn.tensor(data), num_steps=5, tau=5)


def test_rleaky_with_convolutional_feedback_matches_snntorch():
    ours = snn.RLeaky(0.8, conv2d_channels=2, kernel_size=3, threshold=0.7).double()
    theirs = snntorch.RLeaky(0.8, conv2d_channels=2, kernel_size=3, threshold=0.7).double()
    with torch.no_grad():
        theirs.recurrent.weight.copy_(torch.tensor(ours.recurrent.weight.detach().numpy()))
        theirs.recurrent.bias.copy_(torch.tensor(ours.recurrent.bias.detach().numpy()))
    conv = theirs.recurrent.forward  # float32 spikes into a float64 Conv2d, as above
    theirs.recurrent.forward = lambda s: conv(s.double())
    x = np.random.default_rng(0).uniform(0, 0.6, (STEPS, 2, 2, 5, 5))
    x_o, x_t = tnn.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    spk_o, mem_o = _run(ours, tnn.tensor(np.eye(5)), x_o, 2)
    spk_t, mem_t = _run(theirs, torch.tensor(np.eye(5)), x_t, 2)
    _assert_same_traces(spk_o, mem_o, spk_t, mem_t)
    sum(s.sum() + (m * m).sum() for s, m in zip(spk_o, mem_o)).backward()
    sum(s.sum() + (m * m).sum() for s, m in zip(spk_t, mem_t)).backward()
    np.testing.assert_allclose(x_o.grad.numpy(), x_t.grad.numpy(), **GRAD_TOL)
    np.testing.assert_allclose(
        ours.recurrent.weight.grad.numpy(), theirs.recurrent.weight.grad.numpy(), **GRAD_TOL
    )


NAN = float("nan")
REFUSED_BY_BOTH = {  # name: (call with the library's module, the argument our error names)
    "reset": (lambda lib, _: lib.Leaky(0.9, reset_mechanism="Zero"), "reset_mechanism"),
    "synaptic-reset": (lambda lib, _: lib.Synaptic(0.9, 0.8, reset_mechanism=None), "reset"),
    "rate-steps": (lambda lib, t: lib.spikegen.rate(t([0.5]), num_steps=-1), "num_steps"),
    "rate-first": (lambda lib, t: lib.spikegen.rate(t([0.5]), 3, first_spike_time=3), "first"),
    "rate-nan": (lambda lib, t: lib.spikegen.rate(t([NAN]), num_steps=3), "probabilities"),
    "rate-gain-nan": (lambda lib, t: lib.spikegen.rate(t([0.5]), 3, gain=NAN), "gain"),
    "latency-data": (lambda lib, t: lib.spikegen.latency(t([1.5]), num_steps=5), "data"),
    "latency-nan": (lambda lib, t: lib.spikegen.latency(t([NAN]), num_steps=5), "data"),
    "latency-steps": (lambda lib, t: lib.spikegen.latency(t([0.5]), num_steps=0), "num_steps"),
    "latency-thr": (lambda lib, t: lib.spikegen.latency(t([0.5]), 5, threshold=1), "threshold"),
    "latency-thr-nan": (lambda lib, t: lib.spikegen.latency(t([0.5]), 5, threshold=NAN), "thr"),
    "latency-tau": (lambda lib, t: lib.spikegen.latency(t([0.5]), 5, tau=0), "tau"),
    "latency-tau-nan": (lambda lib, t: lib.spikegen.latency(t([0.5]), 5, tau=NAN), "tau"),
    "latency-first": (
        lambda lib, t: lib.spikegen.latency(t([0.5]), 5, first_spike_time=-1),
        "first",
    ),
}


@pytest.mark.parametrize("name", REFUSED_BY_BOTH)
def test_what_snntorch_refuses_is_refused_with_an_error_naming_the_argument(name):
    call, argument = REFUSED_BY_BOTH[name]
    with pytest.raises(Exception, match=r"\S"):  # snnTorch: bare Exception or RuntimeError
        call(snntorch, lambda v: torch.tensor(v, dtype=torch.float64))
    with pytest.raises((ValueError, TypeError), match=argument):
        call(snn, lambda v: tnn.tensor(v, dtype=tnn.float64))


def test_snntorch_clips_what_we_refuse():
    """The cases tests/robustness refuses on purpose: snnTorch runs them without a word."""
    assert torch.isnan(snntorch.Leaky(beta=NAN)(torch.ones(2))[1]).all()
    assert sspikegen.rate(torch.tensor([1.5]), num_steps=4).sum() == 4
    with pytest.raises(ValueError, match="beta"):
        snn.Leaky(beta=NAN)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        snn.spikegen.rate(tnn.tensor([1.5]), num_steps=4)
