"""``tinygrad-nn sweep CONFIG.toml``: run ``tinygrad-nn train`` for every combination of the
options in the file's ``[grid]`` (or for random draws, ``[sample]``) and every seed, on Dask.

Any option of ``tinygrad-nn train`` can be swept or fixed, by its name without the dashes
(``weight-decay`` or ``weight_decay``). Each trial runs the train command itself, so options
added to it later work here too. Writes ``results.csv``, ``summary.json``, ``plots/<metric>.png``
and each trial's ``trials/<id>/`` (model and metrics) to the output folder.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .space import loguniform, randint, sample, trial_id, uniform

EXAMPLE = """example CONFIG.toml:
  seeds = 5                      # a count (seeds 0-4) or a list of seeds
  out = "runs/decay-dropout"     # default: runs/sweep-<name of the file>

  [train]                        # fixed options of tinygrad-nn train
  epochs = 20
  hidden = [128]

  [grid]                         # every combination of these, for every seed
  weight-decay = [0, 1e-4, 1e-3, 1e-2]
  dropout = [0.0, 0.2, 0.5]

or, instead of [grid], random draws:
  [sample]
  n = 20                         # how many settings
  lr = { loguniform = [1e-3, 0.3] }
  dropout = { uniform = [0.0, 0.5] }
  activation = ["relu", "tanh"]  # a list: one of these
"""
TOP_LEVEL = {"seeds", "out", "scheduler", "workers", "train", "grid", "sample"}
SET_BY_SWEEP = {"seed": "seeds = ...", "out": "out = ...", "no_progress": "", "no_plot": ""}
DISTRIBUTIONS = {"uniform": uniform, "loguniform": loguniform, "randint": randint}


def _toml(path: Path) -> dict[str, Any]:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib
        except ImportError:
            raise ImportError(
                "reading the sweep's TOML file on Python 3.10 needs tomli: "
                "pip install 'tinygrad_nn[sweep]'"
            ) from None
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _option(name: str) -> str:
    """A train option's name as in the table: ``--weight-decay`` -> ``weight_decay``."""
    key = name.lstrip("-").replace("-", "_")
    if key in SET_BY_SWEEP:
        hint = SET_BY_SWEEP[key]
        raise ValueError(
            f"sweep config: {name!r} is set by the sweep for each trial"
            + (f"; write {hint!r} at the top of the file" if hint else "")
        )
    return key


def _draw_spec(key: str, value: Any) -> Any:
    """A [sample] entry: ``{uniform = [a, b]}`` and friends, a list, or a fixed value."""
    if not isinstance(value, dict):
        return value
    if len(value) != 1 or next(iter(value)) not in DISTRIBUTIONS:
        raise ValueError(
            f"sweep config: [sample] {key} must be a list, a value, or one of "
            f"{{ {' | '.join(DISTRIBUTIONS)} = [low, high] }}, got {value!r}"
        )
    kind, bounds = next(iter(value.items()))
    return DISTRIBUTIONS[kind](*bounds)


def read_config(path: str | Path) -> dict[str, Any]:
    """The sweep described by a TOML file: ``grid`` (a dict of lists, the fixed train options
    as one-value lists, or a list of settings drawn from ``[sample]``), ``seeds``, ``out``,
    ``scheduler`` and ``workers``."""
    path = Path(path)
    spec = _toml(path)
    unknown = set(spec) - TOP_LEVEL
    if unknown:
        raise ValueError(f"sweep config {path}: unknown keys {sorted(unknown)}; use {TOP_LEVEL}")
    if ("grid" in spec) == ("sample" in spec):
        raise ValueError(f"sweep config {path}: give exactly one of [grid] and [sample]")
    fixed = {_option(k): v for k, v in spec.get("train", {}).items()}
    grid: Any
    if "grid" in spec:
        swept = {_option(k): v for k, v in spec["grid"].items()}
        for key, values in swept.items():
            if not isinstance(values, list) or not values:
                raise ValueError(f"sweep config: [grid] {key} must be a non-empty list")
        grid = {**{k: [v] for k, v in fixed.items()}, **swept}
    else:
        draws = dict(spec["sample"])
        n, seed = draws.pop("n", None), draws.pop("seed", 0)
        if n is None:
            raise ValueError("sweep config: [sample] needs n, the number of settings to draw")
        space = {_option(k): _draw_spec(k, v) for k, v in draws.items()}
        grid = [{**fixed, **c} for c in sample(space, n, seed=seed)]
    return {
        "grid": grid,
        "seeds": spec.get("seeds", 1),
        "out": spec.get("out", str(Path("runs") / f"sweep-{path.stem}")),
        "scheduler": spec.get("scheduler"),
        "workers": spec.get("workers"),
    }


def train_argv(options: dict[str, Any]) -> list[str]:
    """``tinygrad-nn train`` arguments for the options: ``true`` is a bare flag, ``false``
    leaves it out, a list gives several values (``--hidden 128 64``)."""
    argv = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            argv.append(flag)
        elif isinstance(value, list):
            argv += [flag, *map(str, value)]
        elif value is not False:
            argv += [flag, str(value)]
    return argv


def _train_parser() -> argparse.ArgumentParser:
    from .. import cli

    parser = argparse.ArgumentParser(prog="tinygrad-nn")
    cli._add_train_parser(parser.add_subparsers(dest="command"))
    return parser


def _check(grid: Any) -> None:
    """Parse every trial's train command, and check its settings with the train job's own
    ``check_config``, before any trial runs: a typo fails now, not in a worker."""
    from ..train import TrainConfig, check_config
    from .space import plan

    parser = _train_parser()
    fields = set(TrainConfig.__dataclass_fields__)
    for config in {json.dumps(t.config, sort_keys=True): t.config for t in plan(grid, 1)}.values():
        argv = ["train", *train_argv(config)]
        try:
            args = parser.parse_args(argv)
            settings = {k: v for k, v in vars(args).items() if k in fields}
            try:
                check_config(TrainConfig(**settings), spell=lambda f: "--" + f.replace("_", "-"))
            except (TypeError, ValueError) as err:
                args.parser.error(str(err))
        except SystemExit:
            print(f"in the sweep's trial: tinygrad-nn {' '.join(argv)}", file=sys.stderr)
            raise


def _numbers(metrics: dict[str, Any]) -> dict[str, float]:
    """The train job's scalar results and the last epoch's losses and accuracies."""
    last = (metrics.get("history") or [{}])[-1]
    found = {**metrics, **{k: v for k, v in last.items() if k != "epoch"}}
    return {k: v for k, v in found.items() if isinstance(v, (int, float)) and k != "seed"}


@dataclass(frozen=True)
class TrainTrial:
    """One trial of a train sweep: ``tinygrad-nn train`` with the trial's options and seed,
    its outputs in ``root/<trial id>/``; returns the numbers of its ``metrics.json``."""

    root: str

    def __call__(self, *, seed: int, **options: Any) -> dict[str, float]:
        """Run the train command for these options and seed, return its metrics."""
        from ..cli import main

        folder = Path(self.root) / trial_id(options, seed)
        argv = ["train", *train_argv(options), "--seed", str(seed), "--out", str(folder)]
        stderr = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr):
            try:
                status = main([*argv, "--no-progress", "--no-plot"])
            except SystemExit as stop:  # a usage error
                status = stop.code
        if status:  # e.g. the loss diverged: the train command's own message
            message = stderr.getvalue().strip().splitlines() or [f"exit status {status}"]
            raise RuntimeError(message[-1])
        return _numbers(json.loads((folder / "metrics.json").read_text()))


def add_sweep_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``sweep`` command to an ``argparse`` subparsers object."""
    p = subparsers.add_parser(
        "sweep",
        help="run train for every setting of a grid and every seed, in parallel (Dask)",
        description=__doc__,
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("config", type=Path, help="the sweep's TOML file")
    p.add_argument(
        "--scheduler",
        help="a running Dask scheduler (tcp://host:8786), or 'serial' for one trial after "
        "another in this process; default: $DASK_SCHEDULER_ADDRESS, else a local cluster",
    )
    p.add_argument(
        "--workers", type=int, help="worker processes of the local cluster (one per core)"
    )
    p.add_argument("--out", help="output folder (overrides the file's out)")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.add_argument("--no-plot", action="store_true", help="draw no plots")
    p.set_defaults(run=sweep_command)
    return p


def sweep_command(args: argparse.Namespace) -> int:
    """Run the sweep of ``args.config``; 130 when interrupted (the table stays valid)."""
    from .plot import plot_sweep
    from .runner import local_client, run

    spec = read_config(args.config)
    out = Path(args.out or spec["out"]).resolve()
    scheduler = args.scheduler or spec["scheduler"]
    workers = args.workers or spec["workers"]
    _check(spec["grid"])
    with contextlib.ExitStack() as stack:
        if scheduler is None and workers:
            scheduler = stack.enter_context(local_client(workers))
        try:
            table = run(
                TrainTrial(str(out / "trials")),
                spec["grid"],
                seeds=spec["seeds"],
                client=scheduler,
                out=out,
                progress=not args.no_progress,
            )
        except KeyboardInterrupt:
            print(f"\ninterrupted: finished trials are in {out / 'results.csv'}; run the same "
                  "command again to resume", file=sys.stderr)  # fmt: skip
            return 130
    _report(out, plots=[] if args.no_plot else plot_sweep(table, out / "plots"))
    return 0


def _report(out: Path, plots: list[Path]) -> None:
    summary = json.loads((out / "summary.json").read_text())
    print(f"{summary['ok']} of {summary['trials']} trials ok, {summary['failed']} failed")
    for failure in summary["failures"][:5]:
        print(f"  failed {failure['trial']} (seed {failure['seed']}): {failure['error']}")
    metric = "test_accuracy" if "test_accuracy" in summary["metrics"] else None
    if metric and summary["groups"]:
        swept = list(summary["swept"]) or list(summary["fixed"])[:1]
        best = sorted(summary["groups"], key=lambda g: -(g[f"{metric}_mean"] or 0))[:5]
        print(f"best settings by mean {metric} over the seeds:")
        for g in best:
            settings = ", ".join(f"{k}={g[k]}" for k in swept)
            std = g[f"{metric}_std"]
            spread = f" ± {100 * std:.2f}" if std is not None else ""
            print(f"  {settings}: {100 * g[f'{metric}_mean']:.2f}{spread} % (n={g['n']})")
    written = [out / "results.csv", out / "summary.json", *plots]
    print("wrote " + ", ".join(str(p) for p in written[:3]) + (" ..." if len(written) > 3 else ""))
