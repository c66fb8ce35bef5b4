"""Schedules made of schedules: one after another (``SequentialLR``) or all at once
(``ChainedScheduler``), as ``torch.optim.lr_scheduler``."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from ..optimizer import Optimizer
from .plateau import ReduceLROnPlateau
from .scheduler import LRScheduler

__all__ = ["SequentialLR", "ChainedScheduler"]


def _check_schedulers(owner: str, schedulers: Sequence[Any], optimizer: Any) -> list:
    """The schedulers as a list, checked to drive ``optimizer`` (their first's if None)."""
    schedulers = list(schedulers)
    if not schedulers:
        raise ValueError(f"{owner} expects at least one scheduler, but got no scheduler.")
    optimizer = schedulers[0].optimizer if optimizer is None else optimizer
    for i, s in enumerate(schedulers):
        if not hasattr(s, "optimizer"):
            raise TypeError(f"{owner} at index {i} should have `optimizer` as its attribute.")
        if isinstance(s, ReduceLROnPlateau):
            raise ValueError(
                f"{owner} does not support `ReduceLROnPlateau` scheduler as it requires "
                f"additional kwargs to be specified when calling `step`, but got one at index "
                f"{i} in the given schedulers sequence."
            )
        if s.optimizer is not optimizer:
            raise ValueError(
                f"{owner} expects all schedulers to belong to the same optimizer, but got "
                f"scheduler {type(s).__name__} at index {i} with another optimizer"
            )
    return schedulers


class _Composite(LRScheduler):
    """Holds ``_schedulers``; its state dict holds theirs."""

    _schedulers: list[LRScheduler]

    def state_dict(self) -> dict[str, Any]:
        state = {k: v for k, v in vars(self).items() if k not in ("optimizer", "_schedulers")}
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.__dict__.update({k: v for k, v in state.items() if k != "_schedulers"})
        for s, own in zip(self._schedulers, state["_schedulers"]):
            s.load_state_dict(own)


class SequentialLR(_Composite):
    """``schedulers[i]`` drives the rate from epoch ``milestones[i - 1]`` on; at each
    milestone the next one starts again from epoch 0 (its closed form, from the initial
    rates)."""

    def __init__(
        self,
        optimizer: Optimizer,
        schedulers: Sequence[LRScheduler],
        milestones: Sequence[int],
        last_epoch: int = -1,
    ) -> None:
        self._schedulers = _check_schedulers("SequentialLR", schedulers, optimizer)
        if len(milestones) != len(self._schedulers) - 1:
            raise ValueError(
                "Sequential Schedulers expects number of schedulers provided to be one more "
                f"than the number of milestone points, but got number of schedulers "
                f"{len(self._schedulers)} and the number of milestones to be equal to "
                f"{len(milestones)}"
            )
        self._milestones = list(milestones)
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        # undo the steps the schedulers took when they were made, then start the first
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        for s in self._schedulers:
            s.last_epoch -= 1
        first = self._schedulers[0]
        first._step_count = 0
        first.step()
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]

    def step(self, epoch: int | None = None) -> None:
        self.last_epoch += 1
        i = bisect_right(self._milestones, self.last_epoch)
        if i > 0 and self._milestones[i - 1] == self.last_epoch:
            self._schedulers[i].step(0)
        else:
            self._schedulers[i].step()


class ChainedScheduler(_Composite):
    """Every scheduler steps at every step, one after the other, each changing the rate the
    one before it left (chainable rules multiply: ``ConstantLR`` then ``ExponentialLR``
    gives the product of their factors)."""

    def __init__(
        self, schedulers: Sequence[LRScheduler], optimizer: Optimizer | None = None
    ) -> None:
        self._schedulers = _check_schedulers("ChainedScheduler", schedulers, optimizer)
        self.optimizer = self._schedulers[0].optimizer if optimizer is None else optimizer
        self.base_lrs = [
            group.get("initial_lr", group["lr"]) for group in self.optimizer.param_groups
        ]

    def step(self, epoch: int | None = None) -> None:
        for s in self._schedulers:
            s.step()
