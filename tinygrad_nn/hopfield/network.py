r"""The Hopfield network (notes §15.1–§16.1): store patterns, measure energy, recall from cues.

States are bipolar, :math:`x \in \{-1, 1\}^N`. Neuron i takes the value

.. math:: x_i = \begin{cases} 1 & \text{if } \sum_{j \ne i} W_{ij} x_j \ge b_i \\
          -1 & \text{otherwise} \end{cases}

(ties go to +1, as in the notes), with symmetric weights W and a zero diagonal.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from .. import checks
from ..random import resolve_generator
from .patterns import as_states, to_binary
from .rules import RULES

__all__ = ["Hopfield", "RecallResult"]

_MEMORY_FRACTION = 0.5  # the weights may use at most this share of the available memory


@dataclass
class RecallResult:
    """What :meth:`Hopfield.recall` returns (arrays over the batch, or scalars for one cue).

    - ``state``: final states (in {0, 1} if the network was declared ``binary``).
    - ``converged``: reached a fixed point within ``max_sweeps``.
    - ``sweeps``: sweeps that changed the state (0: the cue already was a fixed point).
    - ``cycle``: synchronous mode fell into a 2-cycle (always False in asynchronous mode).
    - ``energies``: with ``record_energies=True``, shape ``(batch, 1 + updates)`` (or
      ``(1 + updates,)``): the cue's energy, then the energy after each update (one neuron in
      asynchronous mode, one sweep in synchronous mode); cues that stopped early are padded with
      their last energy.
    """

    state: np.ndarray
    converged: np.ndarray | bool
    sweeps: np.ndarray | int
    cycle: np.ndarray | bool
    energies: np.ndarray | None = None


class Hopfield:
    r"""A Hopfield network of ``n_neurons`` bipolar neurons (notes §15.1).

    ``thresholds`` are the :math:`b_i` of the notes (default 0). With ``binary=True``, patterns,
    cues and recalled states are given and returned in {0, 1} (mapped by :math:`x = 2s - 1`).
    """

    def __init__(
        self, n_neurons: int, thresholds: np.ndarray | None = None, binary: bool = False
    ) -> None:
        self.n_neurons = checks.integer("Hopfield: n_neurons", n_neurons, minimum=1)
        _check_memory(self.n_neurons)
        self.binary = bool(binary)
        self._weights = np.zeros((self.n_neurons, self.n_neurons))
        self._thresholds = np.zeros(self.n_neurons)
        self.thresholds = np.zeros(self.n_neurons) if thresholds is None else thresholds
        self.patterns = np.zeros((0, self.n_neurons))

    def __repr__(self) -> str:
        return f"Hopfield(n_neurons={self.n_neurons}, patterns={len(self.patterns)})"

    @property
    def weights(self) -> np.ndarray:
        """The weight matrix W, shape (N, N), symmetric with a zero diagonal."""
        return self._weights

    @weights.setter
    def weights(self, w: np.ndarray) -> None:
        w = np.asarray(w, dtype=np.float64)
        n = self.n_neurons
        if w.shape != (n, n):
            raise ValueError(f"Hopfield.weights: expected shape ({n}, {n}), got {w.shape}")
        if not np.all(np.isfinite(w)):
            raise ValueError("Hopfield.weights: contains NaN or infinite values")
        if np.any(np.diag(w) != 0):
            raise ValueError("Hopfield.weights: the diagonal must be zero (no self-coupling)")
        asym = np.abs(w - w.T).max()
        if asym > 1e-12 * max(1.0, np.abs(w).max()):
            i, j = np.unravel_index(np.argmax(np.abs(w - w.T)), w.shape)
            raise ValueError(
                f"Hopfield.weights: must be symmetric; W[{i}, {j}] = {w[i, j]} but "
                f"W[{j}, {i}] = {w[j, i]}"
            )
        self._weights = 0.5 * (w + w.T)
        self._set_tie_tol()

    @property
    def thresholds(self) -> np.ndarray:
        """The thresholds b, shape (N,) (notes §15.1; default zeros)."""
        return self._thresholds

    @thresholds.setter
    def thresholds(self, b: np.ndarray) -> None:
        self._thresholds = _vector(b, self.n_neurons, "Hopfield", "thresholds")
        self._set_tie_tol()

    def store(self, patterns: np.ndarray, rule: str = "hebbian") -> Hopfield:
        """Set the weights so that ``patterns`` (shape ``(n, N)`` or ``(N,)``) are memories.

        ``rule`` is ``"hebbian"`` (the notes' rule), ``"storkey"`` or ``"pseudoinverse"``; see
        :mod:`tinygrad_nn.hopfield.rules`. Replaces what was stored before. Returns ``self``.
        """
        if rule not in RULES:
            raise ValueError(f"Hopfield.store: unknown rule {rule!r}; choose one of {list(RULES)}")
        p = np.atleast_2d(
            as_states(patterns, self.n_neurons, "Hopfield.store", "patterns", self.binary)
        )
        self._weights = RULES[rule](p)
        self._set_tie_tol()
        self.patterns = p
        return self

    def energy(self, x: np.ndarray) -> np.ndarray | float:
        r"""Energy :math:`E = -\tfrac{1}{2} x^T W x + b^T x` of a state or a batch (§16.1).

        The notes print :math:`E = -\frac{1}{2}\sum_{ij} W_{ij}x_i x_j \sum_i b_i x_i`, dropping
        the "+" before the threshold term; this is the standard (Ising) form.
        """
        x = as_states(x, self.n_neurons, "Hopfield.energy", "x", self.binary)
        e = -0.5 * np.einsum("...i,...i->...", x @ self._weights, x) + x @ self.thresholds
        return float(e) if x.ndim == 1 else e

    def is_fixed_point(self, x: np.ndarray) -> np.ndarray | bool:
        """Whether no neuron would change: ``update(x) == x``, per state."""
        x = as_states(x, self.n_neurons, "Hopfield.is_fixed_point", "x", self.binary)
        fixed = np.all(self._update(x @ self._weights) == x, axis=-1)
        return bool(fixed) if x.ndim == 1 else fixed

    def recall(
        self,
        x: np.ndarray,
        mode: str = "async",
        max_sweeps: int = 100,
        rng: np.random.Generator | int | None = None,
        record_energies: bool = False,
    ) -> RecallResult:
        """Recall from a cue ``x`` (shape ``(N,)``) or a batch of cues (shape ``(B, N)``).

        ``mode="async"``: one sweep updates every neuron once, one at a time, in a fresh random
        order for each cue (from ``rng``); the energy never rises and a fixed point is reached.
        ``mode="sync"``: all neurons at once, ``x <- sign(Wx - b)``; this may end in a 2-cycle,
        which is detected and reported in ``cycle``. Stops at a fixed point, a cycle, or after
        ``max_sweeps`` sweeps. ``rng`` (a ``numpy`` Generator or a seed) is used by "async" only.
        """
        x = as_states(x, self.n_neurons, "Hopfield.recall", "x", self.binary)
        if mode not in ("async", "sync"):
            raise ValueError(f"Hopfield.recall: mode must be 'async' or 'sync', got {mode!r}")
        max_sweeps = checks.integer("Hopfield.recall: max_sweeps", max_sweeps, minimum=0)
        batch = np.atleast_2d(x).copy()
        run = self._recall_async if mode == "async" else self._recall_sync
        state, converged, sweeps, cycle, energies = run(
            batch, int(max_sweeps), resolve_generator(rng, "Hopfield.recall"), record_energies
        )
        if self.binary:
            state = to_binary(state)
        if x.ndim == 1:
            e = None if energies is None else energies[0]
            return RecallResult(state[0], bool(converged[0]), int(sweeps[0]), bool(cycle[0]), e)
        return RecallResult(state, converged, sweeps, cycle, energies)

    # -- dynamics ----------------------------------------------------------------------------

    def _set_tie_tol(self) -> None:
        self._weights.flags.writeable = False  # change them through the setter only
        self._thresholds.flags.writeable = False
        # A field equal to b in exact arithmetic may come out as b - 1e-16: count it as a tie
        # (-> +1). The tolerance is far below any field that differs from b for real.
        scale = np.abs(self._weights).sum(axis=1).max() + np.abs(self._thresholds).max()
        self._tie_tol = 1e-9 * max(float(scale), 1.0)

    def _update(self, h: np.ndarray) -> np.ndarray:
        return np.where(h >= self._thresholds - self._tie_tol, 1.0, -1.0)

    def _energies_of(self, x: np.ndarray, h: np.ndarray) -> np.ndarray:
        return -0.5 * np.einsum("bi,bi->b", h, x) + x @ self.thresholds

    def _recall_async(self, x, max_sweeps, rng, record):
        w, tol = self._weights, self._tie_tol
        n_batch, n = x.shape
        up = x > 0
        # g = h - b, kept up to date by rank-1 updates (rounding drift ~1e-13, far below tol)
        g = x @ w - self._thresholds
        converged = np.zeros(n_batch, dtype=bool)
        sweeps = np.zeros(n_batch, dtype=np.int64)
        last_e = self._energies_of(x, g + self._thresholds)
        traces = [last_e[:, None].copy()]
        active = np.arange(n_batch)
        for sweep in range(max_sweeps + 1):
            fixed = np.all((g[active] >= -tol) == up[active], axis=1)
            converged[active[fixed]] = True
            sweeps[active] = sweep
            active = active[~fixed]
            if active.size == 0 or sweep == max_sweeps:
                break
            ua, ga, e = up[active], g[active], last_e[active]
            trace_a = np.empty((n, active.size)) if record else None
            # A fresh random order per cue; step t visits neuron order[c, t] of each cue c,
            # at flat index c * n + order[c, t] of the (active, n) arrays.
            order = rng.permuted(np.broadcast_to(np.arange(n), (active.size, n)), axis=1).T
            order = order.copy()
            flat = order + n * np.arange(active.size)
            uf, gf = ua.reshape(-1), ga.reshape(-1)
            for t in range(n):
                idx = flat[t]
                gi = gf[idx]
                changed = ((gi >= -tol) != uf[idx]).nonzero()[0]  # the cues whose neuron flips
                if changed.size:
                    k = idx[changed]
                    d = np.where(uf[k], -2.0, 2.0)
                    uf[k] = ~uf[k]
                    ga[changed] += d[:, None] * w[order[t, changed]]
                    if record:
                        e[changed] -= d * gi[changed]  # dE = -dx_i (h_i - b_i), as W_ii = 0
                if record:
                    trace_a[t] = e
            up[active], g[active] = ua, ga
            if record:
                trace = np.repeat(last_e[:, None], n, axis=1)
                trace[active] = trace_a.T
                last_e[active] = e
                traces.append(trace)
        energies = np.concatenate(traces, axis=1) if record else None
        x = np.where(up, 1.0, -1.0)
        return x, converged, sweeps, np.zeros(n_batch, dtype=bool), energies

    def _recall_sync(self, x, max_sweeps, rng, record):
        w = self._weights
        n_batch = x.shape[0]
        converged = np.zeros(n_batch, dtype=bool)
        cycle = np.zeros(n_batch, dtype=bool)
        sweeps = np.zeros(n_batch, dtype=np.int64)
        h = x @ w
        energies = [self._energies_of(x, h)] if record else []
        previous = np.full_like(x, np.nan)  # the state one sweep ago
        active = np.ones(n_batch, dtype=bool)
        for sweep in range(max_sweeps + 1):
            new = self._update(h)
            fixed = active & np.all(new == x, axis=1)
            two_cycle = active & ~fixed & np.all(new == previous, axis=1)
            converged |= fixed
            cycle |= two_cycle
            active &= ~(fixed | two_cycle)
            if not active.any() or sweep == max_sweeps:
                break
            sweeps[active] += 1
            previous = np.where(active[:, None], x, previous)
            x = np.where(active[:, None], new, x)
            h = x @ w
            if record:
                energies.append(self._energies_of(x, h))
        e = np.stack(energies, axis=1) if record else None
        return x, converged, sweeps, cycle, e


def _vector(v: np.ndarray, n: int, where: str, name: str) -> np.ndarray:
    v = np.array(v, dtype=np.float64)  # a copy: it is made read-only
    if v.shape != (n,):
        raise ValueError(f"{where}: {name} must have shape ({n},), got {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{where}: {name} contains NaN or infinite values")
    return v


def _available_memory() -> int:
    """Bytes of memory available now (physical memory if the system does not say)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 2**63


def _check_memory(n: int) -> None:
    need = 8 * n * n
    have = _available_memory()
    if need > _MEMORY_FRACTION * have:
        raise ValueError(
            f"Hopfield: n_neurons={n} needs an {n}x{n} float64 weight matrix of "
            f"{need / 2**30:.1f} GiB, more than half of the {have / 2**30:.1f} GiB of memory "
            f"available; use fewer neurons"
        )
