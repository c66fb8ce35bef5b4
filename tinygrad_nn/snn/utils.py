"""Helpers for networks of spiking layers (snnTorch's ``utils.reset``)."""

from __future__ import annotations

from ..nn import Module
from .neurons import SpikingNeuron

__all__ = ["reset"]


def reset(net: Module) -> Module:
    """Zero the hidden state of every spiking layer in ``net`` (and so cut it from the last
    batch's graph); call it before each batch when the layers use ``init_hidden=True``."""
    for module in net.modules():
        if isinstance(module, SpikingNeuron):
            module.reset_mem()
    return net
