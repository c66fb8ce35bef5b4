r"""Stochastic gradient descent with momentum (notes §8.1, §14.2–14.3), and its averaged
form ASGD."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..dtypes import constant
from ..tensor import Tensor
from .optimizer import Optimizer

__all__ = ["SGD", "ASGD"]


class SGD(Optimizer):
    r"""Gradient descent with PyTorch's update rule. For each parameter $\theta$ with
    gradient $g$:

    $$
    \begin{aligned}
    g &\leftarrow g + \lambda\theta \quad (\text{weight\_decay } \lambda) \\
    v &\leftarrow \mu v + (1 - \tau) g \quad (v = g \text{ at the first step}) \\
    g &\leftarrow g + \mu v \text{ if nesterov else } v \\
    \theta &\leftarrow \theta - \kappa g
    \end{aligned}
    $$

    with momentum $\mu$, dampening $\tau$ and learning rate $\kappa$.
    The notes' convex momentum $V' = \beta V' + (1-\beta)\,\partial E/\partial W$ with
    $V' = 0$ at the start (§14.3) is exactly ``SGD(lr=(1-β)κ, momentum=β)``; with
    ``momentum=β, dampening=β`` it is the same from the second step on (PyTorch starts
    the buffer at $g$, so the first step is $1/(1-\beta)$ times larger). The notes write
    $V' = \beta V' - (1-\beta)\partial E/\partial W$ followed by $W = W - \kappa V'$,
    which climbs the loss: a sign slip; this optimizer descends. Weight decay λ here
    equals the notes' penalty $\lambda' \|\theta\|^2$ with $\lambda = 2\lambda'$ (§11.2).

    Parameters
    ----------
    params : iterable of Tensor or of dict
        The parameters (``model.parameters()``) or parameter groups (see `Optimizer`).
    lr : float
        The learning rate $\kappa$.
    momentum, dampening : float
        $\mu$ and $\tau$ above; 0 for plain gradient descent.
    weight_decay : float
        $\lambda$ above: an L2 penalty added to the gradient.
    nesterov : bool
        Nesterov momentum (needs ``momentum > 0`` and ``dampening = 0``).
    maximize : bool
        Climb the objective instead.

    Examples
    --------
    One step on $E = \theta^2$ from $\theta = 1$: $\theta \leftarrow 1 - 0.1 \cdot 2$.

    >>> import tinygrad_nn as tnn
    >>> theta = tnn.tensor([1.0], requires_grad=True)
    >>> opt = tnn.optim.SGD([theta], lr=0.1, momentum=0.9)
    >>> (theta**2).sum().backward()
    >>> opt.step()
    >>> theta
    tensor([0.8000], requires_grad=True)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        if not 0 <= group["momentum"]:
            raise ValueError(f"Invalid momentum value: {group['momentum']}")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")

    def _update(self, p: Tensor, grad: np.ndarray, state: dict, group: dict) -> None:
        # In place on numpy arrays, with no multiplication by 1 - dampening when dampening
        # is 0 and the hyper-parameters as 0-d arrays (dtypes.constant): the same passes
        # over memory as hand-written numpy, and less time per pass (benchmark rows 1-2).
        wd, mu, dtype = group["weight_decay"], group["momentum"], p._data.dtype
        if wd:
            grad = grad + constant(wd, dtype) * p._data
        if mu:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = np.array(grad, dtype=dtype)
            else:
                buf *= constant(mu, dtype)
                dampening = group["dampening"]
                buf += constant(1 - dampening, dtype) * grad if dampening else grad
            grad = grad + constant(mu, dtype) * buf if group["nesterov"] else buf
        p._data -= constant(group["lr"], dtype) * grad


class ASGD(Optimizer):
    r"""Averaged SGD (Polyak & Juditsky, 1992), as ``torch.optim.ASGD``: at step $t$,

    $$
    \begin{aligned}
    \theta &\leftarrow \theta(1 - \lambda\eta_t) - \eta_t g, \qquad
    \bar\theta \leftarrow \bar\theta + \mu_t(\theta - \bar\theta) \\
    \eta_{t+1} &= \kappa / (1 + \lambda\kappa t)^\alpha, \qquad
    \mu_{t+1} = 1 / \max(1, t - t_0)
    \end{aligned}
    $$

    with ``lambd`` $\lambda$, ``alpha`` $\alpha$, ``t0`` $t_0$, $\eta_1 = \kappa$ and
    $\mu_1 = 1$; the average $\bar\theta$ is ``state["ax"]``. ``weight_decay`` adds
    $w\theta$ to $g$. As PyTorch, $\eta$ and $\mu$ are kept in float32."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        weight_decay: float = 0.0,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay, maximize=maximize
        )
        super().__init__(params, defaults)

    def _update(self, p: Tensor, grad: np.ndarray, state: dict, group: dict) -> None:
        lr, lambd = group["lr"], group["lambd"]
        if not state:
            state["step"] = 0
            state["eta"] = float(np.float32(lr))
            state["mu"] = 1.0
            state["ax"] = np.zeros_like(p._data)
        state["step"] += 1
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * p._data
        eta, t = state["eta"], state["step"]
        p._data *= 1 - lambd * eta
        p._data -= eta * grad
        if state["mu"] != 1:
            state["ax"] += (p._data - state["ax"]) * state["mu"]
        else:
            state["ax"][...] = p._data
        state["eta"] = float(np.float32(lr / (1 + lambd * lr * t) ** group["alpha"]))
        state["mu"] = float(np.float32(1 / max(1, t - group["t0"])))
