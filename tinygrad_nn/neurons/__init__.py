r"""Spiking neurons, synapses and ODE solvers (notes §1–§5), on numpy alone.

- ``LIF``, ``PhysicalLIF``: leaky integrate-and-fire neurons, rate $G(v_{in})$ and simulation.
- ``HodgkinHuxley``: the four-variable Hodgkin–Huxley model (mV, ms, µA/cm²).
- ``psc_kernel``, ``Synapse``, ``filter_spike_train``, ``filtered_spikes``: synapses.
- ``spike_train``, ``spike_times_from_train``, ``firing_rates``: spike trains.
- ``Network``: LIF populations connected through weights and synapses, $z = W s + b$.
- ``solvers``: forward Euler, RK4 and exponential Euler steps; ``plots``: pictures.
"""

from . import solvers
from .hh import HHResult, HodgkinHuxley
from .lif import LIF, LIFResult, PhysicalLIF
from .network import Network, NetworkResult
from .solvers import euler_step, exp_euler_step, integrate, rk4_step
from .spikes import SpikeRecorder, firing_rates, spike_times_from_train, spike_train
from .synapses import Synapse, filter_spike_train, filtered_spikes, psc_kernel

__all__ = [
    "HHResult",
    "HodgkinHuxley",
    "LIF",
    "LIFResult",
    "Network",
    "NetworkResult",
    "PhysicalLIF",
    "SpikeRecorder",
    "Synapse",
    "euler_step",
    "exp_euler_step",
    "filter_spike_train",
    "filtered_spikes",
    "firing_rates",
    "integrate",
    "psc_kernel",
    "rk4_step",
    "solvers",
    "spike_times_from_train",
    "spike_train",
]
