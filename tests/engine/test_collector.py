"""The cyclic garbage collector is paused while a graph is recorded (tinygrad_nn.collector)."""

import gc
import weakref

import pytest

import tinygrad_nn as tnn
from tinygrad_nn import collector


@pytest.fixture(autouse=True)
def collector_on():
    """Each test starts with the collector on and no pause; the state is restored after."""
    was_enabled = gc.isenabled()
    collector.pause.end()
    gc.enable()
    yield
    collector.pause.end()
    (gc.enable if was_enabled else gc.disable)()


def leaf():
    return tnn.tensor([1.0, 2.0], requires_grad=True)


def test_recording_pauses_the_collector_until_backward_ends():
    x = leaf()
    y = (x * x).tanh()
    assert not gc.isenabled()
    y.sum().backward()
    assert gc.isenabled()
    z = x.exp()  # the next graph pauses it again
    assert not gc.isenabled()
    del z


def test_a_collector_switched_off_by_the_program_stays_off():
    gc.disable()
    x = leaf()
    (x * 2).sum().backward()
    assert not gc.isenabled()


def test_ops_under_no_grad_do_not_pause_it():
    x = leaf()
    with tnn.no_grad():
        x * x
    assert gc.isenabled()


def test_a_pause_without_backward_ends_after_pause_nodes(monkeypatch):
    monkeypatch.setattr(collector, "PAUSE_NODES", 10)
    x = leaf()
    h = x
    for _ in range(9):
        h = h * 1.5
    assert not gc.isenabled()
    for _ in range(5):
        h = h * 1.5
    assert gc.isenabled()  # and no new pause starts before a backward
    h = h.tanh()
    assert gc.isenabled()
    h.sum().backward()
    (x * 2).sum()
    assert not gc.isenabled()


def test_cyclic_garbage_made_during_a_pause_is_collected_after_backward():
    class Node:
        pass

    x = leaf()
    y = x * x
    a, b = Node(), Node()
    a.other, b.other = b, a  # a reference cycle, garbage once the names go
    collected = []
    weakref.finalize(a, collected.append, "a")
    del a, b
    y.sum().backward()
    kept = []
    while not collected and len(kept) < 100_000:  # allocations trigger the collector again
        kept.append([])
    assert collected == ["a"]
