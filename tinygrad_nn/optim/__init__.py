"""Optimizers with PyTorch's names and update rules (``tnn.optim``)."""

from . import lr_scheduler
from .adagrad import Adadelta, Adagrad
from .adam import Adam, AdamW, NAdam, RMSprop
from .optimizer import Optimizer
from .sgd import SGD

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "NAdam",
    "RMSprop",
    "Optimizer",
    "lr_scheduler",
]
