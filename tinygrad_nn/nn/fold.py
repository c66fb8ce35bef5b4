r"""``Unfold`` (im2col) and ``Fold`` (col2im) as modules, thin holders of the window settings
of ``F.unfold`` and ``F.fold``."""

from __future__ import annotations

from ..tensor import Tensor
from . import functional as F
from .module import Module

__all__ = ["Unfold", "Fold"]

Size2 = int | tuple[int, int]


class _Windows(Module):
    """The sliding-window settings of ``Unfold`` and ``Fold``."""

    def __init__(
        self, kernel_size: Size2, dilation: Size2 = 1, padding: Size2 = 0, stride: Size2 = 1
    ) -> None:
        super().__init__()
        self.kernel_size, self.dilation = kernel_size, dilation
        self.padding, self.stride = padding, stride

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, dilation={self.dilation}, "
            f"padding={self.padding}, stride={self.stride}"
        )


class Unfold(_Windows):
    r"""The sliding blocks of (N, C, H, W) as columns (N, C·KH·KW, L) (``F.unfold``)."""

    def forward(self, x: Tensor) -> Tensor:
        return F.unfold(x, self.kernel_size, self.dilation, self.padding, self.stride)


class Fold(_Windows):
    r"""Columns (N, C·KH·KW, L) summed back into an image (N, C, ``output_size``)
    (``F.fold``, the adjoint of ``Unfold``)."""

    def __init__(
        self,
        output_size: Size2,
        kernel_size: Size2,
        dilation: Size2 = 1,
        padding: Size2 = 0,
        stride: Size2 = 1,
    ) -> None:
        super().__init__(kernel_size, dilation, padding, stride)
        self.output_size = output_size

    def forward(self, x: Tensor) -> Tensor:
        return F.fold(
            x, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride
        )

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}, {super().extra_repr()}"
