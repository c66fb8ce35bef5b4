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
# # 6. Perceptrons: OR learns, XOR does not
#
# Notes §7.1. A perceptron is one threshold neuron, $y = \sigma(\vec w \cdot \vec x + b)$ with
# $\sigma(z) = 1$ if $z \ge 0$ and 0 otherwise. It can recognise patterns, and a simple rule
# finds its weights from examples, but only when a straight line (a plane, in more dimensions)
# separates the two classes. We replay the notes' worked example step by step, train OR and
# AND, and watch XOR fail.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_nn as tnn
import tinygrad_nn.nn.functional as F
from tinygrad_nn.datasets import logic_gate
from tinygrad_nn.nn import Perceptron

FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"

# %% [markdown]
# ## Recognising a pattern
#
# To make the output fire for the input $[1, 1, 0, 1]$, set the weights to the pattern itself:
# the matching input gives the largest possible $\vec w \cdot \vec x$. Without a bias, other inputs
# fire too; a bias of −2 silences them (the notes' numbers):

# %%
w = tnn.tensor([1.0, 1.0, 0.0, 1.0])
patterns = tnn.tensor([[1.0, 1.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0]])
for b in (0.0, -2.0):
    z = patterns @ w + b
    print(f"bias {b:+.0f}: z = {z.numpy()}, output = {F.step(z).numpy()}")
assert (patterns @ w - 2).numpy().tolist() == [1.0, -1.0]
assert F.step(patterns @ w - 2).numpy().tolist() == [1.0, 0.0]

# %% [markdown]
# ## The perceptron learning rule, step by step
#
# For a sample $(\vec x, t)$ with output $y$ and error $E = t - y$:
#
# $$\vec w \leftarrow \vec w + E\,\vec x, \qquad b \leftarrow b + E.$$
#
# A wrong 0 ($E = 1$) moves $\vec w$ towards $\vec x$; a wrong 1 ($E = -1$) moves it away; a right
# answer changes nothing. The notes print the bias rule as $b \leftarrow b + Et$; the bias is the
# weight of a constant input 1 (tutorial 4's bias trick), so its update is $E \cdot 1$. The
# notes' own example needs the corrected rule, as we now see.
#
# The notes' worked example learns OR from $\vec w = [0.6, -0.2]$, $b = -0.1$, presenting the
# samples in the order $[1,0], [0,1], [0,0], [1,1]$:

# %%
p = Perceptron(2, lr=1.0, weight=[0.6, -0.2], bias=-0.1)
steps = [([1.0, 0.0], 1), ([0.0, 1.0], 1), ([0.0, 0.0], 0), ([1.0, 1.0], 1)]
for x, t in steps:
    z = float(np.dot(p.weight.detach().numpy(), x) + p.bias.detach().numpy())
    E = p.update(np.array(x), t)
    w_now, b_now = p.weight.detach().numpy().round(4), round(float(p.bias.detach().numpy()), 4)
    print(f"input {x}, target {t}: z = {z:+.1f}, E = {E:+.0f}", end=" -> ")
    print(f"w = {w_now}, b = {b_now:+.1f}")

assert np.allclose(p.weight.detach().numpy(), [0.6, 0.8]) and np.isclose(
    p.bias.detach().numpy(), -0.1
)

# %% [markdown]
# Line by line against the notes:
#
# - $[1, 0]$: $z = 0.5$, output 1, $E = 0$: no change. As in the notes.
# - $[0, 1]$: $z = -0.3$, output 0, $E = 1$: $\vec w = [0.6, 0.8]$, $b = 0.9$. As in the notes
#   (here $t = 1$, so both bias rules agree).
# - $[0, 0]$: $z = 0.9$, output 1, $E = -1$. The notes observe that their rule changes nothing
#   here ($\vec x = 0$ and $t = 0$), yet they end with $b = -0.1$. The corrected rule gives
#   exactly that: $b = 0.9 - 1 = -0.1$.
# - $[1, 1]$: $z = 0.6 + 0.8 - 0.1 = 1.3$, output 1, $E = 0$. (The notes write
#   $0.6 + 0.8 + 0.9 = 2.3$, with the bias their rule would have kept.)
#
# The result, $\vec w = [0.6, 0.8]$ and $b = -0.1$, is the notes' final perceptron, and it
# computes OR:

# %%
X_or, t_or = logic_gate("OR")
t_or = t_or.ravel()
print("inputs:", X_or.tolist())
print("OR:    ", p(tnn.tensor(X_or)).numpy(), "targets:", t_or)
assert np.array_equal(p(tnn.tensor(X_or)).numpy(), t_or)

# %% [markdown]
# ## A perceptron is a line
#
# The neuron fires where $0.6 x_1 + 0.8 x_2 - 0.1 \ge 0$: on one side of the line
# $0.6 x_1 + 0.8 x_2 = 0.1$. Finding weights is finding a **linear classifier**. `fit` sweeps
# the samples until an epoch has no errors; for OR and AND (from random weights) it stops
# after a few epochs. For XOR, $[0,0] \to 0$, $[0,1] \to 1$, $[1,0] \to 1$, $[1,1] \to 0$, it
# never does.
# (The notes' XOR table, $[0,0] \to 1, [0,1] \to 1, [1,0] \to 1, [1,1] \to 0$, is NAND, which a
# perceptron can learn; the true XOR is used here.)

# %%
tnn.manual_seed(0)
max_epochs = 20 if FAST else 30
runs = {}
for gate in ("OR", "AND", "XOR"):
    X, t = logic_gate(gate)
    if gate == "OR":  # the notes' starting point
        model = Perceptron(2, weight=[0.6, -0.2], bias=-0.1)
    else:
        model = Perceptron(2)
    fit = model.fit(X, t.ravel(), max_epochs=max_epochs)
    runs[gate] = (X, t.ravel(), model, fit)
    print(f"{gate:3s}: {fit}")
assert runs["OR"][3].converged and runs["AND"][3].converged
assert not runs["XOR"][3].converged

# %%
fig, axes = plt.subplots(1, 4, figsize=(12, 3.2))
grid = np.linspace(-0.5, 1.5, 201)
G1, G2 = np.meshgrid(grid, grid)
for ax, (gate, (X, t, model, fit)) in zip(axes, runs.items()):
    w1, w2 = model.weight.detach().numpy()
    fires = w1 * G1 + w2 * G2 + model.bias.detach().numpy() >= 0
    ax.contourf(G1, G2, fires, levels=[-0.5, 0.5, 1.5], colors=["#f4f4f4", "#d6e6f5"])
    ax.contour(G1, G2, w1 * G1 + w2 * G2 + model.bias.detach().numpy(), levels=[0], colors="C0")
    for cls, marker, face in ((0, "o", "white"), (1, "s", "black")):
        pts = X[t == cls]
        label = f"target {cls}"
        ax.scatter(*pts.T, marker=marker, s=70, c=face, edgecolors="black", label=label)
    state = "learned" if fit.converged else f"after {fit.epochs} epochs"
    ax.set(title=f"{gate} ({state})", xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
handles, labels = axes[0].get_legend_handles_labels()
fig.legend(handles, labels, loc="lower center", ncol=2, bbox_to_anchor=(0.37, -0.06))
for gate, (_, _, _, fit) in runs.items():
    axes[3].plot(range(1, len(fit.errors) + 1), fit.errors, "o-", ms=3, label=gate)
axes[3].set(xlabel="epoch", ylabel="misclassified samples", ylim=(-0.2, 4.2))
axes[3].set_title("Errors per epoch")
axes[3].legend()
fig.tight_layout(rect=(0, 0.06, 1, 1))
plt.show()

# %% [markdown]
# The blue side of each line is where the perceptron fires. For OR and AND the line puts the
# black squares (target 1) on one side and the white circles (target 0) on the other. For
# XOR the rule keeps chasing its own mistakes: every update that fixes one sample breaks
# another, and the errors never reach zero.
#
# No cleverer rule would help: *no* line separates XOR. A brute-force search over a grid of
# weights and biases finds lines that get OR and AND entirely right, but none that gets more
# than 3 of the 4 XOR samples:

# %%
vals = np.linspace(-2, 2, 41)
W1, W2, B = np.meshgrid(vals, vals, vals, indexing="ij")
for gate in ("OR", "AND", "XOR"):
    X, t = runs[gate][0], runs[gate][1]
    out = W1[..., None] * X[:, 0] + W2[..., None] * X[:, 1] + B[..., None] >= 0
    best = (out == t.astype(bool)).sum(axis=-1).max()
    print(f"{gate:3s}: the best of {W1.size} lines gets {best} of 4 samples right")
assert best == 3  # XOR

# %% [markdown]
# **Summary.** A perceptron is a linear classifier trained by $\vec w \leftarrow \vec w + E\vec x$,
# $b \leftarrow b + E$; it reproduces the notes' OR example exactly (with the bias rule
# corrected) and learns any linearly separable data, but not XOR (Remark 7.1). Separating XOR
# needs a hidden layer, and training hidden layers needs gradients: tutorial 7 starts on
# gradient descent.
