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
# # 10. Dropout and deep networks
#
# Notes §12. **Dropout** (§12.1) fights overfitting by training, for each sample, a randomly
# thinned network: a large fraction of the hidden neurons (typically half) is set to zero.
# We check that the notes' recipe (double the weights leaving a thinned layer) and the
# library's *inverted dropout* (double the surviving activities) are the same network, then
# measure what dropout does to the gap between training and test error. Last, **depth**
# (§12.2): one hidden layer can approximate any function, but deeper networks can do it with
# far fewer neurons.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_nn as tnn
from tinygrad_nn import nn, optim
from tinygrad_nn.data import DataLoader, TensorDataset
from tinygrad_nn.datasets import load_digits

FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"

# %% [markdown]
# ## The notes' dropout and inverted dropout
#
# In training, the first hidden layer computes $\hat h^1 = \sigma(z^1)$,
# $z^1 = W^0 x + b^1$, and a random mask $m^1$ of zeros and ones keeps each neuron with
# probability $1/2$: $h^1 = \hat h^1 \odot m^1$. Half the input current to the next layer is
# now missing, so the notes double the weights leaving the thinned layer:
#
# $$
# z^2 = (2W^1)\,h^1 + b^2 = W^1 (2h^1) + b^2 .
# $$
#
# `nn.Dropout(p)` does the right-hand form: it zeroes each element with probability $p$ and
# multiplies the survivors by $1/(1-p)$ (here 2). Same mask, same $z^2$. We take the mask the
# library drew and redo the notes' computation by hand.

# %%
tnn.manual_seed(0)
net = nn.Sequential(nn.Linear(6, 8), nn.Sigmoid(), nn.Dropout(0.5), nn.Linear(8, 3))
x = tnn.randn(1, 6)
t = tnn.tensor([[1.0, 0.0, 0.0]])

z1 = net[0](x)
z1.retain_grad()
h_hat = net[1](z1)
h_dropped = net[2](h_hat)  # inverted dropout: 0 or 2 * h_hat
z2 = net[3](h_dropped)
E = 0.5 * ((z2 - t) ** 2).sum()
E.backward()

W0, W1, b2 = (p.detach().numpy() for p in (net[0].weight, net[3].weight, net[3].bias))
m = (h_dropped.detach().numpy() != 0).astype(np.float32)[0]
h1 = h_hat.detach().numpy()[0] * m  # the notes' h^1 = h_hat * m
z2_notes = (2 * W1) @ h1 + b2
print("mask m^1:             ", m.astype(int))
print("z^2, inverted dropout:", z2.detach().numpy()[0].round(6))
print("z^2, notes (2W^1) h^1:", z2_notes.round(6))
assert np.allclose(z2.detach().numpy()[0], z2_notes, atol=1e-6)

# %% [markdown]
# The backward pass agrees too. In the notes' notation, with
# $\mathfrak h^1 = 2h^1$,
#
# $$
# \frac{\partial E}{\partial W^1} = \frac{\partial E}{\partial z^2}\,(\mathfrak h^1)^T ,\qquad
# \frac{\partial E}{\partial z^1} = \frac{\partial h^1}{\partial z^1}\odot (2W^1)^T
# \frac{\partial E}{\partial z^2},\qquad
# \frac{\partial h^1}{\partial z^1} = m^1\odot \hat h^1 (1 - \hat h^1).
# $$
#
# The notes warn against a shortcut: the logistic slope is $h(1-h)$, but it must be taken
# from $h^1$, not from the doubled $\mathfrak h^1$, since
# $\mathfrak h^1(1-\mathfrak h^1) = 2h^1(1-2h^1) \ne 2h^1(1-h^1)$.

# %%
dE_dz2 = (z2 - t).detach().numpy()[0]
s = h_hat.detach().numpy()[0]
dE_dW1 = np.outer(dE_dz2, 2 * h1)
dE_dz1 = m * s * (1 - s) * ((2 * W1).T @ dE_dz2)
h_frak = 2 * h1
dE_dz1_wrong = m * h_frak * (1 - h_frak) * (W1.T @ dE_dz2)
print("dE/dW^1 largest difference:", np.abs(dE_dW1 - net[3].weight.grad.numpy()).max())
print("dE/dz^1, engine:           ", z1.grad.numpy()[0].round(5))
print("dE/dz^1, notes' formula:   ", dE_dz1.round(5))
print("dE/dz^1, slope from 2h:    ", dE_dz1_wrong.round(5), " <- wrong")
assert np.allclose(dE_dW1, net[3].weight.grad.numpy(), atol=1e-6)
assert np.allclose(dE_dz1, z1.grad.numpy()[0], atol=1e-6)
assert not np.allclose(dE_dz1_wrong, dE_dz1, atol=1e-3)

# %% [markdown]
# After training the whole network is used, with its weights as learnt (`net.eval()` turns
# dropout into the identity). That is right because the factor 2 makes the *average*
# thinned network equal the whole one: $\mathbb E[2 m_i] = 1$. Averaging $z^2$ over many
# random masks gives the eval-mode $z^2$:

# %%
n_masks = 20_000 if FAST else 200_000
with tnn.no_grad():
    net.train()
    z2_masks = net(x.expand(n_masks, 6)).numpy()
    net.eval()
    z2_eval = net(x).numpy()[0]
print("mean z^2 over", n_masks, "masks:", z2_masks.mean(0).round(3))
print("z^2 in eval mode:        ", z2_eval.round(3))
assert np.allclose(z2_masks.mean(0), z2_eval, atol=0.02)

# %% [markdown]
# ## Dropout against overfitting
#
# Why does it work? (Question 12.1.) Each sample trains a different thinned network, so the
# result is like an ensemble of $2^N$ networks that share their weights; and no neuron can
# count on a particular partner being present, so the network cannot rely on fragile
# combinations of neurons.
#
# An experiment: a network with two hidden layers of 128 ReLU neurons, trained on only
# 200 of the 8×8 digits (the rest is the test set), with and without dropout of $p = 0.5$
# after each hidden layer.

# %%
X, y = load_digits()
perm = np.random.default_rng(0).permutation(len(X))
train_idx, test_idx = perm[:200], perm[200:]
splits = {
    "train": (tnn.tensor(X[train_idx]), tnn.tensor(y[train_idx])),
    "test": (tnn.tensor(X[test_idx]), tnn.tensor(y[test_idx])),
}
EPOCHS = 80 if FAST else 150
EVERY = 5


def run(p):
    tnn.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(64, 128), nn.ReLU(), nn.Dropout(p),
        nn.Linear(128, 128), nn.ReLU(), nn.Dropout(p),
        nn.Linear(128, 10),
    )  # fmt: skip
    opt = optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    loader = DataLoader(TensorDataset(X[train_idx], y[train_idx]), batch_size=50, shuffle=True)
    history = {f"{s} {q}": [] for s in splits for q in ("loss", "accuracy")}
    for epoch in range(EPOCHS + 1):
        if epoch % EVERY == 0:
            model.eval()
            with tnn.no_grad():
                for split, (xs, ys) in splits.items():
                    out = model(xs)
                    history[f"{split} loss"].append(nn.functional.cross_entropy(out, ys).item())
                    acc = (out.numpy().argmax(1) == ys.numpy()).mean()
                    history[f"{split} accuracy"].append(100 * acc)
        model.train()
        for xb, yb in loader:
            opt.zero_grad()
            nn.functional.cross_entropy(model(xb), yb).backward()
            opt.step()
    return history


histories = {p: run(p) for p in (0.0, 0.5)}
for p, h in histories.items():
    print(
        f"dropout p = {p}: train loss {h['train loss'][-1]:.3f}, "
        f"test loss {h['test loss'][-1]:.3f}, test accuracy {h['test accuracy'][-1]:.1f}%"
    )
assert histories[0.5]["test loss"][-1] < histories[0.0]["test loss"][-1]

# %%
epochs = np.arange(0, EPOCHS + 1, EVERY)
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3.8))
for p, color in ((0.0, "C3"), (0.5, "C0")):
    h = histories[p]
    label = "no dropout" if p == 0 else f"dropout p = {p}"
    ax_loss.plot(epochs, h["train loss"], "--", color=color, label=f"train, {label}")
    ax_loss.plot(epochs, h["test loss"], color=color, label=f"test, {label}")
    ax_acc.plot(epochs, h["test accuracy"], color=color, label=f"test, {label}")
ax_loss.set(
    xlabel="epoch", ylabel="cross-entropy", yscale="log", title="Loss (200 training digits)"
)
ax_acc.set(xlabel="epoch", ylabel="accuracy (%)", title="Test accuracy", ylim=(80, 100))
ax_loss.legend(fontsize=8)
ax_acc.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# Both networks drive the training loss towards zero, but with dropout the test loss ends
# lower and the test accuracy higher: a smaller gap between training and test. (Both losses
# are measured in eval mode, with no neuron dropped.) Dropout also slows the start: each
# step trains a network with only half its neurons.

# %% [markdown]
# ## Deep networks (§12.2)
#
# The **universal approximation theorem**: for a non-constant, bounded, increasing,
# continuous $\phi$, any continuous $f$ on $[0,1]^m$ can be approximated as closely as we
# like by one hidden layer,
#
# $$
# F(x) = \sum_{i=1}^N v_i\, \phi(w_i^T x + b_i),\qquad |F(x) - f(x)| < \epsilon ,
# $$
#
# given enough hidden neurons $N$. Below, $N$ logistic neurons fitted to
# $f(x) = \sin(5\pi x)$: more neurons, closer fit.

# %%
xs = tnn.linspace(0, 1, 200).reshape(-1, 1)
target = tnn.tensor(np.sin(5 * np.pi * xs.numpy()))
fits = {}
for n_hidden in (2, 4, 8):
    tnn.manual_seed(0)
    F = nn.Sequential(nn.Linear(1, n_hidden), nn.Sigmoid(), nn.Linear(n_hidden, 1))
    nn.init.uniform_(F[0].weight, -20, 20)  # steep enough to make bumps on [0, 1]
    nn.init.uniform_(F[0].bias, -10, 10)
    opt = optim.Adam(F.parameters(), lr=0.03)
    for _ in range(500 if FAST else 2500):
        opt.zero_grad()
        loss = nn.functional.mse_loss(F(xs), target)
        loss.backward()
        opt.step()
    fits[n_hidden] = (F, loss.item())
    print(f"N = {n_hidden:2d} hidden neurons: MSE {loss.item():.5f}")

# %% [markdown]
# But for some functions $N$ must grow exponentially. A zig-zag with $2^k$ straight pieces
# needs at least $2^k - 1$ ReLU neurons in one hidden layer (each neuron adds at most one
# kink), yet $k$ layers of **2** ReLU neurons compute it exactly: each layer applies the tent
# map $g(u) = 2\,\mathrm{relu}(u) - 4\,\mathrm{relu}(u - \tfrac12)$, and composing it
# doubles the number of teeth. We set these weights by hand.


# %%
def tent_layers(k):
    layers = []
    for _ in range(k):
        up, down = nn.Linear(1, 2), nn.Linear(2, 1)
        with tnn.no_grad():
            up.weight.copy_([[1.0], [1.0]])
            up.bias.copy_([0.0, -0.5])
            down.weight.copy_([[2.0, -4.0]])
            down.bias.zero_()
        layers += [up, nn.ReLU(), down]
    return nn.Sequential(*layers)


fine = tnn.linspace(0, 1, 4097).reshape(-1, 1)
zigzags = {}
for k in (1, 2, 5):
    with tnn.no_grad():
        zigzags[k] = tent_layers(k)(fine).numpy()[:, 0]
    slopes = np.sign(np.diff(zigzags[k]))
    pieces = 1 + np.count_nonzero(np.diff(slopes))
    print(f"k = {k} layers of 2 neurons ({2 * k} in all): {pieces} straight pieces")
    assert pieces == 2**k

# %%
fig, (ax_uat, ax_deep) = plt.subplots(1, 2, figsize=(10, 3.8))
ax_uat.plot(xs.numpy(), target.numpy(), "k", lw=3, alpha=0.3, label="f(x) = sin(5πx)")
with tnn.no_grad():
    for n_hidden, (F, loss) in fits.items():
        ax_uat.plot(xs.numpy(), F(xs).numpy(), label=f"N = {n_hidden} (MSE {loss:.4f})")
ax_uat.set(xlabel="x", ylabel="F(x)", title="One hidden layer of N logistic neurons")
ax_uat.legend(fontsize=8, loc="lower left")
for k, z in zigzags.items():
    lw = 1 if k == 5 else 2
    ax_deep.plot(fine.numpy(), z, lw=lw, label=f"{k} layer{'s' * (k > 1)}: {2**k} pieces")
ax_deep.set(xlabel="x", ylabel="network output", title="k layers of 2 ReLU neurons")
ax_deep.legend(fontsize=8, loc="lower right")
fig.tight_layout()
plt.show()

# %% [markdown]
# Ten neurons in five layers make 32 pieces; one hidden layer would need at least 31. Why not
# always go very deep, then? Because the gradient has to travel back through every layer,
# and it tends to shrink, or grow, on the way: the next tutorial.
