r"""Synapses: the post-synaptic current kernel and filtered spike trains (notes §4.1, §5.2).

The PSC kernel is $h(t) = k\, t^n e^{-t/\tau_s}$ for $t \ge 0$ (0 before), with
$k = 1/(\Gamma(n+1)\, \tau_s^{n+1})$ (that is $1/(n!\,\tau_s^{n+1})$) so that
$\int_0^\infty h = 1$. The filtered spike train is $s = a * h = \sum_p h(t - t_p)$.

For integer $n$, $h$ is the impulse response of $n + 1$ cascaded first-order filters
$\tau_s\, ds_k/dt = s_{k-1} - s_k$ (stage $k$ responds with the kernel of order $k$), which is
how ``Synapse`` computes it step by step: exactly, or by Euler's method (notes §5.2,
Algorithm 1; for $n = 1$, two cascaded Euler filters).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .. import checks
from .solvers import check_relaxation_step

__all__ = ["psc_kernel", "Synapse", "filter_spike_train", "filtered_spikes"]

SYNAPSE_METHODS = ("exact", "euler")


def psc_kernel(t: float | np.ndarray, tau_s: float, n: float = 0) -> np.ndarray:
    r"""$h(t) = t^n e^{-t/\tau_s} / (\Gamma(n+1)\, \tau_s^{n+1})$ for $t \ge 0$, 0 for $t < 0$
    (notes §4.1). ``n`` is any real $\ge 0$; $h(0) = 1/\tau_s$ when $n = 0$."""
    tau_s = checks.positive("tau_s", tau_s)
    n = checks.non_negative("n", n)
    t = checks.finite_array("t", t)
    x = t / tau_s
    out = np.zeros_like(x)
    pos = x > 0
    out[pos] = np.exp(n * np.log(x[pos]) - x[pos] - math.lgamma(n + 1.0)) / tau_s
    if n == 0:
        out[x == 0] = 1.0 / tau_s
    return out[()] if out.ndim == 0 else out


class Synapse:
    r"""Synaptic filters of ``size`` spike trains: $n + 1$ cascaded first-order stages.

    ``output`` (the last stage) is the filtered spike train, in spikes per second of the
    pre-synaptic neuron's units of time (it integrates to 1 per spike). ``method="exact"``
    advances the cascade with its exact propagator and places each spike at its time inside
    the step; ``method="euler"`` uses $s_k \leftarrow s_k + \frac{\Delta t}{\tau_s}(s_{k-1} - s_k)$
    and adds $1/\tau_s$ to the first stage per spike (Algorithm 1).
    """

    def __init__(self, size: int, tau_s: float, n: int = 0, method: str = "exact"):
        if method not in SYNAPSE_METHODS:
            raise ValueError(f"method must be one of {SYNAPSE_METHODS}, got {method!r}")
        self.n = checks.integer("n", n, minimum=0)
        self.tau_s = checks.positive("tau_s", tau_s)
        self.method = method
        self.state = np.zeros((self.n + 1, int(size)))
        self._propagators: dict[float, np.ndarray] = {}

    @property
    def output(self) -> np.ndarray:
        """The filtered spike trains, shape ``(size,)``."""
        return self.state[-1]

    def propagator(self, dt: float) -> np.ndarray:
        r"""The matrix $P$ with $s(t + \Delta t) = P\, s(t)$ between spikes.

        Exact: $P_{kj} = e^{-\Delta t/\tau_s} (\Delta t/\tau_s)^{k-j}/(k-j)!$ for $j \le k$.
        Euler: $P = I + \frac{\Delta t}{\tau_s}(L - I)$ with $L$ the shift to the next stage.
        """
        if dt not in self._propagators:
            x = checks.positive("dt", dt) / self.tau_s
            k = np.arange(self.n + 1)
            gap = k[:, None] - k[None, :]
            if self.method == "exact":
                fact = np.array([math.factorial(max(g, 0)) for g in gap.ravel()])
                p = np.where(gap >= 0, math.exp(-x) * x ** np.maximum(gap, 0), 0.0)
                p = p / fact.reshape(gap.shape)
            else:
                check_relaxation_step(dt, self.tau_s, "Synapse")
                p = (1.0 - x) * np.eye(self.n + 1) + x * (gap == 1)
            self._propagators[dt] = p
        return self._propagators[dt]

    def step(self, dt: float) -> None:
        """Advance the filters by ``dt`` with no new spikes."""
        if self.n == 0:
            self.state *= self.propagator(dt)[0, 0]
        else:
            self.state = self.propagator(dt) @ self.state

    def add_spikes(self, neurons: np.ndarray, before_end: np.ndarray | None = None) -> None:
        """Add spikes of the given trains (indices, repeats allowed) that happened
        ``before_end`` before now (0 if not given); the Euler method ignores ``before_end``."""
        neurons = np.asarray(neurons, dtype=np.int64)
        if neurons.size == 0:
            return
        size = self.state.shape[1]
        if neurons.min() < 0 or neurons.max() >= size:
            bad = neurons[(neurons < 0) | (neurons >= size)][0]
            raise IndexError(
                f"Synapse.add_spikes: spike train {bad} is out of range for {size} trains "
                "(negative indices do not wrap)"
            )
        if self.method == "euler" or before_end is None:
            np.add.at(self.state[0], neurons, 1.0 / self.tau_s)
            return
        for k in range(self.n + 1):
            np.add.at(self.state[k], neurons, psc_kernel(before_end, self.tau_s, k))


def filter_spike_train(
    train: np.ndarray, dt: float, tau_s: float, n: float = 0, method: str = "exact"
) -> np.ndarray:
    r"""Filter a binned spike train (see ``spikes.spike_train``) with the PSC kernel.

    ``train``: shape ``(n_steps,)`` or ``(n_steps, N)``, holding $1/\Delta t$ per spike.
    ``"exact"``: the convolution $s_i = \sum_j a_j\, h(t_i - t_j)\, \Delta t$ (by FFT), equal to
    the exact filtered train at the grid times for spikes on the grid; any real ``n``.
    ``"euler"``: Algorithm 1 of the notes (first order in $\Delta t$), integer ``n``, with the
    spikes of bin $i$ added at $t_i$. (The notes' loop adds a spike that arrives at
    $t = (i-1)\Delta t$ to $s_i$, one step late; adding it to the value at its own time matches
    the exact filter, whose value jumps by $1/\tau_s$ at the spike.)
    """
    dt = checks.positive("dt", dt)
    a = checks.finite_array("train", train)
    if a.ndim not in (1, 2):
        raise ValueError(f"train must be 1-D or 2-D (time steps, neurons), got shape {a.shape}")
    if method == "exact":
        steps = a.shape[0]
        h = psc_kernel(np.arange(steps) * dt, tau_s, n) * dt
        size = 2 * steps
        spec = np.fft.rfft(a, size, axis=0) * np.fft.rfft(h, size).reshape(
            (-1,) + (1,) * (a.ndim - 1)
        )
        return np.fft.irfft(spec, size, axis=0)[:steps]
    if method != "euler":
        raise ValueError(f"method must be one of {SYNAPSE_METHODS}, got {method!r}")
    cols = a.reshape(a.shape[0], -1)
    syn = Synapse(cols.shape[1], tau_s, n, method="euler")
    out = np.empty_like(cols)
    for i in range(cols.shape[0]):
        if i:
            syn.step(dt)
        syn.state[0] += cols[i] * (dt / syn.tau_s)
        out[i] = syn.output
    return out.reshape(a.shape)


def filtered_spikes(
    spike_times: np.ndarray | Sequence[np.ndarray], t: np.ndarray, tau_s: float, n: float = 0
) -> np.ndarray:
    r"""The exact filtered spike train $\sum_p h(t - t_p)$ at arbitrary times ``t``.

    ``spike_times``: one array (result shape ``t.shape``) or a list of arrays, one per neuron
    (result shape ``(len(t), N)``).
    """
    t = checks.finite_array("t", t)
    single = isinstance(spike_times, np.ndarray) and spike_times.ndim <= 1
    trains = [spike_times] if single else list(spike_times)
    out = np.zeros((t.size, len(trains)))
    for j, ts in enumerate(trains):
        for chunk in np.array_split(np.ravel(ts), max(1, np.size(ts) // 256)):
            out[:, j] += psc_kernel(np.subtract.outer(t.ravel(), chunk), tau_s, n).sum(axis=1)
    return out[:, 0].reshape(t.shape) if single else out
