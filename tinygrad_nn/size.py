"""``Size``: the shape of a tensor, a tuple of ints with ``numel()`` (as ``torch.Size``)."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["Size"]


class Size(tuple):
    """A tensor's shape: a tuple of ints (``t.shape``, ``t.size()``) with ``numel()``.

    Slicing it or adding a tuple to it gives a ``Size`` again, as in PyTorch. It prints as
    the plain tuple ``(2, 3)`` (PyTorch prints ``torch.Size([2, 3])``), so that shapes in
    messages and doctests read as numpy's.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> s = tnn.zeros(2, 3).shape
    >>> s, s.numel(), s[1:]
    ((2, 3), 6, (3,))
    """

    __slots__ = ()

    def numel(self) -> int:
        """The number of elements of a tensor of this shape, $\\prod_i n_i$ (1 for ``()``)."""
        return math.prod(self)

    def __getitem__(self, index: Any) -> Any:
        item = tuple.__getitem__(self, index)
        return Size(item) if isinstance(index, slice) else item

    def __add__(self, other: Any) -> Size:
        return Size(tuple.__add__(self, tuple(other)))

    def __radd__(self, other: Any) -> Size:
        return Size(tuple(other) + tuple(self))
