r"""Sub-pixel rearrangement (Shi et al., 2016): ``pixel_shuffle`` moves $r^2$ channels into
an $r \times r$ block of pixels, ``pixel_unshuffle`` undoes it; each is a reshape, a
permutation and a reshape, so the gradient is the inverse rearrangement."""

from __future__ import annotations

from ...tensor import Tensor


def _check(input: Tensor, factor: int, who: str, name: str) -> None:
    if input.ndim < 3:
        raise RuntimeError(
            f"{who} expects input to have at least 3 dimensions, but got input with "
            f"{input.ndim} dimension(s) (shape {input.shape})"
        )
    if factor <= 0:
        raise RuntimeError(f"{who} expects a positive {name}, but got {name}={factor}")


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    r"""(*, C r², H, W) to (*, C, H r, W r): output pixel $(h r + i, w r + j)$ of channel
    $c$ is input channel $c r^2 + i r + j$ at $(h, w)$."""
    who, r = "pixel_shuffle", upscale_factor
    _check(input, r, who, "upscale_factor")
    *batch, channels, h, w = input.shape
    if channels % (r * r):
        raise RuntimeError(
            f"{who} expects its input's 'channel' dimension to be divisible by the square of "
            f"upscale_factor, but input.size(-3)={channels} is not divisible by {r * r} "
            f"(input shape {input.shape})"
        )
    n = len(batch)
    x = input.reshape(*batch, channels // (r * r), r, r, h, w)
    x = x.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return x.reshape(*batch, channels // (r * r), h * r, w * r)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    r"""(*, C, H r, W r) to (*, C r², H, W), the inverse of ``pixel_shuffle``."""
    who, r = "pixel_unshuffle", downscale_factor
    _check(input, r, who, "downscale_factor")
    *batch, channels, h, w = input.shape
    if h % r or w % r:
        raise RuntimeError(
            f"{who} expects height and width to be divisible by downscale_factor, but input "
            f"shape {input.shape} is not divisible by {r}"
        )
    n = len(batch)
    x = input.reshape(*batch, channels, h // r, r, w // r, r)
    x = x.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return x.reshape(*batch, channels * r * r, h // r, w // r)
