"""Optimizers with PyTorch's names and update rules (``tnn.optim``)."""

from . import lr_scheduler
from .adam import Adam, AdamW, RMSprop
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Adam", "AdamW", "RMSprop", "Optimizer", "lr_scheduler"]
