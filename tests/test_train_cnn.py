"""``tinygrad-nn train --model cnn``: the small CNN of the model registry trains in the
shared loop, writes the same outputs, and reaches 98.5% on the held-out digits."""

import json

import pytest

import tinygrad_nn as tnn
from tinygrad_nn.cli import main
from tinygrad_nn.train import (
    CNN_CONV_PARAMETERS,
    MODELS,
    TrainConfig,
    build_cnn,
    check_config,
    train,
)


def test_cnn_maps_rows_of_pixels_to_ten_logits():
    model = build_cnn((32,), "tanh", 0.1)
    assert model(tnn.randn(5, 64)).shape == (5, 10)
    n_params = sum(p.numel() for p in model.parameters())
    assert n_params == CNN_CONV_PARAMETERS + (512 + 1) * 32 + (32 + 1) * 10
    assert set(MODELS) >= {"mlp", "cnn"}


def test_unknown_model_is_refused_by_name():
    with pytest.raises(ValueError, match="model must be one of"):
        check_config(TrainConfig(model="rnn"))
    with pytest.raises(SystemExit) as exit_:
        main(["train", "--model", "rnn"])
    assert exit_.value.code == 2  # a usage error


def test_cli_trains_the_cnn_and_writes_the_usual_outputs(tmp_path, capsys):
    args = ["train", "--model", "cnn", "--epochs", "1", "--hidden", "16"]
    assert main([*args, "--out", str(tmp_path), "--no-progress"]) == 0
    assert "test accuracy" in capsys.readouterr().out
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["config"]["model"] == "cnn" and len(metrics["history"]) == 1
    assert (tmp_path / "model.npz").exists() and (tmp_path / "learning_curves.png").exists()
    assert "0.weight" not in tnn.load(tmp_path / "model.npz")  # Unflatten has no weights
    assert tnn.load(tmp_path / "model.npz")["1.weight"].shape == (16, 1, 3, 3)


@pytest.mark.slow
def test_cnn_reaches_98_5_percent_test_accuracy(tmp_path):
    metrics = train(TrainConfig(model="cnn", out=str(tmp_path), progress=False, plot=False))
    assert metrics["test_accuracy"] >= 0.985
