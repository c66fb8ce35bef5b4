"""Write the tables of ``docs/benchmarks.md`` and of the README's speed section from the JSON
of one run of ``run.py`` (``make bench`` calls it after the run), so that no number is typed
by hand.

``python benchmarks/report.py [results.json]`` (default: the newest file in
``benchmarks/results``) replaces the text between the ``<!-- bench:... -->`` markers of
both files.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PAGE, README = ROOT / "docs" / "benchmarks.md", ROOT / "README.md"

WORKLOADS = {
    "mlp_small": "MLP 64-128-10, sigmoid, batch 32: one SGD step",
    "mlp_mnist": "MLP 784-256-128-10, ReLU, batch 128: one SGD step",
    "ops_2k": "2,000 element-wise ops on 16 elements, and backward: operands are leaves",
    "ops_2k_const": "the same, one operand of each op a constant tensor",
    "ops_2k_number": "the same, one operand of each op a Python number",
    "chain_100k": "a chain of 100,000 such ops, and backward: operands are leaves",
    "chain_100k_const": "the same, one operand of each op a constant tensor",
    "chain_100k_number": "the same, one operand of each op a Python number",
    "lenet": "LeNet-5 CNN, batch 64 of 28×28 images: one SGD step",
    "memory": "peak memory of 20 training steps of row 2 (MB)",
    "memory_lenet": "peak memory of training steps of the LeNet row (MB)",
    "lif_10k": "10,000 LIF neurons, 1 s at 1 ms",
    "hh_1k": "1,000 Hodgkin–Huxley neurons, 100 ms at 0.01 ms (RK4)",
    "recall_1k": "Hopfield recall, 1,000 neurons, 100 cues",
    "snn_epoch": "one training epoch of the digits SNN (64-128-10 LIF, 25 steps)",
}
PEERS = {"nengo": "Nengo", "brian2_numpy": "Brian2 (numpy)", "brian2_cython": "Brian2 (Cython)"}


def _md(head: list[str], rows: list[list[str]], left: int = 1) -> str:
    """A markdown table; the first ``left`` columns are text, the others right-aligned."""
    rule = "| --- " * left + "| ---: " * (len(head) - left) + "|"
    return "\n".join(
        ["| " + " | ".join(head) + " |", rule] + ["| " + " | ".join(r) + " |" for r in rows]
    )


def _number(value: float | None, row: str) -> str:
    if value is None:
        return "—"
    if row.startswith("memory"):
        return f"{value:.2f}"
    ms = value * 1e3
    return f"{ms:.3f}" if ms < 1 else f"{ms:.2f}" if ms < 100 else f"{ms:.0f}"


def _ratio(by_fw: dict, fw: str, bold: bool = False) -> str:
    if fw not in by_fw or "numpy" not in by_fw:
        return "—"
    text = f"{by_fw[fw] / by_fw['numpy']:.2f}×"
    return f"**{text}**" if bold else text


def results_table(run: dict, targets: dict[str, float], full: bool) -> str:
    """Medians (ms, or MB for memory) and ratios of one thread setting, one line a row."""
    torch = "torch" in run["versions"]
    head = ["row", "workload"] if full else ["row"]
    head += ["numpy", "tinygrad_nn"] + (["PyTorch"] if torch else [])
    head += ["tinygrad_nn / numpy"] + (["PyTorch / numpy"] if torch else [])
    head += ["target"] if full else []
    lines = []
    for row, by_fw in run["best"].items():
        cells = [f"`{row}`"] + ([WORKLOADS.get(row, row)] if full else [])
        cells += [_number(by_fw.get(fw), row) for fw in ("numpy", "tinygrad_nn")]
        cells += [_number(by_fw.get("torch"), row)] if torch else []
        cells += [_ratio(by_fw, "tinygrad_nn", bold=full)]
        cells += [_ratio(by_fw, "torch")] if torch else []
        if full:
            cells += [f"≤ {targets[row]:.2f}×" if row in targets else ""]
        lines.append(cells)
    return _md(head, lines, 2 if full else 1)


def peers_table(run: dict) -> str:
    """The neuron rows beside Nengo and Brian2: seconds and spike counts."""
    peers = run.get("peers", {})
    if not run.get("spikes"):
        return "Not in this run."
    if "note" in peers or not peers:
        return f"Peers: {peers.get('note', 'not run')}."
    names = [p for p in PEERS if any(p in peers.get(row, {}) for row in run["spikes"])]
    versions = peers.get("versions", {})
    head = ["workload", "tinygrad_nn"] + [PEERS[p] for p in names]
    lines = []
    for row, count in run["spikes"].items():
        ours = f"{run['best'][row]['tinygrad_nn']:.3f} s ({count:,} spikes)"
        cells = [WORKLOADS.get(row, row), ours]
        for p in names:
            got = peers.get(row, {}).get(p)
            cells.append(f"{got['seconds']:.3f} s ({got['spikes']:,} spikes)" if got else "—")
        lines.append(cells)
    note = ", ".join(f"{k} {v}" for k, v in versions.items())
    return _md(head, lines) + (f"\n\nPeer versions: {note}." if note else "")


def sweep_table(report: dict) -> str:
    """Row ``sweep_16``: the trials one after another against the sweep on a LocalCluster,
    and the machine's ceiling (one trial alone against one per worker side by side) with the
    sweep's share of it; "—" for a run made before the ceiling was measured."""
    got = report.get("sweep_16")
    if not got:
        return "Not in this run."
    head = ["trials", "workers", "one after another", "sweep (cluster start included)"]
    head += ["speed-up", "target", "one trial alone / side by side", "machine's ceiling"]
    cells = [f"{got['trials']} × {got['epochs']} epochs", str(got["workers"])]
    cells += [f"{got['sequential_s']:.1f} s", f"{got['sweep_s']:.1f} s"]
    cells += [f"**{got['speedup']:.2f}×**", "≥ 1.80×"]
    if "ceiling" in got:
        cells += [f"{got['trial_alone_s']:.1f} s / {got['side_by_side_s']:.1f} s"]
        cells += [f"{got['ceiling']:.2f}×", f"{got['speedup'] / got['ceiling']:.0%}"]
    else:
        cells += ["—", "—", "—"]
    return _md(head + ["sweep's share of it"], [cells])


def readme_table(run: dict) -> str:
    torch = "torch" in run["versions"]
    head = ["workload", "tinygrad_nn"] + (["PyTorch 2.13"] if torch else [])
    lines = []
    for row, by_fw in run["best"].items():
        if "numpy" in by_fw:
            cells = [WORKLOADS.get(row, row), _ratio(by_fw, "tinygrad_nn")]
            lines.append(cells + ([_ratio(by_fw, "torch")] if torch else []))
    return _md(head, lines)


def checks_sentence(run: dict) -> str:
    """The largest relative difference from the numpy baseline of each framework, from the
    run's checks (``"max rel. error 1.7e-07"`` per row and framework)."""
    worst: dict[str, tuple[float, str]] = {}
    for key, text in run.get("checks", {}).items():
        row, fw = key.rsplit("/", 1)
        value = float(text.split()[-1])
        worst[fw] = max(worst.get(fw, (-1.0, "")), (value, row))
    parts = [
        f"{value:.1e} for {'PyTorch' if fw == 'torch' else fw} (`{row}`)"
        for fw, (value, row) in sorted(worst.items())
    ]
    return "The largest relative difference in this run was " + " and ".join(parts) + "."


def _replace(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- bench:{name} -->\n)(?:.*?\n)?(<!-- /bench:{name} -->)", re.S)
    if not pattern.search(text):
        raise ValueError(f"report: no <!-- bench:{name} --> markers to write between")
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)


def write(report: dict, source: str) -> None:
    from run import TARGETS

    runs = report["runs"]
    one = runs.get("1") or next(iter(runs.values()))
    date = report["date"][:10]
    intro = f"From `{source}`: one run of `make bench` on {date}, {report['machine']['cpu']}."
    page = PAGE.read_text(encoding="utf-8")
    page = _replace(page, "intro", intro)
    page = _replace(page, "one-thread", results_table(one, TARGETS, full=True))
    page = _replace(page, "peers", peers_table(one))
    two = runs.get("2")
    page = _replace(page, "two-threads", results_table(two, TARGETS, False) if two else "Not run.")
    page = _replace(page, "sweep", sweep_table(report))
    page = _replace(page, "checks", checks_sentence(one))
    PAGE.write_text(page, encoding="utf-8")
    readme = _replace(README.read_text(encoding="utf-8"), "readme", readme_table(one))
    README.write_text(readme, encoding="utf-8")


def main() -> None:
    if sys.argv[1:]:
        path = Path(sys.argv[1]).resolve()
    else:
        path = max((HERE / "results").glob("*.json"), key=lambda p: p.stat().st_mtime)
    name = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    write(json.loads(path.read_text()), name)
    print(f"tables of {PAGE.relative_to(ROOT)} and {README.name} written from {path}")


if __name__ == "__main__":
    main()
