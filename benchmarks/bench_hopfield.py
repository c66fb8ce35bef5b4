"""Benchmark: Hopfield recall for N = 1,000 neurons and a batch of 100 noisy cues (issue 7).

The network stores 50 random patterns (load 0.05) with the Hebbian rule; each cue is a stored
pattern with 10% of its entries flipped. ``python benchmarks/bench_hopfield.py`` prints the
median time of each case over at least 2 s of repeats (``run.time_it``); ``make bench`` runs
``recall_1k`` as a row of the grid.
"""

from __future__ import annotations

import functools

import numpy as np
from run import time_it

from tinygrad_nn.hopfield import Hopfield, RecallResult, corrupt

N_NEURONS, N_PATTERNS, BATCH, NOISE = 1000, 50, 100, 0.1


@functools.cache
def _setup() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    patterns = rng.choice([-1.0, 1.0], (N_PATTERNS, N_NEURONS))
    cues = corrupt(patterns[rng.integers(0, N_PATTERNS, BATCH)], NOISE, rng)
    return patterns, cues


def recall_1k(mode: str = "async") -> RecallResult:
    """Recall a batch of 100 cues in a network of 1,000 neurons (asynchronous by default)."""
    return _network().recall(_setup()[1], mode=mode, rng=0)


def store_1k(rule: str = "hebbian") -> Hopfield:
    """Store the 50 patterns in a fresh network of 1,000 neurons."""
    return Hopfield(N_NEURONS).store(_setup()[0], rule=rule)


_network = functools.cache(store_1k)  # recall_1k times recall, not storing


def main() -> None:
    result = recall_1k()
    overlap = np.mean(np.max(result.state @ _setup()[0].T, axis=1)) / N_NEURONS
    print(
        f"Hopfield N={N_NEURONS}, {N_PATTERNS} patterns, batch {BATCH}, noise {NOISE}: "
        f"{int(result.converged.sum())}/{BATCH} converged in <= {int(result.sweeps.max())} "
        f"sweeps, mean overlap {overlap:.3f}"
    )
    cases = {
        "recall_1k (async)": recall_1k,
        "recall_1k (sync)": functools.partial(recall_1k, "sync"),
        "store_1k (hebbian)": store_1k,
        "store_1k (storkey)": functools.partial(store_1k, "storkey"),
        "store_1k (pseudoinverse)": functools.partial(store_1k, "pseudoinverse"),
    }
    for name, fn in cases.items():
        t = time_it(fn)
        print(f"{name:26s} {t.median * 1e3:9.2f} ms  (median of {t.runs}, min {t.min * 1e3:.2f})")


if __name__ == "__main__":
    main()
