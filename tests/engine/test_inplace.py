"""In-place ops on tensors in a graph are recorded as PyTorch records them: the op becomes the
tensor's new history, nodes recorded before keep the old one, and backward refuses only when
a value saved for backward was overwritten (naming the op and both versions)."""

import numpy as np
import pytest
from hypothesis import given

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt


def program(lib, data):
    """In-place ops of every kind on non-leaf tensors; returns the input's gradient."""
    x = lib.tensor(data, requires_grad=True)
    c = x * 2
    before = c + 1  # recorded before c changes: keeps c's old history
    c += c + 1
    c.mul_(x)
    c.div_(x * x + 1)
    c.sub_(x, alpha=0.5)
    c.clamp_(-50.0, 50.0)
    loss = (c * c).sum()
    loss += (x * x).sum()
    buf = lib.zeros(3, dtype=x.dtype)
    buf[1:] = x[:2] * 3
    buf.add_(x)
    (loss + before.sum() + (buf * buf).sum()).backward()
    return x.grad.numpy()


@given(tt.tensors(shape=(3,)))
def test_inplace_ops_in_a_graph_have_the_gradient_of_their_out_of_place_form(x):
    def inplace(t):
        c = t * 2
        c += t * t
        c.mul_(t)
        c.div_(t * t + 1)
        c.sub_(t, alpha=0.5)
        return c

    assert tt.check_grad(inplace, [x])
    assert tt.check_gradgrad(inplace, [x])


@given(tt.broadcast_tensors(2, elements=[tt.POSITIVE, tt.POSITIVE]))
def test_generated_inplace_ops_have_the_gradient_of_their_out_of_place_form(xy):
    def inplace(x, y):
        c = x + y  # the broadcast shape: y broadcasts into c in the binary ops
        c.log1p_().sin_().atan2_(y).lerp_(y, 0.3).erfc_().cos_().mul_(y)
        return c.hypot_(y)  # an op that saves its output ends the chain (as in torch)

    assert tt.check_grad(inplace, list(xy))


def test_inplace_program_matches_pytorch():
    torch = tt.reference_library("torch")
    data = np.array([0.5, -1.5, 2.0])
    np.testing.assert_allclose(program(tnn, data), program(torch, data), rtol=1e-12)


def test_loss_plus_equals_penalty():
    w = tnn.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * 3).sum()
    loss += (w * w).sum()
    loss.backward()
    assert w.grad.tolist() == [5.0, 7.0]


def test_c_plus_equals_c_plus_one():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    c = x * x
    c += c + 1
    assert c.tolist() == [3.0, 9.0] and type(c.grad_fn).__name__ == "Add"
    c.sum().backward()
    assert x.grad.tolist() == [4.0, 8.0]


def test_mul_on_a_non_leaf_rebases_its_history():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    y = x + 0
    y.mul_(2)
    assert y.tolist() == [2.0, 4.0] and type(y.grad_fn).__name__ == "MulScalar"
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_a_node_recorded_before_the_change_keeps_the_old_history():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    z = y + 1  # Add saves nothing: it may still be differentiated
    y.mul_(10)
    z.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_overwriting_a_saved_input_is_refused_naming_op_and_versions():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    z = y * y  # Mul saves y
    y.add_(1)
    with pytest.raises(
        RuntimeError, match="input 0 of MulBackward, is at version 1; expected version 0"
    ):
        z.sum().backward()


def test_overwriting_a_saved_output_is_refused_naming_op_and_versions():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()  # Exp saves its output
    y += 1
    with pytest.raises(
        RuntimeError, match="output of ExpBackward, is at version 1; expected version 0"
    ):
        y.sum().backward()


def test_leaf_requiring_grad_refuses_in_place_outside_no_grad():
    w = tnn.tensor([1.0], requires_grad=True)
    for change in (lambda: w.add_(1), lambda: w.mul_(2), lambda: w.fill_(0), lambda: w.zero_()):
        with pytest.raises(RuntimeError, match="leaf Tensor that requires grad"):
            change()
    with tnn.no_grad():
        w.add_(1)
    assert w.tolist() == [2.0] and w.is_leaf


def test_in_place_on_a_constant_with_a_grad_value_joins_the_graph():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    acc = tnn.zeros(2)
    acc += x * 3
    assert acc.requires_grad and not acc.is_leaf
    acc.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_copy_and_fill_cut_the_old_history():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 5).copy_(x * x)
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 4.0]  # only through the copied value
    x.grad = None
    z = x * 5
    z.fill_(7.0)
    (z * x).sum().backward()
    assert z.tolist() == [7.0, 7.0] and x.grad.tolist() == [7.0, 7.0]


def test_setitem_of_a_grad_value_scatters_its_gradient():
    w = tnn.tensor([1.0, 2.0], requires_grad=True)
    buf = tnn.zeros(2, 3)
    buf[:, 1] = w * 2
    (buf * tnn.arange(6.0).reshape(2, 3)).sum().backward()
    assert w.grad.tolist() == [2.0, 8.0]


def test_in_place_result_that_cannot_be_cast_is_refused():
    x = tnn.tensor([1, 2])
    with pytest.raises((RuntimeError, TypeError)):
        x += 0.5


def test_int_tensor_plus_equals_float_tensor_in_graph_is_refused():
    c = tnn.zeros(2, dtype=tnn.int64)
    with pytest.raises(RuntimeError, match="can't be cast"):
        c += tnn.ones(2, requires_grad=True)
