"""The shape, indexing, scan, order and norm ops against PyTorch (when installed): the same
float64 inputs give the same values, indices, dtypes and gradients (one random upstream
gradient, every element), and the same bad arguments are refused with the same exception
type. Each case is one function of the library (tinygrad_nn or torch) and the tensors."""

import math

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

rng = np.random.default_rng(1)
A = rng.standard_normal((3, 4))
B = rng.standard_normal((3, 4))
#: zeros: row 0 none, row 1 one, row 2 two (prod and cumprod take other paths there)
Z = np.array([[0.5, -2.0, 1.5, 3.0], [1.2, 0.0, -0.7, 2.0], [0.0, 1.1, 0.0, -0.4]])
TIES = np.array([[1.0, 3.0, 3.0, -1.0], [2.0, 2.0, 2.0, 0.0], [0.5, -0.5, 0.5, -0.5]])
MASK = np.array([True, False, False, True])

CASES = {
    "cumsum": (lambda L, x: L.cumsum(x, 1), [A]),
    "cumsum_method_negative_dim": (lambda L, x: x.cumsum(-2), [A]),
    "cumprod_with_zeros": (lambda L, x: L.cumprod(x, 1), [Z]),
    "cumprod_without_zeros": (lambda L, x: x.cumprod(0), [A]),
    "prod_dim_with_zeros": (lambda L, x: L.prod(x, 1, keepdim=True), [Z]),
    "prod_one_zero": (lambda L, x: x[1].prod(), [Z]),
    "prod_two_zeros": (lambda L, x: L.prod(x[2]), [Z]),
    "prod_all": (lambda L, x: x.prod(), [A]),
    "flip": (lambda L, x: L.flip(x, (0, 1)), [A]),
    "flip_method": (lambda L, x: x.flip(-1), [A]),
    "roll": (lambda L, x: L.roll(x, (1, -3), (0, 1)), [A]),
    "roll_flat": (lambda L, x: x.roll(5), [A]),
    "tril": (lambda L, x: L.tril(x, -1), [A]),
    "triu_batched": (lambda L, x: x.reshape(2, 2, 3).triu(1), [A]),
    "diag_of_vector": (lambda L, x: L.diag(x[0], 1), [A]),
    "diag_of_matrix": (lambda L, x: x.diag(-1), [A]),
    "trace": (lambda L, x: L.trace(x), [A]),
    "split_sizes": (lambda L, x: L.split(x, [1, 3], 1)[1] * 2, [A]),
    "split_size": (lambda L, x: x.split(3, 1)[1], [A]),
    "chunk": (lambda L, x: L.chunk(x, 3, 1)[-1], [A]),
    "tile": (lambda L, x: L.tile(x, (2, 1, 2)), [A]),
    "repeat": (lambda L, x: x.repeat(2, 1, 3), [A]),
    "repeat_interleave_counts": (
        lambda L, x: L.repeat_interleave(x, L.tensor([1, 0, 2]), dim=0),
        [A],
    ),
    "repeat_interleave_flat": (lambda L, x: x.repeat_interleave(2), [A]),
    "masked_fill": (lambda L, x: L.masked_fill(x, x > 0, -1.5), [A]),
    "masked_fill_tensor_value": (lambda L, x, y: x.masked_fill(L.tensor(MASK), y[0, 1]), [A, B]),
    "masked_fill_in_place": (
        lambda L, x, y: (x * 2).masked_fill_(L.tensor(MASK), y[0, 1]),
        [A, B],
    ),
    "masked_select_broadcast": (lambda L, x: L.masked_select(x, L.tensor(MASK)), [A]),
    "index_select": (lambda L, x: L.index_select(x, 1, L.tensor([3, 0, 3])), [A]),
    "sort": (lambda L, x: L.sort(x, 1).values, [A]),
    "sort_descending": (lambda L, x: x.sort(0, descending=True).values, [A]),
    "topk": (lambda L, x: L.topk(x, 2, 1).values, [A]),
    "topk_smallest": (lambda L, x: x.topk(2, 0, largest=False).values, [A]),
    "dot": (lambda L, x, y: L.dot(x[0], y[0]), [A, B]),
    "outer": (lambda L, x, y: L.outer(x[0], y[:, 0]), [A, B]),
    "norm_fro": (lambda L, x: L.norm(x), [A]),
    "norm_1_dim": (lambda L, x: x.norm(1, 1), [A]),
    "norm_inf_keepdim": (lambda L, x: x.norm(math.inf, 0, keepdim=True), [A]),
    "norm_neg_inf": (lambda L, x: x.norm(-math.inf, 1), [A]),
    "norm_3_dims": (lambda L, x: L.norm(x, 3, (0, 1)), [A]),
    "norm_2_zero_row": (lambda L, x: x.norm(2, 1), [Z * np.array([[1], [0], [1]])]),
    "norm_0": (lambda L, x: x.norm(0), [Z]),
    "norm_half_with_zeros": (lambda L, x: x.norm(0.5, 1), [Z]),
    "norm_half_all_zeros": (lambda L, x: L.norm(x * 0, 0.3), [Z]),
    "norm_negative_with_zeros": (lambda L, x: x.norm(-1, 1, keepdim=True), [Z]),
    "norm_negative_without_zeros": (lambda L, x: L.norm(x, -2.5, 0), [A]),
    "norm_1_5_with_zeros": (lambda L, x: x.norm(1.5), [Z]),
    "norm_nuc": (lambda L, x: x.norm(p="nuc"), [A]),
    "norm_nuc_wide_dims_keepdim": (
        lambda L, x: L.norm(x.reshape(2, 3, 2), "nuc", (2, 0), keepdim=True),
        [A],
    ),
    "amin": (lambda L, x: L.amin(x, 1), [A]),
    "amin_ties": (lambda L, x: x.amin(0, keepdim=True), [TIES]),
    "hstack": (lambda L, x, y: L.hstack([x, y]), [A, B]),
    "hstack_vectors": (lambda L, x, y: L.hstack([x[0], y[1], x[2, 0]]), [A, B]),
    "vstack": (lambda L, x, y: L.vstack([x[0], y]), [A, B]),
}


def _pair(a):
    return (
        tnn.tensor(a, dtype=tnn.float64, requires_grad=True),
        torch.tensor(a, dtype=torch.float64, requires_grad=True),
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_match_pytorch(name):
    fn, arrays = CASES[name]
    ours, theirs = zip(*map(_pair, arrays))
    out, ref = fn(tnn, *ours), fn(torch, *theirs)
    assert out.shape == tuple(ref.shape)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-12, atol=1e-14)
    v = rng.standard_normal(tuple(ref.shape))
    out.backward(tnn.tensor(v))
    ref.backward(torch.tensor(v))
    for o, r in zip(ours, theirs):
        # torch leaves an undefined gradient (None) where it is 0 everywhere (norm 0)
        expected = np.zeros(r.shape) if r.grad is None else r.grad.numpy()
        np.testing.assert_allclose(o.grad.numpy(), expected, rtol=1e-12, atol=1e-14)


def _name(dtype):
    return str(dtype).removeprefix("torch.")


def _same(out, ref):
    """Same dtype, shape and elements (recursively for tuples)."""
    if isinstance(ref, (tuple, list)):
        assert len(out) == len(ref)
        for o, r in zip(out, ref):
            _same(o, r)
        return
    assert (_name(out.dtype), tuple(out.shape)) == (_name(ref.dtype), tuple(ref.shape))
    np.testing.assert_array_equal(np.asarray(out.detach()), ref.detach().numpy())


INTS = np.array([[3, -1, 2, 0], [1, 4, -2, 5]], dtype=np.int32)

# results without gradients: indices, integer and bool dtypes, new tensors
EXACT = {
    "sort_indices_ties_stable": lambda L: L.sort(L.tensor(TIES), dim=1, stable=True).indices,
    "sort_descending_ties_stable": lambda L: L.tensor(TIES).sort(
        dim=0, descending=True, stable=True
    ),
    "sort_nan_largest": lambda L: L.tensor([1.0, math.nan, -1.0]).sort(descending=True),
    "argsort": lambda L: L.argsort(L.tensor(A), 0),
    "argsort_descending_stable": lambda L: L.tensor(TIES).argsort(
        dim=1, descending=True, stable=True
    ),
    "topk_indices": lambda L: L.topk(L.tensor(A), 3, 1),
    "sort_ints": lambda L: L.tensor(INTS).sort(1),
    "nonzero": lambda L: L.nonzero(L.tensor(Z)),
    "nonzero_as_tuple": lambda L: L.tensor(Z).nonzero(as_tuple=True),
    "cumsum_int32_is_int64": lambda L: L.tensor(INTS).cumsum(1),
    "cumsum_bool": lambda L: L.tensor(MASK).cumsum(0),
    "cumsum_dtype": lambda L: L.tensor(INTS).cumsum(0, dtype=L.float64),
    "cumprod_int": lambda L: L.cumprod(L.tensor(INTS), 0),
    "prod_int32": lambda L: L.tensor(INTS).prod(),
    "prod_bool_dim": lambda L: L.tensor(MASK).prod(0),
    "trace_int32": lambda L: L.tensor(INTS).trace(),
    "amin_int": lambda L: L.tensor(INTS).amin(1),
    "tril_int": lambda L: L.tensor(INTS).tril(),
    "flip_bool": lambda L: L.tensor(MASK).flip(0),
    "roll_int": lambda L: L.tensor(INTS).roll(-1, 1),
    "diag_int": lambda L: L.diag(L.tensor(INTS[0]), -2),
    "masked_fill_int": lambda L: L.tensor(INTS).masked_fill(L.tensor(MASK), 7),
    "masked_fill_in_place_int": lambda L: L.tensor(INTS).masked_fill_(L.tensor(MASK), 7),
    "masked_select_int": lambda L: L.tensor(INTS).masked_select(L.tensor(MASK)),
    "index_select_scalar_index": lambda L: L.tensor(INTS).index_select(1, L.tensor(2)),
    "repeat_interleave_counts_only": lambda L: L.repeat_interleave(L.tensor([2, 0, 1])),
    "dot_int": lambda L: L.tensor(INTS[0]).dot(L.tensor(INTS[1])),
    "outer_promotes": lambda L: L.tensor(INTS[0]).outer(L.tensor([0.5, 2.0])),
    "split_views": lambda L: L.tensor(INTS).split([2, 1, 1], 1),
    "chunk_fewer": lambda L: L.tensor(np.arange(5)).chunk(4),
    "norm_float32": lambda L: L.tensor([3.0, 4.0]).norm(),
    "new_zeros": lambda L: L.tensor(INTS).new_zeros(2, 3),
    "new_ones_tuple": lambda L: L.tensor(A).new_ones((2,)),
    "new_full": lambda L: L.tensor(INTS).new_full((2, 2), 5),
    "new_empty_shape": lambda L: L.tensor(A).new_empty(3).zero_(),
    "new_tensor_takes_the_dtype": lambda L: L.tensor(INTS).new_tensor([1.7, 2.2]),
    "new_zeros_dtype": lambda L: L.tensor(INTS).new_zeros(2, dtype=L.float64),
    "type_as": lambda L: L.tensor(INTS).type_as(L.tensor([1.0])),
    "vstack_ints": lambda L: L.vstack([L.tensor(INTS), L.tensor(INTS[0])]),
    # PyTorch's keyword names
    "keywords_cumsum": lambda L: L.cumsum(input=L.tensor(INTS), dim=1, dtype=L.float64),
    "keywords_flip": lambda L: L.flip(L.tensor(INTS), dims=(0,)),
    "keywords_flip_method": lambda L: L.tensor(INTS).flip(dims=[1]),
    "keywords_split": lambda L: L.split(L.tensor(INTS), split_size_or_sections=3, dim=1),
    "keywords_split_method": lambda L: L.tensor(INTS).split(split_size=[1, 3], dim=1),
    "keywords_topk": lambda L: L.topk(L.tensor(A), k=2, dim=0, largest=False, sorted=True),
    "keywords_roll_tile": lambda L: L.tile(L.roll(L.tensor(INTS), shifts=1, dims=0), dims=(2,)),
    "keywords_masked_fill": lambda L: L.masked_fill(L.tensor(INTS), mask=L.tensor(MASK), value=0),
    "keywords_index_select": lambda L: L.index_select(L.tensor(INTS), dim=1, index=L.tensor([0])),
    "keywords_new_full": lambda L: L.tensor(A).new_full(size=(2,), fill_value=3),
    "keywords_norm": lambda L: L.norm(L.tensor(INTS).double(), p=1, dim=0, keepdim=True),
    "keywords_stacks": lambda L: L.vstack(tensors=(L.hstack(tensors=[L.tensor(INTS)] * 2),) * 2),
    # 0-d and empty tensors
    "sort_0d": lambda L: L.tensor(2.5).sort(),
    "topk_0d": lambda L: L.tensor(2.5).topk(1),
    "cumprod_0d": lambda L: L.tensor(2.5).cumprod(-1),
    "prod_of_empty": lambda L: L.zeros(0, 3).prod(0),
    "nonzero_0d": lambda L: L.tensor(2.5).nonzero(),
    "index_select_0d": lambda L: L.tensor(2.5).index_select(0, L.tensor([0])),
    "split_empty": lambda L: L.zeros(0, 3).split(2),
    "chunk_empty": lambda L: L.zeros(0, 3).chunk(3),
    "amin_empty_dim_is_every_dim": lambda L: L.tensor(A).amin(()),
    "roll_0d": lambda L: L.tensor(2.5).roll(1),
    "tile_0d": lambda L: L.tensor(2.5).tile((2, 2)),
    "diag_beyond_the_matrix": lambda L: L.tensor(A).diag(5),
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_indices_and_dtypes_match_pytorch(name):
    _same(EXACT[name](tnn), EXACT[name](torch))


ERRORS = {
    "cumsum_dim_out_of_range": lambda L: L.ones(2, 3).cumsum(2),
    "flip_repeated_dim": lambda L: L.ones(2, 3).flip(0, 0),
    "roll_shifts_and_dims_differ": lambda L: L.ones(2, 3).roll((1, 2), 0),
    "tril_of_vector": lambda L: L.ones(3).tril(),
    "diag_of_3d": lambda L: L.ones(2, 2, 2).diag(),
    "trace_of_vector": lambda L: L.ones(3).trace(),
    "split_sizes_do_not_sum": lambda L: L.ones(2, 3).split([1, 1], 1),
    "chunk_zero": lambda L: L.ones(2, 3).chunk(0),
    "repeat_fewer_dims": lambda L: L.ones(2, 3).repeat(2),
    "repeat_interleave_wrong_count": lambda L: L.ones(3).repeat_interleave(L.tensor([1, 2])),
    "repeat_interleave_negative": lambda L: L.ones(2).repeat_interleave(L.tensor([1, -1])),
    "masked_fill_float_mask": lambda L: L.ones(3).masked_fill(L.ones(3), 0.0),
    "masked_fill_vector_value": lambda L: L.ones(3).masked_fill(L.ones(3) > 0, L.ones(3)),
    "masked_select_int_mask": lambda L: L.ones(3).masked_select(L.tensor([1, 0, 1])),
    "index_select_float_index": lambda L: L.ones(3).index_select(0, L.tensor([0.0])),
    "index_select_2d_index": lambda L: L.ones(3).index_select(0, L.tensor([[0]])),
    "index_select_out_of_range": lambda L: L.ones(3).index_select(0, L.tensor([3])),
    "topk_too_many": lambda L: L.ones(2, 3).topk(4),
    "sort_dim_out_of_range": lambda L: L.ones(3).sort(1),
    "dot_of_matrices": lambda L: L.ones(2, 2).dot(L.ones(2, 2)),
    "dot_sizes_differ": lambda L: L.ones(2).dot(L.ones(3)),
    "dot_dtypes_differ": lambda L: L.ones(2).dot(L.ones(2, dtype=L.float64)),
    "outer_of_matrix": lambda L: L.ones(2, 2).outer(L.ones(2)),
    "norm_of_ints": lambda L: L.tensor([3, 4]).norm(),
    "masked_fill_int_with_inf": lambda L: L.tensor([1, 2]).masked_fill(
        L.tensor(MASK[:2]), math.inf
    ),
    "index_select_0d_two_indices": lambda L: L.tensor(2.5).index_select(0, L.tensor([0, 0])),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_arguments_raise_what_pytorch_raises(name):
    with pytest.raises(Exception) as ref:
        ERRORS[name](torch)
    with pytest.raises(ref.type):
        ERRORS[name](tnn)
