"""Loss modules (notes §6.3), thin wrappers of ``nn.functional`` with PyTorch's names."""

from __future__ import annotations

from ..tensor import Tensor
from . import functional as F
from .module import Module

__all__ = [
    "MSELoss",
    "L1Loss",
    "NLLLoss",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "SmoothL1Loss",
    "HuberLoss",
    "KLDivLoss",
]


class _Loss(Module):
    _reductions = F._REDUCTIONS

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if reduction not in self._reductions:
            raise ValueError(f"reduction must be one of {self._reductions}, got {reduction!r}")
        self.reduction = reduction

    def extra_repr(self) -> str:
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    """``F.mse_loss`` as a module, with its ``reduction``: ``loss(input, target)``
    (the formula and the arguments: `tinygrad_nn.nn.functional.mse_loss`)."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(input, target, self.reduction)


class L1Loss(_Loss):
    """``F.l1_loss`` as a module, with its ``reduction``: ``loss(input, target)``
    (the formula and the arguments: `tinygrad_nn.nn.functional.l1_loss`)."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(input, target, self.reduction)


class NLLLoss(_Loss):
    """``F.nll_loss`` as a module, with its ``reduction``: ``loss(input, target)``
    (the formula and the arguments: `tinygrad_nn.nn.functional.nll_loss`)."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(input, target, self.reduction)


class BCELoss(_Loss):
    """``F.binary_cross_entropy`` as a module, with its ``reduction``: ``loss(input, target)``
    (the formula and the arguments: `tinygrad_nn.nn.functional.binary_cross_entropy`)."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(input, target, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """``F.binary_cross_entropy_with_logits`` as a module, with its ``reduction``:
    ``loss(input, target)``
    (the formula and the arguments:
    `tinygrad_nn.nn.functional.binary_cross_entropy_with_logits`)."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(input, target, self.reduction)


class CrossEntropyLoss(_Loss):
    """``F.cross_entropy`` as a module, with its ``reduction``: ``loss(input, target)``
    (the formula and the arguments: `tinygrad_nn.nn.functional.cross_entropy`)."""

    def __init__(
        self,
        weight: Tensor | None = None,
        ignore_index: int = -100,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(reduction)
        self.weight, self.ignore_index, self.label_smoothing = weight, ignore_index, label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(
            input,
            target,
            self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class SmoothL1Loss(_Loss):
    """``F.smooth_l1_loss`` as a module, with its ``reduction`` and ``beta``:
    ``loss(input, target)`` (the formula: `tinygrad_nn.nn.functional.smooth_l1_loss`)."""

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        beta: float = 1.0,
    ) -> None:
        super().__init__(F._legacy_reduction(size_average, reduce, reduction))
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """``F.huber_loss`` as a module, with its ``reduction`` and ``delta``:
    ``loss(input, target)`` (the formula: `tinygrad_nn.nn.functional.huber_loss`)."""

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class KLDivLoss(_Loss):
    """``F.kl_div`` as a module, with its ``reduction`` (also ``"batchmean"``) and
    ``log_target``: ``loss(input, target)``, ``input`` holding log-probabilities (the
    formula: `tinygrad_nn.nn.functional.kl_div`)."""

    _reductions = F._KL_DIV_REDUCTIONS

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        log_target: bool = False,
    ) -> None:
        super().__init__(F._legacy_reduction(size_average, reduce, reduction))
        self.log_target = log_target

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)
