"""``nn.Embedding.from_pretrained`` against PyTorch (when installed): the given table is the
weight (shared, its padding row kept), frozen by default, and looks up, prints and gets
gradients as PyTorch's."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

TABLE = np.arange(15, dtype=np.float64).reshape(5, 3) / 4 - 1
IDX = np.array([[0, 2, 4], [4, 1, 0]])


def _pretrained(L, **kwargs):
    return L.nn.Embedding.from_pretrained(L.tensor(TABLE), **kwargs)


@pytest.mark.parametrize("kwargs", [{}, {"padding_idx": 0}, {"freeze": False, "padding_idx": -1}])
def test_from_pretrained_looks_up_and_prints_as_pytorchs(kwargs):
    ours, theirs = _pretrained(tnn, **kwargs), _pretrained(torch, **kwargs)
    assert repr(ours) == repr(theirs)
    assert ours.padding_idx == theirs.padding_idx
    assert ours.weight.requires_grad == theirs.weight.requires_grad
    tt.assert_same_result(ours(tnn.tensor(IDX)), theirs(torch.tensor(IDX)))


def test_from_pretrained_unfrozen_gets_pytorchs_gradient_but_in_the_padding_row():
    grads = []
    for L in (tnn, torch):
        emb = _pretrained(L, freeze=False, padding_idx=4)
        (emb(L.tensor(IDX)) * L.tensor(TABLE[:3])).sum().backward()
        grads.append(emb.weight.grad.numpy())
    np.testing.assert_array_equal(grads[0], grads[1])
    assert not grads[0][4].any()


def test_from_pretrained_shares_the_table():
    table = tnn.tensor(TABLE)
    emb = tnn.nn.Embedding.from_pretrained(table)
    table.mul_(2.0)
    np.testing.assert_array_equal(emb(tnn.tensor([1])).numpy(), 2 * TABLE[1:2])


def test_from_pretrained_refuses_a_table_that_is_not_2d():
    with pytest.raises(ValueError, match=r"must be 2-D.*shape \(15,\)"):
        tnn.nn.Embedding.from_pretrained(tnn.tensor(TABLE.ravel()))


def test_given_weight_must_have_the_stated_shape():
    with pytest.raises(ValueError, match=r"\(5, 3\) does not match.*\(4, 3\)"):
        tnn.nn.Embedding(4, 3, _weight=tnn.tensor(TABLE))
