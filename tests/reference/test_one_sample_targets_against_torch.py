"""cross_entropy and nll_loss of one sample, input (C,), against PyTorch 2.13 (when
installed): a 0-d target, or one of shape (1,) which torch takes as 0-d (but refuses with
label smoothing); the same values, gradients and error types. torch's backward refuses
the (1,) target for C > 1 (size mismatch); ours gives the 0-d target's gradient."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

rng = np.random.default_rng(3)
Z = rng.standard_normal(4)
W = np.array([1.0, 2.0, 0.5, 3.0])


def F(L):
    return L.nn.functional


def _kwargs(L, kind):
    return {
        "plain": {},
        "sum": {"reduction": "sum"},
        "none": {"reduction": "none"},
        "weight": {"weight": L.tensor(W, dtype=L.float64)},
        "ignored": {"ignore_index": 2},
        "other_ignored": {"ignore_index": 0},
    }[kind]


KINDS = ["plain", "sum", "none", "weight", "ignored", "other_ignored"]


@pytest.mark.parametrize("loss", ["cross_entropy", "nll_loss"])
@pytest.mark.parametrize("kind", KINDS)
def test_0d_target_values_and_gradients_match_pytorch(loss, kind):
    tt.assert_same_case(
        lambda L, z: getattr(F(L), loss)(z, L.tensor(2), **_kwargs(L, kind)), [Z], tnn, torch, rng
    )


@pytest.mark.parametrize("loss", ["cross_entropy", "nll_loss"])
@pytest.mark.parametrize("kind", KINDS)
def test_target_of_shape_1_is_the_0d_target(loss, kind):
    leaves = [tnn.tensor(Z, requires_grad=True) for _ in range(2)]
    outs = [
        getattr(F(tnn), loss)(z, tnn.tensor(t), **_kwargs(tnn, kind))
        for z, t in zip(leaves, ([2], 2))
    ]
    ref = getattr(F(torch), loss)(
        torch.tensor(Z, requires_grad=True), torch.tensor([2]), **_kwargs(torch, kind)
    )
    tt.assert_same_result(outs[0], ref)
    for out in outs:
        out.sum().backward()
    np.testing.assert_array_equal(leaves[0].grad.numpy(), leaves[1].grad.numpy())


def test_nll_loss_of_one_class_takes_a_target_of_shape_1_with_grad():
    tt.assert_same_case(
        lambda L, z: F(L).nll_loss(z, L.tensor([0]), reduction="none"), [Z[:1]], tnn, torch, rng
    )


ERRORS = {
    "shape_1_out_of_range_with_grad": lambda L, loss: loss(
        L.tensor(Z, requires_grad=True), L.tensor([7])
    ),
    "shape_1_ignored_out_of_range": lambda L, loss: loss(
        L.tensor(Z), L.tensor([-100]), ignore_index=1
    ),
    "shape_2": lambda L, loss: loss(L.tensor(Z), L.tensor([2, 1])),
    "shape_0": lambda L, loss: loss(L.tensor(Z), L.tensor([], dtype=L.int64)),
    "shape_1_1": lambda L, loss: loss(L.tensor(Z), L.tensor([[2]])),
    "0d_out_of_range": lambda L, loss: loss(L.tensor(Z), L.tensor(4)),
    "0d_negative": lambda L, loss: loss(L.tensor(Z), L.tensor(-1)),
}


@pytest.mark.parametrize("loss", ["cross_entropy", "nll_loss"])
@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_targets_raise_what_pytorch_raises(loss, name):
    tt.assert_same_error(lambda L: ERRORS[name](L, getattr(F(L), loss)), tnn, torch)


@pytest.mark.parametrize("grad", [False, True])
def test_cross_entropy_refuses_a_target_of_shape_1_with_label_smoothing(grad):
    tt.assert_same_error(
        lambda L: F(L).cross_entropy(
            L.tensor(Z, requires_grad=grad), L.tensor([2]), label_smoothing=0.1
        ),
        tnn,
        torch,
    )


def test_cross_entropy_of_one_class_reads_an_integer_target_of_shape_1_as_probabilities():
    tt.assert_same_error(lambda L: F(L).cross_entropy(L.tensor(Z[:1]), L.tensor([0])), tnn, torch)
