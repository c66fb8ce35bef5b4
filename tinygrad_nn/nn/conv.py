r"""Convolution layers: ``Conv1d/2d/3d``, ``ConvTranspose1d/2d/3d`` (thin holders of the
filters; the math is in ``nn.functional``). The filters start as PyTorch's: Kaiming-uniform
with $a = \sqrt5$, i.e. $U(\pm 1/\sqrt{\text{fan\_in}})$, and so does the bias."""

from __future__ import annotations

import math

import numpy as np

from .. import dtypes
from ..device import resolve_device
from ..tensor import Tensor
from . import functional as F
from . import init
from ._functional.conv import conv_padding, ntuple, transposed_size
from ._functional.padding import pad_pairs
from .module import Module, Parameter

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNd(Module):
    """Shared holder with ``Conv1d/2d/3d``'s arguments (in_channels, out_channels,
    kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode="zeros",
    device=None, dtype=None):
    checks them, makes ``weight`` and ``bias`` and prints them."""

    nd = 2
    transposed = False

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, ...],
        stride: int | tuple[int, ...] = 1,
        padding: str | int | tuple[int, ...] = 0,
        dilation: int | tuple[int, ...] = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: object = None,
        dtype: object = None,
    ) -> None:
        super().__init__()
        who = type(self).__name__
        resolve_device(device, who)
        if groups < 1 or in_channels % groups or out_channels % groups:
            raise ValueError(
                f"{who}: in_channels ({in_channels}) and out_channels ({out_channels}) must be "
                f"divisible by groups ({groups})"
            )
        if padding_mode not in PADDING_MODES:
            raise ValueError(
                f"{who}: padding_mode must be one of {PADDING_MODES}, got {padding_mode!r}"
            )
        nd = self.nd
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = ntuple(kernel_size, nd, "kernel_size", who)
        self.stride = ntuple(stride, nd, "stride", who)
        self.dilation = ntuple(dilation, nd, "dilation", who)
        conv_padding(padding, self.kernel_size, self.stride, self.dilation, who)  # its checks
        self.padding = padding if isinstance(padding, str) else ntuple(padding, nd, "padding", who)
        self.output_padding = (0,) * nd  # a transposed convolution's is set by its class
        self.groups, self.padding_mode = groups, padding_mode
        dtype = dtypes.resolve(dtype)
        if self.transposed:
            shape = (in_channels, out_channels // groups, *self.kernel_size)
        else:
            shape = (out_channels, in_channels // groups, *self.kernel_size)
        self.weight = Parameter(np.empty(shape, dtype))
        self.bias = Parameter(np.empty(out_channels, dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.weight.shape[1] * math.prod(self.kernel_size)
            bound = 1 / math.sqrt(fan_in) if fan_in else 0.0
            init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if self.padding != (0,) * self.nd:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * self.nd:
            text += f", dilation={self.dilation}"
        if self.output_padding != (0,) * self.nd:
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text

    def forward(self, x: Tensor) -> Tensor:
        """The convolution with the layer's settings; a non-zero ``padding_mode`` pads with
        ``F.pad`` in that mode first and convolves without padding, as PyTorch."""
        conv = (F.conv1d, F.conv2d, F.conv3d)[self.nd - 1]
        padding = self.padding
        if self.padding_mode != "zeros":
            who = type(self).__name__
            pairs = conv_padding(padding, self.kernel_size, self.stride, self.dilation, who)
            x, padding = pad_pairs(x, pairs, self.padding_mode), 0
        return conv(x, self.weight, self.bias, self.stride, padding, self.dilation, self.groups)


class Conv1d(_ConvNd):
    r"""1-D convolution over (N, C_in, L): $y[n, o, p] = b_o + \sum_{c,k} w[o, c, k]\,
    x[n, c, p s + k\delta - \text{pad}]$; ``weight`` (C_out, C_in/groups, K); the border as
    ``padding_mode`` says (``"zeros"``, ``"reflect"``, ``"replicate"``, ``"circular"``)."""

    nd = 1


class Conv2d(_ConvNd):
    r"""2-D convolution over (N, C_in, H, W) with ``weight`` (C_out, C_in/groups, KH, KW):
    $y[n, o, i, j] = b_o + \sum_{c,k,l} w[o, c, k, l]\, x[n, c, i s_h + k\delta_h - p_h,
    j s_w + l\delta_w - p_w]$, output side $\lfloor (S + 2p - \delta(K-1) - 1)/s \rfloor + 1$;
    the border holds zeros, or with ``padding_mode`` ``"reflect"``, ``"replicate"`` or
    ``"circular"`` the input's cells as ``F.pad`` in that mode gives them."""


class Conv3d(_ConvNd):
    r"""3-D convolution over (N, C_in, D, H, W) (volumes, video) with ``weight``
    (C_out, C_in/groups, KD, KH, KW): ``Conv2d``'s sum over one more axis, each output side
    $\lfloor (S + 2p - \delta(K-1) - 1)/s \rfloor + 1$; ``padding_mode`` as ``Conv2d``'s."""

    nd = 3


class _ConvTransposeNd(_ConvNd):
    """Shared holder of the transposed convolutions, with PyTorch's argument order (in_channels,
    out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True,
    dilation=1, padding_mode="zeros", device=None, dtype=None); ``forward(x,
    output_size=None)`` picks the
    ``output_padding`` that gives ``output_size``, as PyTorch."""

    transposed = True

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, ...],
        stride: int | tuple[int, ...] = 1,
        padding: int | tuple[int, ...] = 0,
        output_padding: int | tuple[int, ...] = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: int | tuple[int, ...] = 1,
        padding_mode: str = "zeros",
        device: object = None,
        dtype: object = None,
    ) -> None:
        who = type(self).__name__
        if isinstance(padding, str):
            raise ValueError(f"{who}: padding must be an int or a tuple, got {padding!r}")
        if padding_mode != "zeros":
            raise ValueError(f"{who}: only padding_mode='zeros' is supported, got {padding_mode!r}")
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            bias,
            padding_mode,
            device,
            dtype,
        )
        self.output_padding = ntuple(output_padding, self.nd, "output_padding", who)

    def _output_padding(self, x: Tensor, output_size: tuple[int, ...] | None) -> tuple[int, ...]:
        r"""``output_padding``, or the one that makes the output's spatial shape
        ``output_size`` ((*S) or with the leading (N, C) or (C)): each side between the
        smallest, $(S-1)s - 2p + \delta(K-1) + 1$, and that plus $s - 1$."""
        if output_size is None:
            return self.output_padding
        who, nd = type(self).__name__, self.nd
        size = tuple(output_size)
        if len(size) == x.ndim:
            size = size[x.ndim - nd :]
        if len(size) != nd:
            raise ValueError(
                f"{who}: for a {x.ndim}-D input, output_size must have {nd} or {x.ndim} "
                f"entries, got {tuple(output_size)}"
            )
        smallest = tuple(
            transposed_size(
                x.shape[-nd:], self.stride, self.padding, self.dilation, self.kernel_size, (0,) * nd
            )
        )
        largest = tuple(m + s - 1 for m, s in zip(smallest, self.stride))
        if any(not lo <= o <= hi for o, lo, hi in zip(size, smallest, largest)):
            raise ValueError(
                f"{who}: requested an output size of {size}, but valid sizes range from "
                f"{smallest} to {largest} (for an input of spatial shape {x.shape[-nd:]})"
            )
        return tuple(o - m for o, m in zip(size, smallest))

    def forward(self, x: Tensor, output_size: tuple[int, ...] | None = None) -> Tensor:
        conv = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[self.nd - 1]
        return conv(
            x,
            self.weight,
            self.bias,
            self.stride,
            self.padding,
            self._output_padding(x, output_size),
            self.groups,
            self.dilation,
        )


class ConvTranspose1d(_ConvTransposeNd):
    r"""Transposed 1-D convolution (the gradient of ``Conv1d`` in its input), ``weight``
    (C_in, C_out/groups, K): each input cell adds its weighted filter to the output, of
    length $(L-1)s - 2p + \delta(K-1) + \text{output\_padding} + 1$."""

    nd = 1


class ConvTranspose2d(_ConvTransposeNd):
    r"""Transposed 2-D convolution (the gradient of ``Conv2d`` in its input), ``weight``
    (C_in, C_out/groups, KH, KW): each input pixel adds its weighted filter to the output,
    whose side is $(S-1)s - 2p + \delta(K-1) + \text{output\_padding} + 1$."""


class ConvTranspose3d(_ConvTransposeNd):
    r"""Transposed 3-D convolution (the gradient of ``Conv3d`` in its input), ``weight``
    (C_in, C_out/groups, KD, KH, KW), each side
    $(S-1)s - 2p + \delta(K-1) + \text{output\_padding} + 1$: the decoder half of 3-D
    U-Nets."""

    nd = 3
