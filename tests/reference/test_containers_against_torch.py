"""ModuleDict, ParameterList and ParameterDict against PyTorch's (when installed): the same
construction gives the same keys, state_dict keys, parameter order and printed form (dtype
names aside: ``float32``/``tinygrad_nn.FloatTensor`` for ``torch.float32``/
``torch.FloatTensor``), and the same misuse raises the same exception type."""

from collections import OrderedDict

import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")


def _model(L):
    class Net(L.nn.Module):
        def __init__(self):
            super().__init__()
            self.heads = L.nn.ModuleDict({"cls": L.nn.Linear(4, 3), "act": L.nn.ReLU()})
            self.heads["box"] = L.nn.Linear(4, 2)
            self.weights = L.nn.ParameterList([L.ones(2, 3), L.nn.Parameter(L.zeros(3))])
            self.weights.append(L.ones(1, dtype=L.float64))
            self.scales = L.nn.ParameterDict({"beta": L.zeros(1), "alpha": L.ones(2, 2)})
            self.scales.update(OrderedDict([("gamma", L.ones(())), ("delta", L.zeros(4))]))

    return Net()


BUILT = {
    "model": _model,
    "module_dict_pop_and_update": lambda L: _popped(L.nn.ModuleDict({"b": L.nn.Tanh()}), L),
    "module_dict_empty": lambda L: L.nn.ModuleDict(),
    "module_dict_of_pairs": lambda L: L.nn.ModuleDict(
        [("z", L.nn.Linear(1, 1)), ("a", L.nn.ReLU())]
    ),
    "parameter_list_one": lambda L: L.nn.ParameterList([L.ones(3)]),
    "parameter_list_slice": lambda L: L.nn.ParameterList([L.ones(1), L.ones(2), L.ones(3)])[1:],
    "parameter_list_replaced_keeps_its_place": lambda L: _replaced(L),
    "parameter_list_with_object": lambda L: L.nn.ParameterList([L.ones(2), 3]),
    "parameter_list_iadd": lambda L: _iadd(L),
    "parameter_dict_of_pairs_keeps_order": lambda L: L.nn.ParameterDict(
        [("z", L.ones(1)), ("a", L.ones(2))]
    ),
    "parameter_dict_after_pop_and_setdefault": lambda L: _dict_edits(L),
    "parameter_dict_copy": lambda L: L.nn.ParameterDict({"b": L.ones(1), "a": L.ones(1)}).copy(),
    "parameter_dict_del_parameter_and_plain_value": lambda L: _deleted(L),
}


def _popped(d, L):
    d.update({"y": L.nn.Linear(2, 2), "x": L.nn.Sigmoid()})
    d.pop("b")
    del d["x"]
    return d


def _replaced(L):
    weights = L.nn.ParameterList([L.ones(1), L.ones(2)])
    weights[0] = L.zeros(5)
    return weights


def _iadd(L):
    weights = L.nn.ParameterList([L.ones(1)])
    weights += [L.ones(2)]
    return weights.extend([L.ones(3)])


def _dict_edits(L):
    d = L.nn.ParameterDict({"c": L.ones(1), "b": L.ones(2), "a": L.ones(3)})
    d.pop("b")
    d.setdefault("d", L.ones(4))
    d.setdefault("a", L.zeros(1))
    return d


def _deleted(L):
    d = L.nn.ParameterDict({"w": L.ones(2), "s": "plain", "v": L.ones(1)})
    del d["w"]
    del d["s"]
    assert not hasattr(d, "s")
    return d


def _description(m):
    params = [(name, tuple(p.shape), type(p).__name__) for name, p in m.named_parameters()]
    keys = list(m.keys()) if hasattr(m, "keys") else len(m) if hasattr(m, "__len__") else None
    text = repr(m).replace("torch.", "").replace("tinygrad_nn.", "")
    return params, list(m.state_dict()), keys, text


@pytest.mark.parametrize("name", sorted(BUILT))
def test_keys_order_and_repr_match_pytorch(name):
    assert _description(BUILT[name](tnn)) == _description(BUILT[name](torch))


ERRORS = {
    "module_dict_int_key": lambda L: L.nn.ModuleDict().__setitem__(1, L.nn.ReLU()),
    "module_dict_not_a_module": lambda L: L.nn.ModuleDict({"x": 3}),
    "module_dict_missing_key": lambda L: L.nn.ModuleDict()["x"],
    "module_dict_has_no_forward": lambda L: L.nn.ModuleDict({"x": L.nn.ReLU()})(L.ones(1)),
    "module_dict_update_with_non_pairs": lambda L: L.nn.ModuleDict().update([1]),
    "module_dict_update_with_triples": lambda L: L.nn.ModuleDict().update([("a", 1, 2)]),
    "parameter_list_of_ints": lambda L: L.nn.ParameterList([L.ones(2, dtype=L.int64)]),
    "parameter_list_index_out_of_range": lambda L: L.nn.ParameterList([L.ones(1)])[1],
    "parameter_list_extend_with_non_iterable": lambda L: L.nn.ParameterList().extend(3),
    "parameter_dict_int_key": lambda L: L.nn.ParameterDict().__setitem__(3, L.ones(1)),
    "parameter_dict_missing_key": lambda L: L.nn.ParameterDict()["w"],
    "parameter_dict_pop_missing": lambda L: L.nn.ParameterDict().pop("w"),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_misuse_raises_what_pytorch_raises(name):
    tt.assert_same_error(ERRORS[name], tnn, torch)
