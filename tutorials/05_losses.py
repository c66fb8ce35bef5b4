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
# # 5. Losses: MSE, cross-entropy, softmax and one-hot
#
# Notes §6. In supervised learning every input $\vec x$ comes with a target $\vec t$, and an
# **error function** (loss) $E(\vec y, \vec t)$ says how far the network's output $\vec y$ is
# from it: smaller is better. Learning then becomes optimisation,
# $\min_\theta \mathbb{E}\left[E(f(\vec x; \theta), \vec t(\vec x))\right]$ over the weights
# and biases $\theta$. This tutorial computes the notes' losses by their formulas and with
# `tinygrad_nn.nn.functional`, and reproduces Examples 6.1 and 6.2.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_nn as tnn
import tinygrad_nn.nn.functional as F

FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"

# %% [markdown]
# ## Mean squared error (regression)
#
# $$E(\vec y, \vec t) = \frac{1}{N}\sum_{i=1}^{N} \|\vec y_i - \vec t_i\|_2^2$$
#
# averages, over the $N$ samples, the squared distance between output and target (each may be
# a vector). Three samples with two outputs each:

# %%
y = np.array([[0.9, 0.2], [0.4, 0.8], [1.5, -0.3]])
t = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
N = len(y)
E_notes = np.sum((y - t) ** 2) / N
E_sum = F.mse_loss(tnn.tensor(y), tnn.tensor(t), reduction="sum").item()
E_mean = F.mse_loss(tnn.tensor(y), tnn.tensor(t)).item()
print(f"notes' MSE (1/N) sum ||y_i - t_i||^2: {E_notes:.4f}")
print(f"mse_loss(reduction='sum') / N:        {E_sum / N:.4f}")
print(f"mse_loss() (mean over all elements):  {E_mean:.4f}")
assert np.isclose(E_sum / N, E_notes)

# %% [markdown]
# `mse_loss` follows PyTorch and by default averages over *all* elements ($N$ samples × 2
# outputs), which is the notes' value divided by the output size. Either is fine to minimise;
# they differ by a constant factor, which rescales the learning rate.
#
# ## Cross-entropy (two classes)
#
# For a classifier with one output $y_i = P(x_i \to 1 \mid \theta)$, the target $t_i \in \{0, 1\}$
# is a Bernoulli draw: $P(x_i \to t_i \mid \theta) = y_i^{t_i} (1 - y_i)^{1 - t_i}$. The likelihood
# of the whole training set is the product over samples, and its negative logarithm is the
# **cross-entropy**:
#
# $$E(y, t) = -\ln \prod_{i=1}^N y_i^{t_i} (1 - y_i)^{1 - t_i}
#   = -\sum_{i=1}^{N} \big[\, t_i \ln y_i + (1 - t_i) \ln(1 - y_i) \,\big].$$
#
# (The notes drop the brackets, which would apply the minus sign to the first term only.)
# Three ways to compute it give the same number:

# %%
y = np.array([0.9, 0.2, 0.6, 0.99])
t = np.array([1.0, 0.0, 1.0, 0.0])
likelihood = np.prod(y**t * (1 - y) ** (1 - t))
E_formula = -np.sum(t * np.log(y) + (1 - t) * np.log(1 - y))
E_library = F.binary_cross_entropy(tnn.tensor(y), tnn.tensor(t), reduction="sum").item()
print(f"likelihood {likelihood:.5f}, -ln(likelihood) = {-np.log(likelihood):.5f}")
print(f"formula {E_formula:.5f}, binary_cross_entropy(reduction='sum') {E_library:.5f}")
assert np.isclose(E_formula, -np.log(likelihood)) and np.isclose(E_library, E_formula)

# %% [markdown]
# The last sample, confidently wrong ($y$ = 0.99 for $t$ = 0), contributes
# $-\ln 0.01 = 4.6$, most of the total: cross-entropy punishes confident mistakes without
# bound, while the squared error of that sample is at most 1.

# %%
yy = np.linspace(0.001, 0.999, 500)
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(yy, -np.log(yy), label=r"cross-entropy, $t = 1$: $-\ln y$")
ax.plot(yy, -np.log(1 - yy), label=r"cross-entropy, $t = 0$: $-\ln(1 - y)$")
ax.plot(yy, (1 - yy) ** 2, "--", color="C0", label=r"squared error, $t = 1$")
ax.plot(yy, yy**2, "--", color="C1", label=r"squared error, $t = 0$")
ax.set(xlabel="output y (probability of class 1)", ylabel="loss of one sample")
ax.set_ylim(0, 5)
ax.legend(fontsize="small")
plt.show()

# %% [markdown]
# ## Which loss for which output
#
# The notes pair MSE with linear outputs (ReLU, identity) and cross-entropy with the logistic
# output. The gradient shows why. With $y = \sigma(z)$ and target $t = 1$, the autograd
# engine gives $\partial E / \partial z$ for both losses over a range of inputs $z$:

# %%
z = tnn.linspace(-8, 8, 161, dtype=tnn.float64, requires_grad=True)
target = tnn.ones(161, dtype=tnn.float64)
(g_mse,) = tnn.grad(F.mse_loss(z.sigmoid(), target, reduction="sum"), z)
(g_ce,) = tnn.grad(F.binary_cross_entropy(z.sigmoid(), target, reduction="sum"), z)
sig = 1 / (1 + np.exp(-z.detach().numpy()))
# cross-entropy: dE/dz = y - t;  MSE: dE/dz = 2 (y - t) sigma'(z)
assert np.allclose(g_ce.numpy(), sig - 1)
assert np.allclose(g_mse.numpy(), 2 * (sig - 1) * sig * (1 - sig))

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(z.detach().numpy(), g_ce.numpy(), label="cross-entropy: $y - t$")
ax.plot(z.detach().numpy(), g_mse.numpy(), label=r"MSE: $2(y - t)\,\sigma'(z)$")
ax.set(xlabel="input z of the logistic output (target t = 1)")
ax.set_ylabel(r"gradient $\partial E/\partial z$")
ax.axhline(0, color="0.8", lw=0.8)
ax.legend()
plt.show()

# %% [markdown]
# For a badly wrong output ($z \ll 0$ while $t = 1$) the MSE gradient vanishes, because
# $\sigma'(z)$ does: the neuron is stuck. The cross-entropy gradient is $y - t \approx -1$
# there, the strongest push where the error is largest. The $\sigma'$ factor cancels.
#
# ## Softmax (many classes)
#
# With several classes the output layer gets a drive $\vec z$ and turns it into a probability
# vector:
#
# $$\mathrm{softmax}(\vec z)_i = \frac{\exp(z_i)}{\sum_j \exp(z_j)}, \qquad
# \sum_i \mathrm{softmax}(\vec z)_i = 1.$$
#
# **Example 6.1** of the notes: $\vec z = (0.6, 3.4, -1.2, 0.05)$ gives
# $\vec y = (0.06, 0.9, 0.009, 0.031)$.

# %%
z61 = tnn.tensor([0.6, 3.4, -1.2, 0.05], dtype=tnn.float64)
y61 = z61.softmax(dim=0).numpy()
notes61 = np.array([0.06, 0.9, 0.009, 0.031])
print("softmax(z) =", y61.round(4), " sum =", y61.sum())
print("notes:      ", notes61)
assert np.allclose(y61, notes61, rtol=0.1) and np.isclose(y61.sum(), 1.0)

# %% [markdown]
# We get (0.0550, 0.9042, 0.0091, 0.0317): the notes' numbers, printed to one or two
# significant figures (0.0550 shows as 0.06). Adding the same constant to every $z_i$ changes
# nothing, since it cancels between numerator and denominator. The engine uses that to stay
# finite for large inputs, where the formula taken literally overflows:

# %%
with np.errstate(over="ignore", invalid="ignore"):
    naive = np.exp(z61.numpy() + 1000) / np.exp(z61.numpy() + 1000).sum()
print("naive formula at z + 1000:", naive)
print("z.softmax() at z + 1000:  ", (z61 + 1000).softmax(dim=0).numpy().round(4))
assert np.allclose((z61 + 1000).softmax(dim=0).numpy(), y61)

# %% [markdown]
# ## One-hot
#
# **Example 6.2**: one-hot is the extreme of softmax, keeping only the largest element:
# $\vec z = (0.6, 3.4, -1.2, 0.05)$ gives $(0, 1, 0, 0)$. It is also how class labels become
# target vectors: class $k$ of $C$ is the $k$-th row of the $C \times C$ identity.

# %%
y62 = F.one_hot(z61.argmax(), num_classes=4).numpy()
print("one-hot of Example 6.2:", y62)
assert y62.tolist() == [0, 1, 0, 0]
labels = tnn.tensor([2, 0, 3])
print("labels [2, 0, 3] as one-hot rows:\n", F.one_hot(labels, 4).numpy())

fig, axes = plt.subplots(1, 3, figsize=(9, 2.8), sharex=True)
titles = ("drive z", "softmax(z) (Example 6.1)", "one-hot (Example 6.2)")
for ax, values, title in zip(axes, (z61.numpy(), y61, y62), titles):
    ax.bar(range(4), values, color=["C0", "C1", "C0", "C0"])
    ax.set(title=title, xticks=range(4), xlabel="class")
axes[0].set_ylabel("value")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Softmax and cross-entropy together
#
# For $C$ classes the cross-entropy of a softmax output against a one-hot target $\vec t$ is
# $E = -\sum_k t_k \ln \mathrm{softmax}(\vec z)_k$, minus the log-probability of the right
# class, and its gradient is as simple as in the two-class case:
#
# $$\frac{\partial E}{\partial \vec z} = \mathrm{softmax}(\vec z) - \vec t.$$
#
# With Example 6.1's drive and class 1 as the target:

# %%
z = z61.detach().requires_grad_()
E = F.cross_entropy(z[None], tnn.tensor([1]))  # one sample, target: its class index
E.backward()
print(f"E = {E.item():.4f} = -ln(0.9042)")
print("dE/dz =", z.grad.numpy().round(4))
assert np.isclose(E.item(), -np.log(y61[1]))
assert np.allclose(z.grad.numpy(), y61 - y62)
# the target may also be given as one-hot rows (or any probabilities)
one_hot_target = tnn.tensor(y62[None], dtype=tnn.float64)
assert np.isclose(F.cross_entropy(z61[None], one_hot_target).item(), E.item())

# %% [markdown]
# **Summary.** MSE for continuous outputs, cross-entropy for probabilities; softmax makes a
# probability vector of any drive, and its cross-entropy gradient is output minus target. In
# the library: `F.mse_loss`, `F.binary_cross_entropy`, `F.cross_entropy` (softmax included,
# class indices or one-hot targets), `F.one_hot`, and the modules `nn.MSELoss`,
# `nn.BCELoss`, `nn.CrossEntropyLoss`. Tutorial 6 trains a first neuron, without any loss
# gradient: the perceptron.
