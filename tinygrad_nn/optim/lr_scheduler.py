r"""Learning-rate schedules (``torch.optim.lr_scheduler``): call ``scheduler.step()`` once
per epoch after ``optimizer.step()``; each group's rate becomes a function of the epoch
count $e$ and its initial rate $\kappa_0$."""

from __future__ import annotations

import math
from collections.abc import Callable

from .optimizer import Optimizer

__all__ = [
    "LRScheduler",
    "StepLR",
    "ExponentialLR",
    "CosineAnnealingLR",
    "LambdaLR",
    "OneCycleLR",
    "ReduceLROnPlateau",
]


class LRScheduler:
    """Base class: subclasses give ``rate(epoch, base_lr)``, the learning rate at ``epoch``."""

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(self).__name__} needs an Optimizer, got {type(optimizer).__name__}"
            )
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self.step()

    def rate(self, epoch: int, base_lr: float) -> float:
        raise NotImplementedError

    def step(self) -> None:
        self.last_epoch += 1
        for group, base in zip(self.optimizer.param_groups, self.base_lrs):
            group["lr"] = self.rate(self.last_epoch, base)

    def get_last_lr(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict:
        return {"last_epoch": self.last_epoch, "base_lrs": list(self.base_lrs)}

    def load_state_dict(self, state: dict) -> None:
        self.last_epoch, self.base_lrs = state["last_epoch"], list(state["base_lrs"])


class StepLR(LRScheduler):
    r"""$\kappa_0 \gamma^{\lfloor e / \text{step\_size} \rfloor}$."""

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ):
        if step_size < 1:
            raise ValueError(f"StepLR: step_size must be at least 1, got {step_size}")
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def rate(self, epoch: int, base_lr: float) -> float:
        return base_lr * self.gamma ** (epoch // self.step_size)


class ExponentialLR(LRScheduler):
    r"""$\kappa_0 \gamma^e$."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def rate(self, epoch: int, base_lr: float) -> float:
        return base_lr * self.gamma**epoch


class CosineAnnealingLR(LRScheduler):
    r"""$\eta_{\min} + (\kappa_0 - \eta_{\min})\,\frac{1 + \cos(\pi e / T_{\max})}{2}$."""

    def __init__(
        self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1
    ):
        if T_max < 1:
            raise ValueError(f"CosineAnnealingLR: T_max must be at least 1, got {T_max}")
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer, last_epoch)

    def rate(self, epoch: int, base_lr: float) -> float:
        return (
            self.eta_min
            + (base_lr - self.eta_min) * (1 + math.cos(math.pi * epoch / self.T_max)) / 2
        )


class LambdaLR(LRScheduler):
    r"""$\kappa_0 \lambda(e)$ for a function $\lambda$ of the epoch."""

    def __init__(
        self, optimizer: Optimizer, lr_lambda: Callable[[int], float], last_epoch: int = -1
    ):
        self.lr_lambda = lr_lambda
        super().__init__(optimizer, last_epoch)

    def rate(self, epoch: int, base_lr: float) -> float:
        return base_lr * self.lr_lambda(epoch)


class OneCycleLR(LRScheduler):
    r"""The one-cycle policy (Smith & Topin, 2017), stepped once per *batch*: the rate rises
    from $\kappa_{\max}/d$ to ``max_lr`` $\kappa_{\max}$ over the first ``pct_start`` of
    ``total_steps``, then falls to $\kappa_{\max}/(d \cdot d_f)$ (``div_factor`` $d$,
    ``final_div_factor`` $d_f$), each phase a cosine $e + (s - e)\frac{1 + \cos\pi p}{2}$ or
    a line; momentum (or Adam's $\beta_1$) moves the opposite way between
    ``base_momentum`` and ``max_momentum``. ``three_phase`` adds a symmetric descent
    before the final annealing, as PyTorch."""

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | list[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: float = 0.85,
        max_momentum: float = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"OneCycleLR needs an Optimizer, got {type(optimizer).__name__}")
        if total_steps is None:
            if not (epochs and steps_per_epoch and epochs > 0 and steps_per_epoch > 0):
                raise ValueError(
                    "OneCycleLR: give total_steps, or positive epochs and steps_per_epoch"
                )
            total_steps = epochs * steps_per_epoch
        if total_steps < 1:
            raise ValueError(f"OneCycleLR: total_steps must be positive, got {total_steps}")
        if not 0 <= pct_start <= 1:
            raise ValueError(f"OneCycleLR: pct_start must be in [0, 1], got {pct_start}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(
                f"OneCycleLR: anneal_strategy must be 'cos' or 'linear', got {anneal_strategy!r}"
            )
        self.total_steps, self.anneal_strategy = total_steps, anneal_strategy
        up = float(pct_start * total_steps) - 1
        if three_phase:  # (end step, start, end) of the rate; momentum goes the other way
            self.phases = [
                (up, "initial_lr", "max_lr"),
                (float(2 * pct_start * total_steps) - 2, "max_lr", "initial_lr"),
                (total_steps - 1, "initial_lr", "min_lr"),
            ]
        else:
            self.phases = [(up, "initial_lr", "max_lr"), (total_steps - 1, "max_lr", "min_lr")]
        groups = optimizer.param_groups
        max_lrs = max_lr if isinstance(max_lr, (list, tuple)) else [max_lr] * len(groups)
        self.cycle_momentum = cycle_momentum
        self.use_beta1 = "betas" in optimizer.defaults
        if cycle_momentum and not self.use_beta1 and "momentum" not in optimizer.defaults:
            raise ValueError("OneCycleLR: cycle_momentum needs an optimizer with momentum or betas")
        if last_epoch == -1:
            for group, top in zip(groups, max_lrs):
                group["initial_lr"] = top / div_factor
                group["max_lr"] = top
                group["min_lr"] = group["initial_lr"] / final_div_factor
                if cycle_momentum:
                    self._set_momentum(group, max_momentum)
                    group["max_momentum"], group["base_momentum"] = max_momentum, base_momentum
        super().__init__(optimizer, last_epoch)

    def _set_momentum(self, group: dict, value: float) -> None:
        if self.use_beta1:
            group["betas"] = (value, *group["betas"][1:])
        else:
            group["momentum"] = value

    def _anneal(self, start: float, end: float, pct: float) -> float:
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def step(self) -> None:
        self.last_epoch += 1
        t = self.last_epoch
        if t > self.total_steps:
            raise ValueError(
                f"OneCycleLR: stepped {t} times, more than total_steps={self.total_steps}"
            )
        momentum_ends = {"initial_lr": "max_momentum", "max_lr": "base_momentum"}
        for group in self.optimizer.param_groups:
            start = 0.0
            for i, (end, lr_from, lr_to) in enumerate(self.phases):
                if t <= end or i == len(self.phases) - 1:
                    pct = (t - start) / (end - start)
                    group["lr"] = self._anneal(group[lr_from], group[lr_to], pct)
                    if self.cycle_momentum:
                        m_from = momentum_ends[lr_from]
                        m_to = momentum_ends.get(lr_to, "max_momentum")
                        self._set_momentum(group, self._anneal(group[m_from], group[m_to], pct))
                    break
                start = end


class ReduceLROnPlateau:
    r"""Divide the rate by $1/$``factor`` when a metric stops improving: after more than
    ``patience`` epochs without a value better than the best by ``threshold`` (relative,
    $a < b(1 - \tau)$, or absolute, $a < b - \tau$; reversed for ``mode="max"``), each
    rate becomes $\max(\kappa \cdot \text{factor}, \kappa_{\min})$, then ``cooldown`` epochs
    pass before counting again. Call ``step(metric)`` once per epoch."""

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float | list[float] = 0.0,
        eps: float = 1e-8,
    ) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"ReduceLROnPlateau needs an Optimizer, got {type(optimizer).__name__}")
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau: factor must be < 1, got {factor}")
        if mode not in ("min", "max") or threshold_mode not in ("rel", "abs"):
            raise ValueError(
                f"ReduceLROnPlateau: mode must be 'min' or 'max' and threshold_mode 'rel' or "
                f"'abs', got {mode!r} and {threshold_mode!r}"
            )
        groups = optimizer.param_groups
        self.min_lrs = list(min_lr) if isinstance(min_lr, (list, tuple)) else [min_lr] * len(groups)
        if len(self.min_lrs) != len(groups):
            raise ValueError(f"ReduceLROnPlateau: expected {len(groups)} min_lrs, got {min_lr}")
        self.optimizer, self.mode, self.factor, self.patience = optimizer, mode, factor, patience
        self.threshold, self.threshold_mode = threshold, threshold_mode
        self.cooldown, self.eps = cooldown, eps
        self.last_epoch = 0
        self.best = math.inf if mode == "min" else -math.inf
        self.cooldown_counter = self.num_bad_epochs = 0

    def is_better(self, a: float, best: float) -> bool:
        """Whether ``a`` improves on ``best`` by more than the threshold."""
        sign = 1.0 if self.mode == "min" else -1.0
        if self.threshold_mode == "rel":
            return sign * a < sign * best * (1.0 - sign * self.threshold)
        return sign * a < sign * best - self.threshold

    def step(self, metrics: float) -> None:
        current = float(metrics)
        self.last_epoch += 1
        if self.is_better(current, self.best):
            self.best, self.num_bad_epochs = current, 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            for group, floor in zip(self.optimizer.param_groups, self.min_lrs):
                new = max(group["lr"] * self.factor, floor)
                if group["lr"] - new > self.eps:
                    group["lr"] = new
            self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0

    def get_last_lr(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state: dict) -> None:
        self.__dict__.update(state)
