r"""The perceptron of notes §7.1: a threshold neuron $y = [w \cdot x + b \ge 0]$ trained
by the perceptron rule, which finds a separating line exactly when the data are linearly
separable (OR, AND) and never settles otherwise (XOR)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..random import default_generator
from ..tensor import Tensor, wrap
from .module import Module, Parameter

__all__ = ["PerceptronFit", "Perceptron"]


@dataclass
class PerceptronFit:
    """What ``Perceptron.fit`` found: whether every sample is classified right."""

    converged: bool
    epochs: int
    errors: list[int] = field(default_factory=list)  # misclassified samples per epoch

    def __str__(self) -> str:
        if self.converged:
            return f"converged after {self.epochs} epochs"
        return (
            f"did not converge in {self.epochs} epochs ({self.errors[-1]} samples still "
            "wrong): the data are probably not linearly separable"
        )


class Perceptron(Module):
    r"""A threshold neuron with ``n_inputs`` weights and a bias.

    Learning rule for a sample $(x, t)$ with error $E = t - y$:
    $w \leftarrow w + \eta E x$, $b \leftarrow b + \eta E$. The notes print
    $b = b + Et$; the bias input is 1, not t, and the notes' own worked example ends
    at $b = -0.1$, which only the corrected rule reaches.
    """

    def __init__(self, n_inputs: int, lr: float = 1.0, weight=None, bias: float | None = None):
        super().__init__()
        gen = default_generator()
        w = gen.uniform(-1, 1, n_inputs) if weight is None else np.asarray(weight, float)
        if w.shape != (n_inputs,):
            raise ValueError(f"Perceptron: weight has shape {w.shape}, expected ({n_inputs},)")
        self.weight = Parameter(w.astype(np.float64), requires_grad=False)
        self.bias = Parameter(
            np.asarray(gen.uniform(-1, 1) if bias is None else bias, np.float64),
            requires_grad=False,
        )
        self.lr = lr

    def forward(self, x: Tensor) -> Tensor:
        z = x._data @ self.weight._data + self.bias._data
        return wrap((z >= 0).astype(np.float64))

    def update(self, x: np.ndarray, t: float) -> float:
        """One step of the perceptron rule; returns the error $E = t - y$."""
        y = float(x @ self.weight._data + self.bias._data >= 0)
        error = t - y
        if error:
            self.weight._data = self.weight._data + self.lr * error * x
            self.bias._data = np.asarray(self.bias._data + self.lr * error)  # 0-d, not a scalar
        return error

    def fit(self, inputs, targets, max_epochs: int = 100, shuffle: bool = False) -> PerceptronFit:
        """Sweep the samples, updating after each, until an epoch has no errors."""
        X = np.asarray(inputs._data if isinstance(inputs, Tensor) else inputs, np.float64)
        T = np.asarray(targets._data if isinstance(targets, Tensor) else targets, np.float64)
        if T.ndim == 2 and T.shape[1] == 1:  # a column of targets, as the logic-gate sets give
            T = T[:, 0]
        if X.ndim != 2 or X.shape[1] != self.weight.shape[0] or T.shape != (X.shape[0],):
            raise ValueError(
                f"Perceptron.fit: inputs must be (n, {self.weight.shape[0]}) and targets (n,), "
                f"got {X.shape} and {T.shape}"
            )
        if max_epochs < 1:
            raise ValueError(f"Perceptron.fit: max_epochs must be at least 1, got {max_epochs}")
        if not np.isin(T, (0.0, 1.0)).all():
            raise ValueError("Perceptron.fit: targets must be 0 or 1")
        errors: list[int] = []
        for epoch in range(1, max_epochs + 1):
            order = default_generator().permutation(len(X)) if shuffle else range(len(X))
            wrong = sum(self.update(X[i], T[i]) != 0 for i in order)
            errors.append(int(wrong))
            if wrong == 0:
                return PerceptronFit(True, epoch, errors)
        return PerceptronFit(False, max_epochs, errors)

    def extra_repr(self) -> str:
        return f"n_inputs={self.weight.shape[0]}, lr={self.lr}"
