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
# # 11. Vanishing and exploding gradients
#
# Notes §13. Backpropagation multiplies, layer after layer, by the weights and by the slope
# of the activation. The logistic function's slope is at most $1/4$, and nearly 0 where the
# input current is large, so in a deep logistic network the gradient shrinks on its way
# down and the first layers hardly learn: **vanishing gradients**. With large weights and
# just the right biases it can grow instead: **exploding gradients**. We reproduce the
# notes' numbers, then measure the gradient at every layer of deep networks with
# `nn.gradient_norms`.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_nn as tnn
from tinygrad_nn import nn, optim
from tinygrad_nn.data import DataLoader, TensorDataset, random_split
from tinygrad_nn.datasets import load_digits

FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"

# %% [markdown]
# ## The slope of the logistic function (§13.1)
#
# For $y = \sigma(z)$, $\;dy/dz = y(1-y)$. At $z = 5$: $y = 0.9933$ and the slope is only
# $0.0066$; at $z = 0.1$: $y = 0.525$ and the slope is $0.249$, almost 40 times larger.
# At $z = 4$: $\sigma(4) = 0.982$, $\sigma'(4) = 0.0177$. Autograd gives the slopes
# directly: the gradient of $\sum_k \sigma(z_k)$ with respect to $z_k$ is $\sigma'(z_k)$.

# %%
z = tnn.tensor([5.0, 0.1, 4.0], dtype=tnn.float64, requires_grad=True)
y = z.sigmoid()
y.sum().backward()
notes = {5.0: (0.9933, 0.0066), 0.1: (0.525, 0.249), 4.0: (0.982, 0.0177)}
for zk, yk, slope in zip(z.detach().numpy(), y.detach().numpy(), z.grad.numpy()):
    ny, ns = notes[float(zk)]
    print(f"z = {zk:3}: sigma = {yk:.4f} (notes {ny}), slope = {slope:.4f} (notes {ns})")
    assert np.isclose(yk, ny, atol=5e-4) and np.isclose(slope, ns, atol=5e-4)
ratio = z.grad.numpy()[1] / z.grad.numpy()[0]
print(f"slope at 0.1 / slope at 5 = {ratio:.1f} ('almost 40 times larger')")

# %% [markdown]
# The numbers agree to the digits the notes print ($\sigma'(5) = 0.006648$; the ratio
# "almost 40" is $0.2494/0.006648 = 37.5$).
#
# One layer further down, the notes take $\partial E/\partial \vec z^{(4)} \approx 0.01$
# and input currents of about 4 in the penultimate layer, so
#
# $$
# \frac{\partial E}{\partial \vec z^{(3)}} = \sigma'(4) \odot (W^{(3)})^T (0.01)
# = 0.000177 \odot (W^{(3)})^T
# $$
#
# (below with $W^{(3)} = 1$).
# The steepest slope is $1/4$, at $z = 0$ where $\sigma(z) = 1/2$ (the notes say "at
# $\sigma(z) = 0$", a slip: $\sigma(z)(1-\sigma(z))$ is largest at $\sigma = 1/2$).

# %%
g4 = tnn.full((1,), 0.01, dtype=tnn.float64)
z3 = tnn.tensor([4.0], dtype=tnn.float64, requires_grad=True)
W3 = tnn.ones(1, 1, dtype=tnn.float64)
z4 = W3 @ z3.sigmoid()
(g3,) = tnn.grad(z4, z3, grad_outputs=g4)
print(f"dE/dz3 = {g3.item():.6f}  (notes: 0.000177)")
assert np.isclose(g3.item(), 0.000177, atol=1e-6)

zs = np.linspace(-8, 8, 401)
zt = tnn.tensor(zs, requires_grad=True)
zt.sigmoid().sum().backward()
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.plot(zs, 1 / (1 + np.exp(-zs)), label=r"$\sigma(z)$")
ax.plot(zs, zt.grad.numpy(), label=r"$\sigma'(z) = \sigma(z)(1-\sigma(z))$ (autograd)")
for zk, offset in ((0.1, (8, 4)), (4.0, (-40, 22)), (5.0, (10, 10))):
    s = 1 / (1 + np.exp(-zk))
    ax.plot(zk, s * (1 - s), "ko", ms=4)
    ax.annotate(f"σ'({zk:g}) = {s * (1 - s):.4f}", (zk, s * (1 - s)), offset,
                textcoords="offset points", fontsize=8)  # fmt: skip
ax.axhline(0.25, color="0.6", ls=":", lw=1)
ax.set(xlabel="input current z", ylabel="value", title="The logistic function and its slope")
ax.legend(loc="upper left", fontsize=8)
plt.show()

# %% [markdown]
# ## Example 13.1: a deep chain of single neurons
#
# Five logistic neurons in a row, $z^{(i+1)} = w^{(i)} \sigma(z^{(i)}) + b^{(i)}$,
# $y = \sigma(z^{(5)})$, with the cross-entropy loss, so that
# $\partial E/\partial z^{(5)} = y - t$. Backpropagation gives one product,
#
# $$
# \frac{\partial E}{\partial z^{(1)}} = (y - t)\prod_{i=1}^{4} w^{(i)}\,\sigma'(z^{(i)}),
# $$
#
# and with $|w| \le 1$ each factor is at most $1/4$: the gradient shrinks by a factor of at
# least 4 per layer. We check the product against the engine for random weights.

# %%
rng = np.random.default_rng(3)
w = rng.uniform(-1, 1, size=4)
b = rng.uniform(-1, 1, size=4)
x0 = 0.8
zs_chain = [tnn.tensor(x0, dtype=tnn.float64, requires_grad=True)]  # z^(1)
for i in range(4):
    zs_chain.append(w[i] * zs_chain[-1].sigmoid() + b[i])
for zi in zs_chain:
    zi.retain_grad()
y5 = zs_chain[-1].sigmoid()
t5 = tnn.tensor(1.0, dtype=tnn.float64)
nn.functional.binary_cross_entropy(y5, t5).backward()
slopes = [zi.sigmoid().item() * (1 - zi.sigmoid().item()) for zi in zs_chain[:4]]
by_formula = (y5.item() - 1.0) * np.prod(w * np.array(slopes))
print(f"dE/dz5 = {zs_chain[4].grad.item():+.6f}   y - t = {y5.item() - 1:+.6f}")
print(f"dE/dz1 = {zs_chain[0].grad.item():+.3e}   product formula {by_formula:+.3e}")
for i, zi in enumerate(zs_chain, 1):
    print(f"  |dE/dz{i}| = {abs(zi.grad.item()):.2e}")
assert np.isclose(zs_chain[0].grad.item(), by_formula)

# %% [markdown]
# ## Example 13.2: exploding gradients
#
# The same chain with weights $8$ and biases $-4$, and an input of $1/2$: then every input
# current is $8 \cdot \tfrac12 - 4 = 0$, every neuron sits at the steepest point of the
# logistic curve, and each layer multiplies the gradient by
# $w\,\sigma'(0) = 8 \cdot \tfrac14 = 2$. Over four layers:
# $\partial E/\partial z^{(1)} = 16\, \partial E/\partial z^{(5)}$.

# %%
x_in = tnn.tensor(0.5, dtype=tnn.float64)
zs_exp = [8 * x_in - 4]
zs_exp[0].requires_grad_()
for _ in range(4):
    zs_exp.append(8 * zs_exp[-1].sigmoid() - 4)
for zi in zs_exp:
    zi.retain_grad()
nn.functional.binary_cross_entropy(
    zs_exp[-1].sigmoid(), tnn.tensor(0.0, dtype=tnn.float64)
).backward()
factor = zs_exp[0].grad.item() / zs_exp[-1].grad.item()
print("input currents:", [zi.item() for zi in zs_exp])
print(f"dE/dz1 / dE/dz5 = {factor:g}  (notes: 16)")
assert factor == 16.0

# %% [markdown]
# This is rarer than vanishing: the weights must be large *and* the biases must cancel them
# so that the currents land on the steep part of the curve.
#
# ## Per-layer gradient norms
#
# For a layer of many neurons the notes measure the size of the gradient at its input
# currents by its norm (13.1),
#
# $$
# \Big\|\frac{\partial E}{\partial \vec z^{(l)}}\Big\|^2
# = \sum_j \Big(\frac{\partial E}{\partial z^{(l)}_j}\Big)^2 .
# $$
#
# `nn.gradient_norms(model, x, target, loss_fn)` runs one forward and backward pass and
# returns this norm at the output of every `Linear` layer, from the input side up (summed
# over the batch). The notes' example: a 5-layer network of 4-neuron logistic layers
# with one output, with norms $0.0094,\ 0.0316,\ 0.2266,\ 0.7598$ from layer 1 to layer 4.
# Their weights are not given, so we draw ours; the trend is what carries over.

# %%
tnn.manual_seed(1)
chain = nn.Sequential(
    nn.Linear(4, 4), nn.Sigmoid(),
    nn.Linear(4, 4), nn.Sigmoid(),
    nn.Linear(4, 4), nn.Sigmoid(),
    nn.Linear(4, 1), nn.Sigmoid(),
)  # fmt: skip
for layer in chain:
    if isinstance(layer, nn.Linear):
        nn.init.normal_(layer.weight, 0.0, 2.0)  # larger weights, as in §13.1's set-up
x4, t4 = tnn.randn(1, 4), tnn.tensor([[1.0]])
norms = nn.gradient_norms(chain, x4, t4, nn.BCELoss())
notes_norms = [0.0094, 0.0316, 0.2266, 0.7598]
for k, ((name, value), theirs) in enumerate(zip(norms.items(), notes_norms), 1):
    print(f"layer {k} (module {name}): norm {value:.4f}   notes: {theirs}")
values = list(norms.values())
assert all(a < b for a, b in zip(values, values[1:]))

# %% [markdown]
# ## Deep networks: logistic against ReLU
#
# Now ten layers (64 inputs, nine hidden layers of 32 neurons, 10 outputs) on a batch of
# digits, with the cross-entropy loss. Three versions: logistic neurons and ReLU neurons
# with the default initialisation (PyTorch's: uniform in $\pm 1/\sqrt{n_\text{in}}$), and
# ReLU with **He initialisation** (`nn.init.kaiming_uniform_`, variance $2/n_\text{in}$),
# chosen so that the signal, and the gradient, keep their size through ReLU layers.

# %%
X, y = load_digits()
SIZES = [64] + [32] * 9 + [10]


def deep_net(activation, he_init=False, seed=0):
    tnn.manual_seed(seed)
    layers = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
        linear = nn.Linear(n_in, n_out)
        if he_init:
            nn.init.kaiming_uniform_(linear.weight, nonlinearity="relu")
        layers += [linear, activation()]
    return nn.Sequential(*layers[:-1])  # no activation after the last layer


variants = {
    "logistic": lambda: deep_net(nn.Sigmoid),
    "ReLU": lambda: deep_net(nn.ReLU),
    "ReLU, He init": lambda: deep_net(nn.ReLU, he_init=True),
}
xb, tb = tnn.tensor(X[:256]), tnn.tensor(y[:256])
layer_norms = {
    name: list(nn.gradient_norms(make(), xb, tb, nn.CrossEntropyLoss()).values())
    for name, make in variants.items()
}
for name, v in layer_norms.items():
    print(f"{name:14s} layer 1: {v[0]:.1e}  layer 10: {v[-1]:.1e}  ratio {v[-1] / v[0]:.0e}")
assert layer_norms["logistic"][-1] / layer_norms["logistic"][0] > 1e5
assert max(layer_norms["ReLU, He init"]) / min(layer_norms["ReLU, He init"]) < 3

# %% [markdown]
# Does it matter for learning? Train each network for a few epochs with the same optimizer.

# %%
tnn.manual_seed(0)
train_set, test_set = random_split(TensorDataset(X, y), [0.8, 0.2])
EPOCHS = 3 if FAST else 10
curves = {}
for name, make in variants.items():
    model = make()
    opt = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loader = DataLoader(train_set, batch_size=32, shuffle=True)
    losses = []
    for _ in range(EPOCHS):
        for xs, ts in loader:
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(xs), ts)
            loss.backward()
            opt.step()
            losses.append(loss.item())
    xt, tt = next(iter(DataLoader(test_set, batch_size=len(test_set))))
    with tnn.no_grad():
        accuracy = (model(xt).numpy().argmax(1) == tt.numpy()).mean()
    curves[name] = (np.array(losses), accuracy)
    print(f"{name:14s} test accuracy after {EPOCHS} epochs: {100 * accuracy:.1f}%")
assert curves["ReLU, He init"][1] > curves["logistic"][1]

# %%
fig, (ax_bar, ax_loss) = plt.subplots(1, 2, figsize=(11, 4))
layers = np.arange(1, len(SIZES))
width = 0.27
for k, (name, v) in enumerate(layer_norms.items()):
    ax_bar.bar(layers + (k - 1) * width, v, width, label=name)
ax_bar.set(yscale="log", xlabel="layer l (1 = next to the input)", xticks=layers)
ax_bar.set(ylabel=r"$\|\partial E / \partial z^{(l)}\|$", title="Gradient norm per layer")
ax_bar.set_ylim(top=30)
ax_bar.legend(fontsize=8, ncol=3, loc="upper left")
for name, (losses, accuracy) in curves.items():
    smooth = np.convolve(losses, np.ones(10) / 10, mode="valid")
    ax_loss.plot(smooth, label=f"{name} (test acc. {100 * accuracy:.0f}%)")
ax_loss.set(xlabel="mini-batch step", ylabel="training loss (mean of 10 steps)", ylim=(0, 2.5))
ax_loss.set_title("Training the 10-layer networks")
ax_loss.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# The logistic network's first layer gets a gradient some $10^7$ times smaller than its
# last: its first layers barely move and its loss stalls at $\ln 10 \approx 2.3$, chance
# level. ReLU's slope is 1 wherever it is active, so with He initialisation the gradient
# keeps its size from layer 10 down to layer 1, and the network trains. ReLU alone is not
# enough: with the default initialisation its weights are too small, the gradient fades by a
# factor of about 3,000 over the ten layers, and that network does not learn either.
