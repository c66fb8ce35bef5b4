r"""Similarity and distance modules: ``CosineSimilarity`` and ``PairwiseDistance``, thin
holders of the arguments of ``F.cosine_similarity`` and ``F.pairwise_distance``."""

from __future__ import annotations

from ..tensor import Tensor
from . import functional as F
from .module import Module

__all__ = ["CosineSimilarity", "PairwiseDistance"]


class CosineSimilarity(Module):
    r"""$\frac{x_1 \cdot x_2}{\max(\|x_1\|, \epsilon)\max(\|x_2\|, \epsilon)}$ along ``dim``
    (``F.cosine_similarity``): ``cos(x1, x2)``."""

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return F.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    r"""$\|x_1 - x_2 + \epsilon\|_p$ along the last dim (``F.pairwise_distance``):
    ``dist(x1, x2)``."""

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
