"""Benchmark row ``sweep_16`` (issue 16): a sweep of 16 trials of the digits job (``train``:
4 weight decays x 4 seeds) with ``tinygrad_nn.sweep.run`` on its default ``LocalCluster``
(one single-threaded worker process per core), against the same 16 trials one after another
in one process. Both use one BLAS thread per process (set here before numpy is imported),
so the speed-up comes from the worker processes alone. The sweep's time includes starting
and stopping the cluster (about 2 s here), so each trial must be long enough for 2 cores to
reach 1.8x: 600 epochs, about 5 s. ``--warm`` also times the sweep on a cluster already
running. The test accuracies of the runs must agree exactly (each trial's seed alone
decides them).

The row also measures the machine's ceiling for this workload: one trial alone in a fresh
process, and as many identical trials as workers started at once in fresh processes (one BLAS
thread each, no Dask). Trials side by side share the cores' caches and memory bandwidth, so
each takes longer than alone; ``workers * alone / side by side`` is the best speed-up any
scheduler could reach here, and the sweep's speed-up is to be read against it.

``python benchmarks/bench_sweep.py [--epochs 600] [--warm] [--out result.json]``; ``run.py``
runs it for the row ``sweep_16``.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import functools  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import tinygrad_nn as tnn  # noqa: E402
from tinygrad_nn.train import TrainConfig, train  # noqa: E402

GRID = {"weight_decay": [0.0, 1e-4, 1e-3, 1e-2]}
SEEDS = 4  # 16 trials


def digits_trial(weight_decay: float, seed: int, *, epochs: int, out: str) -> dict[str, float]:
    """One run of the digits job (the MLP of ``tinygrad-nn train``), quiet, no plot."""
    folder = str(Path(out) / f"{weight_decay}-{seed}")
    config = TrainConfig(epochs=epochs, weight_decay=weight_decay, seed=seed, out=folder)
    config.progress = config.plot = False
    return {"test_accuracy": train(config)["test_accuracy"]}


def _timed_trial(start, seconds, epochs: int, out: str) -> None:
    """In a child process: wait for the others at ``start``, run one trial, put its seconds."""
    start.wait(timeout=300)  # a sibling that died before it breaks the barrier: no hang
    begin = time.perf_counter()
    digits_trial(0.0, 0, epochs=epochs, out=out)
    seconds.put(time.perf_counter() - begin)


def trials_at_once(n: int, epochs: int, out: str) -> float:
    """Seconds until the last of ``n`` identical trials is done, started together (after a
    barrier, so imports are not timed) in ``n`` fresh processes with one BLAS thread each."""
    ctx = multiprocessing.get_context("spawn")
    start, seconds = ctx.Barrier(n), ctx.Queue()
    procs = [
        ctx.Process(target=_timed_trial, args=(start, seconds, epochs, f"{out}/{i}"))
        for i in range(n)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    if any(proc.exitcode for proc in procs):
        raise RuntimeError(f"a trial process failed: exit codes {[p.exitcode for p in procs]}")
    return max(seconds.get() for _ in procs)


def ceiling(n: int, epochs: int, out: str) -> dict[str, float]:
    r"""The machine's parallel ceiling for this workload: $n\,t_1 / t_n$, with $t_1$ one trial
    alone and $t_n$ the time of $n$ trials side by side, each in its own process."""
    alone = trials_at_once(1, epochs, f"{out}/alone")
    side_by_side = trials_at_once(n, epochs, f"{out}/side-by-side")
    return {
        "trial_alone_s": alone,
        "side_by_side_s": side_by_side,
        "ceiling": n * alone / side_by_side,
    }


def measure(epochs: int, warm: bool = False) -> dict:
    """Seconds for the 16 trials one after another and as a sweep with its own cluster (and,
    with ``warm``, as a sweep on a running cluster), and the machine's ``ceiling``; the
    accuracies must agree."""
    with tempfile.TemporaryDirectory() as tmp:
        fn = functools.partial(digits_trial, epochs=epochs, out=tmp)
        trials = tnn.sweep.plan(GRID, SEEDS)
        start = time.perf_counter()
        sequential = [fn(**t.config, seed=t.seed)["test_accuracy"] for t in trials]
        result = {"trials": len(trials), "epochs": epochs, "workers": os.cpu_count()}
        result["sequential_s"] = time.perf_counter() - start

        start = time.perf_counter()
        tables = [tnn.sweep.run(fn, GRID, seeds=SEEDS, out=Path(tmp) / "cold")]
        result["sweep_s"] = time.perf_counter() - start
        result["speedup"] = result["sequential_s"] / result["sweep_s"]
        if warm:
            with tnn.sweep.local_client() as client:
                client.wait_for_workers(os.cpu_count() or 1)
                start = time.perf_counter()
                tables.append(tnn.sweep.run(fn, GRID, seeds=SEEDS, client=client))
                result["sweep_warm_s"] = time.perf_counter() - start
            result["speedup_warm"] = result["sequential_s"] / result["sweep_warm_s"]
        result |= ceiling(result["workers"] or 1, epochs, tmp)
    for table in tables:
        got = [r["test_accuracy"] for r in tnn.sweep.table.as_rows(table)]
        if got != sequential:
            raise AssertionError(f"the sweep's accuracies differ from the sequential run: {got}")
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--epochs", type=int, default=600, help="epochs of each trial")
    p.add_argument("--warm", action="store_true", help="also time a sweep on a running cluster")
    p.add_argument("--out", type=Path, help="write the result as JSON here")
    args = p.parse_args()
    result = measure(args.epochs, args.warm)
    line = (
        f"sweep_16: {result['trials']} trials x {args.epochs} epochs on {result['workers']} "
        f"workers: sequential {result['sequential_s']:.1f} s, sweep {result['sweep_s']:.1f} s "
        f"(speed-up {result['speedup']:.2f}x); machine's ceiling {result['ceiling']:.2f}x "
        f"(one trial alone {result['trial_alone_s']:.1f} s, {result['workers']} side by side "
        f"{result['side_by_side_s']:.1f} s)"
    )
    if args.warm:
        line += f"; on a running cluster {result['speedup_warm']:.2f}x"
    print(line)
    if args.out:
        args.out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
