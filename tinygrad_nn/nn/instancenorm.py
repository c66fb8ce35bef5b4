r"""Instance normalisation (Ulyanov et al., 2016): ``InstanceNorm1d``, ``InstanceNorm2d``,
``InstanceNorm3d``; each channel of each sample is normalised with its own mean and variance
over the positions (``F.instance_norm``), optionally with running estimates for eval."""

from __future__ import annotations

import warnings

from ..tensor import Tensor
from . import functional as F
from .batchnorm import _BatchNorm

__all__ = ["InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d"]


class _InstanceNorm(_BatchNorm):
    """``_BatchNorm``'s parameters and buffers with PyTorch's instance-norm defaults
    (``affine=False``, ``track_running_stats=False``); an unbatched input (one dim fewer)
    is normalised as a batch of one."""

    spatial = 1

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float = 0.1,
        affine: bool = False,
        track_running_stats: bool = False,
        device: object = None,
        dtype: object = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__(
            num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias
        )

    def forward(self, x: Tensor) -> Tensor:
        unbatched = self.spatial + 1
        if x.ndim not in (unbatched, unbatched + 1):
            raise ValueError(
                f"{type(self).__name__}: expected {unbatched}D or {unbatched + 1}D input (got "
                f"{x.ndim}D input of shape {x.shape})"
            )
        feature_dim = x.ndim - unbatched
        if x.shape[feature_dim] != self.num_features:
            if self.affine:
                raise ValueError(
                    f"{type(self).__name__}: expected input's size at dim={feature_dim} to match "
                    f"num_features ({self.num_features}), but got: {x.shape[feature_dim]}."
                )
            warnings.warn(
                f"input's size at dim={feature_dim} does not match num_features. You can "
                "silence this warning by not passing in num_features, which is not used "
                "because affine=False",
                stacklevel=2,
            )
        batched = x.unsqueeze(0) if x.ndim == unbatched else x
        y = F.instance_norm(
            batched,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            self.training or not self.track_running_stats,
            self.momentum if self.momentum is not None else 0.0,
            self.eps,
        )
        return y.squeeze(0) if x.ndim == unbatched else y


class InstanceNorm1d(_InstanceNorm):
    r"""Instance normalisation of (N, C, L) or (C, L): $y = \gamma\frac{x - \mu}{\sqrt{\sigma^2
    + \epsilon}} + \beta$, $\mu, \sigma^2$ over the length of each channel of each sample."""


class InstanceNorm2d(_InstanceNorm):
    r"""Instance normalisation of (N, C, H, W) or (C, H, W): $\mu, \sigma^2$ over the
    positions of each channel of each sample."""

    spatial = 2


class InstanceNorm3d(_InstanceNorm):
    r"""Instance normalisation of (N, C, D, H, W) or (C, D, H, W): $\mu, \sigma^2$ over the
    voxels of each channel of each sample."""

    spatial = 3
