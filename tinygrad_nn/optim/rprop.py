r"""Resilient backpropagation (Riedmiller & Braun, 1993): steps by the sign of the
gradient only, each weight with its own step size, as ``torch.optim.Rprop``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..tensor import Tensor
from .optimizer import Optimizer

__all__ = ["Rprop"]


class Rprop(Optimizer):
    r"""Each weight keeps a step size $\Delta$ (starting at ``lr``). Where the gradient kept
    its sign since the last step, $\Delta \leftarrow \min(\eta_+\Delta, \Delta_{\max})$;
    where it flipped, $\Delta \leftarrow \max(\eta_-\Delta, \Delta_{\min})$ and that weight
    does not move this step (its gradient counts as 0 next time); then
    $\theta \leftarrow \theta - \operatorname{sign}(g)\,\Delta$. ``etas`` are
    $(\eta_-, \eta_+)$ with $0 < \eta_- < 1 < \eta_+$, ``step_sizes`` $(\Delta_{\min},
    \Delta_{\max})$. Meant for full-batch training: mini-batch noise flips the signs."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        etas: tuple[float, float] = (0.5, 1.2),
        step_sizes: tuple[float, float] = (1e-6, 50),
        maximize: bool = False,
    ) -> None:
        defaults = dict(lr=lr, etas=tuple(etas), step_sizes=tuple(step_sizes), maximize=maximize)
        super().__init__(params, defaults)

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        minus, plus = group["etas"]
        if not 0.0 < minus < 1.0 < plus:
            raise ValueError(f"Invalid eta values: {minus}, {plus}")

    def _update(self, p: Tensor, grad: np.ndarray, state: dict, group: dict) -> None:
        minus, plus = group["etas"]
        if not state:
            state["step"] = 0
            state["prev"] = np.zeros_like(p._data)
            state["step_size"] = np.full_like(p._data, group["lr"])
        state["step"] += 1
        agree = np.sign(grad * state["prev"])
        factor = np.where(agree > 0, plus, np.where(agree < 0, minus, 1.0)).astype(p._data.dtype)
        step_size = state["step_size"]
        step_size *= factor
        np.clip(step_size, *group["step_sizes"], out=step_size)
        grad = np.where(factor == minus, 0, grad).astype(p._data.dtype)
        p._data -= np.sign(grad) * step_size
        state["prev"] = grad
