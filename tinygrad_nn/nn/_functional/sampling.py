r"""``interpolate``: resizing by ``"nearest"`` or (bi)``"linear"`` sampling. Both are
separable, so each axis is one (out, in) sampling matrix $M$ and the resize is
$y = M_h\, x\, M_w^T$: a matmul, whose gradient $M^T \bar y$ is the chain rule."""

from __future__ import annotations

import math

import numpy as np

from ...tensor import Tensor, wrap

_MODES = {"nearest": (1, 2), "linear": (1,), "bilinear": (2,)}


def sampling_matrix(
    size: int, out: int, mode: str, align_corners: bool, scale: float | None
) -> np.ndarray:
    r"""(out, size) matrix of one axis. Nearest: $i = \min(\lfloor o\,r \rfloor, S-1)$;
    linear: source $u = r(o + \frac12) - \frac12$ clamped at 0 (or $u = o\frac{S-1}{O-1}$ with
    ``align_corners``), weights $1-\lambda, \lambda$ on $\lfloor u \rfloor$ and the next cell.
    $r$ is ``1/scale_factor`` when given, else $S/O$."""
    ratio = 1.0 / scale if scale else size / out
    o = np.arange(out)
    m = np.zeros((out, size))
    if mode == "nearest":
        m[o, np.minimum(np.floor(o * ratio).astype(np.int64), size - 1)] = 1.0
        return m
    if align_corners:
        src = o * ((size - 1) / (out - 1) if out > 1 else 0.0)
    else:
        src = np.maximum(ratio * (o + 0.5) - 0.5, 0.0)
    lo = np.minimum(np.floor(src).astype(np.int64), size - 1)
    hi = np.minimum(lo + 1, size - 1)
    lam = src - lo
    np.add.at(m, (o, lo), 1 - lam)
    np.add.at(m, (o, hi), lam)
    return m


def interpolate(
    input: Tensor,
    size: int | tuple[int, ...] | None = None,
    scale_factor: float | tuple[float, ...] | None = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
) -> Tensor:
    r"""Resize (N, C, L) or (N, C, H, W) to ``size`` or by ``scale_factor`` (output side
    $\lfloor S \cdot \text{scale} \rfloor$), as ``torch.nn.functional.interpolate``:
    $y = M_h x M_w^T$ with one sampling matrix per axis (see ``sampling_matrix``)."""
    if mode not in _MODES:
        raise NotImplementedError(
            f"interpolate: mode must be one of {sorted(_MODES)}, got {mode!r}"
        )
    nd = input.ndim - 2
    if nd not in _MODES[mode]:
        raise ValueError(
            f"interpolate: mode {mode!r} does not take a {input.ndim}-D input {input.shape}"
        )
    if align_corners is not None and mode == "nearest":
        raise ValueError("interpolate: align_corners only goes with the linear modes")
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size and scale_factor")
    spatial = input.shape[2:]
    if size is not None:
        out = (size,) * nd if isinstance(size, int) else tuple(size)
        scales = (None,) * nd
    else:
        scales = (
            (scale_factor,) * nd if isinstance(scale_factor, (int, float)) else tuple(scale_factor)
        )
        out = tuple(math.floor(n * s) for n, s in zip(spatial, scales))
        if recompute_scale_factor:
            scales = (None,) * nd
    if len(out) != nd or min(out) < 1:
        raise ValueError(f"interpolate: output size {out} must have {nd} positive entries")
    mats = [
        wrap(sampling_matrix(n, o, mode, bool(align_corners), s).astype(input.dtype))
        for n, o, s in zip(spatial, out, scales)
    ]
    y = input @ mats[-1].T
    return mats[0] @ y if nd == 2 else y
