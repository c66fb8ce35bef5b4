r"""Batch normalisation (Ioffe & Szegedy, 2015): ``BatchNorm1d``, ``BatchNorm2d``,
``BatchNorm3d``; one class, ``_BatchNorm``, with the input ranks each accepts.
In training each channel is normalised with the batch's mean and variance and the running
estimates are updated, $\hat\mu \leftarrow (1-m)\hat\mu + m\mu_B$ (``momentum`` $m$; with
``momentum=None`` the cumulative average, $m = 1/t$); in eval the running estimates are used."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..device import resolve_device
from ..tensor import Tensor, wrap
from . import functional as F
from .module import Module, Parameter

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d"]


class _BatchNorm(Module):
    """Parameters ``weight`` (ones) and ``bias`` (zeros) with ``affine`` (no bias with
    ``bias=False``), buffers ``running_mean`` (zeros), ``running_var`` (ones) and
    ``num_batches_tracked``, in PyTorch's ``state_dict`` order; ``dims``: the input ranks."""

    dims: tuple[int, ...] = (2, 3)

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: object = None,
        dtype: object = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        resolve_device(device, type(self).__name__)
        dtype = dtypes.resolve(dtype)
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        self.weight = Parameter(np.ones(num_features, dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dtype)) if affine and bias else None
        if track_running_stats:
            self.register_buffer("running_mean", wrap(np.zeros(num_features, dtype)))
            self.register_buffer("running_var", wrap(np.ones(num_features, dtype)))
            self.register_buffer("num_batches_tracked", wrap(np.array(0, np.int64)))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean._data[...] = 0
            self.running_var._data[...] = 1
            self.num_batches_tracked._data[...] = 0

    def forward(self, x: Tensor) -> Tensor:
        if x.ndim not in self.dims:
            raise ValueError(
                f"{type(self).__name__}: expected a {' or '.join(f'{d}-D' for d in self.dims)} "
                f"input, got shape {x.shape}"
            )
        if x.shape[1] != self.num_features:
            raise ValueError(
                f"{type(self).__name__}: expected {self.num_features} channels, got shape {x.shape}"
            )
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked._data += 1
            if self.momentum is None:
                factor = 1.0 / float(self.num_batches_tracked._data)
        use_batch = self.training or self.running_mean is None
        track = not self.training or self.track_running_stats
        return F.batch_norm(
            x,
            self.running_mean if track else None,
            self.running_var if track else None,
            self.weight,
            self.bias,
            use_batch,
            factor,
            self.eps,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    r"""Batch normalisation of (N, C) or (N, C, L): $y = \gamma\frac{x - \mu}{\sqrt{\sigma^2
    + \epsilon}} + \beta$ per channel, $\mu, \sigma^2$ over the batch (and length)."""

    dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    r"""Batch normalisation of (N, C, H, W): $y = \gamma\frac{x - \mu}{\sqrt{\sigma^2 +
    \epsilon}} + \beta$ per channel, $\mu, \sigma^2$ over the batch and the positions."""

    dims = (4,)


class BatchNorm3d(_BatchNorm):
    r"""Batch normalisation of (N, C, D, H, W): $y = \gamma\frac{x - \mu}{\sqrt{\sigma^2 +
    \epsilon}} + \beta$ per channel, $\mu, \sigma^2$ over the batch and the voxels."""

    dims = (5,)
