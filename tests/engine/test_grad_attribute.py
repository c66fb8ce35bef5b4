"""``.grad`` as in PyTorch: accumulated into the same Tensor, checked when assigned, kept at
its parameter's shape by hooks and by optimizers."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn, optim
from tinygrad_nn import testing as tt


def test_a_kept_reference_to_grad_sees_the_next_backward():
    w = tnn.tensor([1.0, 2.0], requires_grad=True)
    (w * 3).sum().backward()
    kept = w.grad
    (w * w).sum().backward()
    assert w.grad is kept and kept.tolist() == [5.0, 7.0]


def test_zero_grad_without_set_to_none_zeros_the_same_tensor():
    layer = nn.Linear(2, 1)
    layer(tnn.ones(1, 2)).sum().backward()
    kept = layer.weight.grad
    optim.SGD(layer.parameters(), lr=0.1).zero_grad(set_to_none=False)
    assert layer.weight.grad is kept and np.all(kept.numpy() == 0)
    layer(tnn.ones(1, 2)).sum().backward()
    layer.zero_grad(set_to_none=False)
    assert layer.weight.grad is kept and np.all(kept.numpy() == 0)


def test_clip_grad_norm_scales_the_same_tensor():
    w = tnn.tensor([3.0, 4.0], requires_grad=True)
    (w * w).sum().backward()
    kept = w.grad
    nn.utils.clip_grad_norm_([w], max_norm=1.0)
    assert w.grad is kept
    np.testing.assert_allclose(kept.numpy(), [0.6, 0.8], rtol=1e-5)


def test_create_graph_gradients_accumulate_out_of_place():
    x = tnn.tensor([2.0], requires_grad=True)
    (x**3).sum().backward(create_graph=True)
    first = x.grad
    (x**3).sum().backward(create_graph=True)
    assert x.grad is not first and first.item() == 12.0 and x.grad.item() == 24.0


def test_assigning_a_grad_of_another_shape_names_both_shapes():
    w = tnn.ones(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"different size.*\(3,\).*\(2, 3\)"):
        w.grad = tnn.ones(3)


def test_assigning_a_grad_of_another_dtype_names_both_dtypes():
    w = tnn.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="different type.*float64.*float32"):
        w.grad = tnn.ones(2, dtype=tnn.float64)


def test_assigning_something_else_than_a_tensor_is_refused():
    w = tnn.ones(2, requires_grad=True)
    with pytest.raises(TypeError, match="Tensor or None"):
        w.grad = np.ones(2)


def test_hook_returning_another_shape_is_refused():
    w = tnn.ones(3, requires_grad=True)
    w.register_hook(lambda g: g.sum())
    with pytest.raises(RuntimeError, match=r"changed the size.*shape \(\).*\(3,\)"):
        (w * 2).sum().backward()
    x = tnn.ones(3, requires_grad=True)
    y = x * 2
    y.register_hook(lambda g: tnn.ones(1))
    with pytest.raises(RuntimeError, match="changed the size"):
        y.sum().backward()


def test_optimizer_refuses_a_grad_that_only_broadcasts_to_its_parameter():
    w = tnn.ones(3, requires_grad=True)
    w.grad = tnn.zeros(3)
    w.grad.data = tnn.ones(1)  # swaps the storage: the one way round the setter's check
    with pytest.raises(RuntimeError, match=r"shape \(3,\) has a gradient of shape \(1,\)"):
        optim.SGD([w], lr=0.1).step()


def test_grad_reference_matches_pytorch():
    torch = tt.reference_library("torch")

    def run(lib):
        w = lib.tensor([1.0, -2.0], requires_grad=True)
        (w * w).sum().backward()
        kept = w.grad
        (w * 3).sum().backward()
        return kept.tolist(), w.grad is kept

    assert run(tnn) == run(torch)


def test_a_retained_grad_and_a_leaf_grad_that_is_its_view_do_not_share_memory():
    x = tnn.tensor([2.0], requires_grad=True)
    s = x.reshape(())  # Reshape's backward hands x a view of the gradient of s
    s.retain_grad()
    s.backward()
    x.grad.add_(1)
    assert s.grad.item() == 1.0 and x.grad.item() == 2.0  # as PyTorch
