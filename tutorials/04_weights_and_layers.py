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
# # 4. From weights to a layer: z = Wx + b
#
# Notes §5.1. Many things decide how much current one neuron's spikes induce in another: the
# number and size of synapses, the neurotransmitter, the receptors. The notes fold them all
# into one number, the **connection weight** $w_{CA}$ from neuron $A$ to neuron $C$, negative
# for an inhibitory connection. For $N$ pre-synaptic neurons $X$ and $M$ post-synaptic
# neurons $Y$ the weights form an $M \times N$ matrix $W$, and the input to $Y$ is
#
# $$\vec z = W \vec x + \vec b, \qquad \vec y = \sigma(\vec z),$$
#
# with $\vec x$ the activities of $X$ and $\vec b$ a bias per neuron of $Y$. This is a *layer*.
# We compute it four ways, then check it against spiking neurons.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_nn as tnn
from tinygrad_nn import nn
from tinygrad_nn.neurons import LIF, Network

FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"

# %% [markdown]
# ## One layer, four ways
#
# The notes' shapes: two neurons in $X$, three in $Y$, so $W$ is $3 \times 2$. Row $i$ of $W$
# holds the weights *into* $y_i$; column $j$ the weights *out of* $x_j$.

# %%
W = np.array([[0.5, -1.0], [2.0, 0.3], [-0.7, 0.8]])  # W[i, j] = weight from x_j to y_i
b = np.array([0.1, -0.2, 0.05])
x = np.array([1.0, 2.0])

# 1. the definition: z_i = sum_j w_ij x_j + b_i
z_loop = np.array([sum(W[i, j] * x[j] for j in range(2)) + b[i] for i in range(3)])
# 2. numpy
z_numpy = W @ x + b
# 3. tensors
z_tensor = (tnn.tensor(W) @ tnn.tensor(x) + tnn.tensor(b)).numpy()
# 4. a Linear layer holding W and b
layer = nn.Linear(2, 3, dtype=tnn.float64)
with tnn.no_grad():
    layer.weight.copy_(W)
    layer.bias.copy_(b)
z_layer = layer(tnn.tensor(x)).detach().numpy()

print("z =", z_loop)
assert np.allclose(z_numpy, z_loop) and np.allclose(z_tensor, z_loop)
assert np.allclose(z_layer, z_loop)

# %% [markdown]
# `nn.Linear(in_features, out_features)` stores `weight` with shape (out, in), the notes'
# $M \times N$, so `layer.weight` *is* $W$. With the logistic activation the layer's output is
# $\vec y = \sigma(W\vec x + \vec b)$:

# %%
y = nn.Sigmoid()(layer(tnn.tensor(x)))
print("weight shape:", layer.weight.shape, " y =", y.detach().numpy().round(4))

# %% [markdown]
# ## Many inputs at once
#
# Networks process a *batch* of inputs together. Stack them as the rows of a matrix $X$
# (one sample per row, shape $B \times N$); then all the inputs of the layer are
#
# $$Z = X W^T + \vec b,$$
#
# one row per sample, with $\vec b$ added to every row (broadcasting). That is what
# `nn.Linear` computes for a 2-D input:

# %%
X = np.array([[1.0, 2.0], [0.0, 0.0], [-1.0, 0.5], [3.0, -2.0]])  # 4 samples
Z = layer(tnn.tensor(X)).detach().numpy()
print(Z)
assert np.allclose(Z, np.stack([W @ xi + b for xi in X]))

# %% [markdown]
# ## The bias trick
#
# The bias can be folded into the weights: append $\vec b$ to $W$ as one more column and a
# constant 1 to the input,
#
# $$\hat W = \begin{bmatrix} W & \vec b \end{bmatrix}, \qquad
# W\vec x + \vec b = \hat W \begin{bmatrix} \vec x \\ 1 \end{bmatrix}.$$
#
# The bias is then just the weight from an extra neuron that always fires at rate 1. For a
# batch, the extra input is a column of ones.

# %%
W_hat = np.column_stack([W, b])  # 3 x 3
x_hat = np.append(x, 1.0)
print("W_hat @ [x, 1] =", W_hat @ x_hat)
assert np.allclose(W_hat @ x_hat, z_loop)

X_hat = np.column_stack([X, np.ones(len(X))])
assert np.allclose(X_hat @ W_hat.T, Z)
print("batched bias trick agrees with the Linear layer")

# %% [markdown]
# ## How z depends on the weights
#
# Learning will change $W$ and $\vec b$ to change $\vec z$. Since
# $z_i = \sum_j w_{ij} x_j + b_i$,
#
# $$\frac{\partial z_i}{\partial w_{ij}} = x_j, \qquad \frac{\partial z_i}{\partial b_i} = 1:$$
#
# a weight's effect is proportional to the activity it carries. The engine finds the same: for
# $E = \sum_i v_i z_i$ with any vector $\vec v$, $\partial E / \partial W = \vec v\, \vec x^T$
# (an outer product) and $\partial E / \partial \vec b = \vec v$.

# %%
v = np.array([1.0, -2.0, 0.5])
layer.zero_grad()
(tnn.tensor(v) * layer(tnn.tensor(x))).sum().backward()
print("dE/dW =\n", layer.weight.grad.numpy())
assert np.allclose(layer.weight.grad.numpy(), np.outer(v, x))
assert np.allclose(layer.bias.grad.numpy(), v)

# %% [markdown]
# ## The same layer made of spiking neurons
#
# In the brain, $\vec x$ are firing rates and $\vec z$ is the input current built from
# filtered spike trains (tutorial 3): $\vec z(t) = W \vec s(t) + \vec b$. Since each filtered train
# averages to its neuron's rate, $\vec z$ averages to $W\vec r_X + \vec b$, and each neuron of
# $Y$ should fire at about $G(z_i)$, the LIF rate curve of tutorial 1 acting as $\sigma$.
#
# Two LIF neurons driven at $v_{in}$ = 1.5 and 3 fire at 41.7 and 98.9 Hz. Rates are in Hz, so
# the weights are small (a weight of 0.02 turns 50 Hz into an input of 1).

# %%
W_spk = np.array([[0.02, 0.01], [-0.01, 0.03], [0.015, -0.005]])
b_spk = np.array([0.5, 0.8, 1.2])
net = Network()
net.add_population("x", 2, bias=[1.5, 3.0])
net.add_population("y", 3, bias=b_spk)
net.connect("x", "y", W=W_spk, tau_s=0.02, n=1)
res = net.simulate(t_end=1.0 if FAST else 4.0, dt=0.001, record_z=True)

lif = LIF()
r_x = res["x"].rates
z_pred = W_spk @ r_x + b_spk
print("rates of X:       ", r_x.round(2), "Hz")
print("W r_X + b:        ", z_pred.round(3))
print("mean z(t):        ", res.z["y"][200:].mean(axis=0).round(3))
print("G(W r_X + b):     ", lif.rate(z_pred).round(1), "Hz")
print("simulated Y rates:", res["y"].rates.round(1), "Hz")
assert np.allclose(res["y"].rates, lif.rate(z_pred), rtol=0.05)

# %%
fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(8, 5), sharex=True)
window = res.t[:-1] < 0.5
ax1.eventplot(
    [*res["x"].spike_times, *res["y"].spike_times],
    lineoffsets=np.arange(5),
    linelengths=0.8,
    colors=["k", "k", "C0", "C1", "C2"],
)
ax1.set(yticks=range(5), yticklabels=["x1", "x2", "y1", "y2", "y3"], xlim=(0, 0.5))
ax1.set_title("Spikes of X drive Y through weighted synapses")
for i in range(3):
    z_i = res.z["y"][window, i]
    ax2.plot(res.t[:-1][window], z_i, color=f"C{i}", lw=1, label=f"$z_{i + 1}(t)$")
    ax2.axhline(z_pred[i], color=f"C{i}", ls=":", lw=1.5)
ax2.plot([], [], "k:", lw=1.5, label=r"$W \vec r_X + \vec b$")
ax2.axhline(1.0, color="0.5", lw=0.8, ls="--", label="threshold 1")
ax2.set(xlabel="t (s)", ylabel="input current z (normalised)")
ax2.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
fig.tight_layout()
plt.show()

# %% [markdown]
# The currents fluctuate around $W\vec r_X + \vec b$ (dotted lines), and the neurons of $Y$ fire
# within a few percent of $G(W\vec r_X + \vec b)$: the spiking layer computes, on average, the
# rate layer $\vec y = G(W\vec x + \vec b)$. Neuron $y_2$ gets a negative (inhibitory) weight from
# $x_1$ and still fires fastest, thanks to its strong input from $x_2$.
#
# **Summary.** A layer is $\vec y = \sigma(W\vec x + \vec b)$: a matrix product and an
# activation, for one input or a batch (`nn.Linear` + an activation module), with the bias as
# one more column of weights if we like. Tutorial 5 asks how wrong a layer's output is: loss
# functions.
