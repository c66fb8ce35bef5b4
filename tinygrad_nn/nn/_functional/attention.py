r"""Attention: ``scaled_dot_product_attention``, composed from matmul, masking, softmax and
dropout: $\mathrm{Attention}(Q, K, V) = \mathrm{softmax}(Q K^T s + M)\, V$ with
$s = 1/\sqrt{E}$ by default, as ``torch.nn.functional.scaled_dot_product_attention``."""

from __future__ import annotations

import math
import warnings

import numpy as np

from ...creation import cat
from ...tensor import Tensor, wrap

# functional re-exports this module and is always imported first (by nn/__init__), so its
# linear and dropout are there by the time these functions run
from .. import functional as F
from .padding import pad


def scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask: Tensor | None = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
) -> Tensor:
    r"""$\mathrm{softmax}(Q K^T s + M)\, V$ over the last two dims, any leading batch dims
    broadcast, as ``torch.nn.functional.scaled_dot_product_attention``.

    Parameters
    ----------
    query, key, value : Tensor
        $Q$ of shape $(\dots, L, E)$, $K$ of shape $(\dots, S, E)$, $V$ of shape
        $(\dots, S, E_v)$, all of one floating dtype.
    attn_mask : Tensor, optional
        Broadcastable to $(\dots, L, S)$: bool (True = may attend; False adds
        $-\infty$) or float of the query's dtype (added to the scores).
    dropout_p : float
        Dropout probability on the attention weights (always applied when $> 0$, as
        torch's; modules pass 0 in eval).
    is_causal : bool
        Attend only to $j \le i$: the upper-left causal mask $\mathrm{tril}(1_{L \times S})$;
        cannot be combined with ``attn_mask``.
    scale : float, optional
        $s$; $1/\sqrt{E}$ when None.
    enable_gqa : bool
        Grouped-query attention: the head dim (-3) of ``key`` and ``value`` divides the
        query's and each key/value head serves that many query heads.

    Returns
    -------
    Tensor
        Shape $(\dots, L, E_v)$. A query row that may attend to nothing gives zeros (torch's
        math backend does the same).

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> import tinygrad_nn.nn.functional as F
    >>> q = k = tnn.tensor([[1.0, 0.0], [0.0, 1.0]])
    >>> v = tnn.tensor([[1.0], [2.0]])
    >>> F.scaled_dot_product_attention(q, k, v, is_causal=True)
    tensor([[1.0000],
            [1.6698]])
    """
    _check_inputs(query, key, value, attn_mask, is_causal, enable_gqa)
    if enable_gqa:
        key = key.repeat_interleave(query.shape[-3] // key.shape[-3], dim=-3)
        value = value.repeat_interleave(query.shape[-3] // value.shape[-3], dim=-3)
    if attn_mask is not None:
        _check_mask_shape(attn_mask, query, key)
    return _attend(query, key, value, attn_mask, dropout_p, is_causal, scale, safe=True)[0]


def _attend(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask: Tensor | None,
    dropout_p: float,
    is_causal: bool,
    scale: float | None,
    safe: bool,
) -> tuple[Tensor, Tensor]:
    r"""$(A V, A)$ with $A = \mathrm{dropout}(\mathrm{softmax}(Q K^T s + M))$. With ``safe``
    a row of $A$ that may attend to nothing is zeros (the functional form); without, NaN
    (``MultiheadAttention`` returning its weights, as torch's)."""
    s = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    scores = (query @ key.transpose(-2, -1)) * s
    if is_causal:
        length, source = scores.shape[-2:]
        scores = scores.masked_fill(~np.tri(length, source, dtype=bool), -math.inf)
    if attn_mask is not None:
        if attn_mask.dtype == np.bool_:
            scores = scores.masked_fill(~attn_mask._data, -math.inf)
        else:
            scores = scores + attn_mask
    dead = np.isneginf(scores._data).all(-1, keepdims=True) if safe else None
    if dead is None or not dead.any():
        weights = scores.softmax(-1)
    else:  # softmax of zeros there, then zeros: no NaN in the value or the gradient
        weights = scores.masked_fill(dead, 0.0).softmax(-1).masked_fill(dead, 0.0)
    if dropout_p > 0.0:
        weights = F.dropout(weights, dropout_p)
    return weights @ value, weights


def _check_inputs(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask: Tensor | None,
    is_causal: bool,
    enable_gqa: bool,
) -> None:
    """torch's checks of ``scaled_dot_product_attention``'s arguments."""
    for name, t in (("query", query), ("key", key), ("value", value)):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"scaled_dot_product_attention(): argument '{name}' must be Tensor, not "
                f"{type(t).__name__}"
            )
    if not query.dtype == key.dtype == value.dtype:
        raise RuntimeError(
            "Expected query, key, and value to have the same dtype, but got query.dtype: "
            f"{query.dtype} key.dtype: {key.dtype} and value.dtype: {value.dtype} instead."
        )
    if query.dtype.kind != "f":
        raise RuntimeError(
            f"scaled_dot_product_attention: expected floating-point query, key and value, got "
            f"dtype {query.dtype}"
        )
    if min(query.ndim, key.ndim, value.ndim) < 2:
        raise RuntimeError(
            "Expected query, key, and value to all be at least 2 dimensional, but got "
            f"query.dim: {query.ndim} key.dim: {key.ndim} and value.dim: {value.ndim} instead."
        )
    if query.shape[-1] != key.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise RuntimeError(
            "scaled_dot_product_attention: expected query (..., L, E), key (..., S, E) and "
            f"value (..., S, Ev), got shapes {query.shape}, {key.shape} and {value.shape}"
        )
    if is_causal and attn_mask is not None:
        raise RuntimeError(
            "_scaled_dot_product_attention: Explicit attn_mask should not be set when "
            "is_causal=True"
        )
    if attn_mask is not None:
        if not isinstance(attn_mask, Tensor):
            raise TypeError(
                "scaled_dot_product_attention(): argument 'attn_mask' must be Tensor, not "
                f"{type(attn_mask).__name__}"
            )
        if attn_mask.dtype != np.bool_ and attn_mask.dtype != query.dtype:
            raise RuntimeError(
                "Expected attn_mask dtype to be bool or float or to match query dtype, but got "
                f"attn_mask.dtype: {attn_mask.dtype} and query.dtype: {query.dtype} instead."
            )
    if enable_gqa and (query.shape[-3] % key.shape[-3] or query.shape[-3] % value.shape[-3]):
        raise RuntimeError(
            "scaled_dot_product_attention: with enable_gqa the number of query heads "
            f"({query.shape[-3]}) must be a multiple of the key and value heads "
            f"({key.shape[-3]}, {value.shape[-3]})"
        )


def _check_mask_shape(attn_mask: Tensor, query: Tensor, key: Tensor) -> None:
    r"""``attn_mask`` broadcasts to the shape of the scores $(\dots, L, S)$ (not beyond)."""
    batch = np.broadcast_shapes(query.shape[:-2], key.shape[:-2])
    scores = (*batch, query.shape[-2], key.shape[-2])
    try:
        fits = np.broadcast_shapes(attn_mask.shape, scores) == scores
    except ValueError:
        fits = False
    if not fits:
        raise RuntimeError(
            f"scaled_dot_product_attention: attn_mask of shape {attn_mask.shape} does not "
            f"broadcast to the shape of the attention scores {scores}"
        )


def multi_head_attention_forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    embed_dim_to_check: int,
    num_heads: int,
    in_proj_weight: Tensor | None,
    in_proj_bias: Tensor | None,
    bias_k: Tensor | None,
    bias_v: Tensor | None,
    add_zero_attn: bool,
    dropout_p: float,
    out_proj_weight: Tensor,
    out_proj_bias: Tensor | None,
    training: bool = True,
    key_padding_mask: Tensor | None = None,
    need_weights: bool = True,
    attn_mask: Tensor | None = None,
    use_separate_proj_weight: bool = False,
    q_proj_weight: Tensor | None = None,
    k_proj_weight: Tensor | None = None,
    v_proj_weight: Tensor | None = None,
    static_k: Tensor | None = None,
    static_v: Tensor | None = None,
    average_attn_weights: bool = True,
    is_causal: bool = False,
) -> tuple[Tensor, Tensor | None]:
    r"""Multi-head attention (Vaswani et al. 2017), as
    ``torch.nn.functional.multi_head_attention_forward``:
    $\mathrm{MultiHead}(Q, K, V) = [\mathrm{head}_1, \dots, \mathrm{head}_h] W^O + b^O$ with
    $\mathrm{head}_i = \mathrm{softmax}(Q_i K_i^T / \sqrt{d} + M)\, V_i$, where $Q_i, K_i,
    V_i$ are the $i$-th slices of width $d = E/h$ of $Q W_q^T + b_q$, $K W_k^T + b_k$,
    $V W_v^T + b_v$.

    Inputs are sequence-first: ``query`` $(L, N, E)$, ``key`` $(S, N, E_k)$, ``value``
    $(S, N, E_v)$, or unbatched without $N$. Masks (bool: True = may **not** attend; float:
    added): ``key_padding_mask`` $(N, S)$, ``attn_mask`` $(L, S)$ or $(N h, L, S)$.
    Returns the output $(L, N, E)$ and, with ``need_weights``, the attention weights
    $(N, L, S)$ averaged over heads (or $(N, h, L, S)$), else None."""
    is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not is_batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    key_padding_mask = _canonical_mask(
        key_padding_mask, "key_padding_mask", attn_mask, "attn_mask", query.dtype
    )
    if is_causal and attn_mask is None:
        raise RuntimeError(
            "Need attn_mask if specifying the is_causal hint. You may use the Transformer "
            "module method `generate_square_subsequent_mask` to create this mask."
        )
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # the hint says the mask is causal: scaled_dot_product_attention's own
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype)
        is_causal = False
    if embed_dim != embed_dim_to_check:
        raise AssertionError(
            f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}"
        )
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if key.shape[:2] != value.shape[:2]:
            raise AssertionError(
                f"key's sequence and batch dims {key.shape[:2]} do not match value's "
                f"{value.shape[:2]}"
            )
        weights = (q_proj_weight, k_proj_weight, v_proj_weight)
    else:
        if key.shape != value.shape:
            raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")
        weights = in_proj_weight.chunk(3)
    biases = (None,) * 3 if in_proj_bias is None else in_proj_bias.chunk(3)
    q, k, v = (F.linear(x, w, b) for x, w, b in zip((query, key, value), weights, biases))

    if attn_mask is not None:
        attn_mask = _heads_mask(attn_mask, bsz, num_heads, tgt_len, key.shape[0])
    if bias_k is not None and bias_v is not None:
        k = cat([k, bias_k.expand(1, bsz, embed_dim)])
        v = cat([v, bias_v.expand(1, bsz, embed_dim)])
        attn_mask, key_padding_mask = _one_more_key(attn_mask, key_padding_mask)
    elif bias_k is not None or bias_v is not None:
        raise AssertionError("bias_k and bias_v must be given together")

    # (seq, N, E) -> (N, h, seq, d): the heads as a batch dim
    q, k, v = (
        t.reshape(t.shape[0], bsz, num_heads, head_dim).permute(1, 2, 0, 3) for t in (q, k, v)
    )
    k = k if static_k is None else _static(static_k, bsz, num_heads, head_dim, "static_k")
    v = v if static_v is None else _static(static_v, bsz, num_heads, head_dim, "static_v")
    if add_zero_attn:
        k = cat([k, k.new_zeros((bsz, num_heads, 1, head_dim))], dim=2)
        v = cat([v, v.new_zeros((bsz, num_heads, 1, head_dim))], dim=2)
        attn_mask, key_padding_mask = _one_more_key(attn_mask, key_padding_mask)
    src_len = k.shape[2]
    if key_padding_mask is not None:
        if key_padding_mask.shape != (bsz, src_len):
            raise AssertionError(
                f"expecting key_padding_mask shape of {(bsz, src_len)}, but got "
                f"{key_padding_mask.shape}"
            )
        padding = key_padding_mask.reshape(bsz, 1, 1, src_len)
        attn_mask = padding if attn_mask is None else attn_mask + padding
    if not training:
        dropout_p = 0.0
    out, attn = _attend(q, k, v, attn_mask, dropout_p, is_causal, None, safe=not need_weights)
    out = out.permute(2, 0, 1, 3).reshape(tgt_len, bsz, embed_dim)
    out = F.linear(out, out_proj_weight, out_proj_bias)
    if not need_weights:
        return (out if is_batched else out.squeeze(1)), None
    if average_attn_weights:
        attn = attn.mean(1)
    return (out, attn) if is_batched else (out.squeeze(1), attn.squeeze(0))


def _canonical_mask(
    mask: Tensor | None,
    mask_name: str,
    other: Tensor | None,
    other_name: str,
    dtype: object,
) -> Tensor | None:
    r"""A bool ``mask`` (True = may not attend) as the float mask it stands for: $-\infty$
    where True, 0 elsewhere; a float mask unchanged; torch's deprecation warning when
    ``other`` (the other mask of the call) has another dtype."""
    if mask is None:
        return None
    if mask.dtype != np.bool_ and mask.dtype.kind != "f":
        raise AssertionError(f"only bool and floating types of {mask_name} are supported")
    if other is not None and other.dtype != mask.dtype:
        warnings.warn(
            f"Support for mismatched {mask_name} and {other_name} is deprecated. Use same type "
            "for both instead.",
            UserWarning,
            stacklevel=4,
        )
    if mask.dtype.kind == "f":
        return mask
    return wrap(np.where(mask._data, -np.inf, 0.0).astype(dtype))


def _heads_mask(mask: Tensor, bsz: int, num_heads: int, tgt_len: int, src_len: int) -> Tensor:
    """An ``attn_mask`` of shape (L, S) or (N h, L, S) as one that broadcasts against the
    scores (N, h, L, S), with torch's errors for other shapes."""
    if mask.ndim == 2:
        if mask.shape != (tgt_len, src_len):
            raise RuntimeError(
                f"The shape of the 2D attn_mask is {mask.shape}, but should be "
                f"{(tgt_len, src_len)}."
            )
        return mask
    if mask.ndim == 3:
        if mask.shape != (bsz * num_heads, tgt_len, src_len):
            raise RuntimeError(
                f"The shape of the 3D attn_mask is {mask.shape}, but should be "
                f"{(bsz * num_heads, tgt_len, src_len)}."
            )
        return mask.reshape(bsz, num_heads, tgt_len, src_len)
    raise RuntimeError(f"attn_mask's dimension {mask.ndim} is not supported")


def _one_more_key(*masks: Tensor | None) -> tuple[Tensor | None, ...]:
    """The masks with a column of zeros (may attend) for a key appended to the sequence."""
    return tuple(None if m is None else pad(m, (0, 1)) for m in masks)


def _static(t: Tensor, bsz: int, num_heads: int, head_dim: int, name: str) -> Tensor:
    """A given ``static_k`` or ``static_v`` of shape (N h, S, d) as (N, h, S, d)."""
    if t.ndim != 3 or t.shape[0] != bsz * num_heads or t.shape[2] != head_dim:
        raise AssertionError(
            f"expecting {name} of shape ({bsz * num_heads}, S, {head_dim}), but got {t.shape}"
        )
    return t.reshape(bsz, num_heads, t.shape[1], head_dim)


def _mha_shape_check(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    key_padding_mask: Tensor | None,
    attn_mask: Tensor | None,
    num_heads: int,
) -> bool:
    """Whether the inputs are batched (3-d ``query``) or unbatched (2-d), with torch's
    errors for dims that do not go together."""
    dims = f"{key.ndim}-D and {value.ndim}-D tensors respectively"
    if query.ndim == 3:
        if key.ndim != 3 or value.ndim != 3:
            raise AssertionError(
                f"For batched (3-D) `query`, expected `key` and `value` to be 3-D but found {dims}"
            )
        if key_padding_mask is not None and key_padding_mask.ndim != 2:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but "
                f"found {key_padding_mask.ndim}-D tensor instead"
            )
        if attn_mask is not None and attn_mask.ndim not in (2, 3):
            raise AssertionError(
                "For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but "
                f"found {attn_mask.ndim}-D tensor instead"
            )
        return True
    if query.ndim == 2:
        if key.ndim != 2 or value.ndim != 2:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
                + dims
            )
        if key_padding_mask is not None and key_padding_mask.ndim != 1:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D "
                f"but found {key_padding_mask.ndim}-D tensor instead"
            )
        if attn_mask is not None:
            if attn_mask.ndim not in (2, 3):
                raise AssertionError(
                    "For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or "
                    f"3-D but found {attn_mask.ndim}-D tensor instead"
                )
            expected = (num_heads, query.shape[0], key.shape[0])
            if attn_mask.ndim == 3 and attn_mask.shape != expected:
                raise AssertionError(
                    f"Expected `attn_mask` shape to be {expected} but got {attn_mask.shape}"
                )
        return False
    raise AssertionError(
        f"query should be unbatched 2D or batched 3D tensor but received {query.ndim}-D query "
        "tensor"
    )
