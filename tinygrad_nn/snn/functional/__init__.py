"""Losses and accuracy for spiking networks, with snnTorch's names (``snn.functional``)."""

from .acc import accuracy_rate
from .loss import ce_count_loss, ce_rate_loss, mse_count_loss, mse_membrane_loss

__all__ = [
    "accuracy_rate",
    "ce_count_loss",
    "ce_rate_loss",
    "mse_count_loss",
    "mse_membrane_loss",
]
