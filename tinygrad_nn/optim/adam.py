r"""Adaptive optimizers: Adam and its variants (AdamW, NAdam, RAdam, Adamax) and RMSprop,
with PyTorch's update rules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..tensor import Tensor
from .optimizer import Optimizer

__all__ = ["Adam", "AdamW", "Adamax", "NAdam", "RAdam", "RMSprop"]


def decayed(p: Tensor, grad: np.ndarray, group: dict) -> np.ndarray:
    r"""Weight decay $\lambda$: $g + \lambda\theta$, or with ``decoupled_weight_decay``
    $\theta \leftarrow \theta(1 - \kappa\lambda)$ and $g$ unchanged."""
    wd = group["weight_decay"]
    if wd and group["decoupled_weight_decay"]:
        p._data *= 1 - group["lr"] * wd
    elif wd:
        grad = grad + wd * p._data
    return grad


def moments(p: Tensor, grad: np.ndarray, state: dict, betas: tuple[float, float]) -> int:
    r"""Count the step $t$ and update the running means $m \leftarrow m + (1-\beta_1)(g - m)$
    and $v \leftarrow \beta_2 v + (1-\beta_2) g^2$ in ``state`` (zeros at first); return $t$."""
    if not state:
        state["step"] = 0
        state["exp_avg"] = np.zeros_like(p._data)
        state["exp_avg_sq"] = np.zeros_like(p._data)
    state["step"] += 1
    b1, b2 = betas
    m, v = state["exp_avg"], state["exp_avg_sq"]
    m += (1 - b1) * (grad - m)
    v *= b2
    v += (1 - b2) * grad * grad
    return state["step"]


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015):

    $$
    \begin{aligned}
    m &\leftarrow \beta_1 m + (1-\beta_1) g, \qquad v \leftarrow \beta_2 v + (1-\beta_2) g^2 \\
    \theta &\leftarrow \theta - \kappa \frac{m / (1-\beta_1^t)}{\sqrt{v / (1-\beta_2^t)} + \epsilon}
    \end{aligned}
    $$

    ``weight_decay`` adds $\lambda\theta$ to $g$ (L2, as ``torch.optim.Adam``);
    ``amsgrad`` uses the running maximum of $v$.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        The parameters (``model.parameters()``) or parameter groups (see `Optimizer`).
    lr : float
        The learning rate $\kappa$.
    betas : tuple of float
        $\beta_1, \beta_2$: the decay of the running means of $g$ and $g^2$.
    eps : float
        $\epsilon$, added to the denominator.
    weight_decay : float
        $\lambda$ (see `AdamW` for the decoupled form).

    Examples
    --------
    The first step moves every parameter by about ``lr``, whatever the gradient's scale:

    >>> import tinygrad_nn as tnn
    >>> theta = tnn.tensor([1.0, 1.0], requires_grad=True)
    >>> opt = tnn.optim.Adam([theta], lr=0.1)
    >>> (theta * tnn.tensor([1000.0, 0.001])).sum().backward()
    >>> opt.step()
    >>> theta
    tensor([0.9000, 0.9000], requires_grad=True)
    """

    decoupled = False

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        betas = group["betas"]
        if len(betas) != 2:
            raise ValueError(f"Invalid betas: expected a pair (beta1, beta2), got {betas}")
        for i, b in enumerate(betas):
            if not 0 <= b < 1:
                raise ValueError(f"Invalid beta parameter at index {i}: {b}")
        if not 0 <= group["eps"]:
            raise ValueError(f"Invalid epsilon value: {group['eps']}")

    def _update(self, p: Tensor, grad: np.ndarray, state: dict, group: dict) -> None:
        lr, wd, (b1, b2) = group["lr"], group["weight_decay"], group["betas"]
        if wd and self.decoupled:
            p._data *= 1 - lr * wd
        elif wd:
            grad = grad + wd * p._data
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(p._data)
            state["exp_avg_sq"] = np.zeros_like(p._data)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(p._data)
        state["step"] += 1
        t, m, v = state["step"], state["exp_avg"], state["exp_avg_sq"]
        m *= b1
        m += (1 - b1) * grad
        v *= b2
        v += (1 - b2) * grad * grad
        if group["amsgrad"]:
            np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
            v = state["max_exp_avg_sq"]
        denom = np.sqrt(v / (1 - b2**t)) + group["eps"]
        p._data -= (lr / (1 - b1**t)) * m / denom


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter, 2019):
    $\theta \leftarrow \theta(1 - \kappa\lambda)$ before the Adam step."""

    decoupled = True

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas=(0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize)


class NAdam(Adam):
    r"""Adam with Nesterov momentum (Dozat, 2016), as ``torch.optim.NAdam``: with
    $\mu_t = \beta_1(1 - \tfrac12 0.96^{t\psi})$ (``momentum_decay`` $\psi$) and
    $\Pi_t = \prod_{i \le t}\mu_i$,

    $$
    \theta \leftarrow \theta - \kappa\,\frac{(1-\mu_t)\,g/(1-\Pi_t)
    + \mu_{t+1}\, m/(1-\Pi_t\mu_{t+1})}{\sqrt{v/(1-\beta_2^t)} + \epsilon}.
    $$

    ``weight_decay`` adds $\lambda\theta$ to $g$, or with ``decoupled_weight_decay``
    multiplies $\theta$ by $1 - \kappa\lambda$."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
        )
        Optimizer.__init__(self, params, defaults)

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        if not 0 <= group["momentum_decay"]:
            raise ValueError(f"Invalid momentum_decay value: {group['momentum_decay']}")

    def _update(self, p: Tensor, grad: np.ndarray, state: dict, group: dict) -> None:
        lr, (b1, b2) = group["lr"], group["betas"]
        fresh = not state
        grad = decayed(p, grad, group)
        t = moments(p, grad, state, group["betas"])
        if fresh:
            state["mu_product"] = 1.0
        m, v = state["exp_avg"], state["exp_avg_sq"]
        psi = group["momentum_decay"]
        mu = b1 * (1.0 - 0.5 * 0.96 ** (t * psi))
        mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
        # PyTorch keeps the product in a float32 scalar tensor: round as it does
        state["mu_product"] = float(np.float32(state["mu_product"]) * np.float32(mu))
        denom = np.sqrt(v / (1 - b2**t)) + group["eps"]
        p._data -= (lr * (1.0 - mu) / (1.0 - state["mu_product"])) * grad / denom
        p._data -= (lr * mu_next / (1.0 - state["mu_product"] * mu_next)) * m / denom


class RAdam(Adam):
    r"""Rectified Adam (Liu et al., 2020), as ``torch.optim.RAdam``: with
    $\rho_\infty = 2/(1-\beta_2) - 1$ and $\rho_t = \rho_\infty - 2t\beta_2^t/(1-\beta_2^t)$,
    the step is $\kappa\, \hat m$ ($\hat m = m/(1-\beta_1^t)$) while $\rho_t \le 5$, and
    afterwards

    $$
    \kappa\, \hat m\, r_t \frac{\sqrt{1-\beta_2^t}}{\sqrt{v} + \epsilon}, \qquad
    r_t = \sqrt{\frac{(\rho_t-4)(\rho_t-2)\rho_\infty}{(\rho_\infty-4)(\rho_\infty-2)\rho_t}}.
    $$

    ``weight_decay`` adds $\lambda\theta$ to $g$, or with ``decoupled_weight_decay``
    multiplies $\theta$ by $1 - \kappa\lambda$."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        decoupled_weight_decay: bool = False,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
        )
        Optimizer.__init__(self, params, defaults)

    def _update(self, p: Tensor, grad: np.ndarray, state: dict, group: dict) -> None:
        lr, b2 = group["lr"], group["betas"][1]
        grad = decayed(p, grad, group)
        t = moments(p, grad, state, group["betas"])
        m_hat = state["exp_avg"] / (1 - group["betas"][0] ** t)
        rho_inf = 2 / (1 - b2) - 1
        rho_t = rho_inf - 2 * t * b2**t / (1 - b2**t)
        if rho_t <= 5.0:
            p._data -= m_hat * lr
            return
        rect = (
            (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
        ) ** 0.5
        adaptive = (1 - b2**t) ** 0.5 / (np.sqrt(state["exp_avg_sq"]) + group["eps"])
        p._data -= m_hat * lr * adaptive * rect


class Adamax(Adam):
    r"""Adamax (Kingma & Ba, 2015), Adam with the infinity norm, as ``torch.optim.Adamax``:

    $$
    m \leftarrow \beta_1 m + (1-\beta_1) g, \qquad
    u \leftarrow \max(\beta_2 u, |g| + \epsilon), \qquad
    \theta \leftarrow \theta - \frac{\kappa}{1-\beta_1^t}\,\frac{m}{u};
    $$

    ``weight_decay`` adds $\lambda\theta$ to $g$."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, maximize=maximize
        )
        Optimizer.__init__(self, params, defaults)

    def _update(self, p: Tensor, grad: np.ndarray, state: dict, group: dict) -> None:
        (b1, b2), wd = group["betas"], group["weight_decay"]
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(p._data)
            state["exp_inf"] = np.zeros_like(p._data)
        state["step"] += 1
        if wd:
            grad = grad + wd * p._data
        m, u = state["exp_avg"], state["exp_inf"]
        m += (1 - b1) * (grad - m)
        u *= b2
        np.maximum(u, np.abs(grad) + group["eps"], out=u)
        p._data -= (group["lr"] / (1 - b1 ** state["step"])) * m / u


class RMSprop(Optimizer):
    r"""RMSprop (Hinton, 2012): $v \leftarrow \alpha v + (1-\alpha) g^2$,
    $\theta \leftarrow \theta - \kappa\, g / (\sqrt{v} + \epsilon)$; ``centered``
    subtracts the squared running mean of $g$ from $v$; ``momentum`` smooths the
    step as in PyTorch."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            centered=centered,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        if not 0 <= group["alpha"] <= 1:
            raise ValueError(f"Invalid alpha value: {group['alpha']}")
        if not 0 <= group["eps"]:
            raise ValueError(f"Invalid epsilon value: {group['eps']}")
        if not 0 <= group["momentum"]:
            raise ValueError(f"Invalid momentum value: {group['momentum']}")

    def _update(self, p: Tensor, grad: np.ndarray, state: dict, group: dict) -> None:
        alpha, mu = group["alpha"], group["momentum"]
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * p._data
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(p._data)
            if mu:
                state["momentum_buffer"] = np.zeros_like(p._data)
            if group["centered"]:
                state["grad_avg"] = np.zeros_like(p._data)
        state["step"] += 1
        v = state["square_avg"]
        v *= alpha
        v += (1 - alpha) * grad * grad
        if group["centered"]:
            ga = state["grad_avg"]
            ga *= alpha
            ga += (1 - alpha) * grad
            avg = np.sqrt(v - ga * ga) + group["eps"]
        else:
            avg = np.sqrt(v) + group["eps"]
        if mu:
            buf = state["momentum_buffer"]
            buf *= mu
            buf += grad / avg
            p._data -= group["lr"] * buf
        else:
            p._data -= group["lr"] * grad / avg
