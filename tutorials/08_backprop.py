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
# # 8. Backpropagation: by hand, then by the engine
#
# Notes §9–10. Finite differences (tutorial 7) need two forward passes per parameter.
# Backpropagation gets *every* gradient from one forward and one backward pass, by
# applying the chain rule from the loss back to the weights. Here we do it twice: by hand,
# with the matrix formulas of §10, in plain numpy; then with `tinygrad_nn`'s engine. The two
# must agree to the last digit. Then we draw the graph the engine walked.
#
# The network of §9 has 3 inputs, 4 hidden and 2 output neurons, all logistic:
#
# $$
# \vec\alpha = W\vec x + \vec a,\quad \vec h = \sigma(\vec\alpha),\qquad
# \vec\beta = M\vec h + \vec b,\quad \vec y = \sigma(\vec\beta),
# $$
#
# and, for the loss, half the squared error $E = \tfrac12\|\vec y - \vec t\|^2$
# (the notes leave $E$ general; any loss only changes $\partial E/\partial \vec y$).
# The notes' worked text has no numbers here, so we pick random weights.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_nn as tnn
from tinygrad_nn import viz

FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"

rng = np.random.default_rng(0)
x = rng.normal(size=3)
W, a = rng.normal(size=(4, 3)), rng.normal(size=4)
M, b = rng.normal(size=(2, 4)), rng.normal(size=2)
t = np.array([1.0, 0.0])


def sigma(z):
    return 1 / (1 + np.exp(-z))


alpha = W @ x + a
h = sigma(alpha)
beta = M @ h + b
y = sigma(beta)
E = 0.5 * np.sum((y - t) ** 2)
print("h =", h.round(4), " y =", y.round(4), f" E = {E:.6f}")

# %% [markdown]
# ## One weight at a time (§9)
#
# To change $M_{14}$ we follow the one path from $E$ down to it:
#
# $$
# \frac{\partial E}{\partial M_{14}} = \frac{\partial E}{\partial y_1}\,
# \frac{\partial y_1}{\partial \beta_1}\,\frac{\partial \beta_1}{\partial M_{14}}
# = (y_1 - t_1)\;\sigma'(\beta_1)\;h_4 ,\qquad \sigma'(\beta) = y(1-y).
# $$
#
# One layer deeper, $W_{12}$ changes $h_1$, and $h_1$ feeds *both* output neurons, so the
# chain rule sums over both paths (Remark 9.1):
#
# $$
# \frac{\partial E}{\partial W_{12}} = \sigma'(\alpha_1)\Big[
# \frac{\partial E}{\partial \beta_1} M_{11}
# + \frac{\partial E}{\partial \beta_2} M_{21}\Big]\,x_2 .
# $$
#
# (In §9 the biases are printed as $b_i$ and $a_j$ inside sums over $i$ and $j$; they are
# $b_1$ and $a_1$, one bias per neuron.) Indices in the notes start at 1, numpy's at 0.

# %%
dE_dy = y - t
dE_dbeta = dE_dy * y * (1 - y)
dE_dM14 = dE_dy[0] * y[0] * (1 - y[0]) * h[3]
dE_dW12 = h[0] * (1 - h[0]) * (dE_dbeta[0] * M[0, 0] + dE_dbeta[1] * M[1, 0]) * x[1]
print(f"dE/dM14 = {dE_dM14:.8f}")
print(f"dE/dW12 = {dE_dW12:.8f}")

# %% [markdown]
# ## All weights at once: the matrix formulas (§10.1–10.2)
#
# Collect the gradients at the input currents into vectors. Going down one layer multiplies
# by the transposed weights and, element-wise ($\odot$), by the slope of the activation:
#
# $$
# \frac{\partial E}{\partial \vec\beta} = (\vec y - \vec t)\odot \sigma'(\vec\beta),\qquad
# \frac{\partial E}{\partial \vec\alpha} = \sigma'(\vec\alpha)\odot M^T
# \frac{\partial E}{\partial \vec\beta}.
# $$
#
# A weight $W_{ij}$ multiplies $x_j$ into $\alpha_i$, so
# $\partial E/\partial W_{ij} = (\partial E/\partial \alpha_i)\, x_j$: for the whole matrix an
# outer product, the same shape as $W$ (§10.2 leaves this formula blank; §14.1 writes it):
#
# $$
# \frac{\partial E}{\partial M} = \frac{\partial E}{\partial \vec\beta}\,\vec h^{T},\qquad
# \frac{\partial E}{\partial W} = \frac{\partial E}{\partial \vec\alpha}\,\vec x^{T},\qquad
# \frac{\partial E}{\partial \vec b} = \frac{\partial E}{\partial \vec\beta},\qquad
# \frac{\partial E}{\partial \vec a} = \frac{\partial E}{\partial \vec\alpha}.
# $$

# %%
dE_dalpha = h * (1 - h) * (M.T @ dE_dbeta)
by_hand = {
    "W": np.outer(dE_dalpha, x),
    "a": dE_dalpha,
    "M": np.outer(dE_dbeta, h),
    "b": dE_dbeta,
}
assert np.isclose(by_hand["M"][0, 3], dE_dM14) and np.isclose(by_hand["W"][0, 1], dE_dW12)
print("dE/dW =\n", by_hand["W"].round(5))
print("dE/dM =\n", by_hand["M"].round(5))

# %% [markdown]
# ## The same with the engine
#
# Now the same network with tensors. Parameters are created with `requires_grad=True`; the
# forward pass records every operation; `E.backward()` walks the record backwards and
# leaves $\partial E/\partial\theta$ in each parameter's `.grad`. We use float64, so the
# comparison with numpy is exact up to rounding.

# %%
params = {
    name: tnn.tensor(value, requires_grad=True) for name, value in dict(W=W, a=a, M=M, b=b).items()
}
xt, tt = tnn.tensor(x), tnn.tensor(t)
alpha_t = params["W"] @ xt + params["a"]
h_t = alpha_t.sigmoid()
beta_t = params["M"] @ h_t + params["b"]
y_t = beta_t.sigmoid()
E_t = 0.5 * ((y_t - tt) ** 2).sum()
print(f"E: numpy {E:.12f}, engine {E_t.item():.12f}")

# %% [markdown]
# Before calling `backward()` we draw the graph the forward pass recorded. Tensors are
# boxes (blue: inputs that require gradients, dashed: data and constants), operations are
# ellipses. A notebook shows the graph as a picture (as text when graphviz's `dot` program is
# missing); `graph.text()` gives the text anywhere.

# %%
names = {"x": xt, "t": tt, "α": alpha_t, "h": h_t, "β": beta_t, "y": y_t, "E": E_t, **params}
E_t.draw(names=names, title="forward pass of §9's network")

# %% [markdown]
# `E.draw(...)` is short for `viz.draw_graph(E, ...)`. With `backward=True` the arrows
# turn round and each edge carries the share of $\partial E/\partial(\cdot)$ that flows
# along it: $1$ at $E$, then $\vec y - \vec t$, then $\partial E/\partial\vec\beta$,
# and so on down. These are the vectors we computed by hand above:
# $\partial E/\partial\vec\beta$ arrives at $\vec b$,
# $M^T\,\partial E/\partial\vec\beta$ at $\vec h$, $\partial E/\partial\vec\alpha$ at
# $\vec a$. (The drawing computes the gradients itself and leaves `.grad` alone.)

# %%
print("dE/dbeta by hand: ", dE_dbeta.round(5))
print("M^T dE/dbeta:     ", (M.T @ dE_dbeta).round(5))
print("dE/dalpha by hand:", dE_dalpha.round(5))
viz.draw_graph(E_t, names=names, backward=True, title="§9's network, backward")

# %% [markdown]
# Now the engine's gradients, next to the hand-made ones:

# %%
E_t.backward()
for name, p in params.items():
    diff = np.abs(p.grad.numpy() - by_hand[name]).max()
    print(f"dE/d{name}: largest difference engine - hand = {diff:.1e}")
    assert diff < 1e-14

# %%
fig, axes = plt.subplots(2, 2, figsize=(9, 6), gridspec_kw=dict(width_ratios=[3, 4]))
for row, (source, grads) in enumerate(
    [
        ("by hand (numpy)", by_hand),
        ("by the engine", {n: p.grad.numpy() for n, p in params.items()}),
    ]
):
    for col, name in enumerate(["W", "M"]):
        g = grads[name]
        ax = axes[row, col]
        lim = np.abs(by_hand[name]).max()
        ax.imshow(g, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
        for (i, j), v in np.ndenumerate(g):
            color = "white" if abs(v) > 0.6 * lim else "black"
            ax.text(j, i, f"{v:.4f}", ha="center", va="center", fontsize=9, color=color)
        ax.set_title(f"∂E/∂{name} {source}", fontsize=10)
        ax.set_xlabel("column j (input neuron)")
        ax.set_ylabel("row i (output neuron)")
        ax.set_xticks(range(g.shape[1]), [str(j + 1) for j in range(g.shape[1])])
        ax.set_yticks(range(g.shape[0]), [str(i + 1) for i in range(g.shape[0])])
fig.suptitle("The gradients of both weight matrices agree entry by entry")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## A third opinion: finite differences
#
# `tnn.gradcheck` compares the engine's gradient with central differences
# $\big(E(\theta + \epsilon) - E(\theta - \epsilon)\big)/2\epsilon$ of §8, for every entry
# of every input; it raises if any disagree.


# %%
def loss(W, a, M, b):
    y = (M @ (W @ xt + a).sigmoid() + b).sigmoid()
    return 0.5 * ((y - tt) ** 2).sum()


inputs = [tnn.tensor(v, requires_grad=True) for v in (W, a, M, b)]
print("gradcheck passed:", tnn.gradcheck(loss, inputs))

# %% [markdown]
# ## Batches and `nn.Linear`
#
# `nn.Linear` stores the weights as the notes do, `weight[i, j]` from input $j$ to neuron
# $i$, but a batch comes as *rows*: $Z = X W^T + \vec b$, one sample per row (§14.1 puts
# samples in columns; the transpose of everything). With the mean loss over $P$ samples the
# formulas become
#
# $$
# \frac{\partial E}{\partial W} = \Big(\frac{\partial E}{\partial Z}\Big)^T H ,\qquad
# \frac{\partial E}{\partial \vec b} = \sum_{p}\frac{\partial E}{\partial Z_{p,:}} .
# $$

# %%
tnn.manual_seed(0)
net = tnn.nn.Sequential(
    tnn.nn.Linear(3, 4), tnn.nn.Sigmoid(), tnn.nn.Linear(4, 2), tnn.nn.Sigmoid()
)
X = rng.normal(size=(8, 3)).astype(np.float32)
T = rng.uniform(size=(8, 2)).astype(np.float32)
Y = net(tnn.tensor(X))
E_batch = 0.5 * ((Y - tnn.tensor(T)) ** 2).sum(dim=1).mean()
E_batch.backward()

W1, b1 = net[0].weight.detach().numpy(), net[0].bias.detach().numpy()
W2, b2 = net[2].weight.detach().numpy(), net[2].bias.detach().numpy()
H = sigma(X @ W1.T + b1)
Yh = sigma(H @ W2.T + b2)
dZ2 = (Yh - T) * Yh * (1 - Yh) / len(X)  # the mean divides by P
dZ1 = H * (1 - H) * (dZ2 @ W2)
for name, hand, engine in [
    ("layer 2 weight", dZ2.T @ H, net[2].weight.grad),
    ("layer 2 bias", dZ2.sum(0), net[2].bias.grad),
    ("layer 1 weight", dZ1.T @ X, net[0].weight.grad),
    ("layer 1 bias", dZ1.sum(0), net[0].bias.grad),
]:
    print(f"{name:15s} largest difference {np.abs(hand - engine.numpy()).max():.1e}")

# %% [markdown]
# In float32 they agree to about $10^{-8}$, float32's rounding. That is all backpropagation
# is: the chain rule, organised so that each layer's
# $\partial E/\partial \vec z^{(l)}$ is computed once and reused for the layer below.
