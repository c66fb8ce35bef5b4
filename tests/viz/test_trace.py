"""Module clusters and collapsed modules, from ``tnn.viz.trace``."""

import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn, viz


def traced_mlp(dropout=0.0):
    tnn.manual_seed(0)
    layers = [nn.Linear(4, 8), nn.ReLU()] + ([nn.Dropout(dropout)] if dropout else [])
    model = nn.Sequential(*layers, nn.Linear(8, 3))
    loss_fn = nn.CrossEntropyLoss()
    x, t = tnn.randn(5, 4), tnn.tensor([0, 1, 2, 0, 1])
    with viz.trace(model, loss_fn) as tr:
        loss = loss_fn(model(x), t)
    return tr, loss, dict(x=x, t=t, loss=loss), model


class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(3, 4), nn.Linear(4, 2)

    def forward(self, x):
        return self.fc2(self.fc1(x).tanh())  # tanh belongs to TwoLayer itself


def cluster_members(source):
    """Cluster label -> node ids declared directly inside it."""
    members, stack = {}, []
    lines = source.splitlines()
    for i, line in enumerate(lines):
        s = line.strip()
        if s.startswith("subgraph cluster_"):
            label = s.split()[1]
            for part in lines[i + 1].split():
                if part.startswith("label="):
                    label = part[6:].strip('"')
            for j in range(i + 1, i + 3):
                if 'label="' in lines[j] and "subgraph" not in lines[j]:
                    label = lines[j].split('label="')[1].split('"')[0]
                    break
            stack.append(label)
            members[label] = []
        elif s == "}" and stack:
            stack.pop()
        elif stack and " [label=" in s and not s.startswith("label"):
            members[stack[-1]].append(s.split()[0])
    return members


def test_each_module_gets_a_cluster_in_module_order(parse_dot):
    tr, loss, names, _ = traced_mlp()
    d = parse_dot(tr.draw(loss, names=names).source)
    assert d.clusters == ["Sequential", "0: Linear", "1: ReLU", "2: Linear", "CrossEntropyLoss"]


def test_parameters_sit_in_their_module_and_data_outside(parse_dot):
    tr, loss, names, _ = traced_mlp()
    g = tr.draw(loss, names=names)
    d, members = parse_dot(g.source), cluster_members(g.source)
    assert d.ids_with("0.weight")[0] in members["0: Linear"]
    assert d.ids_with("2.bias")[0] in members["2: Linear"]
    assert d.ids_with("Relu")[0] in members["1: ReLU"]
    inside = {n for ids in members.values() for n in ids}
    assert d.ids_with(" x ")[0] not in inside and d.ids_with(" t ")[0] not in inside
    assert d.ids_with("loss")[0] in members["CrossEntropyLoss"]


def test_ops_of_a_custom_forward_belong_to_the_module_itself():
    tnn.manual_seed(0)
    model = TwoLayer()
    with viz.trace(model) as tr:
        out = model(tnn.randn(2, 3)).sum()
    g = tr.draw(out)
    members = cluster_members(g.source)
    d_tanh = [line.split()[0] for line in g.source.splitlines() if ">Tanh<" in line]
    assert d_tanh[0] in members["TwoLayer"]
    assert set(members) == {"TwoLayer", "fc1: Linear", "fc2: Linear"}


def test_trace_names_parameters_without_names_given(parse_dot):
    tr, loss, _, _ = traced_mlp()
    d = parse_dot(tr.draw(loss).source)
    assert d.ids_with("0.weight") and d.ids_with("2.weight")


def test_trace_removes_its_hooks_on_exit():
    tr, loss, names, model = traced_mlp()
    assert all(not m._forward_hooks for m in model.modules())


def test_clusters_false_draws_no_cluster(parse_dot):
    tr, loss, names, _ = traced_mlp()
    assert parse_dot(tr.draw(loss, names=names, clusters=False).source).clusters == []


def test_collapse_true_draws_each_top_level_module_as_one_box(parse_dot):
    tr, loss, names, _ = traced_mlp()
    d = parse_dot(tr.draw(loss, names=names, collapse=True).source)
    groups = {d.label_of(n).split()[0]: d.label_of(n) for n in d.nodes if n.startswith("g")}
    assert sorted(groups) == ["0:", "1:", "2:", "CrossEntropyLoss"]
    assert "0.weight (8, 4)" in groups["0:"] and "0.bias (8,)" in groups["0:"]
    assert "CrossEntropy" in groups["CrossEntropyLoss"]
    # x, the outputs of the three layers, t, loss: visible between the boxes
    assert len(d.nodes) == 4 + 6
    assert d.clusters == ["Sequential"]


def test_collapse_by_name_keeps_the_other_modules_open(parse_dot):
    tr, loss, names, _ = traced_mlp()
    d = parse_dot(tr.draw(loss, names=names, collapse=["2", "CrossEntropyLoss"]).source)
    groups = sorted(d.label_of(n) for n in d.nodes if n.startswith("g"))
    assert len(groups) == 2 and "2: Linear" in groups[0] and "CrossEntropyLoss" in groups[1]
    assert d.ids_with("0.weight") == ["t1"] and d.ids_with("2.weight") == ["g0"]
    assert "0: Linear" in d.clusters and "2: Linear" not in d.clusters


def test_collapse_of_an_unknown_module_names_the_known_ones():
    tr, loss, _, _ = traced_mlp()
    with pytest.raises(ValueError, match="no traced module called 'encoder'.*'0'"):
        tr.draw(loss, collapse="encoder")


def test_past_max_nodes_modules_collapse_first(parse_dot):
    tnn.manual_seed(0)
    model = nn.Sequential(*[nn.Sequential(nn.Linear(3, 3), nn.Tanh()) for _ in range(40)])
    with viz.trace(model) as tr:
        out = model(tnn.randn(2, 3)).sum()
    d = parse_dot(tr.draw(out, max_nodes=100).source)
    assert len(d.nodes) <= 100 and "modules collapsed" in d.label
    assert len([n for n in d.nodes if n.startswith("g")]) == 40


def test_trace_needs_modules():
    with pytest.raises(TypeError, match="not an nn.Module"):
        viz.trace(lambda x: x)
    with pytest.raises(TypeError, match="pass the modules"):
        viz.trace()
