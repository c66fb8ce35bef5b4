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
# # 12. Batches, stochastic gradient descent and momentum
#
# Notes §14. Three ways to make gradient descent faster: process many samples at once as
# one matrix (**batch** gradient descent, §14.1); update after each small random chunk of
# the data instead of after all of it (**mini-batch / stochastic** gradient descent, §14.2);
# and smooth the steps with a running average of the gradients (**momentum**, §14.3). We
# watch the optimizers walk on 2-D loss surfaces, where every step can be drawn.

# %%
import os
import time

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_nn as tnn
from tinygrad_nn import nn, optim
from tinygrad_nn.data import DataLoader, TensorDataset
from tinygrad_nn.datasets import load_digits, noisy_line

FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"

# %% [markdown]
# ## Batch gradient descent (§14.1)
#
# Put the $P$ samples side by side in a matrix and one matrix product computes every
# hidden layer for all of them. The notes put samples in columns,
# $Z^{(1)} = W^{(1)} X + \vec b\,[1 \cdots 1]$; `nn.Linear` puts them in rows,
# $Z = X W^T + \vec b$, the transpose. The loss is the mean over the batch,
# $E = \frac1P \sum_p E(\vec y_p, \vec t_p)$, so its gradient is the mean of the
# per-sample gradients, and backpropagation handles the whole batch with the same formulas:
# $\partial E/\partial W^{(l)} = \partial E/\partial Z^{(l+1)}\,(H^{(l)})^T$.
# We check this against a loop over the samples one by one, and time both.

# %%
X, y = load_digits()
xb, tb = tnn.tensor(X[:200]), tnn.tensor(y[:200])
tnn.manual_seed(0)
mlp = nn.Sequential(nn.Linear(64, 32), nn.Sigmoid(), nn.Linear(32, 10))

start = time.perf_counter()
mlp.zero_grad()
nn.functional.cross_entropy(mlp(xb), tb).backward()
batch_seconds = time.perf_counter() - start
batch_grad = mlp[0].weight.grad.numpy().copy()

start = time.perf_counter()
loop_grad = np.zeros_like(batch_grad)
for p in range(len(xb)):
    mlp.zero_grad()
    nn.functional.cross_entropy(mlp(xb[p : p + 1]), tb[p : p + 1]).backward()
    loop_grad += mlp[0].weight.grad.numpy() / len(xb)
loop_seconds = time.perf_counter() - start
difference = np.abs(batch_grad - loop_grad).max()
print(f"largest difference batch - mean of 200 single gradients: {difference:.1e}")
print(f"time: one batch of 200 {1e3 * batch_seconds:.2f} ms,", end=" ")
print(f"200 single samples {1e3 * loop_seconds:.1f} ms")
assert np.allclose(batch_grad, loop_grad, atol=1e-6)

# %% [markdown]
# ## Batch, mini-batch and single-sample updates (§14.2)
#
# A full batch gives the exact gradient but only one update per pass over the data (per
# epoch). Mini-batches of a few samples, drawn at random, give a noisy estimate of it but many
# updates per epoch. `DataLoader(dataset, batch_size, shuffle=True)` deals a fresh random
# order each epoch and cuts it into batches.
#
# To see the steps, fit a line $u = w x + b$ to 200 noisy samples of $u = 0.4x - 0.9$
# (tutorial 9's data set) by MSE. There are only two parameters, so the loss is a surface
# over the $(w, b)$ plane, and each update is a step on it. All three runs see the data for
# the same number of epochs with the same learning rate.

# %%
x_line, u_line = noisy_line(200, generator=np.random.default_rng(0))
line_data = TensorDataset(x_line, u_line)
EPOCHS = 5 if FAST else 10


def fit_line(batch_size, lr=0.1, epochs=EPOCHS):
    """Plain SGD on (w, b) from (-1, 0.5); returns the path and the loss after each epoch."""
    tnn.manual_seed(0)
    w, b = tnn.tensor([-1.0], requires_grad=True), tnn.tensor([0.5], requires_grad=True)
    opt = optim.SGD([w, b], lr=lr)
    loader = DataLoader(line_data, batch_size=batch_size, shuffle=True)
    xs, us = tnn.tensor(x_line), tnn.tensor(u_line)
    path, losses = [(w.item(), b.item())], [nn.functional.mse_loss(xs * w + b, us).item()]
    start = time.perf_counter()
    for _ in range(epochs):
        for x, u in loader:
            opt.zero_grad()
            nn.functional.mse_loss(x * w + b, u).backward()
            opt.step()
            path.append((w.item(), b.item()))
        losses.append(nn.functional.mse_loss(xs * w + b, us).detach().item())
    seconds = (time.perf_counter() - start) / epochs
    return np.array(path), np.array(losses), seconds


runs = {size: fit_line(size) for size in (200, 20, 1)}
for size, (path, losses, seconds) in runs.items():
    print(
        f"batch size {size:3d}: {len(path) - 1:4d} updates, final (w, b) = "
        f"({path[-1, 0]:+.3f}, {path[-1, 1]:+.3f}), MSE {losses[-1]:.4f}, "
        f"{1e3 * seconds:.1f} ms per epoch"
    )
A = np.c_[x_line, np.ones_like(x_line)]
w_best, b_best = np.linalg.lstsq(A, u_line, rcond=None)[0][:, 0]
print(f"least squares: (w, b) = ({w_best:+.3f}, {b_best:+.3f})   ideal line: (+0.400, -0.900)")
assert runs[20][1][-1] < runs[200][1][-1]

# %%
Wg, Bg = np.meshgrid(np.linspace(-1.2, 1.2, 200), np.linspace(-1.5, 0.7, 200))
surface = ((Wg[..., None] * x_line[:, 0] + Bg[..., None] - u_line[:, 0]) ** 2).mean(-1)
fig, (ax_path, ax_loss) = plt.subplots(1, 2, figsize=(11, 4.2))
ax_path.contour(Wg, Bg, surface, levels=np.geomspace(0.011, 2, 14), colors="0.8")
names = {200: "full batch (200)", 20: "mini-batches of 20", 1: "single samples"}
for (size, (path, losses, _)), color in zip(runs.items(), ["C0", "C1", "C2"]):
    label = f"{names[size]}: {len(path) - 1} steps"
    ax_path.plot(path[:, 0], path[:, 1], ".-", ms=2, lw=0.8, color=color, label=label)
    ax_loss.plot(losses, "o-", ms=3, color=color, label=names[size])
ax_path.plot(w_best, b_best, "k*", ms=14, mec="w", zorder=5, label="minimum")
ax_path.set(xlabel="slope w", ylabel="intercept b", title=f"SGD paths over {EPOCHS} epochs")
ax_path.legend(fontsize=8, loc="upper right")
ax_loss.set(xlabel="epoch", ylabel="MSE on all 200 samples", yscale="log", title="Loss per epoch")
ax_loss.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# Per epoch, the full batch makes the least progress: one exact step per epoch. Mini-batches
# get there in a few epochs along a slightly wobbly path. Single samples get there too but
# never settle: with a fixed learning rate each noisy step kicks the parameters around the
# minimum, and an epoch of 200 small updates costs far more time than one matrix product.
# Mini-batches are the usual compromise.

# %% [markdown]
# ## Momentum (§14.3)
#
# The notes borrow from physics: let the gradient be an *acceleration* and integrate it into
# a velocity $V'$, then move the weights by the velocity. In the convex form, for each weight
# matrix,
#
# $$
# V' \leftarrow \beta V' + (1 - \beta)\frac{\partial E}{\partial W},\qquad
# W \leftarrow W - \kappa V', \qquad V' = 0 \text{ at the start}.
# $$
#
# (The notes print $V' = \beta V' - (1-\beta)\,\partial E/\partial W$ with the same update
# of $W$: with that minus sign the weights move *up* the gradient, as checked below.)
#
# `optim.SGD` uses PyTorch's form, with momentum $\mu$ and dampening $\tau$:
#
# $$
# v \leftarrow \mu v + (1-\tau)\, g,\qquad \theta \leftarrow \theta - \text{lr}\; v,
# \qquad v = g \text{ at the first step}.
# $$
#
# Dividing the notes' velocity by $1-\beta$ shows that their rule is **exactly**
# `SGD(lr=(1 - β) * κ, momentum=β)`. The often-quoted `SGD(lr=κ, momentum=β, dampening=β)`
# follows the same recursion but starts with $V' = \partial E/\partial W$ instead of
# $(1-\beta)\,\partial E/\partial W$: its first step is $1/(1-\beta)$ times larger, and its
# path stays offset after that. (The notes' first form,
# $V \leftarrow (1-r)V - \partial E/\partial W$ with $W \leftarrow W + \kappa V$, is
# PyTorch's with $\mu = 1 - r$ and $V = -v$.)


# %%
def bowl(theta):
    r"""An elongated bowl, $E(a, b) = \frac12 (a^2 + 25 b^2)$."""
    return 0.5 * (theta[0] ** 2 + 25 * theta[1] ** 2)


def descend(fn, start, make_optimizer, steps):
    """The path of an optimizer on fn(theta) for a 2-vector theta, starting at start."""
    theta = tnn.tensor(start, dtype=tnn.float64, requires_grad=True)
    opt = make_optimizer([theta])
    path = [theta.detach().numpy().copy()]
    for _ in range(steps):
        opt.zero_grad()
        fn(theta).backward()
        opt.step()
        path.append(theta.detach().numpy().copy())
    return np.array(path)


def notes_momentum(fn, start, kappa, beta, steps, sign=+1):
    """The notes' rule by hand; sign=-1 is the rule as printed, with the slip."""
    theta = tnn.tensor(start, dtype=tnn.float64, requires_grad=True)
    velocity = np.zeros(2)
    path = [theta.detach().numpy().copy()]
    for _ in range(steps):
        theta.grad = None
        fn(theta).backward()
        velocity = beta * velocity + sign * (1 - beta) * theta.grad.numpy()
        with tnn.no_grad():
            theta.sub_(kappa * velocity)
        path.append(theta.detach().numpy().copy())
    return np.array(path)


kappa, beta, start = 0.075, 0.6, [-4.0, 1.2]
by_hand = notes_momentum(bowl, start, kappa, beta, 40)
exact = descend(bowl, start, lambda p: optim.SGD(p, lr=(1 - beta) * kappa, momentum=beta), 40)
damped = descend(bowl, start, lambda p: optim.SGD(p, lr=kappa, momentum=beta, dampening=beta), 40)
print("after step 1: notes", by_hand[1], " SGD(lr=(1-β)κ, momentum=β)", exact[1])
print("              SGD(lr=κ, momentum=β, dampening=β)", damped[1])
print(f"largest difference over 40 steps: {np.abs(by_hand - exact).max():.1e} (exact form),",
      f"{np.abs(by_hand - damped).max():.2f} (dampening form)")  # fmt: skip
assert np.allclose(by_hand, exact)

slip = notes_momentum(bowl, start, kappa, beta, 10, sign=-1)
print("loss along the rule as printed:", [round(float(bowl(p)), 1) for p in slip[::3]])
assert bowl(slip[-1]) > bowl(slip[0])

# %% [markdown]
# ## Optimizer paths on 2-D loss surfaces
#
# On the elongated bowl, plain gradient descent with a step $\kappa$ near its limit
# (it diverges for $\kappa > 2/25$, the steep direction's curvature being 25) zig-zags
# across the valley and crawls along it. Momentum averages the zig-zag away and keeps the
# consistent part of the gradient; with $\beta = 0.6$ it stays stable with twice the step,
# $\kappa = 0.15$, where gradient descent would blow up. Adam (Kingma & Ba, beyond the
# notes) divides each coordinate's step by a running root-mean-square of its gradients, so
# both directions move at about the same speed whatever their curvature.
#
# The second surface is Rosenbrock's banana, $E(a, b) = (1-a)^2 + 100\,(b - a^2)^2$, with
# its minimum at $(1, 1)$ at the end of a long, curved, nearly flat valley. Here momentum
# $\beta = 0.9$ with `lr` as for gradient descent (a notes' $\kappa$ ten times larger) races
# along the valley floor.


# %%
def banana(theta):
    return (1 - theta[0]) ** 2 + 100 * (theta[1] - theta[0] ** 2) ** 2


STEPS = 300 if FAST else 1000
surfaces = {
    "bowl": (bowl, [-4.0, 1.2], 40, (-4.5, 1.0, -1.5, 1.5), (0, 0), {
        "gradient descent, κ = 0.075": lambda p: optim.SGD(p, lr=0.075),
        "momentum β = 0.6, κ = 0.15": lambda p: optim.SGD(p, lr=0.4 * 0.15, momentum=0.6),
        "Adam, lr = 0.3": lambda p: optim.Adam(p, lr=0.3),
    }),
    "banana": (banana, [-1.5, 2.0], STEPS, (-2.0, 2.0, -1.0, 3.0), (1, 1), {
        "gradient descent, lr = 0.001": lambda p: optim.SGD(p, lr=1e-3),
        "momentum β = 0.9, lr = 0.001": lambda p: optim.SGD(p, lr=1e-3, momentum=0.9),
        "Adam, lr = 0.1": lambda p: optim.Adam(p, lr=0.1),
    }),
}  # fmt: skip
paths = {
    name: {label: descend(fn, s, make, steps) for label, make in optimizers.items()}
    for name, (fn, s, steps, _, _, optimizers) in surfaces.items()
}
for name, (fn, *_) in surfaces.items():
    for label, path in paths[name].items():
        print(f"{name:6s} {label:30s} after {len(path) - 1:4d} steps: E = {fn(path[-1]):.2e}")
final = {name: {k: surfaces[name][0](p[-1]) for k, p in v.items()} for name, v in paths.items()}
assert final["bowl"]["momentum β = 0.6, κ = 0.15"] < final["bowl"]["gradient descent, κ = 0.075"]
assert final["banana"]["Adam, lr = 0.1"] < final["banana"]["gradient descent, lr = 0.001"]

# %%
fig, axes = plt.subplots(2, 2, figsize=(11, 8.5), gridspec_kw=dict(width_ratios=[1.3, 1]))
for row, (name, (fn, _, _, box, minimum, _)) in enumerate(surfaces.items()):
    ax_path, ax_loss = axes[row]
    A, B = np.meshgrid(np.linspace(box[0], box[1], 300), np.linspace(box[2], box[3], 300))
    E = fn([A, B])
    ax_path.contour(A, B, E, levels=np.geomspace(1e-2, E.max(), 20), colors="0.8", linewidths=0.8)
    for (label, path), color in zip(paths[name].items(), ["C0", "C1", "C2"]):
        ax_path.plot(path[:, 0], path[:, 1], ".-", ms=2.5, lw=1, color=color, label=label)
        ax_path.plot(*path[-1], "o", ms=7, color=color, mec="k", zorder=3)  # where it ended
        ax_loss.semilogy(np.maximum([fn(p) for p in path], 1e-12), color=color, label=label)
    ax_path.plot(*minimum, "k*", ms=12, label="minimum")
    ax_path.set(xlim=box[:2], ylim=box[2:], xlabel="a", ylabel="b")
    ax_path.set_title(f"{'Elongated bowl' if name == 'bowl' else 'Rosenbrock banana'}: paths")
    ax_path.legend(fontsize=8, loc="upper right" if name == "bowl" else "lower right")
    ax_loss.set(xlabel="step", ylabel="loss E(a, b)", title="Loss along the path")
fig.tight_layout()
plt.show()

# %% [markdown]
# Which optimizer wins depends on the surface and on the settings: momentum that is too
# large overshoots and circles, and Adam's per-coordinate scaling can wander on the bowl
# before it settles. In practice mini-batch SGD with momentum $\approx 0.9$, or Adam, are the
# defaults; `tinygrad-nn train` (tutorial 14) uses SGD with momentum.
