"""Backpropagation through time: the gradients of a small two-layer spiking network equal
central differences of the same network with a smooth spike $\\sigma(kx)$ in place of the
step. The reset is detached (snnTorch's semantics), so the differences are taken with each
step's reset held at its value in the unperturbed run: that is what "detached" means."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import snn
from tinygrad_nn import testing as tt

K = 4.0  # slope of the smooth spike
STEPS, BATCH, N_IN, N_HID, N_OUT = 6, 2, 3, 4, 2


def smooth_spike(x):
    """A spike function whose forward is smooth, so its exact gradient is the surrogate."""
    return (x * K).sigmoid()


def _sig(x):
    return 1 / (1 + np.exp(-K * x))


def _numpy_net(p, x, reset_mechanism, reset_delay, frozen=None):
    """Linear -> Leaky -> Linear -> Leaky in numpy; ``frozen`` holds the resets to use (else
    they are computed and recorded). Returns the loss and the resets."""
    resets = [] if frozen is None else None
    h = x
    loss = 0.0
    k = 0
    for layer in (1, 2):
        w, beta, thr = p[f"w{layer}"], np.clip(p[f"beta{layer}"], 0, 1), p[f"thr{layer}"]
        mem = np.zeros((BATCH, w.shape[0]))
        out = []
        for t in range(STEPS):
            cur = h[t] @ w.T
            r = _sig(mem - thr) if frozen is None else frozen[k]
            if frozen is None:
                resets.append(r)
            k += 1
            if reset_mechanism == "zero":
                mem = beta * (1 - r) * mem + cur
            else:
                mem = beta * mem + cur
                if reset_mechanism == "subtract":
                    mem = mem - r * thr
            spk = _sig(mem - thr)
            if not reset_delay and reset_mechanism != "none":
                mem = mem - (spk - r) * (thr if reset_mechanism == "subtract" else mem)
            out.append(spk)
            if layer == 2:
                loss += (spk * p["a"][t]).sum() + (mem * p["b"][t]).sum()
        h = np.array(out)
    return loss, resets


def _ours(p, x, reset_mechanism, reset_delay):
    """The same network built from tnn.nn.Linear and snn.Leaky; returns the parameters."""
    params = {}
    layers = []
    for layer, (n_in, n_out) in ((1, (N_IN, N_HID)), (2, (N_HID, N_OUT))):
        lin = tnn.nn.Linear(n_in, n_out, bias=False).double()
        lin.weight._data[...] = p[f"w{layer}"]
        lif = snn.Leaky(
            tnn.tensor(p[f"beta{layer}"]),
            tnn.tensor(p[f"thr{layer}"]),
            spike_grad=smooth_spike,
            learn_beta=True,
            learn_threshold=True,
            reset_mechanism=reset_mechanism,
            reset_delay=reset_delay,
            init_hidden=True,
            output=layer == 2,
        )
        layers += [lin, lif]
        params.update(
            {f"w{layer}": lin.weight, f"beta{layer}": lif.beta, f"thr{layer}": lif.threshold}
        )
    net = tnn.nn.Sequential(*layers)
    loss = 0
    for t in range(STEPS):
        spk, mem = net(tnn.tensor(x[t]))
        loss = loss + (spk * tnn.tensor(p["a"][t])).sum() + (mem * tnn.tensor(p["b"][t])).sum()
    loss.backward()
    return params


def arrays(*shape, lo=-1.0, hi=1.0):
    return tt.arrays(shape=shape, elements=st.floats(lo, hi))


@settings(max_examples=15)
@given(
    w1=arrays(N_HID, N_IN, lo=-2, hi=2),
    w2=arrays(N_OUT, N_HID, lo=-2, hi=2),
    betas=arrays(2, lo=0.1, hi=0.95),
    thresholds=arrays(2, lo=0.3, hi=1.5),
    x=arrays(STEPS, BATCH, N_IN, lo=0, hi=1),
    a=arrays(STEPS, BATCH, N_OUT),
    b=arrays(STEPS, BATCH, N_OUT),
    reset_mechanism=st.sampled_from(["subtract", "zero", "none"]),
    reset_delay=st.booleans(),
)
def test_bptt_gradients_equal_finite_differences_of_the_smoothed_network(
    w1, w2, betas, thresholds, x, a, b, reset_mechanism, reset_delay
):
    p = {
        "w1": w1,
        "w2": w2,
        "beta1": np.array(betas[0]),
        "beta2": np.array(betas[1]),
        "thr1": np.array(thresholds[0]),
        "thr2": np.array(thresholds[1]),
        "a": a,
        "b": b,
    }
    ours = _ours(p, x, reset_mechanism, reset_delay)
    _, frozen = _numpy_net(p, x, reset_mechanism, reset_delay)
    eps = 1e-6
    for name, param in ours.items():
        fd = np.zeros(p[name].shape)
        for idx in np.ndindex(fd.shape):
            values = []
            for step in (eps, -eps):
                moved = {**p, name: p[name].copy()}
                moved[name][idx] += step
                values.append(_numpy_net(moved, x, reset_mechanism, reset_delay, frozen)[0])
            fd[idx] = (values[0] - values[1]) / (2 * eps)
        np.testing.assert_allclose(param.grad.numpy(), fd, rtol=1e-6, atol=1e-7, err_msg=name)
