r"""Padding modules, thin holders of ``F.pad``'s arguments with PyTorch's names: constant
(``ZeroPad``, ``ConstantPad``), mirrored (``ReflectionPad``), edge (``ReplicationPad``) and
periodic (``CircularPad``) padding of the last one, two or three axes."""

from __future__ import annotations

from collections.abc import Sequence

from ..tensor import Tensor
from . import functional as F
from .module import Module

__all__ = [
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
    "ConstantPad1d",
    "ConstantPad2d",
    "ConstantPad3d",
    "ReflectionPad1d",
    "ReflectionPad2d",
    "ReflectionPad3d",
    "ReplicationPad1d",
    "ReplicationPad2d",
    "ReplicationPad3d",
    "CircularPad1d",
    "CircularPad2d",
    "CircularPad3d",
]


class _PadNd(Module):
    """``F.pad(x, padding, mode)``; an int ``padding`` pads every side of the ``_nd`` last
    axes by it, a tuple is ``(left, right, top, bottom, front, back)`` as ``F.pad``'s."""

    _mode = "constant"
    _nd = 1

    def __init__(self, padding: int | Sequence[int]) -> None:
        super().__init__()
        self.padding = (padding,) * 2 * self._nd if isinstance(padding, int) else tuple(padding)

    def forward(self, x: Tensor) -> Tensor:
        return F.pad(x, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    """Constant padding with ``value``."""

    def __init__(self, padding: int | Sequence[int], value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, x: Tensor) -> Tensor:
        return F.pad(x, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last axis with ``value``: (left, right)."""


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two axes with ``value``: (left, right, top, bottom)."""

    _nd = 2


class ConstantPad3d(_ConstantPadNd):
    """Pad the last three axes with ``value``: (left, right, top, bottom, front, back)."""

    _nd = 3


class ZeroPad1d(_PadNd):
    """Pad the last axis with zeros: (left, right)."""


class ZeroPad2d(_PadNd):
    """Pad the last two axes with zeros: (left, right, top, bottom)."""

    _nd = 2


class ZeroPad3d(_PadNd):
    """Pad the last three axes with zeros: (left, right, top, bottom, front, back)."""

    _nd = 3


class ReflectionPad1d(_PadNd):
    """Mirror the last axis at its ends, without repeating the edge (``F.pad`` "reflect")."""

    _mode = "reflect"


class ReflectionPad2d(ReflectionPad1d):
    """Mirror the last two axes at their ends (``F.pad`` "reflect")."""

    _nd = 2


class ReflectionPad3d(ReflectionPad1d):
    """Mirror the last three axes at their ends (``F.pad`` "reflect")."""

    _nd = 3


class ReplicationPad1d(_PadNd):
    """Repeat the edge cells of the last axis (``F.pad`` "replicate")."""

    _mode = "replicate"


class ReplicationPad2d(ReplicationPad1d):
    """Repeat the edge cells of the last two axes (``F.pad`` "replicate")."""

    _nd = 2


class ReplicationPad3d(ReplicationPad1d):
    """Repeat the edge cells of the last three axes (``F.pad`` "replicate")."""

    _nd = 3


class CircularPad1d(_PadNd):
    """Continue the last axis periodically (``F.pad`` "circular")."""

    _mode = "circular"


class CircularPad2d(CircularPad1d):
    """Continue the last two axes periodically (``F.pad`` "circular")."""

    _nd = 2


class CircularPad3d(CircularPad1d):
    """Continue the last three axes periodically (``F.pad`` "circular")."""

    _nd = 3
