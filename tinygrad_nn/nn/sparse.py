r"""``Embedding``: a table of ``num_embeddings`` learned vectors looked up by index,
$y = W[x]$; the weight starts $N(0, 1)$, with the ``padding_idx`` row zero."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..grad_mode import no_grad
from ..tensor import Tensor
from . import functional as F
from . import init
from .module import Module, Parameter

__all__ = ["Embedding"]


class Embedding(Module):
    r"""$y[\dots] = W[x[\dots]]$ for integer indices $x$; ``weight`` (num_embeddings,
    embedding_dim). The ``padding_idx`` row starts at zero and gets no gradient.
    ``_weight`` gives the table itself (shared, not copied; its ``padding_idx`` row kept)
    and ``_freeze`` takes it out of training, as ``from_pretrained`` does."""

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        dtype: object = None,
        _weight: Tensor | None = None,
        _freeze: bool = False,
    ) -> None:
        super().__init__()
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(
                    f"Embedding: padding_idx {padding_idx} must be within num_embeddings "
                    f"({num_embeddings})"
                )
            padding_idx %= num_embeddings
        self.num_embeddings, self.embedding_dim, self.padding_idx = (
            num_embeddings,
            embedding_dim,
            padding_idx,
        )
        if _weight is None:
            table = np.empty((num_embeddings, embedding_dim), dtypes.resolve(dtype))
            self.weight = Parameter(table, requires_grad=not _freeze)
            self.reset_parameters()
            return
        if tuple(_weight.shape) != (num_embeddings, embedding_dim):
            raise ValueError(
                f"Embedding: shape of weight {tuple(_weight.shape)} does not match "
                f"num_embeddings and embedding_dim ({num_embeddings}, {embedding_dim})"
            )
        self.weight = Parameter(_weight, requires_grad=not _freeze)

    @classmethod
    def from_pretrained(
        cls, embeddings: Tensor, freeze: bool = True, padding_idx: int | None = None
    ) -> Embedding:
        """An ``Embedding`` whose table is ``embeddings`` (num_embeddings, embedding_dim),
        shared; with ``freeze`` (the default) it gets no gradient."""
        if embeddings.ndim != 2:
            raise ValueError(
                "Embedding.from_pretrained: embeddings must be 2-D (num_embeddings, "
                f"embedding_dim), got shape {tuple(embeddings.shape)}"
            )
        rows, cols = embeddings.shape
        return cls(rows, cols, padding_idx, _weight=embeddings, _freeze=freeze)

    def reset_parameters(self) -> None:
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight._data[self.padding_idx] = 0

    def forward(self, x: Tensor) -> Tensor:
        return F.embedding(x, self.weight, self.padding_idx)

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        return text if self.padding_idx is None else text + f", padding_idx={self.padding_idx}"
