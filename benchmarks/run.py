"""Benchmark runner of issue 4: tinygrad_nn against hand-written numpy and PyTorch.

``python benchmarks/run.py`` (``make bench``) runs the grid once per thread setting (1 and 2
BLAS/OpenMP threads), each in its own subprocess, because the thread counts must be in the
environment before numpy is imported. Each row is timed for at least ``--min-seconds`` per
framework, in turns that alternate between the frameworks (``time_interleaved``); the
whole grid is repeated ``--rounds`` times and the faster median of each row is kept, since this
machine has spells of running at half speed. It prints a table of medians and ratios to the
numpy baseline and writes everything as JSON (``benchmarks/results/<date>.json`` or ``--out``).

Rows: (1) ``mlp_small`` 64-128-10 sigmoid MLP, batch 32; (2) ``mlp_mnist`` 784-256-128-10 ReLU,
batch 128 (both softmax cross-entropy and SGD with momentum 0.9, time per step); (3)
``ops_2k`` 2,000 element-wise ops on 16 elements and backward; (4) ``chain_100k`` the same
chain 100,000 ops long; rows 3 and 4 also with constant tensors (``_const``) and Python
numbers (``_number``) as operands (issue 13); (5) ``memory`` peak traced memory of 20 training
steps of row 2; (6) ``lif_10k``, ``hh_1k`` (``bench_neurons.py``), with Nengo and Brian2 as
peers in their own environment (``peers.py``, one thread only, ``--no-peers`` to skip), and
``recall_1k`` (``bench_hopfield.py``); (7)
``snn_epoch`` (``bench_snn.py``), one training epoch of the digits SNN against snnTorch on
PyTorch (when both are installed), its ratio printed below the table; (8) ``sweep_16``
(``bench_sweep.py``, once, not per thread setting): 16 trials of the digits job as a sweep on
a LocalCluster against one after another; (9) ``lenet`` (``lenet.py``) one training step of a
LeNet-style CNN, batch 64 of 28×28, against the numpy im2col LeNet of ``numpy_lenet.py``,
and ``memory_lenet`` its peak memory over 20 steps.

``--quick`` is a smoke run: one thread setting, one round, a fraction of a second a row, no
peers. ``report.py`` then writes the tables of docs/benchmarks.md and the README from the JSON.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# Overrides of OpenBLAS's kernel choice that a shell may carry: the benchmark runs the kernel
# OpenBLAS picks for this CPU, and reports it (threadpoolctl's "architecture").
BLAS_OVERRIDES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")

CHAIN_ROWS = tuple(
    f"{row}{form}" for row in ("ops_2k", "chain_100k") for form in ("", "_const", "_number")
)
TIMED_ROWS = ("mlp_small", "mlp_mnist", *CHAIN_ROWS, "lenet")
EXTRA_ROWS = ("lif_10k", "hh_1k", "recall_1k", "snn_epoch")
NEURON_ROWS = ("lif_10k", "hh_1k")  # with peer rows in Nengo and Brian2 (peers.py)
SWEEP_ROW = "sweep_16"  # runs its own worker processes: once, after the thread settings
ALL_ROWS = (*TIMED_ROWS, "memory", "memory_lenet", *EXTRA_ROWS, SWEEP_ROW)
# The targets of issue 13 (one thread): ratios to hand-written numpy.
TARGETS = {"mlp_small": 1.25, "mlp_mnist": 1.05, "memory": 1.25}
TARGETS.update({row: 3.0 if row.startswith("ops_2k") else 5.0 for row in CHAIN_ROWS})
#: rows measured against PyTorch's ecosystem instead of numpy: the ratio and target are tnn/torch
VERSUS_TORCH = {"snn_epoch": 1.0}  # snnTorch on PyTorch (bench_snn.py)
TARGETS.update({"lenet": 1.3, "memory_lenet": 1.5})  # issue 14
UNITS = {"memory": "MB", "memory_lenet": "MB"}  # every other row is milliseconds per unit of work


# -- the one timing helper (bench_neurons.py and bench_hopfield.py use it too) ----------------


@dataclass
class Timing:
    """Wall-clock seconds per call of a timed function."""

    median: float
    min: float
    runs: int  # samples taken
    number: int  # calls per sample
    times: list[float]  # seconds per call, one per sample


def time_it(
    fn: Callable[[], object],
    min_seconds: float = 2.0,
    min_repeats: int = 3,
    sample_seconds: float = 2e-3,
) -> Timing:
    """Time ``fn()`` for at least ``min_seconds`` and ``min_repeats`` samples, after one
    warm-up call. Each sample runs ``fn`` enough times (``number``) to last about
    ``sample_seconds``, so that the clock's resolution does not matter; per-call times are
    returned. The garbage collector stays on: it is part of what a user's loop pays."""
    t0 = time.perf_counter()
    fn()  # warm-up, and a first estimate of the cost of a call
    first = time.perf_counter() - t0
    number = max(1, int(sample_seconds / max(first, 1e-9)))
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < min_repeats or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    return Timing(statistics.median(times), min(times), len(times), number, times)


def time_interleaved(
    fns: dict[str, Callable[[], object]], min_seconds: float = 2.0, blocks: int = 5
) -> dict[str, float]:
    """The median seconds per call of each of ``fns``, timed in ``blocks`` turns that
    alternate between them (``time_it`` for ``min_seconds / blocks`` each). A ratio of two
    timings taken one after the other carries whatever the machine did in between (its
    speed drifts by several percent over seconds); alternating puts that drift into every
    function's samples alike."""
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(blocks):
        for name, fn in fns.items():
            samples[name] += time_it(fn, min_seconds / blocks).times
    return {name: statistics.median(times) for name, times in samples.items()}


# -- the worker: one thread setting, in its own process ----------------------------------------


def _blas_info() -> list[dict]:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return [{"note": "threadpoolctl not installed: kernel and thread count not verified"}]
    keys = ("user_api", "internal_api", "prefix", "version", "architecture", "num_threads")
    return [{k: lib.get(k) for k in keys} for lib in threadpool_info()]


def _verify(rows: list[str], frameworks: list[str]) -> dict[str, str]:
    """Check that each framework computes what the numpy baseline computes."""
    import numpy as np
    from workloads import result

    report = {}
    for row in rows:
        ref = result(row, "numpy")
        for fw in frameworks:
            if fw == "numpy":
                continue
            got = result(row, fw)
            worst = max(float(np.max(np.abs(a - b) / (np.abs(b) + 1e-3))) for a, b in zip(got, ref))
            if worst > 1e-3:
                raise AssertionError(f"{fw} disagrees with numpy on {row}: rel. error {worst:.2e}")
            report[f"{row}/{fw}"] = f"max rel. error {worst:.1e}"
    return report


def _extra_workloads() -> dict[str, Callable[[], object]]:
    from bench_hopfield import recall_1k
    from bench_neurons import hh_1k, lif_10k
    from bench_snn import tinygrad_nn_epoch

    return {
        "lif_10k": lif_10k,
        "hh_1k": hh_1k,
        "recall_1k": recall_1k,
        "snn_epoch": tinygrad_nn_epoch(),
    }


def _torch_workloads() -> dict[str, Callable[[], object]]:
    """The rows of VERSUS_TORCH whose reference library is installed."""
    if importlib.util.find_spec("snntorch") is None:
        return {}
    from bench_snn import snntorch_epoch

    return {"snn_epoch": snntorch_epoch()}


def worker(args: argparse.Namespace) -> dict:
    """Run the grid of ``args.frameworks`` at the thread count set in this process's
    environment."""
    import numpy as np

    threads = int(os.environ["OPENBLAS_NUM_THREADS"])
    frameworks = args.frameworks.split(",")
    versions = {"numpy": np.__version__, "python": platform.python_version()}
    if "torch" in frameworks:
        import torch

        torch.set_num_threads(threads)
        versions["torch"] = torch.__version__
        versus = _torch_workloads()
        rows = [r for r in args.rows if r in TIMED_ROWS or r in versus]
    else:
        versus = {}
        rows = list(args.rows)
    from memory import MEMORY_ROWS, peak_memory
    from workloads import build

    out: dict = {
        "threads": threads,
        "frameworks": frameworks,
        "blas": _blas_info(),
        "versions": versions,
        "checks": _verify([r for r in rows if r in TIMED_ROWS], frameworks),
        "rounds": [],
        "spikes": {},  # the spike count of each neuron row, beside the peers' (peers.py)
    }
    extra = _extra_workloads() if "tinygrad_nn" in frameworks else {}
    for _ in range(args.rounds):
        got: dict[str, dict[str, float]] = {}
        for row in rows:
            if row in TIMED_ROWS:
                got[row] = time_interleaved(
                    {fw: build(row, fw) for fw in frameworks}, args.min_seconds
                )
            elif row in MEMORY_ROWS:
                got[row] = {fw: peak_memory(fw, MEMORY_ROWS[row]) / 2**20 for fw in frameworks}
            elif row in versus:
                got[row] = {"torch": time_it(versus[row], args.min_seconds, 1).median}
            elif row in extra:
                got[row] = {"tinygrad_nn": time_it(extra[row], args.min_seconds, 1).median}
                if row in NEURON_ROWS and row not in out["spikes"]:
                    out["spikes"][row] = extra[row]()
            else:
                continue
            print(f"  [{threads} thread(s)] {row}: {got[row]}", file=sys.stderr, flush=True)
        out["rounds"].append(got)
    out["best"] = _best(out["rounds"])
    return out


def _best(rounds: list[dict]) -> dict:
    """The lower value of each (row, framework) over the rounds."""
    best: dict[str, dict[str, float]] = {}
    for got in rounds:
        for row, by_fw in got.items():
            for fw, v in by_fw.items():
                best.setdefault(row, {})
                best[row][fw] = min(v, best[row].get(fw, v))
    return best


# -- the parent: one subprocess per thread setting, then the table ------------------------------


def _machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "platform": platform.platform()}


def _run_worker(threads: int, frameworks: str, args: argparse.Namespace) -> dict:
    env = dict(os.environ)
    for var in THREAD_VARS:
        env[var] = str(threads)
    for var in BLAS_OVERRIDES:
        env.pop(var, None)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "--out", str(path)]
        cmd += ["--rows", ",".join(args.rows), "--rounds", str(args.rounds)]
        cmd += ["--min-seconds", str(args.min_seconds), "--frameworks", frameworks]
        subprocess.run(cmd, env=env, check=True, cwd=HERE)
        return json.loads(path.read_text())


def _peers(threads: int, args: argparse.Namespace) -> dict:
    """The neuron rows in Nengo and Brian2 (``peers.py``), in their own environment and
    process, with this setting's thread count."""
    from peers import peer_rows

    from tinygrad_nn.neurons import HodgkinHuxley

    for var in THREAD_VARS:
        os.environ[var] = str(threads)
    for var in BLAS_OVERRIDES:
        os.environ.pop(var, None)
    return peer_rows(args.rows, list(HodgkinHuxley().resting_state()), args.min_seconds)


def run_setting(threads: int, args: argparse.Namespace) -> dict:
    """numpy and tinygrad_nn in one process, PyTorch (when installed) in another: its
    ~150,000 Python objects would make every collection of the garbage collector slower
    in the tinygrad_nn rows (row 4 by about 20%). The peers of the neuron rows run with one
    thread only (that of the targets)."""
    run = _run_worker(threads, "numpy,tinygrad_nn", args)
    if threads == 1 and not args.no_peers and any(r in NEURON_ROWS for r in args.rows):
        run["peers"] = _peers(threads, args)
        print(f"  peers: {run['peers']}", file=sys.stderr, flush=True)
    if args.no_torch or importlib.util.find_spec("torch") is None:
        return run
    if not any(row in TIMED_ROWS or row in VERSUS_TORCH for row in args.rows):
        return run
    other = _run_worker(threads, "numpy,torch", args)
    run["versions"]["torch"] = other["versions"]["torch"]
    run["blas_torch_process"] = other["blas"]
    run["checks"].update({k: v for k, v in other["checks"].items() if "torch" in k})
    for row, by_fw in other["best"].items():
        run["best"].setdefault(row, {})["torch"] = by_fw["torch"]
        if "numpy" in by_fw:
            run["best"][row]["numpy_in_torch_process"] = by_fw["numpy"]
    run["rounds_torch_process"] = other["rounds"]
    return run


def _run_sweep(quick: bool) -> dict | None:
    """Row 7 in its own process (it sets its thread counts before importing numpy); None
    when Dask (the [sweep] extra) is not installed."""
    if importlib.util.find_spec("distributed") is None:
        print(f"{SWEEP_ROW}: skipped, Dask is not installed", file=sys.stderr)
        return None
    print(f"running {SWEEP_ROW}...", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sweep.json"
        cmd = [sys.executable, str(HERE / "bench_sweep.py"), "--out", str(path)]
        subprocess.run([*cmd, *(["--epochs", "20"] if quick else [])], check=True, cwd=HERE)
        return json.loads(path.read_text())


def _fmt(value: float | None, row: str) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" if row in UNITS else f"{value * 1e3:.3f}"


def table(run: dict) -> str:
    """The best medians of one thread setting with their ratios to numpy."""
    fws = ["numpy", "tinygrad_nn"] + (["torch"] if "torch" in run["versions"] else [])
    short = {"tinygrad_nn": "tnn", "torch": "torch"}
    head = f"{'row':18s}{'unit':>5s}" + "".join(f"{fw:>13s}" for fw in fws)
    head += "".join(f"{short[fw] + '/numpy':>13s}" for fw in fws[1:]) + f"{'target':>9s}"
    lines = [head, "-" * len(head)]
    for row, by_fw in run["best"].items():
        line = f"{row:18s}{UNITS.get(row, 'ms'):>5s}"
        line += "".join(f"{_fmt(by_fw.get(fw), row):>13s}" for fw in fws)
        for fw in fws[1:]:
            ratio = by_fw[fw] / by_fw["numpy"] if "numpy" in by_fw and fw in by_fw else None
            line += f"{ratio:>12.2f}×" if ratio else f"{'—':>13s}"
        target = TARGETS.get(row)
        line += f"{'≤' + format(target, '.2f') + '×':>9s}" if target else ""
        lines.append(line)
    for row, target in VERSUS_TORCH.items():
        by_fw = run["best"].get(row, {})
        if "tinygrad_nn" in by_fw and "torch" in by_fw:
            lines.append(
                f"{row}: tnn/torch {by_fw['tinygrad_nn'] / by_fw['torch']:.2f}× "
                f"(target ≤{target:.2f}×; torch column: snnTorch on PyTorch)"
            )
    blas = ", ".join(
        f"{b.get('internal_api')} {b.get('version')} {b.get('architecture') or ''}".strip()
        + f" ({b.get('num_threads')} threads)"
        for b in run["blas"]
        if "note" not in b
    )
    title = f"{run['threads']} thread(s); BLAS: {blas or run['blas'][0]['note']}"
    for row, count in run.get("spikes", {}).items():
        line = f"{row}: tinygrad_nn {run['best'][row]['tinygrad_nn']:.3f} s, {count} spikes"
        for peer, got in run.get("peers", {}).get(row, {}).items():
            line += f"; {peer} {got['seconds']:.3f} s, {got['spikes']} spikes"
        lines.append(line)
    if "note" in run.get("peers", {}):
        lines.append(run["peers"]["note"])
    return title + "\n" + "\n".join(lines)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="short smoke run")
    p.add_argument("--out", type=Path, help="JSON output (default benchmarks/results/<date>.json)")
    p.add_argument("--rows", default=",".join(ALL_ROWS), help="comma-separated rows to run")
    p.add_argument("--threads", default="1,2", help="thread settings, one subprocess each")
    p.add_argument("--rounds", type=int, default=2, help="repeats of the whole grid")
    p.add_argument("--min-seconds", type=float, default=2.0, help="time per row and variant")
    p.add_argument("--no-torch", action="store_true", help="leave PyTorch out even if installed")
    p.add_argument("--no-peers", action="store_true", help="leave Nengo and Brian2 out")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--frameworks", default="numpy,tinygrad_nn", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.rows = [r for r in args.rows.split(",") if r]
    unknown = set(args.rows) - set(ALL_ROWS)
    if unknown:
        p.error(f"unknown rows {sorted(unknown)}; choose from {', '.join(ALL_ROWS)}")
    if args.quick:
        args.threads, args.rounds, args.min_seconds, args.no_peers = "1", 1, 0.1, True
    return args


def main(argv: list[str] | None = None) -> None:
    args = _parse(argv)
    if args.worker:
        args.out.write_text(json.dumps(worker(args), indent=1))
        return
    started = datetime.datetime.now().astimezone()
    runs = {}
    for threads in [int(n) for n in args.threads.split(",")]:
        print(f"running with {threads} thread(s)...", file=sys.stderr, flush=True)
        runs[str(threads)] = run_setting(threads, args)
    report = {
        "date": started.isoformat(timespec="seconds"),
        "machine": _machine(),
        "settings": {"quick": args.quick, "rounds": args.rounds, "min_seconds": args.min_seconds},
        "runs": runs,
    }
    if SWEEP_ROW in args.rows:
        report[SWEEP_ROW] = _run_sweep(args.quick)
    print(f"\nmachine: {report['machine']['cpu']}, {report['machine']['nproc']} CPUs")
    print(f"versions: {next(iter(runs.values()))['versions']}")
    for run in runs.values():
        print("\n" + table(run))
    sweep = report.get(SWEEP_ROW)
    if sweep:
        print(
            f"\n{SWEEP_ROW}: {sweep['trials']} trials, {sweep['workers']} workers: sequential "
            f"{sweep['sequential_s']:.1f} s, sweep {sweep['sweep_s']:.1f} s, speed-up "
            f"{sweep['speedup']:.2f}× (target ≥ 1.80×); machine's ceiling {sweep['ceiling']:.2f}×"
        )
    out = args.out or HERE / "results" / f"{started:%Y-%m-%d}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    from tinygrad_nn.atomic import atomic_write

    text = (json.dumps(report, indent=1) + "\n").encode()
    atomic_write(out, lambda fh: fh.write(text))
    print(f"\nresults written to {out}")


if __name__ == "__main__":
    main()
