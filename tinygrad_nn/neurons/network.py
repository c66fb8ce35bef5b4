r"""Populations of LIF neurons connected by weight matrices and synapses (notes §5.1).

The input to population $Y$ is $\vec z = \sum_X W_{YX} \vec s_X + \vec b_Y$ (+ any external
input), where $\vec s_X$ are the filtered spike trains of the pre-synaptic population $X$
(unit-area kernels, so $\vec s_X$ is in Hz) and $W_{YX}$ has shape (size of Y, size of X).
Each step uses the synaptic currents at its start, so every connection adds a delay of one
step; this makes recurrent connections (X to itself) work too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import checks
from .lif import LIF, LIFResult
from .solvers import check_relaxation_step
from .spikes import SpikeRecorder
from .synapses import Synapse

__all__ = ["Population", "Connection", "NetworkResult", "Network"]


@dataclass
class Population:
    """``size`` LIF neurons with a bias (normalised input) each."""

    name: str
    size: int
    lif: LIF
    bias: np.ndarray


@dataclass
class Connection:
    """Weights ``W`` (post size, pre size) through synapses of order ``n``, time ``tau_s``."""

    pre: str
    post: str
    W: np.ndarray
    tau_s: float
    n: int


@dataclass
class NetworkResult:
    """Per population: ``results[name]`` (an ``LIFResult``) and, when recorded,
    ``z[name]``, the input over time, shape ``(n_steps, size)``."""

    t: np.ndarray
    results: dict[str, LIFResult]
    z: dict[str, np.ndarray] = field(default_factory=dict)

    def __getitem__(self, name: str) -> LIFResult:
        return self.results[name]


class Network:
    """LIF populations and the weighted synaptic connections between them.

    >>> net = Network()
    >>> net.add_population("x", 2, bias=[1.5, 3.0])
    >>> net.add_population("y", 1)
    >>> net.connect("x", "y", W=[[0.02, 0.02]], tau_s=0.005)
    >>> res = net.simulate(t_end=1.0, dt=0.001)
    >>> res["y"].rates  # doctest: +SKIP
    """

    def __init__(self):
        self.populations: dict[str, Population] = {}
        self.connections: list[Connection] = []

    def add_population(
        self, name: str, size: int, lif: LIF | None = None, bias: float | np.ndarray = 0.0
    ) -> None:
        """Add ``size`` neurons (model ``lif``, default ``LIF()``) with the given bias."""
        if name in self.populations:
            raise ValueError(f"a population named {name!r} already exists")
        size = checks.integer("size", size, minimum=1)
        b = checks.finite_array("bias", bias)
        if b.ndim > 1 or (b.ndim == 1 and b.shape[0] != size):
            raise ValueError(f"bias must be a scalar or shape ({size},), got shape {b.shape}")
        b = np.array(np.broadcast_to(b, (int(size),)))
        self.populations[name] = Population(name, int(size), lif or LIF(), b)

    def connect(self, pre: str, post: str, W: np.ndarray, tau_s: float = 0.005, n: int = 0) -> None:
        """Connect ``pre`` to ``post`` with weights ``W`` of shape (post size, pre size)
        through PSC kernels of order ``n`` and time constant ``tau_s`` (s)."""
        for name in (pre, post):
            if name not in self.populations:
                raise ValueError(f"no population named {name!r}")
        W = checks.finite_array("W", W)
        shape = (self.populations[post].size, self.populations[pre].size)
        if W.shape != shape:
            raise ValueError(f"W from {pre!r} to {post!r} must have shape {shape}, got {W.shape}")
        Synapse(1, tau_s, n)  # validates tau_s and n
        self.connections.append(Connection(pre, post, W, float(tau_s), int(n)))

    def simulate(
        self,
        t_end: float,
        dt: float = 0.001,
        inputs: dict[str, float | np.ndarray] | None = None,
        method: str = "exact",
        record_v: bool = False,
        record_z: bool = False,
    ) -> NetworkResult:
        """Simulate all populations from rest. ``inputs[name]``: external input added to
        ``z`` of that population, a constant, ``(size,)`` or ``(n_steps, size)``.
        ``method`` is used by the neurons and the synapses (``"exact"`` or ``"euler"``)."""
        steps = checks.n_steps(t_end, dt)
        dt = float(dt)
        pops = list(self.populations.values())
        if method == "euler":
            for p in pops:
                check_relaxation_step(dt, p.lif.tau_m, f"population {p.name!r}")
        inputs = dict(inputs or {})
        for name in inputs:
            if name not in self.populations:
                raise ValueError(f"inputs given for unknown population {name!r}")
        drive = {
            p.name: checks.drive(f"inputs[{p.name!r}]", inputs.get(p.name, 0.0), steps, p.size)
            for p in pops
        }
        syn = [
            Synapse(self.populations[c.pre].size, c.tau_s, c.n, method) for c in self.connections
        ]
        v = {p.name: np.zeros(p.size) for p in pops}
        ref = {p.name: np.zeros(p.size) for p in pops}
        recorders = {p.name: SpikeRecorder(p.size) for p in pops}
        vs = {p.name: np.zeros((steps + 1, p.size)) for p in pops} if record_v else {}
        zs = {p.name: np.empty((steps, p.size)) for p in pops} if record_z else {}
        for i in range(steps):
            z = {}
            for p in pops:
                d = drive[p.name]
                z[p.name] = p.bias + (d[i] if d.ndim == 2 else d)
            for c, s in zip(self.connections, syn, strict=True):
                z[c.post] = z[c.post] + c.W @ s.output
            spikes = {}
            for p in pops:
                spikes[p.name] = p.lif.step(v[p.name], ref[p.name], z[p.name], dt, method)
                recorders[p.name].add(spikes[p.name][0], (i + 1) * dt - spikes[p.name][1])
                if record_v:
                    vs[p.name][i + 1] = v[p.name]
                if record_z:
                    zs[p.name][i] = z[p.name]
            for c, s in zip(self.connections, syn, strict=True):
                s.step(dt)
                s.add_spikes(*spikes[c.pre])
        t = np.arange(steps + 1) * dt
        results = {
            p.name: LIFResult(t, recorders[p.name].spike_times(), vs.get(p.name)) for p in pops
        }
        return NetworkResult(t, results, zs)
