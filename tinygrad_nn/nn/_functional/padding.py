r"""Padding in PyTorch's four modes: ``pad`` (and ``pad_pairs``, its form with one
(before, after) pair per axis).

``constant`` fills the border with a value (``ops.Pad``). ``reflect``, ``replicate`` and
``circular`` read the border from the input itself: each is one gather ``x[..., i, j]`` with
an index array per padded axis, whose gradient (``ops.GetItem``'s) adds up the output cells
that read the same input cell.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ... import ops
from ...tensor import Tensor
from .layout import check_input

MODES = ("constant", "reflect", "replicate", "circular")


def pad(
    input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None
) -> Tensor:
    r"""Pad the last axes as ``torch.nn.functional.pad``: ``pad = (left, right, top, bottom,
    front, back)`` starts at the last axis, and a negative amount crops. On an axis of size
    $n$ padded by $(b, a)$, output cell $j$ reads input cell $i = j - b$ if $0 \le i < n$,
    and otherwise, by ``mode``:

    - ``"constant"``: ``value`` (0 when None); any number of axes;
    - ``"reflect"``: cell $-i$ or $2(n-1) - i$, the mirror image without repeating the
      edge (needs $b, a < n$);
    - ``"replicate"``: the nearest edge cell, $\min(\max(i, 0), n - 1)$;
    - ``"circular"``: cell $i \bmod n$, the periodic continuation (needs $b, a \le n$; with
      a negative pad on the other side the cropped axis is continued).

    The last three pad 1 to 3 axes of an input with one (C) or two (N, C) more axes and take
    no ``value``, as PyTorch."""
    if not isinstance(input, Tensor):
        raise TypeError(f"pad: input must be a Tensor, got {type(input).__name__}")
    if isinstance(pad, (str, bytes)) or not isinstance(pad, Sequence):
        raise TypeError(f"pad: pad must be a sequence of ints, got {pad!r}")
    if not all(isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in pad):
        raise TypeError(f"pad: pad must hold ints, got {pad!r}")
    if len(pad) % 2:
        raise RuntimeError(f"pad: needs (before, after) pairs, got an odd number of pads {pad!r}")
    if mode not in MODES:
        raise NotImplementedError(f"pad: mode must be one of {MODES}, got {mode!r}")
    pairs = [(int(pad[i]), int(pad[i + 1])) for i in reversed(range(0, len(pad), 2))]
    if len(pairs) > input.ndim:
        raise RuntimeError(
            f"pad: {len(pad)} pads are (before, after) pairs for {len(pairs)} axes, but the "
            f"input has shape {input.shape}"
        )
    return pad_pairs(input, pairs, mode, value)


def pad_pairs(
    input: Tensor, pairs: list[tuple[int, int]], mode: str = "constant", value: float | None = None
) -> Tensor:
    """``input`` padded by one (before, after) pair per axis for its last ``len(pairs)``
    axes, first axis first; ``pad`` without the argument parsing. Errors are PyTorch's types:
    NotImplementedError for what a mode cannot do, RuntimeError for sizes."""
    if mode == "constant":
        return _constant(input, pairs, 0.0 if value is None else value)
    if value is not None and value != 0:
        raise RuntimeError(f"pad: mode={mode!r} takes no value, got value={value!r}")
    if not 1 <= len(pairs) <= 3 or input.ndim not in (len(pairs) + 1, len(pairs) + 2):
        raise NotImplementedError(
            f"pad: mode={mode!r} pads the last 1 to 3 axes of an input with one (C) or two "
            f"(N, C) more axes: a {len(pairs) + 1}-D or {len(pairs) + 2}-D input for "
            f"{len(pairs)} padded axes, got shape {input.shape}"
        )
    who = f"pad: mode={mode!r}"
    check_input(input, len(pairs), who, nonempty=mode != "circular")
    first = input.ndim - len(pairs)
    if mode != "circular" and all(n + b + a < 1 for n, (b, a) in zip(input.shape[first:], pairs)):
        raise RuntimeError(
            f"pad: padding {pairs} leaves no cells of the padded axes of input {input.shape} in "
            f"mode={mode!r}"
        )
    if not any(b or a for b, a in pairs):  # Conv2d(padding=0, padding_mode="reflect")
        return input
    where = [
        _SOURCE[mode](n, b, a, f"axis {first + k} of input {input.shape}")
        for k, (n, (b, a)) in enumerate(zip(input.shape[first:], pairs))
    ]
    return input[(Ellipsis, *np.ix_(*where))]


def _constant(input: Tensor, pairs: list[tuple[int, int]], value: float) -> Tensor:
    pairs = [(0, 0)] * (input.ndim - len(pairs)) + list(pairs)
    if any(b < 0 or a < 0 for b, a in pairs):  # crop first, then pad the rest
        for axis, ((b, a), n) in enumerate(zip(pairs, input.shape)):
            if n < max(-b, 0) + max(-a, 0):
                raise RuntimeError(
                    f"pad: cropping ({b}, {a}) removes more than the {n} cells of axis {axis} "
                    f"of input {input.shape}"
                )
        crop = tuple(slice(max(-b, 0), n - max(-a, 0)) for (b, a), n in zip(pairs, input.shape))
        input = input[crop]
        pairs = [(max(b, 0), max(a, 0)) for b, a in pairs]
    if not any(b or a for b, a in pairs):
        return input
    return ops.Pad.apply(input, pad=tuple(pairs), value=value)


def _shifted(n: int, b: int, a: int, where: str) -> np.ndarray:
    """The output cells $j$ of an axis of size $n$ padded by $(b, a)$, shifted to $j - b$."""
    if n + b + a < 0:
        raise RuntimeError(f"pad: padding ({b}, {a}) leaves {n + b + a} cells of {where}")
    return np.arange(n + b + a) - b


def _reflect(n: int, b: int, a: int, where: str) -> np.ndarray:
    if b >= n or a >= n:
        raise RuntimeError(
            f"pad: reflect padding ({b}, {a}) must be smaller than the size {n} of {where}"
        )
    i = np.abs(_shifted(n, b, a, where))
    return np.where(i > n - 1, 2 * (n - 1) - i, i)


def _replicate(n: int, b: int, a: int, where: str) -> np.ndarray:
    return np.clip(_shifted(n, b, a, where), 0, n - 1)


def _circular(n: int, b: int, a: int, where: str) -> np.ndarray:
    if b > n or a > n:
        raise RuntimeError(
            f"pad: circular padding ({b}, {a}) wraps around {where} more than once (size {n})"
        )
    i = _shifted(n, b, a, where)
    start, kept = max(-b, 0), n - max(-b, 0) - max(-a, 0)  # the axis after cropping
    if kept < 1 and max(b, a) > 0:
        raise RuntimeError(
            f"pad: circular padding ({b}, {a}) crops all of {where}, leaving nothing to wrap"
        )
    return start + (i - start) % kept if len(i) else i


_SOURCE = {"reflect": _reflect, "replicate": _replicate, "circular": _circular}
