r"""Optimizers that scale each weight's step by its accumulated squared gradients:
Adagrad and Adadelta, with PyTorch's update rules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..tensor import Tensor
from .optimizer import Optimizer

__all__ = ["Adadelta", "Adagrad"]


class Adagrad(Optimizer):
    r"""Adagrad (Duchi et al., 2011): $s \leftarrow s + g^2$,
    $\theta \leftarrow \theta - \frac{\kappa}{1 + (t-1)\eta}\, g / (\sqrt{s} + \epsilon)$,
    with ``lr_decay`` $\eta$ and $s$ starting at ``initial_accumulator_value``;
    ``weight_decay`` adds $\lambda\theta$ to $g$."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
            maximize=maximize,
        )
        super().__init__(params, defaults)
        for group in self.param_groups:  # as torch: the state exists before the first step
            for p in group["params"]:
                self.state[id(p)] = self._initial_state(p)

    def _initial_state(self, p: Tensor) -> dict[str, Any]:
        # torch fills every group's sum with the constructor's initial_accumulator_value,
        # also where a group sets its own
        return {"step": 0, "sum": np.full_like(p._data, self.defaults["initial_accumulator_value"])}

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        for name in ("lr_decay", "initial_accumulator_value"):
            if not 0 <= group[name]:  # NaN refused too, as in PyTorch
                raise ValueError(f"Invalid {name} value: {group[name]}")
        if not 0 <= group["eps"]:
            raise ValueError(f"Invalid epsilon value: {group['eps']}")

    def _update(self, p: Tensor, grad: np.ndarray, state: dict, group: dict) -> None:
        if not state:  # a parameter of add_param_group, or after a state dict without it
            state.update(self._initial_state(p))
        state["step"] += 1
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * p._data
        clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        state["sum"] += grad * grad
        p._data -= clr * grad / (np.sqrt(state["sum"]) + group["eps"])


class Adadelta(Optimizer):
    r"""Adadelta (Zeiler, 2012): $v \leftarrow \rho v + (1-\rho) g^2$,
    $\Delta = \frac{\sqrt{u + \epsilon}}{\sqrt{v + \epsilon}}\, g$,
    $u \leftarrow \rho u + (1-\rho)\Delta^2$, $\theta \leftarrow \theta - \kappa\Delta$;
    ``weight_decay`` adds $\lambda\theta$ to $g$."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        maximize: bool = False,
    ) -> None:
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize)
        super().__init__(params, defaults)

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        if not 0 <= group["rho"] <= 1:
            raise ValueError(f"Invalid rho value: {group['rho']}")
        if not 0 <= group["eps"]:
            raise ValueError(f"Invalid epsilon value: {group['eps']}")

    def _update(self, p: Tensor, grad: np.ndarray, state: dict, group: dict) -> None:
        rho, eps = group["rho"], group["eps"]
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(p._data)
            state["acc_delta"] = np.zeros_like(p._data)
        state["step"] += 1
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * p._data
        v, u = state["square_avg"], state["acc_delta"]
        v *= rho
        v += (1 - rho) * grad * grad
        delta = np.sqrt(u + eps) / np.sqrt(v + eps) * grad
        u *= rho
        u += (1 - rho) * delta * delta
        p._data -= group["lr"] * delta
