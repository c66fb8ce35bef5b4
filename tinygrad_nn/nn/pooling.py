r"""Pooling layers: ``MaxPool1d/2d/3d``, ``MaxUnpool1d/2d/3d``, ``AvgPool1d/2d/3d``,
``LPPool1d/2d/3d``, ``AdaptiveAvgPool1d/2d/3d``, ``AdaptiveMaxPool1d/2d/3d``; they hold the
window settings and call ``nn.functional``."""

from __future__ import annotations

from ..tensor import Tensor
from . import functional as F
from ._functional.conv import ntuple
from .module import Module

__all__ = [
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveAvgPool3d",
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "AdaptiveMaxPool3d",
    "AvgPool1d",
    "AvgPool2d",
    "AvgPool3d",
    "LPPool1d",
    "LPPool2d",
    "LPPool3d",
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
    "MaxUnpool1d",
    "MaxUnpool2d",
    "MaxUnpool3d",
]


class _MaxPoolNd(Module):
    def __init__(
        self,
        kernel_size: int | tuple[int, ...],
        stride: int | tuple[int, ...] | None = None,
        padding: int | tuple[int, ...] = 0,
        dilation: int | tuple[int, ...] = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def _args(self) -> tuple:
        return (
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            self.ceil_mode,
            self.return_indices,
        )

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class MaxPool1d(_MaxPoolNd):
    r"""$y[n, c, i] = \max_k x[n, c, i s + k\delta - p]$ over (N, C, L)."""

    def forward(self, x: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return F.max_pool1d(x, *self._args())


class MaxPool2d(_MaxPoolNd):
    r"""$y[n, c, i, j] = \max_{k,l} x[n, c, i s_h + k\delta_h - p_h, j s_w + l\delta_w - p_w]$
    over (N, C, H, W); ``stride`` defaults to ``kernel_size``."""

    def forward(self, x: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return F.max_pool2d(x, *self._args())


class MaxPool3d(_MaxPoolNd):
    r"""$y[n, c, i] = \max_k x[n, c, i s + k\delta - p]$ over (N, C, D, H, W), $i, k$ triples;
    ``stride`` defaults to ``kernel_size``; ``return_indices`` for ``MaxUnpool3d``."""

    def forward(self, x: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return F.max_pool3d(x, *self._args())


class _MaxUnpoolNd(Module):
    nd = 2

    def __init__(
        self,
        kernel_size: int | tuple[int, ...],
        stride: int | tuple[int, ...] | None = None,
        padding: int | tuple[int, ...] = 0,
    ) -> None:
        super().__init__()
        who, nd = type(self).__name__, self.nd
        self.kernel_size = ntuple(kernel_size, nd, "kernel_size", who)
        self.stride = ntuple(kernel_size if stride is None else stride, nd, "stride", who)
        self.padding = ntuple(padding, nd, "padding", who)

    def forward(
        self, input: Tensor, indices: Tensor, output_size: tuple[int, ...] | None = None
    ) -> Tensor:
        unpool = (F.max_unpool1d, F.max_unpool2d, F.max_unpool3d)[self.nd - 1]
        return unpool(input, indices, self.kernel_size, self.stride, self.padding, output_size)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpoolNd):
    r"""The partial inverse of ``MaxPool1d``: $y[n, c, \mathrm{idx}[n, c, i]] = x[n, c, i]$,
    zero elsewhere, length $(L-1)s - 2p + K$ or ``output_size``; call it as
    ``unpool(x, indices, output_size=None)``."""

    nd = 1


class MaxUnpool2d(_MaxUnpoolNd):
    r"""The partial inverse of ``MaxPool2d(return_indices=True)``: each value put back at its
    flat index $h W + w$, $y[n, c, \mathrm{idx}[n, c, i, j]] = x[n, c, i, j]$, zero elsewhere;
    side $(S-1)s - 2p + K$ or ``output_size``; call it as ``unpool(x, indices,
    output_size=None)``."""


class MaxUnpool3d(_MaxUnpoolNd):
    r"""The partial inverse of ``MaxPool3d(return_indices=True)``: each value put back at its
    flat index $(d H + h) W + w$, zero elsewhere; side $(S-1)s - 2p + K$ or ``output_size``."""

    nd = 3


class AvgPool1d(Module):
    r"""$y[n, c, i] = \frac1K \sum_k x[n, c, i s + k - p]$ over (N, C, L)."""

    def __init__(
        self,
        kernel_size: int | tuple[int],
        stride: int | tuple[int] | None = None,
        padding: int | tuple[int] = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.ceil_mode, self.count_include_pad = padding, ceil_mode, count_include_pad

    def forward(self, x: Tensor) -> Tensor:
        return F.avg_pool1d(
            x, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(AvgPool1d):
    r"""The mean of each window: $y[n, c, i, j] = \frac{1}{K_h K_w}\sum_{k,l}
    x[n, c, i s_h + k - p_h, j s_w + l - p_w]$ over (N, C, H, W)."""

    def __init__(
        self,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] | None = None,
        padding: int | tuple[int, int] = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
    ) -> None:
        super().__init__(kernel_size, stride, padding, ceil_mode, count_include_pad)
        self.divisor_override = divisor_override

    _pool = staticmethod(F.avg_pool2d)

    def forward(self, x: Tensor) -> Tensor:
        return self._pool(
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )


class AvgPool3d(AvgPool2d):
    r"""The mean of each window of (N, C, D, H, W): $y[n, c, i] = \frac{1}{|W|}\sum_{k \in W}
    x[n, c, i s + k - p]$ with $i, k$ triples, divided as ``AvgPool2d``'s."""

    _pool = staticmethod(F.avg_pool3d)


class _LPPoolNd(Module):
    """A power-average pooling layer: ``norm_type`` $p$, ``kernel_size``, ``stride``
    (``None``: the kernel) and ``ceil_mode``."""

    nd = 2

    def __init__(
        self,
        norm_type: float,
        kernel_size: int | tuple[int, ...],
        stride: int | tuple[int, ...] | None = None,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        self.norm_type, self.kernel_size, self.stride = norm_type, kernel_size, stride
        self.ceil_mode = ceil_mode

    def forward(self, x: Tensor) -> Tensor:
        pool = (F.lp_pool1d, F.lp_pool2d, F.lp_pool3d)[self.nd - 1]
        return pool(x, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)

    def extra_repr(self) -> str:
        return (
            f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, ceil_mode={self.ceil_mode}"
        )


class LPPool1d(_LPPoolNd):
    r"""The $p$-norm of each window of (N, C, L): $y[n, c, i] = (\sum_k x[n, c, i s + k]^p)^{1/p}$
    (``F.lp_pool1d``)."""

    nd = 1


class LPPool2d(_LPPoolNd):
    r"""The $p$-norm of each window of (N, C, H, W), $y = (\sum_{k \in W} x_k^p)^{1/p}$: sum
    pooling at $p = 1$, max pooling of $|x|$ at $p = \infty$ (``F.lp_pool2d``)."""


class LPPool3d(_LPPoolNd):
    r"""The $p$-norm of each window of (N, C, D, H, W), $y = (\sum_{k \in W} x_k^p)^{1/p}$
    (``F.lp_pool3d``)."""

    nd = 3


class _AdaptivePoolNd(Module):
    """An adaptive pooling layer: its ``output_size``."""

    def __init__(self, output_size: int | tuple[int | None, int | None]) -> None:
        super().__init__()
        self.output_size = output_size

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool2d(_AdaptivePoolNd):
    r"""Average pooling to a fixed ``output_size`` (OH, OW) whatever the input size:
    $y = A_h x A_w^T$ with PyTorch's adaptive windows $\lfloor iS/O \rfloor ..
    \lceil (i+1)S/O \rceil - 1$."""

    def forward(self, x: Tensor) -> Tensor:
        return F.adaptive_avg_pool2d(x, self.output_size)


class AdaptiveAvgPool1d(_AdaptivePoolNd):
    r"""Average pooling of (N, C, L) or (C, L) to ``output_size`` cells, PyTorch's adaptive
    windows (``F.adaptive_avg_pool1d``)."""

    def forward(self, x: Tensor) -> Tensor:
        return F.adaptive_avg_pool1d(x, self.output_size)


class AdaptiveAvgPool3d(_AdaptivePoolNd):
    r"""Average pooling of (N, C, D, H, W) or (C, D, H, W) to ``output_size`` (OD, OH, OW),
    PyTorch's adaptive windows on each axis (``F.adaptive_avg_pool3d``)."""

    def forward(self, x: Tensor) -> Tensor:
        return F.adaptive_avg_pool3d(x, self.output_size)


class _AdaptiveMaxPoolNd(_AdaptivePoolNd):
    """An adaptive max pooling layer: its ``output_size`` and ``return_indices``."""

    def __init__(
        self, output_size: int | tuple[int | None, int | None], return_indices: bool = False
    ) -> None:
        super().__init__(output_size)
        self.return_indices = return_indices


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    r"""The maximum of each adaptive window of (N, C, L) or (C, L), to ``output_size`` cells;
    ``return_indices`` also returns where each maximum is (``F.adaptive_max_pool1d``)."""

    def forward(self, x: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return F.adaptive_max_pool1d(x, self.output_size, self.return_indices)


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    r"""The maximum of each adaptive window of (N, C, H, W) or (C, H, W), to ``output_size``
    (OH, OW); ``return_indices`` also returns the flat position of each maximum
    (``F.adaptive_max_pool2d``)."""

    def forward(self, x: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return F.adaptive_max_pool2d(x, self.output_size, self.return_indices)


class AdaptiveMaxPool3d(_AdaptiveMaxPoolNd):
    r"""The maximum of each adaptive window of (N, C, D, H, W) or (C, D, H, W), to
    ``output_size`` (OD, OH, OW); ``return_indices`` also returns the flat position of each
    maximum (``F.adaptive_max_pool3d``)."""

    def forward(self, x: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return F.adaptive_max_pool3d(x, self.output_size, self.return_indices)
