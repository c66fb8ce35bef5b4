"""``tinygrad-nn sweep CONFIG.toml``: train's options over a grid and seeds."""

import csv
import json

import pytest

from tinygrad_nn.cli import main
from tinygrad_nn.sweep.cli import read_config, train_argv

GRID_TOML = """
seeds = 2
out = "{out}"

[train]
epochs = 2
hidden = [8]
activation = "tanh"

[grid]
weight-decay = [0, 0.01]
batch_size = [16, 64]
"""


def test_a_grid_of_train_options_runs_and_is_written_and_plotted(tmp_path, capsys):
    config = tmp_path / "sweep.toml"
    config.write_text(GRID_TOML.format(out=tmp_path / "out"))
    assert main(["sweep", str(config), "--scheduler", "serial", "--no-progress"]) == 0
    out = tmp_path / "out"
    with open(out / "results.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 8 and {r["status"] for r in rows} == {"ok"}
    assert {(r["weight_decay"], r["batch_size"]) for r in rows} == {
        ("0", "16"), ("0", "64"), ("0.01", "16"), ("0.01", "64")
    }  # fmt: skip
    assert {r["hidden"] for r in rows} == {"[8]"} and {r["epochs"] for r in rows} == {"2"}
    metrics = json.loads((out / "trials" / rows[0]["trial"] / "metrics.json").read_text())
    assert metrics["config"]["hidden"] == [8] and metrics["config"]["activation"] == "tanh"
    assert float(rows[0]["test_accuracy"]) == metrics["test_accuracy"]
    assert float(rows[0]["val_loss"]) == metrics["history"][-1]["val_loss"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["swept"] == {"weight_decay": [0, 0.01], "batch_size": [16, 64]}
    assert {p.name for p in (out / "plots").iterdir()} >= {"test_accuracy.png", "val_loss.png"}
    assert "8 of 8 trials ok" in capsys.readouterr().out


def test_a_rerun_of_the_same_file_runs_nothing(tmp_path):
    config = tmp_path / "sweep.toml"
    config.write_text(GRID_TOML.format(out=tmp_path / "out"))
    main(["sweep", str(config), "--scheduler", "serial", "--no-progress", "--no-plot"])
    before = (tmp_path / "out" / "results.csv").read_text()
    stamps = {p: p.stat().st_mtime_ns for p in (tmp_path / "out" / "trials").rglob("*.json")}
    main(["sweep", str(config), "--scheduler", "serial", "--no-progress", "--no-plot"])
    assert (tmp_path / "out" / "results.csv").read_text() == before
    assert stamps == {p: p.stat().st_mtime_ns for p in stamps}


def test_an_unknown_train_option_fails_before_any_trial_runs(tmp_path, capsys):
    config = tmp_path / "sweep.toml"
    config.write_text(f'out = "{tmp_path}/out"\n[grid]\nwidht = [1, 2]\n')
    with pytest.raises(SystemExit):
        main(["sweep", str(config), "--scheduler", "serial"])
    assert "--widht" in capsys.readouterr().err
    assert not (tmp_path / "out" / "results.csv").exists()


@pytest.mark.parametrize("key", ["seed", "out", "no-plot"])
def test_options_the_sweep_sets_itself_are_refused(tmp_path, key):
    config = tmp_path / "sweep.toml"
    config.write_text(f"[grid]\n{key} = [1, 2]\n")
    with pytest.raises(ValueError, match="set by the sweep"):
        read_config(config)


def test_sample_draws_settings_from_ranges(tmp_path):
    config = tmp_path / "sweep.toml"
    config.write_text(
        "seeds = [3]\n[train]\nepochs = 1\n[sample]\nn = 4\nseed = 1\n"
        'lr = { loguniform = [0.001, 0.1] }\nactivation = ["relu", "tanh"]\n'
    )
    spec = read_config(config)
    assert spec["seeds"] == [3] and len(spec["grid"]) == 4
    assert all(0.001 <= c["lr"] < 0.1 and c["epochs"] == 1 for c in spec["grid"])
    assert spec["grid"] == read_config(config)["grid"]


def test_options_become_train_arguments():
    argv = train_argv({"hidden": [16, 8], "lr": 0.5, "no_plot": True, "flag": False})
    assert argv == ["--hidden", "16", "8", "--lr", "0.5", "--no-plot"]


def test_a_value_train_would_refuse_fails_before_any_trial_runs(tmp_path, capsys):
    config = tmp_path / "sweep.toml"
    config.write_text(f'out = "{tmp_path}/out"\n[grid]\ndropout = [0.5, 1.5]\n')
    with pytest.raises(SystemExit):
        main(["sweep", str(config), "--scheduler", "serial"])
    err = capsys.readouterr().err
    assert "--dropout" in err and "--dropout 1.5" in err
    assert not (tmp_path / "out" / "results.csv").exists()
