r"""Normalisation: ``batch_norm``, ``layer_norm``, ``group_norm``, ``instance_norm``. Each
is $y = \gamma\,(x - \mu)/\sqrt{\sigma^2 + \epsilon} + \beta$ composed from element-wise
ops and reductions; they differ in the axes that $\mu$ and $\sigma^2$ (biased) are taken
over. ``rms_norm`` divides by the root mean square instead, without centring."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ...tensor import Tensor


def _normalize(x: Tensor, axes: tuple[int, ...], eps: float) -> tuple[Tensor, Tensor, Tensor]:
    r"""$(x - \mu)/\sqrt{\sigma^2 + \epsilon}$ over ``axes``, with the mean and biased variance."""
    mean = x.mean(axes, keepdim=True)
    centred = x - mean
    var = (centred * centred).mean(axes, keepdim=True)
    return centred / (var + eps).sqrt(), mean, var


def _affine(
    y: Tensor, weight: Tensor | None, bias: Tensor | None, shape: tuple[int, ...]
) -> Tensor:
    if weight is not None:
        y = y * weight.reshape(shape)
    if bias is not None:
        y = y + bias.reshape(shape)
    return y


def _last_axes(
    input: Tensor, normalized_shape: int | Sequence[int], who: str, error: type[Exception]
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``normalized_shape`` as a tuple, and the last axes of ``input`` it names (which must
    have that shape, else ``error``: ValueError for layer_norm, RuntimeError for rms_norm as
    PyTorch's)."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if tuple(input.shape[input.ndim - len(shape) :]) != shape:
        raise error(
            f"{who}: normalized_shape {shape} must match the last axes of input shape {input.shape}"
        )
    return shape, tuple(range(input.ndim - len(shape), input.ndim))


def batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    r"""Batch normalisation over every axis but the channels (axis 1):
    $y = \gamma (x - \mu_B)/\sqrt{\sigma_B^2 + \epsilon} + \beta$ in training, updating
    $\hat\mu \leftarrow (1-m)\hat\mu + m\mu_B$ and $\hat\sigma^2 \leftarrow (1-m)\hat\sigma^2
    + m \frac{n}{n-1}\sigma_B^2$ in place; in eval the running $\hat\mu, \hat\sigma^2$ are used."""
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expected input (N, C, ...), got shape {input.shape}")
    c = input.shape[1]
    shape = (c,) + (1,) * (input.ndim - 2)
    axes = (0, *range(2, input.ndim))
    if not training:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: eval mode needs running_mean and running_var")
        scale = (running_var.reshape(shape) + eps).sqrt()
        y = (input - running_mean.reshape(shape)) / scale
        return _affine(y, weight, bias, shape)
    n = input.numel() // c
    if n <= 1:
        raise ValueError(
            f"batch_norm: expected more than 1 value per channel when training, got input "
            f"shape {input.shape}"
        )
    y, mean, var = _normalize(input, axes, eps)
    if running_mean is not None:
        running_mean._data *= 1 - momentum
        running_mean._data += momentum * mean._data.reshape(c).astype(running_mean.dtype)
        running_mean._changed_in_place()
    if running_var is not None:
        running_var._data *= 1 - momentum
        running_var._data += momentum * (var._data.reshape(c) * (n / (n - 1))).astype(
            running_var.dtype
        )
        running_var._changed_in_place()
    return _affine(y, weight, bias, shape)


def layer_norm(
    input: Tensor,
    normalized_shape: int | Sequence[int],
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    r"""$y = \gamma (x - \mu)/\sqrt{\sigma^2 + \epsilon} + \beta$ with $\mu, \sigma^2$ over
    the last ``len(normalized_shape)`` axes of each sample (Ba et al., 2016)."""
    shape, axes = _last_axes(input, normalized_shape, "layer_norm", ValueError)
    y, _, _ = _normalize(input, axes, eps)
    return _affine(y, weight, bias, shape)


def group_norm(
    input: Tensor,
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    r"""$y = \gamma (x - \mu_g)/\sqrt{\sigma_g^2 + \epsilon} + \beta$ with $\mu_g, \sigma_g^2$
    over each group of ``C/num_groups`` channels and all spatial positions of a sample
    (Wu & He, 2018); $\gamma, \beta$ are per channel."""
    if input.ndim < 2 or input.shape[1] % num_groups:
        raise ValueError(
            f"group_norm: input (N, C, ...) with C divisible by num_groups={num_groups}, got "
            f"shape {input.shape}"
        )
    n, c = input.shape[:2]
    grouped = input.reshape(n, num_groups, -1)
    y, _, _ = _normalize(grouped, (2,), eps)
    return _affine(y.reshape(input.shape), weight, bias, (c,) + (1,) * (input.ndim - 2))


def instance_norm(
    input: Tensor,
    running_mean: Tensor | None = None,
    running_var: Tensor | None = None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    r"""$y = \gamma (x - \mu_{nc})/\sqrt{\sigma_{nc}^2 + \epsilon} + \beta$ with $\mu, \sigma^2$
    over the positions of each channel of each sample (Ulyanov et al., 2016). Given running
    estimates, they move towards the batch's average per-instance statistics,
    $\hat\mu \leftarrow (1-m)\hat\mu + m\,\overline{\mu_{nc}}$ (and the unbiased variances);
    without ``use_input_stats`` the running estimates normalise instead."""
    if input.ndim < 3:
        raise ValueError(
            f"instance_norm: expected input (N, C, L), (N, C, H, W) or (N, C, D, H, W), got "
            f"shape {input.shape}"
        )
    n, c = input.shape[:2]
    shape = (c,) + (1,) * (input.ndim - 2)
    if not use_input_stats:
        return batch_norm(input, running_mean, running_var, weight, bias, False, momentum, eps)
    positions = input.numel() // max(n * c, 1)
    if positions <= 1:
        raise ValueError(
            f"instance_norm: expected more than 1 spatial element when training, got input "
            f"shape {input.shape}"
        )
    y, mean, var = _normalize(input, tuple(range(2, input.ndim)), eps)
    unbiased = var._data.reshape(n, c) * (positions / (positions - 1))
    for running, batch in ((running_mean, mean._data.reshape(n, c)), (running_var, unbiased)):
        if running is not None:
            running._data *= 1 - momentum
            running._data += momentum * batch.mean(0).astype(running.dtype)
            running._changed_in_place()
    return _affine(y, weight, bias, shape)


def rms_norm(
    input: Tensor,
    normalized_shape: int | Sequence[int],
    weight: Tensor | None = None,
    eps: float | None = None,
) -> Tensor:
    r"""Root-mean-square normalisation (Zhang & Sennrich, 2019): $y = \gamma\, x /
    \sqrt{\overline{x^2} + \epsilon}$, the mean over the last ``len(normalized_shape)`` axes;
    ``eps=None`` is the machine epsilon of the input's dtype, as PyTorch's."""
    _, axes = _last_axes(input, normalized_shape, "rms_norm", RuntimeError)
    if eps is None:
        eps = float(np.finfo(input._data.dtype).eps)
    y = input * ((input * input).mean(axes, keepdim=True) + eps).rsqrt()
    return y if weight is None else y * weight
