r"""Pattern helpers: conversions between {0, 1}, {-1, 1} and images, checks, corruption.

A Hopfield network (notes §15.1) works on states :math:`x \in \{-1, 1\}^N`.
"""

from __future__ import annotations

import numpy as np

from ..random import resolve_generator

__all__ = [
    "as_states",
    "corrupt",
    "from_image",
    "letters",
    "overlap",
    "to_binary",
    "to_bipolar",
]


def to_bipolar(x: np.ndarray) -> np.ndarray:
    r"""Map binary states :math:`s \in \{0, 1\}` to bipolar states :math:`x = 2s - 1`."""
    s = np.asarray(x)
    _check_values(s, (0, 1), "to_bipolar", "x")
    return 2.0 * s.astype(np.float64) - 1.0


def to_binary(x: np.ndarray) -> np.ndarray:
    r"""Map bipolar states :math:`x \in \{-1, 1\}` to binary states :math:`s = (x + 1) / 2`."""
    x = np.asarray(x)
    _check_values(x, (-1, 1), "to_binary", "x")
    return ((x.astype(np.float64) + 1.0) / 2.0).astype(np.int8)


def from_image(image: np.ndarray, threshold: float | None = None) -> np.ndarray:
    r"""Flatten an image (``(H, W)``) or a stack of images (``(B, H, W)``) into bipolar states.

    A pixel brighter than ``threshold`` (default: half-way between the darkest and the brightest
    pixel of the whole input) becomes +1, the others -1. Returns shape ``(H*W,)`` or ``(B, H*W)``.
    """
    img = np.asarray(image, dtype=np.float64)
    if img.ndim not in (2, 3) or img.size == 0:
        raise ValueError(
            f"from_image: expected an image of shape (H, W) or a stack (B, H, W), "
            f"got shape {img.shape}"
        )
    if not np.all(np.isfinite(img)):
        raise ValueError("from_image: the image contains NaN or infinite values")
    if threshold is None:
        threshold = 0.5 * (img.min() + img.max())
    x = np.where(img > threshold, 1.0, -1.0)
    return x.reshape(-1) if img.ndim == 2 else x.reshape(img.shape[0], -1)


def overlap(x: np.ndarray, patterns: np.ndarray) -> np.ndarray:
    r"""Overlap :math:`m = \frac{1}{N} x \cdot \xi` of states with patterns, row by row.

    ``x`` and ``patterns`` have the same shape ``(N,)`` or ``(B, N)``; :math:`m = 1` means equal,
    :math:`m = -1` means the inverted pattern.
    """
    x = np.asarray(x, dtype=np.float64)
    p = np.asarray(patterns, dtype=np.float64)
    if x.shape != p.shape:
        raise ValueError(f"overlap: shapes differ: states {x.shape}, patterns {p.shape}")
    return np.mean(x * p, axis=-1)


def corrupt(
    patterns: np.ndarray, noise: float, rng: np.random.Generator | int | None = None
) -> np.ndarray:
    r"""Flip exactly ``round(noise * N)`` randomly chosen entries of each bipolar pattern.

    The cue then has overlap :math:`1 - 2 k / N` with its pattern (``k`` flipped entries).
    """
    if not 0.0 <= noise <= 1.0:
        raise ValueError(f"corrupt: noise must be a fraction in [0, 1], got {noise}")
    p = np.asarray(patterns, dtype=np.float64)
    _check_values(p, (-1, 1), "corrupt", "patterns")
    rng = resolve_generator(rng, "corrupt")
    rows = np.atleast_2d(p).copy()
    n = rows.shape[1]
    k = int(round(noise * n))
    if k:
        idx = np.argsort(rng.random(rows.shape), axis=1)[:, :k]
        np.put_along_axis(rows, idx, -np.take_along_axis(rows, idx, axis=1), axis=1)
    return rows.reshape(p.shape)


def as_states(
    x: np.ndarray, n_neurons: int, where: str, name: str = "x", binary: bool = False
) -> np.ndarray:
    """Check states of length ``n_neurons`` (one ``(N,)`` or a batch ``(B, N)``) -> bipolar float64.

    With ``binary=True`` the values must be 0 or 1; otherwise -1 or 1. ``where`` names the caller
    in error messages.
    """
    a = np.asarray(x)
    if a.ndim not in (1, 2) or a.shape[-1] != n_neurons or a.size == 0:
        raise ValueError(
            f"{where}: {name} must have shape ({n_neurons},) or (batch, {n_neurons}) "
            f"(n_neurons={n_neurons}), got shape {a.shape}"
        )
    if binary:
        _check_values(a, (0, 1), where, name, hint="(declared binary=True)")
        return 2.0 * a.astype(np.float64) - 1.0
    _check_values(
        a, (-1, 1), where, name, hint="(for 0/1 states declare binary=True or use to_bipolar)"
    )
    return a.astype(np.float64)


def _check_values(a: np.ndarray, allowed: tuple, where: str, name: str, hint: str = "") -> None:
    if a.dtype == np.bool_ and allowed != (0, 1):
        raise ValueError(f"{where}: {name} is boolean; expected values {allowed} {hint}".rstrip())
    if not (np.issubdtype(a.dtype, np.number) or a.dtype == np.bool_):
        raise ValueError(f"{where}: {name} must be numeric, got dtype {a.dtype}")
    bad = ~np.isin(a, allowed)
    if np.any(bad):
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{where}: {name} must contain only the values {allowed[0]} and {allowed[1]}, "
            f"found {a[first].item()!r} at index {first} {hint}".rstrip()
        )


# 8x8 letters, side by side: the first line names them, then one row of pixels per line.
_FONT = """\
A        C        H        L        T        X        Z
..####.. .######. ##....## ##...... ######## ##....## ########
.##..##. ##....## ##....## ##...... ######## .##..##. .....##.
##....## ##...... ##....## ##...... ...##... ..####.. ....##..
##....## ##...... ######## ##...... ...##... ...##... ...##...
######## ##...... ######## ##...... ...##... ...##... ..##....
##....## ##...... ##....## ##...... ...##... ..####.. .##.....
##....## ##....## ##....## ######## ...##... .##..##. ##......
##....## .######. ##....## ######## ...##... ##....## ########
"""
_NAMES, *_ROWS = (line.split() for line in _FONT.splitlines())
_LETTERS = {name: [row[k] for row in _ROWS] for k, name in enumerate(_NAMES)}


def letters(names: str = "ACHLTXZ") -> np.ndarray:
    """Small 8x8 letter bitmaps as bipolar patterns, shape ``(len(names), 64)`` (ink = +1)."""
    unknown = sorted(set(names) - set(_LETTERS))
    if unknown:
        raise ValueError(
            f"letters: no bitmap for {unknown}; available: {''.join(sorted(_LETTERS))}"
        )
    rows = [[[1.0 if c == "#" else -1.0 for c in line] for line in _LETTERS[k]] for k in names]
    return np.asarray(rows).reshape(len(names), -1)
