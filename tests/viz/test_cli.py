"""``tinygrad-nn graph`` and the safe expression parser behind ``--expr``."""

import argparse
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn.viz.cli import add_graph_parser, graph_command
from tinygrad_nn.viz.expr import evaluate, parse_value, variables


def run(*argv):
    parser = argparse.ArgumentParser(prog="tinygrad-nn")
    add_graph_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["graph", *argv])
    return args.run(args)


def test_graph_parser_runs_graph_command():
    parser = argparse.ArgumentParser()
    add_graph_parser(parser.add_subparsers(dest="command"))
    assert parser.parse_args(["graph"]).run is graph_command


def test_expression_to_dot_file(tmp_path, capsys, parse_dot):
    out = tmp_path / "expr.dot"
    assert (
        run(
            "--expr",
            "tanh(a*b + c)",
            "--var",
            "a=2",
            "--var",
            "b=-3",
            "--var",
            "c=10",
            "-o",
            str(out),
        )
        == 0
    )
    d = parse_dot(out.read_text())
    assert len(d.nodes) == 9 and len(d.edges) == 8
    assert "data 2 " in d.label_of(d.ids_with(" a ")[0])
    assert "tanh(a*b + c)" in d.label
    assert f"wrote {out} (9 nodes, 8 edges)" in capsys.readouterr().out


def test_expression_backward_view(tmp_path, parse_dot):
    out = tmp_path / "expr.dot"
    assert (
        run(
            "--expr",
            "sigmoid(W @ x + b)",
            "--var",
            "W=randn(2,3)",
            "--var",
            "x=randn(3)",
            "--var",
            "b=0.5,-1",
            "--backward",
            "-o",
            str(out),
        )
        == 0
    )
    d = parse_dot(out.read_text())
    assert "(2, 3) float32" in d.label_of(d.ids_with(" W ")[0])
    assert sum("dir=back" in e[2] for e in d.edges) == 8


def test_expression_to_svg(dot, tmp_path):
    out = tmp_path / "expr.svg"
    assert run("--expr", "relu(x) * 2", "-o", str(out)) == 0
    assert "<svg" in out.read_text()


def test_model_graph_is_the_main_jobs_mlp_and_loss(tmp_path, parse_dot):
    out = tmp_path / "mlp.dot"
    assert run("-o", str(out)) == 0
    d = parse_dot(out.read_text())
    assert "MLP 64-128-10" in d.label and "batch of 32 digits" in d.label
    assert "(128, 64) float32" in d.label_of(d.ids_with("0.weight")[0])
    assert "(32, 64) float32" in d.label_of(d.ids_with(" x ")[0])
    assert d.ids_with(" loss ") and "CrossEntropyLoss" in d.clusters


def test_model_graph_options(tmp_path, parse_dot):
    out = tmp_path / "mlp.dot"
    assert (
        run(
            "--hidden",
            "16",
            "8",
            "--dropout",
            "0",
            "--batch-size",
            "4",
            "--collapse",
            "-o",
            str(out),
        )
        == 0
    )
    d = parse_dot(out.read_text())
    assert "MLP 64-16-8-10" in d.label
    assert any("0: Linear" in d.label_of(n) for n in d.nodes)
    assert not d.ids_with("Dropout")


def test_main_command_line_has_graph(tmp_path):
    from tinygrad_nn.cli import main

    out = tmp_path / "e.dot"
    assert main(["graph", "--expr", "exp(x)", "-o", str(out)]) == 0
    assert out.exists()


def test_without_dot_the_command_explains_and_writes_nothing(no_dot, tmp_path, capsys):
    assert run("--expr", "a * b", "-o", str(tmp_path / "g.png")) == 1
    assert "apt-get install graphviz" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--expr", "__import__('os').system('true')"], "unknown function"),
        (["--expr", "a.data + 1"], "Attribute is not allowed"),
        (["--expr", "__import__('os')"], "unknown function '__import__'"),
        (["--expr", "a.data"], "Attribute is not allowed"),
        (["--expr", "a[0]"], "Subscript is not allowed"),
        (["--expr", "(lambda: 1)()"], "unknown function 'lambda: 1'"),
        (["--expr", "[a for a in b]"], "ListComp is not allowed"),
        (["--expr", "a if b else a"], "IfExp is not allowed"),
        (["--expr", "'text' * a"], "only numbers may be constants"),
        (["--expr", "sum(a, dim=0)"], "keyword arguments"),
        (["--expr", "1 + 2"], "no variables"),
        (["--expr", "a +"], "cannot parse"),
        (["--expr", "a", "--var", "b=1"], "not in the expression"),
        (["--expr", "a", "--var", "a"], "NAME=VALUE"),
        (["--expr", "a", "--var", "a=two"], "cannot read the value 'two'"),
        (["--expr", "a", "-o", "g.txt"], r"\.svg, \.png, \.pdf or \.dot"),
    ],
)
def test_bad_input_is_reported_not_run(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(*argv) == 2
    assert re.search(message, capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


def test_variables_in_order_of_use_without_function_names():
    assert variables("tanh(w * x + b) + exp(x)") == ["w", "x", "b"]


def test_parse_value_forms():
    rng = np.random.default_rng(0)
    assert parse_value("2.5", rng).shape == ()
    np.testing.assert_array_equal(parse_value("1,2,3", rng), [1, 2, 3])
    assert parse_value("randn(2, 3)", rng).shape == (2, 3) == parse_value("2x3", rng).shape


@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(0.1, 3))
def test_evaluate_matches_numpy(a, b, c):
    values = {k: tnn.tensor(v, dtype=tnn.float64) for k, v in dict(a=a, b=b, c=c).items()}
    got = evaluate("tanh(a*b + c) - -a / c ** 2 + +sigmoid(b)", values).item()
    sig = 1 / (1 + np.exp(-b))
    np.testing.assert_allclose(got, np.tanh(a * b + c) + a / c**2 + sig, rtol=1e-12)
