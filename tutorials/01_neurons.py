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
# # 1. Neurons: Hodgkin–Huxley spikes and the LIF model
#
# Notes §1.1 and §2.1. A neuron keeps a voltage across its membrane; ion channels that open
# and close with that voltage make it spike. We simulate the four-variable Hodgkin–Huxley
# model first, then the leaky integrate-and-fire (LIF) model that keeps only what matters for
# computing, the spike times, and derive its firing rate $G(v_{in})$.
#
# Everything here uses `tinygrad_nn.neurons`, which runs on numpy alone.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

from tinygrad_nn.neurons import LIF, HodgkinHuxley
from tinygrad_nn.neurons.plots import plot_lif_rate, plot_voltage

FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"

# %% [markdown]
# ## The Hodgkin–Huxley model (§1.1)
#
# The membrane is a capacitor $C$ charged by the input current and discharged by three ionic
# currents: a leak, sodium through channels open with probability $m^3 h$, and potassium through
# channels open with probability $n^4$:
#
# $$C\frac{dV}{dt} = I - \bar g_{Na}\, m^3 h\,(V - E_{Na}) - \bar g_K\, n^4 (V - E_K)
#   - \bar g_L (V - E_L).$$
#
# Each gate $x \in \{m, h, n\}$ relaxes towards a voltage-dependent equilibrium $x_\infty(V)$
# with a voltage-dependent time constant $\tau_x(V)$:
#
# $$\frac{dx}{dt} = \frac{x_\infty(V) - x}{\tau_x(V)}.$$
#
# The notes write the same equation with $J_{in}$ for $I$, $g_X$ for $\bar g_X$ and $V_X$ for
# $E_X$. `HodgkinHuxley` uses the standard modern parameters (mV, ms, µA/cm²); at rest the
# membrane sits near −65 mV.

# %%
hh = HodgkinHuxley()
V_rest, m_rest, h_rest, n_rest = hh.resting_state()
print(f"resting state: V = {V_rest:.2f} mV")
print(f"gates: m = {m_rest:.3f}, h = {h_rest:.3f}, n = {n_rest:.3f}")

# %% [markdown]
# The equilibria $x_\infty(V)$ are the "logistic-like curves" of the notes: sodium activation
# $m$ opens with depolarisation, inactivation $h$ closes, and potassium activation $n$ opens
# more slowly (its $\tau_n$ is several ms, $\tau_m$ a fraction of one).

# %%
V = np.linspace(-100, 50, 301)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.5))
for name, curve in zip("mhn", hh.steady_state(V)):
    ax1.plot(V, curve, label=f"${name}_\\infty$")
for name, tau in zip("mhn", hh.time_constants(V)):
    ax2.plot(V, tau, label=f"$\\tau_{name}$")
ax1.set(ylabel="open fraction", title="Gate equilibria")
ax2.set(ylabel="time constant (ms)", title="Gate time constants")
for ax in (ax1, ax2):
    ax.set_xlabel("membrane potential V (mV)")
    ax.axvline(V_rest, color="0.7", lw=0.8, ls=":")
    ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# A constant input of 10 µA/cm² makes the neuron fire: sodium rushes in ($m$ jumps up), the
# voltage shoots to about +40 mV, then $h$ closes the sodium channels and $n$ opens the potassium
# channels, which pull the voltage back below rest. The cycle repeats.

# %%
t_end = 50.0
res = hh.simulate(10.0, t_end, dt=0.01)
print("spike times (ms):", np.round(res.spike_times[0], 2))
print(f"firing rate: {res.rates[0]:.1f} Hz")

fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(8, 5), sharex=True)
plot_voltage(res, ax=ax1)
ax1.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
ax1.set_title("Hodgkin–Huxley neuron, I = 10 µA/cm²")
for name in "mhn":
    ax2.plot(res.t, getattr(res, name)[:, 0], label=name)
ax2.set(xlabel="t (ms)", ylabel="gate value")
ax2.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
fig.tight_layout()
plt.show()

# %% [markdown]
# "Increasing the input current makes the neuron spike rapidly and successively": up to
# 6 µA/cm² it fires at most once, at the onset, and then settles; from 6.5 µA/cm² on it fires
# regularly, faster the larger the current. This is its f–I curve (rates after a 50 ms
# transient, currents in steps of 0.5 µA/cm²).

# %%
currents = np.linspace(0, 40, 21 if FAST else 81)
t_end = 150.0 if FAST else 200.0  # ms
rates = hh.fi_curve(currents, t_end=t_end, dt=0.025, t_transient=50.0)
print("lowest current with sustained firing:", currents[rates > 0].min(), "µA/cm²")

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(currents, rates, "o-", ms=3)
ax.set(xlabel="input current I (µA/cm²)", ylabel="firing rate (Hz)")
ax.set_title("Hodgkin–Huxley f–I curve")
ax.grid(alpha=0.3)
plt.show()
assert rates[0] == 0 and np.all(np.diff(rates[rates > 0]) > 0)

# %% [markdown]
# Hodgkin–Huxley neurons jump from silence to about 60 Hz: they cannot fire slowly. The LIF
# model below starts from zero instead.
#
# ## The leaky integrate-and-fire model (§2.1)
#
# The spike's shape carries no information; its time does. The LIF model keeps only the
# sub-threshold membrane, $C\,dV/dt = J_{in} - (V - V_L)/R$, and with $\tau_m = RC$ and the
# normalised voltage $v = (V - V_L)/(V_{th} - V_L)$ it becomes
#
# $$\tau_m \frac{dv}{dt} = v_{in} - v \qquad (v < 1).$$
#
# When $v$ reaches the threshold 1 the neuron spikes, $v$ is reset to 0 and held there for the
# refractory period $\tau_{ref}$. The notes' typical cortical values are $\tau_m$ = 20 ms and
# $\tau_{ref}$ = 2 ms, the defaults of `LIF`.
#
# **Claim** (notes): $v(t) = v_{in}(1 - e^{-t/\tau_m})$ solves the equation with $v(0) = 0$.
# Below threshold nothing interrupts it, so a simulation must follow it exactly.

# %%
lif = LIF(tau_m=0.02, tau_ref=0.002)
sub = lif.simulate(0.8, t_end=0.15, dt=0.001, record_v=True)
formula = 0.8 * (1 - np.exp(-sub.t / lif.tau_m))
print("largest difference from the formula:", np.abs(sub.v[:, 0] - formula).max())
assert np.allclose(sub.v[:, 0], formula, atol=1e-12)

# %% [markdown]
# With $v_{in} > 1$ the voltage reaches 1 at the time $t^*$ where
# $v_{in}(1 - e^{-t^*/\tau_m}) = 1$, that is $t^* = -\tau_m \ln(1 - 1/v_{in})$. Adding the
# refractory period gives the interval between spikes and its inverse, the steady-state
# firing rate:
#
# $$t_{isi} = \tau_{ref} - \tau_m \ln\Big(1 - \frac{1}{v_{in}}\Big), \qquad
# G(v_{in}) = \begin{cases} \dfrac{1}{\tau_{ref} - \tau_m \ln(1 - 1/v_{in})} & v_{in} > 1 \\
# 0 & \text{otherwise.} \end{cases}$$

# %%
v_in = 1.5
t_isi = lif.tau_ref - lif.tau_m * np.log(1 - 1 / v_in)
spiking = lif.simulate(v_in, t_end=0.2, dt=0.001, record_v=True)
intervals = np.diff(spiking.spike_times[0])
print(f"t_isi from the formula: {1000 * t_isi:.4f} ms")
print(f"simulated intervals:    {np.round(1000 * intervals, 4)} ms")
print(f"G(1.5) = {lif.rate(v_in):.4f} Hz, simulated {spiking.rates[0]:.4f} Hz")
assert np.allclose(intervals, t_isi)

fig, ax = plt.subplots(figsize=(8, 3.2))
plot_voltage(spiking, ax=ax)
ax.axhline(1.0, color="0.6", ls="--", lw=0.8)
ax.set_title(r"LIF, $v_{in}$ = 1.5: charge to 1, spike, reset, wait $\tau_{ref}$")
plt.show()

# %% [markdown]
# The simulator uses the exact solution inside each 1 ms step and finds the spike time within
# the step, so the simulated intervals equal $t_{isi}$ to rounding error. Its rate curve is the
# notes' figure: zero up to the threshold $v_{in} = 1$, a steep rise just above it, and a slow
# approach to the ceiling $1/\tau_{ref}$ = 500 Hz, reached only as $v_{in} \to \infty$. The dots
# are simulations of 41 neurons at once (one per input), lying on the formula.

# %%
v_grid = np.linspace(0, 10, 41)
sim = lif.simulate(v_grid, t_end=0.5 if FAST else 2.0, dt=0.001)
print("largest |simulated - G| (Hz):", np.abs(sim.rates - lif.rate(v_grid)).max())
assert np.allclose(sim.rates, lif.rate(v_grid), atol=1e-6)

fig, ax = plt.subplots(figsize=(7, 4))
plot_lif_rate(lif, ax=ax)
ax.plot(v_grid, sim.rates, "o", ms=4, color="C1", label="simulated")
ax.legend(fontsize="small")
plt.show()

# %% [markdown]
# ## Euler's method, a first look
#
# The plain Euler update $v \leftarrow v + \frac{\Delta t}{\tau_m}(v_{in} - v)$ (§5.2, and
# tutorial 3) with spikes only at step ends rounds every interval up to whole steps. For
# $v_{in} = 5$ the true interval is 6.46 ms; with $\Delta t$ = 1 ms Euler makes it 7 ms, a rate
# of 143 Hz instead of 155 Hz. The error shrinks with $\Delta t$.

# %%
v_test = np.array([1.5, 5.0])
for dt in (1e-3, 1e-4):
    euler = lif.simulate(v_test, t_end=1.0, dt=dt, method="euler")
    print(f"dt = {1000 * dt:g} ms: Euler rates {np.round(euler.rates, 2)} Hz")
print(f"exact G:         {np.round(lif.rate(v_test), 2)} Hz")

# %% [markdown]
# **Summary.** Hodgkin–Huxley reproduces the spike's shape from ion channels; the LIF model
# keeps only the spike times, and its rate $G(v_{in})$ has a closed form that the simulation
# matches exactly. $G$ is this course's first *activation function*: the next tutorial looks at
# the smooth ones used in artificial networks.
