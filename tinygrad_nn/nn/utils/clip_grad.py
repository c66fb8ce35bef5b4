r"""Gradient clipping, a remedy for the exploding gradients of notes §13.2."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ...tensor import Tensor, wrap

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def _with_grads(parameters: Iterable[Tensor] | Tensor) -> list[Tensor]:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p for p in params if p.grad is not None]


def clip_grad_norm_(
    parameters: Iterable[Tensor] | Tensor, max_norm: float, norm_type: float = 2.0
) -> Tensor:
    r"""Scale all gradients together so that their joint norm
    $\|(\nabla_{\theta_1}, \dots, \nabla_{\theta_k})\|_p$ is at most ``max_norm``; returns
    the norm before clipping (as ``torch.nn.utils.clip_grad_norm_``)."""
    params = _with_grads(parameters)
    if not params:
        return wrap(np.array(0.0, np.float32))
    grads = [p.grad._data for p in params]
    if norm_type == float("inf"):
        total = max(float(np.abs(g).max(initial=0.0)) for g in grads)
    else:
        total = float(sum(np.sum(np.abs(g) ** norm_type) for g in grads)) ** (1.0 / norm_type)
    scale = max_norm / (total + 1e-6)
    if scale < 1:
        for p in params:
            p.grad.mul_(np.asarray(scale, p.grad.dtype))  # in place, as PyTorch
    return wrap(np.array(total, dtype=grads[0].dtype))


def clip_grad_value_(parameters: Iterable[Tensor] | Tensor, clip_value: float) -> None:
    """Clip every gradient element to ``[-clip_value, clip_value]``."""
    for p in _with_grads(parameters):
        p.grad.clamp_(-clip_value, clip_value)
