"""Argument checks: each returns the value in its clean form or raises an error that names
the argument and what was wrong (TypeError for a wrong type, ValueError for a bad value)."""

from __future__ import annotations

import math

import numpy as np


def integer(name: str, value: object, minimum: int | None = None) -> int:
    """``value`` as an int (bools and floats are refused), at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def positive(name: str, value: float) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number > 0."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive number, got {value!r}") from None
    if not math.isfinite(x) or x <= 0.0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return x


def in_range(
    name: str,
    value: object,
    low: float | None = None,
    high: float | None = None,
    *,
    open_low: bool = False,
    open_high: bool = False,
) -> float:
    """``value`` as a finite float in ``[low, high]`` (``(low`` / ``high)`` when open)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    x = float(value)
    too_low = low is not None and (x <= low if open_low else x < low)
    too_high = high is not None and (x >= high if open_high else x > high)
    if not math.isfinite(x) or too_low or too_high:
        left = "(-inf" if low is None else ("(" if open_low else "[") + f"{low:g}"
        right = "inf)" if high is None else f"{high:g}" + (")" if open_high else "]")
        interval = f"{left}, {right}"
        raise ValueError(f"{name} must be a finite number in {interval}, got {value!r}")
    return x


def non_negative(name: str, value: float) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number >= 0."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a non-negative number, got {value!r}") from None
    if not math.isfinite(x) or x < 0.0:
        raise ValueError(f"{name} must be a non-negative finite number, got {value!r}")
    return x


def n_steps(t_end: float, dt: float) -> int:
    """Number of steps of size ``dt`` that cover ``[0, t_end]`` (the last step may overshoot)."""
    t_end = positive("t_end", t_end)
    dt = positive("dt", dt)
    if dt > t_end:
        raise ValueError(f"dt ({dt}) must not exceed t_end ({t_end})")
    return int(math.ceil(t_end / dt - 1e-9))


def finite_array(name: str, value: object) -> np.ndarray:
    """``value`` as a float64 array, or raise if it holds NaN or infinity."""
    a = np.asarray(value, dtype=np.float64)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return a


def drive(name: str, value: object, steps: int, size: int | None = None) -> np.ndarray:
    """Input over time as a float64 array of shape ``(steps, N)`` or ``(N,)`` (constant).

    Accepts a scalar (one neuron), a 1-D array (one constant value per neuron) or a 2-D array
    over (time steps, neurons). ``size``, when given, is the number of neurons expected.
    """
    a = finite_array(name, value)
    if a.ndim == 0:
        a = a.reshape(1) if size is None else np.full(size, float(a))
    elif a.ndim == 2:
        if a.shape[0] != steps:
            raise ValueError(
                f"{name} has shape {a.shape}: a 2-D input must have one row per time step "
                f"({steps} steps), shape ({steps}, n_neurons)"
            )
    elif a.ndim != 1:
        raise ValueError(
            f"{name} must be a scalar, a 1-D array (one value per neuron) or a 2-D array "
            f"(time steps, neurons); got shape {a.shape}"
        )
    if size is not None and a.shape[-1] != size:
        raise ValueError(f"{name} has {a.shape[-1]} neurons (shape {a.shape}), expected {size}")
    return a


class ShapeError(RuntimeError, ValueError):
    """Inputs an op cannot take together (shapes that do not broadcast, a matrix product's
    inner sizes): PyTorch raises RuntimeError where numpy raises ValueError. This is both,
    so that code written for either catches it."""


def broadcast_shape(who: str, **shapes: tuple[int, ...]) -> tuple[int, ...]:
    """The shape that the named ``shapes`` broadcast to, or a `ShapeError` naming the op and
    every shape."""
    try:
        return tuple(np.broadcast_shapes(*shapes.values()))
    except ValueError:
        named = ", ".join(f"{name} {tuple(shape)}" for name, shape in shapes.items())
        raise ShapeError(f"{who}: the shapes of {named} do not broadcast") from None
