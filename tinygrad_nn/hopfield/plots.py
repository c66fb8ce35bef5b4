"""Plots for Hopfield networks: patterns (stored, corrupted, recalled), energy, capacity.

matplotlib is an optional extra (``pip install tinygrad_nn[plot]``); it is imported lazily.
Each function returns the matplotlib ``Figure``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .capacity import CapacityTable

__all__ = ["plot_capacity", "plot_energy", "plot_patterns"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt  # no backend forced: notebooks keep their inline one
    except ImportError as e:  # pragma: no cover - depends on the installation
        raise ImportError(
            "tinygrad_nn.hopfield.plots needs matplotlib: pip install 'tinygrad_nn[plot]'"
        ) from e
    return plt


def plot_patterns(
    rows: dict[str, np.ndarray], shape: tuple[int, int], titles: Sequence[str] | None = None
):
    """Show bipolar patterns as images: one row of the grid per entry of ``rows``.

    ``rows`` maps a label (e.g. ``"stored"``, ``"corrupted"``, ``"recalled"``) to patterns of
    shape ``(k, H*W)``; ``shape`` is ``(H, W)``; ``titles`` names the k columns. +1 is drawn dark.
    """
    plt = _pyplot()
    arrays = {k: np.atleast_2d(np.asarray(v, dtype=np.float64)) for k, v in rows.items()}
    n_cols = max(a.shape[0] for a in arrays.values())
    for label, a in arrays.items():
        if a.shape[1] != shape[0] * shape[1]:
            raise ValueError(
                f"plot_patterns: {label!r} has {a.shape[1]} values per pattern, "
                f"shape {shape} needs {shape[0] * shape[1]}"
            )
    fig, axes = plt.subplots(
        len(arrays), n_cols, figsize=(1.3 * n_cols + 0.6, 1.4 * len(arrays)), squeeze=False
    )
    for r, (label, a) in enumerate(arrays.items()):
        for c in range(n_cols):
            ax = axes[r, c]
            ax.set_xticks([])
            ax.set_yticks([])
            if c < a.shape[0]:
                ax.imshow(a[c].reshape(shape), cmap="gray_r", vmin=-1, vmax=1)
            else:
                ax.axis("off")
            if c == 0:
                ax.set_ylabel(label)
            if r == 0 and titles is not None and c < len(titles):
                ax.set_title(titles[c])
    fig.tight_layout()
    return fig


def plot_energy(energies: np.ndarray, labels: Sequence[str] | None = None, per: str = "update"):
    """Energy during recall: ``energies`` from ``recall(..., record_energies=True)``.

    One line per cue (rows of a 2-D array); ``per`` names the x axis unit ("update", "sweep").
    """
    plt = _pyplot()
    e = np.atleast_2d(np.asarray(energies, dtype=np.float64))
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for k, row in enumerate(e):
        ax.plot(np.arange(row.size), row, label=None if labels is None else labels[k])
    ax.set_xlabel(f"{per}s")
    ax.set_ylabel(r"energy $E = -\frac{1}{2}x^TWx + b^Tx$")
    ax.set_title("Energy during recall")
    if labels is not None:
        ax.legend()
    fig.tight_layout()
    return fig


def plot_capacity(tables: Sequence[CapacityTable]):
    """Fixed-point fraction and recall overlap against the load α = n/N, one line per table."""
    plt = _pyplot()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4.2))
    for t in tables:
        label = f"{t.rule} (N={t.n_neurons})"
        ax1.errorbar(t.loads, t.fixed_fraction, t.fixed_fraction_std, marker="o", label=label)
        ax2.errorbar(t.loads, t.overlap, t.overlap_std, marker="o", label=label)
    for ax in (ax1, ax2):
        ax.axvline(0.138, color="gray", linestyle=":", label=r"$\alpha_c \approx 0.138$")
        ax.set_xlabel(r"load $\alpha = n/N$")
    ax1.set_ylabel("fraction of patterns that are fixed points")
    ax2.set_ylabel(f"mean overlap after recall (noise {tables[0].noise:g})")
    handles, labels = ax1.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig
