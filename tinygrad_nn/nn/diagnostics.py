r"""Gradient diagnostics (notes §13): how large $\partial E/\partial z^{(l)}$ is at each
layer, to see gradients vanish (sigmoid layers shrink them by at least 4 each) or explode."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from ..tensor import Tensor
from .layers import Linear
from .module import Module

__all__ = ["gradient_norms"]


def gradient_norms(
    model: Module, x: Tensor, target: Tensor, loss_fn: Callable[[Tensor, Tensor], Tensor]
) -> OrderedDict[str, float]:
    r"""Run ``loss_fn(model(x), target)`` forward and backward and return, for each ``Linear``
    layer from input to output, the norm $\|\partial E/\partial z^{(l)}\|$ of the
    gradient at its output current $z^{(l)}$ (eq. 13.1; for a batch, the Frobenius norm of
    the whole $N \times n_l$ gradient). Parameter ``.grad`` are left as that backward made
    them."""
    currents: OrderedDict[str, Tensor] = OrderedDict()

    def keep(name: str) -> Callable:
        def hook(module: Module, inputs: tuple, z: Tensor) -> None:
            z.retain_grad()
            currents[name] = z

        return hook

    handles = [
        m.register_forward_hook(keep(name))
        for name, m in model.named_modules()
        if isinstance(m, Linear)
    ]
    try:
        loss_fn(model(x), target).backward()
    finally:
        for h in handles:
            h.remove()
    return OrderedDict(
        (name, float(np.linalg.norm(z.grad._data)) if z.grad is not None else 0.0)
        for name, z in currents.items()
    )
