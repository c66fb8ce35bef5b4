"""Module hooks against PyTorch: forward pre-hooks (with and without kwargs), forward hooks
(prepend, with_kwargs), full backward hooks and backward pre-hooks: what they see, when they
run, and what their results replace."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")


def _layer(lib):
    m = lib.nn.Linear(2, 2)
    with lib.no_grad():
        m.weight.copy_(lib.tensor([[1.0, 2.0], [3.0, -1.0]]))
        m.bias.copy_(lib.tensor([0.5, -0.5]))
    return m


def _grads(gs):
    return [None if g is None else g.tolist() for g in gs]


def _hooks_seen(lib):
    m, log = _layer(lib), []
    handles = [
        m.register_forward_pre_hook(lambda mod, args: (args[0] * 2,)),
        m.register_full_backward_hook(
            lambda mod, gi, go: log.append(("bh", _grads(gi), _grads(go)))
        ),
        m.register_full_backward_pre_hook(lambda mod, go: log.append(("bph", _grads(go)))),
    ]
    x = lib.tensor([[1.0, 1.0]], requires_grad=True)
    (m(x) * lib.tensor([[1.0, 2.0]])).sum().backward()
    m(lib.ones(1, 2)).sum().backward()  # no input needs a gradient: the hook still runs
    for h in handles:
        h.remove()
    grad_with_hooks, x.grad = x.grad.tolist(), None
    m(x).sum().backward()
    return grad_with_hooks, log, x.grad.tolist()


def _replaced_input_gradient(lib):
    m = _layer(lib)
    m.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 10,))
    x = lib.ones(1, 2, requires_grad=True)
    m(x).sum().backward()
    return x.grad.tolist()


def _order_in_a_network(lib):
    net = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.Tanh(), lib.nn.Linear(3, 1))
    seen = []
    for layer in net:
        layer.register_full_backward_hook(lambda mod, gi, go: seen.append(type(mod).__name__))
    net(lib.ones(4, 2)).sum().backward()
    return seen


def _kwargs_and_prepend(lib):
    m, order = _layer(lib), []
    m.register_forward_pre_hook(lambda mod, a, k: ((a[0] * 0,), k), with_kwargs=True)
    m.register_forward_hook(lambda mod, a, k, o: o + 1, with_kwargs=True)
    m.register_forward_hook(lambda mod, a, o: order.append("prepended"), prepend=True)
    return m(lib.ones(1, 2)).tolist(), order


def _same(ours, theirs):
    """Nested lists and tuples of the same structure, with numbers equal to float32's
    rounding."""
    if isinstance(theirs, (list, tuple)):
        return len(ours) == len(theirs) and all(map(_same, ours, theirs))
    if isinstance(theirs, float):
        return bool(np.isclose(ours, theirs, rtol=1e-6))
    return ours == theirs


@pytest.mark.parametrize(
    "case", [_hooks_seen, _replaced_input_gradient, _order_in_a_network, _kwargs_and_prepend]
)
def test_hooks_see_and_replace_what_torchs_do(case):
    ours, theirs = case(tnn), case(torch)
    assert _same(ours, theirs), (ours, theirs)


def _lookup(lib):
    net = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.BatchNorm1d(2))
    net.register_module("extra", lib.nn.Tanh())
    found = (
        type(net.get_submodule("0")).__name__,
        net.get_submodule("") is net,
        net.get_submodule("extra") is net.extra,
        tuple(net.get_parameter("0.weight").shape),
        tuple(net.get_buffer("1.running_mean").shape),
    )
    errors = []
    for call in (
        lambda: net.get_submodule("5"),
        lambda: net.get_submodule("0.weight"),
        lambda: net.get_parameter("0.nope"),
        lambda: net.get_parameter("1.running_mean"),
        lambda: net.get_buffer("0.weight"),
        lambda: net.get_parameter("weight"),
    ):
        try:
            call()
        except AttributeError as error:
            errors.append(str(error))
    return found, errors


def test_submodules_parameters_and_buffers_are_found_by_path_as_torch():
    assert _lookup(tnn) == _lookup(torch)
