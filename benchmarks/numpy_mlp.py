r"""Hand-written numpy MLP: the physical limit the engine is measured against (issue 4).

Batch backpropagation of notes §14.1 with samples as *rows* (PyTorch's layout), so every
formula is the transpose of the notes' column form:

$$Z^{(l+1)} = H^{(l)} W^{(l)T} + b^{(l)}, \qquad H^{(l+1)} = \sigma(Z^{(l+1)}),$$
$$\frac{\partial E}{\partial Z^{(L)}} = \frac{1}{P}(Y - T), \qquad
\frac{\partial E}{\partial Z^{(l)}} = \sigma'(Z^{(l)}) \odot
\frac{\partial E}{\partial Z^{(l+1)}} W^{(l)},$$
$$\frac{\partial E}{\partial W^{(l)}} = \Big(\frac{\partial E}{\partial Z^{(l+1)}}\Big)^T H^{(l)},
\qquad \frac{\partial E}{\partial b^{(l)}} = \sum_p \frac{\partial E}{\partial Z^{(l+1)}_p}.$$

$Y$ is the softmax of the last layer and $E$ the mean cross-entropy over the batch (§6.3);
$1/P$ comes from that mean. The update is PyTorch's SGD with momentum $\mu$:
$v \leftarrow \mu v + g$, $\theta \leftarrow \theta - \kappa v$ (the notes' §14.3 form with
$\beta = \mu$ and the gradient not damped).
"""

from __future__ import annotations

import numpy as np


class NumpyMLP:
    """Fully connected layers with ``activation`` ("sigmoid" or "relu") between them and a
    softmax cross-entropy loss on top, trained by SGD with momentum."""

    def __init__(
        self,
        weights: list[np.ndarray],
        biases: list[np.ndarray],
        activation: str,
        lr: float,
        momentum: float = 0.9,
    ) -> None:
        if activation not in ("sigmoid", "relu"):
            raise ValueError(
                f"NumpyMLP: activation must be 'sigmoid' or 'relu', got {activation!r}"
            )
        self.weights = [w.copy() for w in weights]
        self.biases = [b.copy() for b in biases]
        self.activation = activation
        self.lr, self.momentum = lr, momentum
        self.velocity: list[np.ndarray] | None = None

    def params(self) -> list[np.ndarray]:
        """Weights and biases interleaved: W1, b1, W2, b2, ..."""
        return [p for wb in zip(self.weights, self.biases) for p in wb]

    def gradients(self, x: np.ndarray, target: np.ndarray) -> tuple[float, list[np.ndarray]]:
        """The mean cross-entropy of the batch and its gradient for each parameter."""
        relu = self.activation == "relu"
        hs = [x]  # H^(0) = X, then the activations of each hidden layer
        for w, b in zip(self.weights[:-1], self.biases[:-1]):
            z = hs[-1] @ w.T
            z += b
            if relu:
                np.maximum(z, 0, out=z)
            else:  # logistic as 1/2 + tanh(z/2)/2: exact and never overflows
                z *= 0.5
                np.tanh(z, out=z)
                z *= 0.5
                z += 0.5
            hs.append(z)
        z = hs[-1] @ self.weights[-1].T
        z += self.biases[-1]
        # softmax cross-entropy: E = mean_p(logsumexp(z_p) - z_p[t_p]), dE/dZ = (Y - T) / P
        z -= z.max(axis=1, keepdims=True)
        y = np.exp(z)
        total = y.sum(axis=1, keepdims=True)
        rows = np.arange(len(target))
        loss = float(np.mean(np.log(total[:, 0]) - z[rows, target]))
        y /= total
        y[rows, target] -= 1
        dz = y
        dz /= len(target)
        grads: list[np.ndarray] = []
        for layer in range(len(self.weights) - 1, -1, -1):
            h = hs[layer]
            grads.append(dz.sum(axis=0))  # dE/db
            grads.append(dz.T @ h)  # dE/dW = dZ^T H
            if layer:
                dh = dz @ self.weights[layer]
                dz = dh * (h > 0) if relu else dh * h * (1 - h)  # sigma'(Z) from H
        grads.reverse()  # W1, b1, W2, b2, ...
        return loss, grads

    def step(self, x: np.ndarray, target: np.ndarray) -> float:
        """One step of SGD with momentum on the batch; returns the loss before the step."""
        loss, grads = self.gradients(x, target)
        params = self.params()
        if self.velocity is None:  # v = g at the first step, as PyTorch
            self.velocity = [g.copy() for g in grads]
        else:
            for v, g in zip(self.velocity, grads):
                v *= self.momentum
                v += g
        for p, v in zip(params, self.velocity):
            p -= self.lr * v
        return loss
