r"""Noisy samples of the line $u = 0.4x - 0.9$ (notes §11.1, Example 11.1).

The notes train on 5 such samples and test on a new set, to show overfitting. Their table
of samples is not in the text, so the x range and the noise are our choice:
$x \sim U(-1, 1)$ and $u = 0.4x - 0.9 + \varepsilon$,
$\varepsilon \sim N(0, 0.1^2)$. A noise of 0.1 fits the notes' numbers: a model that
has learnt the line perfectly scores an MSE of about $0.1^2 = 0.01$ on new samples,
and the notes' overfit network scores 0.0157.
"""

from __future__ import annotations

import numpy as np

from ..random import resolve_generator

__all__ = ["noisy_line"]

SLOPE, INTERCEPT = 0.4, -0.9


def noisy_line(
    n_samples: int = 5,
    x_range: tuple[float, float] = (-1.0, 1.0),
    noise_std: float = 0.1,
    generator: np.random.Generator | None = None,
    dtype: np.dtype | type = np.float32,
) -> tuple[np.ndarray, np.ndarray]:
    r"""``n_samples`` noisy points of $u = 0.4x - 0.9$ as ``(x, u)``, each (n, 1).

    $x$ uniform in ``x_range``, noise Gaussian with standard deviation ``noise_std``
    (0 gives points on the line); random numbers from ``generator`` or the global one.
    """
    if int(n_samples) != n_samples or n_samples < 0:
        raise ValueError(f"noisy_line: n_samples must be a non-negative int, got {n_samples!r}")
    lo, hi = x_range
    if not lo < hi:
        raise ValueError(f"noisy_line: x_range must be (low, high) with low < high, got {x_range}")
    if not noise_std >= 0:
        raise ValueError(f"noisy_line: noise_std must be >= 0, got {noise_std}")
    gen = resolve_generator(generator, "noisy_line")
    x = gen.uniform(lo, hi, size=(int(n_samples), 1))
    u = SLOPE * x + INTERCEPT + noise_std * gen.standard_normal((int(n_samples), 1))
    return x.astype(dtype), u.astype(dtype)
