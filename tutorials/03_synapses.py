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
# # 3. Synapses, spike trains and Euler's method
#
# Notes §4.1 and §5.2. A spike reaches the next neuron through a synapse, which turns it into
# a current that rises and decays over milliseconds: the post-synaptic current (PSC). A train
# of spikes becomes a *filtered spike train*, a smooth signal whose average is the firing
# rate. We build both, then compute the filter step by step with Euler's method, the way a
# simulator does, and measure its error.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

from tinygrad_nn.neurons import (
    LIF,
    filter_spike_train,
    filtered_spikes,
    psc_kernel,
    spike_train,
)

FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"

# %% [markdown]
# ## The post-synaptic current (§4.1)
#
# $$h(t) = \begin{cases} k\, t^n e^{-t/\tau_s} & t \ge 0 \\ 0 & t < 0 \end{cases}
# \qquad k = \frac{1}{n!\,\tau_s^{n+1}},$$
#
# where $k$ makes $\int_0^\infty h(t)\,dt = 1$, so that every spike delivers the same total
# charge whatever the shape. With $n = 0$ the current jumps to $1/\tau_s$ and decays
# exponentially; with $n = 1$ (more realistic) it rises first. A larger $\tau_s$ draws the
# current out.

# %%
t = np.linspace(0, 0.1, 1001)  # seconds
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.5))
for n in (0, 1, 2):
    ax1.plot(1000 * t, psc_kernel(t, tau_s=0.01, n=n), label=f"n = {n}")
for tau_s in (0.005, 0.01, 0.02):
    label = rf"$\tau_s$ = {1000 * tau_s:g} ms"
    ax2.plot(1000 * t, psc_kernel(t, tau_s=tau_s, n=1), label=label)
ax1.set(title=r"order n ($\tau_s$ = 10 ms)", xlabel="t (ms)", ylabel="h(t) (1/s)")
ax2.set(title="time constant (n = 1)", xlabel="t (ms)", ylabel="h(t) (1/s)")
for ax in (ax1, ax2):
    ax.legend()
fig.tight_layout()
plt.show()

# %%
fine = np.linspace(0, 1.0, 200_001)
for n in (0, 1, 2):
    area = np.trapezoid(psc_kernel(fine, 0.01, n), fine)
    print(f"n = {n}: integral of h = {area:.6f}")
    assert abs(area - 1) < 1e-3

# %% [markdown]
# ## Spike trains and filtered spike trains
#
# A spike train is a sum of Dirac deltas, $a(t) = \sum_p \delta(t - t_p)$. Filtering it with
# the synapse is a convolution, and because $\int f(t)\,\delta(s - t)\,dt = f(s)$ it is just one
# kernel per spike:
#
# $$s(t) = (a * h)(t) = \sum_p h(t - t_p).$$
#
# The spikes here come from a LIF neuron (tutorial 1) with input $v_{in}$ = 1.5, firing at
# $G(1.5)$ = 41.7 Hz.

# %%
lif = LIF(tau_m=0.02, tau_ref=0.002)
duration = 0.3
spikes = lif.simulate(1.5, t_end=duration, dt=0.001).spike_times[0]
t = np.linspace(0, duration, 3001)

fig, ax = plt.subplots(figsize=(8, 3.5))
for tau_s, n in ((0.005, 0), (0.02, 1)):
    label = rf"$\tau_s$ = {1000 * tau_s:g} ms, n = {n}"
    ax.plot(1000 * t, filtered_spikes(spikes, t, tau_s, n), label=label)
ax.vlines(1000 * spikes, 0, 20, color="k", lw=1, label="spikes")
ax.axhline(lif.rate(1.5), color="0.5", ls=":", label=f"G(1.5) = {lif.rate(1.5):.1f} Hz")
ax.set(xlabel="t (ms)", ylabel="filtered spike train s(t) (1/s)")
ax.set_title("A LIF neuron's spikes through two synapses")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=4, fontsize="small")
plt.show()

# %% [markdown]
# Since each kernel has unit area, the long-run average of $s(t)$ is the number of spikes per
# second: the firing rate. A slow synapse ($\tau_s$ = 20 ms, $n = 1$) smooths the train into
# almost that constant; a fast one leaves a ripple. This is how a rate emerges from spikes,
# and why the next tutorials can describe neurons by their rates.

# %%
long_run = 0.5 if FAST else 2.0
spikes_long = lif.simulate(1.5, t_end=long_run, dt=0.001).spike_times[0]
t_long = np.linspace(0.2, long_run, 20_001)  # skip the start-up
mean_s = filtered_spikes(spikes_long, t_long, 0.02, 1).mean()
print(f"mean of s(t): {mean_s:.1f} Hz, firing rate G(1.5): {lif.rate(1.5):.1f} Hz")
assert abs(mean_s - lif.rate(1.5)) < 2.0

# %% [markdown]
# On a time grid of step $\Delta t$ a spike becomes one bin of height $1/\Delta t$ (area 1, as
# the delta). `spike_train` bins spike times that way, and `filter_spike_train` convolves the
# binned train with $h$: on the grid it equals the exact sum above.

# %%
dt = 0.001
on_grid = np.array([0.010, 0.030, 0.031, 0.080])
train = spike_train(on_grid, t_end=0.15, dt=dt)
grid = np.arange(len(train)) * dt
convolved = filter_spike_train(train, dt, tau_s=0.01, n=1)
exact = filtered_spikes(on_grid, grid, tau_s=0.01, n=1)
print("binned train holds", train.sum() * dt, "spikes")
print(f"max |convolution - exact sum| = {np.abs(convolved - exact).max():.1e}")
assert np.allclose(convolved, exact)

# %% [markdown]
# ## Euler's method (§5.2)
#
# For $n = 0$, $h(t) = \frac{1}{\tau_s} e^{-t/\tau_s}$ solves the initial value problem
#
# $$\tau_s \frac{ds}{dt} = -s, \qquad s(0) = \frac{1}{\tau_s}.$$
#
# Euler's method follows the slope for one small step at a time:
# $s_i = s_{i-1} + \Delta t \cdot (-s_{i-1}/\tau_s) = s_{i-1}(1 - \Delta t/\tau_s)$, and
# Algorithm 1 of the notes adds $w_n/\tau_s$ whenever a spike arrives from pre-synaptic
# neuron $n$. Written out:


# %%
def euler_filter(spike_bins, weights, dt, tau_s):
    """Algorithm 1 of the notes: the summed, weighted, filtered input current.

    spike_bins: (n_steps, n_neurons) spike counts per time bin; weights: (n_neurons,).
    """
    s = np.zeros(len(spike_bins))
    for i in range(len(spike_bins)):
        previous = s[i - 1] if i else 0.0
        s[i] = previous * (1 - dt / tau_s)  # step along the slope -s/tau_s
        s[i] += spike_bins[i] @ weights / tau_s  # spikes arriving now
    return s


# %% [markdown]
# (The notes' loop advances $t$ at the end of each step, so a spike arriving at time $t$ is
# added one step late; here, as in the library, it is added at its own time, which is what the
# exact filter does.)
#
# Three pre-synaptic neurons with weights 1, 0.5 and −0.8 (inhibitory). We compare Euler with
# the exact weighted sum of kernels at three step sizes:

# %%
rng = np.random.default_rng(0)
weights = np.array([1.0, 0.5, -0.8])
tau_s, t_end = 0.01, 0.2
# spike times on a 2 ms grid, so that they lie on the grid of every step size below
on_2ms_grid = np.arange(0, 0.19, 0.002)
times = [np.sort(rng.choice(on_2ms_grid, 6, replace=False)) for _ in weights]
fine_t = np.linspace(0, t_end, 4001)
exact = sum(w * filtered_spikes(ts, fine_t, tau_s) for w, ts in zip(weights, times))

fig, ax = plt.subplots(figsize=(8, 3.5))
ax.plot(1000 * fine_t, exact, "k", lw=2, label="exact")
errors = {}
for dt in (0.002, 0.001, 0.0005, 0.00025):
    bins = spike_train(times, t_end, dt) * dt  # spike counts per bin, (n_steps, 3)
    s = euler_filter(bins, weights, dt, tau_s)
    grid = np.arange(len(s)) * dt
    exact_on_grid = sum(w * filtered_spikes(ts, grid, tau_s) for w, ts in zip(weights, times))
    errors[dt] = np.abs(s - exact_on_grid).max()
    if dt in (0.002, 0.0005):
        label = f"Euler, Δt = {1000 * dt:g} ms"
        ax.step(1000 * grid, s, where="post", lw=1, label=label)
ax.set(xlabel="t (ms)", ylabel="input current (1/s)")
ax.set_title("Weighted filtered spike trains")
ax.legend(fontsize="small")
plt.show()

for dt, err in errors.items():
    print(f"Δt = {1000 * dt:5.2f} ms: max error {err:7.2f} (1/s)")

# %% [markdown]
# Halving $\Delta t$ halves the error: Euler's method is *first order*. The library's
# `filter_spike_train(..., method="euler")` is the same algorithm (for $n = 1$, two such filters
# in cascade), and gives the same numbers as our loop:

# %%
ratios = [errors[a] / errors[b] for a, b in zip(list(errors)[:-1], list(errors)[1:])]
print("error ratios when halving Δt:", np.round(ratios, 2))
assert all(1.6 < r < 2.4 for r in ratios)

dt = 0.001
bins = spike_train(times, t_end, dt) * dt
library = filter_spike_train(bins / dt, dt, tau_s, n=0, method="euler") @ weights
assert np.allclose(library, euler_filter(bins, weights, dt, tau_s))
print("filter_spike_train(method='euler') equals the loop above")

# %% [markdown]
# **Summary.** A synapse turns each spike into a unit-area current $h(t - t_p)$; summed over
# spikes and weighted over neurons, these currents are a neuron's input, and their average is
# the firing rate. Euler's method computes them step by step with an error proportional to
# $\Delta t$. Tutorial 4 writes the weighting as a matrix: $z = Wx + b$.
