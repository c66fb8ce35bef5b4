"""Rendering with graphviz's dot program, and behaviour without it.

Tests that need `dot` use the ``dot`` fixture: they skip with a message on a machine without
graphviz, and fail when TINYGRAD_NN_REQUIRE_DOT=1 (as CI sets it).
"""

import graphviz
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import viz
from tinygrad_nn.viz import display


def expression():
    a, b, c = (tnn.tensor(v, requires_grad=True) for v in (2.0, -3.0, 10.0))
    return (a * b + c).tanh(), dict(a=a, b=b, c=c)


# -- with dot -----------------------------------------------------------------------------


def test_render_svg_draws_every_node(dot, tmp_path):
    out, names = expression()
    path = viz.render(out, tmp_path / "graph.svg", names=names, show_values=True)
    svg = path.read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert svg.count('class="node"') == 9 and svg.count('class="edge"') == 8
    assert ">Tanh<" in svg and ">data 0.9993<" in svg


def test_render_png_writes_an_image(dot, tmp_path):
    out, names = expression()
    data = viz.render(out.draw(names=names, backward=True), tmp_path / "graph.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 300 and height > 50


def test_render_pdf_writes_a_pdf(dot, tmp_path):
    out, _ = expression()
    assert viz.render(out, tmp_path / "graph.pdf").read_bytes()[:5] == b"%PDF-"


def test_render_leaves_only_the_file_asked_for(dot, tmp_path):
    out, _ = expression()
    viz.render(out, tmp_path / "sub" / "graph.svg")
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["graph.svg"]


def test_digraph_render_method_works(dot, tmp_path):
    out, _ = expression()
    rendered = out.draw().render("g", directory=tmp_path, format="svg")
    assert rendered.endswith("g.svg") and (tmp_path / "g").exists()


def test_notebook_display_is_inline_svg(dot):
    out, _ = expression()
    bundle = out.draw()._repr_mimebundle_()
    assert list(bundle) == ["image/svg+xml"] and "<svg" in bundle["image/svg+xml"]


def test_mlp_with_clusters_renders(dot, tmp_path):
    from tinygrad_nn import nn

    tnn.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    loss_fn = nn.CrossEntropyLoss()
    with viz.trace(model, loss_fn) as tr:
        loss = loss_fn(model(tnn.randn(5, 4)), tnn.tensor([0, 1, 2, 0, 1]))
    svg = viz.render(tr.draw(loss, backward=True), tmp_path / "mlp.svg").read_text()
    assert svg.count('class="cluster"') == 5 and ">0.weight<" in svg


# -- without dot --------------------------------------------------------------------------


def test_dot_file_needs_no_dot_program(no_dot, tmp_path):
    out, names = expression()
    g = out.draw(names=names)
    path = viz.render(g, tmp_path / "graph.dot")
    assert path.read_text() == g.source


def test_rendering_without_dot_says_how_to_install_it_and_writes_nothing(no_dot, tmp_path):
    out, _ = expression()
    with pytest.raises(viz.DotNotFoundError) as err:
        viz.render(out, tmp_path / "graph.svg")
    message = str(err.value)
    for command in ("apt-get install graphviz", "brew install graphviz", "conda install"):
        assert command in message
    assert list(tmp_path.iterdir()) == []


def test_digraph_render_without_dot_writes_nothing(no_dot, tmp_path):
    out, _ = expression()
    with pytest.raises(viz.DotNotFoundError, match="apt-get install graphviz"):
        out.draw().render("g", directory=tmp_path / "new", format="png")
    assert list(tmp_path.iterdir()) == []


def test_dot_vanishing_mid_render_leaves_no_dot_source_behind(no_dot, tmp_path, monkeypatch):
    # graphviz writes the DOT file before it runs dot: that file is removed again
    monkeypatch.setattr(display, "dot_available", lambda: True)
    out, _ = expression()
    with pytest.raises(viz.DotNotFoundError):
        out.draw().render("g", directory=tmp_path / "new" / "dir", format="png")
    assert list(tmp_path.iterdir()) == []


def test_notebook_display_without_dot_falls_back_to_text(no_dot):
    out, names = expression()
    bundle = out.draw(names=names)._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    text = bundle["text/plain"]
    assert "9 nodes, 8 edges" in text and "t0: a | scalar float32" in text
    assert "t0 -> f0" in text and "install graphviz" in text


def test_pipe_without_dot_raises_the_clear_error(no_dot):
    out, _ = expression()
    with pytest.raises(viz.DotNotFoundError, match="brew install graphviz"):
        out.draw().pipe(format="svg")


def test_dot_not_found_is_graphvizs_error_too():
    assert issubclass(viz.DotNotFoundError, graphviz.ExecutableNotFound)
    assert issubclass(viz.DotNotFoundError, RuntimeError)


def test_rendering_tests_fail_in_ci_without_dot(no_dot, monkeypatch, check_dot):
    monkeypatch.setenv("TINYGRAD_NN_REQUIRE_DOT", "1")
    with pytest.raises(pytest.fail.Exception, match="TINYGRAD_NN_REQUIRE_DOT=1"):
        check_dot()


def test_rendering_tests_skip_elsewhere_without_dot(no_dot, monkeypatch, check_dot):
    monkeypatch.delenv("TINYGRAD_NN_REQUIRE_DOT", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install graphviz"):
        check_dot()


# -- bad arguments ------------------------------------------------------------------------


def test_render_rejects_an_unknown_suffix(tmp_path):
    out, _ = expression()
    with pytest.raises(ValueError, match=r"\.svg, \.png, \.pdf or \.dot"):
        viz.render(out, tmp_path / "graph.txt")
    assert list(tmp_path.iterdir()) == []


def test_render_options_only_apply_to_tensors(tmp_path):
    out, _ = expression()
    with pytest.raises(TypeError, match="only apply when drawing a Tensor"):
        viz.render(out.draw(), tmp_path / "g.dot", show_values=True)
