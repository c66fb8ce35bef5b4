"""``tinygrad-nn train --model snn``: the spiking network of the model registry (64-128-10 LIF
neurons, the digits rate-coded over 25 steps) trains in the shared loop, writes the usual
outputs plus a spike raster of the output layer, and reaches 95% on the held-out digits."""

import json

import pytest

import tinygrad_nn as tnn
from tinygrad_nn import snn
from tinygrad_nn.cli import main
from tinygrad_nn.train import MODELS, SNN_STEPS, TrainConfig, build_snn, check_config, train


def test_snn_maps_rows_of_pixels_to_a_spike_record_of_ten_neurons():
    model = build_snn([64, 32, 10], dropout=0.1)
    spikes = model(tnn.rand(5, 64))
    assert spikes.shape == (SNN_STEPS, 5, 10)
    assert set(spikes.numpy(force=True).ravel()) <= {0.0, 1.0}
    assert sum(isinstance(m, snn.Leaky) for m in model.modules()) == 2
    assert sum(p.numel() for p in model.parameters()) == (64 + 1) * 32 + (32 + 1) * 10
    assert "snn" in MODELS
    check_config(TrainConfig(model="snn"))


def test_cli_trains_the_snn_and_writes_a_spike_raster(tmp_path, capsys):
    args = ["train", "--model", "snn", "--epochs", "1", "--hidden", "32", "--no-progress"]
    assert main([*args, "--out", str(tmp_path)]) == 0
    assert "spike_raster.png" in capsys.readouterr().out
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["config"]["model"] == "snn" and len(metrics["history"]) == 1
    assert metrics["test_accuracy"] > 0.5  # one epoch of a small network, far above chance
    for name in ("model.npz", "learning_curves.png", "spike_raster.png"):
        assert (tmp_path / name).stat().st_size > 0
    assert tnn.load(tmp_path / "model.npz")["net.0.weight"].shape == (32, 64)


@pytest.mark.slow
def test_snn_reaches_95_percent_test_accuracy(tmp_path):
    config = TrainConfig(model="snn", out=str(tmp_path), progress=False, plot=False)
    assert train(config)["test_accuracy"] >= 0.95
