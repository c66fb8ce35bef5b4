r"""Spiking neural networks trained by backpropagation through time with surrogate
gradients, with snnTorch's names and semantics (``import tinygrad_nn.snn as snn``).

The leaky integrate-and-fire neuron of notes §2.1, stepped by $\Delta t$, is the layer
``Leaky``: $U[t+1] = \beta U[t] + I[t+1] - R\,U_{thr}$, $\beta = e^{-\Delta t/\tau_m}$,
$S = \Theta(U - U_{thr})$. Unrolled over time it is a recurrent graph of ordinary ops, so the
engine's backward pass is backpropagation through time; the step's missing derivative is
replaced by a ``surrogate``::

    import tinygrad_nn as tnn
    from tinygrad_nn import snn

    net = tnn.nn.Sequential(
        tnn.nn.Linear(64, 128), snn.Leaky(beta=0.9, init_hidden=True),
        tnn.nn.Linear(128, 10), snn.Leaky(beta=0.9, init_hidden=True, output=True),
    )
    snn.utils.reset(net)
    spk_rec = tnn.stack([net(x_t)[0] for x_t in snn.spikegen.rate(x, num_steps=25)])
    loss = snn.functional.ce_rate_loss()(spk_rec, y)
"""

from . import functional, spikegen, spikeplot, surrogate, utils
from .leaky import Leaky
from .neurons import LIF, SpikingNeuron
from .rate_coded import RateCoded
from .rleaky import RLeaky
from .synaptic import Synaptic

__all__ = [
    "LIF",
    "Leaky",
    "RLeaky",
    "RateCoded",
    "SpikingNeuron",
    "Synaptic",
    "functional",
    "spikegen",
    "spikeplot",
    "surrogate",
    "utils",
]
