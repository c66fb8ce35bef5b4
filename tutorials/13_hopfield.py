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
# # 13. Hopfield networks: storing, recalling, energy, capacity
#
# Notes §15–16. Shown "intel__igent" we fill in the gap, because we have memorised the word.
# A **content-addressable memory** returns the stored pattern that best matches a partial or
# corrupted one. Hopfield (1982) built one from a fully connected network of binary neurons:
# the weights store the patterns, and updating the neurons one by one slides the state
# downhill on an **energy** until it rests in the nearest memory. We store and recall
# patterns with `tinygrad_nn.hopfield`, follow the energy, and measure how many patterns fit.

# %%
import itertools
import os

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_nn as tnn
from tinygrad_nn.hopfield import (
    Hopfield,
    capacity_experiment,
    continuous_recall,
    corrupt,
    hebbian,
    letters,
    overlap,
    tensor_energy,
    weight_gradient,
)

FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"

# %% [markdown]
# ## One pattern in four neurons (§15.1)
#
# Each neuron is $-1$ or $+1$ and takes the sign of its input current:
#
# $$
# x_i = \begin{cases} -1 & \text{if } \sum_{j \ne i} W_{ij} x_j < b_i \\
# \phantom{-}1 & \text{if } \sum_{j \ne i} W_{ij} x_j \ge b_i \end{cases}
# \qquad (b_i = 0 \text{ here}).
# $$
#
# To make a pattern stable, connect neurons in the same state by positive weights and
# neurons in different states by negative ones. Hebb's rule does exactly that, with the
# average co-activation over the $n$ patterns:
#
# $$
# W = \frac1n \sum_{s=1}^{n} x^{(s)} \big(x^{(s)}\big)^T - I .
# $$
#
# For the pattern $x = (1, -1, 1, -1)$ of the notes:

# %%
x = np.array([1.0, -1.0, 1.0, -1.0])
W = hebbian(x[None])
W_notes = np.array([[0, -1, 1, -1], [-1, 0, -1, 1], [1, -1, 0, -1], [1, 1, -1, 0]])
print("W by Hebb's rule:\n", W.astype(int))
print("entries that differ from the matrix printed in §15.1:", np.argwhere(W != W_notes) + 1)

# %% [markdown]
# All entries agree except $W_{41}$: the notes print $+1$, but $x_4 x_1 = -1$, and $W$ must
# be symmetric ($W_{14} = -1$ in the same matrix). A slip in the notes; `Hopfield.weights`
# would refuse the printed, asymmetric matrix.
#
# Now corrupt one neuron and let the network settle. `recall` updates the neurons one at a
# time in random order (asynchronously) until none wants to change.

# %%
net = Hopfield(4).store(x)
cue = np.array([1.0, 1.0, 1.0, -1.0])  # neuron 2 flipped
result = net.recall(cue, rng=0)
print("cue     ", cue, " energy", net.energy(cue))
print("recalled", result.state, " energy", net.energy(result.state), " sweeps", result.sweeps)
assert np.array_equal(result.state, x)

# %% [markdown]
# ## Energy (§16.1)
#
# Hopfield's link to the Ising model of magnetism: with symmetric weights the network
# minimises
#
# $$
# E(x) = -\frac12 \sum_{i,j} W_{ij} x_i x_j + \sum_i b_i x_i = -\frac12 x^T W x + b^T x .
# $$
#
# (The notes drop the "+" between the two sums.) Each update can only lower $E$ or leave it:
# flipping $x_i$ changes $E$ by $-\Delta x_i\,(\sum_j W_{ij}x_j - b_i)$, and the rule flips
# $x_i$ towards the sign of that current. With 4 neurons there are only 16 states; here is
# the energy of each. The two minima are the stored pattern and its mirror image $-x$,
# which Hebb's rule stores along with it, since $(-x)(-x)^T = x x^T$; the eight states one
# flip away from either have $E = 0$, the six states two flips away $E = 2$.

# %%
states = np.array(list(itertools.product([-1.0, 1.0], repeat=4)))
energies = net.energy(states)
order = np.argsort(energies, kind="stable")
labels = ["".join("+" if v > 0 else "−" for v in s) for s in states[order]]
fig, ax = plt.subplots(figsize=(8, 3.5))
colors = ["C3" if np.array_equal(abs(s @ x), 4) else "C0" for s in states[order]]
ax.bar(range(16), energies[order], color=colors)
ax.set_xticks(range(16), labels, family="monospace", fontsize=9)
ax.axhline(0, color="0.3", lw=0.8)
ax.set(xlabel="state: signs of x₁ x₂ x₃ x₄", ylabel="energy E(x)", title="Energy of all 16 states")
ax.bar([0], [0], color="C3", label="stored pattern and its mirror image")
ax.legend(fontsize=8)
plt.show()
assert {tuple(s) for s in states[energies == energies.min()]} == {tuple(x), tuple(-x)}

# %% [markdown]
# Autograd agrees with the calculus of §16.1. The engine's `tensor_energy` gives
# $\partial E/\partial x_i = -\sum_{j\ne i} W_{ij}x_j + b_i$, so gradient descent on $E$ is
# the notes' $dx_i/dt = \sum_{j \ne i} W_{ij}x_j - b_i$; and for a symmetric $W$ with
# shared weights $w_{ij} = w_{ji}$, $\partial E/\partial w_{ij} = -x_i x_j$: lowering the
# energy of a pattern by changing the weights *is* Hebb's rule.

# %%
xt = tnn.tensor(cue, requires_grad=True)
tensor_energy(xt, tnn.tensor(net.weights)).backward()
print("dE/dx by autograd:", xt.grad.numpy(), "  -Wx:", -net.weights @ cue)
assert np.allclose(xt.grad.numpy(), -net.weights @ cue)
dE_dW = weight_gradient(x, net.weights)
print("dE/dw_ij by autograd (symmetric W):\n", dE_dW.astype(int))
assert np.array_equal(dE_dW, -(np.outer(x, x) - np.eye(4)))

# %% [markdown]
# ## Why Hebb's rule works: orthogonal patterns
#
# For a stored pattern $x^{(q)}$,
# $W x^{(q)} = \frac1n \sum_s x^{(s)}\big[(x^{(s)})^T x^{(q)}\big] - x^{(q)}$. If the patterns
# are mutually orthogonal only the term $s = q$ survives, and with
# $\|x^{(q)}\|^2 = N$:
#
# $$
# W x^{(q)} = \frac{N}{n}x^{(q)} - x^{(q)} = \frac{N-n}{n}\,x^{(q)} ,
# $$
#
# a positive multiple of $x^{(q)}$ as long as $n < N$: every pattern is a fixed point. Rows
# of a Hadamard matrix are orthogonal ±1 vectors; take $n = 4$ of them with $N = 16$:

# %%
H = np.array([[1.0]])
for _ in range(4):
    H = np.block([[H, H], [H, -H]])  # Sylvester's construction: 16 x 16, orthogonal rows
patterns16 = H[[1, 5, 10, 15]]
W16 = hebbian(patterns16)
factor = (16 - 4) / 4
print(
    "W x / x for each pattern:", [np.unique(W16 @ p / p) for p in patterns16], " (N-n)/n =", factor
)
assert np.allclose(W16 @ patterns16.T, factor * patterns16.T)
assert Hopfield(16).store(patterns16).is_fixed_point(patterns16).all()

# %% [markdown]
# ## Pictures as memories
#
# Seven 8×8 letters, 64 neurons each (ink $= +1$). We corrupt every letter by flipping 20%
# of its pixels and recall. Letters are far from orthogonal: `A` and `H` agree on three
# quarters of their pixels (overlap $\frac1N x^{(A)}\cdot x^{(H)} = 0.5$). With Hebb's rule
# their memories interfere and the network falls into mixtures; Storkey's rule (1997), also
# local and incremental, subtracts the interference of the patterns already stored and
# recalls all seven.

# %%
names = "ACHLTXZ"
letter_patterns = letters(names)
cues = corrupt(letter_patterns, 0.2, rng=0)
recalled = {}
for rule in ("hebbian", "storkey"):
    memory = Hopfield(64).store(letter_patterns, rule=rule)
    recalled[rule] = memory.recall(cues, rng=0, record_energies=True)
    m = overlap(recalled[rule].state, letter_patterns)
    print(f"{rule:8s} overlap with the right letter:", np.round(m, 2))
print("overlaps between the stored letters (A with the others):",
      np.round(overlap(np.repeat(letter_patterns[:1], 7, 0), letter_patterns), 2))  # fmt: skip
assert np.all(overlap(recalled["storkey"].state, letter_patterns) == 1)
assert np.any(overlap(recalled["hebbian"].state, letter_patterns) < 1)

# %%
rows = {
    "stored": letter_patterns,
    "cue (20% flipped)": cues,
    "recalled, Hebb": recalled["hebbian"].state,
    "recalled, Storkey": recalled["storkey"].state,
}
fig, axes = plt.subplots(len(rows), len(names), figsize=(8, 5))
for r, (label, images) in enumerate(rows.items()):
    for c in range(len(names)):
        ax = axes[r, c]
        ax.imshow(images[c].reshape(8, 8), cmap="gray_r", vmin=-1, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        if r == 0:
            ax.set_title(names[c])
    axes[r, 0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
fig.suptitle("Recall of corrupted letters")
fig.tight_layout()
plt.show()

# %% [markdown]
# The energy along each recall, one neuron update at a time: it never rises, and it stops
# falling when the state is a fixed point (a local minimum). The continuous version of
# §16.1, gradient descent on $E$ with $x = \tanh(u)$ (`continuous_recall`), slides down
# smoothly to the same memories.

# %%
storkey = Hopfield(64).store(letter_patterns, rule="storkey")
smooth = continuous_recall(storkey, cues, n_steps=30 if FAST else 60)
print("continuous recall, overlap:", np.round(overlap(smooth.sign, letter_patterns), 2))
steps = np.diff(recalled["storkey"].energies, axis=1)
assert steps.max() <= 1e-9 and np.diff(smooth.energies, axis=1).max() <= 1e-9

fig, (ax_async, ax_cont) = plt.subplots(1, 2, figsize=(10, 3.8))
for k, name in enumerate(names):
    ax_async.plot(recalled["storkey"].energies[k], color=f"C{k}", label=name)
    ax_cont.plot(smooth.energies[k], color=f"C{k}", label=name)
ax_async.set(xlabel="neuron updates (64 per sweep)", ylabel="energy E(x)")
ax_async.set_title("Asynchronous recall (Storkey weights)")
ax_cont.set(xlabel="Euler step", ylabel="energy E(x)", title="Continuous recall, x = tanh(u)")
ax_async.legend(ncol=2, fontsize=8, title="letter")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Capacity
#
# How many patterns fit? The notes advise keeping $n$ much smaller than $N$.
# `capacity_experiment(N, loads, rule)` stores $n = \alpha N$ random patterns for each load
# $\alpha = n/N$, corrupts each by 10%, recalls, and reports the mean overlap with the
# original (and the fraction of patterns that are exact fixed points). For Hebb's rule
# theory puts the collapse at $\alpha_c \approx 0.138$ (Amit, Gutfreund & Sompolinsky,
# 1985) for large $N$; Storkey's rule holds about twice as many.

# %%
N = 100 if FAST else 200
loads = [0.04, 0.08, 0.12, 0.14, 0.16, 0.2, 0.25, 0.3, 0.4]
tables = {
    rule: capacity_experiment(N, loads, rule=rule, noise=0.1, n_seeds=1 if FAST else 3)
    for rule in ("hebbian", "storkey")
}
heb_t, sto_t = tables["hebbian"], tables["storkey"]
print("  load α   n   overlap: Hebb  Storkey   fixed points: Hebb  Storkey")
for k, load in enumerate(loads):
    print(
        f"  {load:6.2f} {heb_t.n_patterns[k]:3d}   {heb_t.overlap[k]:13.3f} {sto_t.overlap[k]:8.3f}"
        f"   {heb_t.fixed_fraction[k]:18.2f} {sto_t.fixed_fraction[k]:8.2f}"
    )
heb, sto = tables["hebbian"].overlap, tables["storkey"].overlap
assert heb[0] == 1 and heb[-1] < 0.8 and sto[loads.index(0.2)] > 0.99

# %%
fig, (ax_m, ax_f) = plt.subplots(1, 2, figsize=(10, 3.8))
for (rule, table), color in zip(tables.items(), ["C0", "C1"]):
    label = {"hebbian": "Hebb", "storkey": "Storkey"}[rule]
    ax_m.errorbar(
        table.loads, table.overlap, table.overlap_std, marker="o", color=color, label=label
    )
    ax_f.plot(table.loads, table.fixed_fraction, "o-", color=color, label=label)
for ax in (ax_m, ax_f):
    ax.axvline(0.138, color="0.5", ls=":", label=r"$\alpha_c \approx 0.138$")
    ax.set_xlabel(r"load $\alpha = n / N$")
    ax.legend(fontsize=8)
ax_m.set(ylabel="overlap after recall", title=f"Recall from 10% noise, N = {N}")
ax_f.set(ylabel="fraction of exact fixed points", title="Stored patterns that are stable")
fig.tight_layout()
plt.show()

# %% [markdown]
# With Hebb's rule recall from noise is near perfect up to about $\alpha \approx 0.12$, then
# degrades and falls apart by $\alpha = 0.25$: the collapse at $\alpha_c$, blurred at this
# small $N$. Exact fixed points disappear earlier. Storkey's rule still recalls perfectly
# at $\alpha = 0.2$. The [user guide's table](../guide/hopfield.md#capacity) has the same
# experiment with $N = 1000$, five seeds and the pseudo-inverse rule too.

# %% [markdown]
# ## Capacity as a sweep over seeds
#
# Each point above averages a few random sets of patterns. `tnn.sweep.run` runs the same
# experiment as independent trials, one per load, rule and seed, and keeps a row for each:
# the seeds give the error bars, and more seeds (or loads) added later run only the new
# trials when the same output folder is used. `client="serial"` runs them in this process;
# without it they run on a Dask cluster with one worker per core (see the user guide's
# page on sweeps, `docs/guide/sweeps.md`).


# %%
def capacity_trial(load, rule, seed):
    """One set of random patterns at one load: recall overlap and stable fraction."""
    t = capacity_experiment(N, [load], rule=rule, noise=0.1, n_seeds=1, seed=seed)
    return {"overlap": float(t.overlap[0]), "fixed_fraction": float(t.fixed_fraction[0])}


grid = {"load": loads, "rule": ["hebbian", "storkey"]}
capacity = tnn.sweep.run(capacity_trial, grid, seeds=3 if FAST else 5, client="serial")
fig, (ax_m, ax_f) = plt.subplots(1, 2, figsize=(10, 3.8))
for ax, metric in ((ax_m, "overlap"), (ax_f, "fixed_fraction")):
    tnn.sweep.plot(capacity, "load", metric, by=["rule"], ax=ax, xscale="linear")
    ax.axvline(0.138, color="0.5", ls=":", label=r"$\alpha_c \approx 0.138$")
    ax.set_xlabel(r"load $\alpha = n / N$")
    ax.legend(fontsize=8)
ax_m.set_title(f"Recall overlap, N = {N}: mean ± std over the seeds")
ax_f.set_title("Fraction of exact fixed points")
fig.tight_layout()
plt.show()
by_rule = {
    (g["rule"], g["load"]): g["overlap_mean"]
    for g in tnn.sweep.summarize(capacity, by=["rule", "load"])
}
assert by_rule["hebbian", loads[0]] == 1 and by_rule["storkey", 0.2] > 0.99

# %% [markdown]
# The spread over seeds is widest where Hebb's rule collapses, just above $\alpha_c$: near
# the critical load, whether recall succeeds depends on the particular patterns drawn.
