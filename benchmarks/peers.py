"""The neuron benchmarks (``bench_neurons.py``) in the simulators their users would otherwise
pick: Nengo 4.1 and Brian2 2.9, optional peer rows of ``make bench`` (issue 13).

The peers are not dependencies. They live in a virtual environment of their own,
``benchmarks/.peers-venv`` (Brian2 2.9 does not import with numpy 2.4, so it gets
``numpy==2.3.5``), made on demand by ``ensure_venv``; without it the rows are skipped with a
note. ``python peers.py --worker`` runs inside that environment and imports nothing of
tinygrad_nn: the parent passes it the inputs (the Hodgkin–Huxley resting state).

The models are the same as ours, and each row reports its spike count beside its time:
- ``lif_10k``: 10,000 LIF neurons (tau_m 20 ms, tau_ref 2 ms, threshold 1, reset 0, from
  v = 0) with constant inputs drawn uniformly in [0, 5] (seed 0), 1 s at dt = 1 ms. Nengo's
  LIF, like ours, places spikes and the end of the refractory period inside a step; Brian2
  checks the threshold at the end of each step and dates the spike to the step's start, so
  its periods are shorter by part of a step and it counts more spikes.
- ``hh_1k``: 1,000 Hodgkin–Huxley neurons (the standard modern parameters of
  ``tinygrad_nn.neurons.hh``) with currents linspace(0, 20) µA/cm², 100 ms at dt = 0.01 ms,
  RK4, from the resting state; a spike is an upward crossing of 0 mV.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".peers-venv"
REQUIREMENTS = ("numpy==2.3.5", "nengo==4.1.*", "brian2==2.9.*", "cython", "setuptools")
PEERS = {  # row -> the peers timed on it
    "lif_10k": ("nengo", "brian2_numpy", "brian2_cython"),
    "hh_1k": ("brian2_cython",),
}


# -- the parent: make the environment, run the worker -------------------------------------------


def _python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv() -> str | None:
    """Make the peers' environment if it is missing; None when ready, else why not."""
    if _python().exists():
        return None
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(_python()), "-m", "pip", "install", "-q", *REQUIREMENTS]
        subprocess.run(pip, check=True, stdout=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError) as err:
        return f"peers skipped: could not install {' '.join(REQUIREMENTS)} ({err})"
    return None


def peer_rows(rows: list[str], hh_state: list[float], min_seconds: float) -> dict:
    """``{row: {peer: {"seconds": s, "spikes": n}}}`` for the rows that have peers, or
    ``{"note": why}`` when the peers cannot run."""
    rows = [r for r in rows if r in PEERS]
    if not rows:
        return {}
    note = ensure_venv()
    if note:
        return {"note": note}
    cmd = [str(_python()), str(Path(__file__).resolve()), "--worker", "--rows", ",".join(rows)]
    cmd += [f"--hh-state={','.join(map(repr, hh_state))}", f"--min-seconds={min_seconds}"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=HERE, env=dict(os.environ))
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        return {"note": f"peers failed: {tail[0]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the worker: inside the peers' environment ----------------------------------------------------


def _lif_inputs():
    import numpy as np

    return np.random.default_rng(0).uniform(0.0, 5.0, 10_000)


def lif_nengo() -> int:
    import nengo
    import numpy as np

    v_in = _lif_inputs()
    n = len(v_in)
    with nengo.Network(seed=0) as net:
        lif = nengo.LIF(tau_rc=0.02, tau_ref=0.002, initial_state={"voltage": np.zeros(n)})
        ens = nengo.Ensemble(n, 1, neuron_type=lif, gain=np.ones(n), bias=v_in)
        probe = nengo.Probe(ens.neurons, "output")
    with nengo.Simulator(net, dt=0.001, progress_bar=False) as sim:
        sim.run(1.0)
    return int(round(sim.data[probe].sum() * sim.dt))


def lif_brian2(target: str) -> int:
    import brian2 as b2

    b2.prefs.codegen.target = target
    b2.start_scope()
    b2.defaultclock.dt = 1 * b2.ms
    inputs = _lif_inputs()
    group = b2.NeuronGroup(
        len(inputs),
        "dv/dt = (v_in - v) / tau : 1 (unless refractory)\nv_in : 1 (constant)",
        threshold="v > 1",
        reset="v = 0",
        refractory=2 * b2.ms,
        method="exact",
        namespace={"tau": 20 * b2.ms},
    )
    group.v_in = inputs
    spikes = b2.SpikeMonitor(group, record=False)
    b2.run(1 * b2.second)
    return int(spikes.num_spikes)


_HH = """
dv/dt = (I - g_na * m**3 * h * (v - e_na) - g_k * n**4 * (v - e_k) - g_l * (v - e_l)) / ms : 1
dm/dt = (1 / exprel(-(v + 40) / 10) * (1 - m) - 4 * exp(-(v + 65) / 18) * m) / ms : 1
dh/dt = (0.07 * exp(-(v + 65) / 20) * (1 - h) - h / (1 + exp(-(v + 35) / 10))) / ms : 1
dn/dt = (0.1 / exprel(-(v + 55) / 10) * (1 - n) - 0.125 * exp(-(v + 65) / 80) * n) / ms : 1
I : 1 (constant)
"""


def hh_brian2(state: list[float], target: str = "cython") -> int:
    """V in mV, t in ms, C = 1 µF/cm²: the equations of ``tinygrad_nn.neurons.hh``, with
    $\\alpha_m, \\alpha_n$ written with ``exprel`` (exact at their removable singularities)."""
    import brian2 as b2
    import numpy as np

    b2.prefs.codegen.target = target
    b2.start_scope()
    b2.defaultclock.dt = 0.01 * b2.ms
    constants = dict(g_na=120.0, g_k=36.0, g_l=0.3, e_na=50.0, e_k=-77.0, e_l=-54.387)
    group = b2.NeuronGroup(
        1_000, _HH, threshold="v > 0", refractory="v > 0", method="rk4", namespace=constants
    )
    group.I = np.linspace(0.0, 20.0, 1_000)
    group.v, group.m, group.h, group.n = state
    spikes = b2.SpikeMonitor(group, record=False)
    b2.run(100 * b2.ms)
    return int(spikes.num_spikes)


def _time(fn, min_seconds: float) -> tuple[float, int]:
    """The median seconds of calls of ``fn`` after one warm-up call (which compiles code),
    for at least ``min_seconds`` and one call; and the spike count it returned."""
    spikes = fn()
    times = []
    start = time.perf_counter()
    while not times or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        spikes = fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2], spikes


def worker(args: argparse.Namespace) -> dict:
    import warnings

    warnings.filterwarnings("ignore")
    state = [float(v) for v in args.hh_state.split(",")]
    runs = {
        ("lif_10k", "nengo"): lif_nengo,
        ("lif_10k", "brian2_numpy"): lambda: lif_brian2("numpy"),
        ("lif_10k", "brian2_cython"): lambda: lif_brian2("cython"),
        ("hh_1k", "brian2_cython"): lambda: hh_brian2(state),
    }
    import brian2
    import nengo

    out: dict = {"versions": {"nengo": nengo.__version__, "brian2": brian2.__version__}}
    for row in args.rows.split(","):
        for peer in PEERS[row]:
            seconds, spikes = _time(runs[(row, peer)], args.min_seconds)
            out.setdefault(row, {})[peer] = {"seconds": seconds, "spikes": spikes}
            print(f"  peers {row} {peer}: {seconds:.3f} s, {spikes} spikes", file=sys.stderr)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--worker", action="store_true", help="run the peers (in their venv)")
    p.add_argument("--rows", default="lif_10k,hh_1k")
    p.add_argument("--hh-state", help="V,m,h,n of the Hodgkin-Huxley resting state")
    p.add_argument("--min-seconds", type=float, default=2.0)
    args = p.parse_args()
    if not args.worker:
        p.error("run by run.py (make bench); --worker runs the peers in their environment")
    print(json.dumps(worker(args)))


if __name__ == "__main__":
    main()
