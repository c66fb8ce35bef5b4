r"""Spike encoders (snnTorch's ``spikegen``): turn data in $[0, 1]$ into spike trains of
shape ``(num_steps, *data.shape)``, time first.

* ``rate``: at each step a Bernoulli spike with probability $p = \text{clip}(g\,x + o, 0, 1)$,
  so the expected count over $T$ steps is $pT$ (rate coding).
* ``latency``: one spike per feature, earlier for larger values, at the time an RC circuit
  charged by $x$ reaches the threshold: $t = \tau \ln\frac{x}{x - \theta}$ (notes §2.1's
  $t^* = -\tau_m \ln(1 - 1/v_{in})$ with $v_{in} = x/\theta$), or $t = \tau(1 - x)$ when
  ``linear``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import checks
from ..random import resolve_generator
from ..tensor import Tensor, as_tensor, wrap

__all__ = ["latency", "rate"]


def rate(
    data: Any,
    num_steps: int,
    gain: float = 1,
    offset: float = 0,
    first_spike_time: int = 0,
    generator: np.random.Generator | int | None = None,
) -> Tensor:
    r"""Rate-coded spikes: ``out[t] ~ Bernoulli(gain * data + offset)`` independently for
    each step $t$ (steps before ``first_spike_time`` are silent). Draws from ``generator``, or
    the global generator that ``tnn.manual_seed`` seeds. The probabilities must lie in
    $[0, 1]$: snnTorch clips those outside (and fails on NaN), which hides unnormalised data,
    so they are refused here."""
    x = _data("rate", data)
    num_steps = checks.integer("rate: num_steps", num_steps, minimum=1)
    first_spike_time = _first_spike_time("rate", first_spike_time, num_steps)
    gain = checks.in_range("rate: gain", gain)
    offset = checks.in_range("rate: offset", offset)
    p = x if gain == 1 and offset == 0 else x * gain + offset
    _unit_interval("rate", "the spike probabilities gain * data + offset", p)
    gen = resolve_generator(generator, "rate")
    spikes = (gen.random((num_steps, *x.shape)) < p).astype(x.dtype)
    spikes[:first_spike_time] = 0
    return wrap(spikes)


def latency(
    data: Any,
    num_steps: int,
    threshold: float = 0.01,
    tau: float = 1,
    first_spike_time: int = 0,
    clip: bool = False,
    normalize: bool = False,
    linear: bool = False,
    epsilon: float = 1e-7,
) -> Tensor:
    r"""Latency-coded spikes, one per feature, at step $\text{round}(t)$ with
    $t = \tau \ln\frac{x}{x - \theta}$ ($x$ raised to at least $\theta + \epsilon$), or
    $t = \min(\tau(1 - x), \tau(1 - \theta))$ when ``linear``; plus ``first_spike_time``.
    ``normalize`` stretches the times to end at ``num_steps - 1`` (for ``linear``:
    $\tau = $ ``num_steps - 1 - first_spike_time``). ``clip`` drops the spikes of features
    below $\theta$. Values in ``data`` must lie in $[0, 1]$ (snnTorch's rules)."""
    x = _data("latency", data)
    num_steps = checks.integer("latency: num_steps", num_steps, minimum=1)
    _unit_interval("latency", "data", x)
    threshold = checks.in_range(
        "latency: threshold", threshold, 0, 1, open_low=True, open_high=True
    )
    tau = checks.positive("latency: tau", tau)
    epsilon = checks.positive("latency: epsilon", epsilon)
    first_spike_time = _first_spike_time("latency", first_spike_time, num_steps)
    if linear:
        if normalize:
            tau = num_steps - 1 - first_spike_time
        times = np.minimum(-tau * (x - 1), -tau * (threshold - 1)) + first_spike_time
    else:
        xc = np.maximum(x, threshold + epsilon)
        times = tau * np.log(xc / (xc - threshold)) + first_spike_time
        if normalize:
            shifted = times - first_spike_time
            times = shifted * (num_steps - first_spike_time - 1) / shifted.max()
            times = times + first_spike_time
    last = np.round(times.max()) if times.size else 0
    if last > num_steps - 1:
        raise ValueError(
            f"latency: the latest spike time ({int(last)}) is past num_steps - 1 "
            f"({num_steps - 1}); lower tau or pass normalize=True"
        )
    steps = np.round(np.minimum(times, num_steps - 1)).astype(np.int64)
    spikes = np.zeros((num_steps, *x.shape), dtype=x.dtype)
    np.put_along_axis(spikes, steps[None], 1, axis=0)
    if clip:
        spikes *= x >= threshold
    return wrap(spikes)


def _first_spike_time(owner: str, value: int, num_steps: int) -> int:
    value = checks.integer(f"{owner}: first_spike_time", value, minimum=0)
    if value > num_steps - 1:
        raise ValueError(f"{owner}: first_spike_time ({value}) must be < num_steps ({num_steps})")
    return value


def _unit_interval(owner: str, what: str, a: np.ndarray) -> None:
    """Raise unless every value of ``a`` lies in $[0, 1]$ (NaN included in the refusal)."""
    if not a.size:
        return
    low, high = a.min(), a.max()  # NaN propagates into both
    if not (low >= 0 and high <= 1):
        found = "NaN" if np.isnan(low) else f"values in [{low:g}, {high:g}]"
        raise ValueError(f"{owner}: {what} must lie in [0, 1], got {found} (normalise the data)")


def _data(owner: str, data: Any) -> np.ndarray:
    a = as_tensor(data)._data
    if a.dtype.kind != "f":
        raise TypeError(f"{owner}: data must be floating point, got {a.dtype}")
    return a
