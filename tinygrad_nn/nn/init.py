r"""Weight initialisation, in place (names and formulas of ``torch.nn.init``).

Xavier/Glorot keeps the variance of activations and gradients about equal across layers:
$\mathrm{Var}(W) = 2/(n_\text{in} + n_\text{out})$; He/Kaiming does so for ReLU layers:
$\mathrm{Var}(W) = 2/n_\text{in}$. Both fight the vanishing and exploding gradients of
notes §13.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..grad_mode import no_grad
from ..random import default_generator
from ..tensor import Tensor

__all__ = [
    "calculate_gain",
    "uniform_",
    "normal_",
    "constant_",
    "zeros_",
    "ones_",
    "xavier_uniform_",
    "xavier_normal_",
    "kaiming_uniform_",
    "kaiming_normal_",
    "orthogonal_",
    "trunc_normal_",
    "eye_",
    "dirac_",
]


def _fill(tensor: Tensor, values: np.ndarray) -> Tensor:
    if tensor.numel() == 0:
        return tensor
    with no_grad():
        return tensor.copy_(values.astype(tensor.dtype))


def _fans(tensor: Tensor) -> tuple[int, int]:
    if tensor.ndim < 2:
        raise ValueError(
            f"fan in and fan out need a tensor with at least 2 dims, got shape {tensor.shape}"
        )
    receptive = int(np.prod(tensor.shape[2:]))
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The gain that keeps the variance of a layer's output: 1 for linear and sigmoid,
    5/3 for tanh, √2 for ReLU, √(2/(1+a²)) for leaky ReLU with slope a."""
    gains = {
        "linear": 1.0,
        "sigmoid": 1.0,
        "identity": 1.0,
        "tanh": 5.0 / 3,
        "relu": math.sqrt(2.0),
    }
    if nonlinearity == "leaky_relu":
        a = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + a * a))
    if nonlinearity not in gains:
        raise ValueError(f"calculate_gain: unknown nonlinearity {nonlinearity!r}")
    return gains[nonlinearity]


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0) -> Tensor:
    """Fill ``tensor`` in place with samples of $U(a, b)$ from the global generator and
    return it (no gradient is recorded), as ``torch.nn.init.uniform_``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> w = tnn.nn.init.uniform_(tnn.zeros(1000), -1.0, 1.0)
    >>> bool(w.min() >= -1.0 and w.max() < 1.0)
    True
    """
    return _fill(tensor, default_generator().uniform(a, b, tensor.shape))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0) -> Tensor:
    r"""Fill ``tensor`` in place with samples of $\mathcal N(\text{mean}, \text{std}^2)$
    from the global generator and return it (no gradient is recorded).

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> w = tnn.nn.init.normal_(tnn.zeros(10_000), mean=2.0, std=0.5)
    >>> round(w.mean().item(), 1), round(w.std().item(), 1)
    (2.0, 0.5)
    """
    return _fill(tensor, default_generator().normal(mean, std, tensor.shape))


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill ``tensor`` in place with ``val`` and return it (no gradient is recorded).

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> tnn.nn.init.constant_(tnn.zeros(3), 0.1)
    tensor([0.1000, 0.1000, 0.1000])
    """
    return _fill(tensor, np.full(tensor.shape, val))


def zeros_(tensor: Tensor) -> Tensor:
    """Fill ``tensor`` in place with zeros and return it, e.g. for biases."""
    return constant_(tensor, 0.0)


def ones_(tensor: Tensor) -> Tensor:
    """Fill ``tensor`` in place with ones and return it."""
    return constant_(tensor, 1.0)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0) -> Tensor:
    r"""$U(-a, a)$, $a = \text{gain}\sqrt{6/(n_\text{in}+n_\text{out})}$."""
    fan_in, fan_out = _fans(tensor)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -a, a)


def xavier_normal_(tensor: Tensor, gain: float = 1.0) -> Tensor:
    r"""$N(0, \sigma^2)$, $\sigma = \text{gain}\sqrt{2/(n_\text{in}+n_\text{out})}$."""
    fan_in, fan_out = _fans(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = _fans(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan) if fan else 0.0


def kaiming_uniform_(
    tensor: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu"
) -> Tensor:
    r"""$U(-b, b)$, $b = \text{gain}\sqrt{3/n}$ (He et al., 2015)."""
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound)


def kaiming_normal_(
    tensor: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu"
) -> Tensor:
    r"""$N(0, \sigma^2)$, $\sigma = \text{gain}/\sqrt{n}$ (He et al., 2015)."""
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity))


def orthogonal_(tensor: Tensor, gain: float = 1.0) -> Tensor:
    r"""A (semi-)orthogonal matrix times ``gain`` (Saxe et al., 2014), as
    ``torch.nn.init.orthogonal_``: the Q of the QR decomposition of a standard normal
    matrix of shape (rows, cols) (transposed when rows < cols), its columns' signs fixed by
    $\mathrm{sign}(\mathrm{diag}\,R)$ so that Q is uniform (Haar); the trailing dims are
    flattened into cols."""
    if tensor.ndim < 2:
        raise ValueError(
            f"orthogonal_: only tensors with 2 or more dimensions are supported, got shape "
            f"{tensor.shape}"
        )
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    flat = default_generator().normal(0.0, 1.0, (rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _fill(tensor, gain * q.reshape(tensor.shape))


def trunc_normal_(
    tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0
) -> Tensor:
    r"""Samples of $\mathcal N(\text{mean}, \text{std}^2)$ truncated to $[a, b]$ (drawn
    again until inside), in place, as ``torch.nn.init.trunc_normal_``; with its warning when
    the mean is more than 2 std outside $[a, b]$."""
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. "
            "The distribution of values may be incorrect.",
            stacklevel=2,
        )
    if not a <= b:
        raise ValueError(f"trunc_normal_: the bounds must satisfy a <= b, got a={a}, b={b}")
    generator = default_generator()
    values = generator.normal(mean, std, tensor.shape)
    outside = (values < a) | (values > b)
    for _ in range(100):  # each round keeps the inside draws: a few rounds unless [a, b] is far
        if not outside.any():
            break
        values[outside] = generator.normal(mean, std, int(outside.sum()))
        outside = (values < a) | (values > b)
    return _fill(tensor, np.clip(values, a, b))


def eye_(tensor: Tensor) -> Tensor:
    """The 2-D ``tensor`` set to the identity (ones on the diagonal), in place, to keep the
    inputs of a linear layer in its output."""
    if tensor.ndim != 2:
        raise ValueError(
            f"eye_: only tensors with 2 dimensions are supported, got shape {tensor.shape}"
        )
    return _fill(tensor, np.eye(*tensor.shape))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """The 3-, 4- or 5-D convolution weight ``tensor`` set to the Dirac delta, in place: a
    convolution that passes its input channels through (within each of ``groups``)."""
    if tensor.ndim not in (3, 4, 5):
        raise ValueError(
            "dirac_: only tensors with 3, 4, or 5 dimensions are supported, got shape "
            f"{tensor.shape}"
        )
    if tensor.shape[0] % groups:
        raise ValueError(
            f"dirac_: dim 0 must be divisible by groups, got {tensor.shape[0]} and {groups}"
        )
    per_group = tensor.shape[0] // groups
    channels = min(per_group, tensor.shape[1])
    values = np.zeros(tensor.shape)
    centre = tuple(side // 2 for side in tensor.shape[2:])
    for g in range(groups):
        for d in range(channels):
            values[(g * per_group + d, d, *centre)] = 1.0
    return _fill(tensor, values)
