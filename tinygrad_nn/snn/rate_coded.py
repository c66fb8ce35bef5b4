r"""``RateCoded``: a spiking network run on rate-coded input, as one module.

The input $x \in [0, 1]$ becomes Bernoulli spike trains $S_{in}[t] \sim
\text{Bernoulli}(x)$ for $T$ steps (``spikegen.rate``); the network's layers keep their state
(``init_hidden=True``), which is zeroed first; the output is the record of the last layer's
spikes, shape ``(T, batch, classes)``, ready for ``functional.ce_rate_loss`` and
``functional.accuracy_rate``.
"""

from __future__ import annotations

from .. import checks
from ..creation import stack
from ..nn import Module
from ..tensor import Tensor
from . import spikegen, utils

__all__ = ["RateCoded"]


class RateCoded(Module):
    r"""``RateCoded(net, num_steps)(x)`` $= [\,\text{net}(S_{in}[t])\,]_{t < T}$ with
    $S_{in}[t] \sim \text{Bernoulli}(x)$, after ``utils.reset(net)``. A last layer with
    ``output=True`` contributes its spikes (the first element it returns)."""

    def __init__(self, net: Module, num_steps: int) -> None:
        super().__init__()
        self.net = net
        self.num_steps = checks.integer("RateCoded: num_steps", num_steps, minimum=1)

    def forward(self, x: Tensor) -> Tensor:
        utils.reset(self.net)
        out = []
        for x_t in spikegen.rate(x, self.num_steps):
            spk = self.net(x_t)
            out.append(spk[0] if isinstance(spk, tuple) else spk)
        return stack(out)

    def extra_repr(self) -> str:
        return f"num_steps={self.num_steps}"
