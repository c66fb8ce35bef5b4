"""The shape and indexing functions of tinygrad_nn.shaping (and ``narrow``, ``select``,
``dstack``, ``column_stack``, ``row_stack``, ``reshape_as``) against PyTorch (when installed):
the same float64 inputs give the same values and gradients (a random upstream gradient,
every element); integer inputs the same values and dtypes; the same bad arguments the same
exception type."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

rng = np.random.default_rng(11)
A = rng.standard_normal((3, 4))
C = rng.standard_normal((2, 3, 4))
V = rng.standard_normal(5)
INTS = np.arange(12).reshape(3, 4)


def _long(library, values):
    return library.tensor(values, dtype=library.int64)


GRADIENTS = {
    "movedim": (lambda L, c: L.movedim(c, 0, -1), [C]),
    "movedim_tuples": (lambda L, c: c.movedim((0, 1), (2, 0)), [C]),
    "moveaxis": (lambda L, c: L.moveaxis(c, -1, 0) * 2, [C]),
    "swapdims": (lambda L, c: L.swapdims(c, 0, 2), [C]),
    "swapaxes": (lambda L, c: L.swapaxes(c, 1, 2), [C]),
    "swapdims_method": (lambda L, a: a.swapdims(0, 1), [A]),
    "unflatten": (lambda L, c: L.unflatten(c, 2, (2, -1)), [C]),
    "unflatten_method": (lambda L, a: a.unflatten(0, (1, 3, 1)), [A]),
    "ravel": (lambda L, c: L.ravel(c.transpose(0, 2)), [C]),
    "reshape_as": (lambda L, a, c: a.reshape_as(c[0]), [A, C]),
    "broadcast_to": (lambda L, a: L.broadcast_to(a[:1], (2, 3, 4)), [A]),
    "broadcast_to_minus_one": (lambda L, a: a.broadcast_to((2, -1, 4)), [A]),
    "tensor_split_sections": (lambda L, v: L.tensor_split(v, 3)[1], [V]),
    "tensor_split_indices": (lambda L, a: L.cat(L.tensor_split(a, [1, 3], 1)[::-1], 1), [A]),
    "tensor_split_tensor_indices": (lambda L, a: a.tensor_split(_long(L, [2, 1, 5]), 1)[2], [A]),
    "tensor_split_negative_index": (lambda L, v: v.tensor_split([-2])[1], [V]),
    "hsplit": (lambda L, a: L.hsplit(a, 2)[1], [A]),
    "hsplit_1d": (lambda L, v: v.hsplit([2])[0], [V]),
    "vsplit": (lambda L, a: L.vsplit(a, [1])[1], [A]),
    "dsplit": (lambda L, c: L.dsplit(c, 2)[0], [C]),
    "rot90": (lambda L, a: L.rot90(a), [A]),
    "rot90_twice": (lambda L, c: c.rot90(2, (1, 2)), [C]),
    "rot90_backwards": (lambda L, c: L.rot90(c, -1, [2, 0]), [C]),
    "rot90_full_turn": (lambda L, a: a.rot90(4), [A]),
    "fliplr": (lambda L, a: L.fliplr(a), [A]),
    "flipud": (lambda L, c: c.flipud(), [C]),
    "diagonal": (lambda L, a: L.diagonal(a), [A]),
    "diagonal_offset": (lambda L, a: a.diagonal(1), [A]),
    "diagonal_negative_offset_dims": (lambda L, c: L.diagonal(c, -1, 2, 0), [C]),
    "diagonal_beyond": (lambda L, a: a.diagonal(7), [A]),
    "diag_embed": (lambda L, a: L.diag_embed(a), [A]),
    "diag_embed_offset_dims": (lambda L, a: a.diag_embed(-1, 0, 2), [A]),
    "diagflat": (lambda L, a: L.diagflat(a, 1), [A]),
    "take": (lambda L, c: L.take(c, _long(L, [[0, 23], [-1, 5]])), [C]),
    "take_method_repeats": (lambda L, a: a.take(_long(L, [3, 3, 0])), [A]),
    "take_along_dim": (
        lambda L, a: L.take_along_dim(a, _long(L, [[0, 3], [1, 1], [2, 0]]), 1),
        [A],
    ),
    "take_along_dim_broadcast": (
        lambda L, c: c.take_along_dim(_long(L, [[[0], [2], [1]]]), 2),
        [C],
    ),
    "take_along_dim_flat": (lambda L, a: L.take_along_dim(a, _long(L, [11, 0, 4])), [A]),
    "take_along_dim_argsort": (lambda L, a: L.take_along_dim(a, a.argsort(0), 0), [A]),
    "narrow": (lambda L, a: L.narrow(a, 1, 1, 2), [A]),
    "select": (lambda L, c: L.select(c, 2, -1), [C]),
    "atleast_1d": (lambda L, a: L.atleast_1d(a[0, 0]), [A]),
    "atleast_2d_many": (
        lambda L, a, v: L.cat([t.reshape(-1) for t in L.atleast_2d(a[0, 0], v[:4], a)]),
        [A, V],
    ),
    "atleast_3d": (lambda L, a, v: L.atleast_3d([a, v])[1], [A, V]),
    "dstack": (lambda L, a: L.dstack([a, a * 2]), [A]),
    "dstack_1d": (lambda L, v: L.dstack((v, v.flip(0))), [V]),
    "column_stack": (lambda L, a, v: L.column_stack([v[:3], a, a[:, 0]]), [A, V]),
    "column_stack_0d": (lambda L, a: L.column_stack([a[0, 0], a[:1]]), [A]),
    "row_stack": (lambda L, a, v: L.row_stack([a, v[:4]]), [A, V]),
    "cartesian_prod": (lambda L, v, a: L.cartesian_prod(v[:2], a[0], v[2:]), [V, A]),
    "cartesian_prod_one": (lambda L, v: L.cartesian_prod(v) * 1, [V]),
    "block_diag": (lambda L, a, v: L.block_diag(a, v, a[0, 0], a[:2, :1]), [A, V]),
    "combinations": (lambda L, v: L.combinations(v), [V]),
    "combinations_with_replacement": (
        lambda L, v: L.combinations(v[:3], 3, with_replacement=True),
        [V],
    ),
}


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_values_and_gradients_match_pytorch(name):
    tt.assert_same_case(*GRADIENTS[name], tnn, torch, rng)


EXACT = {
    "movedim_ints": lambda L: L.tensor(INTS).movedim(1, 0),
    "movedim_0d": lambda L: L.tensor(3).movedim(0, -1),
    "unflatten_ints": lambda L: L.tensor(INTS).unflatten(-1, [2, 2]),
    "tensor_split_sections_uneven": lambda L: L.tensor(INTS).tensor_split(3, 1),
    "tensor_split_0d_tensor": lambda L: L.tensor_split(L.tensor(INTS), L.tensor(2)),
    "tensor_split_more_sections": lambda L: L.tensor(INTS).tensor_split(5),
    "tensor_split_indices_beyond": lambda L: L.tensor(INTS).tensor_split([1, 8, 3], 1),
    "hsplit_ints": lambda L: L.hsplit(L.tensor(INTS), 4),
    "rot90_ints": lambda L: L.tensor(INTS).rot90(3),
    "diagonal_ints": lambda L: L.tensor(INTS).diagonal(-1),
    "diag_embed_ints": lambda L: L.tensor(INTS).diag_embed(2),
    "diag_embed_bools": lambda L: L.tensor([True, False]).diag_embed(),
    "diagflat_ints": lambda L: L.tensor(INTS).diagflat(-2),
    "take_ints": lambda L: L.tensor(INTS).take(L.tensor([[11], [-12]])),
    "take_along_dim_ints": lambda L: L.tensor(INTS).take_along_dim(L.tensor([[2, 0, 1, 0]]), 0),
    "atleast_2d_0d": lambda L: L.atleast_2d(L.tensor(5)),
    "atleast_3d_many": lambda L: L.atleast_3d(L.tensor(5), L.tensor([1, 2]), L.tensor(INTS)),
    "atleast_1d_list": lambda L: L.atleast_1d([L.tensor(1.5)]),
    "atleast_3d_4d": lambda L: L.atleast_3d(L.tensor(INTS).reshape(1, 3, 2, 2)),
    "triu_indices": lambda L: L.triu_indices(3, 4, 1),
    "tril_indices": lambda L: L.tril_indices(3, 2, -1),
    "tril_indices_int32": lambda L: L.tril_indices(4, 4, dtype=L.int32),
    "triu_indices_empty": lambda L: L.triu_indices(2, 2, 5),
    "cartesian_prod_ints": lambda L: L.cartesian_prod(L.tensor([1, 2]), L.tensor([3, 4, 5])),
    "block_diag_promotes": lambda L: L.block_diag(
        L.tensor(1), L.tensor([2.0, 3.0]), L.ones(2, 1, dtype=L.int32)
    ),
    "block_diag_ints": lambda L: L.block_diag(L.tensor(INTS[:2, :2]), L.tensor([[7]])),
    "block_diag_none": lambda L: L.block_diag(),
    "combinations_too_few": lambda L: L.combinations(L.tensor([1.0, 2.0]), r=3),
    "combinations_r_0": lambda L: L.combinations(L.tensor([1.0, 2.0]), r=0),
    "combinations_ints": lambda L: L.combinations(L.tensor([4, 5, 6, 7]), 3),
    "dstack_ints": lambda L: L.dstack([L.tensor(INTS), L.tensor(INTS)]),
    "column_stack_0d": lambda L: L.column_stack([L.tensor(1), L.tensor([[2, 3]])]),
    "broadcast_to_int": lambda L: L.tensor(3).broadcast_to(4),
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_results_and_dtypes_match_pytorch(name):
    tt.assert_same_result(EXACT[name](tnn), EXACT[name](torch))


def test_views_share_storage_as_pytorchs():
    x = tnn.zeros(2, 3, 4)
    for view in (
        x.movedim(0, 2),
        x.unflatten(2, (2, 2)),
        x.ravel(),
        x.broadcast_to((5, 2, 3, 4)),
        x.tensor_split(2, 1)[1],
        x.swapdims(0, 1),
        tnn.narrow(x, 0, 1, 1),
    ):
        assert np.shares_memory(view.numpy(), x.numpy())


ERRORS = {
    "movedim_int_and_tuple": lambda L: L.ones(2, 3).movedim((0, 1), 0),
    "movedim_lengths_differ": lambda L: L.ones(2, 3).movedim((0, 1), (0,)),
    "movedim_repeated": lambda L: L.ones(2, 3, 4).movedim((0, 1), (2, 2)),
    "movedim_out_of_range": lambda L: L.ones(2, 3).movedim(2, 0),
    "unflatten_sizes_differ": lambda L: L.ones(2, 6).unflatten(1, (4, -1)),
    "unflatten_empty_sizes": lambda L: L.ones(2, 6).unflatten(1, ()),
    "broadcast_to_mismatch": lambda L: L.ones(2, 3).broadcast_to((3, 3)),
    "broadcast_to_fewer_dims": lambda L: L.ones(2, 3).broadcast_to((3,)),
    "tensor_split_0d": lambda L: L.tensor(1.0).tensor_split(1),
    "tensor_split_zero_sections": lambda L: L.ones(3).tensor_split(0),
    "tensor_split_float_tensor": lambda L: L.ones(3).tensor_split(L.tensor([1.0])),
    "hsplit_uneven": lambda L: L.ones(6).hsplit(4),
    "hsplit_0d": lambda L: L.hsplit(L.tensor(1.0), 1),
    "vsplit_1d": lambda L: L.vsplit(L.ones(6), 2),
    "dsplit_2d": lambda L: L.ones(2, 2).dsplit(2),
    "rot90_one_dim": lambda L: L.ones(2, 3).rot90(1, [0]),
    "rot90_same_dims": lambda L: L.ones(2, 3).rot90(1, [0, 0]),
    "rot90_1d": lambda L: L.ones(3).rot90(),
    "fliplr_1d": lambda L: L.fliplr(L.ones(2)),
    "flipud_0d": lambda L: L.flipud(L.tensor(1.0)),
    "diagonal_same_dims": lambda L: L.ones(2, 2).diagonal(0, 1, 1),
    "diagonal_1d": lambda L: L.ones(2).diagonal(),
    "diag_embed_same_dims": lambda L: L.ones(2).diag_embed(0, 0, 0),
    "take_out_of_range": lambda L: L.ones(2, 3).take(L.tensor([6])),
    "take_below_range": lambda L: L.ones(2, 3).take(L.tensor([-7])),
    "take_float_index": lambda L: L.ones(2, 3).take(L.tensor([1.0])),
    "take_along_dim_float": lambda L: L.ones(2, 3).take_along_dim(L.tensor([[0], [1.0]]), 1),
    "take_along_dim_ndims": lambda L: L.ones(2, 3).take_along_dim(L.tensor([0]), 1),
    "narrow_too_long": lambda L: L.narrow(L.ones(3), 0, 2, 2),
    "narrow_start_out_of_range": lambda L: L.ones(3).narrow(0, -4, 1),
    "select_out_of_range": lambda L: L.select(L.ones(3), 0, 3),
    "cartesian_prod_2d": lambda L: L.cartesian_prod(L.ones(2, 2), L.ones(2)),
    "block_diag_3d": lambda L: L.block_diag(L.ones(1, 1, 1)),
    "combinations_2d": lambda L: L.combinations(L.ones(2, 2)),
    "combinations_negative_r": lambda L: L.combinations(L.ones(3), -1),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_arguments_raise_what_pytorch_raises(name):
    tt.assert_same_error(ERRORS[name], tnn, torch)
