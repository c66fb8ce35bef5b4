r"""``RLeaky``: a ``Leaky`` layer whose output spikes feed back into it (snnTorch's
``RLeaky``):

$$U[t+1] = \beta\,U[t] + I_{in}[t+1] + V(S[t]) - R\,U_{thr},$$

where $V$ is a ``Linear`` layer (``all_to_all=True``, ``linear_features=N``), a ``Conv2d``
(``conv2d_channels`` and ``kernel_size``, padded to keep the size) or one weight per neuron
(``all_to_all=False``: $V(S) = V \odot S$).
"""

from __future__ import annotations

from typing import Any

from .. import nn
from ..tensor import Tensor
from .neurons import LIF, _constant

__all__ = ["RLeaky"]


class RLeaky(LIF):
    r"""Recurrent LIF layer: $U[t+1] = \beta U[t] + I[t+1] + V(S[t]) - R\,U_{thr}$
    (``"subtract"``), $(1 - R)(\beta U[t] + I[t+1] + V(S[t]))$ (``"zero"``).

    ``forward(input_, spk=None, mem=None) -> (spk, mem)``. ``learn_recurrent=False``
    freezes $V$. The other arguments are those of ``Leaky``."""

    state_names = ("spk", "mem")

    def __init__(
        self,
        beta: float | Tensor,
        V: float | Tensor = 1.0,
        all_to_all: bool = True,
        linear_features: int | None = None,
        conv2d_channels: int | None = None,
        kernel_size: int | tuple[int, int] | None = None,
        threshold: float | Tensor = 1.0,
        spike_grad: Any = None,
        *,
        learn_recurrent: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(beta, threshold, spike_grad, **kwargs)
        self.all_to_all = all_to_all
        if not all_to_all:
            if linear_features or conv2d_channels or kernel_size:
                raise TypeError(
                    "RLeaky: with all_to_all=False the one-to-one weight V is used; do not "
                    "give linear_features, conv2d_channels or kernel_size"
                )
            _constant(self, "V", V, learn_recurrent)
        elif linear_features and not (conv2d_channels or kernel_size):
            self.recurrent = nn.Linear(linear_features, linear_features)
        elif conv2d_channels and kernel_size and not linear_features:
            k = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
            self.recurrent = nn.Conv2d(
                conv2d_channels, conv2d_channels, k, padding=(k[0] // 2, k[1] // 2)
            )
        else:
            raise TypeError(
                "RLeaky: with all_to_all=True give either linear_features, or both "
                "conv2d_channels and kernel_size (the shape of the layer's spikes)"
            )
        if all_to_all and not learn_recurrent:
            self.recurrent.requires_grad_(False)

    def init_rleaky(self) -> tuple[Tensor, Tensor]:
        """snnTorch's name for ``reset_mem()``: the zeroed ``(spk, mem)``."""
        return self.reset_mem()

    def forward(self, input_: Tensor, spk: Tensor | None = None, mem: Tensor | None = None) -> Any:
        self._load_state(input_, {"spk": spk, "mem": mem})
        reset = self.mem_reset(self.mem)
        feedback = self.recurrent(self.spk) if self.all_to_all else self.spk * self.V
        mem = self.decay() * self.mem + input_ + feedback
        if self.reset_mechanism == "subtract":
            mem = mem - self.reset_by_threshold(reset)
        elif self.reset_mechanism == "zero":
            mem = mem - reset * mem
        self.mem = mem
        self.spk = self.fire(mem)
        self._reset_now(self.spk, reset)
        return self._outputs(self.spk)
