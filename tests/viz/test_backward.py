"""The backward view: gradients at tensors and the share flowing along each edge (§9–10)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import viz
from tinygrad_nn.viz.grads import compute_gradients
from tinygrad_nn.viz.graph import build_graph


def test_gradients_of_a_scalar_expression_match_the_chain_rule(parse_dot):
    a, b, c = (tnn.tensor(v, requires_grad=True) for v in (2.0, -3.0, 10.0))
    out = (a * b + c).tanh()
    d = parse_dot(viz.draw_graph(out, names=dict(a=a, b=b, c=c), backward=True).source)
    local = 1 - np.tanh(4.0) ** 2  # dE/d(ab + c)
    for name, expected in [("a", local * -3.0), ("b", local * 2.0), ("c", local)]:
        (nid,) = d.ids_with(f" {name} ")
        assert f"grad {expected:.4g}" in d.label_of(nid)
        (edge,) = [e for e in d.edges if e[0] == nid]
        assert f"label={expected:.4g}" in edge[2] or f'label="{expected:.4g}"' in edge[2]
    assert "grad 1 " in d.label_of(d.ids_with(" output ")[0])  # the same name as forward


def test_backward_edges_point_back_and_constants_get_none(parse_dot):
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    out = (x * 3.0).sum()
    d = parse_dot(viz.draw_graph(out, backward=True).source)
    (const,) = d.ids_with(" 3 ")
    (const_edge,) = [e for e in d.edges if e[0] == const]
    assert "arrowhead=none" in const_edge[2] and "dashed" in const_edge[2]
    others = [e for e in d.edges if e[0] != const]
    assert all("dir=back" in e[2] for e in others)


def test_shares_of_a_reused_tensor_add_up_to_its_gradient():
    # notes §9, Remark 9.1: a tensor feeding two paths gets the sum of both.
    x = tnn.tensor(0.3, dtype=tnn.float64, requires_grad=True)
    h = x.tanh()
    out = h.exp() + h.sigmoid()
    g = build_graph(out, {id(h): "h"})
    grads = compute_gradients(g)
    hid = next(n for n, v in g.nodes.items() if v.name == "h")
    shares = [grads.edge[(e.src, e.dst, e.index)] for e in g.edges if e.src == hid]
    hv = np.tanh(0.3)
    sig = 1 / (1 + np.exp(-hv))
    np.testing.assert_allclose(sorted(shares), sorted([np.exp(hv), sig * (1 - sig)]))
    np.testing.assert_allclose(grads.node[hid], np.exp(hv) + sig * (1 - sig))


def test_broadcast_share_is_summed_to_the_input_shape():
    x = tnn.ones(2, 3, requires_grad=True)
    b = tnn.tensor([1.0, 2.0, 3.0], requires_grad=True)
    g = build_graph((x + b).sum(), {id(b): "b"})
    grads = compute_gradients(g)
    bid = next(n for n, v in g.nodes.items() if v.name == "b")
    (edge,) = [e for e in g.edges if e.src == bid]
    np.testing.assert_array_equal(grads.edge[(edge.src, edge.dst, edge.index)], [2.0, 2.0, 2.0])


def test_non_scalar_output_is_seeded_with_ones():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    g = build_graph(x * x, {id(x): "x"})
    grads = compute_gradients(g)
    np.testing.assert_array_equal(grads.node["t0"], [2.0, 4.0])


def test_backward_view_leaves_grad_untouched():
    a = tnn.tensor(2.0, dtype=tnn.float64, requires_grad=True)
    out = (a * a).tanh()
    viz.draw_graph(out, backward=True)
    assert a.grad is None
    out.backward()  # the graph is still intact
    np.testing.assert_allclose(a.grad.item(), (1 - np.tanh(4.0) ** 2) * 4.0, rtol=1e-12)


def test_backward_view_after_a_freeing_backward_says_so(parse_dot):
    a = tnn.tensor(2.0, requires_grad=True)
    out = (a * 3.0).tanh()
    out.backward()
    d = parse_dot(viz.draw_graph(out, names={"a": a}, backward=True).source)
    assert "freed" in d.label and "retain_graph=True" in d.label
    assert f"grad {a.grad.item():.4g}" in d.label_of(d.ids_with(" a ")[0])


# -- a law: along every tensor's edges, the shares add up to its gradient (chain rule) --------

_UNARY = [lambda t: t.tanh(), lambda t: t.sigmoid(), lambda t: t.exp() * 0.1, lambda t: t * t]
_BINARY = [lambda s, t: s + t, lambda s, t: s * t, lambda s, t: s - t]


@st.composite
def programs(draw):
    """Two input values and a few steps, each applying an op to earlier tensors (so that
    tensors are reused): a small random graph, rebuilt by ``run``."""
    values = draw(st.lists(st.floats(-1.5, 1.5), min_size=2, max_size=2))
    steps = []
    for k in range(draw(st.integers(1, 8))):
        n = 2 + k
        if draw(st.booleans()):
            steps.append((0, draw(st.integers(0, len(_UNARY) - 1)), draw(st.integers(0, n - 1)), 0))
        else:
            steps.append(
                (
                    1,
                    draw(st.integers(0, len(_BINARY) - 1)),
                    draw(st.integers(0, n - 1)),
                    draw(st.integers(0, n - 1)),
                )
            )
    return values, steps


def run(steps, a, b):
    pool = [a, b]
    for binary, op, i, j in steps:
        pool.append(_BINARY[op](pool[i], pool[j]) if binary else _UNARY[op](pool[i]))
    return pool[-1]


def inputs_of(values):
    return [tnn.tensor(v, dtype=tnn.float64, requires_grad=True) for v in values]


@given(programs())
def test_edge_shares_sum_to_each_tensors_gradient(program):
    values, steps = program
    g = build_graph(run(steps, *inputs_of(values)))
    grads = compute_gradients(g)
    for nid, n in g.nodes.items():
        if n.kind != "tensor" or nid == g.root or not n.tensor.requires_grad:
            continue
        shares = [grads.edge[(e.src, e.dst, e.index)] for e in g.edges if e.src == nid]
        np.testing.assert_allclose(sum(shares, 0.0), grads.node.get(nid, 0.0), rtol=1e-12)


@given(programs())
def test_input_gradients_match_finite_differences(program):
    values, steps = program
    a, b = inputs_of(values)
    g = build_graph(run(steps, a, b), {id(a): "a", id(b): "b"})
    grads = compute_gradients(g)
    ids = {n.name: nid for nid, n in g.nodes.items() if n.name in ("a", "b")}
    numeric = tnn.numerical_grad(lambda x, y: run(steps, x, y), inputs_of(values))
    for name, expected in zip("ab", numeric):
        got = grads.node.get(ids[name], 0.0) if name in ids else 0.0
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-7)
