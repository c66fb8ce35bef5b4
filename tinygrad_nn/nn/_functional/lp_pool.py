r"""Power-average pooling: ``lp_pool1d/2d/3d``, the $p$-norm of each window,
$y = (\sum_{k \in W} x_k^p)^{1/p}$, composed as PyTorch's from average pooling of $x^p$ (so
with ``ceil_mode`` a window cut by the border is scaled up to the full kernel, as PyTorch's);
$p = \pm\infty$ is the largest (smallest) $|x|$ of the window."""

from __future__ import annotations

import math

from ...tensor import Tensor
from .conv import ntuple
from .layout import check_input
from .pooling import _avg_pool, _max_pool


def _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, nd) -> Tensor:
    who = f"lp_pool{nd}d"
    check_input(input, nd, who)
    if norm_type in (math.inf, -math.inf):
        sign = 1 if norm_type > 0 else -1
        return sign * _max_pool(
            sign * input.abs(), kernel_size, stride, 0, 1, ceil_mode, False, nd, who
        )
    kernel = ntuple(kernel_size, nd, "kernel_size", who)
    mean = _avg_pool(input**norm_type, kernel, stride, 0, ceil_mode, True, None, nd, who)
    total = mean * math.prod(kernel)
    # sign * relu(|.|) is the identity whose gradient is 0 where the sum is 0 (PyTorch's): no
    # infinite derivative of the root there
    return (total.sign() * total.abs().relu()) ** (1.0 / norm_type)


def lp_pool1d(
    input: Tensor,
    norm_type: float,
    kernel_size: int | tuple[int],
    stride: int | tuple[int] | None = None,
    ceil_mode: bool = False,
) -> Tensor:
    r"""$y[n, c, i] = (\sum_k x[n, c, i s + k]^p)^{1/p}$ over (N, C, L) or (C, L)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool2d(
    input: Tensor,
    norm_type: float,
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None,
    ceil_mode: bool = False,
) -> Tensor:
    r"""$y[n, c, i, j] = (\sum_{k,l} x[n, c, i s_h + k, j s_w + l]^p)^{1/p}$ over
    (N, C, H, W) or (C, H, W); $p = 1$ is sum pooling, $p = \infty$ max pooling of $|x|$."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool3d(
    input: Tensor,
    norm_type: float,
    kernel_size: int | tuple[int, int, int],
    stride: int | tuple[int, int, int] | None = None,
    ceil_mode: bool = False,
) -> Tensor:
    r"""The $p$-norm of each window of (N, C, D, H, W) or (C, D, H, W),
    $y = (\sum_{k \in W} x_k^p)^{1/p}$."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3)
