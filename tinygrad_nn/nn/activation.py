r"""Activation modules of modern networks: ``GELU``, ``SiLU``, ``ELU``, ``Mish``,
``Hardtanh``, ``ReLU6`` and the learnable ``PReLU`` (the activations of notes §3 are in
``nn.layers``)."""

from __future__ import annotations

import warnings
from typing import Any

from ..creation import full
from ..grad_mode import no_grad
from ..tensor import Tensor
from . import functional as F
from .layers import _InPlace
from .module import Module, Parameter

__all__ = ["ELU", "GELU", "SiLU", "Hardtanh", "ReLU6", "PReLU", "Mish"]


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


class SiLU(_InPlace):
    r"""Sigmoid linear unit $x\,\sigma(x)$."""

    def forward(self, x: Tensor) -> Tensor:
        return F.silu(x, self.inplace)


class ELU(Module):
    r"""$x$ for $x > 0$, else $\alpha(e^x - 1)$."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, x: Tensor) -> Tensor:
        return F.elu(x, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class Hardtanh(Module):
    r"""$x$ clipped to $[\text{min\_val}, \text{max\_val}]$ (``F.hardtanh``)."""

    def __init__(
        self,
        min_val: float = -1.0,
        max_val: float = 1.0,
        inplace: bool = False,
        min_value: float | None = None,
        max_value: float | None = None,
    ) -> None:
        super().__init__()
        if min_value is not None or max_value is not None:
            warnings.warn(
                "keyword argument `min_value`/`max_value` is deprecated and will be removed in "
                "future releases, please use `min_val`/`max_val` instead.",
                FutureWarning,
                stacklevel=2,
            )
        self.min_val = min_val if min_value is None else min_value
        self.max_val = max_val if max_value is None else max_value
        self.inplace = inplace
        if not self.max_val > self.min_val:  # PyTorch's assert, kept under python -O
            raise AssertionError(
                f"max_val ({self.max_val}) must be greater than min_val ({self.min_val})"
            )

    def forward(self, x: Tensor) -> Tensor:
        return F.hardtanh(x, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        inplace = ", inplace=True" if self.inplace else ""
        return f"min_val={self.min_val}, max_val={self.max_val}{inplace}"


class ReLU6(Hardtanh):
    r"""$\min(\max(0, x), 6)$ (``F.relu6``)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class PReLU(Module):
    r"""$x$ for $x > 0$, else $a x$ with a learnable slope $a$: one for all channels, or
    ``num_parameters`` (one per channel, dim 1), each starting at ``init`` (``F.prelu``)."""

    def __init__(
        self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None
    ) -> None:
        super().__init__()
        self.num_parameters, self.init = num_parameters, init
        self.weight = Parameter(full((num_parameters,), init, dtype=dtype, device=device))

    def reset_parameters(self) -> None:
        """Every slope back to ``init``."""
        with no_grad():
            self.weight.fill_(self.init)

    def forward(self, x: Tensor) -> Tensor:
        return F.prelu(x, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class Mish(_InPlace):
    r"""$x \tanh(\mathrm{softplus}(x))$ (``F.mish``)."""

    def forward(self, x: Tensor) -> Tensor:
        return F.mish(x, self.inplace)
