"""einsum, the scatter family, and the small functions of tinygrad_nn.composites and
tinygrad_nn.counting against PyTorch (when installed): same float64 inputs, same values,
dtypes, shapes and gradients (a random upstream gradient, every element); same results for
integer ops; the same exception type for the same bad arguments."""

import math

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

rng = np.random.default_rng(4)
A = rng.standard_normal((3, 4))
B = rng.standard_normal((4, 5))
C = rng.standard_normal((2, 3, 4))
SQUARE = rng.standard_normal((3, 3))
ROW = rng.standard_normal((1, 4))
NONFINITE = np.array([[1.5, math.nan, math.inf], [-math.inf, -2.0, 0.5]])
#: a permutation of the rows in each column: scatter writes each place once
PERM = np.array([[2, 0, 1, 1], [0, 2, 0, 2], [1, 1, 2, 0]])
REPEATS = np.array([[0, 1, 2, 0], [2, 0, 2, 0]])

GRADIENTS = {
    "einsum_matmul": (lambda L, a, b: L.einsum("ij,jk->ik", a, b), [A, B]),
    "einsum_implicit_output": (lambda L, a, b: L.einsum("ij,jk", a, b), [A, B]),
    "einsum_operands_as_list": (lambda L, a, b: L.einsum("ij,jk", [a, b]), [A, B]),
    "einsum_batched": (lambda L, c, b: L.einsum("bij,jk->bik", c, b), [C, B]),
    "einsum_trace": (lambda L, s: L.einsum("ii", s), [SQUARE]),
    "einsum_diagonal": (lambda L, s: L.einsum("ii->i", s), [SQUARE]),
    "einsum_outer": (lambda L, a: L.einsum("i,j->ij", a[0], a[1]), [A]),
    "einsum_sum_all": (lambda L, c: L.einsum("bij->", c), [C]),
    "einsum_ellipsis_transpose": (lambda L, c: L.einsum("...ij->...ji", c), [C]),
    "einsum_ellipsis_summed": (lambda L, c: L.einsum("...ij->ij", c), [C]),
    "einsum_ellipsis_broadcast": (lambda L, c, a: L.einsum("...j,...j->...", c, a), [C, A]),
    "einsum_size_one_broadcast": (lambda L, r, a: L.einsum("ij,ij->i", r, a), [ROW, A]),
    "einsum_spaces_and_capitals": (lambda L, a, b: L.einsum("Ij, jK -> KI", a, b), [A, B]),
    "einsum_three_operands": (
        lambda L, a, b, c: L.einsum("ij,jk,bij->bk", a, b, c),
        [A, B, C],
    ),
    "scatter": (lambda L, a, c: L.scatter(a, 0, L.tensor(PERM), c[0, :3]), [A, C]),
    "scatter_dim_1": (lambda L, a, c: a.scatter(1, L.tensor(PERM[:, :2]), c[0, :, :2]), [A, C]),
    "scatter_value": (lambda L, a: a.scatter(0, L.tensor(REPEATS), 2.5), [A]),
    "scatter_add": (lambda L, a, c: L.scatter_add(a, 0, L.tensor(REPEATS), c[0, :2]), [A, C]),
    "scatter_add_small_index": (
        lambda L, a, c: a.scatter_add(1, L.tensor(REPEATS[:, :2]), c[0, :2, :2]),
        [A, C],
    ),
    "index_add": (lambda L, a, b: L.index_add(a, 1, L.tensor([0, 3, 0, 1, 3]), b[:3]), [A, B]),
    "index_add_alpha": (
        lambda L, a, c: a.index_add(0, L.tensor([2, 2]), c[0, :2], alpha=-1.5),
        [A, C],
    ),
    "scatter_in_place": (lambda L, a, c: (a * 1).scatter_(0, L.tensor(PERM), c[0, :3]), [A, C]),
    "scatter_add_in_place": (
        lambda L, a, c: (a * 2).scatter_add_(0, L.tensor(REPEATS), c[1, :2]),
        [A, C],
    ),
    "index_add_in_place": (
        lambda L, a, c: (a - 1).index_add_(0, L.tensor([1, 1, 0]), c[1]),
        [A, C],
    ),
    "unbind": (lambda L, a: L.unbind(a, 1)[2] * 3, [A]),
    "unbind_method": (lambda L, c: L.stack(c.unbind(-1)[::2]), [C]),
    "broadcast_tensors": (lambda L, r, c: L.broadcast_tensors(r, c)[0] * 2, [ROW, C]),
    "broadcast_tensors_second": (lambda L, r, c: L.broadcast_tensors(r, c)[1], [ROW, C]),
    "diff": (lambda L, a: L.diff(a), [A]),
    "diff_twice_along_0": (lambda L, c: c.diff(n=2, dim=1), [C]),
    "diff_prepend_append": (
        lambda L, a, r: L.diff(a, dim=0, prepend=r, append=r * 2),
        [A, ROW],
    ),
    "diff_order_beyond_the_length": (lambda L, r: r.diff(5), [ROW]),
    "nan_to_num": (lambda L, x: L.nan_to_num(x), [NONFINITE]),
    "nan_to_num_values": (lambda L, x: x.nan_to_num(nan=1.0, posinf=2.0, neginf=-3.0), [NONFINITE]),
    "clamp_min": (lambda L, a: L.clamp_min(a, 0.1), [A]),
    "clamp_max_method": (lambda L, a: a.clamp_max(-0.2), [A]),
    "var_mean": (lambda L, c: L.stack(L.var_mean(c, 1)), [C]),
    "var_mean_keywords": (
        lambda L, c: L.stack(L.var_mean(c, dim=(0, 2), correction=0, keepdim=True)),
        [C],
    ),
    "var_mean_unbiased_positional": (lambda L, a: L.stack(L.var_mean(a, 0, False)), [A]),
    "var_mean_all": (lambda L, a: L.stack(L.var_mean(a)), [A]),
    "std_mean": (lambda L, c: L.stack(L.std_mean(c, -1, keepdim=True)), [C]),
    "std_mean_unbiased_only": (lambda L, a: L.stack(L.std_mean(a, False)), [A]),
}


def _leaf(library, a):
    return library.tensor(a, dtype=library.float64, requires_grad=True)


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_values_and_gradients_match_pytorch(name):
    fn, arrays = GRADIENTS[name]
    ours, theirs = [_leaf(tnn, a) for a in arrays], [_leaf(torch, a) for a in arrays]
    out, ref = fn(tnn, *ours), fn(torch, *theirs)
    assert str(out.dtype) == "float64"
    tt.assert_same_gradients(out, ref, ours, theirs, rng)


INTS = np.array([[3, 0, 2, 0], [1, 4, 0, 5], [3, 0, 2, 0]])
FLAGS = np.array([True, False, False, True])
SORTED = np.array([1.0, 2.0, 2.0, 3.0])  # with a tie

# results without gradients: integer and bool dtypes, counts, indices
EXACT = {
    "randperm_shape_and_dtype": lambda L: L.randperm(6).sort().values,
    "randperm_dtype": lambda L: L.randperm(4, dtype=L.float32).sort().values,
    "randperm_empty": lambda L: L.randperm(0),
    "einsum_ints": lambda L: L.einsum("ij,kj->ik", L.tensor(INTS), L.tensor(INTS)),
    "searchsorted": lambda L: L.searchsorted(L.tensor(SORTED), L.tensor([[2.0, 5.0], [0.5, 3.0]])),
    "searchsorted_right_ints": lambda L: L.searchsorted(
        L.tensor(SORTED), L.tensor([2, 3]), right=True
    ),
    "searchsorted_side_right": lambda L: L.searchsorted(
        L.tensor(SORTED), L.tensor([2.0]), side="right", right=False
    ),
    "searchsorted_scalar_int32": lambda L: L.searchsorted(L.tensor(SORTED), 2.0, out_int32=True),
    "searchsorted_rows": lambda L: L.searchsorted(
        L.tensor(SORTED).reshape(2, 2), L.tensor([[2.0, 0.0, 9.0], [3.0, 2.5, 2.0]])
    ),
    "searchsorted_sorter": lambda L: L.searchsorted(
        L.tensor([3.0, 1.0, 2.0]), L.tensor([2.5, 0.0]), sorter=L.tensor([1, 2, 0])
    ),
    "searchsorted_nan": lambda L: L.searchsorted(L.tensor(SORTED), L.tensor([math.nan, 1.0])),
    "bucketize": lambda L: L.bucketize(L.tensor([[0.0, 2.0], [2.5, 9.0]]), L.tensor(SORTED)),
    "bucketize_right_scalar": lambda L: L.bucketize(2.0, L.tensor(SORTED), right=True),
    "where_condition_alone": lambda L: L.where(L.tensor(INTS) > 1),
    "where_condition_alone_floats": lambda L: L.where(L.tensor(A)),
    "where_condition_alone_0d": lambda L: L.where(L.tensor(3)),
    "scatter_ints": lambda L: L.tensor(INTS).scatter(0, L.tensor(PERM), L.tensor(INTS)),
    "scatter_int_value_cast": lambda L: L.zeros(3, dtype=L.int64).scatter(0, L.tensor([1]), 1.7),
    "scatter_int32_index": lambda L: L.tensor(A).scatter(0, L.tensor(PERM, dtype=L.int32), 0.0),
    "scatter_0d": lambda L: L.tensor(1.0).scatter(0, L.tensor(0), L.tensor(5.0)),
    "scatter_empty_index": lambda L: L.tensor(INTS).scatter(0, L.zeros(0, 4, dtype=L.int64), 9),
    "scatter_reduce_add": lambda L: L.tensor(A).scatter(
        0, L.tensor(REPEATS), L.tensor(A), reduce="add"
    ),
    "scatter_reduce_multiply": lambda L: L.tensor(A).scatter(
        1, L.tensor(REPEATS), L.tensor(A), reduce="multiply"
    ),
    "scatter_add_ints_repeats": lambda L: L.zeros(3, dtype=L.int64).scatter_add(
        0, L.tensor([0, 0, 2]), L.tensor([1, 2, 3])
    ),
    "index_add_int32_index": lambda L: L.tensor(INTS).index_add(
        1, L.tensor([3, 3], dtype=L.int32), L.tensor(INTS[:, :2])
    ),
    "index_add_0d_index": lambda L: L.tensor(INTS).index_add(0, L.tensor(1), L.tensor(INTS[:1])),
    "unbind_ints": lambda L: L.tensor(INTS).unbind(),
    "broadcast_tensors_three": lambda L: L.broadcast_tensors(
        L.tensor(FLAGS), L.tensor(INTS), L.tensor(3.0)
    ),
    "diff_ints": lambda L: L.tensor(INTS).diff(dim=0),
    "diff_bools": lambda L: L.tensor(FLAGS).diff(),
    "diff_order_0": lambda L: L.tensor(INTS).diff(n=0),
    "nan_to_num_float32": lambda L: L.tensor(NONFINITE, dtype=L.float32).nan_to_num(),
    "nan_to_num_ints": lambda L: L.nan_to_num(L.tensor(INTS)),
    "clamp_min_int": lambda L: L.tensor(INTS).clamp_min(2),
    "count_nonzero": lambda L: L.count_nonzero(L.tensor(INTS)),
    "count_nonzero_dim": lambda L: L.tensor(INTS).count_nonzero(1),
    "count_nonzero_dims": lambda L: L.tensor(INTS).count_nonzero(dim=(0, 1)),
    "count_nonzero_bools": lambda L: L.tensor(FLAGS).count_nonzero(),
    "bincount": lambda L: L.bincount(L.tensor([0, 2, 2, 5])),
    "bincount_minlength": lambda L: L.tensor([0, 2]).bincount(minlength=5),
    "bincount_int32": lambda L: L.bincount(L.tensor([1, 2], dtype=L.int32)),
    "bincount_empty": lambda L: L.bincount(L.tensor([], dtype=L.int64)),
    "bincount_float64_weights_minlength": lambda L: L.bincount(
        L.tensor([0, 2, 2, 5]), weights=L.tensor(A[0]), minlength=7
    ),
    "bincount_float32_weights": lambda L: L.bincount(
        L.tensor([0, 2, 2]), weights=L.tensor([0.5, 1.0, 2.0])
    ),
    "bincount_int_weights_are_float64": lambda L: L.bincount(
        L.tensor([0, 2, 2]), weights=L.tensor([1, 1, 2])
    ),
    "unique": lambda L: L.unique(L.tensor(INTS)),
    "unique_inverse_counts": lambda L: L.unique(
        L.tensor(INTS), return_inverse=True, return_counts=True
    ),
    "unique_counts_method": lambda L: L.tensor(A.round()).unique(return_counts=True),
    "unique_dim": lambda L: L.tensor(INTS).unique(dim=0, return_inverse=True, return_counts=True),
    "unique_nan_not_merged": lambda L: L.unique(L.tensor([math.nan, 1.0, math.nan])),
    "unique_0d": lambda L: L.unique(L.tensor(3.0), return_inverse=True),
}


@pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")  # deprecated there
@pytest.mark.parametrize("name", sorted(EXACT))
def test_results_and_dtypes_match_pytorch(name):
    tt.assert_same_result(EXACT[name](tnn), EXACT[name](torch))


ERRORS = {
    "randperm_negative": lambda L: L.randperm(-1),
    "searchsorted_side_and_right_opposite": lambda L: L.searchsorted(
        L.tensor(SORTED), L.tensor([2.0]), side="left", right=True
    ),
    "searchsorted_side_unknown": lambda L: L.searchsorted(
        L.tensor(SORTED), L.tensor([2.0]), side="middle"
    ),
    "searchsorted_rows_differ": lambda L: L.searchsorted(
        L.tensor(SORTED).reshape(2, 2), L.tensor([[2.0]])
    ),
    "searchsorted_scalar_in_rows": lambda L: L.searchsorted(L.tensor(SORTED).reshape(2, 2), 2.0),
    "bucketize_2d_boundaries": lambda L: L.bucketize(L.ones(2), L.tensor(SORTED).reshape(2, 2)),
    "where_without_other": lambda L: L.where(L.tensor(FLAGS), L.ones(4)),
    "where_of_a_list": lambda L: L.where([True, False]),
    "randperm_float": lambda L: L.randperm(3.0),
    "einsum_more_operands": lambda L: L.einsum("ij", L.ones(2, 2), L.ones(2, 2)),
    "einsum_fewer_operands": lambda L: L.einsum("ij,jk", L.ones(2, 2)),
    "einsum_subscripts_and_dims_differ": lambda L: L.einsum("ijk", L.ones(2, 2)),
    "einsum_output_letter_unknown": lambda L: L.einsum("ij->k", L.ones(2, 2)),
    "einsum_output_letter_twice": lambda L: L.einsum("ij->ii", L.ones(2, 2)),
    "einsum_sizes_differ": lambda L: L.einsum("ij,ij->", L.ones(2, 3), L.ones(3, 4)),
    "einsum_dtypes_differ": lambda L: L.einsum("i,i", L.ones(2), L.ones(2, dtype=L.float64)),
    "einsum_bad_subscript": lambda L: L.einsum("i1", L.ones(2, 2)),
    "einsum_two_ellipses": lambda L: L.einsum("......", L.ones(2)),
    "einsum_not_a_tensor": lambda L: L.einsum("i", [1.0, 2.0]),
    "scatter_dtypes_differ": lambda L: L.ones(3, 4).scatter(
        0, L.tensor(PERM), L.ones(3, 4, dtype=L.float64)
    ),
    "scatter_index_dims": lambda L: L.ones(3, 4).scatter(0, L.tensor([0]), L.ones(3, 4)),
    "scatter_index_larger_than_src": lambda L: L.ones(3, 4).scatter(
        0, L.tensor(PERM), L.ones(1, 4)
    ),
    "scatter_index_larger_than_self": lambda L: L.ones(3, 4).scatter(
        0, L.zeros(1, 5, dtype=L.int64), L.ones(3, 5)
    ),
    "scatter_index_out_of_range": lambda L: L.ones(3, 4).scatter(0, L.tensor([[3]]), L.ones(3, 4)),
    "scatter_negative_index": lambda L: L.ones(3, 4).scatter(0, L.tensor([[-1]]), L.ones(3, 4)),
    "scatter_float_index": lambda L: L.ones(3, 4).scatter(0, L.tensor([[0.0]]), L.ones(3, 4)),
    "scatter_unknown_reduce": lambda L: L.ones(3).scatter(
        0, L.tensor([0]), L.ones(3), reduce="max"
    ),
    "scatter_add_of_number": lambda L: L.ones(3).scatter_add(0, L.tensor([0]), 1.0),
    "scatter_value_into_a_list": lambda L: L.scatter([1.0], 0, L.tensor([0]), value=2.0),
    "scatter_in_place_on_leaf": lambda L: L.ones(3, requires_grad=True).scatter_(
        0, L.tensor([0]), L.ones(3)
    ),
    "index_add_matrix_index": lambda L: L.ones(3, 4).index_add(0, L.tensor([[0]]), L.ones(1, 4)),
    "index_add_count_differs": lambda L: L.ones(3, 4).index_add(0, L.tensor([0, 1]), L.ones(3, 4)),
    "index_add_shapes_differ": lambda L: L.ones(3, 4).index_add(0, L.tensor([0, 1]), L.ones(2, 5)),
    "index_add_dtypes_differ": lambda L: L.ones(3, 4).index_add(
        0, L.tensor([0]), L.ones(1, 4, dtype=L.float64)
    ),
    "index_add_out_of_range": lambda L: L.ones(3, 4).index_add(0, L.tensor([3]), L.ones(1, 4)),
    "index_add_float_index": lambda L: L.ones(3, 4).index_add(0, L.tensor([0.0]), L.ones(1, 4)),
    "index_add_source_fewer_dims": lambda L: L.ones(3, 4).index_add(1, L.tensor([1]), L.ones(3)),
    "index_add_into_a_list": lambda L: L.index_add([1.0], 0, L.tensor([0]), L.ones(1)),
    "unbind_0d": lambda L: L.tensor(1.0).unbind(),
    "unbind_dim_out_of_range": lambda L: L.ones(2).unbind(1),
    "broadcast_tensors_mismatch": lambda L: L.broadcast_tensors(L.ones(2), L.ones(3)),
    "diff_0d": lambda L: L.tensor(1.0).diff(),
    "diff_negative_order": lambda L: L.ones(2).diff(-1),
    "diff_prepend_0d": lambda L: L.ones(2).diff(prepend=L.tensor(5.0)),
    "diff_prepend_sizes_differ": lambda L: L.ones(2, 2).diff(prepend=L.ones(3, 1)),
    "var_mean_ints": lambda L: L.var_mean(L.tensor([1, 2])),
    "std_mean_ints": lambda L: L.std_mean(L.tensor([1, 2]), 0),
    "count_nonzero_dim_out_of_range": lambda L: L.ones(2).count_nonzero(1),
    "bincount_negative": lambda L: L.bincount(L.tensor([-1, 2])),
    "bincount_floats": lambda L: L.bincount(L.tensor([1.0, 2.0])),
    "bincount_bools": lambda L: L.bincount(L.tensor([True, False])),
    "bincount_matrix": lambda L: L.bincount(L.tensor([[1, 2]])),
    "bincount_weights_length": lambda L: L.bincount(L.tensor([1, 2]), weights=L.ones(3)),
    "bincount_negative_minlength": lambda L: L.bincount(L.tensor([1, 2]), minlength=-1),
    "unique_dim_of_0d": lambda L: L.unique(L.tensor(5), dim=3),
    "unique_dim_out_of_range": lambda L: L.tensor([1, 2]).unique(dim=-2),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_arguments_raise_what_pytorch_raises(name):
    tt.assert_same_error(ERRORS[name], tnn, torch)
