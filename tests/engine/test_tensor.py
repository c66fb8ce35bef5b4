"""The Tensor API: creation, dtypes, attributes, shapes, indexing and errors."""

import numpy as np
import pytest

import tinygrad_nn as tnn


def test_python_floats_default_to_float32_and_ints_to_int64():
    assert tnn.tensor([1.0, 2.0]).dtype == np.float32
    assert tnn.tensor([1, 2]).dtype == np.int64
    assert tnn.tensor([1.0], dtype=tnn.float64).dtype == np.float64


def test_numpy_arrays_keep_their_dtype_and_are_copied():
    a = np.zeros(3)
    t = tnn.tensor(a)
    a[0] = 1.0
    assert t.dtype == np.float64 and t.data[0] == 0.0


def test_scalar_operand_keeps_the_tensor_dtype():
    x = tnn.ones(2)
    assert (x * 2.5).dtype == np.float32
    assert (2.5 - x).dtype == np.float32


def test_set_default_dtype_float64():
    tnn.set_default_dtype(tnn.float64)
    try:
        assert tnn.tensor([1.0]).dtype == np.float64 and tnn.randn(2).dtype == np.float64
    finally:
        tnn.set_default_dtype(tnn.float32)


def test_creation_functions_have_pytorch_shapes():
    assert tnn.zeros(2, 3).shape == (2, 3)
    assert tnn.ones((4,)).shape == (4,)
    assert tnn.full((2, 2), 7.0).data.tolist() == [[7.0, 7.0], [7.0, 7.0]]
    assert tnn.arange(5).tolist() == [0, 1, 2, 3, 4]
    assert tnn.arange(0, 1, 0.25).dtype == np.float32
    assert tnn.eye(3).numpy().trace() == 3.0
    assert tnn.zeros_like(tnn.eye(2, dtype=tnn.float64)).dtype == np.float64
    assert tnn.rand(3, 4).shape == (3, 4) and tnn.randn(5).dtype == np.float32


def test_manual_seed_makes_random_tensors_repeatable():
    tnn.manual_seed(42)
    a = tnn.randn(4).numpy().copy()
    tnn.manual_seed(42)
    np.testing.assert_array_equal(a, tnn.randn(4).numpy())


def test_only_float_tensors_can_require_grad():
    with pytest.raises(RuntimeError, match="int64"):
        tnn.tensor([1, 2], requires_grad=True)


def test_attributes_with_pytorch_names():
    x = tnn.randn(2, 3, requires_grad=True)
    assert x.size() == (2, 3) and x.size(1) == 3 and x.numel() == 6 and x.ndim == 2
    assert x.is_leaf and not (x * 2).is_leaf
    assert x.T.shape == (3, 2)
    assert x.detach().requires_grad is False
    assert x.double().dtype == np.float64 and x.double().float().dtype == np.float32
    assert tnn.tensor(3.5).item() == 3.5


def test_numpy_of_tensor_requiring_grad_asks_for_detach():
    with pytest.raises(RuntimeError, match="detach"):
        tnn.ones(2, requires_grad=True).numpy()


def test_max_with_dim_returns_values_and_indices():
    x = tnn.tensor([[1.0, 5.0, 3.0], [7.0, 2.0, 0.0]])
    values, indices = x.max(dim=1)
    assert values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0]
    assert x.max(0, keepdim=True).values.shape == (1, 3)
    assert x.min(dim=1).indices.tolist() == [0, 2]
    assert x.max().item() == 7.0


def test_max_with_dim_sends_gradient_to_the_chosen_element_only():
    x = tnn.tensor([[2.0, 2.0, 1.0]], requires_grad=True)
    x.max(dim=1).values.sum().backward()
    assert x.grad.tolist() == [[1.0, 0.0, 0.0]]


def test_full_max_shares_gradient_between_ties():
    x = tnn.tensor([2.0, 2.0, 1.0], requires_grad=True)
    x.max().backward()
    assert x.grad.tolist() == [0.5, 0.5, 0.0]


def test_reductions_accept_tuple_dims_and_keepdim():
    x = tnn.ones(2, 3, 4)
    assert x.sum((0, 2)).tolist() == [8.0, 8.0, 8.0]
    assert x.mean(-1, keepdim=True).shape == (2, 3, 1)
    assert tnn.tensor([1.0, 2.0, 3.0, 4.0]).var().item() == pytest.approx(5 / 3)


def test_shape_ops():
    x = tnn.arange(24).reshape(2, 3, 4)
    assert x.permute(2, 0, 1).shape == (4, 2, 3)
    assert x.transpose(0, 2).shape == (4, 3, 2)
    assert x.unsqueeze(1).shape == (2, 1, 3, 4)
    assert x.unsqueeze(1).squeeze(1).shape == (2, 3, 4)
    assert x.flatten(1).shape == (2, 12)
    assert x.view(6, -1).shape == (6, 4)
    assert tnn.ones(3, 1).expand(3, 5).shape == (3, 5)
    assert tnn.ones(3, 1).expand(-1, 5).shape == (3, 5)


def test_indexing_with_slices_ints_and_masks():
    x = tnn.arange(12).reshape(3, 4)
    assert x[1].tolist() == [4, 5, 6, 7]
    assert x[:, 1:3].shape == (3, 2)
    assert x[x > 9].tolist() == [10, 11]
    assert x[[0, 0, 2]].shape == (3, 4)


def test_repeated_indices_accumulate_gradient():
    x = tnn.zeros(3, requires_grad=True)
    x[tnn.tensor([0, 0, 2, 0])].sum().backward()
    assert x.grad.tolist() == [3.0, 0.0, 1.0]


def test_cat_and_stack():
    a, b = tnn.ones(2, 3), tnn.zeros(1, 3)
    assert tnn.cat([a, b]).shape == (3, 3)
    assert tnn.stack([a, a], dim=1).shape == (2, 2, 3)
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(1, 4\)"):
        tnn.cat([a, tnn.ones(1, 4)])


def test_comparisons_return_bool_tensors_without_grad():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    m = x > 1.5
    assert m.dtype == np.bool_ and not m.requires_grad and m.tolist() == [False, True]


def test_shape_mismatch_names_op_and_both_shapes():
    with pytest.raises(ValueError, match=r"Add.*\(2, 3\).*\(4,\)"):
        tnn.ones(2, 3) + tnn.ones(4)
    with pytest.raises(ValueError, match=r"MatMul.*\(2, 3\).*\(2, 3\)"):
        tnn.ones(2, 3) @ tnn.ones(2, 3)


def test_reshape_error_names_both_shapes():
    with pytest.raises(RuntimeError, match=r"\(2, 3\).*\(4,\)"):  # torch's type
        tnn.ones(2, 3).reshape(4)


def test_bad_dim_is_an_index_error():
    with pytest.raises(IndexError, match="dim 2"):
        tnn.ones(2, 3).sum(2)


def test_functions_mirror_methods():
    x = tnn.tensor([0.5, -1.0])
    np.testing.assert_allclose(tnn.tanh(x).numpy(), np.tanh(x.numpy()))
    np.testing.assert_allclose(tnn.softmax(x, dim=0).numpy().sum(), 1.0, rtol=1e-6)
    assert tnn.clamp(x, min=0.0).tolist() == [0.5, 0.0]
    assert tnn.where(x > 0, x, tnn.zeros(2)).tolist() == [0.5, 0.0]


def test_repr_looks_like_pytorch():
    assert repr(tnn.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert "requires_grad=True" in repr(tnn.tensor([1.0], requires_grad=True))
    assert "dtype=float64" in repr(tnn.tensor([1.0], dtype=tnn.float64))


def test_numpy_arrays_combine_with_tensors_from_either_side():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    y = np.array([3.0, 4.0], dtype=np.float32) * x
    assert isinstance(y, tnn.Tensor) and y.tolist() == [3.0, 8.0]


def test_cat_stack_gather_reject_out_of_range_dims():
    with pytest.raises(IndexError, match="cat: dim 5"):
        tnn.cat([tnn.ones(2, 3)], dim=5)
    with pytest.raises(IndexError, match="stack: dim 7"):
        tnn.stack([tnn.ones(2)], dim=7)
    with pytest.raises(IndexError, match="gather: dim 4"):
        tnn.ones(2, 2).gather(4, tnn.zeros(2, 2, dtype=tnn.int64))


def test_random_functions_take_a_generator_or_a_seed():
    a = tnn.rand(3, generator=7).tolist()
    assert a == tnn.rand(3, generator=7).tolist()
    assert tnn.randn(2, generator=np.random.default_rng(1)).shape == (2,)


def test_requires_grad_is_set_on_leaves_only():
    x = tnn.ones(2, requires_grad=True)
    y = x * 2
    for value in (False, True):  # as PyTorch: even setting the value it has
        with pytest.raises(RuntimeError, match=r"leaf tensors.*\(2,\).*MulScalarBackward"):
            y.requires_grad = value
    with pytest.raises(RuntimeError, match="must be a bool, got int 1"):
        x.requires_grad = 1
    with pytest.raises(RuntimeError, match="floating point.*int64"):
        tnn.ones(2, dtype=tnn.int64).requires_grad = True
    x.requires_grad = False
    assert not (x * 2).requires_grad
