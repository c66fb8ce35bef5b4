"""How tensors print: PyTorch's layout (``tensor([0.5000, 1.2500])``) and its print options.

One format serves a whole tensor, chosen from its finite nonzero values as PyTorch chooses it:
integers in a float tensor print as ``1.``; scientific notation is used when the largest and
smallest magnitudes differ by more than 1000, the largest exceeds $10^8$ or the smallest is
below $10^{-4}$ (or always / never with ``sci_mode``); otherwise ``precision`` decimals. Every
element is padded to the widest, rows wrap at ``linewidth``, and a tensor of more than
``threshold`` elements shows only ``edgeitems`` at each end of every dimension.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from . import checks
from .dtypes import get_default_dtype

__all__ = ["get_printoptions", "printoptions", "set_printoptions"]

PROFILES = {  # precision, threshold, edgeitems, linewidth, as torch's profiles
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}
_options: dict[str, Any] = dict(
    zip(("precision", "threshold", "edgeitems", "linewidth"), PROFILES["default"]), sci_mode=None
)


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set how tensors print, as ``torch.set_printoptions``: ``precision`` decimals (4),
    summarise tensors of more than ``threshold`` elements (1000) to ``edgeitems`` per end of
    each dimension (3), wrap rows at ``linewidth`` characters (80), ``sci_mode`` True / False
    to force scientific notation on or off (None: chosen per tensor). ``profile`` sets the first
    four at once: ``"default"``, ``"short"`` (precision 2, edgeitems 2) or ``"full"`` (no
    summary); options given beside it override it. As in PyTorch, ``sci_mode`` is reset to
    None by any call that does not give it."""
    new = dict(_options)
    if profile is not None:
        if profile not in PROFILES:
            raise ValueError(
                f"set_printoptions: profile must be one of {sorted(PROFILES)}, got {profile!r}"
            )
        new.update(zip(("precision", "threshold", "edgeitems", "linewidth"), PROFILES[profile]))
    if precision is not None:
        new["precision"] = checks.integer("set_printoptions: precision", precision, minimum=0)
    if threshold is not None and threshold != math.inf:  # inf: never summarise ("full")
        threshold = checks.in_range("set_printoptions: threshold", threshold, 0)
    if threshold is not None:
        new["threshold"] = threshold
    if edgeitems is not None:
        new["edgeitems"] = checks.integer("set_printoptions: edgeitems", edgeitems, minimum=0)
    if linewidth is not None:
        new["linewidth"] = checks.integer("set_printoptions: linewidth", linewidth, minimum=1)
    if sci_mode is not None and not isinstance(sci_mode, (bool, np.bool_)):
        raise TypeError(f"set_printoptions: sci_mode must be True, False or None, got {sci_mode!r}")
    new["sci_mode"] = None if sci_mode is None else bool(sci_mode)
    _options.update(new)


def get_printoptions() -> dict[str, Any]:
    """The current print options, as keywords for ``set_printoptions``."""
    return dict(_options)


@contextmanager
def printoptions(**options: Any) -> Iterator[None]:
    """Print with ``set_printoptions(**options)`` inside the ``with`` block only."""
    saved = get_printoptions()
    set_printoptions(**options)
    try:
        yield
    finally:
        _options.update(saved)


class _Format:
    """The one format of a tensor's elements, and their common width."""

    def __init__(self, shown: np.ndarray) -> None:
        self.floating = shown.dtype.kind == "f"
        self.integral, self.sci, self.width = True, False, 1
        if not self.floating:
            self.width = max((len(str(v)) for v in shown.tolist()), default=1)
            return
        values = shown[np.isfinite(shown) & (shown != 0)].astype(np.float64)
        if not values.size:
            return
        p, low, high = _options["precision"], np.abs(values).min(), np.abs(values).max()
        self.integral = bool((values == np.ceil(values)).all())
        sci = _options["sci_mode"]
        self.sci = high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4 if sci is None else sci
        if self.sci:
            self.width = max(len(f"{v:.{p}e}") for v in values.tolist())
        elif self.integral:
            self.width = max(len(f"{v:.0f}") + 1 for v in values.tolist())
        else:
            self.width = max(len(f"{v:.{p}f}") for v in values.tolist())

    def __call__(self, v: Any) -> str:
        if not self.floating:
            text = str(v)
        elif self.sci:
            text = f"{v:.{_options['precision']}e}"
        elif self.integral:
            text = f"{v:.0f}" + ("" if math.isinf(v) or math.isnan(v) else ".")
        else:
            text = f"{v:.{_options['precision']}f}"
        return text.rjust(self.width)


def _shown(a: np.ndarray) -> np.ndarray:
    """The elements a summary shows (``edgeitems`` at each end of every dimension)."""
    edge = _options["edgeitems"]
    if a.ndim == 0:
        return a.reshape(1)
    if a.ndim > 1 and not edge:
        return a[:0].reshape(-1)
    parts = [a[:edge], a[-edge:]] if len(a) > 2 * edge else [a]
    if a.ndim == 1:
        return np.concatenate(parts)
    return np.concatenate([_shown(row) for part in parts for row in part])


def _body(a: np.ndarray, indent: int, summarize: bool, fmt: _Format) -> str:
    """``a`` as nested brackets, the rows of a vector wrapped at ``linewidth``."""
    edge = _options["edgeitems"]
    cut = summarize and len(a) > 2 * edge
    if a.ndim == 1:
        if summarize and not edge:
            items = ["..."]
        elif cut:
            items = [*map(fmt, a[:edge].tolist()), " ...", *map(fmt, a[-edge:].tolist())]
        else:
            items = [fmt(v) for v in a.tolist()]
        per_line = max(1, (_options["linewidth"] - indent) // (fmt.width + 2))
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = [*a[:edge], None, *a[len(a) - edge :]] if cut else list(a)
    parts = ["..." if r is None else _body(r, indent + 1, summarize, fmt) for r in rows]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def tensor_repr(t: Any) -> str:
    """``repr`` of the Tensor ``t``: ``tensor(`` + its elements + the suffixes PyTorch adds
    (the size of an empty tensor, a dtype other than the defaults, ``grad_fn`` or
    ``requires_grad``), a suffix going to a new line when it would pass ``linewidth``."""
    a, prefix = t._data, "tensor("
    indent, suffixes = len(prefix), []
    if a.size == 0:
        text = prefix + "[]"
        if a.ndim != 1:
            suffixes.append(f"size={tuple(a.shape)}")
        if a.dtype != get_default_dtype():
            suffixes.append(f"dtype={a.dtype}")
    else:
        if not _options["edgeitems"]:  # the elements may all hide behind "...": say the shape
            suffixes.append(f"size={tuple(a.shape)}")
        if a.dtype not in (get_default_dtype(), np.int64, np.bool_):
            suffixes.append(f"dtype={a.dtype}")
        summarize = a.size > _options["threshold"]
        fmt = _Format(_shown(a) if summarize else a.reshape(-1))
        text = prefix + (fmt(a.item()) if a.ndim == 0 else _body(a, indent, summarize, fmt))
    if t._ctx is not None:
        suffixes.append(f"grad_fn=<{type(t._ctx).__name__}Backward>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    line = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if line + len(suffix) + 2 > _options["linewidth"]:
            text += ",\n" + " " * indent + suffix
            line = indent + len(suffix)
        else:
            text += ", " + suffix
            line += len(suffix) + 2
    return text + ")"
