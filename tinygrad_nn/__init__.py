"""tinygrad_nn: a small, fast, correct autograd framework on numpy, built from a course on
neural networks. It imports like a small PyTorch:

    import tinygrad_nn as tnn
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    x.grad  # tensor([2., 4.])
"""

from . import data, datasets, hopfield, neurons, nn, optim, viz
from .creation import (
    arange,
    cat,
    eye,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    stack,
    tensor,
    zeros,
    zeros_like,
)
from .dtypes import bool_, float32, float64, get_default_dtype, int32, int64, set_default_dtype
from .engine import grad
from .grad_mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck, numerical_grad
from .random import default_generator, manual_seed
from .serialization import load, save
from .tensor import MaxResult, Tensor, where

__version__ = "0.1.0"


def _method(name: str):
    # the method itself: tnn.exp(x) calls Tensor.exp(x), which is x.exp(), as torch.exp(x)
    return getattr(Tensor, name)


# The tensor methods as functions, as torch.exp(x) beside x.exp().
exp, log, log1p, sqrt, abs, tanh, sigmoid, arctan, relu, sin, cos = map(
    _method,
    ["exp", "log", "log1p", "sqrt", "abs", "tanh", "sigmoid", "arctan", "relu", "sin", "cos"],
)
maximum, minimum, clamp, matmul, square = map(
    _method, ["maximum", "minimum", "clamp", "matmul", "square"]
)
sum, mean, var, std, max, min, amax, argmax, argmin = map(
    _method, ["sum", "mean", "var", "std", "max", "min", "amax", "argmax", "argmin"]
)
logsumexp, softmax, log_softmax = map(_method, ["logsumexp", "softmax", "log_softmax"])
reshape, flatten, permute, transpose, unsqueeze, squeeze, gather = map(
    _method, ["reshape", "flatten", "permute", "transpose", "unsqueeze", "squeeze", "gather"]
)

# the public names (`from tinygrad_nn import *`); tests/test_api_reference.py checks that
# each has a docstring and an entry in the API reference
__all__ = [
    "data",
    "datasets",
    "hopfield",
    "neurons",
    "nn",
    "optim",
    "viz",
    "GradcheckError",
    "MaxResult",
    "Tensor",
    "abs",
    "amax",
    "arange",
    "arctan",
    "argmax",
    "argmin",
    "bool_",
    "cat",
    "clamp",
    "cos",
    "default_generator",
    "detect_anomaly",
    "enable_grad",
    "exp",
    "eye",
    "flatten",
    "float32",
    "float64",
    "full",
    "full_like",
    "gather",
    "get_default_dtype",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "int32",
    "int64",
    "is_grad_enabled",
    "linspace",
    "load",
    "log",
    "log1p",
    "log_softmax",
    "logsumexp",
    "manual_seed",
    "matmul",
    "max",
    "maximum",
    "mean",
    "min",
    "minimum",
    "no_grad",
    "numerical_grad",
    "ones",
    "ones_like",
    "permute",
    "rand",
    "rand_like",
    "randint",
    "randn",
    "randn_like",
    "relu",
    "reshape",
    "save",
    "set_default_dtype",
    "set_grad_enabled",
    "sigmoid",
    "sin",
    "softmax",
    "sqrt",
    "square",
    "squeeze",
    "stack",
    "std",
    "sum",
    "tanh",
    "tensor",
    "transpose",
    "unsqueeze",
    "var",
    "where",
    "zeros",
    "zeros_like",
]
