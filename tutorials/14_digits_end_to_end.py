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
# # 14. Beyond the notes: handwritten digits end to end
#
# Everything of tutorials 8–12 in one job: a multilayer network trained by backpropagation
# on mini-batches with SGD and momentum (§14), dropout (§12) and weight decay (§11), with a
# training, a validation and a test set (§11.1). The package ships the job as a command,
# `tinygrad-nn train`. We run it, read what it wrote, load the saved checkpoint into a fresh
# network, and look at its answers on digits it has never seen.

# %%
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_nn as tnn
from tinygrad_nn.data import DataLoader, TensorDataset, random_split
from tinygrad_nn.datasets import load_digits
from tinygrad_nn.train import build_mlp

FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"
EPOCHS = 3 if FAST else 30
WORKDIR = tempfile.TemporaryDirectory(prefix="tinygrad_nn_digits_")  # removed at exit
OUT = Path(WORKDIR.name)  # the outputs go here, not into the repository

# %% [markdown]
# ## The data
#
# 1,797 handwritten digits of 8×8 pixels with 17 grey levels (the UCI "optical recognition"
# set, shipped with the package, no download). `load_digits()` returns the pixels as rows of
# 64 values in $[0, 1]$ and the labels 0–9.

# %%
X, y = load_digits()
print("pixels", X.shape, X.dtype, "labels", y.shape, y.dtype)
print("digits per class:", np.bincount(y))
fig, axes = plt.subplots(2, 10, figsize=(8, 2.2))
for digit in range(10):
    for row, k in enumerate(np.flatnonzero(y == digit)[:2]):
        ax = axes[row, digit]
        ax.imshow(X[k].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[0, digit].set_title(str(digit))
fig.suptitle("Two examples of each class (8×8 pixels)", y=1.02)
plt.show()

# %% [markdown]
# ## The training command
#
# `tinygrad-nn train` (or `python -m tinygrad_nn train`) trains a 64–128–10 ReLU network
# on 70% of the digits, checks it on 15% after every epoch (validation) and measures it once
# on the remaining 15% (test). Its options, with their defaults:

# %%
command = [sys.executable, "-m", "tinygrad_nn", "train"]
help_text = subprocess.run(command + ["--help"], capture_output=True, text=True, check=True)
print(help_text.stdout[help_text.stdout.index("options:") :])

# %% [markdown]
# We run it with its defaults, except the number of epochs and the output folder (a
# temporary one). The same job is a function call from Python,
# `tinygrad_nn.train.train(TrainConfig(epochs=..., out=...))`, which returns the metrics.

# %%
env = dict(os.environ, TQDM_DISABLE="1")
result = subprocess.run(
    command + ["--epochs", str(EPOCHS), "--out", str(OUT), "--no-progress"],
    capture_output=True,
    text=True,
    env=env,
    check=True,
)
print("\n".join(result.stdout.splitlines()[-4:]))
print("files written:", sorted(p.name for p in OUT.iterdir()))

# %% [markdown]
# It wrote the weights (`model.npz`), the numbers (`metrics.json`: the configuration, the
# loss and accuracy of every epoch, the final test result) and a picture of the learning
# curves:

# %%
metrics = json.loads((OUT / "metrics.json").read_text())
config = metrics["config"]
print(
    "configuration:",
    {k: config[k] for k in ("hidden", "lr", "momentum", "dropout", "weight_decay")},
)
print("split sizes:", metrics["sizes"])
print(f"test accuracy: {100 * metrics['test_accuracy']:.2f}%")

curves = plt.imread(OUT / "learning_curves.png")
fig, ax = plt.subplots(figsize=(12, 4.8))
ax.imshow(curves)
ax.set_axis_off()
plt.show()

# %% [markdown]
# ## Loading the checkpoint into a fresh network
#
# `tnn.load(path)` reads the checkpoint back as a dict of tensors named like the
# `state_dict` keys (`0.weight`, `0.bias`, ...). A new network of the same shape, built by
# the same `build_mlp`, takes them with `load_state_dict`; `eval()` switches dropout off.

# %%
state = tnn.load(OUT / "model.npz")
for key, value in state.items():
    print(f"{key:10s} {tuple(value.shape)}")

model = build_mlp([64, *config["hidden"], 10], config["activation"], config["dropout"])
model.load_state_dict(state)
model.eval()
print(model)

# %% [markdown]
# To test it on the same held-out digits, we cut the data as the job did: the split is
# random, but seeded (`--seed`, default 0), so the same seed gives the same three sets.
# The fresh network must score exactly the test accuracy the job reported.

# %%
tnn.manual_seed(config["seed"])
_, _, test_set = random_split(TensorDataset(X, y), config["splits"])
x_test, t_test = next(iter(DataLoader(test_set, batch_size=len(test_set))))
with tnn.no_grad():
    probabilities = model(x_test).softmax(-1).numpy()
predicted = probabilities.argmax(1)
truth = t_test.numpy()
accuracy = (predicted == truth).mean()
print(f"accuracy of the reloaded network on the {len(truth)} test digits: {100 * accuracy:.2f}%")
assert accuracy == metrics["test_accuracy"]

# %% [markdown]
# ## Its answers
#
# The first 30 test digits with the predicted class and the network's confidence (its
# softmax probability); wrong answers in red, with the true label.

# %%
fig, axes = plt.subplots(3, 10, figsize=(9, 3.6))
for k, ax in enumerate(axes.flat):
    ax.imshow(x_test.numpy()[k].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
    right = predicted[k] == truth[k]
    label = f"{predicted[k]} ({100 * probabilities[k].max():.0f}%)"
    if not right:
        label += f"\ntrue {truth[k]}"
    ax.set_title(label, fontsize=8, color="black" if right else "red")
fig.suptitle("Predictions on test digits (prediction and confidence)")
fig.tight_layout()
plt.show()

# %% [markdown]
# The **confusion matrix** counts, for each true class (row), how often each class was
# predicted (column); a perfect classifier puts everything on the diagonal.

# %%
confusion = np.zeros((10, 10), dtype=int)
np.add.at(confusion, (truth, predicted), 1)
fig, ax = plt.subplots(figsize=(5.5, 4.8))
image = ax.imshow(confusion, cmap="Blues")
for (i, j), count in np.ndenumerate(confusion):
    if count:
        color = "white" if count > confusion.max() / 2 else "black"
        ax.text(j, i, str(count), ha="center", va="center", fontsize=8, color=color)
ax.set(xticks=range(10), yticks=range(10), xlabel="predicted class", ylabel="true class")
ax.set_title(f"Confusion matrix\n{len(truth)} test digits, {100 * accuracy:.1f}% right")
fig.colorbar(image, ax=ax, label="number of digits")
plt.show()
assert confusion.sum() == len(truth) and np.trace(confusion) == (predicted == truth).sum()

# %% [markdown]
# The mistakes, if any, are where the picture is ambiguous even to us. The least confident
# correct answers and all the wrong ones:

# %%
confidence = probabilities.max(1)
wrong = np.flatnonzero(predicted != truth)
unsure = [k for k in np.argsort(confidence) if predicted[k] == truth[k]][: max(0, 10 - len(wrong))]
shown = list(wrong[:10]) + unsure
fig, axes = plt.subplots(1, len(shown), figsize=(9, 1.6), squeeze=False)
for ax, k in zip(axes[0], shown):
    ax.imshow(x_test.numpy()[k].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
    color = "red" if predicted[k] != truth[k] else "black"
    ax.set_title(
        f"{predicted[k]} ({100 * confidence[k]:.0f}%)\ntrue {truth[k]}",
        fontsize=8,
        color=color,
    )
fig.suptitle("Wrong (red) and least confident answers: prediction (confidence)", y=1.12)
plt.show()
