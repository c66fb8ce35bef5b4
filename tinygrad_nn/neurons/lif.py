r"""Leaky integrate-and-fire neurons (notes §2.1).

Normalised form: $\tau_m\, dv/dt = v_{in} - v$ below the threshold $v = 1$; on reaching it the
neuron spikes, $v$ is reset to 0 and held there for the refractory period $\tau_{ref}$. Times in
seconds, rates in Hz. For constant $v_{in}$ the steady-state rate is

$$G(v_{in}) = \frac{1}{\tau_{ref} - \tau_m \ln(1 - 1/v_{in})} \text{ for } v_{in} > 1,
\quad 0 \text{ otherwise.}$$
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import checks
from .solvers import check_relaxation_step
from .spikes import SpikeRecorder, firing_rates

__all__ = ["LIFResult", "LIF", "PhysicalLIF"]

LIF_METHODS = ("exact", "euler")

MAX_SPIKES_PER_STEP = 100
"""The exact method places every spike inside a step; an input that needs more spikes than
this in one step (a huge input with ``tau_ref`` near 0) is an error, not an endless loop."""


@dataclass
class LIFResult:
    """A simulation of ``N`` LIF neurons on the grid ``t`` (``n_steps + 1`` points).

    ``spike_times``: one array of spike times (s) per neuron. ``v``: the voltage, shape
    ``(n_steps + 1, N)``, when asked for (normalised, or in volts for ``PhysicalLIF``).
    """

    t: np.ndarray
    spike_times: list[np.ndarray]
    v: np.ndarray | None = None

    @property
    def counts(self) -> np.ndarray:
        """Number of spikes of each neuron."""
        return np.array([len(ts) for ts in self.spike_times])

    @property
    def rates(self) -> np.ndarray:
        """Firing rate of each neuron in Hz, from its inter-spike intervals
        (see ``spikes.firing_rates``): exact for a neuron firing regularly."""
        return firing_rates(self.spike_times, self.t[-1])


class LIF:
    r"""A population of LIF neurons in normalised form (notes §2.1).

    ``tau_m``: membrane time constant $\tau_m$ (s, > 0). ``tau_ref``: refractory period
    $\tau_{ref}$ (s, >= 0). Threshold 1, reset 0.
    """

    def __init__(self, tau_m: float = 0.02, tau_ref: float = 0.002):
        self.tau_m = checks.positive("tau_m", tau_m)
        self.tau_ref = checks.non_negative("tau_ref", tau_ref)

    def __repr__(self) -> str:
        return f"LIF(tau_m={self.tau_m}, tau_ref={self.tau_ref})"

    def rate(self, v_in: float | np.ndarray) -> np.ndarray:
        r"""Steady-state firing rate $G(v_{in})$ in Hz; 0 for $v_{in} \le 1$.

        Written as $1/(\tau_{ref} + \tau_m \ln(1 + 1/(v_{in} - 1)))$ with ``log1p``, which equals
        the notes' formula and keeps full precision just above the threshold.
        """
        v = checks.finite_array("v_in", v_in)
        out = np.zeros_like(v)
        above = v > 1.0
        out[above] = 1.0 / (self.tau_ref + self.tau_m * np.log1p(1.0 / (v[above] - 1.0)))
        return out[()] if out.ndim == 0 else out

    def step(
        self, v: np.ndarray, ref: np.ndarray, v_in: np.ndarray, dt: float, method: str = "exact"
    ) -> tuple[np.ndarray, np.ndarray]:
        r"""Advance ``v`` (voltage) and ``ref`` (refractory time left) by ``dt``, in place.

        ``"exact"``: the exact solution $v(t+s) = v_{in} + (v - v_{in}) e^{-s/\tau_m}$ for input
        constant over the step, with the spike time found inside the step and the refractory
        period allowed to start and end inside it (several spikes per step if ``dt`` is large).
        ``"euler"``: $v \leftarrow v + \frac{\Delta t}{\tau_m}(v_{in} - v)$, spikes at step ends,
        refractory period rounded to whole steps. Returns ``(neurons, before_end)``: the index
        of each spike's neuron and how long before the end of the step it happened.
        """
        v_in = np.broadcast_to(v_in, v.shape)
        if method == "exact":
            return self._step_exact(v, ref, v_in, dt)
        if method == "euler":
            return self._step_euler(v, ref, v_in, dt)
        raise ValueError(f"method must be one of {LIF_METHODS}, got {method!r}")

    def _step_exact(self, v, ref, v_in, dt):
        tau, tau_ref = self.tau_m, self.tau_ref
        ref -= dt
        decay = np.minimum(ref, 0.0)  # minus the time out of the refractory period
        np.maximum(ref, 0.0, out=ref)
        active = -decay
        decay *= 1.0 / tau
        np.exp(decay, out=decay)
        v -= v_in
        v *= decay
        v += v_in
        idx = np.flatnonzero(v > 1.0)
        if idx.size == 0:
            return idx, np.empty(0)
        neurons, before = [], []
        j, vk, avail = v_in[idx], v[idx], active[idx]
        for _ in range(MAX_SPIKES_PER_STEP):
            # time from the crossing of 1 to the end of the step
            s = np.minimum(-tau * np.log1p(-(vk - 1.0) / (j - 1.0)), avail)
            neurons.append(idx)
            before.append(s)
            left = s - tau_ref  # time left in the step after the refractory period
            v[idx] = 0.0
            ref[idx] = np.maximum(-left, 0.0)
            again = left > 0.0
            if not again.any():
                break
            idx, j, avail = idx[again], j[again], left[again]
            vk = j * -np.expm1(-avail / tau)
            v[idx] = vk
            fire = vk > 1.0
            if not fire.any():
                break
            idx, j, vk, avail = idx[fire], j[fire], vk[fire], avail[fire]
        else:
            top = float(j.max())
            raise ValueError(
                f"LIF: an input v_in={top:g} fires at {float(self.rate(top)):.3g} Hz, more than "
                f"{MAX_SPIKES_PER_STEP} spikes in one step of dt={dt:g} s; use a smaller dt, a "
                f"smaller input or a refractory period tau_ref > 0 (now {tau_ref:g} s)"
            )
        return np.concatenate(neurons), np.concatenate(before)

    def _step_euler(self, v, ref, v_in, dt):
        active = ref < 0.5 * dt
        ref -= dt
        np.maximum(ref, 0.0, out=ref)
        v += np.where(active, (dt / self.tau_m) * (v_in - v), 0.0)
        idx = np.flatnonzero(v >= 1.0)
        v[idx] = 0.0
        ref[idx] = self.tau_ref
        return idx, np.zeros(idx.size)

    def simulate(
        self,
        v_in: float | np.ndarray,
        t_end: float,
        dt: float = 0.001,
        method: str = "exact",
        v0: float | np.ndarray = 0.0,
        record_v: bool = False,
    ) -> LIFResult:
        """Simulate from ``t = 0`` to ``t_end`` (s) with steps ``dt`` (s).

        ``v_in``: a constant (one neuron), one constant per neuron (shape ``(N,)``) or one row
        per time step (shape ``(n_steps, N)``, held constant over each step). ``v0``: initial
        voltage(s), below the threshold 1. ``method``: ``"exact"`` or ``"euler"`` (see ``step``).
        """
        if method not in LIF_METHODS:
            raise ValueError(f"method must be one of {LIF_METHODS}, got {method!r}")
        steps = checks.n_steps(t_end, dt)
        dt = float(dt)
        if method == "euler":
            check_relaxation_step(dt, self.tau_m, "LIF")
        drive = checks.drive("v_in", v_in, steps)
        size = drive.shape[-1]
        v = np.array(np.broadcast_to(checks.finite_array("v0", v0), (size,)))
        if np.any(v > 1.0):
            raise ValueError("v0 must not exceed the threshold 1")
        ref = np.zeros(size)
        recorder = SpikeRecorder(size)
        vs = np.empty((steps + 1, size)) if record_v else None
        if vs is not None:
            vs[0] = v
        for i in range(steps):
            neurons, before = self.step(v, ref, drive[i] if drive.ndim == 2 else drive, dt, method)
            recorder.add(neurons, (i + 1) * dt - before)
            if vs is not None:
                vs[i + 1] = v
        return LIFResult(np.arange(steps + 1) * dt, recorder.spike_times(), vs)


class PhysicalLIF:
    r"""LIF neurons in physical units (SI): $C\, dV/dt = J - (V - V_L)/R$, spike at $V_{th}$,
    reset to $V_L$ (notes §2.1). Maps to the normalised form by $\tau_m = RC$,
    $v = (V - V_L)/(V_{th} - V_L)$ and $v_{in} = R J/(V_{th} - V_L)$.

    ``R`` in ohm, ``C`` in farad, ``V_L`` and ``V_th`` in volt, ``tau_ref`` in s, currents ``J``
    in ampere. The defaults give $\tau_m$ = 20 ms and a 20 mV gap from rest to threshold.
    """

    def __init__(
        self,
        R: float = 1e7,
        C: float = 2e-9,
        V_L: float = -0.070,
        V_th: float = -0.050,
        tau_ref: float = 0.002,
    ):
        self.R = checks.positive("R", R)
        self.C = checks.positive("C", C)
        self.V_L = float(V_L)
        self.V_th = float(V_th)
        if not self.V_th > self.V_L:
            raise ValueError(f"V_th ({V_th}) must be above V_L ({V_L})")
        self.lif = LIF(tau_m=self.R * self.C, tau_ref=tau_ref)

    def v_in(self, J: float | np.ndarray) -> np.ndarray:
        r"""Normalised input $v_{in} = R J / (V_{th} - V_L)$ for a current ``J`` (A)."""
        return self.R * np.asarray(J, dtype=np.float64) / (self.V_th - self.V_L)

    def voltage(self, v: float | np.ndarray) -> np.ndarray:
        r"""Membrane potential in volts, $V = V_L + v (V_{th} - V_L)$, of a normalised ``v``."""
        return self.V_L + np.asarray(v, dtype=np.float64) * (self.V_th - self.V_L)

    def rate(self, J: float | np.ndarray) -> np.ndarray:
        """Steady-state firing rate (Hz) for a constant current ``J`` (A)."""
        return self.lif.rate(self.v_in(J))

    def simulate(self, J: float | np.ndarray, t_end: float, dt: float = 0.001, **kwargs):
        """``LIF.simulate`` driven by currents ``J`` (A); ``v`` of the result is in volts.
        ``kwargs`` go to ``LIF.simulate`` (``v0`` stays normalised)."""
        res = self.lif.simulate(self.v_in(J), t_end, dt, **kwargs)
        if res.v is not None:
            res.v = self.voltage(res.v)
        return res
