# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 16. Training spiking networks
#
# Beyond the notes, joining their two halves: the leaky integrate-and-fire neuron of §2.1 and
# the backpropagation of §9–10. Stepped in time, a layer of LIF neurons is a small recurrent
# network made of ordinary operations, so the engine can backpropagate through time. The one
# obstacle is the spike itself, a step with no useful derivative; a *surrogate gradient*
# (Neftci, Mostafa & Zenke 2019) replaces that derivative with a smooth bump. We train a
# 64-128-10 spiking network on the digits, then check its hidden layer against the LIF rate
# curve $G(v_{in})$ of §2.1.
#
# `tinygrad_nn.snn` has snnTorch's names and semantics (`Leaky`, `surrogate.atan`,
# `spikegen.rate`, `functional.ce_rate_loss`), so snnTorch code ports with an import swap.

# %%
import os
import sys

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_nn as tnn
from tinygrad_nn import nn, snn, viz
from tinygrad_nn.data import DataLoader, TensorDataset, random_split
from tinygrad_nn.datasets import load_digits
from tinygrad_nn.neurons import LIF
from tinygrad_nn.train import draw_spike_raster

FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"
EPOCHS = 1 if FAST else 10

# %% [markdown]
# ## From the LIF equation to a layer (§2.1)
#
# Below threshold the normalised membrane potential obeys $\tau_m\, dv/dt = v_{in} - v$. Over
# one step $\Delta t$ with the input held constant the exact solution keeps the fraction
# $\beta = e^{-\Delta t/\tau_m}$ of the potential:
#
# $$v[t+1] = \beta\, v[t] + (1 - \beta)\, v_{in}.$$
#
# snnTorch's `Leaky` layer is this update with the input current $I = (1 - \beta) v_{in}$
# already scaled (in a network the weights absorb the factor), a threshold $U_{thr}$ and a
# reset: $U[t+1] = \beta U[t] + I[t+1] - R\, U_{thr}$, $S = \Theta(U - U_{thr})$.
# `Leaky.from_tau(tau_m, dt)` sets $\beta$ from the time constant. With reset to zero and no
# refractory period, the notes' rate curve is
#
# $$G(v_{in}) = \frac{1}{-\tau_m \ln(1 - 1/v_{in})} \quad (v_{in} > 1).$$
#
# Driving 200 neurons with constant inputs for a second of simulated time checks the layer
# against it.

# %%
tau_m, dt = 0.020, 0.0005
layer = snn.Leaky.from_tau(tau_m, dt, reset_mechanism="zero", reset_delay=False)
print(layer, f"beta = exp(-dt/tau_m) = {layer.beta.item():.5f}")
v_in = np.linspace(0.5, 6.0, 200, dtype=np.float32)
current = tnn.tensor((1 - layer.beta.item()) * v_in)
steps = int((0.25 if FAST else 1.0) / dt)
with tnn.no_grad():
    counts = sum(layer(current)[0].numpy() for _ in range(steps))
simulated = counts / (steps * dt)
G = LIF(tau_m=tau_m, tau_ref=0.0).rate(v_in)

fig, ax = plt.subplots(figsize=(8, 3.5))
ax.plot(v_in, G, label=r"$G(v_{in})$, notes §2.1 with $\tau_{ref} = 0$")
ax.plot(v_in, simulated, ".", ms=3, label="snn.Leaky, spikes counted")
ax.set(xlabel=r"input $v_{in}$ (threshold = 1)", ylabel="firing rate (Hz)")
ax.set_title(r"LIF layer ($\tau_m$ = 20 ms, $\Delta t$ = 0.5 ms) against the rate curve")
ax.legend()
fig.tight_layout()
plt.show()
# each interval is the exact time to threshold rounded up to a whole step, and counting in a
# finite window loses at most one spike
assert np.all(simulated <= G + 1e-6)
assert np.all(simulated >= 1 / (1 / np.maximum(G, 1e-9) + dt) - 1 / (steps * dt) - 1e-6)

# %% [markdown]
# ## Unrolled in time: a recurrent graph
#
# A spiking network sees its input over $T$ steps; each step runs the same layers again on the
# state the previous step left. Recorded by the engine, that is one graph with the membrane
# potential $U$ carried from step to step (the `Add` and `Mul` chain below) and a spike
# (`ATan`, the surrogate node) leaving each step. Backpropagation through this graph is
# backpropagation through time (BPTT). The reset $R$ enters as a constant: it is computed from
# the previous potential and detached, as in snnTorch. Three steps of `Linear(4, 3)` and a
# `Leaky` layer:

# %%
tnn.manual_seed(0)
small = nn.Sequential(nn.Linear(4, 3), snn.Leaky(beta=0.9, init_hidden=True))
with viz.trace(small) as tr:
    spikes = tnn.stack([small(x_t) for x_t in tnn.rand(3, 2, 4)])
    loss = snn.functional.ce_count_loss()(spikes, tnn.tensor([0, 2]))
graph = tr.draw(loss, title="three time steps of Linear -> Leaky, then the loss")
if "ipykernel" in sys.modules:
    from IPython.display import display

    display(graph)  # a picture with graphviz's dot program, text without it
else:
    print(graph.text())

# %% [markdown]
# ## Why the spike needs a surrogate
#
# The spike is the step $S = \Theta(x)$ of the shifted potential $x = U - U_{thr}$ (firing
# strictly above threshold). Its derivative is 0 everywhere except at $x = 0$, where it does not
# exist: the chain rule would multiply every error by 0, and no weight before a spike would
# learn. A surrogate keeps the step in the forward pass and, in the backward pass only, uses
# the derivative of a smooth stand-in. The default, `surrogate.atan(alpha=2)`, stands in
# $\frac{1}{\pi}\arctan(\frac{\pi}{2}\alpha x) + \frac12$, whose derivative is
# $\frac{\alpha/2}{1 + (\frac{\pi}{2}\alpha x)^2}$. Autograd draws the curves below: each is
# the gradient that reaches $x$ through one surrogate spike.

# %%
x = tnn.linspace(-1.5, 1.5, 601, requires_grad=True)
fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(8, 3.5))
ax_f.plot(x.detach().numpy(), snn.surrogate.atan()(x).detach().numpy(), "k", label=r"$\Theta(x)$")
ax_f.plot(
    x.detach().numpy(),
    np.arctan(np.pi * x.detach().numpy()) / np.pi + 0.5,
    "--",
    label=r"$\frac{1}{\pi}\arctan(\pi x) + \frac{1}{2}$",
)
ax_f.set(xlabel=r"$x = U - U_{thr}$", ylabel="spike", title="Forward: the step")
ax_d.plot([-1.5, 1.5], [0, 0], "k", label=r"$\Theta'(x) = 0$ ($x \neq 0$)")
for name, fn in [
    ("atan(alpha=2)", snn.surrogate.atan()),
    ("fast_sigmoid(slope=5)", snn.surrogate.fast_sigmoid(slope=5)),
    ("sigmoid(slope=5)", snn.surrogate.sigmoid(slope=5)),
]:
    x.grad = None
    fn(x).sum().backward()
    ax_d.plot(x.detach().numpy(), x.grad.numpy(), label=name)
ax_d.set(xlabel=r"$x = U - U_{thr}$", ylabel=r"$\partial S / \partial x$ used by backward")
ax_d.set_title("Backward: the surrogate's derivative")
ax_f.legend(fontsize=8, loc="upper left")
ax_d.set_ylim(-0.05, 1.9)
ax_d.legend(fontsize=8, loc="upper left")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Training on the digits
#
# Each 8×8 digit (pixels in $[0, 1]$) becomes 25 steps of Bernoulli spikes, pixel $i$ firing
# with probability $x_i$ at each step (`spikegen.rate`). The network is
# `Linear(64, 128) → Leaky → Linear(128, 10) → Leaky` with $\beta = 0.9$; the hidden layer
# resets to zero, as the neuron of §2.1 does. `snn.RateCoded` wraps the loop over time and
# returns the output spikes, shape (25, batch, 10). The loss `ce_rate_loss` is the
# cross-entropy of the output spikes at every step, so the right neuron is pushed to fire at
# every step and the others to stay silent; the prediction is the neuron that fired most.

# %%
tnn.manual_seed(0)
X, y = load_digits()
train_set, val_set, test_set = random_split(TensorDataset(X, y), [0.7, 0.15, 0.15])
BETA, STEPS = 0.9, 25
hidden = snn.Leaky(beta=BETA, init_hidden=True, reset_mechanism="zero")
net = nn.Sequential(
    nn.Linear(64, 128), hidden, nn.Linear(128, 10), snn.Leaky(beta=BETA, init_hidden=True)
)
model = snn.RateCoded(net, num_steps=STEPS)
optimizer = tnn.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loss_fn = snn.functional.ce_rate_loss()


def accuracy(dataset):
    x, t = next(iter(DataLoader(dataset, batch_size=len(dataset))))
    with tnn.no_grad():
        return snn.functional.accuracy_rate(model(x), t)


history = []
for epoch in range(1, EPOCHS + 1):
    losses = []
    for x_batch, t_batch in DataLoader(train_set, batch_size=32, shuffle=True):
        loss = loss_fn(model(x_batch), t_batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    history.append((np.mean(losses), accuracy(val_set)))
    print(f"epoch {epoch:2d}  loss {history[-1][0]:.4f}  validation accuracy {history[-1][1]:.3f}")
test_accuracy = accuracy(test_set)
print(f"test accuracy {100 * test_accuracy:.1f}% on {len(test_set)} held-out digits")

fig, (ax_l, ax_a) = plt.subplots(1, 2, figsize=(8, 3))
epochs = np.arange(1, EPOCHS + 1)
ax_l.plot(epochs, [h[0] for h in history], "o-")
ax_l.set(xlabel="epoch", ylabel="ce_rate_loss", title="Training loss")
ax_a.plot(epochs, [100 * h[1] for h in history], "o-", label="validation")
ax_a.axhline(100 * test_accuracy, color="gray", ls=":", label=f"test {100 * test_accuracy:.1f}%")
ax_a.set(xlabel="epoch", ylabel="accuracy (%)", title="Accuracy")
ax_a.legend()
fig.tight_layout()
plt.show()
assert test_accuracy >= (0.75 if FAST else 0.95)

# %% [markdown]
# What the output layer does: for a few test digits, a dot for every spike of the ten output
# neurons over the 25 steps (`spikeplot.raster`). The target neuron (shaded row) fires at most
# steps; the others stay nearly silent. The training command below draws the same
# picture.

# %%
x_test, t_test = next(iter(DataLoader(test_set, batch_size=len(test_set))))
with tnn.no_grad():
    spikes_out = model(x_test[:4])
draw_spike_raster(plt.figure(figsize=(8, 4.4)), x_test[:4], t_test[:4], spikes_out)
plt.show()

# %% [markdown]
# ## The trained hidden layer follows the LIF rate curve
#
# A hidden neuron receives the current $I[t] = W S_{in}[t] + b$. Its mean over the Bernoulli
# input spikes is $J = W x + b$, which in the units of §2.1 (threshold 1, the factor
# $1 - \beta$ of the exact step) is $v_{in} = J / ((1 - \beta) U_{thr})$, and the time
# constant is $\tau_m = -\Delta t / \ln\beta \approx 9.5$ steps. If the input were constant,
# the neuron would fire at the rate $G(v_{in})$ of §2.1. Two things of the discrete network
# shift the measured rates: intervals between spikes are whole steps (at most one spike a step,
# the first one $\lceil t^*/\Delta t\rceil$ steps in), and the input is noisy (a neuron with
# $v_{in}$ just below 1 still fires on lucky fluctuations). The dashed curve is what a constant
# input gives in the 25-step window from rest: $\lfloor 25/n \rfloor / 25$ with
# $n = \lceil t^*/\Delta t \rceil$.

# %%
recorded = []
hook = hidden.register_forward_hook(lambda module, inputs, spk: recorded.append(spk.numpy()))
with tnn.no_grad():
    model(x_test)
hook.remove()
rate = np.mean(recorded, axis=0).ravel()  # spikes per step, one value per (digit, neuron)
W, b = net[0].weight.detach().numpy(), net[0].bias.detach().numpy()
v = ((x_test.numpy() @ W.T + b) / ((1 - BETA) * hidden.threshold.item())).ravel()
tau_steps = -1 / np.log(BETA)
v_grid = np.linspace(0.0, v.max(), 400)
G_steps = LIF(tau_m=tau_steps, tau_ref=0.0).rate(v_grid)  # per step: dt = 1
with np.errstate(divide="ignore", invalid="ignore"):
    n = np.ceil(np.log1p(-1 / v_grid) / np.log(BETA))  # steps to threshold from rest
window = np.where(v_grid > 1, np.floor(STEPS / n) / STEPS, 0.0)

fig, ax = plt.subplots(figsize=(8, 3.5))
ax.plot(v, rate, ".", ms=2, alpha=0.3, color="tab:blue", label="hidden neuron on a test digit")
ax.plot(v_grid, G_steps, "k", label=r"$G(v_{in})\,\Delta t$, notes §2.1")
ax.plot(v_grid, window, "k--", lw=1, label="constant input, 25-step window")
ax.set(xlim=(0, min(v.max(), 15)), ylim=(0, 1.05))
ax.set(xlabel=r"mean input $v_{in} = (Wx + b)/((1-\beta)U_{thr})$", ylabel="spikes per step")
ax.set_title("Firing rates of the trained hidden layer")
ax.legend(fontsize=8, loc="lower right")
fig.tight_layout()
plt.show()
in_window = np.interp(v, v_grid, window)
corr = np.corrcoef(rate, in_window)[0, 1]
print(f"correlation of measured rates with the constant-input prediction: {corr:.3f}")
print(f"mean |measured - predicted| = {np.abs(rate - in_window).mean():.3f} spikes per step")
assert corr > 0.9

# %% [markdown]
# The rates climb along the LIF curve: below $v_{in} = 1$ only the input noise makes a neuron
# fire, above it the rate grows like $G$ until it saturates at one spike a step, which the
# continuous $G$ does not know. Trained by backpropagation through time, the hidden layer
# still computes with the neuron of §2.1.
#
# To train the same network from the command line (rate-coded digits, 25 steps, the loop,
# progress bar, checkpoint and plots of `tinygrad-nn train`):
#
# ```bash
# tinygrad-nn train --model snn
# ```
