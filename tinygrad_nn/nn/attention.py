r"""``MultiheadAttention`` (Vaswani et al. 2017): $h$ heads of scaled dot-product attention
on learned projections, $[\mathrm{head}_1, \dots, \mathrm{head}_h] W^O + b^O$ with
$\mathrm{head}_i = \mathrm{softmax}(Q W_i^Q (K W_i^K)^T / \sqrt{d} + M)\, V W_i^V$ and
$d = E/h$; the math is ``F.multi_head_attention_forward``, this module holds the weights
with PyTorch's names, shapes and initialisation."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from . import init
from ._functional.attention import multi_head_attention_forward
from .layers import Linear
from .module import Module, Parameter

__all__ = ["MultiheadAttention", "NonDynamicallyQuantizableLinear"]


class NonDynamicallyQuantizableLinear(Linear):
    """``Linear`` under the name PyTorch gives ``MultiheadAttention.out_proj`` (its repr and
    type name match; there is no quantization here)."""


class MultiheadAttention(Module):
    r"""Multi-head attention with PyTorch's parameters, as ``torch.nn.MultiheadAttention``.

    ``in_proj_weight`` $(3E, E)$ stacks $W^Q, W^K, W^V$ (xavier-uniform) and
    ``in_proj_bias`` $(3E,)$ their biases (zeros); when ``kdim`` or ``vdim`` differ from
    $E$ they are separate: ``q_proj_weight`` $(E, E)$, ``k_proj_weight`` $(E, k_\text{dim})$,
    ``v_proj_weight`` $(E, v_\text{dim})$. ``out_proj`` is the output ``Linear`` $(E, E)$ (bias
    zeros). ``add_bias_kv`` appends learned ``bias_k``, ``bias_v`` $(1, 1, E)$ to the keys
    and values; ``add_zero_attn`` a key and value of zeros.

    Parameters
    ----------
    embed_dim, num_heads : int
        $E$ and $h$; $h$ must divide $E$.
    dropout : float
        Dropout on the attention weights in training.
    bias, add_bias_kv, add_zero_attn : bool
        As above.
    kdim, vdim : int, optional
        The feature sizes of ``key`` and ``value`` ($E$ when None).
    batch_first : bool
        Inputs and output are $(N, L, E)$ instead of $(L, N, E)$.

    Shape
    -----
    ``forward(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
    average_attn_weights=True, is_causal=False)``: ``query`` $(L, N, E)$, ``key``
    $(S, N, k_\text{dim})$, ``value`` $(S, N, v_\text{dim})$ (or unbatched without $N$);
    masks are bool (True = may **not** attend) or float (added): ``key_padding_mask``
    $(N, S)$, ``attn_mask`` $(L, S)$ or $(N h, L, S)$. Returns ``(attn_output,
    attn_weights)``: $(L, N, E)$ and $(N, L, S)$ averaged over heads, $(N, h, L, S)$ with
    ``average_attn_weights=False``, or None with ``need_weights=False``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> mha = tnn.nn.MultiheadAttention(8, 2, batch_first=True)
    >>> x = tnn.randn(3, 5, 8)
    >>> out, weights = mha(x, x, x)
    >>> out.shape, weights.shape
    ((3, 5, 8), (3, 5, 5))
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(
                f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} "
                f"and num_heads={num_heads} instead"
            )
        super().__init__()
        self.embed_dim = embed_dim
        self.kdim = embed_dim if kdim is None else kdim
        self.vdim = embed_dim if vdim is None else vdim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads, self.dropout, self.batch_first = num_heads, dropout, batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")
        dtype = dtypes.resolve(dtype)
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(np.empty((3 * embed_dim, embed_dim), dtype))
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.q_proj_weight = Parameter(np.empty((embed_dim, embed_dim), dtype))
            self.k_proj_weight = Parameter(np.empty((embed_dim, self.kdim), dtype))
            self.v_proj_weight = Parameter(np.empty((embed_dim, self.vdim), dtype))
            self.register_parameter("in_proj_weight", None)
        self.register_parameter(
            "in_proj_bias", Parameter(np.empty(3 * embed_dim, dtype)) if bias else None
        )
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias, dtype)
        if add_bias_kv:
            self.bias_k = Parameter(np.empty((1, 1, embed_dim), dtype))
            self.bias_v = Parameter(np.empty((1, 1, embed_dim), dtype))
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        if device is not None:
            self.to(device)
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        """PyTorch's initialisation: xavier-uniform projections, zero biases, xavier-normal
        ``bias_k`` and ``bias_v``."""
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            for weight in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(weight)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)
        for b in (self.bias_k, self.bias_v):
            if b is not None:
                init.xavier_normal_(b)

    def forward(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        key_padding_mask: Tensor | None = None,
        need_weights: bool = True,
        attn_mask: Tensor | None = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        batched = query.ndim == 3
        if self.batch_first and batched:
            query, key, value = (x.transpose(1, 0) for x in (query, key, value))
        separate = not self._qkv_same_embed_dim
        out, weights = multi_head_attention_forward(
            query,
            key,
            value,
            self.embed_dim,
            self.num_heads,
            self.in_proj_weight,
            self.in_proj_bias,
            self.bias_k,
            self.bias_v,
            self.add_zero_attn,
            self.dropout,
            self.out_proj.weight,
            self.out_proj.bias,
            training=self.training,
            key_padding_mask=key_padding_mask,
            need_weights=need_weights,
            attn_mask=attn_mask,
            use_separate_proj_weight=separate,
            q_proj_weight=self.q_proj_weight,
            k_proj_weight=self.k_proj_weight,
            v_proj_weight=self.v_proj_weight,
            average_attn_weights=average_attn_weights,
            is_causal=is_causal,
        )
        if self.batch_first and batched:
            out = out.transpose(1, 0)
        return out, weights
