"""randperm, einsum, the scatter family and the functions of tinygrad_nn.composites and
tinygrad_nn.counting: one behaviour per test (values against torch: tests/reference)."""

import numpy as np
import pytest

import tinygrad_nn as tnn


def test_randperm_is_a_permutation_of_int64():
    p = tnn.randperm(10)
    assert p.dtype == tnn.int64 and sorted(p.tolist()) == list(range(10))


def test_randperm_repeats_after_manual_seed():
    tnn.manual_seed(3)
    first = tnn.randperm(20)
    tnn.manual_seed(3)
    assert tnn.randperm(20).equal(first)


def test_randperm_draws_from_the_generator_given():
    a = tnn.randperm(20, generator=tnn.Generator().manual_seed(1))
    b = tnn.randperm(20, generator=tnn.Generator().manual_seed(1))
    state = tnn.default_generator().get_state()
    assert a.equal(b)
    tnn.randperm(5, generator=tnn.Generator())
    assert tnn.default_generator().get_state() == state  # the global one was not used


def test_randperm_takes_dtype_and_requires_grad():
    p = tnn.randperm(4, dtype=tnn.float64, requires_grad=True)
    assert p.dtype == tnn.float64 and p.requires_grad


@pytest.mark.parametrize("n, error", [(-1, RuntimeError), (2.0, TypeError), (True, TypeError)])
def test_randperm_refuses_a_bad_n(n, error):
    with pytest.raises(error, match="randperm"):
        tnn.randperm(n)


def test_einsum_of_a_matrix_product_is_matmul():
    a, b = tnn.randn(2, 3), tnn.randn(3, 4)
    assert tnn.einsum("ij,jk->ik", a, b).allclose(a @ b)


def test_einsum_implicit_output_is_the_single_letters_in_order():
    a = tnn.randn(2, 3)
    assert tnn.einsum("ba", a).equal(a.t())


def test_einsum_ellipsis_dims_go_first_in_the_implicit_output():
    assert tnn.einsum("...ba", tnn.zeros(4, 2, 3)).shape == (4, 3, 2)


def test_einsum_names_the_operand_whose_dims_differ():
    with pytest.raises(RuntimeError, match=r"number of subscripts .* \(3\) .* \(2\) for operand 1"):
        tnn.einsum("ij,ijk", tnn.ones(2, 2), tnn.ones(2, 2))


def test_einsum_names_the_letter_whose_sizes_differ():
    with pytest.raises(RuntimeError, match="subscript 'j' has size 4 in operand 1"):
        tnn.einsum("ij,jk", tnn.ones(2, 3), tnn.ones(4, 2))


def test_einsum_result_does_not_share_the_operand():
    a = tnn.ones(2, 3)
    t = tnn.einsum("ij->ji", a)
    t[0, 0] = 5.0
    assert a[0, 0].item() == 1.0


def test_scatter_writes_along_the_dim():
    out = tnn.zeros(2, 3).scatter(1, tnn.tensor([[2], [0]]), tnn.tensor([[1.0], [2.0]]))
    assert out.tolist() == [[0.0, 0.0, 1.0], [2.0, 0.0, 0.0]]


def test_scatter_add_adds_repeated_places():
    out = tnn.zeros(3).scatter_add(0, tnn.tensor([1, 1, 2]), tnn.tensor([1.0, 2.0, 4.0]))
    assert out.tolist() == [0.0, 3.0, 4.0]


def test_scatter_in_place_changes_the_tensor_and_returns_it():
    x = tnn.zeros(3)
    assert x.scatter_(0, tnn.tensor([2]), value=7.0) is x and x.tolist() == [0.0, 0.0, 7.0]


def test_scatter_in_place_keeps_the_history():
    w = tnn.ones(3, requires_grad=True)
    src = tnn.tensor([5.0], requires_grad=True)
    y = w * 2
    y.scatter_(0, tnn.tensor([1]), src)
    (y * tnn.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert w.grad.tolist() == [2.0, 0.0, 200.0] and src.grad.tolist() == [10.0]


def test_scatter_with_reduce_is_refused_in_a_graph():
    with pytest.raises(RuntimeError, match="reduce= is not implemented"):
        tnn.ones(3, requires_grad=True).scatter(0, tnn.tensor([0]), tnn.ones(1), reduce="add")


def test_scatter_needs_src_or_value():
    with pytest.raises(TypeError, match="src .* or value"):
        tnn.ones(3).scatter(0, tnn.tensor([0]))


def test_index_add_adds_slices_times_alpha():
    out = tnn.zeros(3, 2).index_add(0, tnn.tensor([2, 0, 2]), tnn.ones(3, 2), alpha=2)
    assert out.tolist() == [[2.0, 2.0], [0.0, 0.0], [4.0, 4.0]]


def test_unbind_returns_views_along_the_dim():
    x = tnn.arange(6.0).reshape(2, 3)
    cols = tnn.unbind(x, 1)
    assert len(cols) == 3 and cols[2].tolist() == [2.0, 5.0]
    x[1, 2] = -1.0
    assert cols[2].tolist() == [2.0, -1.0]


def test_broadcast_tensors_share_the_common_shape():
    a, b = tnn.broadcast_tensors(tnn.ones(2, 1), tnn.ones(3))
    assert a.shape == b.shape == (2, 3)


def test_diff_of_bools_is_a_change():
    assert tnn.tensor([True, True, False]).diff().tolist() == [False, True]


def test_nan_to_num_default_limits_are_the_dtype_extremes():
    out = tnn.tensor([np.nan, np.inf, -np.inf], dtype=tnn.float64).nan_to_num()
    assert out.tolist() == [0.0, np.finfo(np.float64).max, np.finfo(np.float64).min]


def test_var_mean_returns_the_pair_of_var_and_mean():
    x = tnn.tensor([[1.0, 2.0], [3.0, 5.0]])
    var, mean = tnn.var_mean(x, 1)
    assert var.tolist() == [0.5, 2.0] and mean.tolist() == [1.5, 4.0]


def test_var_mean_refuses_both_unbiased_and_correction():
    with pytest.raises(TypeError, match="unbiased or correction"):
        tnn.var_mean(tnn.ones(3), 0, True, correction=0)


def test_count_nonzero_is_int64():
    n = tnn.count_nonzero(tnn.tensor([[0.0, 1.0], [2.0, 0.0]]), 0)
    assert n.dtype == tnn.int64 and n.tolist() == [1, 1]


def test_bincount_counts_each_value():
    assert tnn.bincount(tnn.tensor([0, 2, 2])).tolist() == [1, 0, 2]


def test_bincount_weights_gradient_is_read_at_each_bin():
    w = tnn.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (
        tnn.bincount(tnn.tensor([0, 2, 2]), weights=w) * tnn.tensor([1.0, 10.0, 100.0])
    ).sum().backward()
    assert w.grad.tolist() == [1.0, 100.0, 100.0]


def test_unique_returns_inverse_and_counts_on_request():
    values, inverse, counts = tnn.tensor([3, 1, 3]).unique(return_inverse=True, return_counts=True)
    assert (values.tolist(), inverse.tolist(), counts.tolist()) == ([1, 3], [1, 0, 1], [1, 2])


def test_unique_without_sorting_is_still_sorted():
    assert tnn.unique(tnn.tensor([3, 1, 2]), sorted=False).tolist() == [1, 2, 3]


def test_unique_has_no_gradient():
    assert not tnn.tensor([1.0, 1.0], requires_grad=True).unique().requires_grad


def test_numpys_axis_and_keepdims_are_accepted_as_in_pytorch():
    x = tnn.ones(2, 3)
    assert tnn.diff(x, axis=0).shape == (1, 3) and len(x.unbind(axis=1)) == 3
    assert tnn.var_mean(x, axis=0, keepdims=True)[1].shape == (1, 3)
    assert tnn.count_nonzero(x, axis=1).tolist() == [3, 3]
    index = tnn.zeros(1, 3, dtype=tnn.int64)
    assert x.clone().scatter_add_(axis=0, index=index, src=x)[0].tolist() == [2.0, 2.0, 2.0]
