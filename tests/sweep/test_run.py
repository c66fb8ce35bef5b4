"""sweep.run in this process (client="serial"): the table, the files, resume, failures,
interruption. The same on a Dask cluster is in test_cluster.py."""

import csv
import functools
import json
import math
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from tinygrad_nn import sweep
from tinygrad_nn.sweep.table import as_rows


def read_csv(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def test_each_trial_returns_a_row_of_settings_seed_and_metrics(trials, tmp_path):
    rows = as_rows(sweep.run(trials.fit, {"width": [2, 3]}, seeds=2, client="serial"))
    assert [(r["width"], r["seed"], r["status"]) for r in rows] == [
        (2, 0, "ok"), (2, 1, "ok"), (3, 0, "ok"), (3, 1, "ok")
    ]  # fmt: skip
    assert list(rows[0]) == ["trial", "status", "width", "seed", "loss", "draw", "seconds", "error"]
    assert rows[0]["trial"] == sweep.trial_id({"width": 2}, 0)


def test_a_trial_gets_its_random_state_from_its_seed_alone(trials):
    once = as_rows(sweep.run(trials.fit, {"width": [2]}, seeds=[5], client="serial"))
    many = as_rows(sweep.run(trials.fit, {"width": [3, 2]}, seeds=[1, 5], client="serial"))
    assert once[0]["loss"] == many[-1]["loss"] and once[0]["draw"] == many[-1]["draw"]
    assert many[0]["draw"] != many[1]["draw"]


def test_results_csv_and_summary_hold_every_finished_trial(trials, tmp_path):
    sweep.run(trials.fit, {"width": [2, 3], "lr": 0.1}, seeds=3, client="serial", out=tmp_path)
    rows = read_csv(tmp_path / "results.csv")
    assert len(rows) == 6 and {r["status"] for r in rows} == {"ok"}
    assert float(rows[0]["loss"]) > 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert (summary["trials"], summary["ok"], summary["failed"], summary["pending"]) == (6, 6, 0, 0)
    assert summary["swept"] == {"width": [2, 3]} and summary["fixed"] == {"lr": 0.1}
    group = summary["groups"][0]
    losses = [float(r["loss"]) for r in rows if r["width"] == "2"]
    assert group["width"] == 2 and group["n"] == 3
    assert group["loss_mean"] == pytest.approx(sum(losses) / 3, rel=1e-12)


def test_a_rerun_skips_finished_trials_and_runs_new_seeds(trials, tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    fn = functools.partial(trials.counted, calls=str(calls))
    first = as_rows(sweep.run(fn, {"width": [2, 3]}, seeds=2, client="serial", out=tmp_path))
    assert len(os.listdir(calls)) == 4
    again = as_rows(sweep.run(fn, {"width": [2, 3]}, seeds=3, client="serial", out=tmp_path))
    assert len(os.listdir(calls)) == 6  # only seed 2 ran
    assert [r for r in again if r["seed"] < 2] == first
    assert len(read_csv(tmp_path / "results.csv")) == 6


def test_a_failing_trial_is_recorded_and_the_others_run(trials, tmp_path):
    rows = as_rows(sweep.run(trials.fragile, {"width": [2, 3, 4]}, client="serial", out=tmp_path))
    assert [r["status"] for r in rows] == ["ok", "failed", "ok"]
    assert rows[1]["error"].startswith("ValueError: width 3 is not allowed (at ")
    assert rows[1]["loss"] is None or math.isnan(rows[1]["loss"])  # NaN in a DataFrame
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["failed"] == 1 and "width 3" in summary["failures"][0]["error"]


def test_a_failed_trial_runs_again_on_a_rerun(trials, tmp_path):
    sweep.run(trials.fragile, {"width": [3]}, client="serial", out=tmp_path)
    rows = as_rows(sweep.run(trials.fit, {"width": [3]}, client="serial", out=tmp_path))
    assert rows[0]["status"] == "ok" and len(read_csv(tmp_path / "results.csv")) == 1


@pytest.mark.parametrize(
    "result, message",
    [(0.5, "must return a dict"), ({"loss": "low"}, "'loss' is str"), ({"width": 1}, "clashes")],
)
def test_a_function_that_returns_no_numbers_fails_its_trials(result, message):
    rows = as_rows(sweep.run(lambda width, seed: result, {"width": [2]}, client="serial"))
    assert rows[0]["status"] == "failed" and message in rows[0]["error"]


def test_ctrl_c_leaves_a_valid_partial_table(trials, tmp_path):
    def interrupted(width, seed):
        if width == 4:
            raise KeyboardInterrupt
        return trials.fit(width, seed)

    with pytest.raises(KeyboardInterrupt):
        sweep.run(interrupted, {"width": [2, 3, 4, 5]}, client="serial", out=tmp_path)
    assert [r["width"] for r in read_csv(tmp_path / "results.csv")] == ["2", "3"]
    assert json.loads((tmp_path / "summary.json").read_text())["pending"] == 2
    assert sorted(os.listdir(tmp_path)) == ["results.csv", "summary.json"]  # no temporary files


SWEEP_SCRIPT = """
import sys, time
from tinygrad_nn import sweep

def slow(width, seed):
    time.sleep(0.002)
    return {"value": width * 1.5, "text_width": len(str(width))}

sweep.run(slow, {"width": list(range(20000))}, client="serial", out=sys.argv[1])
"""


def test_results_file_is_never_half_written_even_under_kill_9(tmp_path):
    """Kill a sweep with SIGKILL (no clean-up can run) at random moments: the table that is
    left always parses, every row complete, and a re-run goes on from there."""
    script = tmp_path / "sweep_script.py"
    script.write_text(textwrap.dedent(SWEEP_SCRIPT))
    out = tmp_path / "out"
    counts = [0]
    for delay in (0.0, 0.05, 0.13):
        proc = subprocess.Popen([sys.executable, str(script), str(out)])
        deadline = time.monotonic() + 120  # generous: the machine may be loaded
        while _rows_in(out / "results.csv") <= counts[-1] and time.monotonic() < deadline:
            time.sleep(0.01)  # until this run has saved a row of its own
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        text = (out / "results.csv").read_text()
        assert text.endswith("\n")
        rows = read_csv(out / "results.csv")
        assert all(None not in r.values() and r["status"] == "ok" for r in rows)
        assert all(float(r["value"]) == 1.5 * int(r["width"]) for r in rows)
        assert [int(r["width"]) for r in rows] == list(range(len(rows)))  # resumed, in order
        counts.append(len(rows))
    assert counts[0] < counts[1] < counts[2] < counts[3]


def _rows_in(path):
    try:
        return path.read_text().count("\n") - 1
    except FileNotFoundError:
        return 0


def test_without_dask_the_error_says_how_to_install_it(trials, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    with pytest.raises(ImportError, match=r"pip install 'tinygrad_nn\[sweep\]'"):
        sweep.run(trials.fit, {"width": [2]})
    rows = as_rows(sweep.run(trials.fit, {"width": [2]}, client="serial"))
    assert rows[0]["status"] == "ok"


def test_an_interrupted_save_leaves_the_previous_table(trials, tmp_path, monkeypatch):
    """Ctrl-C at the worst moment, just before the rename that publishes a new table."""
    replace, saves = os.replace, []

    def interrupted_replace(src, dst):
        saves.append(dst)
        if len(saves) >= 5:  # from the third trial's results.csv on (each saves csv and json)
            raise KeyboardInterrupt
        replace(src, dst)

    monkeypatch.setattr(os, "replace", interrupted_replace)
    with pytest.raises(KeyboardInterrupt):
        sweep.run(trials.fit, {"width": [2, 3, 4, 5]}, client="serial", out=tmp_path)
    assert [r["width"] for r in read_csv(tmp_path / "results.csv")] == ["2", "3"]
    assert sorted(os.listdir(tmp_path)) == ["results.csv", "summary.json"]
