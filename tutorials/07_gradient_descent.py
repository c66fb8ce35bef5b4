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
# # 7. Gradient descent and finite differences
#
# Notes §8.1. With a loss $E$ (tutorial 5) learning is the optimisation problem
# $\min_\theta \bar E(\theta)$ over all weights and biases $\theta$. Gradient descent walks
# downhill, against the gradient
#
# $$\nabla_\theta E = \left(\frac{\partial E}{\partial\theta_0}, \dots,
#   \frac{\partial E}{\partial\theta_p}\right)^T.$$
#
# We walk on a 2-D surface first, then compute gradients the slow way, by finite differences,
# reproduce the notes' Example 8.1, and finally train a network that solves XOR, the problem
# a perceptron could not (tutorial 6), with gradients from finite differences and from the
# autograd engine side by side.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_nn as tnn
import tinygrad_nn.nn.functional as F
from tinygrad_nn.datasets import xor

FAST = os.environ.get("TINYGRAD_NN_FAST") == "1"

# %% [markdown]
# ## Walking downhill
#
# "Uphill" from $(a_n, b_n)$ is the direction of the gradient $\nabla E(a_n, b_n)$. Gradient
# ascent steps along it and gradient descent against it, with a step multiplier, the
# **learning rate** $k$:
#
# $$(a_{n+1}, b_{n+1}) = (a_n, b_n) - k\,\nabla E(a_n, b_n).$$
#
# (The notes' ascent update reads $(a_{n+1}, b_{n+1}) = (a_n, b_n) = k\nabla E$; the second $=$
# is a $+$.) On the bowl $E(a, b) = (a - 1)^2 + 5(b + 0.5)^2$ the engine supplies the gradient
# at each step:


# %%
def bowl(theta):
    a, b = theta[0], theta[1]
    return (a - 1) ** 2 + 5 * (b + 0.5) ** 2


def descend(E, start, lr, steps):
    """Gradient descent by hand, theta <- theta - lr * grad E(theta); returns the path."""
    theta = tnn.tensor(start, dtype=tnn.float64, requires_grad=True)
    path = [theta.detach().numpy().copy()]
    for _ in range(steps):
        (g,) = tnn.grad(E(theta), theta)
        with tnn.no_grad():
            theta -= lr * g
        path.append(theta.detach().numpy().copy())
    return np.array(path)


paths = {lr: descend(bowl, [-1.5, 1.0], lr, 25) for lr in (0.02, 0.1, 0.19)}
for lr, path in paths.items():
    print(f"k = {lr:4}: after 25 steps at ({path[-1][0]:.3f}, {path[-1][1]:.3f})")

A, B = np.meshgrid(np.linspace(-2, 2.5, 200), np.linspace(-1.5, 1.5, 200))
fig, ax = plt.subplots(figsize=(7, 4.5))
levels = np.geomspace(0.05, 30, 12)
ax.contour(A, B, (A - 1) ** 2 + 5 * (B + 0.5) ** 2, levels=levels, colors="0.75")
for lr, path in paths.items():
    ax.plot(path[:, 0], path[:, 1], "o-", ms=3, lw=1, label=f"k = {lr}")
ax.plot(1, -0.5, "k*", ms=12, label="minimum (1, −0.5)")
ax.set(xlabel="a", ylabel="b", aspect="equal")
ax.set_title("Gradient descent on E(a, b) = (a − 1)² + 5(b + 0.5)²")
ax.legend(loc="upper right", fontsize="small")
plt.show()

# %% [markdown]
# A small $k$ creeps. Along $b$ each step multiplies the distance to the minimum by
# $1 - 10k$ (10 is the curvature $\partial^2 E/\partial b^2$): $k = 0.1$ lands on $b = -0.5$ in
# one step, and $k = 0.19$ overshoots to the other side every time, zig-zagging by a factor
# $-0.9$. Any $k > 2/10$ diverges.
#
# **Remark 8.1**: nothing guarantees the *global* minimum. Gradient descent stops in whichever
# valley it starts in:


# %%
def double_well(theta):
    return theta**4 - 3 * theta**2 + theta


th = np.linspace(-2.2, 2.2, 400)
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(th, double_well(th), color="0.4")
for start in (-2.0, 2.0):
    path = descend(lambda t: double_well(t).sum(), [start], 0.02, 60)[:, 0]
    label = f"start at θ = {start:+}: ends at {path[-1]:.3f}"
    ax.plot(path, double_well(path), "o-", ms=3, lw=1, label=label)
ax.set(xlabel="θ", ylabel="E(θ)", title="Two starts, two minima")
ax.legend(fontsize="small")
plt.show()

# %% [markdown]
# ## Gradients by finite differences
#
# Without calculus we can still estimate a derivative by nudging $\theta$ both ways:
#
# $$\frac{df}{d\theta} \approx
#   \frac{f(\theta + \Delta\theta) - f(\theta - \Delta\theta)}{2\,\Delta\theta}.$$
#
# This *central* difference is accurate to order $\Delta\theta^2$; the one-sided
# $(f(\theta + \Delta\theta) - f(\theta))/\Delta\theta$ only to order $\Delta\theta$. Too
# small a step loses to rounding error instead. For $f(\theta) = \tanh(\theta)$ at $\theta = 0.5$:

# %%
theta0 = 0.5
exact = 1 - np.tanh(theta0) ** 2
steps = np.geomspace(1e-12, 1e-1, 45)
up, down, here = np.tanh(theta0 + steps), np.tanh(theta0 - steps), np.tanh(theta0)
central = np.abs((up - down) / (2 * steps) - exact)
forward = np.abs((up - here) / steps - exact)

fig, ax = plt.subplots(figsize=(6, 3.8))
ax.loglog(steps, forward, "o-", ms=3, label="forward difference")
ax.loglog(steps, central, "o-", ms=3, label="central difference")
ax.loglog(steps, steps, "k:", lw=1, label=r"slope 1 ($\Delta\theta$)")
ax.loglog(steps, steps**2, "k--", lw=1, label=r"slope 2 ($\Delta\theta^2$)")
ax.set(xlabel=r"step $\Delta\theta$", ylabel="error of the derivative", ylim=(1e-14, 1))
ax.set_title(r"Finite differences of tanh at $\theta$ = 0.5 (float64)")
ax.legend(fontsize="small")
plt.show()
best = steps[np.argmin(central)]
print(f"best central step about {best:.0e}, error {central.min():.1e}")

# %% [markdown]
# The central difference is best near $\Delta\theta \approx 10^{-6}$, with about 11 correct
# digits; the forward difference near $10^{-8}$, with about 8. Below that, rounding wins.
# `tnn.numerical_grad(f, inputs, eps)` applies it to every element of every input tensor,
# and `tnn.gradcheck` uses it to test the engine's gradients.
#
# ## Example 8.1
#
# The notes perturb one parameter $\theta_1$ of a small network (its figure is not in our copy
# of the notes) with target $t = 1$ and loss $\bar E = (y - t)^2$, by $\Delta\theta = 0.5$:
#
# | $\theta_1$ | output $y$ | $\bar E(\theta_1)$ |
# | --- | --- | --- |
# | −0.51 | 0.5086 | 0.24150 |
# | −0.01 | 0.509 | 0.24113 |
# | 0.49 | 0.5093 | 0.240761 |
#
# The error drops when $\theta_1$ goes up. The notes' central difference is
# $(\bar E(0.49) - \bar E(-0.51))/(2 \cdot 0.5) = -0.0007475$. `numerical_grad` on the same
# three values:

# %%
table = {-0.51: 0.24150, -0.01: 0.24113, 0.49: 0.240761}  # the notes' E(theta_1)


def E_81(theta1):
    return tnn.tensor(table[round(theta1.item(), 2)], dtype=tnn.float64)


(dE,) = tnn.numerical_grad(E_81, [tnn.tensor(-0.01, dtype=tnn.float64)], eps=0.5)
print(f"central difference from the notes' values: {float(dE):.7f}")
print("the notes print:                           -0.0007475")
assert np.isclose(float(dE), (0.240761 - 0.24150) / 1.0)
k = 1.0
theta_1 = -0.01 - k * float(dE)
print(f"one step with k = {k}: theta_1 = -0.01 - k * ({float(dE):.6f}) = {theta_1:.6f}")

# %% [markdown]
# We get −0.000739, not −0.0007475: the two printed values of $\bar E$ give −0.000739; the notes'
# last digits come from unrounded values we do not have. Both say the same thing: increase
# $\theta_1$, $\theta_1 \leftarrow -0.01 - k\,(-0.00074)$.
#
# ## Finite differences against backprop, on a network that solves XOR
#
# A perceptron cannot compute XOR (tutorial 6); one hidden layer of two logistic neurons can,
# $y = \sigma(W_2\, \sigma(W_1 \vec x + \vec b_1) + b_2)$, if we find its 9 weights. Its loss is the
# cross-entropy over the four XOR samples.

# %%
X, T = xor()
X = tnn.tensor(X, dtype=tnn.float64)
T = tnn.tensor(T, dtype=tnn.float64)


def E_xor(W1, b1, W2, b2):
    hidden = (X @ W1.T + b1).sigmoid()
    y = (hidden @ W2.T + b2).sigmoid()
    return F.binary_cross_entropy(y, T)


def initial_params(seed):
    rng = np.random.default_rng(seed)
    shapes = [(2, 2), (2,), (1, 2), (1,)]
    return [tnn.tensor(rng.normal(size=s), requires_grad=True) for s in shapes]


params = initial_params(3)
numeric = tnn.numerical_grad(E_xor, [p.detach() for p in params], eps=1e-6)
analytic = tnn.grad(E_xor(*params), params)
for name, n, a in zip(["W1", "b1", "W2", "b2"], numeric, analytic):
    print(f"dE/d{name}: finite differences {n.ravel().round(6)}")
    print(f"{'autograd':>{len(name) + 23}} {a.numpy().ravel().round(6)}")
    assert np.allclose(n, a.numpy(), atol=1e-8)
assert tnn.gradcheck(E_xor, params)

# %% [markdown]
# Both give the same 9 numbers. Their costs differ: the finite differences ran the network
# $2 \times 9 = 18$ times; backprop ran it once forward and once backward, whatever the number
# of parameters. With a million weights that is the difference between feasible and not (§9).
#
# Now gradient descent with each, from the same start, $k = 2$:


# %%
def train(params, gradient, lr=2.0, steps=600):
    losses = []
    for _ in range(steps):
        losses.append(E_xor(*params).item())
        grads = gradient(params)
        with tnn.no_grad():
            for p, g in zip(params, grads):
                p -= lr * g
    return losses


def by_finite_differences(params):
    grads = tnn.numerical_grad(E_xor, [p.detach() for p in params])
    return [tnn.tensor(g) for g in grads]


def by_autograd(params):
    return tnn.grad(E_xor(*params), params)


n_steps = 200 if FAST else 600
curves = {
    "finite differences": train(initial_params(3), by_finite_differences, steps=n_steps),
    "autograd": train(initial_params(3), by_autograd, steps=n_steps),
    "autograd, another start": train(initial_params(0), by_autograd, steps=n_steps),
}
fig, ax = plt.subplots(figsize=(7, 3.8))
for (label, losses), style in zip(curves.items(), ["-", "--", "-"]):
    ax.semilogy(losses, style, lw=2 if style == "-" else 1.5, label=label)
ax.set(xlabel="gradient descent step", ylabel="cross-entropy loss")
ax.set_title("Training a 2-2-1 network on XOR")
ax.legend()
plt.show()

final = {label: losses[-1] for label, losses in curves.items()}
print({label: round(v, 4) for label, v in final.items()})
assert np.isclose(final["finite differences"], final["autograd"], rtol=1e-4)

# %%
trained = initial_params(3)
train(trained, by_autograd, steps=n_steps)
W1, b1, W2, b2 = trained
with tnn.no_grad():
    y = ((X @ W1.T + b1).sigmoid() @ W2.T + b2).sigmoid()
print("inputs: ", X.numpy().tolist())
print("outputs:", y.numpy().ravel().round(3), " targets:", T.numpy().ravel())
assert np.array_equal(y.numpy().ravel() > 0.5, T.numpy().ravel() > 0.5)

# %% [markdown]
# The two gradient methods trace the same curve (dashed on solid) and learn XOR. From another
# starting point the same descent settles in a poor local minimum, Remark 8.1 again, where
# one hidden neuron is wasted. In practice we restart, use more hidden neurons, or add momentum
# (§14).
#
# **Summary.** Gradient descent steps against the gradient with a learning rate $k$; finite
# differences estimate that gradient with $2p$ evaluations of the network and reproduce the
# notes' Example 8.1; backprop (the autograd engine) gets the same numbers in one backward
# pass. Tutorial 8 opens the engine and does backpropagation by hand.
