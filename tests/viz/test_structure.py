"""The DOT source of drawn graphs: nodes, edges, labels, styles, clusters, collapsing."""

import graphviz
import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn, viz


def scalar_expression():
    a, b, c = (tnn.tensor(v, requires_grad=True) for v in (2.0, -3.0, 10.0))
    return (a * b + c).tanh(), dict(a=a, b=b, c=c)


def test_draw_returns_a_graphviz_digraph():
    out, _ = scalar_expression()
    assert isinstance(out.draw(), graphviz.Digraph)
    assert isinstance(viz.draw_graph(out), graphviz.Digraph)


def test_scalar_expression_has_one_node_per_tensor_and_per_op(parse_dot):
    out, names = scalar_expression()
    d = parse_dot(out.draw(names=names).source)
    assert len(d.nodes) == 9  # a, b, c, a*b, a*b+c, out; Mul, Add, Tanh
    assert len(d.edges) == 8
    assert sorted(d.label_of(n).split()[0] for n in d.nodes if n.startswith("f")) == [
        "Add",
        "Mul",
        "Tanh",
    ]


def test_a_graph_freed_by_backward_keeps_its_shape_without_the_arrays(parse_dot):
    out, names = scalar_expression()
    before = parse_dot(out.draw(names=names).source)
    out.backward()
    after = parse_dot(out.draw(names=names, show_grads=True).source)
    assert sorted(before.edges) == sorted(after.edges)
    assert after.nodes.keys() == before.nodes.keys()
    assert len(after.ids_with("freed")) == 2  # a*b and a*b+c: only their nodes remain
    assert " grad " in after.label_of(after.ids_with(" a ")[0])


def test_a_retained_tensor_keeps_its_name_and_grad_in_a_freed_graph(parse_dot):
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    h = (x * 2).tanh()
    h.retain_grad()
    y = h.sum()
    y.backward()
    d = parse_dot(viz.draw_graph(y, names={"x": x, "h": h}, show_grads=True).source)
    (box,) = d.ids_with(" h ")
    assert "grad" in d.label_of(box) and "freed" not in d.label_of(box)
    assert len(d.ids_with("freed")) == 1  # x * 2, which nobody kept


def test_edges_follow_the_data_from_inputs_to_output(parse_dot):
    out, names = scalar_expression()
    d = parse_dot(out.draw(names=names).source)
    (a,) = d.ids_with(" a ")
    (mul,) = d.ids_with("Mul")
    (tanh,) = d.ids_with("Tanh")
    (output,) = d.ids_with("output")
    assert (a, mul, "") in d.edges and (tanh, output, "") in d.edges
    order = list(d.nodes)
    assert all(order.index(s) < order.index(t) for s, t, _ in d.edges)


def test_tensor_labels_show_name_shape_and_dtype(parse_dot):
    out, names = scalar_expression()
    d = parse_dot(out.draw(names=names).source)
    (a,) = d.ids_with(" a ")
    assert "scalar float32" in d.label_of(a)
    x = tnn.ones(3, 4, dtype=tnn.float64, requires_grad=True)
    d = parse_dot(viz.draw_graph(x.sum(), names={"x": x}).source)
    (xid,) = d.ids_with(" x ")
    assert "(3, 4) float64" in d.label_of(xid)


def test_drawing_twice_gives_the_same_source():
    out, names = scalar_expression()
    assert out.draw(names=names).source == out.draw(names=names).source
    out2, names2 = scalar_expression()
    assert out.draw(names=names).source == out2.draw(names=names2).source


def test_show_values_writes_small_values_out(parse_dot):
    out, names = scalar_expression()
    d = parse_dot(out.draw(names=names, show_values=True).source)
    (b,) = d.ids_with(" b ")
    assert "data -3" in d.label_of(b)
    assert "data 0.9993" in d.label_of(d.ids_with("output")[0])  # tanh(4)


def test_show_values_summarises_big_tensors(parse_dot):
    w = tnn.tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    d = parse_dot(viz.draw_graph(w.sum(), names={"w": w}, show_values=True).source)
    label = d.label_of(d.ids_with(" w ")[0])
    assert f"norm {np.linalg.norm(np.arange(12.0)):.4g}" in label
    assert "min 0" in label and "max 11" in label


def test_show_grads_shows_the_stored_grad_after_backward(parse_dot):
    out, names = scalar_expression()
    out.backward()
    d = parse_dot(out.draw(names=names, show_grads=True).source)
    expected = (1 - np.tanh(4.0) ** 2) * -3.0  # d tanh(ab + c) / da = (1 - tanh^2) b
    assert f"grad {expected:.4g}" in d.label_of(d.ids_with(" a ")[0])


def test_roles_are_styled_apart(parse_dot):
    w = nn.Parameter(tnn.ones(2, 2))
    x = tnn.ones(2, requires_grad=True)
    out = (w @ x * 2.0).sum()
    d = parse_dot(out.draw().source)
    fills = {
        role: d.nodes[d.ids_with(word)[0]].split('fillcolor="')[1][:7]
        for role, word in [
            ("param", "parameter"),
            ("input", "input"),
            ("const", " 2 "),
            ("output", "output"),
        ]
    }
    fills["op"] = d.nodes[d.ids_with("MatMul")[0]].split('fillcolor="')[1][:7]
    assert len(set(fills.values())) == len(fills)


def test_diamond_draws_the_shared_tensor_once_with_two_edges(parse_dot):
    x = tnn.tensor(3.0, requires_grad=True)
    h = x.tanh()
    out = h.exp() + h.sigmoid()  # h feeds both branches
    d = parse_dot(out.draw(names={"x": x, "h": h}).source)
    assert len(d.nodes) == 9  # x, h, exp(h), sigmoid(h), out; Tanh, Exp, Sigmoid, Add
    assert len(d.edges) == 9
    (hid,) = d.ids_with(" h ")
    assert len([e for e in d.edges if e[0] == hid]) == 2


def test_a_tensor_used_twice_by_one_op_has_two_edges(parse_dot):
    x = tnn.tensor(3.0, requires_grad=True)
    d = parse_dot((x * x).draw(names={"x": x}).source)
    (xid,) = d.ids_with(" x ")
    assert len([e for e in d.edges if e[0] == xid]) == 2


def test_a_leaf_draws_as_one_node(parse_dot):
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    d = parse_dot(x.draw().source)
    assert len(d.nodes) == 1 and not d.edges


def test_mlp_with_loss_names_parameters_by_module_path(parse_dot):
    tnn.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    x, t = tnn.randn(5, 4), tnn.tensor([0, 1, 2, 0, 1])
    loss = nn.CrossEntropyLoss()(model(x), t)
    d = parse_dot(loss.draw(model=model, names={"x": x, "loss": loss}).source)
    for name, shape in [("0.weight", "(8, 4)"), ("0.bias", "(8,)"), ("2.weight", "(3, 8)")]:
        (pid,) = d.ids_with(name)
        assert shape in d.label_of(pid)
    n_ops, leaves, n_inputs = _count(loss)
    assert len(d.nodes) == 2 * n_ops + leaves  # each op and its output, and the leaves
    assert len(d.edges) == n_inputs + n_ops
    assert leaves == 6  # x, t and the 4 parameters (the mean is fused into CrossEntropy)


def _count(root):
    """Ops, distinct leaves and op inputs of a graph, by a walk independent of viz."""
    ops, leaves, stack, n_inputs = set(), set(), [root._ctx], 0
    while stack:
        fn = stack.pop()
        if id(fn) in ops:
            continue
        ops.add(id(fn))
        n_inputs += len(fn.parents)
        for p in fn.parents:
            (stack.append(p._ctx) if p._ctx is not None else leaves.add(id(p)))
    return len(ops), len(leaves), n_inputs


def test_legend_sits_under_the_title_and_lists_the_styles_in_the_picture(parse_dot):
    out, _ = scalar_expression()
    d = parse_dot(out.draw(legend=True, title="a title").source)
    assert len(d.nodes) == 9  # no extra node: the key is part of the graph's heading
    assert d.label.index("a title") < d.label.index("input (requires grad)")
    for text in ("input (requires grad)", "intermediate", "output", "op (ellipse)"):
        assert text in d.label
    for absent in ("parameter", "collapsed"):  # no such node in this graph
        assert absent not in d.label


def test_graph_past_max_nodes_collapses_chains_and_says_so(parse_dot):
    x = tnn.tensor([0.5, -0.5], requires_grad=True)
    y = x
    for _ in range(5_000):
        y = (y * 1.001).tanh()  # 10,000 ops
    d = parse_dot(viz.draw_graph(y, names={"x": x}).source)
    assert len(d.nodes) <= 250
    assert "10,000 ops" in d.label and "max_nodes=250" in d.label
    (chain,) = d.ids_with("chain of")
    assert "MulScalar ×5,000" in d.label_of(chain) and "Tanh ×5,000" in d.label_of(chain)
    assert [(s, t) for s, t, _ in d.edges] == [(d.ids_with(" x ")[0], chain), (chain, "t15000")]


def test_wide_graph_past_max_nodes_keeps_the_nodes_near_the_output(parse_dot):
    xs = [tnn.tensor(float(i), requires_grad=True) for i in range(50)]
    acc = xs[0]
    for i in range(5_000):  # 10,000 ops, no long chains
        acc = acc + xs[i % 50] * xs[(7 * i) % 50]
    d = parse_dot(viz.draw_graph(acc, max_nodes=40).source)
    assert len(d.nodes) <= 40
    assert "10,000 ops" in d.label and "farthest from the output merged" in d.label
    (rest,) = d.ids_with("more nodes")
    assert "Add ×" in d.label_of(rest) and "Mul ×" in d.label_of(rest)
    assert "output" in d.label_of(list(d.nodes)[-1])


def test_max_nodes_none_draws_everything(parse_dot):
    x = tnn.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(200):
        y = y * 1.001
    d = parse_dot(viz.draw_graph(y, max_nodes=None).source)
    assert len(d.nodes) == 1 + 200 * 3 and d.label == ""


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(rankdir="XY"), "rankdir"),
        (dict(max_nodes=1), "max_nodes"),
        (dict(value_limit=-1), "value_limit"),
        (dict(collapse=True), "trace"),
    ],
)
def test_bad_options_raise_clear_errors(kwargs, message):
    out, _ = scalar_expression()
    with pytest.raises(ValueError, match=message):
        viz.draw_graph(out, **kwargs)


def test_drawing_a_non_tensor_is_a_type_error():
    with pytest.raises(TypeError, match="expected a Tensor"):
        viz.draw_graph(np.ones(3))


def test_names_must_map_to_tensors():
    out, _ = scalar_expression()
    with pytest.raises(TypeError, match="'a' maps to float"):
        viz.draw_graph(out, names={"a": 2.0})
