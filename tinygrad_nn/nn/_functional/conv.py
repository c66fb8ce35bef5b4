r"""Convolution as windows and one matmul (im2col): ``unfold``, ``fold``,
``conv1d/2d/3d``, ``conv_transpose1d/2d/3d``, any number of spatial axes.

A convolution (a cross-correlation, as in PyTorch) of input $x$ with filters $w$ is
$y[n, o, p] = b_o + \sum_{c, k} w[o, c, k]\, x[n, c, p s + k \delta]$: the windows of $x$
(``ops.Windows``, a strided view) times the flattened filters. Its backward is the chain
rule of those two ops: the matmul's gradients, and col2im (the windows' adjoint), which
makes the input gradient a transposed convolution of $\bar y$ with $w$.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ... import ops
from ...tensor import Tensor
from .layout import as_batched
from .padding import pad_pairs


def ntuple(value: int | tuple[int, ...], n: int, name: str, who: str) -> tuple[int, ...]:
    """``value`` as a tuple of ``n`` ints (an int is repeated), or a clear error."""
    items = (value,) * n if isinstance(value, int) else tuple(value)
    if len(items) != n or not all(isinstance(v, int) for v in items):
        raise ValueError(f"{who}: {name} must be an int or a tuple of {n} ints, got {value!r}")
    return items


def window_counts(size, padding, kernel, stride, dilation, subject: str) -> tuple[int, ...]:
    r"""Windows per axis, $\lfloor (n + p_b + p_a - \delta(k-1) - 1) / s \rfloor + 1$, of
    spatial ``size`` with (before, after) ``padding``; a RuntimeError (PyTorch's type) when an
    axis has none, naming ``subject`` (``"conv2d: input (3, 2, 2)"``, the caller's shape)."""
    padded = tuple(n + b + a for n, (b, a) in zip(size, padding))
    spans = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    if any(n < span for n, span in zip(padded, spans)):
        dilated = f" dilated to {spans}" if spans != tuple(kernel) else ""
        raise RuntimeError(
            f"{subject}, padded to spatial size {padded}, is smaller than the kernel "
            f"{tuple(kernel)}{dilated}"
        )
    return tuple((n - span) // s + 1 for n, span, s in zip(padded, spans, stride))


def windows(
    input: Tensor,
    kernel_size: tuple[int, ...],
    stride: tuple[int, ...],
    padding: list[tuple[int, int]],
    dilation: tuple[int, ...],
    subject: str,
    value: float = 0.0,
) -> Tensor:
    r"""The padded input's windows, shape (N, C, *out, *kernel): $x[n, c, o s + k\delta]$;
    ``subject`` names the caller's input in the error of a kernel larger than it."""
    nd = len(kernel_size)
    window_counts(input.shape[-nd:], padding, kernel_size, stride, dilation, subject)
    x = pad_pairs(input, padding, value=value)
    return ops.Windows.apply(x, kernel=kernel_size, stride=stride, dilation=dilation)


def conv_padding(
    padding: str | int | tuple[int, ...],
    kernel: tuple[int, ...],
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
    who: str,
) -> list[tuple[int, int]]:
    """(before, after) per axis; ``"same"`` puts the odd pixel after, as PyTorch."""
    nd = len(kernel)
    if padding == "valid":
        return [(0, 0)] * nd
    if padding == "same":
        if any(s != 1 for s in stride):
            raise ValueError(f"{who}: padding='same' is not supported for strided convolutions")
        total = [d * (k - 1) for k, d in zip(kernel, dilation)]
        return [(t // 2, t - t // 2) for t in total]
    if isinstance(padding, str):
        raise ValueError(
            f"{who}: padding must be 'same', 'valid', an int or a tuple, got {padding!r}"
        )
    p = ntuple(padding, nd, "padding", who)
    if min(p) < 0:
        raise ValueError(f"{who}: padding must be non-negative, got {padding!r}")
    return [(v, v) for v in p]


def _check_groups(channels: int, out_channels: int, groups: int, who: str) -> None:
    if not isinstance(groups, int) or groups < 1:
        raise ValueError(f"{who}: groups must be a positive int, got {groups!r}")
    if channels % groups or out_channels % groups:
        raise ValueError(
            f"{who}: in_channels ({channels}) and out_channels ({out_channels}) must both be "
            f"divisible by groups ({groups})"
        )


def _conv(input, weight, bias, stride, padding, dilation, groups, nd, who) -> Tensor:
    x, restore = as_batched(input, nd, who)
    if weight.ndim != nd + 2:
        raise ValueError(
            f"{who}: weight must be {nd + 2}-D (out_channels, in_channels/groups, *kernel), "
            f"got shape {weight.shape}"
        )
    n, c = x.shape[:2]
    o, c_g = weight.shape[:2]
    kernel = weight.shape[2:]
    _check_groups(c, o, groups, who)
    if c_g * groups != c:
        raise ValueError(
            f"{who}: input has {c} channels (shape {input.shape}) but weight {weight.shape} "
            f"with groups={groups} expects {c_g * groups}"
        )
    if bias is not None and bias.shape != (o,):
        raise ValueError(f"{who}: bias must have shape ({o},), got {bias.shape}")
    stride = ntuple(stride, nd, "stride", who)
    dilation = ntuple(dilation, nd, "dilation", who)
    if min(stride) < 1 or min(dilation) < 1:
        raise ValueError(f"{who}: stride and dilation must be positive, got {stride}, {dilation}")
    pairs = conv_padding(padding, kernel, stride, dilation, who)
    cols = windows(x, kernel, stride, pairs, dilation, f"{who}: input {input.shape}")
    out = cols.shape[2 : 2 + nd]
    g, kk, length = groups, math.prod(kernel), math.prod(out)
    # (N, G, C/G, *O, *K) -> (G, C/G, *K, N, *O): one column per output pixel (the only
    # copy; with the pixels last it copies rows of the image, the fast way)
    perm = (1, 2, *range(3 + nd, 3 + 2 * nd), 0, *range(3, 3 + nd))
    columns = cols.reshape(n, g, c_g, *out, *kernel).permute(perm)
    if g == 1:  # plain matrices: (O, C·K) @ (C·K, N·L)
        y = weight.reshape(o, c_g * kk) @ columns.reshape(c_g * kk, n * length)
    else:  # one product per group: (G, O/G, C/G·K) @ (G, C/G·K, N·L)
        y = weight.reshape(g, o // g, c_g * kk) @ columns.reshape(g, c_g * kk, n * length)
    y = y.reshape(o, n, *out).permute(1, 0, *range(2, 2 + nd))  # (N, O, *O), a view
    if bias is not None:
        y = y + bias.reshape(o, *(1,) * nd)
    return restore(y)


def conv1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | tuple[int] = 1,
    padding: str | int | tuple[int] = 0,
    dilation: int | tuple[int] = 1,
    groups: int = 1,
) -> Tensor:
    r"""1-D convolution of (N, C, L) (or unbatched (C, L)) with filters (O, C/groups, K):
    $y[n, o, p] = b_o + \sum_{c,k} w[o, c, k]\, x[n, c, p s + k\delta]$."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | tuple[int, int] = 1,
    padding: str | int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
) -> Tensor:
    r"""2-D convolution of (N, C, H, W) (or unbatched (C, H, W)) with filters (O, C/groups, KH, KW):
    $y[n, o, i, j] = b_o + \sum_{c,k,l} w[o, c, k, l]\, x[n, c, i s_h + k\delta_h,
    j s_w + l\delta_w]$ on the zero-padded input (``padding`` an int, a pair, ``"same"`` or
    ``"valid"``); ``groups`` splits the channels into independent convolutions."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv3d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | tuple[int, int, int] = 1,
    padding: str | int | tuple[int, int, int] = 0,
    dilation: int | tuple[int, int, int] = 1,
    groups: int = 1,
) -> Tensor:
    r"""3-D convolution of (N, C, D, H, W) (or unbatched (C, D, H, W)) with filters
    (O, C/groups, KD, KH, KW): $y[n, o, p] = b_o + \sum_{c,k} w[o, c, k]\, x[n, c, p s + k\delta]$
    with $p, k$ triples, the same windows-and-matmul as ``conv2d``."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


def unfold(
    input: Tensor,
    kernel_size: int | tuple[int, int],
    dilation: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    stride: int | tuple[int, int] = 1,
) -> Tensor:
    r"""im2col: the sliding blocks of (N, C, H, W) as columns (N, C·KH·KW, L),
    column $l$ holding the block at output position $l$ (``torch.nn.functional.unfold``);
    (C, H, W) gives (C·KH·KW, L)."""
    x, restore = as_batched(input, 2, "unfold")
    kernel = ntuple(kernel_size, 2, "kernel_size", "unfold")
    pairs = [(p, p) for p in ntuple(padding, 2, "padding", "unfold")]
    stride, dilation = (
        ntuple(stride, 2, "stride", "unfold"),
        ntuple(dilation, 2, "dilation", "unfold"),
    )
    cols = windows(x, kernel, stride, pairs, dilation, f"unfold: input {input.shape}")
    n, c, oh, ow = cols.shape[:4]
    return restore(cols.permute(0, 1, 4, 5, 2, 3).reshape(n, c * math.prod(kernel), oh * ow))


def _col2im_cropped(cols: Tensor, size, pairs, stride, dilation) -> Tensor:
    """Sum windows (…, *O, *K) into the cells they cover, then give that the padded ``size``
    and cut the padding off; cells beyond the last window (a transposed convolution's
    ``output_padding``) are zeros."""
    nd = len(size)
    out, kernel = cols.shape[-2 * nd : -nd], cols.shape[-nd:]
    covered = [(o - 1) * s + d * (k - 1) + 1 for o, k, s, d in zip(out, kernel, stride, dilation)]
    y = ops.Col2Im.apply(cols, size=tuple(covered), stride=stride, dilation=dilation)
    return pad_pairs(y, [(-b, b + n - c) for n, (b, _), c in zip(size, pairs, covered)])


def fold(
    input: Tensor,
    output_size: int | tuple[int, int],
    kernel_size: int | tuple[int, int],
    dilation: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    stride: int | tuple[int, int] = 1,
) -> Tensor:
    r"""col2im, the adjoint of ``unfold``: columns (N, C·KH·KW, L) summed into an image
    (N, C, H, W), overlapping entries added:
    $y[n, c, o s + k\delta - p] \mathrel{+}= x[n, (c, k), o]$; (C·KH·KW, L) gives (C, H, W)."""
    x, restore = as_batched(input, 1, "fold")
    size = ntuple(output_size, 2, "output_size", "fold")
    kernel = ntuple(kernel_size, 2, "kernel_size", "fold")
    stride, dilation = ntuple(stride, 2, "stride", "fold"), ntuple(dilation, 2, "dilation", "fold")
    pairs = [(p, p) for p in ntuple(padding, 2, "padding", "fold")]
    out = window_counts(size, pairs, kernel, stride, dilation, f"fold: output_size {size}")
    kk = math.prod(kernel)
    if x.shape[1] % kk or x.shape[2] != math.prod(out):
        raise ValueError(
            f"fold: expected input (N, C*{kk}, {math.prod(out)}) or unbatched "
            f"(C*{kk}, {math.prod(out)}) for output_size {size}, kernel {kernel}, got "
            f"{input.shape}"
        )
    n, ckk = x.shape[:2]
    cols = x.reshape(n, ckk // kk, *kernel, *out).permute(0, 1, 4, 5, 2, 3)
    return restore(_col2im_cropped(cols, size, pairs, stride, dilation))


def transposed_size(
    spatial: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int],
    dilation: Sequence[int],
    kernel: Sequence[int],
    output_padding: Sequence[int],
) -> list[int]:
    r"""A transposed convolution's output side on each axis:
    $(S-1)s - 2p + \delta(K-1) + e + 1$ with ``output_padding`` $e$."""
    return [
        (n - 1) * s - 2 * p + d * (k - 1) + e + 1
        for n, s, p, d, k, e in zip(spatial, stride, padding, dilation, kernel, output_padding)
    ]


def _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, nd):
    who, given = f"conv_transpose{nd}d", input.shape
    x, restore = as_batched(input, nd, who)
    if weight.ndim != nd + 2:
        raise ValueError(
            f"{who}: weight must be {nd + 2}-D (in_channels, out_channels/groups, *kernel), "
            f"got shape {weight.shape}"
        )
    n, c, spatial = x.shape[0], x.shape[1], x.shape[2:]
    o_g, kernel = weight.shape[1], weight.shape[2:]
    _check_groups(c, o_g * groups, groups, who)
    if weight.shape[0] != c:
        raise ValueError(
            f"{who}: input has {c} channels but weight {weight.shape} expects {weight.shape[0]}"
        )
    if bias is not None and bias.shape != (o_g * groups,):
        raise ValueError(f"{who}: bias must have shape ({o_g * groups},), got {bias.shape}")
    if isinstance(padding, str):  # PyTorch's type: only convolutions take "same"/"valid"
        raise TypeError(f"{who}: padding must be an int or a tuple of {nd} ints, got {padding!r}")
    stride, dilation = ntuple(stride, nd, "stride", who), ntuple(dilation, nd, "dilation", who)
    pad_ = ntuple(padding, nd, "padding", who)
    extra = ntuple(output_padding, nd, "output_padding", who)
    if min(stride) < 1 or min(dilation) < 1 or min(pad_) < 0:
        raise ValueError(
            f"{who}: stride and dilation must be positive and padding non-negative, got "
            f"{stride}, {dilation}, {pad_}"
        )
    if any(e >= max(s, d) for e, s, d in zip(extra, stride, dilation)):
        raise RuntimeError(
            f"{who}: output_padding {extra} must be smaller than stride {stride} or dilation "
            f"{dilation}"
        )
    size = transposed_size(spatial, stride, pad_, dilation, kernel, extra)
    if min(size) < 1:  # PyTorch's RuntimeError, naming the caller's shape
        raise RuntimeError(
            f"{who}: input {given} with padding {pad_} gives an output of spatial size "
            f"{tuple(size)}, which must be positive"
        )
    g, c_g, kk, length = groups, c // groups, math.prod(kernel), math.prod(spatial)
    rows = x.reshape(n, g, c_g, length).permute(1, 0, 3, 2).reshape(g, n * length, c_g)
    cols = rows @ weight.reshape(g, c_g, o_g * kk)  # (G, N*L, O/G*K)
    # (N, G, O/G, *S, *K) -> (N, O, *S, *K): every input pixel's filter-weighted copy
    perm = (1, 0, 2 + nd, *range(2, 2 + nd), *range(3 + nd, 3 + 2 * nd))
    cols = cols.reshape(g, n, *spatial, o_g, *kernel).permute(perm)
    cols = cols.reshape(n, g * o_g, *spatial, *kernel)
    y = _col2im_cropped(cols, size, [(p, p) for p in pad_], stride, dilation)
    if bias is not None:
        y = y + bias.reshape(-1, *(1,) * nd)
    return restore(y)


def conv_transpose1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | tuple[int] = 1,
    padding: int | tuple[int] = 0,
    output_padding: int | tuple[int] = 0,
    groups: int = 1,
    dilation: int | tuple[int] = 1,
) -> Tensor:
    r"""Transposed 1-D convolution of (N, C, L) (or (C, L)) with weight (C, O/groups, K):
    $y[n, o, i s + k\delta - p] \mathrel{+}= \sum_c x[n, c, i]\, w[c, o, k]$, length
    $(L-1)s - 2p + \delta(K-1) + \text{output\_padding} + 1$."""
    return _conv_transpose(
        input, weight, bias, stride, padding, output_padding, groups, dilation, 1
    )


def conv_transpose2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    output_padding: int | tuple[int, int] = 0,
    groups: int = 1,
    dilation: int | tuple[int, int] = 1,
) -> Tensor:
    r"""The transposed convolution, the adjoint of ``conv2d`` in its input: every input
    pixel scatters its filter-weighted copy, $y[n, o, i s + k\delta - p] \mathrel{+}=
    \sum_c x[n, c, i]\, w[c, o, k]$ (weight (C, O/groups, KH, KW); the input (N, C, H, W)
    or unbatched (C, H, W)); the output side is
    $(S-1)s - 2p + \delta(K-1) + \text{output\_padding} + 1$."""
    return _conv_transpose(
        input, weight, bias, stride, padding, output_padding, groups, dilation, 2
    )


def conv_transpose3d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | tuple[int, int, int] = 1,
    padding: int | tuple[int, int, int] = 0,
    output_padding: int | tuple[int, int, int] = 0,
    groups: int = 1,
    dilation: int | tuple[int, int, int] = 1,
) -> Tensor:
    r"""Transposed 3-D convolution of (N, C, D, H, W) (or (C, D, H, W)) with weight
    (C, O/groups, KD, KH, KW), the adjoint of ``conv3d`` in its input; each side
    $(S-1)s - 2p + \delta(K-1) + \text{output\_padding} + 1$."""
    return _conv_transpose(
        input, weight, bias, stride, padding, output_padding, groups, dilation, 3
    )
