r"""Convolution layers: ``Conv1d``, ``Conv2d``, ``ConvTranspose2d`` (thin holders of the
filters; the math is in ``nn.functional``). The filters start as PyTorch's: Kaiming-uniform
with $a = \sqrt5$, i.e. $U(\pm 1/\sqrt{\text{fan\_in}})$, and so does the bias."""

from __future__ import annotations

import math

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from . import functional as F
from . import init
from ._functional.conv import conv_padding, ntuple
from ._functional.padding import pad_pairs
from .module import Module, Parameter

__all__ = ["Conv1d", "Conv2d", "ConvTranspose2d"]

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNd(Module):
    """Shared holder with ``Conv1d``/``Conv2d``'s arguments (in_channels, out_channels,
    kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode="zeros"):
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
        dtype: object = None,
        output_padding: int | tuple[int, ...] = 0,
    ) -> None:
        super().__init__()
        who = type(self).__name__
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
        self.output_padding = ntuple(output_padding, nd, "output_padding", who)
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

    def _conv_forward(self, x: Tensor, conv) -> Tensor:
        """``conv`` with the layer's settings; a non-zero ``padding_mode`` pads with
        ``F.pad`` in that mode first and convolves without padding, as PyTorch."""
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

    def forward(self, x: Tensor) -> Tensor:
        return self._conv_forward(x, F.conv1d)


class Conv2d(_ConvNd):
    r"""2-D convolution over (N, C_in, H, W) with ``weight`` (C_out, C_in/groups, KH, KW):
    $y[n, o, i, j] = b_o + \sum_{c,k,l} w[o, c, k, l]\, x[n, c, i s_h + k\delta_h - p_h,
    j s_w + l\delta_w - p_w]$, output side $\lfloor (S + 2p - \delta(K-1) - 1)/s \rfloor + 1$;
    the border holds zeros, or with ``padding_mode`` ``"reflect"``, ``"replicate"`` or
    ``"circular"`` the input's cells as ``F.pad`` in that mode gives them."""

    def forward(self, x: Tensor) -> Tensor:
        return self._conv_forward(x, F.conv2d)


class ConvTranspose2d(_ConvNd):
    r"""Transposed 2-D convolution (the gradient of ``Conv2d`` in its input), ``weight``
    (C_in, C_out/groups, KH, KW): each input pixel adds its weighted filter to the output,
    whose side is $(S-1)s - 2p + \delta(K-1) + \text{output\_padding} + 1$."""

    transposed = True

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        output_padding: int | tuple[int, int] = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: int | tuple[int, int] = 1,
        padding_mode: str = "zeros",
        dtype: object = None,
    ) -> None:
        if isinstance(padding, str):
            raise ValueError(f"ConvTranspose2d: padding must be an int or a tuple, got {padding!r}")
        if padding_mode != "zeros":
            raise ValueError(
                f"ConvTranspose2d: only padding_mode='zeros' is supported, got {padding_mode!r}"
            )
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
            dtype,
            output_padding,
        )

    def forward(self, x: Tensor) -> Tensor:
        return F.conv_transpose2d(
            x,
            self.weight,
            self.bias,
            self.stride,
            self.padding,
            self.output_padding,
            self.groups,
            self.dilation,
        )
