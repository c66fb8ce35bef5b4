r"""Fixed-step ODE solvers for $dy/dt = f(t, y)$ over a state array (notes §5.2).

Every model here writes its state as one numpy array (for example shape ``(4, N)`` for ``N``
Hodgkin–Huxley neurons) so that one call advances the whole population by one step.

- ``euler_step``: forward Euler, $y_{i+1} = y_i + \Delta t\, f(t_i, y_i)$ (1st order).
- ``rk4_step``: the classical Runge–Kutta method (4th order).
- ``exp_euler_step``: exponential Euler for equations written as
  $dy/dt = (y_\infty(t, y) - y) / \tau(t, y)$:
  $y_{i+1} = y_\infty + (y_i - y_\infty)\, e^{-\Delta t/\tau}$, exact when $y_\infty$ and $\tau$
  are constant over the step (1st order in general, stable for any $\Delta t$).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from .. import checks

__all__ = [
    "euler_step",
    "rk4_step",
    "exp_euler_step",
    "integrate",
    "stepper",
    "check_relaxation_step",
    "EULER_LIMIT",
    "EULER_WARNING",
]

Derivative = Callable[[float, np.ndarray], np.ndarray]
Relaxation = Callable[[float, np.ndarray], tuple[np.ndarray, np.ndarray]]

METHODS = ("euler", "rk4", "exp_euler")

EULER_LIMIT = 1.0
r"""Forward Euler on a relaxation $\tau\, dy/dt = y_\infty - y$ multiplies the distance to
$y_\infty$ by $1 - \Delta t/\tau$ each step: past $\Delta t/\tau = 1$ it overshoots (a LIF
neuron below threshold fires, a synaptic filter changes sign), past 2 it grows without bound.
``check_relaxation_step`` refuses $\Delta t/\tau$ above this."""

EULER_WARNING = 0.25
r"""$\Delta t/\tau$ above which ``check_relaxation_step`` warns that forward Euler is
inaccurate: its decay over one time constant, $(1 - \Delta t/\tau)^{\tau/\Delta t}$ instead
of $e^{-1}$, is then off by more than a tenth (the numbers are in the guide's page on errors
and numerics)."""


def euler_step(f: Derivative, t: float, y: np.ndarray, dt: float) -> np.ndarray:
    r"""One forward Euler step: $y + \Delta t\, f(t, y)$ (notes §5.2, Algorithm 1)."""
    return y + dt * f(t, y)


def rk4_step(f: Derivative, t: float, y: np.ndarray, dt: float) -> np.ndarray:
    r"""One classical RK4 step: $y + \frac{\Delta t}{6}(k_1 + 2k_2 + 2k_3 + k_4)$.

    ``f`` must return a new array each call (the stages are combined in place)."""
    half = 0.5 * dt
    k1 = f(t, y)
    k2 = f(t + half, y + half * k1)
    k3 = f(t + half, y + half * k2)
    k4 = f(t + dt, y + dt * k3)
    k2 += k3
    k2 *= 2.0
    k1 += k2
    k1 += k4
    k1 *= dt / 6.0
    return y + k1


def exp_euler_step(g: Relaxation, t: float, y: np.ndarray, dt: float) -> np.ndarray:
    r"""One exponential Euler step for $dy/dt = (y_\infty - y)/\tau$, with
    ``g(t, y) -> (y_inf, tau)``: $y_\infty + (y - y_\infty)\, e^{-\Delta t/\tau}$."""
    y_inf, tau = g(t, y)
    return y_inf + (y - y_inf) * np.exp(-dt / tau)


def check_relaxation_step(dt: float, tau: float, who: str) -> None:
    r"""Refuse a forward Euler step ``dt`` past its stability limit for the time constant
    ``tau`` ($\Delta t/\tau$ > ``EULER_LIMIT``) and warn in the inaccurate range
    ($\Delta t/\tau$ > ``EULER_WARNING``); ``who`` names the model in the messages."""
    ratio = dt / tau
    if ratio > EULER_LIMIT:
        raise ValueError(
            f"{who}: forward Euler with dt={dt:g} is past its stability limit dt <= {tau:g} "
            f"(the time constant): each step would overshoot; use dt <= {tau * EULER_WARNING:g} "
            "or method='exact'"
        )
    if ratio > EULER_WARNING:
        warnings.warn(
            f"{who}: forward Euler with dt={dt:g} is inaccurate for the time constant {tau:g} "
            f"(dt/tau = {ratio:.2g} > {EULER_WARNING}); use dt <= {tau * EULER_WARNING:g} or "
            "method='exact'",
            RuntimeWarning,
            stacklevel=3,
        )


def integrate(
    f: Derivative | Relaxation,
    y0: np.ndarray,
    t_end: float,
    dt: float,
    method: str = "rk4",
    record: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Integrate from $t = 0$ to ``t_end`` with fixed steps ``dt``.

    ``f(t, y)`` returns $dy/dt$ for ``"euler"`` and ``"rk4"``, and ``(y_inf, tau)`` for
    ``"exp_euler"``. Returns ``(t, ys)``: the time grid of ``n + 1`` points and the states,
    shape ``(n + 1, *y0.shape)`` (only the final state, shape ``(1, *y0.shape)``, when
    ``record`` is false).
    """
    steps = checks.n_steps(t_end, dt)
    dt = float(dt)
    step = stepper(method)
    y = checks.finite_array("y0", y0).copy()
    _check_model(f, y, method)
    ys = np.empty((steps + 1, *y.shape)) if record else None
    if ys is not None:
        ys[0] = y
    for i in range(steps):
        y = step(f, i * dt, y, dt)
        if ys is not None:
            ys[i + 1] = y
    t = np.arange(steps + 1) * dt
    return t, (ys if ys is not None else y[None])


def _check_model(f: Callable, y: np.ndarray, method: str) -> None:
    """Call ``f`` once at ``t = 0`` and refuse results whose shape is not the state's (numpy
    would broadcast them silently, or fail deep inside a step)."""
    out = f(0.0, y.copy())
    if method == "exp_euler":
        if not (isinstance(out, tuple) and len(out) == 2):
            raise TypeError(
                "integrate: with method='exp_euler', f(t, y) must return (y_inf, tau), "
                f"got {type(out).__name__}"
            )
        named = zip(("y_inf", "tau"), out)
    else:
        named = [("dy/dt", out)]
    for name, value in named:
        if np.shape(value) != y.shape:
            raise ValueError(
                f"integrate: f(t, y) returned {name} of shape {np.shape(value)} for a state of "
                f"shape {y.shape}; it must have the state's shape"
            )


def stepper(method: str) -> Callable:
    """The one-step function named by ``method`` (``"euler"``, ``"rk4"`` or ``"exp_euler"``)."""
    steps = {"euler": euler_step, "rk4": rk4_step, "exp_euler": exp_euler_step}
    if method not in steps:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return steps[method]
