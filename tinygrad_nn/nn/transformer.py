r"""The Transformer of Vaswani et al. (2017), as ``torch.nn.Transformer`` and its parts.

An encoder layer is self-attention then a position-wise feed-forward network, each a
residual block with layer normalisation, after (``norm_first=False``) or before it:
$x \leftarrow \mathrm{LN}(x + \mathrm{SA}(x))$, $x \leftarrow \mathrm{LN}(x + \mathrm{FF}(x))$
with $\mathrm{FF}(x) = W_2\, \phi(W_1 x + b_1) + b_2$. A decoder layer adds attention to the
encoder's output (the memory) between the two. The stacks hold deep copies of one layer.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import dtypes
from ..tensor import Tensor, wrap
from . import functional as F
from . import init
from ._functional.attention import _canonical_mask
from .attention import MultiheadAttention
from .layers import Dropout, Linear
from .module import Module, ModuleList
from .normalization import LayerNorm

__all__ = [
    "Transformer",
    "TransformerDecoder",
    "TransformerDecoderLayer",
    "TransformerEncoder",
    "TransformerEncoderLayer",
]


def _activation(activation: str | Callable[[Tensor], Tensor]) -> Callable[[Tensor], Tensor]:
    """``"relu"`` or ``"gelu"`` as the function, a callable unchanged (torch's legacy strings)."""
    if not isinstance(activation, str):
        return activation
    if activation == "relu":
        return F.relu
    if activation == "gelu":
        return F.gelu
    raise RuntimeError(f"activation should be relu/gelu, not {activation}")


def _causal_hint(mask: Tensor | None, is_causal: bool | None, size: int) -> bool:
    """``is_causal`` when given; when None, whether ``mask`` is exactly the square causal
    mask of ``size`` (then attention may use its own, as torch's stacks do)."""
    if is_causal is not None or mask is None:
        return bool(is_causal)
    causal = Transformer.generate_square_subsequent_mask(size, dtype=mask.dtype)
    return mask.shape == causal.shape and bool(np.array_equal(mask._data, causal._data))


def _seq_len(x: Tensor, batch_first: bool) -> int:
    return x.shape[1 if batch_first and x.ndim == 3 else 0]


class _Block(Module):
    """What the encoder and decoder layers share: the feed-forward network, the activation,
    the residual connections and ``norm_first``."""

    blocks: int  # residual blocks: 2 in the encoder layer, 3 in the decoder layer

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable[[Tensor], Tensor] = F.relu,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        """The submodules in torch's order: ``self_attn`` (and ``multihead_attn`` when there
        are 3 ``blocks``), ``linear1``, ``dropout``, ``linear2``, then ``norm1``.. and
        ``dropout1``.., one of each a residual block."""
        super().__init__()
        dtype = dtypes.resolve(dtype)
        kw = dict(dropout=dropout, bias=bias, batch_first=batch_first, dtype=dtype)
        self.self_attn = MultiheadAttention(d_model, nhead, **kw)
        if self.blocks == 3:
            self.multihead_attn = MultiheadAttention(d_model, nhead, **kw)
        self.linear1 = Linear(d_model, dim_feedforward, bias, dtype)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias, dtype)
        self.norm_first = norm_first
        for i in range(1, self.blocks + 1):
            setattr(self, f"norm{i}", LayerNorm(d_model, layer_norm_eps, bias=bias, dtype=dtype))
        for i in range(1, self.blocks + 1):
            setattr(self, f"dropout{i}", Dropout(dropout))
        self.activation = _activation(activation)
        if device is not None:
            self.to(device)

    def _ff_block(self, x: Tensor, dropout: Dropout) -> Tensor:
        r"""$\mathrm{dropout}(W_2\, \mathrm{dropout}(\phi(W_1 x + b_1)) + b_2)$."""
        return dropout(self.linear2(self.dropout(self.activation(self.linear1(x)))))

    def _residual(self, x: Tensor, norm: LayerNorm, block: Callable[[Tensor], Tensor]) -> Tensor:
        r"""$x + f(\mathrm{LN}(x))$ with ``norm_first``, else $\mathrm{LN}(x + f(x))$."""
        return x + block(norm(x)) if self.norm_first else norm(x + block(x))


def _attention_block(
    attention: MultiheadAttention,
    dropout: Dropout,
    x: Tensor,
    memory: Tensor,
    mask: Tensor | None,
    key_padding_mask: Tensor | None,
    is_causal: bool,
) -> Tensor:
    """``dropout`` of the output of ``attention`` from ``x`` to ``memory`` (no weights)."""
    out = attention(
        x,
        memory,
        memory,
        attn_mask=mask,
        key_padding_mask=key_padding_mask,
        need_weights=False,
        is_causal=is_causal,
    )[0]
    return dropout(out)


class TransformerEncoderLayer(_Block):
    r"""Self-attention and a feed-forward network, each in a residual block with layer
    normalisation, as ``torch.nn.TransformerEncoderLayer``:
    $x \leftarrow \mathrm{LN}_1(x + \mathrm{SA}(x))$, then
    $x \leftarrow \mathrm{LN}_2(x + W_2 \phi(W_1 x + b_1) + b_2)$; with ``norm_first``,
    $x \leftarrow x + \mathrm{SA}(\mathrm{LN}_1(x))$ and $x \leftarrow x +
    \mathrm{FF}(\mathrm{LN}_2(x))$. Submodules as torch's: ``self_attn``, ``linear1``,
    ``dropout``, ``linear2``, ``norm1``, ``norm2``, ``dropout1``, ``dropout2``.

    ``activation`` is ``"relu"``, ``"gelu"`` or a callable (a function or a module).
    ``forward(src, src_mask=None, src_key_padding_mask=None, is_causal=False)`` takes
    ``src`` $(S, N, E)$ ($(N, S, E)$ with ``batch_first``, or unbatched $(S, E)$) and masks as
    ``MultiheadAttention``'s.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> layer = tnn.nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16)
    >>> layer(tnn.randn(5, 3, 8)).shape
    (5, 3, 8)
    """

    blocks = 2

    def forward(
        self,
        src: Tensor,
        src_mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        is_causal: bool = False,
    ) -> Tensor:
        def self_attention(x: Tensor) -> Tensor:
            return _attention_block(
                self.self_attn, self.dropout1, x, x, src_mask, src_key_padding_mask, is_causal
            )

        x = self._residual(src, self.norm1, self_attention)
        return self._residual(x, self.norm2, lambda y: self._ff_block(y, self.dropout2))


class TransformerDecoderLayer(_Block):
    r"""Self-attention, attention to the encoder's output (``memory``) and a feed-forward
    network, each in a residual block with layer normalisation, as
    ``torch.nn.TransformerDecoderLayer``: $x \leftarrow \mathrm{LN}_1(x + \mathrm{SA}(x))$,
    $x \leftarrow \mathrm{LN}_2(x + \mathrm{MHA}(x, m, m))$,
    $x \leftarrow \mathrm{LN}_3(x + \mathrm{FF}(x))$ (``norm_first``: $x + f(\mathrm{LN}(x))$).
    Submodules as torch's: ``self_attn``, ``multihead_attn``, ``linear1``, ``dropout``,
    ``linear2``, ``norm1``..``norm3``, ``dropout1``..``dropout3``.

    ``forward(tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
    memory_key_padding_mask=None, tgt_is_causal=False, memory_is_causal=False)``.
    """

    blocks = 3

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        tgt_is_causal: bool = False,
        memory_is_causal: bool = False,
    ) -> Tensor:
        def self_attention(x: Tensor) -> Tensor:
            return _attention_block(
                self.self_attn, self.dropout1, x, x, tgt_mask, tgt_key_padding_mask, tgt_is_causal
            )

        def memory_attention(x: Tensor) -> Tensor:
            return _attention_block(
                self.multihead_attn,
                self.dropout2,
                x,
                memory,
                memory_mask,
                memory_key_padding_mask,
                memory_is_causal,
            )

        x = self._residual(tgt, self.norm1, self_attention)
        x = self._residual(x, self.norm2, memory_attention)
        return self._residual(x, self.norm3, lambda y: self._ff_block(y, self.dropout3))


class TransformerEncoder(Module):
    r"""``num_layers`` deep copies of ``encoder_layer`` applied in turn (``layers``), then
    ``norm`` when given, as ``torch.nn.TransformerEncoder``. ``forward(src, mask=None,
    src_key_padding_mask=None, is_causal=None)``: a ``mask`` equal to the square causal mask
    counts as causal when ``is_causal`` is None. ``enable_nested_tensor`` and ``mask_check``
    are accepted and do nothing (there are no nested tensors here)."""

    def __init__(
        self,
        encoder_layer: TransformerEncoderLayer,
        num_layers: int,
        norm: Module | None = None,
        enable_nested_tensor: bool = True,
        mask_check: bool = True,
    ) -> None:
        super().__init__()
        self.layers = ModuleList([copy.deepcopy(encoder_layer) for _ in range(num_layers)])
        self.num_layers, self.norm = num_layers, norm
        self.enable_nested_tensor, self.mask_check = enable_nested_tensor, mask_check

    def forward(
        self,
        src: Tensor,
        mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        is_causal: bool | None = None,
    ) -> Tensor:
        src_key_padding_mask = _canonical_mask(
            src_key_padding_mask, "src_key_padding_mask", mask, "mask", src.dtype
        )
        mask = _canonical_mask(mask, "mask", None, "", src.dtype)
        batch_first = self.layers[0].self_attn.batch_first if len(self.layers) else False
        is_causal = _causal_hint(mask, is_causal, _seq_len(src, batch_first))
        x = src
        for layer in self.layers:
            x = layer(
                x, src_mask=mask, src_key_padding_mask=src_key_padding_mask, is_causal=is_causal
            )
        return x if self.norm is None else self.norm(x)


class TransformerDecoder(Module):
    r"""``num_layers`` deep copies of ``decoder_layer`` applied in turn to the target with
    the same ``memory``, then ``norm`` when given, as ``torch.nn.TransformerDecoder``.
    ``forward(tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
    memory_key_padding_mask=None, tgt_is_causal=None, memory_is_causal=False)``."""

    def __init__(
        self, decoder_layer: TransformerDecoderLayer, num_layers: int, norm: Module | None = None
    ) -> None:
        super().__init__()
        self.layers = ModuleList([copy.deepcopy(decoder_layer) for _ in range(num_layers)])
        self.num_layers, self.norm = num_layers, norm

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        batch_first = self.layers[0].self_attn.batch_first if len(self.layers) else False
        tgt_is_causal = _causal_hint(tgt_mask, tgt_is_causal, _seq_len(tgt, batch_first))
        x = tgt
        for layer in self.layers:
            x = layer(
                x,
                memory,
                tgt_mask=tgt_mask,
                memory_mask=memory_mask,
                tgt_key_padding_mask=tgt_key_padding_mask,
                memory_key_padding_mask=memory_key_padding_mask,
                tgt_is_causal=tgt_is_causal,
                memory_is_causal=memory_is_causal,
            )
        return x if self.norm is None else self.norm(x)


class Transformer(Module):
    r"""An encoder of ``num_encoder_layers`` and a decoder of ``num_decoder_layers`` layers,
    each stack followed by a ``LayerNorm``, as ``torch.nn.Transformer``: ``forward(src, tgt,
    ...)`` is ``decoder(tgt, encoder(src), ...)``. Every parameter of two or more dims is
    re-initialised xavier-uniform, as torch's. ``custom_encoder``/``custom_decoder`` replace
    the stacks.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> model = tnn.nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1,
    ...                            num_decoder_layers=1, dim_feedforward=16)
    >>> src, tgt = tnn.randn(6, 2, 8), tnn.randn(4, 2, 8)
    >>> model(src, tgt, tgt_mask=model.generate_square_subsequent_mask(4)).shape
    (4, 2, 8)
    """

    def __init__(
        self,
        d_model: int = 512,
        nhead: int = 8,
        num_encoder_layers: int = 6,
        num_decoder_layers: int = 6,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable[[Tensor], Tensor] = F.relu,
        custom_encoder: Module | None = None,
        custom_decoder: Module | None = None,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        dtype = dtypes.resolve(dtype)
        layer_kw = dict(
            dim_feedforward=dim_feedforward,
            dropout=dropout,
            activation=activation,
            layer_norm_eps=layer_norm_eps,
            batch_first=batch_first,
            norm_first=norm_first,
            bias=bias,
            dtype=dtype,
        )

        def norm() -> LayerNorm:
            return LayerNorm(d_model, layer_norm_eps, bias=bias, dtype=dtype)

        if custom_encoder is None:
            layer = TransformerEncoderLayer(d_model, nhead, **layer_kw)
            custom_encoder = TransformerEncoder(layer, num_encoder_layers, norm())
        if custom_decoder is None:
            layer = TransformerDecoderLayer(d_model, nhead, **layer_kw)
            custom_decoder = TransformerDecoder(layer, num_decoder_layers, norm())
        self.encoder, self.decoder = custom_encoder, custom_decoder
        for p in self.parameters():
            if p.ndim > 1:
                init.xavier_uniform_(p)
        self.d_model, self.nhead, self.batch_first = d_model, nhead, batch_first
        if device is not None:
            self.to(device)

    def forward(
        self,
        src: Tensor,
        tgt: Tensor,
        src_mask: Tensor | None = None,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        src_is_causal: bool | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        batch = 0 if self.batch_first else 1
        if src.ndim == 3 and src.shape[batch] != tgt.shape[batch]:
            raise RuntimeError("the batch number of src and tgt must be equal")
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise RuntimeError("the feature number of src and tgt must be equal to d_model")
        memory = self.encoder(
            src, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal
        )
        return self.decoder(
            tgt,
            memory,
            tgt_mask=tgt_mask,
            memory_mask=memory_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
            tgt_is_causal=tgt_is_causal,
            memory_is_causal=memory_is_causal,
        )

    @staticmethod
    def generate_square_subsequent_mask(sz: int, device: Any = None, dtype: Any = None) -> Tensor:
        r"""The causal mask of a sequence of ``sz``: $-\infty$ above the diagonal (a position
        may not attend to later ones), 0 on and below it; float, as torch's."""
        dtype = dtypes.resolve(dtype)
        return wrap(np.triu(np.full((sz, sz), -np.inf, dtype), 1))
