"""The trials of a sweep: a grid of settings (every combination) or random draws, times a list
of seeds; each trial named by a hash of its settings and seed."""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import checks

__all__ = [
    "Distribution",
    "Trial",
    "loguniform",
    "plan",
    "randint",
    "sample",
    "trial_id",
    "uniform",
]

RESERVED = ("trial", "status", "seed", "seconds", "error")  # columns of the results table


@dataclass(frozen=True)
class Trial:
    """One run of the sweep's function: ``fn(**config, seed=seed)``, named ``id``."""

    id: str
    config: dict[str, Any]
    seed: int


@dataclass(frozen=True)
class Distribution:
    """A range to draw a setting from in :func:`sample`: ``"uniform"`` on [low, high),
    ``"loguniform"`` (uniform in log space) or ``"randint"`` (integers low ≤ k < high)."""

    kind: str
    low: float
    high: float

    def draw(self, rng: np.random.Generator) -> float | int:
        """One value, drawn with ``rng``."""
        if self.kind == "randint":
            return int(rng.integers(self.low, self.high))
        if self.kind == "loguniform":
            return float(math.exp(rng.uniform(math.log(self.low), math.log(self.high))))
        return float(rng.uniform(self.low, self.high))


def _range(kind: str, low: float, high: float) -> Distribution:
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"{kind}: need finite low < high, got low={low!r}, high={high!r}")
    if kind == "loguniform" and low <= 0:
        raise ValueError(f"loguniform: low must be > 0, got {low!r}")
    return Distribution(kind, low, high)


def uniform(low: float, high: float) -> Distribution:
    """A float drawn uniformly from [low, high) (for :func:`sample`)."""
    return _range("uniform", float(low), float(high))


def loguniform(low: float, high: float) -> Distribution:
    r"""A float whose logarithm is uniform on [log low, log high): learning rates and decays,
    where every factor of 10 matters as much as the next (for :func:`sample`)."""
    return _range("loguniform", float(low), float(high))


def randint(low: int, high: int) -> Distribution:
    """An integer drawn uniformly from low, low + 1, ..., high - 1 (for :func:`sample`)."""
    return _range("randint", checks.integer("randint: low", low), checks.integer("high", high))


def sample(space: Mapping[str, Any], n: int, *, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` random settings from ``space``, for :func:`tinygrad_nn.sweep.run`.

    Each value of ``space`` is a :class:`Distribution` (:func:`uniform`, :func:`loguniform`,
    :func:`randint`), a list to choose from uniformly, or a fixed value. The draws come from
    ``numpy.random.default_rng(seed)`` alone, so the same call gives the same settings.
    """
    n = checks.integer("sample: n", n, minimum=1)
    rng = np.random.default_rng(checks.integer("sample: seed", seed, minimum=0))
    configs = []
    for _ in range(n):
        config = {}
        for key, value in space.items():
            if isinstance(value, Distribution):
                config[key] = value.draw(rng)
            elif isinstance(value, (list, tuple)):
                config[key] = value[int(rng.integers(len(value)))]
            else:
                config[key] = value
        configs.append(config)
    return configs


def trial_id(config: Mapping[str, Any], seed: int) -> str:
    """The trial's name: the first 16 hex digits of the SHA-256 of its settings and seed, as
    sorted JSON. The same settings and seed give the same name in every process and run."""
    text = json.dumps({"config": dict(config), "seed": seed}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _check_value(key: str, value: Any) -> Any:
    """``value`` in plain JSON types (numpy scalars become Python numbers), or raise."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (list, tuple)):
        return [_check_value(key, v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(
        f"sweep: setting {key!r} must be a number, string, bool, None or a list of those "
        f"(it names the trial and goes into results.csv), got {type(value).__name__}"
    )


def _configs(grid: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every combination of a dict of lists (other values fixed), or a list of settings."""
    if isinstance(grid, Mapping):
        keys = list(grid)
        choices = [v if isinstance(v, (list, tuple)) else [v] for v in grid.values()]
        for key, values in zip(keys, choices):
            if len(values) == 0:
                raise ValueError(f"sweep: grid option {key!r} has an empty list of values")
        configs = [dict(zip(keys, combo)) for combo in itertools.product(*choices)]
    elif isinstance(grid, Sequence) and not isinstance(grid, str):
        configs = [dict(c) for c in grid]
        if not configs or not all(isinstance(c, Mapping) for c in grid):
            raise TypeError("sweep: grid must be a dict of lists or a non-empty list of dicts")
    else:
        raise TypeError(f"sweep: grid must be a dict of lists or a list of dicts, got {grid!r}")
    for config in configs:
        for key in list(config):
            if not isinstance(key, str) or key in RESERVED:
                raise ValueError(
                    f"sweep: setting name {key!r} is not allowed (names must be strings other "
                    f"than the table's own columns {RESERVED}); seeds go in seeds="
                )
            config[key] = _check_value(key, config[key])
    return configs


def _seeds(seeds: int | Iterable[int]) -> list[int]:
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        return list(range(checks.integer("sweep: seeds", seeds, minimum=1)))
    if not isinstance(seeds, Iterable):
        raise TypeError(f"sweep: seeds must be a count or a list of seeds, got {seeds!r}")
    out = [checks.integer("sweep: each seed", s, minimum=0) for s in seeds]
    if not out or len(set(out)) != len(out):
        raise ValueError(f"sweep: seeds must be a non-empty list of distinct seeds, got {out}")
    return out


def plan(
    grid: Mapping[str, Any] | Sequence[Mapping[str, Any]], seeds: int | Iterable[int] = 1
) -> list[Trial]:
    """The trials of a sweep, settings in grid order, seeds varying fastest. ``seeds`` is a
    count (``5`` runs seeds 0–4) or the list of seeds."""
    trials = [
        Trial(trial_id(config, seed), config, seed)
        for config in _configs(grid)
        for seed in _seeds(seeds)
    ]
    names = [t.id for t in trials]
    if len(set(names)) != len(names):
        raise ValueError("sweep: the grid holds the same settings twice")
    return trials
