"""The main job: it reaches the accuracy bar, writes its outputs, and its checkpoint
round-trips bit for bit."""

import json
from dataclasses import replace

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn.cli import main
from tinygrad_nn.train import MODELS, ModelSpec, TrainConfig, build_mlp, train


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    metrics = train(TrainConfig(epochs=12, out=str(out), progress=False))
    return out, metrics


def test_training_on_digits_reaches_96_percent_test_accuracy(run):
    _, metrics = run
    assert metrics["test_accuracy"] >= 0.96
    assert metrics["sizes"] == {"train": 1258, "val": 270, "test": 269}


def test_training_writes_checkpoint_curves_and_metrics(run):
    out, metrics = run
    saved = json.loads((out / "metrics.json").read_text())
    assert saved["test_accuracy"] == metrics["test_accuracy"]
    assert [h["epoch"] for h in saved["history"]] == list(range(1, 13))
    assert (out / "learning_curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_checkpoint_round_trips_bit_for_bit(run, tmp_path):
    out, _ = run
    model = build_mlp([64, 128, 10], dropout=0.1)
    model.load_state_dict(tnn.load(out / "model.npz"))
    tnn.save(model.state_dict(), tmp_path / "again.npz")
    first, second = tnn.load(out / "model.npz"), tnn.load(tmp_path / "again.npz")
    assert list(first) == list(second) == ["0.weight", "0.bias", "3.weight", "3.bias"]
    for k in first:
        assert first[k].dtype == second[k].dtype
        np.testing.assert_array_equal(first[k].numpy(), second[k].numpy())


def test_loaded_checkpoint_of_another_shape_is_refused(run):
    out, _ = run
    with pytest.raises(ValueError, match=r"0\.weight.*\(128, 64\).*\(32, 64\)"):
        build_mlp([64, 32, 10], dropout=0.1).load_state_dict(tnn.load(out / "model.npz"))


def test_cli_train_help_explains_every_option(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = capsys.readouterr().out
    for option in (
        "--hidden",
        "--activation",
        "--epochs",
        "--lr",
        "--momentum",
        "--dropout",
        "--weight-decay",
        "--seed",
        "--out",
    ):
        assert option in text


def test_cli_train_runs_and_reports(tmp_path, capsys):
    assert main(["train", "--epochs", "2", "--out", str(tmp_path), "--no-progress"]) == 0
    assert "test accuracy" in capsys.readouterr().out
    assert (tmp_path / "model.npz").exists()


def test_a_model_is_one_registry_entry(tmp_path, monkeypatch, capsys):
    def draw(model, dataset, path):
        path.write_bytes(f"{type(model).__name__} on {len(dataset)} digits".encode())

    spec = ModelSpec(lambda c: tnn.nn.Linear(64, 10), about="softmax regression")
    monkeypatch.setitem(MODELS, "linear", replace(spec, picture=("weights.txt", draw)))
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    assert "linear (softmax regression)" in " ".join(capsys.readouterr().out.split())
    args = ["train", "--model", "linear", "--epochs", "1", "--no-progress", "--out", str(tmp_path)]
    assert main(args) == 0
    assert "weights.txt" in capsys.readouterr().out
    assert (tmp_path / "weights.txt").read_text() == "Linear on 269 digits"
    assert list(tnn.load(tmp_path / "model.npz")) == ["weight", "bias"]
