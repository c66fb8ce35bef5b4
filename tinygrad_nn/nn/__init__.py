"""Neural-network layers, losses and containers with PyTorch's names (``tnn.nn``)."""

from . import functional, init, utils
from .diagnostics import gradient_norms
from .layers import (
    Arctan,
    Dropout,
    Flatten,
    Identity,
    LeakyReLU,
    Linear,
    LogSoftmax,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Step,
    Tanh,
)
from .loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, MSELoss, NLLLoss
from .module import Module, ModuleList, Parameter, Sequential
from .perceptron import Perceptron

__all__ = [
    "Arctan",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "Dropout",
    "Flatten",
    "Identity",
    "L1Loss",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "Module",
    "ModuleList",
    "NLLLoss",
    "Parameter",
    "Perceptron",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Step",
    "Tanh",
    "functional",
    "gradient_norms",
    "init",
    "utils",
]
