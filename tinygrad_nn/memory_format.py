"""Memory formats, as PyTorch names them: the order in which a tensor's elements lie in
memory. Every tinygrad_nn tensor is a numpy array, so a tensor is either row-major
(``contiguous_format``, numpy's C order) or a strided view of one (a transpose, a slice).

``clone``, ``contiguous`` and ``to`` take ``memory_format=`` as in PyTorch.
``preserve_format`` keeps a copy's strides as they are. ``contiguous_format`` makes it
row-major. ``channels_last`` (NHWC strides for NCHW tensors) is accepted and gives row-major
storage: the values are the same, and only the speed of GPU kernels depends on it.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "memory_format",
    "contiguous_format",
    "preserve_format",
    "channels_last",
    "channels_last_3d",
]


class memory_format:  # noqa: N801  (PyTorch's name)
    """One of the module's constants (``tnn.contiguous_format``, ...); not built by users."""

    def __init__(self, name: str, order: str) -> None:
        self.name, self.order = name, order  # order: numpy's for a copy ("K" keeps strides)

    def __repr__(self) -> str:
        return f"tinygrad_nn.{self.name}"


contiguous_format = memory_format("contiguous_format", "C")
"""Row-major: ``contiguous()`` and ``clone(memory_format=contiguous_format)`` give it."""
preserve_format = memory_format("preserve_format", "K")
"""The strides of the tensor copied: ``clone()``'s default."""
channels_last = memory_format("channels_last", "C")
"""PyTorch's NHWC layout, a speed hint for GPU kernels: row-major here."""
channels_last_3d = memory_format("channels_last_3d", "C")
"""PyTorch's NDHWC layout, a speed hint for GPU kernels: row-major here."""


def numpy_order(fmt: Any, who: str) -> str:
    """numpy's ``order`` for a copy in memory format ``fmt``."""
    if not isinstance(fmt, memory_format):
        raise TypeError(
            f"{who}: memory_format must be one of tnn.contiguous_format, tnn.preserve_format, "
            f"tnn.channels_last, got {fmt!r}"
        )
    return fmt.order
