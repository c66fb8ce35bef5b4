"""ModuleDict, ParameterList and ParameterDict: one behaviour per test (keys, order and
printing against torch: tests/reference/test_containers_against_torch.py)."""

import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn, optim


class Heads(nn.Module):
    def __init__(self):
        super().__init__()
        self.heads = nn.ModuleDict({"a": nn.Linear(2, 1), "b": nn.Linear(2, 3)})
        self.scales = nn.ParameterList([tnn.ones(1), tnn.ones(3)])
        self.shift = nn.ParameterDict({"a": tnn.zeros(1)})

    def forward(self, x):
        return [self.heads[k](x) * self.scales[i] for i, k in enumerate(self.heads)]


def test_contained_parameters_are_the_modules_parameters_and_train():
    model = Heads()
    assert len(list(model.parameters())) == 4 + 2 + 1
    opt = optim.SGD(model.parameters(), lr=0.1)
    before = model.scales[1].detach().clone()
    sum(out.sum() for out in model(tnn.ones(4, 2))).backward()
    opt.step()
    assert model.scales[1].grad is not None and not model.scales[1].equal(before)


def test_state_dict_round_trips_through_the_containers():
    a, b = Heads(), Heads()
    with tnn.no_grad():
        a.scales[0].fill_(7.0)
        a.shift["a"].fill_(-1.0)
    b.load_state_dict(a.state_dict())
    assert b.scales[0].item() == 7.0 and b.shift["a"].item() == -1.0


def test_tensors_stored_become_parameters():
    weights = nn.ParameterList([tnn.ones(2)])
    weights.append(tnn.zeros(1))
    d = nn.ParameterDict({"w": tnn.ones(1)})
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in [*weights, d["w"]])


def test_a_refused_tensor_leaves_the_list_as_it_was():
    weights = nn.ParameterList([tnn.ones(2)])
    with pytest.raises(RuntimeError, match="floating point"):
        weights.append(tnn.ones(2, dtype=tnn.int64))
    assert len(weights) == 1 and [n for n, _ in weights.named_parameters()] == ["0"]


def test_parameter_list_negative_index_reads_from_the_end():
    weights = nn.ParameterList([tnn.ones(1), tnn.ones(2)])
    assert weights[-1] is weights[1]


def test_parameter_dict_reads_like_a_dict():
    d = nn.ParameterDict({"w": tnn.ones(1)})
    assert "w" in d and d.get("x") is None and list(d.items())[0][1] is d["w"]
    d.clear()
    assert len(d) == 0 and list(d.parameters()) == []


def test_module_dict_deletes_and_iterates_keys():
    heads = nn.ModuleDict({"a": nn.ReLU(), "b": nn.Tanh()})
    del heads["a"]
    assert list(heads) == ["b"] and isinstance(heads["b"], nn.Tanh)
