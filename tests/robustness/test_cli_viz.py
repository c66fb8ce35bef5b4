"""Hostile options to both commands (``tinygrad-nn train`` and ``graph``): a one-line error
and exit status 2 before any work, never a traceback; a diverging run stops, says where, exits
1 and keeps the last good checkpoint. And hostile input to the drawing functions."""

from __future__ import annotations

import html
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt
from tinygrad_nn.cli import main
from tinygrad_nn.train import DivergenceError, TrainConfig, train
from tinygrad_nn.viz import draw_graph, render

from .conftest import refused

FAST = ["--epochs", "1", "--no-progress", "--no-plot"]


def usage_error(argv, capsys) -> str:
    """Run the command, expect exit status 2, return its one-line message."""
    with pytest.raises(SystemExit) as stop:
        status = main(argv)
        raise SystemExit(status)
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert "Traceback" not in "\n".join(err)
    return err[-1]


TRAIN_OPTIONS = [
    (["--lr", "inf"], "--lr must be a finite number"),
    (["--lr", "nan"], "--lr must be a finite number"),
    (["--lr", "1e300"], "--lr must be a finite number in (0, 10]"),
    (["--lr", "0"], "--lr"),
    (["--lr", "-1"], "--lr"),
    (["--momentum", "nan"], "--momentum"),
    (["--momentum", "1"], "--momentum"),
    (["--dropout", "inf"], "--dropout"),
    (["--dropout", "-0.5"], "--dropout"),
    (["--weight-decay", "nan"], "--weight-decay"),
    (["--weight-decay", "5"], "--weight-decay"),
    (["--seed", "-1"], "--seed must be >= 0"),
    (["--epochs", "0"], "--epochs must be >= 1"),
    (["--batch-size", "0"], "--batch-size must be >= 1"),
    (["--hidden", "0"], "--hidden must be >= 1"),
    (["--hidden", "-5"], "--hidden must be >= 1"),
    (["--hidden", "1000000000"], "parameters, more than"),
    (["--hidden", "20000", "20000"], "parameters, more than"),
    (["--activation", "softmax"], "invalid choice"),
    (["--model", "transformer"], "invalid choice"),
    (["--lr", "fast"], "invalid float value"),
    (["--epochs", "1.5"], "invalid int value"),
]


@pytest.mark.parametrize(
    "options, message", TRAIN_OPTIONS, ids=[" ".join(o) for o, _ in TRAIN_OPTIONS]
)
def test_train_refuses_bad_options_up_front(options, message, capsys, tmp_path):
    line = usage_error(["train", *FAST, *options, "--out", str(tmp_path / "run")], capsys)
    assert message in line
    assert not (tmp_path / "run" / "model.npz").exists()


@pytest.mark.parametrize(
    "where, message",
    [("file/sub", "Not a directory"), ("file", "File exists"), ("/proc/forbidden", "cannot write")],
)
def test_train_refuses_an_output_folder_it_cannot_write(where, message, capsys, tmp_path):
    (tmp_path / "file").write_text("x")
    out = where if where.startswith("/") else str(tmp_path / where)
    line = usage_error(["train", "--out", out, *FAST], capsys)
    assert "--out" in line and message in line


def _diverging(out) -> list[str]:
    return ["train", "--lr", "10", "--momentum", "0.99", "--weight-decay", "1", "--out", str(out)]


@pytest.mark.parametrize("model", ["mlp", "cnn"])
def test_diverging_training_stops_names_where_and_keeps_the_good_checkpoint(
    model, tmp_path, capsys
):
    good = tmp_path / "model.npz"
    tnn.save({"w": np.ones(3)}, good)
    before = good.read_bytes()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        assert main([*_diverging(tmp_path), "--model", model, "--no-progress", "--no-plot"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0]
    for part in ("diverged", "epoch 1, step", "lr=10", "Hint", "nothing was saved"):
        assert part in err[0]
    assert good.read_bytes() == before
    assert not (tmp_path / "metrics.json").exists()


def test_diverging_training_warns_first_that_the_loss_grows(tmp_path):
    config = TrainConfig(lr=10, momentum=0.99, weight_decay=1.0, out=str(tmp_path))
    config.progress = config.plot = False
    with pytest.warns(RuntimeWarning, match="the loss grew from"):
        with pytest.raises(DivergenceError, match="step"):
            train(config)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("lr", float("inf"), "lr must be a finite number"),
        ("epochs", 0, "epochs must be >= 1"),
        ("hidden", (), "at least one layer"),
        ("activation", "gelu", "activation must be one of"),
        ("batch_size", 2.5, "batch_size must be an integer"),
    ],
)
def test_train_function_refuses_bad_settings_naming_the_field(field, value, message, tmp_path):
    config = TrainConfig(out=str(tmp_path), progress=False, plot=False)
    setattr(config, field, value)
    with pytest.raises((ValueError, TypeError), match=message):
        train(config)


def test_console_script_prints_no_traceback():
    proc = subprocess.run(
        [sys.executable, "-m", "tinygrad_nn", "train", "--lr", "inf"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "--lr must be a finite number" in proc.stderr


GRAPH_OPTIONS = [  # tests/viz/test_cli.py has the expression errors it checks more tightly
    (["--expr", ""], "--expr is empty"),
    (["--expr", "   "], "--expr is empty"),
    (["--expr", "a", "--var", "a=1,,2"], "cannot read the value '1,,2'"),
    (["--expr", "a", "--var", "a=1,2,"], "cannot read the value"),
    (["--expr", "a", "--var", "a=inf"], "cannot read the value 'inf'"),
    (["--expr", "a", "--var", "a=nan"], "cannot read the value"),
    (["--expr", "a", "--var", "a=randn(100000,100000)"], "more than 1,000,000 numbers"),
    (["--expr", "a", "--var", "a=5000x5000"], "more than 1,000,000 numbers"),
    (["--expr", "a", "--var", "=1"], "NAME=VALUE"),
    (["--expr", "a.b"], "not allowed"),
    (["--expr", "open(a)"], "unknown function"),
    (["--expr", "a", "-o", "out.txt"], "use a .svg"),
    (["--seed", "-1"], "--seed must be >= 0"),
    (["--max-nodes", "0"], "--max-nodes must be >= 1"),
    (["--hidden", "1000000000"], "parameters, more than"),
    (["--hidden", "0"], "--hidden must be >= 1"),
    (["--batch-size", "0"], "--batch-size must be >= 1"),
    (["--dropout", "nan"], "--dropout"),
    (["--activation", "nope"], "--activation must be one of"),
]


@pytest.mark.parametrize(
    "options, message", GRAPH_OPTIONS, ids=[" ".join(o) for o, _ in GRAPH_OPTIONS]
)
def test_graph_refuses_bad_options(options, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = ["graph", *options] + ([] if "-o" in options else ["-o", "g.dot"])
    assert message in usage_error(argv, capsys)
    assert not (tmp_path / "g.dot").exists()


def test_graph_into_a_path_under_a_file(capsys, tmp_path):
    (tmp_path / "file").write_text("x")
    line = usage_error(["graph", "--expr", "a", "-o", str(tmp_path / "file" / "g.dot")], capsys)
    assert "is a file" in line


DRAWING = [
    (lambda p: render(tnn.ones(2), p / "file" / "g.dot"), NotADirectoryError, "is a file"),
    (lambda p: render(tnn.ones(2), p / "g.txt"), ValueError, "format"),
    (lambda p: render("not a graph", p / "g.dot"), TypeError, "Tensor or a Digraph"),
    (lambda p: render(draw_graph(tnn.ones(2)), p / "g.dot", title="x"), TypeError, "only apply"),
]


@pytest.mark.parametrize(
    "call, error, keyword", DRAWING, ids=["under-file", "suffix", "type", "options"]
)
def test_render_refuses_bad_input(tmp_path, call, error, keyword):
    (tmp_path / "file").write_text("x")
    refused(lambda: call(tmp_path), error, keyword)


@pytest.mark.parametrize("title", ["a\\G\\", "\\", "tab\\tnew\\nline", "<b>&amp;\\l"])
def test_titles_with_graphviz_escapes_are_drawn_as_written(title, tmp_path):
    tt.required_program("dot", install="apt-get install graphviz")
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    path = render((x * 2).sum(), tmp_path / "g.svg", title=title)
    assert html.escape(title, quote=False) in path.read_text()
