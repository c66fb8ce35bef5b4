r"""Gradient checking (notes §8.1): compare the engine's gradients with central differences

$$
\frac{\partial f}{\partial \theta} \approx
\frac{f(\theta + \Delta\theta) - f(\theta - \Delta\theta)}{2\Delta\theta}.
$$
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .creation import cat
from .engine import grad
from .grad_mode import enable_grad, no_grad
from .tensor import Tensor, leaf, wrap

__all__ = ["GradcheckError", "numerical_grad", "gradcheck", "gradgradcheck"]


class GradcheckError(AssertionError):
    """Analytic and numerical gradients disagree."""


def _call(fn: Callable, inputs: Sequence[Any]) -> np.ndarray:
    with no_grad():
        out = fn(*inputs)
    return out._data if isinstance(out, Tensor) else np.asarray(out)


def numerical_grad(
    fn: Callable[..., Tensor],
    inputs: Sequence[Any],
    eps: float = 1e-6,
    grad_output: np.ndarray | None = None,
) -> list[np.ndarray | None]:
    r"""Central-difference gradient of $\sum_k v_k f_k(\text{inputs})$ with respect to
    each floating-point tensor in ``inputs`` (``None`` for the others); ``v`` is
    ``grad_output``, or 1 for a scalar ``fn``."""
    inputs = list(inputs)
    if grad_output is None:
        out = _call(fn, inputs)
        if out.size != 1:
            raise ValueError(
                f"numerical_grad: fn returns shape {out.shape}; pass grad_output for a "
                "non-scalar output"
            )
        grad_output = np.ones_like(out)
    grads: list[np.ndarray | None] = []
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor) or t.dtype.kind != "f":
            grads.append(None)
            continue
        base = t._data
        g = np.zeros(base.shape, dtype=np.float64)
        for idx in np.ndindex(base.shape):
            values = []
            for step in (eps, -eps):
                moved = base.copy()
                moved[idx] += step
                inputs[i] = wrap(moved)
                values.append(np.sum(grad_output * _call(fn, inputs)))
            g[idx] = (values[0] - values[1]) / (2 * eps)
        inputs[i] = t
        grads.append(g)
    return grads


def gradcheck(
    fn: Callable[..., Tensor],
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Check every element of the gradient of ``fn`` with respect to each input that requires
    grad against central differences, for a random upstream gradient of ``fn``'s shape.

    Inputs must be float64. Returns True, or raises :class:`GradcheckError` naming the input,
    the worst element's index and both values.
    """
    inputs = list(inputs)
    checked = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    if not checked:
        raise ValueError("gradcheck: no input requires grad")
    for i in checked:
        if inputs[i].dtype != np.float64:
            raise ValueError(
                f"gradcheck: input {i} has dtype {inputs[i].dtype}; use float64 "
                "(central differences in float32 are too coarse to compare)"
            )
    out = fn(*inputs)
    v = np.random.default_rng(seed).standard_normal(out.shape)
    if out.requires_grad:
        wrt = [inputs[i] for i in checked]
        analytic = grad(out, wrt, grad_outputs=wrap(v), allow_unused=True)
    else:  # the output is constant in the inputs (e.g. the derivative of a linear map)
        analytic = (None,) * len(checked)
    numeric = numerical_grad(fn, inputs, eps, grad_output=v)
    for i, a in zip(checked, analytic):
        a = np.zeros(inputs[i].shape) if a is None else a._data
        n = numeric[i]
        if a.shape != n.shape:
            raise GradcheckError(
                f"gradcheck: input {i}: gradient shape {a.shape}, expected {n.shape}"
            )
        # equal entries pass (infinities too, and NaN in both); a NaN in one only fails
        same = (a == n) | (np.isnan(a) & np.isnan(n))
        with np.errstate(invalid="ignore"):
            excess = np.abs(a - n) - (atol + rtol * np.abs(n))
        excess = np.where(same, -np.inf, np.nan_to_num(excess, nan=np.inf))
        if excess.size and excess.max() > 0:
            worst = np.unravel_index(int(np.argmax(excess)), excess.shape)
            raise GradcheckError(
                f"gradcheck: input {i} (shape {n.shape}), element {tuple(map(int, worst))}: "
                f"analytic {a[worst]:.8g} vs numerical {n[worst]:.8g} "
                f"(atol={atol}, rtol={rtol})"
            )
    return True


def gradgradcheck(
    fn: Callable[..., Tensor],
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Check second derivatives: ``gradcheck`` applied to the recorded first derivative
    ``x -> grad(fn(x), x, v, create_graph=True)`` for a fixed random ``v``."""
    inputs = list(inputs)
    with no_grad():
        shape = fn(*inputs).shape
    v = wrap(np.random.default_rng(seed + 1).standard_normal(shape))

    def first_derivative(*xs: Any) -> Tensor:
        with enable_grad():
            xs = [
                leaf(x._data, True)
                if isinstance(x, Tensor) and x.dtype.kind == "f" and not x.requires_grad
                else x
                for x in xs
            ]
            wrt = [x for x in xs if isinstance(x, Tensor) and x.requires_grad]
            gs = grad(fn(*xs), wrt, grad_outputs=v, create_graph=True, allow_unused=True)
            parts = [(x * 0.0 if g is None else g).reshape(-1) for x, g in zip(wrt, gs)]
            return cat(parts)

    return gradcheck(first_derivative, inputs, eps, atol, rtol, seed)
