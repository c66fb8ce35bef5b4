r"""Cosine annealing (Loshchilov & Hutter, 2017): the rate follows half a cosine from the
initial rate $\kappa_0$ down to $\eta_{\min}$, once or with warm restarts."""

from __future__ import annotations

import math

from ..optimizer import Optimizer
from .scheduler import LRScheduler

__all__ = ["CosineAnnealingLR", "CosineAnnealingWarmRestarts"]


def cosine(base_lr: float, eta_min: float, t: float, period: float) -> float:
    r"""$\eta_{\min} + (\kappa_0 - \eta_{\min})\frac{1 + \cos(\pi t / T)}{2}$."""
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t / period)) / 2


class CosineAnnealingLR(LRScheduler):
    r"""$\eta_{\min} + (\kappa_0 - \eta_{\min})\,\frac{1 + \cos(\pi e / T_{\max})}{2}$
    (rising again after $T_{\max}$). Stepped, the rate follows PyTorch's recursive form
    $\kappa_e = \eta_{\min} + (\kappa_{e-1} - \eta_{\min})
    \frac{1 + \cos(\pi e / T_{\max})}{1 + \cos(\pi (e-1) / T_{\max})}$, which equals the
    closed form unless something else changes the rate."""

    def __init__(
        self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1
    ):
        if T_max < 1:
            raise ValueError(f"CosineAnnealingLR: T_max must be at least 1, got {T_max}")
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer, last_epoch)

    def rate(self, epoch: int, base_lr: float) -> float:
        return cosine(base_lr, self.eta_min, epoch, self.T_max)

    def get_lr(self) -> list[float]:
        e, T, low = self.last_epoch, self.T_max, self.eta_min
        groups = self.optimizer.param_groups
        if e == 0:
            return [group["lr"] for group in groups]
        if self._step_count == 1:  # constructed with last_epoch > -1
            return super().get_lr()
        if (e - 1 - T) % (2 * T) == 0:  # the bottom of the cosine: the ratio is 0/0
            rise = (1 - math.cos(math.pi / T)) / 2
            return [g["lr"] + (base - low) * rise for g, base in zip(groups, self.base_lrs)]
        ratio = (1 + math.cos(math.pi * e / T)) / (1 + math.cos(math.pi * (e - 1) / T))
        return [ratio * (group["lr"] - low) + low for group in groups]


class CosineAnnealingWarmRestarts(LRScheduler):
    r"""$\eta_{\min} + (\kappa_0 - \eta_{\min})\frac{1 + \cos(\pi T_{cur} / T_i)}{2}$, where
    $T_{cur}$ counts the epochs since the last restart and the $i$-th period lasts
    $T_i = T_0 T_{mult}^i$ epochs. ``step(epoch)`` takes a fractional epoch too."""

    def __init__(
        self,
        optimizer: Optimizer,
        T_0: int,
        T_mult: int = 1,
        eta_min: float = 0.0,
        last_epoch: int = -1,
    ):
        if not isinstance(T_0, int) or T_0 <= 0:
            raise ValueError(f"Expected positive integer T_0, but got {T_0}")
        if not isinstance(T_mult, int) or T_mult < 1:
            raise ValueError(f"Expected integer T_mult >= 1, but got {T_mult}")
        if not isinstance(eta_min, (float, int)):
            raise ValueError(
                f"Expected float or int eta_min, but got {eta_min} of type {type(eta_min)}"
            )
        self.T_0, self.T_i, self.T_mult, self.eta_min = T_0, T_0, T_mult, eta_min
        self.T_cur = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [cosine(base, self.eta_min, self.T_cur, self.T_i) for base in self.base_lrs]

    def step(self, epoch: float | None = None) -> None:
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur += 1
            if self.T_cur >= self.T_i:
                self.T_cur, self.T_i = self.T_cur - self.T_i, self.T_i * self.T_mult
        elif epoch < 0:
            raise ValueError(f"Expected non-negative epoch, but got {epoch}")
        elif epoch < self.T_0:
            self.T_i, self.T_cur = self.T_0, epoch
        elif self.T_mult == 1:
            self.T_cur = epoch % self.T_0
        else:  # the restart i with T_0 (T_mult^i - 1) / (T_mult - 1) <= epoch
            m = self.T_mult
            i = int(math.log(epoch / self.T_0 * (m - 1) + 1, m))
            self.T_cur = epoch - self.T_0 * (m**i - 1) / (m - 1)
            self.T_i = self.T_0 * m**i
        self.last_epoch = math.floor(epoch)
        self._step_count += 1
        self._set_lrs(self.get_lr())
