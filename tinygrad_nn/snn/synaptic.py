r"""``Synaptic``: a LIF neuron fed through a current-based synapse (notes §4).

Notes §4 filters a spike train with the post-synaptic current kernel $h(t)$; with $n = 0$ the
kernel is the exponential $e^{-t/\tau_s}/\tau_s$, the impulse response of the first-order
filter $\tau_s\,dI/dt = -I + \text{input}$. Stepped by $\Delta t$ the current keeps the
fraction $\alpha = e^{-\Delta t/\tau_s}$ each step, as snnTorch's ``Synaptic``:

$$I_{syn}[t+1] = \alpha\,I_{syn}[t] + I_{in}[t+1], \qquad
U[t+1] = \beta\,U[t] + I_{syn}[t+1] - R\,U_{thr}.$$
"""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor
from .neurons import LIF, _constant

__all__ = ["Synaptic"]


class Synaptic(LIF):
    r"""Two-state LIF layer (snnTorch's ``Synaptic``): the synaptic current
    $I_{syn}[t+1] = \alpha I_{syn}[t] + I_{in}[t+1]$ drives
    $U[t+1] = \beta U[t] + I_{syn}[t+1] - R\,U_{thr}$ (``"subtract"``); with ``"zero"`` the
    membrane becomes $(1 - R)(\beta U[t] + I_{syn}[t+1])$ and the current is kept.
    $\alpha, \beta$ are clipped to $[0, 1]$.

    ``forward(input_, syn=None, mem=None) -> (spk, syn, mem)``; the other arguments are
    those of ``Leaky``, plus ``learn_alpha``."""

    state_names = ("syn", "mem")

    def __init__(
        self,
        alpha: float | Tensor,
        beta: float | Tensor,
        threshold: float | Tensor = 1.0,
        spike_grad: Any = None,
        *,
        learn_alpha: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(beta, threshold, spike_grad, **kwargs)
        _constant(self, "alpha", alpha, learn_alpha)

    def init_synaptic(self) -> tuple[Tensor, Tensor]:
        """snnTorch's name for ``reset_mem()``: the zeroed ``(syn, mem)``."""
        return self.reset_mem()

    def forward(self, input_: Tensor, syn: Tensor | None = None, mem: Tensor | None = None) -> Any:
        self._load_state(input_, {"syn": syn, "mem": mem})
        reset = self.mem_reset(self.mem)
        self.syn = self.decay("alpha") * self.syn + input_
        mem = self.decay() * self.mem + self.syn
        if self.reset_mechanism == "subtract":
            mem = mem - self.reset_by_threshold(reset)
        elif self.reset_mechanism == "zero":
            mem = mem - reset * mem
        self.mem = mem
        spk = self.fire(mem)
        self._reset_now(spk, reset)
        return self._outputs(spk)
