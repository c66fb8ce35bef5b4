r"""Spike trains: recording spike times, binning them and estimating firing rates (notes §4.1).

A spike train is $a(t) = \sum_p \delta(t - t_p)$. On a grid of step $\Delta t$ it is binned into
an array whose bin $i$ (the interval $[i\Delta t, (i+1)\Delta t)$) holds $1/\Delta t$ per spike,
so that the binned train integrates to the number of spikes, as the Dirac deltas do.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import checks

__all__ = ["SpikeRecorder", "firing_rates", "spike_train", "spike_times_from_train"]


class SpikeRecorder:
    """Collects the spikes of ``size`` neurons step by step; ``spike_times()`` sorts them out."""

    def __init__(self, size: int):
        self.size = int(size)
        self._neurons: list[np.ndarray] = []
        self._times: list[np.ndarray] = []

    def add(self, neurons: np.ndarray, times: np.ndarray) -> None:
        """Record spikes of the given neurons (indices) at the given times, which must not
        precede the times already recorded for the same neuron."""
        if len(neurons):
            self._neurons.append(np.asarray(neurons))
            self._times.append(np.asarray(times, dtype=np.float64))

    def spike_times(self) -> list[np.ndarray]:
        """One sorted array of spike times per neuron."""
        if not self._neurons:
            return [np.empty(0) for _ in range(self.size)]
        # spikes were added in time order, so a stable sort by neuron keeps each in order;
        # the smallest integer type lets numpy use a radix sort (up to 65,536 neurons)
        neurons = np.concatenate(self._neurons).astype(np.min_scalar_type(self.size - 1))
        times = np.concatenate(self._times)[np.argsort(neurons, kind="stable")]
        ends = np.cumsum(np.bincount(neurons, minlength=self.size)).tolist()
        return [times[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]


def firing_rates(spike_times: Sequence[np.ndarray], duration: float, t_start: float = 0.0):
    r"""Firing rate of each neuron from its inter-spike intervals, in spikes per time unit.

    With $k \ge 2$ spikes at or after ``t_start``: $(k - 1)/(t_k - t_1)$, the inverse of the mean
    interval, which is exact for a neuron firing regularly. With fewer spikes: the count divided
    by ``duration - t_start``. Returns a float array with one rate per neuron.
    """
    window = checks.positive("duration - t_start", duration - t_start)
    rates = np.zeros(len(spike_times))
    for j, ts in enumerate(spike_times):
        ts = np.asarray(ts)
        ts = ts[ts >= t_start]
        if len(ts) >= 2 and ts[-1] > ts[0]:
            rates[j] = (len(ts) - 1) / (ts[-1] - ts[0])
        else:
            rates[j] = len(ts) / window
    return rates


def spike_train(
    spike_times: np.ndarray | Sequence[np.ndarray], t_end: float, dt: float
) -> np.ndarray:
    r"""Bin spike times into a train of $1/\Delta t$ impulses on the grid $t_i = i\Delta t$.

    ``spike_times`` is one array of times (result shape ``(n_steps,)``) or a list of arrays,
    one per neuron (result shape ``(n_steps, n_neurons)``). A spike at $t_p$ falls in bin
    $\lfloor t_p/\Delta t \rfloor$; spikes outside $[0, n\Delta t)$ raise a ValueError.
    """
    steps = checks.n_steps(t_end, dt)
    single = isinstance(spike_times, np.ndarray) and spike_times.ndim <= 1
    trains = [spike_times] if single else list(spike_times)
    out = np.zeros((steps, len(trains)))
    for j, ts in enumerate(trains):
        ts = checks.finite_array("spike_times", ts).ravel()
        idx = np.floor(ts / dt + 1e-9).astype(np.int64)
        if np.any(idx < 0) or np.any(idx >= steps):
            raise ValueError(f"spike_times must lie in [0, {steps * dt}) for t_end={t_end}")
        np.add.at(out[:, j], idx, 1.0 / dt)
    return out[:, 0] if single else out


def spike_times_from_train(train: np.ndarray, dt: float) -> np.ndarray | list[np.ndarray]:
    r"""Spike times from a binned train: $\mathrm{round}(a_i \Delta t)$ spikes at $t_i = i\Delta t$.

    The inverse of ``spike_train`` for spikes on the grid (others come back at the start of
    their bin). A 1-D train gives one array; a 2-D train ``(n_steps, N)`` gives a list of N.
    """
    dt = checks.positive("dt", dt)
    a = checks.finite_array("train", train)
    if a.ndim not in (1, 2):
        raise ValueError(f"train must be 1-D or 2-D (time steps, neurons), got shape {a.shape}")
    counts = np.rint(a * dt).astype(np.int64)
    if np.any(counts < 0):
        raise ValueError("train must not be negative")
    grid = np.arange(a.shape[0]) * dt
    if a.ndim == 1:
        return np.repeat(grid, counts)
    return [np.repeat(grid, counts[:, j]) for j in range(a.shape[1])]
