"""The layout that convolution, pooling and padding take: (N, C, *spatial), a batch of
C-channel maps with ``nd`` spatial axes, or (C, *spatial) unbatched; its one input check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...checks import ShapeError
from ...tensor import Tensor


def check_input(input: Tensor, nd: int, who: str, nonempty: bool | str = False) -> bool:
    """Refuse an ``input`` that is not a Tensor of shape (N, C, *spatial) or (C, *spatial)
    with ``nd`` spatial axes (a `ShapeError`, PyTorch's RuntimeError and the ValueError it
    once was), or, when ``nonempty``, that has an empty axis other than N (a RuntimeError, as
    PyTorch's; with ``nonempty="spatial"`` only the spatial axes count); the error names
    ``who``, the dims expected and the shape. Returns whether the input has the N axis."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{who}: input must be a Tensor, got {type(input).__name__}")
    if input.ndim not in (nd + 1, nd + 2):
        spatial = f"{nd} spatial {'axis' if nd == 1 else 'axes'}"
        raise ShapeError(
            f"{who}: expected a {nd + 1}-D or {nd + 2}-D input, {spatial} after one (C) or "
            f"two (N, C) more axes; got shape {input.shape}"
        )
    batched = input.ndim == nd + 2
    first = input.ndim - nd if nonempty == "spatial" else int(batched)
    if nonempty and 0 in input.shape[first:]:
        axes = "spatial axes" if nonempty == "spatial" else "axes (except the batch axis)"
        empty = input.shape.index(0, first)
        raise RuntimeError(
            f"{who}: needs non-empty {axes}, got shape {input.shape} with axis {empty} empty"
        )
    return batched


def as_batched(input: Tensor, nd: int, who: str) -> tuple[Tensor, Callable[[Any], Any]]:
    """``input`` checked as (N, C, *spatial) or unbatched (C, *spatial), with the N axis, and
    the function that gives an output (or a tuple of outputs) back the caller's layout: an
    unbatched input is a batch of one, its outputs lose the batch axis again, as PyTorch's.
    Callers keep the given ``input`` for their error messages: they name the user's shape."""
    if check_input(input, nd, who):
        return input, _same
    return input.unsqueeze(0), _unbatched


def _same(out: Any) -> Any:
    return out


def _unbatched(out: Any) -> Any:
    return tuple(o.squeeze(0) for o in out) if isinstance(out, tuple) else out.squeeze(0)
