"""tinygrad_nn: a small, fast, correct autograd framework on numpy, built from a course on
neural networks. It imports like a small PyTorch:

    import tinygrad_nn as tnn
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    x.grad  # tensor([2., 4.])
"""

from . import data, datasets, hopfield, neurons, nn, optim, utils, viz
from .creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    is_tensor,
    linspace,
    meshgrid,
    normal,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    tensor,
    zeros,
    zeros_like,
)
from .device import (
    accelerator,
    backends,
    cuda,
    device,
    get_default_device,
    set_default_device,
)
from .dtypes import (
    bool_,
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    set_default_dtype,
    uint8,
)
from .engine import grad
from .functions import *  # noqa: F403  (exp, add, max, ... as functions, with out=)
from .grad_mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck, numerical_grad
from .random import Generator, default_generator, manual_seed
from .serialization import load, save
from .size import Size
from .tensor import MaxResult, Tensor

__version__ = "0.1.0"

# PyTorch's dtype aliases (numpy dtypes; see tinygrad_nn.dtypes). They hide Python's
# float, int and bool in this namespace only, as in torch.
float, double, half = float32, float64, float16
long, int, short, bool = int64, int32, int16, bool_
