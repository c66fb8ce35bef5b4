r"""Per-sample normalisation layers: ``LayerNorm`` and ``GroupNorm``, both
$y = \gamma (x - \mu)/\sqrt{\sigma^2 + \epsilon} + \beta$ with statistics of each sample,
and ``RMSNorm``, $y = \gamma x / \mathrm{rms}(x)$."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from . import functional as F
from . import init
from .module import Module, Parameter

__all__ = ["GroupNorm", "LayerNorm", "RMSNorm"]


class LayerNorm(Module):
    r"""$y = \gamma (x - \mu)/\sqrt{\sigma^2 + \epsilon} + \beta$ with $\mu, \sigma^2$ over the
    last axes ``normalized_shape``; $\gamma$ (ones) and $\beta$ (zeros) have that shape."""

    def __init__(
        self,
        normalized_shape: int | tuple[int, ...],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        dtype: object = None,
    ) -> None:
        super().__init__()
        shape = (
            (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        )
        dtype = dtypes.resolve(dtype)
        self.normalized_shape, self.eps, self.elementwise_affine = shape, eps, elementwise_affine
        self.weight = Parameter(np.ones(shape, dtype)) if elementwise_affine else None
        self.bias = Parameter(np.zeros(shape, dtype)) if elementwise_affine and bias else None

    def forward(self, x: Tensor) -> Tensor:
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )


class GroupNorm(Module):
    r"""$y = \gamma (x - \mu_g)/\sqrt{\sigma_g^2 + \epsilon} + \beta$, statistics over each
    group of ``num_channels/num_groups`` channels of a sample; $\gamma, \beta$ per channel."""

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        dtype: object = None,
    ) -> None:
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(
                f"GroupNorm: num_channels ({num_channels}) must be divisible by num_groups "
                f"({num_groups})"
            )
        dtype = dtypes.resolve(dtype)
        self.num_groups, self.num_channels, self.eps, self.affine = (
            num_groups,
            num_channels,
            eps,
            affine,
        )
        self.weight = Parameter(np.ones(num_channels, dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_channels, dtype)) if affine else None

    def forward(self, x: Tensor) -> Tensor:
        return F.group_norm(x, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"


class RMSNorm(Module):
    r"""$y = \gamma\, x / \sqrt{\overline{x^2} + \epsilon}$ with the mean over the last axes
    ``normalized_shape`` (``F.rms_norm``); $\gamma$ (ones) has that shape; ``eps=None`` is
    the machine epsilon of the input's dtype."""

    def __init__(
        self,
        normalized_shape: int | tuple[int, ...],
        eps: float | None = None,
        elementwise_affine: bool = True,
        device: object = None,
        dtype: object = None,
    ) -> None:
        super().__init__()
        shape = (
            (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        )
        self.normalized_shape, self.eps, self.elementwise_affine = shape, eps, elementwise_affine
        ones = np.ones(shape, dtypes.resolve(dtype))
        self.weight = Parameter(ones) if elementwise_affine else None

    def reset_parameters(self) -> None:
        r"""$\gamma$ back to ones."""
        if self.weight is not None:
            init.ones_(self.weight)

    def forward(self, x: Tensor) -> Tensor:
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )
