r"""A line search for the strong Wolfe conditions (Nocedal & Wright, *Numerical
Optimization*, algorithms 3.5 and 3.6), as ``LBFGS(line_search_fn="strong_wolfe")`` of
PyTorch runs it: find a step $t$ along $d$ from $\theta$ with

$$
f(\theta + t d) \le f(\theta) + c_1 t\, g^\top d, \qquad
|\nabla f(\theta + t d)^\top d| \le c_2 |g^\top d|,
$$

first by growing $t$ until a step brackets such a point, then by shrinking the bracket
with the minimiser of the cubic through its two ends (values and slopes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

__all__ = ["strong_wolfe"]


class _Point(NamedTuple):
    """A step $t$ with the loss $f$, the gradient $g$ and the slope $g^\top d$ there."""

    t: float
    f: float
    g: np.ndarray
    gtd: Any


def _cubic_minimum(a: _Point, b: _Point, bounds: tuple[float, float] | None = None) -> float:
    """The minimiser of the cubic through the values and slopes at ``a`` and ``b``, kept
    within ``bounds`` (the interval between them by default); their midpoint when the
    cubic has no minimum."""
    low, high = bounds if bounds is not None else (min(a.t, b.t), max(a.t, b.t))
    d1 = a.gtd + b.gtd - 3 * (a.f - b.f) / (a.t - b.t)
    square = d1**2 - a.gtd * b.gtd
    if square < 0:
        return (low + high) / 2.0
    d2 = np.sqrt(square)
    if a.t <= b.t:
        t = b.t - (b.t - a.t) * ((b.gtd + d2 - d1) / (b.gtd - a.gtd + 2 * d2))
    else:
        t = a.t - (a.t - b.t) * ((a.gtd + d2 - d1) / (a.gtd - b.gtd + 2 * d2))
    return min(max(t, low), high)


def strong_wolfe(
    evaluate: Callable[[float], tuple[float, np.ndarray]],
    t: float,
    d: np.ndarray,
    f: float,
    g: np.ndarray,
    gtd: Any,
    c1: float = 1e-4,
    c2: float = 0.9,
    tolerance_change: float = 1e-9,
    max_ls: int = 25,
) -> tuple[float, np.ndarray, float, int]:
    """Search from the step ``t`` along ``d``, where the loss is ``f``, the gradient ``g``
    and the slope ``gtd``; ``evaluate(t)`` gives the loss and gradient at step ``t``.
    Returns the loss, gradient and step found and how many evaluations it took (at most
    ``max_ls``)."""

    def probe(step: float) -> _Point:
        value, grad = evaluate(step)
        return _Point(step, value, grad, grad.dot(d))

    def sufficient_decrease(p: _Point) -> bool:
        return p.f <= f + c1 * p.t * gtd

    def curvature(p: _Point) -> bool:
        return abs(p.gtd) <= -c2 * gtd

    start = prev = _Point(0, f, g, gtd)
    new = probe(t)
    evals, done = 1, False
    bracket: list[_Point] = []
    while evals - 1 < max_ls:  # grow the step until [prev, new] brackets a good one
        if not sufficient_decrease(new) or (evals > 2 and new.f >= prev.f):
            bracket = [prev, new]
            break
        if curvature(new):
            bracket, done = [new], True
            break
        if new.gtd >= 0:
            bracket = [prev, new]
            break
        bounds = (new.t + 0.01 * (new.t - prev.t), new.t * 10)
        prev, new = new, probe(_cubic_minimum(prev, new, bounds))
        evals += 1
    if evals - 1 == max_ls:
        bracket = [start, new]
    low, high = (0, 1) if bracket[0].f <= bracket[-1].f else (1, 0)
    insufficient_progress = False
    while not done and evals - 1 < max_ls:  # zoom in on the bracket
        a, b = bracket
        if abs(b.t - a.t) * np.abs(d).max() < tolerance_change:
            break
        t = _cubic_minimum(a, b)
        top, bottom = max(a.t, b.t), min(a.t, b.t)
        eps = 0.1 * (top - bottom)
        if min(top - t, t - bottom) >= eps:
            insufficient_progress = False
        elif insufficient_progress or t >= top or t <= bottom:  # too near an end: move in
            t = top - eps if abs(t - top) < abs(t - bottom) else bottom + eps
            insufficient_progress = False
        else:
            insufficient_progress = True
        new = probe(t)
        evals += 1
        if not sufficient_decrease(new) or new.f >= bracket[low].f:
            bracket[high] = new
            low, high = (0, 1) if bracket[0].f <= bracket[1].f else (1, 0)
            continue
        if curvature(new):
            done = True
        elif new.gtd * (bracket[high].t - bracket[low].t) >= 0:
            bracket[high] = bracket[low]
        bracket[low] = new
    best = bracket[low]
    return best.f, best.g, best.t, evals
