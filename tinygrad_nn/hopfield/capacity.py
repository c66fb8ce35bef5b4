r"""Capacity experiment: how many random patterns a rule stores in N neurons (notes §15.1).

For each load :math:`\alpha = n/N`, store n random patterns, then measure (1) the fraction of
stored patterns that are fixed points and (2) the mean overlap :math:`m = \frac{1}{N}x\cdot\xi`
between each pattern and the state recalled from a noisy cue of it; averaged over seeds. The
Hebbian rule collapses near :math:`\alpha_c \approx 0.138` (Amit, Gutfreund & Sompolinsky 1985).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Hopfield
from .patterns import corrupt, overlap
from .rules import RULES

__all__ = ["CapacityTable", "capacity_experiment"]


@dataclass
class CapacityTable:
    """Results of :func:`capacity_experiment`, one entry per load (means and standard deviations
    over seeds)."""

    n_neurons: int
    rule: str
    noise: float
    n_seeds: int
    loads: np.ndarray
    n_patterns: np.ndarray
    fixed_fraction: np.ndarray
    fixed_fraction_std: np.ndarray
    overlap: np.ndarray
    overlap_std: np.ndarray

    def to_markdown(self) -> str:
        """The table in Markdown, one row per load."""
        lines = [
            f"| α = n/N | n | fixed points ({self.rule}) | overlap after recall ({self.rule}) |",
            "| ---: | ---: | ---: | ---: |",
        ]
        for a, n, f, fs, m, ms in zip(
            self.loads,
            self.n_patterns,
            self.fixed_fraction,
            self.fixed_fraction_std,
            self.overlap,
            self.overlap_std,
            strict=True,
        ):
            lines.append(f"| {a:.3f} | {n} | {f:.3f} ± {fs:.3f} | {m:.3f} ± {ms:.3f} |")
        return "\n".join(lines)


def capacity_experiment(
    n_neurons: int,
    loads: np.ndarray,
    rule: str = "hebbian",
    noise: float = 0.1,
    n_seeds: int = 3,
    mode: str = "async",
    max_sweeps: int = 50,
    seed: int = 0,
) -> CapacityTable:
    r"""Fixed-point fraction and recall overlap of ``rule`` at each load :math:`\alpha = n/N`.

    Each seed draws n = round(α N) random patterns (±1 with equal probability), stores them,
    corrupts each by flipping ``round(noise * N)`` entries and recalls (``mode``); the overlap is
    taken with the pattern the cue came from. Seeds are ``seed, seed + 1, ...``.
    """
    if rule not in RULES:
        raise ValueError(f"capacity_experiment: unknown rule {rule!r}; choose from {list(RULES)}")
    if n_seeds < 1:
        raise ValueError(f"capacity_experiment: n_seeds must be >= 1, got {n_seeds}")
    loads = np.atleast_1d(np.asarray(loads, dtype=np.float64))
    counts = np.maximum(1, np.round(loads * n_neurons).astype(int))
    fixed = np.zeros((len(loads), n_seeds))
    m = np.zeros((len(loads), n_seeds))
    for k, n in enumerate(counts):
        for s in range(n_seeds):
            rng = np.random.default_rng([seed + s, k])
            patterns = rng.choice([-1.0, 1.0], size=(n, n_neurons))
            net = Hopfield(n_neurons).store(patterns, rule=rule)
            fixed[k, s] = np.mean(net.is_fixed_point(patterns))
            cues = corrupt(patterns, noise, rng)
            result = net.recall(cues, mode=mode, max_sweeps=max_sweeps, rng=rng)
            m[k, s] = np.mean(overlap(result.state, patterns))
    return CapacityTable(
        n_neurons=n_neurons,
        rule=rule,
        noise=noise,
        n_seeds=n_seeds,
        loads=loads,
        n_patterns=counts,
        fixed_fraction=fixed.mean(axis=1),
        fixed_fraction_std=fixed.std(axis=1),
        overlap=m.mean(axis=1),
        overlap_std=m.std(axis=1),
    )
