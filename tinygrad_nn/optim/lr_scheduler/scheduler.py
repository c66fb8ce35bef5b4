r"""The base of the learning-rate schedules (``torch.optim.lr_scheduler.LRScheduler``).

Call ``scheduler.step()`` once per epoch after ``optimizer.step()``. As in PyTorch, a step
computes each group's next rate with the schedule's *chainable* rule ``get_lr()`` from the
rate it has now (so several schedules can act on one optimizer, see ``ChainedScheduler``);
``step(epoch)`` jumps to ``epoch`` with the closed form ``rate(epoch, base_lr)`` of the
initial rate $\kappa_0$ where the schedule has one.
"""

from __future__ import annotations

from typing import Any

from ..optimizer import Optimizer

__all__ = ["LRScheduler", "MultiplicativeSchedule"]


def check_optimizer(owner: str, optimizer: Any) -> Optimizer:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{owner} needs an Optimizer, got {type(optimizer).__name__}")
    return optimizer


def per_group(name: str, optimizer: Optimizer, value: Any) -> list:
    """``value`` for every group, or a list with one value per group."""
    n = len(optimizer.param_groups)
    if not isinstance(value, (list, tuple)):
        return [value] * n
    if len(value) != n:
        raise ValueError(f"expected {n} values for {name}, got {len(value)}")
    return list(value)


class LRScheduler:
    """Base class: subclasses give ``get_lr()``, the rates at ``last_epoch`` (by default the
    closed form), and where they can ``rate(epoch, base_lr)``, the closed form."""

    _not_saved: tuple[str, ...] = ("optimizer",)  # left out of state_dict

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        self.optimizer = check_optimizer(type(self).__name__, optimizer)
        for i, group in enumerate(optimizer.param_groups):
            if last_epoch == -1:
                group.setdefault("initial_lr", group["lr"])
            elif "initial_lr" not in group:
                raise KeyError(
                    f"param 'initial_lr' is not specified in param_groups[{i}] when resuming "
                    "an optimizer"
                )
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self.step()

    def rate(self, epoch: int, base_lr: float) -> float:
        """The closed form: the rate at ``epoch`` of a group that started at ``base_lr``."""
        raise NotImplementedError(f"{type(self).__name__} has no closed form")

    def get_lr(self) -> list[float]:
        """The rates at ``last_epoch``; by default the closed form of each base rate."""
        return [self.rate(self.last_epoch, base) for base in self.base_lrs]

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch, or (as PyTorch's deprecated form) jump to ``epoch``."""
        self._step_count += 1
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            self.last_epoch = epoch
            closed = type(self).rate is not LRScheduler.rate
            values = LRScheduler.get_lr(self) if closed else self.get_lr()
        self._set_lrs(values)

    def _set_lrs(self, values: list[float]) -> None:
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr

    def get_last_lr(self) -> list[float]:
        """The rates the last step set."""
        return [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """The scheduler's attributes but the optimizer and functions (as PyTorch)."""
        return {k: v for k, v in vars(self).items() if k not in self._not_saved}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


class MultiplicativeSchedule(LRScheduler):
    """A schedule whose chainable rule multiplies each rate by ``factor(epoch)``: the ratio
    of the rate at ``epoch`` to the rate before it (at epoch 0, to the initial rate)."""

    def factor(self, epoch: int) -> float:
        raise NotImplementedError

    def get_lr(self) -> list[float]:
        f = self.factor(self.last_epoch)
        return [group["lr"] * f for group in self.optimizer.param_groups]
