r"""Activation modules of modern networks: ``GELU``, ``SiLU``, ``ELU`` (the activations of
notes §3 are in ``nn.layers``)."""

from __future__ import annotations

from ..tensor import Tensor
from . import functional as F
from .module import Module

__all__ = ["ELU", "GELU", "SiLU"]


class GELU(Module):
    r"""$x\,\Phi(x) = \frac x2 (1 + \mathrm{erf}(x/\sqrt2))$; ``approximate="tanh"`` uses
    $\frac x2 (1 + \tanh(\sqrt{2/\pi}(x + 0.044715x^3)))$."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, x: Tensor) -> Tensor:
        return F.gelu(x, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    r"""Sigmoid linear unit $x\,\sigma(x)$."""

    def forward(self, x: Tensor) -> Tensor:
        return F.silu(x)


class ELU(Module):
    r"""$x$ for $x > 0$, else $\alpha(e^x - 1)$."""

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = alpha

    def forward(self, x: Tensor) -> Tensor:
        return F.elu(x, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"
