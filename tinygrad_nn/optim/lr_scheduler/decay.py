r"""Schedules that scale each group's initial rate $\kappa_0$ by a factor of the epoch $e$:
steps, milestones, exponential, constant and linear warm-ups, polynomial decay and
user functions (``torch.optim.lr_scheduler``'s formulas)."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable

from ..optimizer import Optimizer
from .scheduler import LRScheduler, MultiplicativeSchedule, per_group

__all__ = [
    "StepLR",
    "MultiStepLR",
    "ExponentialLR",
    "ConstantLR",
    "LinearLR",
    "PolynomialLR",
    "LambdaLR",
    "MultiplicativeLR",
]

Lambdas = Callable[[int], float] | list[Callable[[int], float]]


class StepLR(MultiplicativeSchedule):
    r"""$\kappa_0 \gamma^{\lfloor e / \text{step\_size} \rfloor}$."""

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ):
        if step_size < 1:
            raise ValueError(f"StepLR: step_size must be at least 1, got {step_size}")
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def factor(self, epoch: int) -> float:
        return self.gamma if epoch != 0 and epoch % self.step_size == 0 else 1.0

    def rate(self, epoch: int, base_lr: float) -> float:
        return base_lr * self.gamma ** (epoch // self.step_size)


class MultiStepLR(MultiplicativeSchedule):
    r"""$\kappa_0 \gamma^{m(e)}$, $m(e)$ the number of ``milestones`` $\le e$ (a milestone
    given twice counts twice)."""

    def __init__(
        self,
        optimizer: Optimizer,
        milestones: Iterable[int],
        gamma: float = 0.1,
        last_epoch: int = -1,
    ):
        self.milestones, self.gamma = Counter(milestones), gamma
        super().__init__(optimizer, last_epoch)

    def factor(self, epoch: int) -> float:
        return self.gamma ** self.milestones[epoch]

    def rate(self, epoch: int, base_lr: float) -> float:
        return base_lr * self.gamma ** bisect_right(sorted(self.milestones.elements()), epoch)


class ExponentialLR(MultiplicativeSchedule):
    r"""$\kappa_0 \gamma^e$."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def factor(self, epoch: int) -> float:
        return self.gamma if epoch != 0 else 1.0

    def rate(self, epoch: int, base_lr: float) -> float:
        return base_lr * self.gamma**epoch


class ConstantLR(MultiplicativeSchedule):
    r"""$\kappa_0 f$ for $e <$ ``total_iters``, then $\kappa_0$ (``factor`` $f$)."""

    def __init__(
        self,
        optimizer: Optimizer,
        factor: float = 1.0 / 3,
        total_iters: int = 5,
        last_epoch: int = -1,
    ):
        if not 0 <= factor <= 1:
            raise ValueError("Constant multiplicative factor expected to be between 0 and 1.")
        self.factor_value, self.total_iters = factor, total_iters
        super().__init__(optimizer, last_epoch)

    def factor(self, epoch: int) -> float:
        if epoch == 0:
            return self.factor_value
        return 1.0 / self.factor_value if epoch == self.total_iters else 1.0

    def rate(self, epoch: int, base_lr: float) -> float:
        f = self.factor_value
        return base_lr * (f + (epoch >= self.total_iters) * (1 - f))


class LinearLR(MultiplicativeSchedule):
    r"""$\kappa_0 \bigl(s + (t - s)\min(e, n)/n\bigr)$: from ``start_factor`` $s$ to
    ``end_factor`` $t$ over ``total_iters`` $n$ epochs."""

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
        last_epoch: int = -1,
    ):
        if not 0 < start_factor <= 1:
            raise ValueError(
                "Starting multiplicative factor expected to be greater than 0 and less or "
                "equal to 1."
            )
        if not 0 <= end_factor <= 1:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        self.start_factor, self.end_factor, self.total_iters = start_factor, end_factor, total_iters
        super().__init__(optimizer, last_epoch)

    def factor(self, epoch: int) -> float:
        s, t, n = self.start_factor, self.end_factor, self.total_iters
        if epoch == 0:
            return s
        if epoch > n:
            return 1.0
        return 1.0 + (t - s) / (n * s + (epoch - 1) * (t - s))

    def rate(self, epoch: int, base_lr: float) -> float:
        s, t, n = self.start_factor, self.end_factor, self.total_iters
        return base_lr * (s + (t - s) * min(n, epoch) / n)


class PolynomialLR(MultiplicativeSchedule):
    r"""$\kappa_0 (1 - \min(e, n)/n)^p$ (``total_iters`` $n$, ``power`` $p$)."""

    def __init__(
        self,
        optimizer: Optimizer,
        total_iters: int = 5,
        power: float = 1.0,
        last_epoch: int = -1,
    ):
        self.total_iters, self.power = total_iters, power
        super().__init__(optimizer, last_epoch)

    def factor(self, epoch: int) -> float:
        n = self.total_iters
        if epoch == 0 or epoch > n:
            return 1.0
        return ((1.0 - epoch / n) / (1.0 - (epoch - 1) / n)) ** self.power

    def rate(self, epoch: int, base_lr: float) -> float:
        n = self.total_iters
        return base_lr * (1.0 - min(n, epoch) / n) ** self.power


class LambdaLR(LRScheduler):
    r"""$\kappa_0 \lambda(e)$ for a function $\lambda$ of the epoch (or one per group)."""

    def __init__(self, optimizer: Optimizer, lr_lambda: Lambdas, last_epoch: int = -1):
        self.lr_lambdas = per_group("lr_lambda", optimizer, lr_lambda)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [base * f(self.last_epoch) for f, base in zip(self.lr_lambdas, self.base_lrs)]

    _not_saved = ("optimizer", "lr_lambdas")


class MultiplicativeLR(LRScheduler):
    r"""$\kappa_e = \kappa_{e-1} \lambda(e)$ for $e \ge 1$: each epoch multiplies the rate by
    a function of the epoch (or one per group)."""

    def __init__(self, optimizer: Optimizer, lr_lambda: Lambdas, last_epoch: int = -1):
        self.lr_lambdas = per_group("lr_lambda", optimizer, lr_lambda)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups, e = self.optimizer.param_groups, self.last_epoch
        if e == 0:
            return [group["lr"] for group in groups]
        return [group["lr"] * f(e) for f, group in zip(self.lr_lambdas, groups)]

    _not_saved = ("optimizer", "lr_lambdas")
