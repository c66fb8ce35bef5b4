"""The order statistics and NaN-skipping reductions of tinygrad_nn.order against PyTorch
(when installed): the same float64 inputs give the same values and gradients (a random
upstream gradient, every element); the same inputs of other dtypes the same values, indices
and dtypes; the same bad arguments the same exception type."""

import math

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

rng = np.random.default_rng(7)
A = rng.standard_normal((3, 5))
C = rng.standard_normal((2, 3, 4))
#: equal values: the median of all shares its gradient, mode picks the smallest most frequent
TIES = np.array([[2.0, 1.0, 2.0, 1.0, 2.0], [0.0, 5.0, 0.0, 5.0, 3.0]])
nan = math.nan
NANS = np.array([[1.5, nan, -0.5, 2.0, 0.25], [nan, 3.0, -1.0, nan, 0.5], [nan] * 5])
SPREAD = np.array([[-1000.0, 0.0, 3.0, -2.0], [50.0, -50.0, 49.0, 800.0]])
INTS = np.array([[3, 0, 2, 0, 7], [1, 4, 4, 5, 1]])


def _q(library, values):
    return library.tensor(values, dtype=library.float64)


GRADIENTS = {
    "median_all": (lambda L, a: L.median(a), [A]),
    "median_all_ties_share": (lambda L, t: t.median(), [TIES]),
    "median_dim": (lambda L, a: L.median(a, 1).values, [A]),
    "median_dim_keepdim": (lambda L, c: c.median(dim=0, keepdim=True)[0], [C]),
    "median_even_count": (lambda L, c: c.median(-1).values, [C]),
    "nanmedian_all": (lambda L, x: L.nanmedian(x[:2]), [NANS]),
    "nanmedian_dim": (lambda L, x: x.nanmedian(1).values, [NANS]),
    "kthvalue": (lambda L, a: L.kthvalue(a, 2, 1).values, [A]),
    "kthvalue_keepdim": (lambda L, c: c.kthvalue(3, 0, True).values, [C[:, :, :1].repeat(2, 0)]),
    "mode": (lambda L, t: L.mode(t).values, [TIES]),
    "mode_dim_0": (lambda L, t: t.mode(0, keepdim=True).values, [TIES]),
    "quantile_all": (lambda L, a: L.quantile(a, 0.3), [A]),
    "quantile_dim": (lambda L, a: a.quantile(0.75, dim=1), [A]),
    "quantile_tensor_q": (lambda L, c: L.quantile(c, _q(L, [0.1, 0.5, 1.0]), dim=2), [C]),
    "quantile_keepdim": (lambda L, c: c.quantile(_q(L, [0.2, 0.9]), 1, keepdim=True), [C]),
    "quantile_all_keepdim": (lambda L, c: c.quantile(0.6, keepdim=True), [C]),
    "quantile_0d_q": (lambda L, a: a.quantile(_q(L, 0.45), 0), [A]),
    "quantile_lower": (lambda L, a: a.quantile(0.3, 1, interpolation="lower"), [A]),
    "quantile_higher": (lambda L, a: a.quantile(0.3, 1, interpolation="higher"), [A]),
    "quantile_midpoint": (lambda L, a: a.quantile(0.3, 1, interpolation="midpoint"), [A]),
    "quantile_nearest": (
        lambda L, a: a.quantile(_q(L, [0.125, 0.375]), 1, interpolation="nearest"),
        [A],
    ),
    "quantile_nan_rows": (lambda L, x: x.quantile(0.5, 1), [NANS]),
    "nanquantile": (lambda L, x: L.nanquantile(x, _q(L, [0.3, 0.8]), dim=1), [NANS]),
    "nanquantile_all": (lambda L, x: x.nanquantile(0.4, interpolation="midpoint"), [NANS]),
    "nansum_all": (lambda L, x: L.nansum(x), [NANS]),
    "nansum_dim": (lambda L, x: x.nansum(1, keepdim=True), [NANS]),
    "nansum_dims": (lambda L, c: c.nansum((0, 2)), [C]),
    "nanmean_dim": (lambda L, x: L.nanmean(x, 0), [NANS]),
    "nanmean_all": (lambda L, x: x[:2].nanmean(), [NANS]),
    "cummax": (lambda L, a: L.cummax(a, 1).values, [A]),
    "cummax_ties": (lambda L, t: t.cummax(-1)[0], [TIES]),
    "cummin": (lambda L, c: L.cummin(c, 0).values, [C]),
    "logcumsumexp": (lambda L, a: L.logcumsumexp(a, 1), [A]),
    "logcumsumexp_spread": (lambda L, s: s.logcumsumexp(-1), [SPREAD]),
    "logcumsumexp_dim_0": (lambda L, c: c.logcumsumexp(0), [C]),
    "aminmax_all": (lambda L, a: L.stack(L.aminmax(a)), [A]),
    "aminmax_dim": (lambda L, c: L.stack(c.aminmax(dim=1, keepdim=True)), [C]),
    "msort": (lambda L, a: L.msort(a), [A]),
}


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_values_and_gradients_match_pytorch(name):
    tt.assert_same_case(*GRADIENTS[name], tnn, torch, rng)


EXACT = {
    "median_ints": lambda L: L.median(L.tensor(INTS)),
    "median_ints_dim": lambda L: L.tensor(INTS).median(1),
    "median_indices": lambda L: L.tensor(A).median(0),
    "median_ties_indices": lambda L: L.tensor(TIES).median(1),
    "median_nan": lambda L: (L.tensor(NANS).median(), L.tensor(NANS).median(1)),
    "median_0d": lambda L: L.tensor(2.5).median(0),
    "median_empty": lambda L: L.tensor([]).median(),
    "nanmedian_nan": lambda L: (L.tensor(NANS).nanmedian(), L.tensor(NANS).nanmedian(1)),
    "nanmedian_all_nan": lambda L: L.tensor(NANS[2]).nanmedian(),
    "kthvalue_ints": lambda L: L.kthvalue(L.tensor([[3, 0, 2, 9], [1, 6, 4, 5]]), 3),
    "kthvalue_float32": lambda L: L.tensor(A, dtype=L.float32).kthvalue(1, 0, keepdim=True),
    "kthvalue_ties_values": lambda L: L.tensor(TIES).kthvalue(2).values,
    "mode_ints": lambda L: L.mode(L.tensor(INTS)),
    "mode_ties": lambda L: L.tensor(TIES).mode(0),
    "mode_nan_most_frequent": lambda L: L.tensor([nan, 1.0, 2.0, nan, 0.0]).mode().values,
    "quantile_nearest_half_to_even": lambda L: L.quantile(
        L.tensor([1.0, 2.0, 3.0, 4.0]), L.tensor([0.1, 0.5, 5 / 6]), interpolation="nearest"
    ),
    "quantile_nan": lambda L: L.tensor(NANS).quantile(L.tensor([0.0, 1.0], dtype=L.float64), 1),
    "nanquantile_all_nan": lambda L: L.tensor(NANS).nanquantile(0.5, 1, keepdim=True),
    "nansum_ints": lambda L: L.nansum(L.tensor(INTS), 1),
    "nansum_bools": lambda L: L.tensor([True, True, False]).nansum(),
    "nansum_int32_dtype": lambda L: L.tensor(INTS, dtype=L.int32).nansum(dtype=L.float64),
    "nansum_float32": lambda L: L.tensor(NANS, dtype=L.float32).nansum(0),
    "nanmean_float32": lambda L: L.tensor(NANS, dtype=L.float32).nanmean(1, keepdim=True),
    "nanmean_dtype": lambda L: L.tensor(NANS, dtype=L.float32).nanmean(dtype=L.float64),
    "cummax_ints": lambda L: L.cummax(L.tensor(INTS), 1),
    "cummin_ints_ties": lambda L: L.tensor(INTS).cummin(0),
    "cummax_bools": lambda L: L.tensor([False, True, False, True]).cummax(0),
    "cummax_nan": lambda L: L.tensor(NANS).cummax(1),
    "cummin_nan": lambda L: L.tensor(NANS).cummin(1),
    "cummax_0d": lambda L: L.tensor(1.5).cummax(0),
    "logcumsumexp_float32_infs": lambda L: L.tensor([-math.inf, 1.0, math.inf, 0.0]).logcumsumexp(
        0
    ),
    "aminmax_ints": lambda L: L.aminmax(L.tensor(INTS), dim=0),
    "aminmax_nan": lambda L: L.tensor(NANS).aminmax(dim=1),
    "msort_ints": lambda L: L.tensor(INTS).msort(),
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_results_and_dtypes_match_pytorch(name):
    tt.assert_same_result(EXACT[name](tnn), EXACT[name](torch))


def test_results_have_pytorchs_field_names():
    x = tnn.tensor(A)
    for result in (x.median(1), x.nanmedian(1), x.mode(1), x.kthvalue(1), x.cummax(1)):
        assert result.values is result[0] and result.indices is result[1]
    extremes = x.aminmax()
    assert extremes.min is extremes[0] and extremes.max is extremes[1]


def test_quantile_of_float32_is_float32_and_within_a_rounding_of_pytorch():
    ours, ref = (L.tensor(A, dtype=L.float32).quantile(0.3, 1) for L in (tnn, torch))
    assert ours.dtype == tnn.float32
    np.testing.assert_allclose(ours.numpy(), ref.numpy(), rtol=1e-6)


ERRORS = {
    "median_bools": lambda L: L.tensor([True, False]).median(),
    "median_empty_dim": lambda L: L.tensor([]).median(0),
    "median_dim_out_of_range": lambda L: L.ones(2).median(1),
    "mode_empty_dim": lambda L: L.tensor([]).mode(0),
    "kthvalue_k_too_large": lambda L: L.ones(2).kthvalue(3),
    "kthvalue_k_zero": lambda L: L.ones(2).kthvalue(0),
    "quantile_ints": lambda L: L.quantile(L.tensor([1, 2]), 0.5),
    "quantile_q_above_one": lambda L: L.ones(2).quantile(1.5),
    "quantile_q_negative_tensor": lambda L: L.ones(2).quantile(L.tensor([0.5, -0.1])),
    "quantile_q_matrix": lambda L: L.ones(2).quantile(L.tensor([[0.5]])),
    "quantile_q_dtype": lambda L: L.ones(2).quantile(L.tensor([0.5], dtype=L.float64)),
    "quantile_q_list": lambda L: L.ones(2).quantile([0.5]),
    "quantile_empty": lambda L: L.tensor([]).quantile(0.5),
    "quantile_interpolation": lambda L: L.ones(2).quantile(0.5, interpolation="cubic"),
    "quantile_dim_out_of_range": lambda L: L.ones(2).quantile(0.5, 1),
    "nanmean_ints": lambda L: L.nanmean(L.tensor([1, 2])),
    "cummax_dim_out_of_range": lambda L: L.ones(2).cummax(1),
    "logcumsumexp_ints": lambda L: L.tensor([1, 2]).logcumsumexp(0),
    "aminmax_empty": lambda L: L.tensor([]).aminmax(),
    "aminmax_dims_tuple": lambda L: L.ones(2, 2).aminmax(dim=(0, 1)),
    "msort_not_a_tensor": lambda L: L.msort([1.0, 2.0]),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_arguments_raise_what_pytorch_raises(name):
    tt.assert_same_error(ERRORS[name], tnn, torch)
