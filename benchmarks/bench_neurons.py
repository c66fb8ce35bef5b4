"""Benchmarks of tinygrad_nn.neurons: populations of LIF and Hodgkin–Huxley neurons.

- ``lif_10k()``: 10,000 LIF neurons, 1 s of simulated time at dt = 1 ms (exact update).
- ``hh_1k()``: 1,000 Hodgkin–Huxley neurons, 100 ms at dt = 0.01 ms (RK4).

Run ``python benchmarks/bench_neurons.py`` for the median times of repeated runs
(``run.time_it``); ``make bench`` runs ``lif_10k`` and ``hh_1k`` as rows of its grid.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from run import time_it

from tinygrad_nn.neurons import LIF, HodgkinHuxley

_RNG_SEED = 0


def lif_10k(method: str = "exact") -> int:
    """Simulate 10,000 LIF neurons with inputs in [0, 5] for 1 s at dt = 1 ms; returns the
    number of spikes (about 750,000)."""
    v_in = np.random.default_rng(_RNG_SEED).uniform(0.0, 5.0, 10_000)
    res = LIF().simulate(v_in, t_end=1.0, dt=0.001, method=method)
    return int(res.counts.sum())


def hh_1k(method: str = "rk4") -> int:
    """Simulate 1,000 Hodgkin–Huxley neurons with currents in [0, 20] µA/cm² for 100 ms at
    dt = 0.01 ms, recording spikes only; returns the number of spikes."""
    current = np.linspace(0.0, 20.0, 1_000)
    res = HodgkinHuxley().simulate(current, t_end=100.0, dt=0.01, method=method, record=False)
    return sum(len(ts) for ts in res.spike_times)


BENCHMARKS: dict[str, Callable[[], object]] = {
    "lif_10k": lif_10k,
    "lif_10k_euler": lambda: lif_10k("euler"),
    "hh_1k": hh_1k,
    "hh_1k_euler": lambda: hh_1k("euler"),
    "hh_1k_exp_euler": lambda: hh_1k("exp_euler"),
}


def main() -> None:
    for name, fn in BENCHMARKS.items():
        t = time_it(fn)
        print(f"{name:16s} median {t.median:.3f} s  min {t.min:.3f} s  ({t.runs} runs)")


if __name__ == "__main__":
    main()
