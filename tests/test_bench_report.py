"""The sweep table of ``benchmarks/report.py``: the machine's ceiling beside the sweep's
speed-up, and "—" for a results file made before the ceiling was measured."""

import importlib.util
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "report.py"
SWEEP = {"trials": 16, "epochs": 600, "workers": 2, "sequential_s": 80.0, "sweep_s": 50.0}


@pytest.fixture(scope="module")
def report():
    spec = importlib.util.spec_from_file_location("bench_report", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sweep_table_shows_the_ceiling_and_the_sweeps_share_of_it(report):
    got = SWEEP | {"speedup": 1.25, "trial_alone_s": 5.0, "side_by_side_s": 6.4, "ceiling": 1.5625}
    row = report.sweep_table({"sweep_16": got}).splitlines()[-1]
    assert row.endswith("| **1.25×** | ≥ 1.80× | 5.0 s / 6.4 s | 1.56× | 80% |")


def test_sweep_table_without_a_ceiling_shows_dashes(report):
    row = report.sweep_table({"sweep_16": SWEEP | {"speedup": 1.6}}).splitlines()[-1]
    assert row.endswith("| **1.60×** | ≥ 1.80× | — | — | — |")
