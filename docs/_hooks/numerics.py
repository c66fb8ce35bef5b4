"""mkdocs hook: the limits and numbers of the page on errors and numerics, computed from the
library when the site is built.

``on_page_markdown`` replaces ``{{numerics.NAME}}`` in the pages with the value of ``NAME``
from ``numbers()``: the library's own constants (step limits, the training guard's bounds)
and what they mean, computed (forward Euler's decay over one time constant, the fastest gate
time constant of the Hodgkin–Huxley model, spike counts of short simulations). An unknown
name fails the build, so no limit on the page is typed by hand.
"""

from __future__ import annotations

import functools
import math
import re
import warnings

from mkdocs.exceptions import PluginError

TOKEN = re.compile(r"\{\{\s*numerics\.(\w+)\s*\}\}")


def _g(x: float) -> str:
    return f"{x:.3g}"


def _euler_table() -> str:
    """Forward Euler on a relaxation: the factor per step and the decay over one time
    constant, against the exact ``e^-1``."""
    from tinygrad_nn.neurons.solvers import EULER_LIMIT, EULER_WARNING

    rows = ["| dt / tau | factor per step 1 - dt/tau | decay over one tau | exact | verdict |"]
    rows.append("| --- | --- | --- | --- | --- |")
    for x in (0.05, 0.1, EULER_WARNING, 0.5, EULER_LIMIT, 1.5, 2.5):
        factor = 1.0 - x
        decay = math.copysign(abs(factor) ** (1.0 / x), factor) if factor else 0.0
        verdict = (
            "refused (overshoots)"
            if x > EULER_LIMIT
            else "warning (inaccurate)"
            if x > EULER_WARNING
            else "accepted"
        )
        rows.append(f"| {_g(x)} | {_g(factor)} | {_g(decay)} | {_g(math.exp(-1))} | {verdict} |")
    return "\n".join(rows)


def _hh_rows() -> tuple[str, str]:
    """The step limits of the Hodgkin–Huxley solvers at two temperatures, and the spike
    counts of a 100 ms run at 10 µA/cm² for a range of steps."""
    import numpy as np

    from tinygrad_nn.neurons import HodgkinHuxley
    from tinygrad_nn.neurons.hh import EXP_EULER_LIMIT, STEP_WARNING

    limits = [
        "| temperature | fastest gate tau (ms) | euler warns above | rk4 warns above "
        "| exp_euler warns above | exp_euler refused above |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for temperature in (6.3, 20.0):
        hh = HodgkinHuxley(temperature=temperature)
        tau = hh.fastest_time_constant
        cells = [f"{_g(STEP_WARNING[m] * tau)} ms" for m in ("euler", "rk4", "exp_euler")]
        limits.append(
            f"| {temperature:g} °C | {_g(tau)} | {' | '.join(cells)} "
            f"| {_g(EXP_EULER_LIMIT * tau)} ms |"
        )
    hh = HodgkinHuxley()
    counts = ["| dt (ms) | euler | rk4 | exp_euler |", "| --- | --- | --- | --- |"]
    for dt in (0.01, 0.05, 0.1, 0.2, 1.0):
        cells = []
        for method in ("euler", "rk4", "exp_euler"):
            with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
                warnings.simplefilter("always")
                try:
                    res = hh.simulate(10.0, 100.0, dt, method=method, record=False)
                    cell = f"{len(res.spike_times[0])} spikes"
                    cell += " (warning)" if caught else ""
                except FloatingPointError:
                    cell = "diverges: error"
                except ValueError:
                    cell = "refused"
            cells.append(cell)
        counts.append(f"| {dt:g} | {' | '.join(cells)} |")
    return "\n".join(limits), "\n".join(counts)


@functools.cache
def numbers() -> dict[str, str]:
    from tinygrad_nn import train
    from tinygrad_nn.neurons import LIF
    from tinygrad_nn.neurons.lif import MAX_SPIKES_PER_STEP
    from tinygrad_nn.neurons.solvers import EULER_LIMIT, EULER_WARNING
    from tinygrad_nn.viz.expr import MAX_VALUE_SIZE

    tau_m = LIF().tau_m
    hh_limits, hh_counts = _hh_rows()
    return {
        "max_lr": _g(train.MAX_LR),
        "max_parameters": f"{train.MAX_PARAMETERS:,}",
        "loss_growth": _g(train.LOSS_GROWTH_WARNING),
        "euler_limit": _g(EULER_LIMIT),
        "euler_warning": _g(EULER_WARNING),
        "euler_table": _euler_table(),
        "lif_tau_m_ms": _g(1000 * tau_m),
        "lif_euler_limit_ms": _g(1000 * tau_m * EULER_LIMIT),
        "lif_euler_warning_ms": _g(1000 * tau_m * EULER_WARNING),
        "max_spikes_per_step": str(MAX_SPIKES_PER_STEP),
        "hh_limits": hh_limits,
        "hh_counts": hh_counts,
        "max_value_size": f"{MAX_VALUE_SIZE:,}",
    }


def on_page_markdown(markdown, page, config, files):
    if not TOKEN.search(markdown):
        return markdown

    def number(m: re.Match) -> str:
        found = numbers()
        if m.group(1) not in found:
            raise PluginError(f"{page.file.src_uri}: no number {m.group(0)} (see {__file__})")
        return found[m.group(1)]

    return TOKEN.sub(number, markdown)
