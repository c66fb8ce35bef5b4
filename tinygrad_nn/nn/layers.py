"""Layers: ``Linear``, the activation modules of notes §3, ``Softmax``, ``Dropout``,
``Dropout2d``, ``Identity``, ``Flatten``, ``Unflatten``."""

from __future__ import annotations

import math

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from . import functional as F
from . import init
from .module import Module, Parameter

__all__ = [
    "Linear",
    "Identity",
    "Sigmoid",
    "Tanh",
    "Arctan",
    "ReLU",
    "LeakyReLU",
    "Softplus",
    "LogSigmoid",
    "Step",
    "Softmax",
    "LogSoftmax",
    "Softmin",
    "Flatten",
    "Unflatten",
    "Dropout",
    "Dropout2d",
]


class Linear(Module):
    r"""$z = W x + b$ applied to a batch of rows: ``y = x @ W.T + b`` (notes §5.1).

    ``weight`` has shape (out_features, in_features), ``bias`` (out_features,). Both start
    uniform in $\pm 1/\sqrt{n_\text{in}}$, PyTorch's default; use ``nn.init`` for
    Xavier or He initialisation.

    Parameters
    ----------
    in_features, out_features : int
        The sizes of an input row $x$ and of an output row $z$.
    bias : bool
        Whether to add a learned bias $b$.
    dtype : dtype, optional
        The dtype of the parameters; the default float dtype when omitted.

    Shape
    -----
    Input ``(*, in_features)``, output ``(*, out_features)``: any leading dimensions.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> layer = tnn.nn.Linear(3, 2)
    >>> layer.weight.shape, layer.bias.shape
    ((2, 3), (2,))
    >>> layer(tnn.zeros(5, 3)).shape
    (5, 2)
    """

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, dtype: object = None
    ) -> None:
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        dtype = dtypes.resolve(dtype)
        self.weight = Parameter(np.empty((out_features, in_features), dtype))
        self.bias = Parameter(np.empty(out_features, dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features else 0.0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x: Tensor) -> Tensor:
        # Read the parameters from their dict: attribute access goes through
        # Module.__getattr__, a microsecond per call (benchmark row 1).
        params = self._parameters
        return F.linear(x, params["weight"], params.get("bias"))

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Identity(Module):
    """Returns its input unchanged: a placeholder where a layer is optional.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.nn.Identity()(tnn.tensor([1.0, 2.0]))
    tensor([1., 2.])
    """

    def forward(self, x: Tensor) -> Tensor:
        return x


class Sigmoid(Module):
    r"""Logistic activation $\sigma(z) = 1/(1+e^{-z})$ (notes §3.1)."""

    def forward(self, x: Tensor) -> Tensor:
        return x.sigmoid()


class Tanh(Module):
    r"""$\tanh(z)$, a logistic curve rescaled to (-1, 1) (notes §3.1)."""

    def forward(self, x: Tensor) -> Tensor:
        return x.tanh()


class Arctan(Module):
    r"""$\arctan(z)$ (notes §3.1)."""

    def forward(self, x: Tensor) -> Tensor:
        return x.arctan()


class _InPlace(Module):
    """An activation that can write its result into its input (``inplace=True``)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class ReLU(_InPlace):
    r"""Rectified linear unit $\max(0, z)$ (notes §3.2)."""

    def forward(self, x: Tensor) -> Tensor:
        return F.relu(x, self.inplace)


class LeakyReLU(Module):
    r"""$z$ for $z > 0$, else $a z$ with a small slope $a$."""

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, x: Tensor) -> Tensor:
        return F.leaky_relu(x, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class Softplus(Module):
    r"""$\frac{1}{\beta}\log(1 + e^{\beta z})$, linear above ``threshold`` (``F.softplus``):
    a smooth ReLU whose derivative is the logistic $\sigma(\beta z)$."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, x: Tensor) -> Tensor:
        return F.softplus(x, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class LogSigmoid(Module):
    r"""$\log \sigma(z) = -\log(1 + e^{-z})$, computed without overflow."""

    def forward(self, x: Tensor) -> Tensor:
        return F.logsigmoid(x)


class Step(Module):
    r"""Threshold neuron: 1 if $z \ge 0$, else 0 (notes §3.1, §7.1). No gradient flows
    through it; train it with the perceptron rule (``nn.Perceptron``)."""

    def forward(self, x: Tensor) -> Tensor:
        return F.step(x)


class _AlongDim(Module):
    """A module that applies a function along one dimension ``dim`` (None: the function's
    implicit choice)."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_AlongDim):
    r"""$e^{z_i} / \sum_j e^{z_j}$ along ``dim`` (notes §6.3); ``dim=None`` is PyTorch's
    implicit choice (see ``F.softmax``)."""

    def forward(self, x: Tensor) -> Tensor:
        return F.softmax(x, self.dim, _stacklevel=5)


class LogSoftmax(_AlongDim):
    r"""$z_i - \log \sum_j e^{z_j}$ along ``dim``; pair it with ``NLLLoss``."""

    def forward(self, x: Tensor) -> Tensor:
        return F.log_softmax(x, self.dim, _stacklevel=5)


class Softmin(_AlongDim):
    r"""$e^{-z_i} / \sum_j e^{-z_j}$ along ``dim``, the softmax of $-z$."""

    def forward(self, x: Tensor) -> Tensor:
        return F.softmin(x, self.dim, _stacklevel=5)


class Flatten(Module):
    """Flattens the dimensions ``start_dim`` to ``end_dim`` into one, as ``torch.nn.Flatten``:
    by default every dimension but the first (the batch), e.g. images to vectors.

    Parameters
    ----------
    start_dim, end_dim : int
        The first and last dimension to merge (negative counts from the end).

    Shape
    -----
    Input ``(N, *dims)``, output ``(N, prod(dims))`` with the defaults.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.nn.Flatten()(tnn.zeros(32, 8, 8)).shape
    (32, 64)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Tensor) -> Tensor:
        return x.flatten(self.start_dim, self.end_dim)


class Unflatten(Module):
    r"""The inverse of ``Flatten``: axis ``dim`` of size $\prod_i s_i$ becomes the axes
    ``unflattened_size`` $(s_1, s_2, \dots)$."""

    def __init__(self, dim: int, unflattened_size: tuple[int, ...]) -> None:
        super().__init__()
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, x: Tensor) -> Tensor:
        dim = self.dim % x.ndim
        return x.reshape(x.shape[:dim] + self.unflattened_size + x.shape[dim + 1 :])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


class Dropout(Module):
    r"""Inverted dropout (notes §12.1): in training, zero each element with probability
    ``p`` and scale the survivors by $1/(1-p)$; in eval mode, the identity. (The notes
    double the next layer's weights instead; scaling the activations is the same network.)"""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        F.check_dropout_p(p)
        self.p, self.inplace = p, inplace

    def forward(self, x: Tensor) -> Tensor:
        return F.dropout(x, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout2d(Dropout):
    r"""Channel dropout: in training, zero each whole feature map $x[n, c]$ with
    probability ``p`` and scale the others by $1/(1-p)$; in eval, the identity."""

    def forward(self, x: Tensor) -> Tensor:
        return F.dropout2d(x, self.p, self.training, self.inplace)
