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
# # 9. Training, testing and overfitting; weight decay and data augmentation
#
# Notes §11. What we want from a network is good answers on samples it has *not* seen.
# So we split the labelled data: a **training set** to learn from and a **test set** to
# measure the result. One pass through the training set is an **epoch**. A model with many
# degrees of freedom can drive the training error to almost nothing by fitting the noise of
# its few samples: that is **overfitting**, and the test error gives it away. Two remedies of
# §11.2: weight decay and data augmentation.

# %%
import os
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_nn as tnn
from tinygrad_nn import nn, optim
from tinygrad_nn.data import RandomRotation, RandomShift
from tinygrad_nn.datasets import load_digits, noisy_line

FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"
EPOCHS = 300 if FAST else 2000
EVERY = 10  # epochs between two measurements of the errors

# %% [markdown]
# ## Example 11.1: a noisy line
#
# The samples come from the ideal mapping $u = 0.4x - 0.9$ plus noise. `noisy_line` draws
# $x$ uniformly in $[-1, 1]$ and adds Gaussian noise of standard deviation $0.1$ (the notes
# do not print their samples). Like the notes we train on **5** samples, and test on a new
# set (200 samples). Since the noise has variance $0.1^2$, even the ideal line scores an MSE
# of about $0.01$ on the test set: no model can do better on average.

# %%
gen = np.random.default_rng(2)
x_train, u_train = noisy_line(5, generator=gen)
x_test, u_test = noisy_line(200, generator=gen)
X, U, X_test, U_test = (tnn.tensor(a) for a in (x_train, u_train, x_test, u_test))
ideal_test = float(np.mean((0.4 * x_test - 0.9 - u_test) ** 2))
print(f"MSE of the ideal line on the test set: {ideal_test:.4f}")

# %% [markdown]
# The network of the example: 1 input, **1000** hidden neurons, 1 output with a linear
# (identity) activation for regression, MSE loss. The notes do not name the hidden activation;
# we use ReLU. Each epoch is one gradient step on all 5 samples (SGD with momentum 0.9).
#
# Weight decay (§11.2) adds a penalty on the size of the weights to the loss,
#
# $$
# \tilde E(\vec y, \vec t; \theta) = E(\vec y, \vec t) + \lambda \|\theta\|_F^2,\qquad
# \frac{\partial \tilde E}{\partial \theta_i}
# = \frac{\partial E}{\partial \theta_i} + 2\lambda\theta_i ,
# $$
#
# so `train` takes the notes' $\lambda$ and hands $2\lambda$ to `optim.SGD(weight_decay=...)`,
# which adds $\text{weight\_decay}\cdot\theta$ to every gradient.


# %%
def mse(model, x, u):
    with tnn.no_grad():
        return nn.functional.mse_loss(model(x), u).item()


def train(lam, epochs=EPOCHS, seed=0):
    """Train the 1-1000-1 network with penalty lam * ||theta||^2; return it and its
    training and test errors, measured every EVERY epochs."""
    tnn.manual_seed(seed)
    model = nn.Sequential(nn.Linear(1, 1000), nn.ReLU(), nn.Linear(1000, 1))
    opt = optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=2 * lam)
    curves = {"train": [], "test": []}
    for epoch in range(epochs + 1):
        if epoch % EVERY == 0:
            curves["train"].append(mse(model, X, U))
            curves["test"].append(mse(model, X_test, U_test))
        opt.zero_grad()
        nn.functional.mse_loss(model(X), U).backward()
        opt.step()
    return model, curves


model, curves = train(lam=0.0)
print(f"MSE before training:            {curves['train'][0]:.3f}   (notes: 0.956)")
print(f"MSE on the training set after:  {curves['train'][-1]:.5f} (notes: 0.00069)")
print(f"MSE on the test set after:      {curves['test'][-1]:.5f} (notes: 0.01565)")
assert curves["test"][-1] > 3 * curves["train"][-1]

# %% [markdown]
# Our numbers are not the notes' (different samples, initial weights and hidden activation),
# but the story is the same: the training error falls far below the noise level $0.01$,
# which is only possible by fitting the noise, and the test error stays well above it.

# %% [markdown]
# ## Weight decay
#
# First a check that the optimizer option really is the notes' penalty: one step of
# `SGD(weight_decay=2λ)` on $E$ and one step of plain SGD on $E + \lambda\|\theta\|^2$
# (with `F.l2_penalty`) land on the same weights.

# %%
lam = 0.01
steps = {}
for how in ("optimizer", "penalty"):
    tnn.manual_seed(0)
    net = nn.Sequential(nn.Linear(1, 1000), nn.ReLU(), nn.Linear(1000, 1))
    opt = optim.SGD(net.parameters(), lr=0.01, weight_decay=2 * lam if how == "optimizer" else 0)
    loss = nn.functional.mse_loss(net(X), U)
    if how == "penalty":
        loss = loss + lam * nn.functional.l2_penalty(net.parameters())
    loss.backward()
    opt.step()
    steps[how] = np.concatenate([p.detach().numpy().ravel() for p in net.parameters()])
print("largest difference:", np.abs(steps["optimizer"] - steps["penalty"]).max())
assert np.allclose(steps["optimizer"], steps["penalty"], atol=1e-7)

# %% [markdown]
# Now train the same network for a range of $\lambda$ and watch the errors at the end of
# training. A little decay costs some training error and buys test error; too much pulls
# every weight to zero and the model can no longer follow even the line.

# %%
lams = [1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1]
final = {"train": [], "test": []}
runs = {}
for lam in lams:
    runs[lam] = train(lam)
    for split in final:
        final[split].append(runs[lam][1][split][-1])
best = lams[int(np.argmin(final["test"]))]
for lam, tr, te in zip(lams, final["train"], final["test"]):
    print(f"λ = {lam:<6g}  train MSE {tr:.5f}  test MSE {te:.5f}")
print(f"best λ on the test set: {best}")
assert min(final["test"]) < curves["test"][-1]

# %%
grid = tnn.linspace(-1, 1, 400).reshape(-1, 1)
fig, (ax_fit, ax_curve, ax_lam) = plt.subplots(1, 3, figsize=(13, 3.8))
ax_fit.scatter(x_test, u_test, s=8, color="0.75", label="test samples")
ax_fit.plot(grid.numpy(), 0.4 * grid.numpy() - 0.9, "k:", label="ideal $u = 0.4x - 0.9$")
with tnn.no_grad():
    ax_fit.plot(grid.numpy(), model(grid).numpy(), color="C3", label="no decay")
    ax_fit.plot(grid.numpy(), runs[best][0](grid).numpy(), color="C0", label=f"λ = {best:g}")
ax_fit.scatter(x_train, u_train, s=40, color="k", zorder=3, label="5 training samples")
ax_fit.set(xlabel="input x", ylabel="output u", title="What the network learnt")
ax_fit.legend(fontsize=8)

epochs = np.arange(0, EPOCHS + 1, EVERY)
for (name, c), color in zip([("no decay", curves), (f"λ = {best:g}", runs[best][1])], ["C3", "C0"]):
    ax_curve.plot(epochs, c["train"], color=color, ls="--", label=f"train, {name}")
    ax_curve.plot(epochs, c["test"], color=color, label=f"test, {name}")
ax_curve.axhline(ideal_test, color="k", ls=":", lw=1, label="ideal line on test")
ax_curve.set(xlabel="epoch", ylabel="MSE", yscale="log", title="Training and test error")
ax_curve.legend(fontsize=8)

ax_lam.plot(lams, final["train"], "o--", color="C2", label="train")
ax_lam.plot(lams, final["test"], "o-", color="C1", label="test")
ax_lam.axhline(curves["test"][-1], color="C3", lw=1, label="test, no decay")
ax_lam.axhline(ideal_test, color="k", ls=":", lw=1, label="ideal line on test")
ax_lam.set(xscale="log", yscale="log", xlabel="weight decay λ", ylabel=f"MSE after {EPOCHS} epochs")
ax_lam.set_title("Error against λ")
ax_lam.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# Without decay the test error *rises* while the training error keeps falling: the network
# is learning the noise. The L1 penalty $L_1(\theta) = \sum_i|\theta_i|$
# (`F.l1_penalty`) works the same way but pushes most weights to exactly zero.
#
# Choosing $\lambda$ (or the number of epochs, or the number of neurons) by looking at the
# test set is itself a way of fitting the test set. The notes' answer: hold back a third
# piece, a **validation set**, for tuning, and look at the test set once at the end;
# `tnn.data.random_split(dataset, [0.7, 0.15, 0.15])` cuts the three.

# %% [markdown]
# ## The same experiment as a sweep, over seeds
#
# One training run per $\lambda$ hides how much of the curve is luck: the initial weights
# are random. `tnn.sweep.run` repeats the experiment for every $\lambda$ and several seeds
# (the seed sets the initial weights; the 5 samples stay the same) and returns one row per
# run. Each row is also saved in `results.csv` as soon as its run finishes, and running the
# same sweep again skips the runs already done (the user guide's page on sweeps,
# `docs/guide/sweeps.md`, tells more).
#
# Here `client="serial"` runs the trials one after another in this process. Without it the
# sweep starts a Dask `LocalCluster` with one worker process per core (`pip install
# 'tinygrad_nn[sweep]'`); in a script, start it under `if __name__ == "__main__":`.


# %%
def decay_trial(lam, seed):
    """One run of the experiment: the final training and test errors."""
    _, c = train(lam, seed=seed)
    return {"train_mse": c["train"][-1], "test_mse": c["test"][-1]}


out = Path(tempfile.mkdtemp()) / "decay"  # a folder of your own, e.g. runs/decay
grid = {"lam": [1e-3, 1e-2, 3e-2, 1e-1]}
table = tnn.sweep.run(decay_trial, grid, seeds=3, client="serial", out=out)
print((out / "results.csv").read_text()[:300], "...")
for g in tnn.sweep.summarize(table, by=["lam"]):
    print(f"λ = {g['lam']:<6g} test MSE {g['test_mse_mean']:.4f} ± {g['test_mse_std']:.4f}")

# %%
fig, ax = plt.subplots(figsize=(5.5, 3.8))
tnn.sweep.plot(table, "lam", "train_mse", ax=ax, label="train", color="C2", ls="--")
tnn.sweep.plot(table, "lam", "test_mse", ax=ax, label="test", color="C1")
ax.axhline(ideal_test, color="k", ls=":", lw=1, label="ideal line on test")
ax.set(yscale="log", xlabel="weight decay λ", ylabel=f"MSE after {EPOCHS} epochs")
ax.set_title("Error against λ: mean ± std over the seeds")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# The error bars (one standard deviation over the seeds) are small next to the effect of
# $\lambda$. With little decay the test error varies a little with the initial weights; with
# strong decay hardly at all, since the penalty pulls every start towards the same weights.
# The dip of the test error at moderate $\lambda$ is the decay's doing, not luck.

# %% [markdown]
# ## Data augmentation
#
# The other remedy is more data. For images, shifted or rotated copies of a sample are new
# valid samples *with the same label*. `RandomShift` and `RandomRotation` draw a fresh shift
# or angle for each image each time they are called, so every epoch sees different copies.
# Here on the 8×8 handwritten digits (stored as rows of 64 pixels, hence `image_shape=8`):

# %%
Xd, yd = load_digits()
tnn.manual_seed(0)
shift = RandomShift(1, image_shape=8)
rotation = RandomRotation(15, image_shape=8)
originals = Xd[:8]
rows = [("original", originals)]
rows += [(f"shifted ±1 px ({k + 1})", shift(originals)) for k in range(2)]
rows += [(f"rotated ±15° ({k + 1})", rotation(originals)) for k in range(2)]
fig, axes = plt.subplots(len(rows), 8, figsize=(8, 5.4))
for r, (title, images) in enumerate(rows):
    for c in range(8):
        ax = axes[r, c]
        ax.imshow(images[c].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        if r == 0:
            ax.set_title(f"label {yd[c]}", fontsize=9)
    axes[r, 0].set_ylabel(title, rotation=0, ha="right", va="center", fontsize=9)
fig.suptitle("Augmented digits keep their labels")
fig.tight_layout()
plt.show()

# %% [markdown]
# Does it help? Train a small network on only 100 digits, with and without augmentation,
# and test on the other 1,697; repeat for a few random splits. Augmentation must make samples
# that *could* occur: the digits of this data set were centred in their box before
# downsampling, so a shifted digit looks like no test digit, while small rotations mimic
# real slant.


# %%
def digit_accuracy(augment, seed, epochs=100 if FAST else 300):
    """Test accuracy of a 64-64-10 network trained on 100 random digits (full batches)."""
    perm = np.random.default_rng(seed).permutation(len(Xd))
    train_idx, test_idx = perm[:100], perm[100:]
    tnn.manual_seed(seed)
    net = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    opt = optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    x, t = tnn.tensor(Xd[train_idx]), tnn.tensor(yd[train_idx])
    for _ in range(epochs):
        opt.zero_grad()
        nn.functional.cross_entropy(net(augment(x)), t).backward()
        opt.step()
    with tnn.no_grad():
        return float((net(tnn.tensor(Xd[test_idx])).numpy().argmax(1) == yd[test_idx]).mean())


augments = {
    "none": lambda x: x,
    "rotate ±10°": RandomRotation(10, image_shape=8),
    "shift ±1 px": RandomShift(1, image_shape=8),
}
seeds = range(2 if FAST else 4)
accuracy = {name: [digit_accuracy(f, s) for s in seeds] for name, f in augments.items()}
print("test accuracy (%) on", len(seeds), "random splits")
for name, accs in accuracy.items():
    print(
        f"  augmentation {name:12s}",
        "  ".join(f"{100 * a:.1f}" for a in accs),
        f"  mean {100 * np.mean(accs):.1f}",
    )
assert np.mean(accuracy["shift ±1 px"]) < np.mean(accuracy["none"])

# %% [markdown]
# Small rotations help a little (half a point on average with only 100 training digits,
# not on every split); shifts by a whole pixel, an eighth of the image, cost several points.
# On 28×28 MNIST digits, where a pixel is a smaller step, shifts do help.
