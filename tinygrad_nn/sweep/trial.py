"""One trial, as it runs in a worker (or in-process): seed every generator from the trial's
seed alone, call the function, and turn its numbers, or its error, into a row."""

from __future__ import annotations

import random
import time
import traceback
from collections.abc import Callable
from typing import Any

import numpy as np

from ..random import manual_seed
from .space import RESERVED, Trial

__all__: list[str] = []  # run() calls these in the workers; nothing for users here


def _numbers(config: dict[str, Any], result: Any) -> dict[str, int | float]:
    """The returned metrics as plain Python numbers, or a TypeError saying what is wrong."""
    if not isinstance(result, dict):
        raise TypeError(f"the sweep's function must return a dict of numbers, got {result!r}")
    metrics = {}
    for key, value in result.items():
        if isinstance(value, np.generic):
            value = value.item()
        if not isinstance(value, (int, float)):  # bools are ints
            raise TypeError(
                f"the sweep's function must return a dict of numbers; {key!r} is "
                f"{type(value).__name__}"
            )
        if not isinstance(key, str) or key in RESERVED or key in config:
            raise ValueError(
                f"metric name {key!r} clashes with a setting or a column of the table "
                f"{RESERVED}: rename it"
            )
        metrics[key] = value
    return metrics


def failed_row(trial: Trial, error: BaseException | str, seconds: float = float("nan")) -> dict:
    """The row of a trial that raised (or was lost): its settings, seed and the error."""
    if isinstance(error, BaseException):
        where = traceback.extract_tb(error.__traceback__)
        at = f" (at {where[-1].filename}:{where[-1].lineno} in {where[-1].name})" if where else ""
        error = f"{type(error).__name__}: {error}{at}"
    return {
        "trial": trial.id,
        "status": "failed",
        **trial.config,
        "seed": trial.seed,
        "seconds": seconds,
        "error": " ".join(str(error).split()),  # one line in the CSV
    }


def run_trial(fn: Callable[..., dict], trial: Trial) -> dict[str, Any]:
    """Seed ``tinygrad_nn``, numpy's legacy global generator and ``random`` with the trial's
    seed, run ``fn(**config, seed=seed)`` and return the trial's row: ``status`` ``"ok"`` with
    the returned numbers, or ``"failed"`` with the error. Only KeyboardInterrupt escapes."""
    manual_seed(trial.seed)
    np.random.seed(trial.seed)
    random.seed(trial.seed)
    start = time.perf_counter()
    try:
        metrics = _numbers(trial.config, fn(**trial.config, seed=trial.seed))
    except (Exception, SystemExit) as error:  # SystemExit: a CLI function gave up
        return failed_row(trial, error, time.perf_counter() - start)
    seconds = time.perf_counter() - start
    row = {"trial": trial.id, "status": "ok", **trial.config, "seed": trial.seed, **metrics}
    return {**row, "seconds": seconds, "error": ""}
