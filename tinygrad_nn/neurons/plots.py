"""Pictures of neurons and synapses (matplotlib, an optional extra: ``pip install .[plot]``).

Each helper draws on ``ax`` when given, else on a new figure (no pyplot, so nothing opens a
window), and returns the figure; save it with ``fig.savefig("name.png")``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .lif import LIF, LIFResult
from .synapses import filtered_spikes, psc_kernel

__all__ = [
    "plot_voltage",
    "plot_fi_curve",
    "plot_lif_rate",
    "plot_kernels",
    "plot_filtered_spike_train",
    "plot_raster",
]


def _axes(ax, figsize=(6.0, 3.5)):
    if ax is not None:
        return ax.figure, ax
    try:
        from matplotlib.figure import Figure
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("plotting needs matplotlib: pip install 'tinygrad_nn[plot]'") from e
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def plot_voltage(result, neuron: int = 0, ax=None, ylabel: str | None = None):
    """Voltage trace of one neuron with its spikes.

    Hodgkin–Huxley results: V (mV) against t (ms), spike times marked on the 0 mV line.
    LIF results (simulated with ``record_v=True``): v against t (s) with each spike drawn as
    a vertical line above the threshold, since the LIF model has no spike shape.
    """
    fig, ax = _axes(ax)
    spikes = result.spike_times[neuron]
    if isinstance(result, LIFResult):
        if result.v is None:
            raise ValueError("the LIF result has no voltage: simulate with record_v=True")
        v = result.v[:, neuron]
        ax.plot(result.t, v, lw=1, label="membrane")
        top = max(float(v.max()), 1.0)
        ax.vlines(spikes, top, 1.5 * top, color="C3", lw=1, label="spikes")
        ax.set_xlabel("t (s)")
        ax.set_ylabel(ylabel or "v (normalised, threshold 1)")
    else:
        if result.V is None:
            raise ValueError("the result has no voltage: simulate with record=True")
        ax.plot(result.t, result.V[:, neuron], lw=1, label="V")
        ax.plot(spikes, np.zeros_like(spikes), "v", color="C3", ms=4, label="spikes (0 mV)")
        ax.set_xlabel("t (ms)")
        ax.set_ylabel(ylabel or "V (mV)")
    ax.legend(loc="upper right", fontsize="small")
    return fig


def plot_fi_curve(currents, rates, ax=None, xlabel: str = "I (µA/cm²)"):
    """Firing rate (Hz) against input current: an f–I curve."""
    fig, ax = _axes(ax)
    ax.plot(currents, rates, "o-", ms=3)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("firing rate (Hz)")
    ax.set_title("f–I curve")
    return fig


def plot_lif_rate(lif: LIF | None = None, v_in: np.ndarray | None = None, ax=None):
    r"""The LIF steady-state rate $G(v_{in})$ (notes §2.1 figure; defaults
    $\tau_m$ = 20 ms, $\tau_{ref}$ = 2 ms)."""
    lif = lif or LIF()
    v_in = np.linspace(0.0, 10.0, 1001) if v_in is None else np.asarray(v_in)
    fig, ax = _axes(ax)
    ax.plot(
        v_in, lif.rate(v_in), label=rf"$\tau_m$={lif.tau_m:g} s, $\tau_{{ref}}$={lif.tau_ref:g} s"
    )
    ax.axvline(1.0, color="0.6", ls="--", lw=1, label="threshold")
    ax.set_xlabel(r"$v_{in}$")
    ax.set_ylabel("firing rate G (Hz)")
    ax.set_title("LIF firing rate")
    ax.legend(fontsize="small")
    return fig


def plot_kernels(
    tau_s: float = 0.01, ns: Sequence[float] = (0, 1, 2), t_end: float | None = None, ax=None
):
    r"""PSC kernels $h(t)$ of the given orders $n$ (notes §4.1)."""
    t = np.linspace(0.0, t_end or 8.0 * tau_s, 801)
    fig, ax = _axes(ax)
    for n in ns:
        ax.plot(t, psc_kernel(t, tau_s, n), label=rf"$n$={n:g}")
    ax.set_xlabel("t (s)")
    ax.set_ylabel("h(t) (1/s)")
    ax.set_title(rf"PSC kernels, $\tau_s$={tau_s:g} s")
    ax.legend(fontsize="small")
    return fig


def plot_filtered_spike_train(
    spike_times: np.ndarray, tau_s: float, n: float = 0, t_end: float | None = None, ax=None
):
    """A spike train (ticks) and the filtered train ``sum_p h(t - t_p)`` (notes §4.1)."""
    spike_times = np.asarray(spike_times, dtype=np.float64)
    end = t_end or (float(spike_times.max()) + 6.0 * tau_s if spike_times.size else 1.0)
    t = np.linspace(0.0, end, 2001)
    s = filtered_spikes(spike_times, t, tau_s, n)
    fig, ax = _axes(ax)
    ax.plot(t, s, label=rf"filtered ($\tau_s$={tau_s:g} s, $n$={n:g})")
    top = float(s.max()) if s.size else 1.0
    ax.vlines(spike_times, 0, 0.15 * top, color="C3", lw=1, label="spikes")
    ax.set_xlabel("t (s)")
    ax.set_ylabel("s(t) (1/s)")
    ax.legend(fontsize="small")
    return fig


def plot_raster(spike_times: Sequence[np.ndarray], ax=None, xlabel: str = "t (s)"):
    """Spike raster: one row of ticks per neuron."""
    fig, ax = _axes(ax)
    ax.eventplot(list(spike_times), lineoffsets=np.arange(len(spike_times)), linelengths=0.8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("neuron")
    return fig
