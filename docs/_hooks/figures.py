"""mkdocs hook: the numbers and pictures of the guide come from runs made by this build.

``on_files`` runs, in a temporary folder, what a reader would run:

- ``tinygrad-nn train`` with the defaults (the job of ``make demo``): its printed lines, its
  ``metrics.json`` and its ``learning_curves.png`` (as ``img/learning_curves.png``);
- ``tinygrad-nn graph`` for the job's MLP, forward (``img/graph_mlp.svg``) and backward
  (``img/graph_mlp_backward.svg``), and for one tanh neuron, backward
  (``img/graph_neuron_backward.svg``).

It also draws ``img/benchmark_ratios.svg``, the ratios of the newest ``make bench`` result in
``benchmarks/results/`` (one thread), with the targets of ``benchmarks/run.py``.

``on_page_markdown`` then replaces ``{{run.NAME}}`` in the pages with the run's numbers (the
names are the keys of ``NUMBERS``); an unknown name fails the build. Nothing in the pages
quotes a number of that run by hand, so the docs cannot drift from what a fresh clone gets.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

TOKEN = re.compile(r"\{\{\s*run\.(\w+)\s*\}\}")
GRAPHS = {
    "graph_mlp.svg": [],
    "graph_mlp_backward.svg": ["--backward"],
    "graph_neuron_backward.svg": [
        *("--expr", "tanh(x1*w1 + x2*w2 + b)", "--backward"),
        *("--var", "x1=2", "--var", "x2=0", "--var", "w1=-3", "--var", "w2=1"),
        *("--var", "b=6.8814"),
    ],
}
_run: dict = {}


def _cli(*args: str, cwd: Path) -> str:
    env = dict(os.environ, TQDM_DISABLE="1", MPLBACKEND="Agg")
    done = subprocess.run(
        [sys.executable, "-m", "tinygrad_nn", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise PluginError(f"tinygrad-nn {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def _numbers(metrics: dict, printed: str) -> dict[str, str]:
    last = metrics["history"][-1]
    lines = printed.strip().splitlines()
    return {
        "printed": "\n".join([lines[0], "...", *lines[-3:]]),  # first epoch ... the end
        "test_accuracy": f"{100 * metrics['test_accuracy']:.1f}%",
        "test_size": str(metrics["sizes"]["test"]),
        "train_seconds": f"{metrics['train_seconds']:.1f} s",
        "train_accuracy": f"{100 * last['train_accuracy']:.1f}%",
        "val_accuracy": f"{100 * last['val_accuracy']:.1f}%",
        "train_loss": f"{last['train_loss']:.3f}",
        "val_loss": f"{last['val_loss']:.3f}",
        "first_loss": f"{metrics['history'][0]['train_loss']:.1f}",
        "epochs": str(len(metrics["history"])),
        "stamp": f"made by the docs build of {date.today():%d %B %Y}",
    }


def _benchmark_chart(root: Path) -> tuple[bytes, str]:
    """A bar chart of the one-thread ratios to numpy of the newest result, and its file name."""
    from matplotlib.figure import Figure

    spec = importlib.util.spec_from_file_location("bench_run", root / "benchmarks" / "run.py")
    run = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # for its dataclasses
    spec.loader.exec_module(run)
    results = sorted((root / "benchmarks" / "results").glob("[0-9]*.json"))
    if not results:
        raise PluginError("no benchmarks/results/<date>.json for the benchmarks chart")
    best = json.loads(results[-1].read_text())["runs"]["1"]["best"]
    rows = [r for r in run.ALL_ROWS if "numpy" in best.get(r, {})]
    fig = Figure(figsize=(7.5, 0.55 * len(rows) + 1.4))
    ax = fig.subplots()
    height = 0.38
    for k, (key, label) in enumerate((("tinygrad_nn", "tinygrad_nn"), ("torch", "PyTorch"))):
        ratios = [best[r].get(key, float("nan")) / best[r]["numpy"] for r in rows]
        y = [i + (k - 0.5) * height for i in range(len(rows))]
        bars = ax.barh(y, ratios, height, label=f"{label} / numpy", color=f"C{k}")
        labels = [f"{v:.2f}×" if v == v else "" for v in ratios]  # v != v: NaN, no such run
        ax.bar_label(bars, labels, label_type="center", color="white", fontsize=8)
    targets = [(run.TARGETS[r], i - height / 2) for i, r in enumerate(rows) if r in run.TARGETS]
    ax.scatter(
        *zip(*targets),
        marker="|",
        s=120,
        linewidths=2,
        color="black",
        zorder=3,
        label="target for tinygrad_nn",
    )
    ax.axvline(1, color="gray", lw=0.8, ls=":")
    ax.set_yticks(range(len(rows)), [f"{i + 1}  {r}" for i, r in enumerate(rows)])
    ax.invert_yaxis()
    ax.set_xlabel(
        "time (memory rows: peak memory) as a multiple of hand-written numpy's\n"
        f"lower is better; one thread, {results[-1].name}"
    )
    ax.legend(fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.01), ncol=3, frameon=False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="svg")
    return out.getvalue(), "benchmark_ratios.svg"


def on_files(files, config):
    with tempfile.TemporaryDirectory(prefix="tinygrad_nn_docs_run_") as tmp:
        folder = Path(tmp)
        printed = _cli("train", "--out", "run", cwd=folder)
        metrics = json.loads((folder / "run" / "metrics.json").read_text())
        _run.update(_numbers(metrics, printed))
        pictures = {"learning_curves.png": (folder / "run" / "learning_curves.png").read_bytes()}
        for name, args in GRAPHS.items():
            _cli("graph", *args, "-o", name, cwd=folder)
            pictures[name] = (folder / name).read_bytes()
    chart, name = _benchmark_chart(Path(config.docs_dir).resolve().parent)
    pictures[name] = chart
    for name, content in pictures.items():
        files.append(File.generated(config, f"img/{name}", content=content))
    return files


def on_page_markdown(markdown, page, config, files):
    def number(m: re.Match) -> str:
        if m.group(1) not in _run:
            raise PluginError(f"{page.file.src_uri}: no number {m.group(0)} (see {__file__})")
        return _run[m.group(1)]

    return TOKEN.sub(number, markdown)
