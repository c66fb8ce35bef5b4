"""Views share storage and the version counter with their base, as in PyTorch; in-place ops
on a view or on its base keep every history right (CopySlices on the base, remade views)."""

import numpy as np
import pytest
from hypothesis import given

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

VIEWS = {
    "int index of a 1-d tensor": (lambda x: x[0], (3,)),
    "slice": (lambda x: x[1:], (3, 2)),
    "view": (lambda x: x.view(6), (3, 2)),
    "reshape": (lambda x: x.reshape(2, 3), (3, 2)),
    "t": (lambda x: x.t(), (3, 2)),
    "transpose": (lambda x: x.transpose(0, 1), (3, 2)),
    "permute": (lambda x: x.permute(1, 0), (3, 2)),
    "narrow": (lambda x: x.narrow(0, 1, 2), (3, 2)),
    "unsqueeze": (lambda x: x.unsqueeze(0), (3, 2)),
    "squeeze": (lambda x: x.squeeze(1), (3, 1)),
    "select": (lambda x: x.select(1, 0), (3, 2)),
    "view_as": (lambda x: x.view_as(tnn.zeros(6)), (3, 2)),
    "flatten": (lambda x: x.flatten(), (3, 2)),
}


@pytest.mark.parametrize("name", VIEWS)
def test_view_writes_through_to_its_base_and_shares_the_version(name):
    make, shape = VIEWS[name]
    x = tnn.zeros(*shape)
    y = make(x)
    y += 1
    assert x.numpy().sum() == y.numel()
    assert x._version == y._version == 1
    x.mul_(3)
    assert np.all(y.numpy() == 3) and y._version == 2


def test_expand_is_a_view_sharing_the_version():
    x = tnn.zeros(3, 1)
    y = x.expand(3, 4)
    with tnn.no_grad():
        x.add_(2)
    assert np.all(y.numpy() == 2) and y._version == 1


def test_reshape_of_a_transposed_tensor_copies_and_view_refuses():
    x = tnn.zeros(2, 3)
    flat = x.t().reshape(6)
    flat += 1
    assert np.all(x.numpy() == 0) and x._version == 0
    with pytest.raises(RuntimeError, match="not contiguous.*reshape"):
        x.t().view(6)


def test_advanced_indexing_copies():
    x = tnn.zeros(3)
    y = x[[0, 2]]
    y += 1
    assert np.all(x.numpy() == 0)


def test_in_place_on_a_view_of_a_graph_tensor_rebases_the_base():
    w = tnn.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = w * 2
    row = out[1:]
    row.mul_(w[:2])  # out becomes CopySlices of (old out, row * w[:2])
    assert out.tolist() == [2.0, 4.0, 12.0] and type(out.grad_fn).__name__ == "CopySlices"
    out.sum().backward()  # 2 w0 + 2 w1 w0 + 2 w2 w1
    assert w.grad.tolist() == [2.0 + 2 * 2.0, 2 * 1.0 + 2 * 3.0, 2 * 2.0]


def test_in_place_on_a_base_remakes_its_views():
    w = tnn.tensor([1.0, 2.0], requires_grad=True)
    out = w * 1
    first = out[0]
    out.mul_(w)  # first now sees w * w at index 0
    (first * 10).backward()
    assert first.item() == 1.0 and w.grad.tolist() == [20.0, 0.0]


def test_view_of_a_leaf_requiring_grad_refuses_in_place():
    w = tnn.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="view of a leaf Tensor that requires grad"):
        w[0].add_(w[1] * 2)  # a grad value: recorded, so refused
    with pytest.raises(RuntimeError, match="leaf Tensor that requires grad"):
        w[0] += 1


def test_in_place_on_an_expanded_view_is_refused():
    out = tnn.tensor([1.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="expanded view"):
        out.expand(3).add_(tnn.ones(3, requires_grad=True))


SHARED_MEMORY = "more than one element of the written-to tensor refers to a single memory location"
OVERLAPPING_WRITES = {
    "add_": lambda e: e.add_(1),
    "sub_tensor": lambda e: e.sub_(tnn.ones(3, 4)),
    "mul_": lambda e: e.mul_(2),
    "div_": lambda e: e.div_(2),
    "clamp_": lambda e: e.clamp_(0, 1),
    "exp_": lambda e: e.exp_(),
    "copy_": lambda e: e.copy_(tnn.ones(3, 4)),
    "normal_": lambda e: e.normal_(),
    "setitem_column": lambda e: e.__setitem__((slice(None), 0), 5.0),
    "transposed": lambda e: e.t().add_(1),
    "column_view": lambda e: e[:, 1].mul_(3),
}


@pytest.mark.parametrize("name", sorted(OVERLAPPING_WRITES))
def test_in_place_ops_where_elements_share_memory_are_refused_as_pytorch(name):
    base = tnn.zeros(1, 4)
    with pytest.raises(RuntimeError, match=SHARED_MEMORY):
        OVERLAPPING_WRITES[name](base.expand(3, 4))
    assert base.tolist() == [[0.0] * 4]


def test_fill_zero_and_index_put_write_through_an_expanded_view_as_pytorch():
    base = tnn.zeros(1, 4)
    base.expand(3, 4).fill_(7)
    assert base.tolist() == [[7.0] * 4]
    base.expand(3, 4).zero_()
    assert base.tolist() == [[0.0] * 4]
    base.expand(3, 4)[tnn.tensor([0, 2])] = 3.0  # advanced indexing: index_put
    assert base.tolist() == [[3.0] * 4]


def test_advanced_index_put_into_an_expanded_view_is_not_recorded():
    y = tnn.zeros(1, 4, requires_grad=True) * 1
    with pytest.raises(RuntimeError, match=r"advanced indexing into an expanded view.*clone\(\)"):
        y.expand(3, 4)[tnn.tensor([0, 2])] = tnn.ones(4, requires_grad=True)


def test_in_place_ops_on_expanded_views_without_shared_elements_write_through():
    base = tnn.zeros(1, 4)
    base.expand(3, 4)[1].add_(tnn.arange(4.0))  # one row: no element repeats
    base.expand(1, 4).mul_(2)
    assert base.tolist() == [[0.0, 2.0, 4.0, 6.0]]
    square = tnn.ones(2, 2)
    square.expand_as(square).sub_(1)
    assert square.tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_in_place_ops_on_expanded_views_in_a_graph_follow_the_base():
    x = tnn.tensor([[1.0, 2.0]], requires_grad=True)
    y = x * 1
    y.expand(1, 2).mul_(3)  # no repeats: recorded, and the base follows
    (y * tnn.tensor([[1.0, 10.0]])).sum().backward()
    assert y.tolist() == [[3.0, 6.0]] and x.grad.tolist() == [[3.0, 30.0]]
    x.grad = None
    z = x * 1
    z.expand(3, 2).fill_(5.0)  # a fill is allowed where elements repeat
    (z * 2).sum().backward()
    assert z.tolist() == [[5.0, 5.0]] and x.grad.tolist() == [[0.0, 0.0]]
    x.grad = None
    w = x * 1
    w.expand(3, 2)[1] = x[0] * 4  # a row: the view w.expand(3, 2)[1] copied into
    (w * tnn.tensor([[1.0, 10.0]])).sum().backward()
    assert w.tolist() == [[4.0, 8.0]] and x.grad.tolist() == [[4.0, 40.0]]


PIECES = {
    "unbind": lambda t: t.unbind(0),
    "tnn.unbind": lambda t: tnn.unbind(t, 1),
    "split": lambda t: t.split(1),
    "split_sizes": lambda t: tnn.split(t, [1, 2], dim=1),
    "chunk": lambda t: t.chunk(2),
}


@pytest.mark.parametrize("name", sorted(PIECES))
def test_in_place_ops_on_outputs_of_functions_returning_several_views_are_refused(name):
    y = tnn.ones(2, 3, requires_grad=True) * 1
    first = PIECES[name](y)[0]
    for change in (lambda v: v.add_(1), lambda v: v.zero_(), lambda v: v.flatten()[0].mul_(2)):
        with pytest.raises(RuntimeError, match="output 0 of (unbind|split)"):  # chunk: split
            change(first)
    assert y.tolist() == [[1.0] * 3] * 2
    other = PIECES[name](tnn.ones(2, 3))[0]  # no gradient of its own, but one is added
    with pytest.raises(RuntimeError, match="returns several views"):
        other.add_(tnn.ones(1, requires_grad=True))


def test_outputs_of_split_change_in_place_outside_a_graph_as_pytorch():
    y = tnn.ones(2, 3, requires_grad=True) * 1
    with tnn.no_grad():
        y.unbind(0)[0].add_(1)  # not recorded: allowed
    y.detach().split(1)[1].mul_(3)  # nor is this
    plain = tnn.ones(2, 3)
    plain.chunk(2)[0].sub_(1)
    assert y.tolist() == [[2.0] * 3, [3.0] * 3] and plain.tolist() == [[0.0] * 3, [1.0] * 3]


@given(tt.tensors(shape=(3, 2)))
def test_gradient_through_in_place_changes_of_views(x):
    def program(t):
        out = t * 1.5
        out[0] += t[1] * t[2]
        col = out.select(1, 1)
        col.mul_(t[:, 0])
        out.t()[0] -= 1.0
        return out

    assert tt.check_grad(program, [x])


def test_views_program_matches_pytorch():
    torch = tt.reference_library("torch")

    def program(lib):
        w = lib.tensor([[1.0, -2.0], [0.5, 3.0], [2.0, 1.0]], dtype=lib.float64, requires_grad=True)
        out = w * 2
        first, col = out[0], out.select(1, 1)
        out[0] += w[1] * w[2]
        col.mul_(w[:, 0])
        out.t()[0] -= 1.0
        out.narrow(0, 1, 2).div_(w[:2] + 5)
        loss = (out * out).sum() + (first * col.sum()).sum()
        loss.backward()
        return out.detach().numpy().copy(), w.grad.numpy().copy()

    for ours, theirs in zip(program(tnn), program(torch)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)
