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
# # 15. Beyond the notes: convolutional networks
#
# The layers of the notes connect every input to every neuron (§5.1). An image has
# structure the dense layer ignores: a stroke means the same thing wherever it is. A
# *convolutional* layer applies one small set of weights, a filter, at every position. This
# tutorial shows what a convolution computes, how it is computed (windows and one matrix
# product), why its backward pass is again a convolution (the chain rule of §9–10), and what a
# small CNN trained on the 8×8 digits has learned: its filters and feature maps, drawn.

# %%
import os
import tempfile

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_nn as tnn
from tinygrad_nn.datasets import load_digits
from tinygrad_nn.nn import functional as F
from tinygrad_nn.train import TrainConfig, build_cnn, train

FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"
EPOCHS = 2 if FAST else 30
tnn.manual_seed(0)

# %% [markdown]
# ## What a convolution computes
#
# A 2-D convolution layer (as in PyTorch, strictly a cross-correlation) with filters
# $w[o, c, k, l]$ of size $K \times K$ maps input channels $x[c]$ to output channels
#
# $$y[o, i, j] = b_o + \sum_{c} \sum_{k, l} w[o, c, k, l]\; x[c,\, i s + k,\, j s + l],$$
#
# a weighted sum over the window at $(i, j)$, the same weights at every position (stride $s$;
# padding adds zeros around $x$, or with `padding_mode="reflect"`, `"replicate"` or
# `"circular"` its mirror image, its edge or its periodic continuation, as `F.pad` gives
# them). Below, the sum written out as loops, for one digit and a vertical-edge filter,
# against `F.conv2d`.

# %%
X, y = load_digits()
digit = X[0].reshape(1, 1, 8, 8)  # a zero: (N, C, H, W)
edge = np.array([[[[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]]], np.float32)  # Sobel

by_hand = np.zeros((6, 6), np.float32)
for i in range(6):
    for j in range(6):
        by_hand[i, j] = (edge[0, 0] * digit[0, 0, i : i + 3, j : j + 3]).sum()
out = F.conv2d(tnn.tensor(digit), tnn.tensor(edge)).numpy()[0, 0]
print("largest difference, loops vs F.conv2d:", np.abs(by_hand - out).max())
assert np.allclose(by_hand, out, atol=1e-6)

fig, axes = plt.subplots(1, 3, figsize=(8, 2.8))
panels = [
    (digit[0, 0], "input digit", "gray_r"),
    (edge[0, 0], "filter (Sobel, vertical edges)", "RdBu_r"),
    (out, "output: edge map", "RdBu_r"),
]
for ax, (img, title, cmap) in zip(axes, panels):
    lim = np.abs(img).max()
    ax.imshow(img, cmap=cmap, vmin=0 if cmap == "gray_r" else -lim, vmax=lim)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
plt.show()

# %% [markdown]
# The filter takes the right column of each window from its left column: the output is
# negative (blue) on the zero's left side, where the ink lies to the right, and positive
# (red) on its right side. The two sides of the stroke light up with opposite signs.
#
# ## How it is computed: windows and one matrix product
#
# Loops over pixels are slow in Python. The windows of the input can instead be taken as a
# *view* (no copy: `ops.Windows`, the one windowing op that convolution, pooling and `unfold`
# share), laid out as the columns of a matrix ("im2col"): column $p$ holds the $C K^2$ inputs
# of output position $p$. The convolution is then one product,
#
# $$Y = W_{\text{rows}} \, X_{\text{cols}} + b, \qquad
# W_{\text{rows}} \in \mathbb{R}^{O \times C K^2}, \quad
# X_{\text{cols}} \in \mathbb{R}^{C K^2 \times L}.$$

# %%
cols = F.unfold(tnn.tensor(digit), kernel_size=3)  # (N, C*K*K, L) = (1, 9, 36)
print("columns:", cols.shape)
product = tnn.tensor(edge).reshape(1, 9) @ cols[0]  # (1, 9) @ (9, 36)
assert np.allclose(product.numpy().reshape(6, 6), out, atol=1e-6)
print("W_rows @ X_cols equals the convolution")

# %% [markdown]
# ## The backward pass is a convolution too
#
# With the upstream gradient $\bar y = \partial E / \partial y$, the chain rule through the
# sum above gives (stride 1, no padding)
#
# $$\bar w[o, c, k, l] = \sum_{i, j} \bar y[o, i, j]\; x[c, i + k, j + l], \qquad
# \bar x[c, u, v] = \sum_{o} \sum_{k, l} \bar y[o, u - k, v - l]\; w[o, c, k, l].$$
#
# The first is a convolution of the input with $\bar y$ as the filter; the second a *full*
# convolution of $\bar y$ with the flipped filters, which is what `conv_transpose2d`
# computes. In the engine neither is written by hand: the matmul's two gradients, then
# col2im (the adjoint of taking windows, which adds every window's gradient back where it
# came from). The check: autograd's gradients against these two formulas.

# %%
rng = np.random.default_rng(0)
x = tnn.tensor(rng.standard_normal((1, 2, 7, 7)), requires_grad=True)
w = tnn.tensor(rng.standard_normal((3, 2, 3, 3)), requires_grad=True)
g = rng.standard_normal((1, 3, 5, 5))
(F.conv2d(x, w) * tnn.tensor(g)).sum().backward()

# w-bar: input channels as the batch, y-bar's channels as filters
w_bar = F.conv2d(x.detach().permute(1, 0, 2, 3), tnn.tensor(g).permute(1, 0, 2, 3))
x_bar = F.conv_transpose2d(tnn.tensor(g), w.detach())
print(
    "weight gradient, largest difference:",
    np.abs(w_bar.permute(1, 0, 2, 3).numpy() - w.grad.numpy()).max(),
)
print("input gradient, largest difference: ", np.abs(x_bar.numpy() - x.grad.numpy()).max())
assert np.allclose(w_bar.permute(1, 0, 2, 3).numpy(), w.grad.numpy())
assert np.allclose(x_bar.numpy(), x.grad.numpy())

# %% [markdown]
# ## A small CNN on the digits
#
# `tinygrad-nn train --model cnn` trains this network (`train.build_cnn`): two 3×3
# convolutions with 16 and 32 filters (zero padding keeps 8×8), ReLU after each, 2×2 max
# pooling to 32 maps of 4×4, dropout, then the MLP head of tutorial 14 (512 → 128 → 10).
# Same data split, SGD with momentum, same loop; here called from Python.

# %%
workdir = tempfile.TemporaryDirectory(prefix="tinygrad_nn_cnn_")  # removed at exit
config = TrainConfig(model="cnn", epochs=EPOCHS, out=workdir.name, progress=False, plot=False)
print(build_cnn(config.hidden, config.activation, config.dropout))
metrics = train(config)
print(f"test accuracy after {EPOCHS} epochs: {100 * metrics['test_accuracy']:.2f}%")
assert metrics["test_accuracy"] >= (0.985 if EPOCHS >= 30 else 0.5)  # the bar of the job

# %% [markdown]
# On the same split the MLP of tutorial 14 makes a few more mistakes; the CNN gets there
# with fewer parameters in its first layers, because each filter is shared by all 64
# positions. Its checkpoint loads into a fresh network of the same configuration.
#
# ## The learned filters and feature maps

# %%
model = build_cnn(config.hidden, config.activation, config.dropout)
model.load_state_dict(tnn.load(os.path.join(workdir.name, "model.npz")))
model.eval()
filters = model[1].weight.detach().numpy()[:, 0]  # (16, 3, 3), the first layer
fig, axes = plt.subplots(2, 8, figsize=(8, 2.4))
for ax, f in zip(axes.flat, filters):
    lim = np.abs(f).max()
    ax.imshow(f, cmap="RdBu_r", vmin=-lim, vmax=lim)
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle("the 16 learned 3×3 filters of the first layer (red +, blue −)", fontsize=10)
plt.show()

# %% [markdown]
# Several first-layer filters are small edge and stroke detectors, a positive side next to
# a negative one at some orientation; others are less tidy (on 8×8 digits a 3×3 filter sees
# a third of the image). What they respond to shows in the feature maps, the
# channels after each convolution and ReLU, for one test digit:

# %%
sample = tnn.tensor(X[y == 3][0:1])
with tnn.no_grad():
    maps1 = model[:3](sample).numpy()[0]  # Unflatten, Conv2d, ReLU: (16, 8, 8)
    maps2 = model[:5](sample).numpy()[0]  # then the second Conv2d and ReLU: (32, 8, 8)
fig, axes = plt.subplots(3, 9, figsize=(8, 3.0))
axes[0, 0].imshow(X[y == 3][0].reshape(8, 8), cmap="gray_r")
axes[0, 0].set_title("input", fontsize=8)
for ax, m in zip(list(axes[0, 1:]) + list(axes[1, 1:]), maps1):
    ax.imshow(m, cmap="magma")
for ax, m in zip(axes[2, 1:], maps2[np.argsort(-maps2.sum((1, 2)))[:8]]):
    ax.imshow(m, cmap="magma")
axes[1, 0].text(0.5, 0.5, "layer 1\n16 maps", ha="center", va="center", fontsize=8)
axes[2, 0].text(0.5, 0.5, "layer 2\n8 busiest\nof 32", ha="center", va="center", fontsize=8)
for ax in axes.flat:
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(ax in axes[0, 1:] or ax in axes[1, 1:] or ax in axes[2, 1:])
plt.show()

# %% [markdown]
# Each first-layer map is the digit seen through one filter: some keep its left edges, some
# its tops or its diagonal strokes. The second layer combines them into larger, more
# specific parts, which the max pooling then makes insensitive to shifts of a pixel. The
# dense head reads the 32 pooled maps and decides.
