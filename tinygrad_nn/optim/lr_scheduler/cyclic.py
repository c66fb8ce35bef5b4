r"""Cyclical schedules, stepped once per *batch*: ``CyclicLR`` (Smith, 2017) and the
one-cycle policy ``OneCycleLR`` (Smith & Topin, 2017). Both move the momentum (or Adam's
$\beta_1$) the opposite way to the rate, as PyTorch."""

from __future__ import annotations

import math
from collections.abc import Callable

from ..optimizer import Optimizer
from .scheduler import LRScheduler, check_optimizer, per_group

__all__ = ["CyclicLR", "OneCycleLR"]


def uses_beta1(owner: str, optimizer: Optimizer) -> bool:
    """Whether the momentum to cycle is ``betas[0]`` (else ``momentum``)."""
    if "betas" in optimizer.defaults:
        return True
    if "momentum" not in optimizer.defaults:
        raise ValueError(f"{owner}: cycle_momentum needs an optimizer with momentum or betas")
    return False


def set_momentum(group: dict, value: float, beta1: bool) -> None:
    if beta1:
        group["betas"] = (value, *group["betas"][1:])
    else:
        group["momentum"] = value


class CyclicLR(LRScheduler):
    r"""The rate goes linearly from ``base_lr`` $a$ up to ``max_lr`` $b$ in
    ``step_size_up`` steps and back in ``step_size_down``, the height of cycle $c$ (or of
    step $e$, ``scale_mode="iterations"``) scaled by $s$: $\kappa = a + (b - a)\,h\,s$ with
    $h \in [0, 1]$ the position in the cycle. ``mode`` picks $s$: ``"triangular"`` $1$,
    ``"triangular2"`` $2^{1-c}$, ``"exp_range"`` $\gamma^e$; or give ``scale_fn``. The
    momentum goes from ``max_momentum`` down to ``base_momentum`` and back."""

    def __init__(
        self,
        optimizer: Optimizer,
        base_lr: float | list[float],
        max_lr: float | list[float],
        step_size_up: int = 2000,
        step_size_down: int | None = None,
        mode: str = "triangular",
        gamma: float = 1.0,
        scale_fn: Callable[[float], float] | None = None,
        scale_mode: str = "cycle",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.8,
        max_momentum: float | list[float] = 0.9,
        last_epoch: int = -1,
    ) -> None:
        check_optimizer("CyclicLR", optimizer)
        base_lrs = per_group("base_lr", optimizer, base_lr)
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                group["lr"] = lr
        self.max_lrs = per_group("max_lr", optimizer, max_lr)
        up = float(step_size_up)
        down = float(step_size_down) if step_size_down is not None else up
        self.total_size, self.step_ratio = up + down, up / (up + down)
        if mode not in ("triangular", "triangular2", "exp_range") and scale_fn is None:
            raise ValueError("mode is invalid and scale_fn is None")
        self.mode, self.gamma = mode, gamma
        if scale_fn is None:
            self.scale_mode = "iterations" if mode == "exp_range" else "cycle"
        else:
            self.scale_mode = scale_mode
        self.scale_fn = scale_fn
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1 = uses_beta1("CyclicLR", optimizer)
            self.base_momentums = per_group("base_momentum", optimizer, base_momentum)
            self.max_momentums = per_group("max_momentum", optimizer, max_momentum)
            if last_epoch == -1:
                for top, low, group in zip(
                    self.max_momentums, self.base_momentums, optimizer.param_groups
                ):
                    set_momentum(group, top, self.use_beta1)
                    group["max_momentum"], group["base_momentum"] = top, low
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def scale(self, x: float) -> float:
        """$s$ at cycle or step ``x``."""
        if self.scale_fn is not None:
            return self.scale_fn(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        return self.gamma**x

    def _position(self) -> tuple[float, float]:
        """The height $h$ in the cycle and the scale $s$ at ``last_epoch``."""
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            height = x / self.step_ratio
        else:
            height = (x - 1) / (self.step_ratio - 1)
        at = cycle if self.scale_mode == "cycle" else self.last_epoch
        return height, self.scale(at)

    def get_lr(self) -> list[float]:
        h, s = self._position()
        return [a + (b - a) * h * s for a, b in zip(self.base_lrs, self.max_lrs)]

    def step(self, epoch: int | None = None) -> None:
        super().step(epoch)
        if self.cycle_momentum:
            h, s = self._position()
            for group, low, top in zip(
                self.optimizer.param_groups, self.base_momentums, self.max_momentums
            ):
                set_momentum(group, top - (top - low) * h * s, self.use_beta1)

    _not_saved = ("optimizer", "scale_fn")


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
        check_optimizer("OneCycleLR", optimizer)
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
        max_lrs = per_group("max_lr", optimizer, max_lr)
        self.cycle_momentum = cycle_momentum
        self.use_beta1 = cycle_momentum and uses_beta1("OneCycleLR", optimizer)
        if last_epoch == -1:
            for group, top in zip(groups, max_lrs):
                group["initial_lr"] = top / div_factor
                group["max_lr"] = top
                group["min_lr"] = group["initial_lr"] / final_div_factor
                if cycle_momentum:
                    set_momentum(group, max_momentum, self.use_beta1)
                    group["max_momentum"], group["base_momentum"] = max_momentum, base_momentum
        super().__init__(optimizer, last_epoch)

    def _anneal(self, start: float, end: float, pct: float) -> float:
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def step(self, epoch: int | None = None) -> None:
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
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
                        momentum = self._anneal(group[m_from], group[m_to], pct)
                        set_momentum(group, momentum, self.use_beta1)
                    break
                start = end
