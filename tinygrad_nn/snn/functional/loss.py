r"""Losses on the output of a spiking network over time (snnTorch's ``functional``).

``spk_out`` (or ``mem_out``) has shape ``(num_steps, batch, classes)``; ``targets`` holds the
class index of each sample. Each loss is an object: ``loss_fn = ce_rate_loss()`` then
``loss_fn(spk_out, targets)``, a scalar Tensor.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...nn import functional as F
from ...tensor import Tensor, array_of, wrap

__all__ = ["ce_count_loss", "ce_rate_loss", "mse_count_loss", "mse_membrane_loss"]


def _checked(owner: str, out: Tensor, targets: Any, time_var_targets: bool = False):
    """``out`` of shape (T, B, C) and integer ``targets`` of shape (B,) (or (T, B))."""
    if not isinstance(out, Tensor) or out.ndim != 3:
        shape = tuple(out.shape) if isinstance(out, Tensor) else type(out).__name__
        raise ValueError(
            f"{owner}: expected a Tensor of shape (num_steps, batch, classes), got {shape}"
        )
    t = array_of(targets)
    if t.dtype.kind not in "iu":
        raise TypeError(f"{owner}: targets must be integer class indices, got dtype {t.dtype}")
    expected = out.shape[:2] if time_var_targets else out.shape[1:2]
    if t.shape != expected:
        raise ValueError(f"{owner}: targets must have shape {expected}, got {t.shape}")
    return t


def _one_hot(t: np.ndarray, num_classes: int, on: float, off: float, dtype: Any) -> np.ndarray:
    r"""``on`` at each target class, ``off`` elsewhere, computed as snnTorch's
    ``targets_convert``: $\max(\text{onehot} \cdot on, off)$ when $on > off$ (so a negative
    ``off`` gives 0 there, as in snnTorch)."""
    hot = np.arange(num_classes) == t[..., None]
    if on > off:
        return np.maximum(hot * on, off).astype(dtype)
    return np.where(hot, on, off).astype(dtype)


class ce_rate_loss:
    r"""Cross-entropy of the spikes at every step, averaged over steps and samples:
    $E = \frac{1}{T}\sum_t \frac{1}{B}\sum_b -\log \mathrm{softmax}(S[t, b])_{y_b}$."""

    def __call__(self, spk_out: Tensor, targets: Any) -> Tensor:
        t = _checked("ce_rate_loss", spk_out, targets)
        steps, batch, classes = spk_out.shape
        flat = spk_out.reshape(steps * batch, classes)
        return F.cross_entropy(flat, wrap(np.tile(t, steps)))


class ce_count_loss:
    r"""Cross-entropy of the spike counts: $E = \frac{1}{B}\sum_b
    -\log \mathrm{softmax}(\sum_t S[t, b])_{y_b}$."""

    def __call__(self, spk_out: Tensor, targets: Any) -> Tensor:
        t = _checked("ce_count_loss", spk_out, targets)
        return F.cross_entropy(spk_out.sum(0), wrap(t))


class mse_count_loss:
    r"""Squared error of the spike counts against target counts, over $T$:
    $E = \frac{1}{T}\,\mathrm{mean}_{b,k}\,(\sum_t S[t,b,k] - c_{b,k})^2$ with
    $c = \lfloor T\cdot\text{correct\_rate}\rfloor$ for the target class and
    $\lfloor T\cdot\text{incorrect\_rate}\rfloor$ for the others."""

    def __init__(self, correct_rate: float = 1, incorrect_rate: float = 0) -> None:
        for name, value in (("correct_rate", correct_rate), ("incorrect_rate", incorrect_rate)):
            if not 0 <= value <= 1:
                raise ValueError(f"mse_count_loss: {name} must be in [0, 1], got {value}")
        self.correct_rate, self.incorrect_rate = correct_rate, incorrect_rate

    def __call__(self, spk_out: Tensor, targets: Any) -> Tensor:
        t = _checked("mse_count_loss", spk_out, targets)
        steps, _, classes = spk_out.shape
        on, off = int(steps * self.correct_rate), int(steps * self.incorrect_rate)
        target = _one_hot(t, classes, on, off, spk_out.dtype)
        return F.mse_loss(spk_out.sum(0), wrap(target)) / steps


class mse_membrane_loss:
    r"""Squared error of the membrane potential against ``on_target`` for the target class
    and ``off_target`` for the others, averaged over steps:
    $E = \frac{1}{T}\sum_t \mathrm{mean}_{b,k}(U[t,b,k] - u_{b,k})^2$. With
    ``time_var_targets`` the targets have shape (T, B), one class per step."""

    def __init__(
        self, time_var_targets: bool = False, on_target: float = 1, off_target: float = 0
    ) -> None:
        self.time_var_targets = time_var_targets
        self.on_target, self.off_target = on_target, off_target

    def __call__(self, mem_out: Tensor, targets: Any) -> Tensor:
        t = _checked("mse_membrane_loss", mem_out, targets, self.time_var_targets)
        classes = mem_out.shape[-1]
        target = _one_hot(t, classes, self.on_target, self.off_target, mem_out.dtype)
        diff = mem_out - wrap(target)
        return (diff * diff).mean()
