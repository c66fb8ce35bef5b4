r"""``Leaky``: the leaky integrate-and-fire neuron of notes §2.1 as a layer, stepped in time.

Notes §2.1: $\tau_m\,dv/dt = v_{in} - v$. Over a step $\Delta t$ the membrane keeps the
fraction $\beta = e^{-\Delta t/\tau_m}$ of its potential, which gives snnTorch's discrete LIF

$$U[t+1] = \beta\,U[t] + I_{in}[t+1] - R[t]\,U_{thr}, \qquad
S[t+1] = \Theta(U[t+1] - U_{thr}),$$

with the input current $I_{in}$ already scaled (the factor $1 - \beta$ of the exact
solution is absorbed into the weights before the layer).
"""

from __future__ import annotations

import math
from typing import Any

from .. import checks
from ..tensor import Tensor
from .neurons import LIF

__all__ = ["Leaky"]


class Leaky(LIF):
    r"""``Leaky(beta, threshold=1.0, spike_grad=None, *, init_hidden=False, learn_beta=False,
    learn_threshold=False, reset_mechanism="subtract", output=False, reset_delay=True)``,
    the first-order LIF layer of snnTorch:
    $U[t+1] = \beta U[t] + I[t+1] - R\,U_{thr}$ with ``reset_mechanism="subtract"``,
    $U[t+1] = \beta (1 - R)\,U[t] + I[t+1]$ with ``"zero"``, no reset term with ``"none"``;
    $S = \Theta(U - U_{thr})$ with the surrogate gradient ``spike_grad``.

    ``forward(input_, mem=None) -> (spk, mem)``; ``mem=None`` continues from the state the
    layer holds (zeros at first, or when the input's shape changes). With
    ``init_hidden=True`` the state stays inside the layer and ``forward(input_)`` returns
    ``spk`` (``(spk, mem)`` with ``output=True``), so the layer fits in ``nn.Sequential``;
    clear it between batches with ``snn.utils.reset(net)``. ``learn_beta`` and
    ``learn_threshold`` make $\beta$ and $U_{thr}$ Parameters. ``reset_delay=False`` applies
    the reset in the step that fires instead of the next."""

    @classmethod
    def from_tau(cls, tau_m: float, dt: float, **kwargs: Any) -> Leaky:
        r"""A ``Leaky`` whose decay comes from the membrane time constant of notes §2.1:
        $\beta = e^{-\Delta t/\tau_m}$ (``tau_m`` and ``dt`` in the same unit)."""
        tau_m = checks.positive("Leaky.from_tau: tau_m", tau_m)
        dt = checks.positive("Leaky.from_tau: dt", dt)
        return cls(math.exp(-dt / tau_m), **kwargs)

    def init_leaky(self) -> Tensor:
        """snnTorch's name for ``reset_mem()``: the zeroed membrane potential."""
        return self.reset_mem()

    def forward(self, input_: Tensor, mem: Tensor | None = None) -> Any:
        self._load_state(input_, {"mem": mem})
        reset = self.mem_reset(self.mem)
        if self.reset_mechanism == "zero":
            self.mem = self.decay() * ((1 - reset) * self.mem) + input_
        else:
            self.mem = self.decay() * self.mem + input_
            if self.reset_mechanism == "subtract":
                self.mem = self.mem - self.reset_by_threshold(reset)
        spk = self.fire(self.mem)
        self._reset_now(spk, reset)
        return self._outputs(spk)
