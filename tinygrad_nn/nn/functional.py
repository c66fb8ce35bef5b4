r"""Layers and losses as functions (``import tinygrad_nn.nn.functional as F``).

The activations of notes §3 (logistic, tanh, arctan, threshold, ReLU), softmax and one-hot
(§6.3), the losses of §6.3, dropout (§12.1) and the weight-decay penalties of §11.2; the
convolution, pooling, normalisation, resizing, embedding and attention families live in
``nn._functional`` (one module each) and are re-exported here.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .. import ops
from ..distances import pdist
from ..function import ShapeError
from ..random import default_generator
from ..tensor import Tensor, array_of, as_tensor, require_float, where, wrap

# the families in their own modules, re-exported (F.conv2d, F.max_pool2d, ...)
from ._functional import activation as _activation
from ._functional.activation import (
    _maybe_in_place,
    celu,
    elu,
    gelu,
    glu,
    gumbel_softmax,
    hardshrink,
    hardsigmoid,
    hardswish,
    hardtanh,
    mish,
    prelu,
    relu6,
    rrelu,
    selu,
    silu,
    softshrink,
    softsign,
    tanhshrink,
    threshold,
)
from ._functional.adaptive_max import (
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    adaptive_max_pool3d,
)
from ._functional.attention import multi_head_attention_forward, scaled_dot_product_attention
from ._functional.conv import (
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
    fold,
    unfold,
)
from ._functional.distance import cosine_similarity, normalize, pairwise_distance
from ._functional.lp_pool import lp_pool1d, lp_pool2d, lp_pool3d
from ._functional.normalization import (
    batch_norm,
    group_norm,
    instance_norm,
    layer_norm,
    rms_norm,
)
from ._functional.padding import pad
from ._functional.pixelshuffle import pixel_shuffle, pixel_unshuffle
from ._functional.pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_avg_pool3d,
    avg_pool1d,
    avg_pool2d,
    avg_pool3d,
    max_pool1d,
    max_pool2d,
    max_pool3d,
    max_unpool1d,
    max_unpool2d,
    max_unpool3d,
)
from ._functional.sampling import interpolate
from ._functional.sparse import embedding

__all__ = [
    "linear",
    "sigmoid",
    "tanh",
    "arctan",
    "relu",
    "softplus",
    "leaky_relu",
    "step",
    "logsigmoid",
    "softmax",
    "log_softmax",
    "softmin",
    "one_hot",
    "dropout",
    "mse_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "nll_loss",
    "l1_loss",
    "smooth_l1_loss",
    "huber_loss",
    "kl_div",
    "l2_penalty",
    "l1_penalty",
    "dropout2d",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "pad",
    "unfold",
    "fold",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "max_unpool1d",
    "max_unpool2d",
    "max_unpool3d",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "lp_pool1d",
    "lp_pool2d",
    "lp_pool3d",
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool3d",
    "interpolate",
    "batch_norm",
    "layer_norm",
    "group_norm",
    "gelu",
    "silu",
    "elu",
    "hardtanh",
    "relu6",
    "mish",
    "prelu",
    "cosine_similarity",
    "pairwise_distance",
    "pdist",
    "embedding",
    "selu",
    "celu",
    "glu",
    "hardswish",
    "hardsigmoid",
    "hardshrink",
    "softshrink",
    "softsign",
    "tanhshrink",
    "threshold",
    "rrelu",
    "relu_",
    "elu_",
    "leaky_relu_",
    "hardtanh_",
    "threshold_",
    "selu_",
    "celu_",
    "rrelu_",
    "normalize",
    "gumbel_softmax",
    "margin_ranking_loss",
    "hinge_embedding_loss",
    "soft_margin_loss",
    "multilabel_soft_margin_loss",
    "multi_margin_loss",
    "cosine_embedding_loss",
    "triplet_margin_loss",
    "poisson_nll_loss",
    "gaussian_nll_loss",
    "dropout1d",
    "alpha_dropout",
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "adaptive_max_pool3d",
    "instance_norm",
    "rms_norm",
    "pixel_shuffle",
    "pixel_unshuffle",
    "scaled_dot_product_attention",
    "multi_head_attention_forward",
]

_REDUCTIONS = ("mean", "sum", "none")
_KL_DIV_REDUCTIONS = (*_REDUCTIONS, "batchmean")


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    r"""$z = x W^T + b$ for a batch of row vectors ``x`` (notes §5.1)."""
    try:  # free when the input is a Tensor with a feature dim (the hot path: row 1)
        n_in = input._data.shape[-1]
    except AttributeError:
        raise TypeError(
            f"linear: input must be a Tensor, got {type(input).__name__} (make one with "
            "tnn.tensor(...))"
        ) from None
    except IndexError:
        raise ValueError(
            f"linear: input must have a last dim of {weight.shape[-1]} features, got a 0-d tensor"
        ) from None
    if n_in != weight._data.shape[-1]:
        raise ValueError(
            f"linear: input has {input.shape[-1]} features (shape {input.shape}) but the "
            f"weight expects {weight.shape[-1]} (weight shape {weight.shape})"
        )
    if input._data.dtype != weight._data.dtype:
        raise RuntimeError(
            f"linear: mat1 and mat2 must have the same dtype, but got {input.dtype} (input "
            f"{input.shape}) and {weight.dtype} (weight {weight.shape}); convert the input "
            f"with .to({weight.dtype})"
        )
    if bias is None:
        return ops.Linear.apply(input, weight)
    return ops.Linear.apply(input, weight, bias)


def sigmoid(input: Tensor) -> Tensor:
    r"""Logistic $\sigma(z) = 1/(1+e^{-z})$."""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    r"""Hyperbolic tangent $\tanh z = (e^z - e^{-z})/(e^z + e^{-z})$, element-wise (notes
    §3.1); its derivative is $1 - \tanh^2 z$.

    Parameters
    ----------
    input : Tensor
        Input pre-activations $z$, any shape.

    Returns
    -------
    Tensor
        Values in $(-1, 1)$, the shape of ``input``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> import tinygrad_nn.nn.functional as F
    >>> F.tanh(tnn.tensor([-1.0, 0.0, 1.0]))
    tensor([-0.7616,  0.0000,  0.7616])
    """
    return input.tanh()


def arctan(input: Tensor) -> Tensor:
    r"""Arctangent $\arctan z$, element-wise (notes §3.1): values in $(-\pi/2, \pi/2)$,
    derivative $1/(1 + z^2)$.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> import tinygrad_nn.nn.functional as F
    >>> F.arctan(tnn.tensor([0.0, 1.0]))
    tensor([0.0000, 0.7854])
    """
    return input.arctan()


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    r"""Rectified linear unit $\max(0, z)$, element-wise (notes §3.1); its derivative is
    1 where $z > 0$ and 0 elsewhere (0 at $z = 0$, as PyTorch). ``inplace`` writes the
    result into ``input`` and returns it.

    Parameters
    ----------
    input : Tensor
        Input pre-activations $z$, any shape.

    Returns
    -------
    Tensor
        The shape of ``input``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> import tinygrad_nn.nn.functional as F
    >>> F.relu(tnn.tensor([-2.0, 0.0, 3.0]))
    tensor([0., 0., 3.])
    """
    return _maybe_in_place(input, inplace, Tensor.relu, "relu_")


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    r"""Softplus $\frac{1}{\beta}\log(1 + e^{\beta z})$, element-wise, and $z$ itself where
    $\beta z > $ ``threshold`` (PyTorch's rule): a smooth ReLU whose derivative is the
    logistic $\sigma(\beta z)$ (1 on the linear part); computed without overflow for large
    $z$. (``Tensor.softplus`` is the plain $\log(1 + e^z)$, with no threshold.)

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> import tinygrad_nn.nn.functional as F
    >>> F.softplus(tnn.tensor([0.0, 100.0]))
    tensor([  0.6931, 100.0000])
    """
    x = require_float(input, "softplus")
    scaled = x if beta == 1.0 else x * beta
    smooth = scaled.softplus() if beta == 1.0 else scaled.softplus() / beta
    return where(scaled._data > threshold, x, smooth)


def logsigmoid(input: Tensor) -> Tensor:
    r"""$\log \sigma(z) = -\log(1 + e^{-z})$, element-wise, computed as
    $-\mathrm{softplus}(-z)$: no overflow and no log of 0 for large $|z|$; its derivative is
    $\sigma(-z)$. Float inputs only, as PyTorch's."""
    return -(-require_float(input, "logsigmoid")).softplus()


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    r"""$z$ for $z > 0$, else $a z$ (slope $a$ where $z \le 0$, as PyTorch); float inputs
    only, as PyTorch's. ``inplace`` writes the result into ``input``."""
    require_float(input, "leaky_relu")
    return _maybe_in_place(
        input, inplace, lambda x: where(x._data > 0, x, x * negative_slope), "leaky_relu_"
    )


def step(input: Tensor) -> Tensor:
    r"""The threshold neuron of notes §3.1 and §7.1: $1$ if $z \ge 0$, else 0.
    Its derivative is 0 almost everywhere, so no gradient flows through it."""
    return wrap((input._data >= 0).astype(input.dtype))


def softmax(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: object = None
) -> Tensor:
    r"""Softmax along ``dim`` (notes §6.3): $\mathrm{softmax}(z)_i = e^{z_i} / \sum_j e^{z_j}$,
    computed with the maximum subtracted first, so that large $z$ do not overflow.

    Parameters
    ----------
    input : Tensor
        Scores (logits), any shape, floating point (a row holding $+\infty$ gives NaN).
    dim : int or None
        The dimension that sums to 1. None picks PyTorch's implicit one (0 for 0-, 1- and
        3-d inputs, else 1) with its deprecation warning.
    dtype : dtype or None
        Cast ``input`` to it first (integer inputs need one, as in PyTorch).

    Returns
    -------
    Tensor
        Probabilities, the shape of ``input``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> import tinygrad_nn.nn.functional as F
    >>> F.softmax(tnn.tensor([[1.0, 2.0, 3.0]]), dim=1)
    tensor([[0.0900, 0.2447, 0.6652]])
    """
    return input.softmax(_softmax_dim(dim, input.ndim, "softmax", _stacklevel), dtype)


def log_softmax(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: object = None
) -> Tensor:
    r"""$\log \mathrm{softmax}(z)_i = z_i - \log \sum_j e^{z_j}$ along ``dim``, computed
    directly (no ``log`` of a probability that may round to 0); ``dim`` and ``dtype`` as
    in ``softmax``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> import tinygrad_nn.nn.functional as F
    >>> F.log_softmax(tnn.tensor([0.0, 0.0]), dim=0)
    tensor([-0.6931, -0.6931])
    """
    return input.log_softmax(_softmax_dim(dim, input.ndim, "log_softmax", _stacklevel), dtype)


def softmin(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: object = None
) -> Tensor:
    r"""$e^{-z_i} / \sum_j e^{-z_j}$ along ``dim``, the softmax of $-z$; ``dim`` and ``dtype``
    as in ``softmax``."""
    x = require_float(input, "softmin") if dtype is None else input.to(dtype)
    return (-x).softmax(_softmax_dim(dim, input.ndim, "softmin", _stacklevel))


def _softmax_dim(dim: int | None, ndim: int, name: str, stacklevel: int) -> int:
    """``dim``, or when None PyTorch's implicit choice, with its warning."""
    if dim is not None:
        return dim
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. "
        "Change the call to include dim=X as an argument.",
        UserWarning,
        stacklevel=stacklevel,
    )
    return 0 if ndim in (0, 1, 3) else 1


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Class indices to one-hot rows of int64 (notes §6.3), as ``torch.nn.functional.one_hot``."""
    idx = tensor._data if isinstance(tensor, Tensor) else np.asarray(tensor)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"one_hot: expected integer class indices, got dtype {idx.dtype}")
    if num_classes < 0 and not idx.size:
        raise ValueError("one_hot: cannot infer num_classes from an empty tensor; pass it")
    n = int(idx.max()) + 1 if num_classes < 0 else num_classes
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise ValueError(
            f"one_hot: class indices must lie in [0, {n}), got {idx.min()}..{idx.max()}"
        )
    return wrap((idx[..., None] == np.arange(n)).astype(np.int64))


def check_dropout_p(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, got {p}")


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    r"""Inverted dropout (notes §12.1): zero each element with probability ``p`` and scale
    the rest by $1/(1-p)$, so the expected value is unchanged; identity in eval.
    ``inplace`` writes the result into ``input``."""
    check_dropout_p(p)
    if not training or p == 0.0:
        return input
    if input.dtype.kind != "f":
        raise TypeError(f"dropout: input must be floating point, got dtype {input.dtype}")
    return _drop(input, input.shape, p, inplace)


def _drop(input: Tensor, mask_shape: tuple[int, ...], p: float, inplace: bool) -> Tensor:
    """``input`` times a mask of ``mask_shape`` (broadcast): 0 with probability ``p``, else
    $1/(1-p)$; all 0 for ``p = 1``."""
    if p == 1.0:
        scaled = np.zeros(mask_shape, input.dtype)
    else:
        keep = default_generator().random(mask_shape) >= p
        scaled = keep.astype(input.dtype) * np.asarray(1.0 / (1.0 - p), input.dtype)
    return _maybe_in_place(input, inplace, lambda x: x * wrap(scaled), "dropout_")


def dropout2d(
    input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False
) -> Tensor:
    r"""Channel dropout: zero whole feature maps $x[n, c]$ of (N, C, H, W) (or (C, H, W))
    with probability ``p`` and scale the others by $1/(1-p)$; identity in eval."""
    check_dropout_p(p)
    if input.ndim not in (3, 4):
        raise ValueError(f"dropout2d: expected a 3-D or 4-D input, got shape {input.shape}")
    if not training or p == 0.0:
        return input
    return _drop(input, input.shape[: input.ndim - 2] + (1, 1), p, inplace)


def dropout1d(
    input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False
) -> Tensor:
    r"""Channel dropout of (N, C, L) (or (C, L)): zero whole channels $x[n, c]$ with
    probability ``p`` and scale the others by $1/(1-p)$; identity in eval."""
    check_dropout_p(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input of shape "
            f"{input.shape}"
        )
    if not training or p == 0.0:
        return input
    _require_float_dropout(input, "dropout1d")
    return _drop(input, input.shape[:-1] + (1,), p, inplace)


def alpha_dropout(
    input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False
) -> Tensor:
    r"""Dropout for SELU networks (Klambauer et al., 2017): in training each element is
    set with probability ``p`` to SELU's negative saturation $\alpha' = -\lambda\alpha$,
    then $y = a x' + b$ with $a = ((1-p)(1 + p\alpha'^2))^{-1/2}$ and $b = -a\alpha' p$,
    which keeps mean 0 and variance 1; identity in eval, 0 for ``p = 1``."""
    check_dropout_p(p)
    if not training or p == 0.0:
        return input
    _require_float_dropout(input, "alpha_dropout")
    if p == 1.0:
        return _maybe_in_place(input, inplace, lambda x: x * 0.0, "alpha_dropout_")
    saturation = _activation.SELU_ALPHA * _activation.SELU_SCALE
    a = 1.0 / math.sqrt((saturation * saturation * p + 1) * (1 - p))
    keep = (default_generator().random(input.shape) >= p).astype(input.dtype)
    shift = wrap(((keep - 1) * saturation * a + saturation * a * p).astype(input.dtype))
    scale = wrap((keep * a).astype(input.dtype))
    return _maybe_in_place(input, inplace, lambda x: x * scale + shift, "alpha_dropout_")


def _require_float_dropout(input: Tensor, who: str) -> None:
    if input.dtype.kind != "f":
        raise RuntimeError(
            f"{who}: result type Float can't be cast to the desired output type "
            f"{input.dtype} (input must be floating point)"
        )


# -- losses -------------------------------------------------------------------------------------


def _reduce(loss: Tensor, reduction: str, who: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{who}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    r"""Mean squared error $\frac{1}{n}\sum (y - t)^2$ over all elements (PyTorch's
    convention). The notes' §6.3 $\frac{1}{N}\sum_i \|y_i - t_i\|^2$ averages over
    samples only: it equals ``mse_loss(y, t, reduction="sum") / N``.

    Parameters
    ----------
    input, target : Tensor
        The outputs $y$ and the targets $t$, of one shape (a target of another shape
        broadcasts, with PyTorch's warning).
    reduction : str
        ``"mean"`` (the default), ``"sum"`` or ``"none"`` (the squared errors themselves).

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> import tinygrad_nn.nn.functional as F
    >>> F.mse_loss(tnn.tensor([1.0, 2.0]), tnn.tensor([0.0, 0.0]))
    tensor(2.5000)
    """
    diff = input - _loss_target(input, target, "mse_loss")
    return _reduce(diff * diff, reduction, "mse_loss")


def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    r"""$-w[t \log y + (1-t)\log(1-y)]$ for probabilities ``y`` (notes §6.3); each log
    is clamped at -100 as PyTorch does, so y = 0 or 1 gives a finite loss. ``weight`` $w$
    broadcasts to the input's shape and rescales each element's loss; ``size_average`` and
    ``reduce`` are PyTorch's deprecated forms of ``reduction`` (with its warning)."""
    who = "binary_cross_entropy"
    reduction = _legacy_reduction(size_average, reduce, reduction)
    target = _loss_target(input, target, who, "refuse", dtype="input")
    _check_element_weight(input, weight, "weight", who)
    for name, t in (("input", input), ("target", target)):
        if not np.all((t._data >= 0) & (t._data <= 1)):  # NaN fails this too
            raise ValueError(f"{who}: {name} must be probabilities in [0, 1]")
    loss = -(target * _clamped_log(input) + (1 - target) * _clamped_log(1 - input))
    if weight is not None:
        loss = (loss * weight).to(loss.dtype)
    return _reduce(loss, reduction, who)


def _clamped_log(y: Tensor) -> Tensor:
    r"""$\max(\log y, -100)$, with a zero (not NaN) gradient where y = 0."""
    positive = y._data > 0
    safe = where(positive, y, 1.0)
    return where(positive, safe.log().maximum(-100.0), -100.0)


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    r"""Binary cross-entropy of $\sigma(z)$,
    $-w[p\,t \log\sigma(z) + (1-t)\log(1-\sigma(z))]$, computed stably as
    $w[(1-t)z + (1 + (p-1)t)\,\mathrm{softplus}(-z)]$ with a softplus that never overflows.
    ``weight`` $w$ rescales each element's loss and ``pos_weight`` $p$ the positive
    targets' part ($p > 1$ favours recall); both broadcast to the input's shape, so a
    ``pos_weight`` of shape (C,) holds one weight per class of the last axis, as PyTorch's.
    The loss has the target's dtype, as PyTorch's (a float64 target for float32 logits gives
    a float64 loss, and vice versa)."""
    who = "binary_cross_entropy_with_logits"
    reduction = _legacy_reduction(size_average, reduce, reduction)
    target = _loss_target(input, target, who, "refuse", dtype="floating")
    _check_element_weight(input, weight, "weight", who)
    _check_element_weight(input, pos_weight, "pos_weight", who)
    log_one_plus = (-input).softplus()  # -log sigma(z)
    if pos_weight is not None:
        log_one_plus = log_one_plus * ((pos_weight - 1) * target + 1)
    loss = (1 - target) * input + log_one_plus
    if weight is not None:
        loss = loss * weight
    return _reduce(loss.to(target.dtype), reduction, who)


def _check_element_weight(input: Tensor, weight: Any, name: str, who: str) -> None:
    """Raise unless ``weight`` is None or a Tensor whose shape broadcasts to the input's."""
    if weight is None:
        return
    if not isinstance(weight, Tensor):
        got = type(weight).__name__
        if isinstance(weight, str):  # a reduction passed by position, as our old signature had it
            got += f" {weight!r} (pass the reduction by name: reduction={weight!r})"
        raise TypeError(f"{who}: {name} must be a Tensor or None, got {got}")
    shape, to = weight._data.shape, input._data.shape
    if len(shape) > len(to) or any(s not in (1, t) for s, t in zip(shape[::-1], to[::-1])):
        raise ShapeError(
            f"{who}: {name} of shape {weight.shape} must broadcast to the input's shape "
            f"{input.shape}"
        )


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    r"""Softmax cross-entropy $-\sum_k t_k \log \mathrm{softmax}(z)_k$ of logits
    ``input`` of shape (N, C) or (C,), with ``target`` either class indices (int, shape (N,))
    or class probabilities / one-hot rows (float, shape (N, C)), as ``torch.nn.CrossEntropyLoss``.
    Its gradient is $\mathrm{softmax}(z) - t$ (notes §6.3). PyTorch's K-dimensional form
    (N, C, d_1, ..., d_K), e.g. a class score per pixel or voxel, is one sample per position:
    class indices (N, d_1, ..., d_K) or probabilities of the input's shape.

    ``weight`` (C,) rescales each class; ``ignore_index`` drops the samples of that class
    index; ``label_smoothing`` $\varepsilon$ mixes the target with the uniform distribution,
    $t \to (1-\varepsilon)t + \varepsilon/C$. With class indices and ``"mean"``, the sum is
    divided by the total weight of the counted samples, as in PyTorch.

    Parameters
    ----------
    input : Tensor
        Logits $z$ (scores before the softmax), shape (N, C), (C,) or (N, C, d_1, ..., d_K).
    target : Tensor
        Class indices (int64, shape (N,), (), or (N, d_1, ..., d_K)) or class probabilities
        (float, the input's shape).
    weight : Tensor, optional
        A weight per class, shape (C,).
    size_average, reduce : bool, optional
        PyTorch's deprecated forms of ``reduction`` (with its warning).
    ignore_index : int
        A class index whose samples count for nothing (with class-index targets).
    reduction : str
        ``"mean"`` (the default), ``"sum"`` or ``"none"`` (one loss per sample).
    label_smoothing : float
        $\varepsilon$ in $[0, 1]$.

    Returns
    -------
    Tensor
        A scalar, or shape (N,) (or (N, d_1, ..., d_K)) with ``reduction="none"``.

    Examples
    --------
    Equal logits give every class probability $1/3$, a loss of $\log 3$:

    >>> import tinygrad_nn as tnn
    >>> import tinygrad_nn.nn.functional as F
    >>> F.cross_entropy(tnn.zeros(2, 3), tnn.tensor([0, 2]))
    tensor(1.0986)
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    target = as_tensor(target)
    # The checks read .data directly: the Tensor properties add up on a small batch (row 1).
    data, t = input._data, target._data
    if data.dtype.kind in "biu":
        raise _not_floating(input, "cross_entropy", "logits")
    shape = data.shape
    if len(shape) != 2:
        if len(shape) > 2:
            return _per_position(
                cross_entropy,
                input,
                target,
                True,
                weight,
                ignore_index=ignore_index,
                reduction=reduction,
                label_smoothing=label_smoothing,
            )
        if not shape:
            raise ShapeError(
                "cross_entropy: input must have shape (N, C), (C,) or (N, C, d1, ..., dK), got ()"
            )
        if t.shape and t.dtype.kind in "iu":
            target = _one_sample_target(
                input, target, "cross_entropy", ignore_index, label_smoothing
            )
            t = target._data
    if reduction not in _REDUCTIONS:
        raise ValueError(
            f"cross_entropy: reduction must be one of {_REDUCTIONS}, got {reduction!r}"
        )
    if t.dtype.kind in "iu":
        ignoring = _check_class_indices(input, target, "cross_entropy", ignore_index)
    elif t.dtype.kind == "f" and t.shape == shape:
        if ignore_index >= 0:  # as PyTorch, which takes a negative one and ignores it
            raise RuntimeError(
                "cross_entropy: ignore_index is not supported for floating point target "
                f"(ignore_index={ignore_index}, target dtype {target.dtype})"
            )
        ignoring = False
    else:
        raise _target_error(input, target, "cross_entropy")
    if weight is None and not ignoring and not label_smoothing:
        return ops.CrossEntropy.apply(input, target, reduction=reduction)
    logp = input.log_softmax(-1)
    return _weighted_nll(
        logp, target, weight, ignore_index, reduction, label_smoothing, "cross_entropy"
    )


def _weighted_nll(
    logp: Tensor,
    target: Tensor,
    weight: Tensor | None,
    ignore_index: int,
    reduction: str,
    label_smoothing: float,
    who: str,
) -> Tensor:
    r"""The weighted negative log-likelihood of log-probabilities ``logp`` (M, C) or (C,),
    composed: $-\sum_k q_k w_k \log p_k$ per sample for a probability target $q$ smoothed to
    $(1-\varepsilon)q + \varepsilon/C$; for class indices $-(1-\varepsilon) w_t \log p_t -
    \frac{\varepsilon}{C}\sum_k w_k \log p_k$, 0 where $t$ is ``ignore_index`` (as PyTorch's,
    the log-probability is read only at $t$ without smoothing: a -inf elsewhere is harmless).
    The ``"mean"`` of class indices divides by the total weight $\sum w_t$ of the counted."""
    n_classes = logp.shape[-1]
    if label_smoothing > 1.0:
        raise ShapeError(f"{who}: label_smoothing must be at most 1, got {label_smoothing}")
    if not label_smoothing > 0.0:  # as PyTorch: a negative (or NaN) one smooths nothing
        label_smoothing = 0.0
    w = np.ones(n_classes) if weight is None else np.asarray(array_of(weight), np.float64)
    if w.shape != (n_classes,):
        raise ShapeError(f"{who}: weight must have shape ({n_classes},), got {w.shape}")
    t = target._data
    if t.dtype.kind in "iu":
        counted = t != ignore_index
        safe = np.where(counted, t, 0)
        total = float((w[safe] * counted).sum())
        picked = logp.gather(-1, wrap(safe[..., None])).squeeze(-1)
        scale = wrap((-(1 - label_smoothing) * w[safe]).astype(logp.dtype))
        per_sample = where(counted, picked, 0.0) * scale
        if label_smoothing:
            spread = (logp * wrap(w.astype(logp.dtype))).sum(-1)
            per_sample = per_sample - where(counted, spread, 0.0) * (label_smoothing / n_classes)
    else:
        q = target * (1 - label_smoothing) + label_smoothing / n_classes  # a target may be learnt
        per_sample = -(logp * q * wrap(w.astype(logp.dtype))).sum(-1)
        total = float(np.prod(logp.shape[:-1]))
    if reduction == "mean":
        if total == 0:  # every sample ignored: NaN, as PyTorch, but a zero (not NaN) gradient
            return per_sample.sum() * 0.0 + float("nan")
        return per_sample.sum() / total
    return _reduce(per_sample, reduction, who)


def _per_position(
    loss: Callable[..., Tensor],
    input: Tensor,
    target: Tensor,
    probabilities: bool,
    *args: Any,
    reduction: str,
    **kwargs: Any,
) -> Tensor:
    r"""``loss`` of PyTorch's K-dimensional form, input (N, C, d_1, ..., d_K): the class axis
    moved last and the positions flattened into $M = N d_1 \cdots d_K$ rows of the (M, C)
    form (views and a reshape, so the gradient flows back through them); the target likewise,
    class indices (N, d_1, ..., d_K) or (``probabilities``) a float target of the input's
    shape. With ``reduction="none"`` the per-row losses are put back as (N, d_1, ..., d_K)."""
    n, c, *positions = input.shape
    order = (0, *range(2, input.ndim), 1)
    rows = input.permute(order).reshape(math.prod((n, *positions)), c)
    who = loss.__name__
    if probabilities and target.dtype.kind == "f" and target.shape == input.shape:
        flat = target.permute(order).reshape(rows.shape)
    else:
        expected = (n, *positions)
        if target.shape != expected:
            either = f" (class indices) or {input.shape} (probabilities)" if probabilities else ""
            message = (
                f"{who}: expected target shape {expected}{either} for input shape "
                f"{input.shape}, got {target.shape}"
            )
            # PyTorch's types: another batch size is a ValueError, other positions a RuntimeError
            batch = target.shape[0] if target.ndim else None
            raise ValueError(message) if batch != n else RuntimeError(message)
        if target.dtype.kind not in "iu":
            raise RuntimeError(
                f"{who}: expected integer class indices for target of shape {target.shape} "
                f"(input shape {input.shape}), got dtype {target.dtype}"
            )
        flat = target.reshape(-1)
    out = loss(rows, flat, *args, reduction=reduction, **kwargs)
    return out.reshape(n, *positions) if reduction == "none" else out


def _one_sample_target(
    input: Tensor, target: Tensor, who: str, ignore_index: int, label_smoothing: float = 0.0
) -> Tensor:
    """The 0-d class index of the one sample of a (C,) ``input`` from an integer ``target``
    that is not 0-d, as torch 2.13's forward reads it: shape (1,) is taken as 0-d (its index
    checked first), except by cross_entropy with ``label_smoothing``, or for C = 1, where it
    has the input's shape (class probabilities, which must be float); other shapes raise
    (`_target_error`). (torch's backward refuses the (1,) target for C > 1; ours gives the
    gradient of the 0-d one.)"""
    if target.shape != (1,) or (who == "cross_entropy" and input.shape == (1,)):
        raise _target_error(input, target, who)
    one = target.reshape(())
    _check_class_indices(input, one, who, ignore_index)
    if 0.0 < label_smoothing <= 1.0:
        raise RuntimeError(
            f"{who}: a target of shape (1,) for input shape {input.shape} is not taken with "
            "label_smoothing, as torch's (use a 0-d target)"
        )
    return one


def _not_floating(input: Tensor, who: str, what: str) -> NotImplementedError:
    """The error for an integer or bool ``input`` to ``who`` (cross_entropy or nll_loss),
    naming the dtype and the fix: PyTorch's NotImplementedError (a RuntimeError), as torch
    2.13 has no integer kernel for log_softmax or nll_loss."""
    return NotImplementedError(
        f"{who}: input ({what}) must be a floating point tensor, got dtype {input.dtype}; "
        "convert it with .float()"
    )


def _target_error(input: Tensor, target: Tensor, who: str) -> Exception:
    """The error, of torch 2.13's type, for a ``target`` that ``who`` (cross_entropy or
    nll_loss) cannot take with ``input`` (N, C) or (C,): checked in torch's order, class
    probabilities (the input's shape, cross_entropy) must be float, a RuntimeError; another
    batch size N is a ValueError, and so is an integer 1-d target of size other than 1 for a
    (C,) input; other shapes and non-integer class indices are a RuntimeError (`ShapeError`,
    also the ValueError these once were)."""
    shape, got, dtype = tuple(input.shape), tuple(target.shape), target.dtype
    if who == "cross_entropy" and got == shape:
        return RuntimeError(
            f"{who}: a target of the input's shape {shape} holds class probabilities and must "
            f"be float, got dtype {dtype}"
        )
    if len(shape) == 2 and got[:1] != shape[:1]:
        return ValueError(
            f"{who}: target shape {got} must have the batch size of {shape[:1]} for input "
            f"shape {shape}"
        )
    if len(shape) == 1 and len(got) == 1 and got != (1,) and dtype.kind in "iu":
        return ValueError(
            f"{who}: for a 1-d input a 1-d target must have size 1, got target shape {got}"
        )
    if got not in (shape[:-1], (1,)[: len(shape) == 1]):
        indices = f"be {shape[:-1]} or (1,)" if len(shape) == 1 else f"be {shape[:-1]}"
        if who == "cross_entropy":
            indices = f"match the input's shape {shape} (class probabilities) or {indices}"
        return ShapeError(f"{who}: target shape {got} must {indices} (class indices)")
    return ShapeError(
        f"{who}: expected class indices of an integer dtype for input shape {shape}"
        + (" (or float class probabilities of the input's shape)" if who == "cross_entropy" else "")
        + f", got target shape {got} of dtype {dtype}"
    )


_UNSIGNED = {n: np.dtype(f"u{n}") for n in (1, 2, 4, 8)}  # by itemsize


def _check_class_indices(
    input: Tensor, target: Tensor, who: str, ignore_index: int | None = None
) -> bool:
    """Class indices of shape ``input.shape[:-1]``, each in ``[0, C)`` or equal to
    ``ignore_index``; returns whether any is ``ignore_index``."""
    shape, t = input._data.shape, target._data
    if t.shape != shape[:-1]:
        raise _target_error(input, target, who)
    n_classes = shape[-1]
    if not t.size:
        return False
    # Seen as unsigned, a negative index is huge: one max finds both kinds (row 1).
    if np.maximum.reduce(t.view(_UNSIGNED[t.dtype.itemsize]), None) >= n_classes:
        bad = t[((t < 0) | (t >= n_classes)) & (t != ignore_index)]
        if bad.size:
            raise IndexError(
                f"{who}: target class {bad[0]} is out of range for {n_classes} classes"
            )
        return True  # every out-of-range index is ignore_index
    return (
        ignore_index is not None
        and 0 <= ignore_index < n_classes
        and bool((t == ignore_index).any())
    )


def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    r"""Negative log-likelihood $-w_t \log p_{t}$ of log-probabilities ``input`` (N, C),
    (C,) or (N, C, d_1, ..., d_K) at class indices ``target`` (N,), () or (N, d_1, ..., d_K);
    ``nll_loss(log_softmax(z), t)`` is ``cross_entropy(z, t)``. ``weight`` (C,) rescales each
    class (the ``"mean"`` divides by the total weight of the counted samples), and samples of
    class ``ignore_index`` count for nothing, as ``torch.nn.NLLLoss``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    target = as_tensor(target)
    if input.ndim > 2:
        return _per_position(
            nll_loss, input, target, False, weight, ignore_index=ignore_index, reduction=reduction
        )
    if input.ndim == 0:
        raise ValueError("nll_loss: expected input (N, C), (C,) or (N, C, d1, ..., dK), got ()")
    if input._data.dtype.kind in "biu":
        raise _not_floating(input, "nll_loss", "log-probabilities")
    if target.dtype.kind not in "iu":
        raise RuntimeError(
            f"nll_loss: expected integer class indices for target, got dtype {target.dtype}"
        )
    if input.ndim == 1 and target.ndim:
        target = _one_sample_target(input, target, "nll_loss", ignore_index)
    if _check_class_indices(input, target, "nll_loss", ignore_index) or weight is not None:
        return _weighted_nll(input, target, weight, ignore_index, reduction, 0.0, "nll_loss")
    picked = input.gather(-1, wrap(target._data[..., None])).squeeze(-1)
    return _reduce(-picked, reduction, "nll_loss")


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    r"""Mean absolute error $\frac{1}{n}\sum |y - t|$."""
    return _reduce(
        (input - _loss_target(input, target, "l1_loss", dtype="number")).abs(), reduction, "l1_loss"
    )


def smooth_l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    r"""$\frac{(y - t)^2}{2\beta}$ where $|y - t| < \beta$, else $|y - t| - \frac\beta2$:
    quadratic near the target, linear far from it (``beta=0`` is ``l1_loss``), as
    ``torch.nn.functional.smooth_l1_loss``."""
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    reduction = _legacy_reduction(size_average, reduce, reduction)
    diff = input - _loss_target(input, target, "smooth_l1_loss")
    if beta == 0:
        return _reduce(diff.abs(), reduction, "smooth_l1_loss")
    return _reduce(_quadratic_then_linear(diff, beta) / beta, reduction, "smooth_l1_loss")


def huber_loss(
    input: Tensor,
    target: Tensor,
    reduction: str = "mean",
    delta: float = 1.0,
    weight: Tensor | None = None,
) -> Tensor:
    r"""Huber's loss $\frac12 (y - t)^2$ where $|y - t| < \delta$, else
    $\delta(|y - t| - \frac\delta2)$ (``smooth_l1_loss`` times $\delta$ with
    $\beta = \delta$); ``weight`` (the shape of ``input``) multiplies each element's loss
    before the reduction, as ``torch.nn.functional.huber_loss``. The unweighted loss has the
    input's dtype (a float64 target for a float32 input gives float32), as PyTorch's."""
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    diff = input - _loss_target(input, target, "huber_loss")
    loss = _quadratic_then_linear(diff, delta).to(input.dtype)
    if weight is not None:
        if tuple(weight.shape) != tuple(input.shape):
            raise ValueError("Weights and input must have the same size.")
        loss = loss * weight
    return _reduce(loss, reduction, "huber_loss")


def _quadratic_then_linear(diff: Tensor, edge: float) -> Tensor:
    r"""$\frac12 d^2$ where $|d| < e$, else $e(|d| - \frac e2)$."""
    size = diff.abs()
    return where(size._data < edge, diff * diff * 0.5, (size - edge / 2) * edge)


def kl_div(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    r"""The Kullback-Leibler divergence $\sum t (\log t - y)$ of the distribution ``target``
    from the one whose **log**-probabilities are ``input`` (0 where $t = 0$); with
    ``log_target`` the target is given as $\log t$ too: $\sum e^{t}(t - y)$, as
    ``torch.nn.functional.kl_div``. ``reduction="batchmean"`` divides the sum by the batch
    size (``input.size(0)``), the divergence per sample; ``"mean"`` (PyTorch's default, with
    its warning) divides by the number of elements. With the legacy ``size_average`` or
    ``reduce``, their reduction is used and, as in PyTorch, a ``reduction="batchmean"`` given
    too still divides that result by the batch size."""
    legacy = size_average is not None or reduce is not None
    if not legacy and reduction == "mean":
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support "
            "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
            "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
            "major release.",
            UserWarning,
            stacklevel=2,
        )
    if not legacy and reduction not in _KL_DIV_REDUCTIONS:
        raise ValueError(
            f"kl_div: reduction must be one of {_KL_DIV_REDUCTIONS}, got {reduction!r}"
        )
    applied = _legacy_reduction(
        size_average, reduce, "sum" if reduction == "batchmean" else reduction
    )
    target = _loss_target(input, target, "kl_div", "broadcast", dtype="floating")
    if log_target:
        loss = target.exp() * (target - input)
    else:
        positive = target._data > 0
        log_t = where(positive, target, 1.0).log()
        loss = where(positive, target * (log_t - input), -target * input)
    loss = _reduce(loss, applied, "kl_div")
    if reduction == "batchmean" and input.ndim:
        return loss / input.shape[0]
    return loss


def _legacy_reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """``reduction``, or what PyTorch's deprecated ``size_average``/``reduce`` ask for (with
    its warning): a false ``reduce`` none, else a false ``size_average`` sum, else mean."""
    if size_average is None and reduce is None:
        return reduction
    if reduce is not None and not reduce:
        reduction = "none"
    else:
        reduction = "sum" if size_average is not None and not size_average else "mean"
    warnings.warn(
        f"size_average and reduce args will be deprecated, please use reduction='{reduction}' "
        "instead.",
        UserWarning,
        stacklevel=3,
    )
    return reduction


def _loss_target(
    input: Tensor, target: Tensor, who: str, other_shape: str = "warn", dtype: str = "promote"
) -> Tensor:
    """``target`` as a Tensor, checked by PyTorch's rule for the loss ``who``. Of another
    shape than ``input``, it broadcasts with PyTorch's warning (``other_shape="warn"``: mse,
    l1, smooth_l1, huber), without one (``"broadcast"``: kl_div), or is refused with a
    ValueError (``"refuse"``: the binary cross-entropies); one that does not broadcast is a
    RuntimeError. ``dtype`` is the loss's rule for the target's dtype, a RuntimeError when
    broken: ``"promote"`` (mse, smooth_l1, huber: any, promoted with the input's),
    ``"number"`` (l1: not bool, which PyTorch cannot subtract), ``"floating"`` (kl_div,
    the logits BCE: no integer or bool) or ``"input"`` (binary_cross_entropy: exactly the
    input's dtype)."""
    target = as_tensor(target)
    if target._data.shape != input._data.shape:
        if other_shape == "refuse":
            raise ValueError(
                f"{who}: target shape {target.shape} must match input shape {input.shape}"
            )
        if other_shape == "warn":
            warnings.warn(
                f"Using a target size ({target.shape}) that is different to the input size "
                f"({input.shape}). This will likely lead to incorrect results due to "
                "broadcasting. Please ensure they have the same size.",
                UserWarning,
                stacklevel=3,
            )
        try:
            np.broadcast_shapes(target._data.shape, input._data.shape)
        except ValueError:
            raise RuntimeError(
                f"{who}: target shape {target.shape} must match input shape {input.shape} or "
                "broadcast with it"
            ) from None
    kind = target._data.dtype.kind
    if dtype == "input" and target._data.dtype != input._data.dtype:
        raise RuntimeError(
            f"{who}: target dtype {target.dtype} must be the input's dtype {input.dtype} "
            "(cast it with target.to(input.dtype))"
        )
    if dtype == "floating" and kind != "f":
        raise RuntimeError(f"{who}: target must be floating point, got dtype {target.dtype}")
    if dtype == "number" and kind == "b":
        raise RuntimeError(
            f"{who}: target must be a number, got dtype bool (a bool tensor cannot be "
            "subtracted; cast it with target.float())"
        )
    return target


# -- weight decay as a loss term (notes §11.2) -----------------------------------------------


def l2_penalty(params: Iterable[Tensor]) -> Tensor:
    r"""$\|\theta\|_F^2 = \sum_i \theta_i^2$. Adding $\lambda$ times it to the loss
    adds $2\lambda\theta$ to the gradient: the same as ``SGD(weight_decay=2λ)``."""
    return _total((p * p).sum() for p in params)


def l1_penalty(params: Iterable[Tensor]) -> Tensor:
    r"""$L_1(\theta) = \sum_i |\theta_i|$, which favours sparse weights."""
    return _total(p.abs().sum() for p in params)


def _total(terms: Iterable[Tensor]) -> Tensor:
    total = None
    for t in terms:
        total = t if total is None else total + t
    if total is None:
        raise ValueError("penalty: no parameters given")
    return total


# -- ranking, margin, embedding and likelihood losses -----------------------------------------


def margin_ranking_loss(
    input1: Tensor,
    input2: Tensor,
    target: Tensor,
    margin: float = 0.0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    r"""$\max(0, -y(x_1 - x_2) + \text{margin})$: ``input1`` should rank above ``input2``
    where $y = 1$ and below where $y = -1$; the three broadcast but must have one ndim."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if not input1.ndim == input2.ndim == as_tensor(target).ndim:
        raise RuntimeError(
            "margin_ranking_loss: All input tensors should have same dimension but got sizes: "
            f"input1: {input1.shape}, input2: {input2.shape}, target: {as_tensor(target).shape}"
        )
    loss = (-as_tensor(target) * (input1 - input2) + margin).clamp(min=0)
    return _reduce(loss, reduction, "margin_ranking_loss")


def hinge_embedding_loss(
    input: Tensor,
    target: Tensor,
    margin: float = 1.0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    r"""$x$ where $y = 1$ and $\max(0, \text{margin} - x)$ where $y = -1$, for distances
    ``input`` of similar ($y = 1$) and dissimilar ($y = -1$) pairs (a target that is neither
    gets both terms, as PyTorch's)."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    target = _loss_target(input, target, "hinge_embedding_loss", "broadcast")
    t = target._data
    loss = where(t != 1, (margin - input).clamp(min=0), 0.0) + where(t != -1, input, 0.0)
    return _reduce(loss, reduction, "hinge_embedding_loss")


def soft_margin_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    r"""Two-class logistic loss $\log(1 + e^{-y x})$ for targets $y = \pm 1$, computed as a
    softplus (no overflow)."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    target = _loss_target(input, target, "soft_margin_loss", "broadcast")
    return _reduce((-target * input).softplus(), reduction, "soft_margin_loss")


def multilabel_soft_margin_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    r"""$-\frac1C \sum_c w_c [y_c \log\sigma(x_c) + (1 - y_c)\log\sigma(-x_c)]$ per sample
    (the class dim is the last): binary cross-entropy with logits, averaged over classes."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    target = _loss_target(input, target, "multilabel_soft_margin_loss", "broadcast")
    if input.ndim == 0:
        raise IndexError(
            "multilabel_soft_margin_loss: Dimension specified as -1 but tensor has no "
            "dimensions (input must have a class dim)"
        )
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    per_sample = loss.sum(-1) / input.shape[-1]
    return _reduce(per_sample, reduction, "multilabel_soft_margin_loss")


def multi_margin_loss(
    input: Tensor,
    target: Tensor,
    p: int = 1,
    margin: float = 1.0,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    r"""Multi-class hinge loss $\frac1C \sum_{i \ne y} w_y \max(0, \text{margin} - x_y +
    x_i)^p$ per sample of scores ``input`` (N, C) or (C,) and class indices ``target``
    (``p`` is 1 or 2)."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError(f"multi_margin_loss: only p == 1 and p == 2 supported, got p={p}")
    target = as_tensor(target)
    if input.ndim > 2 or (input.ndim == 2 and not input.shape[1]):
        raise RuntimeError(
            "multi_margin_loss: Expected non-empty vector or matrix with optional 0-dim batch "
            f"size, but got input shape {input.shape}"
        )
    scores = input.reshape(-1, input.shape[-1] if input.ndim else 1)
    if target.ndim > 1 or target.numel() != scores.shape[0]:
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of "
            f"input samples ({scores.shape[0]}), but got shape {target.shape} for input shape "
            f"{input.shape}"
        )
    if target.dtype.kind not in "iu":
        raise RuntimeError(
            f"multi_margin_loss: expected int64 class indices, got target dtype {target.dtype}"
        )
    t = target._data.reshape(-1)
    n_classes = scores.shape[1]
    if t.size and (t.min() < 0 or t.max() >= n_classes):
        raise RuntimeError(
            f"multi_margin_loss: target out of range: classes {t.min()}..{t.max()} for "
            f"{n_classes} classes"
        )
    if weight is not None and weight.shape != (n_classes,):
        raise RuntimeError(
            f"multi_margin_loss: inconsistent weight size, expected {n_classes} but got "
            f"{weight.shape}"
        )
    picked = scores.gather(1, wrap(t[:, None]))
    others = (scores - picked + margin).relu() * wrap(t[:, None] != np.arange(n_classes))
    if p == 2:
        others = others * others
    if weight is not None:
        others = others * weight[wrap(t)].unsqueeze(1)
    loss = others.sum(1) / n_classes
    return _reduce(loss.reshape(target.shape), reduction, "multi_margin_loss")


def cosine_embedding_loss(
    input1: Tensor,
    input2: Tensor,
    target: Tensor,
    margin: float = 0.0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    r"""$1 - \cos(x_1, x_2)$ where $y = 1$ and $\max(0, \cos(x_1, x_2) - \text{margin})$ where
    $y = -1$, with $\cos = x_1 \cdot x_2 / \sqrt{(\|x_1\|^2 + \epsilon)(\|x_2\|^2 + \epsilon)}$,
    $\epsilon = 10^{-12}$, along the last dim of (N, D) or (D,) inputs."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    target = as_tensor(target)
    if target.ndim > 1 or input1.ndim != target.ndim + 1 or input2.ndim != target.ndim + 1:
        raise RuntimeError(
            "cosine_embedding_loss: a target of shape (N,) needs inputs (N, D), a 0-d target "
            f"inputs (D,); got input1 {input1.shape}, input2 {input2.shape}, target "
            f"{target.shape}"
        )
    squares = [(x * x).sum(-1) + 1e-12 for x in (input1, input2)]
    cos = (input1 * input2).sum(-1) / (squares[0] * squares[1]).sqrt()
    t = target._data
    loss = where(t == 1, 1 - cos, 0.0) + where(t == -1, (cos - margin).clamp(min=0), 0.0)
    return _reduce(loss, reduction, "cosine_embedding_loss")


def triplet_margin_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    margin: float = 1.0,
    p: float = 2.0,
    eps: float = 1e-6,
    swap: bool = False,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    r"""$\max(0, d(a, p) - d(a, n) + \text{margin})$ with the ``pairwise_distance``
    $d(x, y) = \|x - y + \epsilon\|_p$ (Schroff et al., 2015); ``swap`` uses
    $\min(d(a, n), d(p, n))$ for the negative distance."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"triplet_margin_loss: margin must be greater than 0, got {margin}")
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise RuntimeError(
            "triplet_margin_loss: The anchor, positive, and negative tensors are expected to "
            f"have the same number of dimensions, but got: anchor {anchor.ndim}D "
            f"{anchor.shape}, positive {positive.ndim}D {positive.shape}, and negative "
            f"{negative.ndim}D {negative.shape} inputs"
        )
    d_negative = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_negative = d_negative.minimum(pairwise_distance(positive, negative, p, eps))
    loss = (pairwise_distance(anchor, positive, p, eps) - d_negative + margin).clamp(min=0)
    return _reduce(loss, reduction, "triplet_margin_loss")


def poisson_nll_loss(
    input: Tensor,
    target: Tensor,
    log_input: bool = True,
    full: bool = False,
    size_average: bool | None = None,
    eps: float = 1e-8,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    r"""Negative log-likelihood of counts ``target`` under a Poisson of rate $\lambda$:
    $e^x - t x$ for ``log_input`` ($x = \log\lambda$), else $\lambda - t\log(\lambda +
    \epsilon)$; ``full`` adds Stirling's $t\log t - t + \frac12\log(2\pi t)$ where $t > 1$."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    target = _loss_target(input, target, "poisson_nll_loss", "broadcast")
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        big = target._data > 1
        t = where(big, target, 1.0)
        stirling = t * t.log() - t + (t * (2 * math.pi)).log() * 0.5
        loss = loss + where(big, stirling, 0.0)
    return _reduce(loss, reduction, "poisson_nll_loss")


def gaussian_nll_loss(
    input: Tensor,
    target: Tensor,
    var: Tensor | float,
    full: bool = False,
    eps: float = 1e-6,
    reduction: str = "mean",
) -> Tensor:
    r"""Negative log-likelihood of ``target`` under $\mathcal N(\mu, \sigma^2)$ with mean
    ``input`` and variance ``var``: $\frac12(\log\max(\sigma^2, \epsilon) + (\mu - t)^2 /
    \max(\sigma^2, \epsilon))$, plus $\frac12\log 2\pi$ with ``full``. ``var`` has the
    input's shape, or one dim of size 1 there, or the input's shape without its last dim
    (one variance shared by several features); as in PyTorch the clamp to $\epsilon$ is
    outside the graph (its gradient is that of the unclamped variance)."""
    if not isinstance(var, Tensor):
        var = wrap(np.full(input.shape, var, input.dtype))
    if np.any(var._data < 0):
        raise ValueError("gaussian_nll_loss: var has negative entry/entries")
    if var.shape != input.shape:
        mismatched = [v for i, v in zip(input.shape, var.shape) if i != v]
        if input.shape[:-1] == var.shape:
            var = var.unsqueeze(-1)
        elif var.ndim != input.ndim or mismatched != [1]:
            raise ValueError(
                f"gaussian_nll_loss: var is of incorrect size: shape {var.shape} for input "
                f"shape {input.shape} (expected that shape, one with a single dim of 1, or "
                "the input's shape without its last dim)"
            )
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not valid")
    var = var + wrap(np.maximum(var._data, eps) - var._data)
    diff = input - _loss_target(input, target, "gaussian_nll_loss", "broadcast")
    loss = (var.log() + diff * diff / var) * 0.5
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction, "gaussian_nll_loss")


# -- the in-place activations of PyTorch's functional namespace ---------------------------------


def relu_(input: Tensor) -> Tensor:
    """``relu(input, inplace=True)``."""
    return relu(input, inplace=True)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """``elu(input, alpha, inplace=True)``."""
    return elu(input, alpha, inplace=True)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """``leaky_relu(input, negative_slope, inplace=True)``."""
    return leaky_relu(input, negative_slope, inplace=True)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """``hardtanh(input, min_val, max_val, inplace=True)``."""
    return hardtanh(input, min_val, max_val, inplace=True)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """``threshold(input, threshold, value, inplace=True)``."""
    return _activation.threshold(input, threshold, value, inplace=True)


def selu_(input: Tensor) -> Tensor:
    """``selu(input, inplace=True)``."""
    return selu(input, inplace=True)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """``celu(input, alpha, inplace=True)``."""
    return celu(input, alpha, inplace=True)


def rrelu_(
    input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False
) -> Tensor:
    """``rrelu(input, lower, upper, training, inplace=True)``."""
    return rrelu(input, lower, upper, training, inplace=True)
