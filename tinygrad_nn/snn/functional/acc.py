"""Accuracy of a spiking classifier (snnTorch's ``functional.accuracy_rate``)."""

from __future__ import annotations

from typing import Any

from ...tensor import Tensor
from .loss import _checked

__all__ = ["accuracy_rate"]


def accuracy_rate(spk_out: Tensor, targets: Any) -> float:
    r"""Fraction of samples whose most active output neuron is the target:
    $\frac{1}{B}\sum_b [\arg\max_k \sum_t S[t,b,k] = y_b]$ (ties go to the lowest index)."""
    t = _checked("accuracy_rate", spk_out, targets)
    return float((spk_out._data.sum(0).argmax(-1) == t).mean())
