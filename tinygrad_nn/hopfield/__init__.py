"""Hopfield networks (notes §15–§16): Hebbian memory, energy minimisation and recall."""

from .capacity import CapacityTable, capacity_experiment
from .continuous import ContinuousResult, continuous_recall, tensor_energy, weight_gradient
from .modern import ModernHopfield, modern_energy, modern_update
from .network import Hopfield, RecallResult
from .patterns import as_states, corrupt, from_image, letters, overlap, to_binary, to_bipolar
from .rules import hebbian, pseudoinverse, storkey

__all__ = [
    "CapacityTable",
    "capacity_experiment",
    "continuous_recall",
    "ContinuousResult",
    "Hopfield",
    "ModernHopfield",
    "RecallResult",
    "as_states",
    "corrupt",
    "from_image",
    "hebbian",
    "letters",
    "modern_energy",
    "modern_update",
    "overlap",
    "pseudoinverse",
    "storkey",
    "to_binary",
    "tensor_energy",
    "to_bipolar",
    "weight_gradient",
]
