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
# # 2. Activation functions and their derivatives
#
# Notes §3. A neuron's activity is low when its input is low and rises towards a maximum as
# the input grows: the LIF rate curve of tutorial 1 has that shape. Artificial networks replace
# it by a smooth *activation function* $\sigma(z)$ of the input current $z$. Learning (§8
# onwards) needs their derivatives $\sigma'(z)$; here the autograd engine computes them and we
# check each against its formula.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_nn as tnn
import tinygrad_nn.nn.functional as F

FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"

# %% [markdown]
# ## The activation functions of the notes (§3.1, §3.2)
#
# $$\text{logistic } \sigma(z) = \frac{1}{1 + e^{-z}}, \qquad \arctan(z), \qquad \tanh(z),
# \qquad \text{threshold } \sigma(z) = \begin{cases} 0 & z < 0 \\ 1 & z \ge 0 \end{cases},
# \qquad \mathrm{ReLU}(z) = \max(0, z).$$
#
# Each is an op on tensors: `z.sigmoid()`, `z.arctan()`, `z.tanh()`, `F.step(z)`, `z.relu()`
# (and modules `nn.Sigmoid()`, ... for building networks).

# %%
z = tnn.linspace(-5, 5, 201, dtype=tnn.float64)
activations = {
    "logistic": lambda t: t.sigmoid(),
    "arctan": lambda t: t.arctan(),
    "tanh": lambda t: t.tanh(),
    "threshold": F.step,
    "ReLU": lambda t: t.relu(),
}
colors = {name: f"C{i}" for i, name in enumerate(activations)}

fig, ax = plt.subplots(figsize=(7, 4))
for name, act in activations.items():
    ax.plot(z.numpy(), act(z).numpy(), color=colors[name], label=name)
ax.set(xlabel="input current z", ylabel=r"activity $\sigma(z)$", ylim=(-1.7, 2.5))
ax.set_title("Activation functions (notes §3)")
ax.axhline(0, color="0.8", lw=0.8)
ax.legend()
plt.show()

# %% [markdown]
# The logistic curve, $\arctan$ and $\tanh$ are all "sigmoid" (S-shaped); they differ in their
# range: (0, 1), $(-\pi/2, \pi/2)$ and (−1, 1). In fact $\tanh$ is a logistic curve stretched and
# shifted, $\tanh(z) = 2\sigma(2z) - 1$:

# %%
gap = (z.tanh() - (2 * (2 * z).sigmoid() - 1)).abs().max().item()
print(f"max |tanh(z) - (2 sigma(2z) - 1)| = {gap:.2e}")
assert gap < 1e-12

# %% [markdown]
# ## Derivatives by the engine
#
# Every activation acts element by element: $y_i = \sigma(z_i)$. So the gradient of
# $\sum_i y_i$ with respect to $z$ has the entries $\partial y_i / \partial z_i = \sigma'(z_i)$,
# and one backward pass gives the derivative at all 201 points at once:


# %%
def derivative(act, z):
    """sigma'(z) at every point of z, by reverse-mode autograd."""
    z = z.detach().requires_grad_()
    act(z).sum().backward()
    return z.grad


# %% [markdown]
# The formulas to compare with:
#
# $$\sigma'(z) = \sigma(z)\,(1 - \sigma(z)), \qquad \arctan'(z) = \frac{1}{1 + z^2}, \qquad
# \tanh'(z) = 1 - \tanh^2(z), \qquad \mathrm{ReLU}'(z) = \begin{cases} 0 & z < 0 \\ 1 & z > 0
# \end{cases}.$$

# %%
zs = z.numpy()
sig = 1 / (1 + np.exp(-zs))
formulas = {
    "logistic": sig * (1 - sig),
    "arctan": 1 / (1 + zs**2),
    "tanh": 1 - np.tanh(zs) ** 2,
    "ReLU": (zs > 0).astype(float),
}
for name, exact in formulas.items():
    by_engine = derivative(activations[name], z).numpy()
    err = np.abs(by_engine - exact).max()
    print(f"{name:9s} max |autograd - formula| = {err:.1e}")
    assert err < 1e-12

# %% [markdown]
# They agree to rounding error. At $z = 0$ ReLU has a kink and no derivative; the engine uses
# 0 there, as PyTorch does. The threshold function is flat everywhere except at the jump:
# its derivative is 0 almost everywhere, so `F.step` passes no gradient at all (its output is
# not even part of a graph). That is why threshold neurons are trained with the perceptron
# rule (tutorial 6) and not by gradient descent.

# %%
relu_at_0 = derivative(lambda t: t.relu(), tnn.tensor([0.0])).item()
print("ReLU'(0) by the engine:", relu_at_0)
threshold_out = F.step(z.detach().requires_grad_())
print("threshold output requires grad:", threshold_out.requires_grad)

fig, ax = plt.subplots(figsize=(7, 4))
for name, exact in formulas.items():
    ax.plot(zs, exact, color=colors[name], lw=1, label=f"{name} (formula)")
    by_engine = derivative(activations[name], z).numpy()
    ax.plot(zs[::8], by_engine[::8], "o", ms=3, color=colors[name])
ax.axhline(0, color=colors["threshold"], ls="--", lw=1, label="threshold (0 a.e.)")
ax.plot([], [], "ko", ms=3, label="autograd")
ax.set(xlabel="input current z", ylabel=r"slope $\sigma'(z)$")
ax.set_title("Derivatives: formula and autograd")
ax.legend(fontsize="small")
plt.show()

# %% [markdown]
# Two things in this picture matter later. The logistic slope is never more than
# $\sigma'(0) = 1/4$: every logistic layer a gradient passes through shrinks it by at least 4,
# the vanishing gradients of §13. And all three sigmoid curves are nearly flat for large
# $|z|$ (saturation), where a neuron barely learns. ReLU's slope is 1 for every positive input.

# %%
print("largest logistic slope:", formulas["logistic"].max())
assert formulas["logistic"].max() == 0.25

# %% [markdown]
# ## Second derivatives
#
# The engine can differentiate its own backward pass: with `create_graph=True`,
# `tnn.grad` returns a gradient that is itself part of a graph. For the logistic function,
# $\sigma''(z) = \sigma'(z)\,(1 - 2\sigma(z))$.

# %%
zg = z.detach().requires_grad_()
(d1,) = tnn.grad(zg.sigmoid().sum(), zg, create_graph=True)
(d2,) = tnn.grad(d1.sum(), zg)
exact2 = sig * (1 - sig) * (1 - 2 * sig)
print(f"max |sigma'' by autograd - formula| = {np.abs(d2.numpy() - exact2).max():.1e}")
assert np.allclose(d2.numpy(), exact2, atol=1e-12)

# %% [markdown]
# `tnn.gradcheck` does the same comparison against central differences (notes §8.1), for any
# function, with a random direction and every element checked; `tnn.gradgradcheck` checks the
# second derivatives:

# %%
point = tnn.tensor(np.random.default_rng(0).normal(size=5), requires_grad=True)
for name in ("logistic", "arctan", "tanh"):
    assert tnn.gradcheck(activations[name], [point])
    assert tnn.gradgradcheck(activations[name], [point])
print("gradcheck and gradgradcheck pass for logistic, arctan and tanh")

# %% [markdown]
# **Summary.** The five activations of §3 are ops of the engine; their derivatives come from
# one backward pass and equal the textbook formulas to rounding error. Tutorial 3 returns to
# spiking neurons and how their spikes reach the next neuron.
