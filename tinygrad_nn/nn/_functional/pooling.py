r"""Pooling over windows: ``max_pool1d/2d/3d`` (with ``return_indices``), its partial
inverse ``max_unpool1d/2d/3d``, ``avg_pool1d/2d/3d`` and ``adaptive_avg_pool1d/2d/3d``, one
generic function each for any number of spatial axes. Max and average pooling take the same
windows as the convolution (``ops.Windows``); unpooling writes each value back at its index
(``ops.IndexPut``); adaptive pooling is one averaging matrix per axis."""

from __future__ import annotations

import math

import numpy as np

from ... import ops
from ...tensor import Tensor, wrap
from .conv import ntuple, windows
from .layout import as_batched, check_input


def _pool_geometry(input, kernel_size, stride, padding, dilation, ceil_mode, nd, who):
    """Kernel, stride, dilation and (before, after) padding per axis; ``ceil_mode`` adds
    padding after so that a last partial window is kept if it starts inside the input or the
    left padding (PyTorch's rule). ``input`` is the caller's, batched or not: an error names
    its shape."""
    kernel = ntuple(kernel_size, nd, "kernel_size", who)
    stride = kernel if stride is None or stride == () else ntuple(stride, nd, "stride", who)
    pad = ntuple(padding, nd, "padding", who)
    dilation = ntuple(dilation, nd, "dilation", who)
    if min(kernel) < 1 or min(stride) < 1 or min(dilation) < 1:  # PyTorch's RuntimeError
        raise RuntimeError(
            f"{who}: kernel_size, stride and dilation must be positive, got {kernel}, {stride}, "
            f"{dilation}"
        )
    if any(2 * p > k for p, k in zip(pad, kernel)):
        raise RuntimeError(f"{who}: padding {pad} should be at most half of kernel_size {kernel}")
    pairs = []
    for n, k, s, p, d in zip(input.shape[-nd:], kernel, stride, pad, dilation):
        span = n + 2 * p - d * (k - 1) - 1
        out = (-(-span // s) if ceil_mode else span // s) + 1
        if ceil_mode and (out - 1) * s >= n + p:
            out -= 1
        if out < 1:
            raise RuntimeError(f"{who}: input {input.shape} is too small for kernel {kernel}")
        pairs.append((p, (out - 1) * s + d * (k - 1) + 1 - n - p))
    return kernel, stride, pairs, dilation


def _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, nd, who):
    x, restore = as_batched(input, nd, who)
    kernel, stride, pairs, dilation = _pool_geometry(
        input, kernel_size, stride, padding, dilation, ceil_mode, nd, who
    )
    subject = f"{who}: input {input.shape}"
    cols = windows(x, kernel, stride, pairs, dilation, subject, value=-np.inf)  # (N, C, *O, *K)
    out = cols.shape[2 : 2 + nd]
    # the first largest element of each window, as PyTorch (ties go to the first); the
    # gradient goes to it alone
    flat = cols.reshape(*cols.shape[: 2 + nd], math.prod(kernel))
    pick = np.argmax(flat._data, axis=-1)[..., None]
    y = ops.TakeAlong.apply(flat, index=pick).reshape(cols.shape[: 2 + nd])
    if not return_indices:
        return restore(y)
    # the flat index into each input plane of the picked element: o s - p + k d per axis
    offsets = np.unravel_index(pick[..., 0], kernel)
    grids = np.ogrid[tuple(slice(n) for n in out)]
    index = np.zeros(y.shape, np.int64)
    for axis, (o, k, s, d, (p, _)) in enumerate(zip(grids, offsets, stride, dilation, pairs)):
        index = index * x.shape[2 + axis] + (o * s - p + k * d)
    return restore((y, wrap(index)))


def max_pool1d(
    input: Tensor,
    kernel_size: int | tuple[int],
    stride: int | tuple[int] | None = None,
    padding: int | tuple[int] = 0,
    dilation: int | tuple[int] = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]:
    r"""$y[n, c, i] = \max_k x[n, c, i s + k\delta - p]$ over (N, C, L); ``return_indices``
    also gives the position of each maximum in its input row."""
    return _max_pool(
        input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1, "max_pool1d"
    )


def max_pool2d(
    input: Tensor,
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]:
    r"""$y[n, c, i, j] = \max_{k,l} x[n, c, i s_h + k\delta_h - p_h, j s_w + l\delta_w - p_w]$
    over (N, C, H, W), the padding being $-\infty$; ``stride`` defaults to ``kernel_size``.
    The gradient goes to the first maximum of each window; ``return_indices`` also gives its
    flat index $h W + w$ in the input plane (for ``max_unpool2d``)."""
    return _max_pool(
        input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2, "max_pool2d"
    )


def max_pool3d(
    input: Tensor,
    kernel_size: int | tuple[int, int, int],
    stride: int | tuple[int, int, int] | None = None,
    padding: int | tuple[int, int, int] = 0,
    dilation: int | tuple[int, int, int] = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]:
    r"""The maximum of each window of (N, C, D, H, W) (or (C, D, H, W)),
    $y[n, c, i] = \max_k x[n, c, i s + k\delta - p]$ with $i, k$ triples; ``return_indices``
    also gives the flat index $(d H + h) W + w$ of each maximum (for ``max_unpool3d``)."""
    return _max_pool(
        input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 3, "max_pool3d"
    )


def _unpool_size(spatial, kernel, stride, pad, output_size, who) -> tuple[int, ...]:
    """The output's spatial shape: $(S-1)s - 2p + K$ per axis, or ``output_size`` (its last
    axes when it has N and C too) if it lies strictly within a stride of that, as PyTorch."""
    nd = len(kernel)
    default = tuple((n - 1) * s + k - 2 * p for n, k, s, p in zip(spatial, kernel, stride, pad))
    if output_size is None:
        size = default
    else:
        if isinstance(output_size, int) or not all(isinstance(v, int) for v in output_size):
            raise TypeError(
                f"{who}: output_size must be a sequence of {nd} or {nd + 2} ints, got "
                f"{output_size!r}"
            )
        size = tuple(output_size)[2:] if len(output_size) == nd + 2 else tuple(output_size)
        if len(size) != nd:
            raise ValueError(
                f"{who}: output_size must have {nd} or {nd + 2} entries, got {output_size!r}"
            )
        for axis, (o, d, s) in enumerate(zip(size, default, stride)):
            if not d - s < o < d + s:
                raise ValueError(
                    f"{who}: output_size {tuple(output_size)} is invalid: spatial axis {axis} "
                    f"must be between {d - s} and {d + s} (exclusive) for an input of spatial "
                    f"shape {tuple(spatial)}"
                )
    if min(size) < 0:
        raise ValueError(f"{who}: the output's spatial shape {size} is negative")
    return size


def _max_unpool(input, indices, kernel_size, stride, padding, output_size, nd, who) -> Tensor:
    batched = check_input(input, nd, who, nonempty=True)
    if not isinstance(indices, Tensor):
        raise TypeError(f"{who}: indices must be a Tensor, got {type(indices).__name__}")
    if indices.shape != input.shape:
        raise ValueError(
            f"{who}: indices must have the input's shape {input.shape}, got {indices.shape}"
        )
    if indices.dtype.kind not in "iu":
        raise TypeError(f"{who}: indices must hold integers, got dtype {indices.dtype}")
    kernel = ntuple(kernel_size, nd, "kernel_size", who)
    stride = kernel if stride is None else ntuple(stride, nd, "stride", who)
    pad = ntuple(padding, nd, "padding", who)
    size = _unpool_size(input.shape[-nd:], kernel, stride, pad, output_size, who)
    x = input if batched else input.reshape(1, *input.shape)
    n, c, cells, plane = x.shape[0], x.shape[1], math.prod(input.shape[-nd:]), math.prod(size)
    index = indices._data.reshape(n, c, cells)
    if index.size and (index.min() < 0 or index.max() >= plane):
        bad = index.min() if index.min() < 0 else index.max()
        raise IndexError(
            f"{who}: index {bad} is out of range for output planes of shape {size} ({plane} cells)"
        )
    where = (np.arange(n)[:, None, None], np.arange(c)[:, None], index.copy())
    y = ops.IndexPut.apply(x.reshape(n, c, cells), shape=(n, c, plane), index=where)
    return y.reshape(*input.shape[:-nd], *size)


def max_unpool1d(
    input: Tensor,
    indices: Tensor,
    kernel_size: int | tuple[int],
    stride: int | tuple[int] | None = None,
    padding: int | tuple[int] = 0,
    output_size: tuple[int, ...] | None = None,
) -> Tensor:
    r"""The partial inverse of ``max_pool1d``: zeros of length $(L-1)s - 2p + K$ (or
    ``output_size``) with each value put back where its maximum was,
    $y[n, c, \mathrm{idx}[n, c, i]] = x[n, c, i]$; the gradient is $\bar y$ read at the
    indices."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 1, "max_unpool1d")


def max_unpool2d(
    input: Tensor,
    indices: Tensor,
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
    output_size: tuple[int, ...] | None = None,
) -> Tensor:
    r"""The partial inverse of ``max_pool2d`` with its ``return_indices``: zero planes of
    side $(S-1)s - 2p + K$ (or ``output_size``, (H, W) or (N, C, H, W)) with each value put
    back at its flat index $h W + w$, $y[n, c, \mathrm{idx}[n, c, i, j]] = x[n, c, i, j]$;
    the gradient is $\bar x[n, c, i, j] = \bar y[n, c, \mathrm{idx}[n, c, i, j]]$. Of two
    values with the same index one stays (PyTorch leaves which unspecified; here the last);
    the gradient goes to both."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 2, "max_unpool2d")


def max_unpool3d(
    input: Tensor,
    indices: Tensor,
    kernel_size: int | tuple[int, int, int],
    stride: int | tuple[int, int, int] | None = None,
    padding: int | tuple[int, int, int] = 0,
    output_size: tuple[int, ...] | None = None,
) -> Tensor:
    r"""The partial inverse of ``max_pool3d``: zero volumes of side $(S-1)s - 2p + K$ (or
    ``output_size``, (D, H, W) or (N, C, D, H, W)) with each value put back at its flat
    index, $y[n, c, \mathrm{idx}[n, c, i]] = x[n, c, i]$."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 3, "max_unpool3d")


def _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor, nd, who):
    x, restore = as_batched(input, nd, who)
    kernel, stride, pairs, _ = _pool_geometry(
        input, kernel_size, stride, padding, 1, ceil_mode, nd, who
    )
    ones = (1,) * nd
    cols = windows(x, kernel, stride, pairs, ones, f"{who}: input {input.shape}")
    total = cols.sum(tuple(range(2 + nd, 2 + 2 * nd)))
    if divisor is not None:
        return restore(total / divisor)
    # the divisor of each window: its cells inside the input (and the padding, if counted),
    # never the cells that ceil_mode adds beyond it; it is a product of one count per axis
    count = np.ones((), input.dtype)
    for n, k, s, (p, a) in zip(input.shape[-nd:], kernel, stride, pairs):
        source = np.arange(-p, n + a)
        lo, hi = (-p, n + p) if count_include_pad else (0, n)
        mask = ((source >= lo) & (source < hi)).astype(input.dtype)
        per_axis = np.lib.stride_tricks.sliding_window_view(mask, k)[::s].sum(-1)
        count = np.multiply.outer(count, per_axis)
    return restore(total / wrap(count))


def avg_pool1d(
    input: Tensor,
    kernel_size: int | tuple[int],
    stride: int | tuple[int] | None = None,
    padding: int | tuple[int] = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    r"""$y[n, c, i] = \frac{1}{K}\sum_k x[n, c, i s + k - p]$ over (N, C, L)."""
    return _avg_pool(
        input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1, "avg_pool1d"
    )


def avg_pool2d(
    input: Tensor,
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    r"""$y[n, c, i, j] = \frac{1}{|W|}\sum_{(k,l) \in W} x[n, c, i s_h + k - p_h,
    j s_w + l - p_w]$: the mean of each window, dividing by the kernel area (or by the cells
    inside the input with ``count_include_pad=False``, or by ``divisor_override``)."""
    args = (stride, padding, ceil_mode, count_include_pad, divisor_override)
    return _avg_pool(input, kernel_size, *args, 2, "avg_pool2d")


def avg_pool3d(
    input: Tensor,
    kernel_size: int | tuple[int, int, int],
    stride: int | tuple[int, int, int] | None = None,
    padding: int | tuple[int, int, int] = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    r"""The mean of each window of (N, C, D, H, W) (or (C, D, H, W)), divided as in
    ``avg_pool2d``: by the kernel volume, the cells inside the input
    (``count_include_pad=False``) or ``divisor_override``."""
    args = (stride, padding, ceil_mode, count_include_pad, divisor_override)
    return _avg_pool(input, kernel_size, *args, 3, "avg_pool3d")


def adaptive_matrix(size: int, out: int, dtype: np.dtype) -> np.ndarray:
    r"""(out, size) averaging matrix: row $i$ averages cells $\lfloor i S/O \rfloor$ to
    $\lceil (i+1) S/O \rceil - 1$, PyTorch's adaptive windows."""
    m = np.zeros((out, size), dtype)
    for i in range(out):
        start, end = (i * size) // out, -(-((i + 1) * size) // out)
        m[i, start:end] = 1.0 / (end - start)
    return m


def _adaptive_sizes(input: Tensor, output_size, nd: int, who: str) -> tuple[int, ...]:
    """The output's spatial sizes; any input layout works, (N, C, *spatial) or (C, *spatial),
    since adaptive pooling is a product with averaging matrices on the last axes. An empty
    batch or channel axis gives an empty result, an empty spatial axis a RuntimeError, as in
    PyTorch."""
    check_input(input, nd, who, nonempty="spatial")
    sizes = (
        (output_size,) * nd
        if isinstance(output_size, int) or output_size is None
        else tuple(output_size)
    )
    if len(sizes) != nd:
        raise ValueError(f"{who}: output_size must have {nd} entries, got {output_size!r}")
    sizes = tuple(n if o is None else o for o, n in zip(sizes, input.shape[-nd:]))
    if min(sizes) < 1:
        raise ValueError(f"{who}: output_size must be positive, got {output_size!r}")
    return sizes


def _adaptive_avg(input: Tensor, output_size: object, nd: int, who: str) -> Tensor:
    r"""$y = x \times_1 A_1 \cdots \times_d A_d$: one averaging matrix per spatial axis,
    applied to the last axis, which is then rotated to the front of the spatial axes."""
    sizes = _adaptive_sizes(input, output_size, nd, who)
    last = input.ndim - 1
    rotate = (*range(last - nd + 1), last, *range(last - nd + 1, last))
    y = input
    for n, o in reversed(list(zip(input.shape[-nd:], sizes))):
        y = y @ wrap(adaptive_matrix(n, o, input.dtype).T)
        y = y.permute(rotate) if nd > 1 else y
    return y


def adaptive_avg_pool1d(input: Tensor, output_size: int) -> Tensor:
    r"""Average pooling to ``output_size`` cells: $y = x A^T$ with $A$ the averaging matrix
    of PyTorch's adaptive windows."""
    return _adaptive_avg(input, output_size, 1, "adaptive_avg_pool1d")


def adaptive_avg_pool2d(input: Tensor, output_size: int | tuple[int | None, int | None]) -> Tensor:
    r"""Average pooling of (N, C, H, W) to (N, C, OH, OW): $y = A_h\, x\, A_w^T$, each row of
    $A$ averaging cells $\lfloor iS/O \rfloor .. \lceil (i+1)S/O \rceil - 1$ (``None`` keeps
    that side)."""
    return _adaptive_avg(input, output_size, 2, "adaptive_avg_pool2d")


def adaptive_avg_pool3d(
    input: Tensor, output_size: int | tuple[int | None, int | None, int | None]
) -> Tensor:
    r"""Average pooling of (N, C, D, H, W) or (C, D, H, W) to (OD, OH, OW) (``None`` keeps
    that side): one averaging matrix of PyTorch's adaptive windows per axis."""
    return _adaptive_avg(input, output_size, 3, "adaptive_avg_pool3d")
