"""Pictures of a sweep: a metric against a swept setting, the mean over the seeds with error
bars of one standard deviation."""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..atomic import atomic_write
from .table import as_rows, summarize

__all__ = ["plot", "plot_sweep"]

MAX_LINES = 6  # more combinations of the other settings than this: average over them


def _axis(values: list[Any], scale: str | None) -> tuple[str, list[float]]:
    """Where each x value goes. By default: a log axis for positive numbers spanning two
    decades or more, evenly spaced categories for strings, lists, and numbers with 0 among
    values spanning a decade (weight decays 0, 1e-4, 1e-3), a linear axis otherwise."""
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    if scale is None and numeric:
        positive = [v for v in values if v > 0]
        ratio = max(positive) / min(positive) if len(positive) > 1 else 1.0
        if len(positive) == len(values):
            scale = "log" if ratio >= 100 else "linear"
        else:
            scale = "category" if ratio >= 10 else "linear"
    if scale in ("linear", "log") and numeric:
        return scale, [float(v) for v in values]
    if scale not in (None, "category", "linear", "log"):
        raise ValueError(f"sweep.plot: xscale must be 'linear', 'log' or 'category', got {scale!r}")
    return "category", [float(i) for i in range(len(values))]


def _label(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else json.dumps(value).strip('"')


def plot(
    table: Any,
    x: str,
    metric: str,
    *,
    by: Sequence[str] | None = None,
    ax: Any = None,
    title: str | None = None,
    xscale: str | None = None,
    **errorbar_kwargs: Any,
) -> Any:
    """Draw ``metric`` against the setting ``x``: at each value of ``x`` the mean over the
    ``ok`` trials (the seeds, and every setting not in ``by``) with an error bar of one
    standard deviation. One line per combination of the settings ``by``, each shifted a few
    points sideways so that the bars do not hide each other. ``xscale`` is ``"linear"``,
    ``"log"`` or ``"category"`` (evenly spaced values); by default it is picked from the
    values. Returns the axes (``ax``, or pyplot's current axes)."""
    from matplotlib.transforms import ScaledTranslation

    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    by = list(by or [])
    rows = as_rows(table)
    groups = summarize(rows, [x, *by], [metric])
    if not groups:
        raise ValueError(f"sweep.plot: no finished trials with {metric!r} to plot")
    xs = list({json.dumps(g[x], sort_keys=True): g[x] for g in groups}.values())
    if all(isinstance(v, (int, float)) for v in xs):
        xs.sort()
    scale, positions = _axis(xs, xscale)
    where = {json.dumps(v, sort_keys=True): p for v, p in zip(xs, positions)}
    lines: dict[str, list[dict[str, Any]]] = {}
    for g in groups:
        lines.setdefault(", ".join(f"{k}={_label(g[k])}" for k in by), []).append(g)
    for k, (name, members) in enumerate(lines.items()):
        members.sort(key=lambda g: where[json.dumps(g[x], sort_keys=True)])
        std = [g[f"{metric}_std"] for g in members]
        shift = (k - (len(lines) - 1) / 2) * 4 / 72  # 4 points between neighbouring lines
        bars = ax.errorbar(
            [where[json.dumps(g[x], sort_keys=True)] for g in members],
            [g[f"{metric}_mean"] for g in members],
            yerr=[0.0 if math.isnan(s) else s for s in std],
            **{"marker": "o", "capsize": 3, "label": name or None, **errorbar_kwargs},
        )
        offset = ScaledTranslation(shift, 0, ax.figure.dpi_scale_trans)
        for artist in bars.get_children():  # after autoscaling, which saw the true positions
            artist.set_transform(artist.get_transform() + offset)
    if scale == "log":
        ax.set_xscale("log")
    elif scale == "category":
        ax.set_xticks(positions, [_label(v) for v in xs])
    n = max(g["n"] for g in groups)
    ax.set(xlabel=x, ylabel=metric)
    ax.set_title(title or f"mean ± std of {n} trials per point", fontsize=9)
    if by:
        ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return ax


def plot_sweep(
    table: Any,
    folder: str | Path,
    *,
    options: Sequence[str] | None = None,
    metrics: Sequence[str] | None = None,
) -> list[Path]:
    """One PNG per metric in ``folder`` (``<metric>.png``), a panel per swept setting: the
    metric against it, one line per combination of the other swept settings (averaged over
    them when there are more than six). ``options`` default to the settings with more than one
    value, ``metrics`` to what the sweep's function returned. Returns the files written."""
    from matplotlib.figure import Figure  # not pyplot: no global state

    rows = [r for r in as_rows(table) if r.get("status") == "ok"]
    if not rows:
        return []
    keys = list(rows[0])
    settings = keys[keys.index("status") + 1 : keys.index("seed")]
    if options is None:
        options = [k for k in settings if len({json.dumps(r[k]) for r in rows}) > 1]
    if metrics is None:
        metrics = keys[keys.index("seed") + 1 : keys.index("seconds")]
    if not options:
        return []
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for metric in metrics:
        fig = Figure(figsize=(4.5 * max(1, len(options)), 3.6))
        axes = fig.subplots(1, max(1, len(options)), squeeze=False)[0]
        for ax, option in zip(axes, options):
            others = [o for o in options if o != option]
            combos = itertools.product(*({json.dumps(r[o]) for r in rows} for o in others))
            if sum(1 for _ in combos) <= MAX_LINES:
                plot(rows, option, metric, by=others, ax=ax, title="mean ± std over the seeds")
            else:
                plot(rows, option, metric, ax=ax, title="mean ± std over seeds and settings")
        fig.tight_layout()
        path = folder / f"{metric}.png"
        atomic_write(path, lambda fh, fig=fig: fig.savefig(fh, format="png", dpi=100))
        written.append(path)
    return written
