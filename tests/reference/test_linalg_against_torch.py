"""tinygrad_nn.linalg against torch.linalg, and tinygrad_nn.matrices against PyTorch's
top-level matrix functions and methods (when installed): the same float64 matrices give the
same values, result types, dtypes and gradients (one random upstream gradient per result, every
element), and the same bad arguments raise the same exception types. Values agree to about
1e-12 rather than exactly: both call LAPACK, but the gradients are the same formulas in another
order. Where a factorisation may choose signs, the cases use functions of the vectors that do
not depend on them (as PyTorch's own gradient tests do)."""

import math
import warnings

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

rng = np.random.default_rng(3)
SQUARE = rng.standard_normal((2, 3, 3))
TALL = rng.standard_normal((2, 4, 3))
WIDE = rng.standard_normal((3, 5))
RHS = rng.standard_normal((2, 3, 2))
VEC = rng.standard_normal(3)
SINGULAR = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.5, -1.0, 2.0]])


def spd(L, t):
    return t @ t.mT + 3 * L.eye(3, dtype=L.float64)


def sign_free_svd(L, t, full=True):
    u, s, vh = L.linalg.svd(t, full_matrices=full)
    k = s.shape[-1]
    return s, u[..., :k] @ vh[..., :k, :], u[..., :k] * u[..., :k]


# name -> (function of the library and the tensors, arrays)
CASES = {
    "inv": (lambda L, a: L.linalg.inv(a), [SQUARE]),
    "det": (lambda L, a: L.linalg.det(a), [SQUARE]),
    "slogdet": (lambda L, a: tuple(L.linalg.slogdet(a)), [SQUARE]),
    "solve": (lambda L, a, b: L.linalg.solve(a, b), [SQUARE, RHS]),
    "solve_vector": (lambda L, a, b: L.linalg.solve(a, b), [SQUARE, VEC]),
    "solve_batch_of_vectors": (lambda L, a, b: L.linalg.solve(a, b[..., 0]), [SQUARE, RHS]),
    "solve_broadcast": (lambda L, a, b: L.linalg.solve(a[0], b), [SQUARE, RHS]),
    "solve_right": (lambda L, a, b: L.linalg.solve(a, b.mT, left=False), [SQUARE, RHS]),
    "cholesky": (lambda L, a: L.linalg.cholesky(spd(L, a)), [SQUARE]),
    "cholesky_upper": (lambda L, a: L.linalg.cholesky(spd(L, a), upper=True), [SQUARE]),
    "eigh": (lambda L, a: (lambda w, v: (w, v * v))(*L.linalg.eigh(a + a.mT)), [SQUARE]),
    "eigh_upper": (lambda L, a: L.linalg.eigh(a, UPLO="U").eigenvalues, [SQUARE]),
    "eigvalsh": (lambda L, a: L.linalg.eigvalsh(a + a.mT), [SQUARE]),
    "svd_tall": (sign_free_svd, [TALL]),
    "svd_wide_reduced": (lambda L, a: sign_free_svd(L, a, full=False), [WIDE]),
    "svd_square": (sign_free_svd, [SQUARE]),
    "svdvals": (lambda L, a: L.linalg.svdvals(a), [TALL]),
    "qr": (lambda L, a: tuple(L.linalg.qr(a)), [TALL]),
    "pinv_tall": (lambda L, a: L.linalg.pinv(a), [TALL]),
    "pinv_wide": (lambda L, a: L.linalg.pinv(a), [WIDE]),
    "pinv_rank_deficient": (lambda L, a: L.linalg.pinv(a), [SINGULAR]),
    "pinv_hermitian": (lambda L, a: L.linalg.pinv(spd(L, a), hermitian=True), [SQUARE]),
    "lstsq": (lambda L, a, b: L.linalg.lstsq(a, b).solution, [TALL, TALL[..., :2]]),
    "matrix_power_5": (lambda L, a: L.linalg.matrix_power(a, 5), [SQUARE]),
    "matrix_power_negative": (lambda L, a: L.linalg.matrix_power(a, -2), [SQUARE]),
    "matrix_power_0": (lambda L, a: L.linalg.matrix_power(a, 0), [SQUARE]),
    "cross": (lambda L, a, b: L.linalg.cross(a, b[:1]), [SQUARE, SQUARE]),
    "cross_dim": (lambda L, a, b: L.linalg.cross(a, b, dim=1), [SQUARE, RHS[..., :1]]),
    "multi_dot": (lambda L, v, a, b: L.linalg.multi_dot([v, a[0], b[1]]), [VEC, SQUARE, TALL.mT]),
    "norm": (lambda L, a: L.linalg.norm(a), [TALL]),
    "norm_ord_matrix": (lambda L, a: L.linalg.norm(a[0], 2), [TALL]),
    "norm_ord_vector": (lambda L, v: L.linalg.norm(v, 3), [VEC]),
    "norm_dim": (lambda L, a: L.linalg.norm(a, -math.inf, dim=1, keepdim=True), [TALL]),
    "norm_dims": (lambda L, a: L.linalg.norm(a, "nuc", dim=(0, 2)), [TALL]),
    "vector_norm": (lambda L, a: L.linalg.vector_norm(a, 1.5, dim=(0, 2)), [TALL]),
    "vector_norm_0": (lambda L, a: L.linalg.vector_norm(a, 0), [SINGULAR]),
    **{
        f"matrix_norm_{ord}": (lambda L, a, ord=ord: L.linalg.matrix_norm(a, ord), [TALL])
        for ord in ("fro", "nuc", 2, -2, 1, -1, math.inf, -math.inf)
    },
    "matrix_norm_keepdim_dims": (
        lambda L, a: L.linalg.matrix_norm(a, 1, dim=(2, 0), keepdim=True),
        [TALL],
    ),
}

rng5 = np.random.default_rng(5)
SQUARE5 = rng5.standard_normal((2, 3, 3))
TALL5 = rng5.standard_normal((4, 3))
VEC5 = rng5.standard_normal(3)
FLIP = np.array([[0.0, 1.0], [1.0, 0.0]])  # det -1: logdet NaN

TOP_LEVEL = {  # PyTorch's top-level functions and methods (tinygrad_nn.matrices)
    "inverse": (lambda L, a: L.inverse(a), [SQUARE5]),
    "inverse_method": (lambda L, a: a.inverse(), [SQUARE5]),
    "det": (lambda L, a: L.det(a), [SQUARE5]),
    "det_method": (lambda L, a: a.det(), [SQUARE5]),
    "logdet": (lambda L, a: L.logdet(a @ a.mT), [SQUARE5]),
    "logdet_method_negative_is_nan": (lambda L, a: a.logdet(), [FLIP]),
    "slogdet": (lambda L, a: tuple(L.slogdet(a)), [SQUARE5]),
    "slogdet_method": (lambda L, a: a.slogdet().logabsdet, [SQUARE5]),
    "matrix_power": (lambda L, a: L.matrix_power(a, 3), [SQUARE5]),
    "matrix_power_method": (lambda L, a: a.matrix_power(-1), [SQUARE5]),
    "pinverse": (lambda L, a: L.pinverse(a), [TALL5]),
    "pinverse_method_rcond": (lambda L, a: a.pinverse(rcond=1e-3), [TALL5]),
    "svd": (lambda L, a: (lambda u, s, v: (s, u @ v.mT))(*L.svd(a)), [TALL5]),
    "svd_method_not_some": (
        lambda L, a: (lambda u, s, v: (s, u[:, :3] @ v.mT))(*a.svd(some=False)),
        [TALL5],
    ),
    "cross": (lambda L, a, b: L.cross(a, b, dim=1), [SQUARE5, SQUARE5]),
    "cross_method": (lambda L, a, b: a.cross(b, dim=-1), [SQUARE5, SQUARE5]),
    "mv": (lambda L, a, v: L.mv(a, v), [TALL5, VEC5]),
    "mv_method": (lambda L, a, v: a.mv(v), [TALL5, VEC5]),
    "inner": (lambda L, a, b: L.inner(a, b), [SQUARE5, TALL5]),
    "inner_vectors": (lambda L, v, w: L.inner(v, w), [VEC5, VEC5]),
    "inner_method_0d": (lambda L, v, w: v.inner(w[0]), [VEC5, VEC5]),
    "tensordot_int": (lambda L, a, b: L.tensordot(a, b, 1), [SQUARE5, TALL5.T]),
    "tensordot_lists": (
        lambda L, a, b: L.tensordot(a, b, dims=([1, 2], [2, 1])),
        [SQUARE5, SQUARE5],
    ),
    "tensordot_0": (lambda L, a, b: L.tensordot(a, b, 0), [VEC5, TALL5]),
    "kron": (lambda L, a, b: L.kron(a, b), [SQUARE5, TALL5]),
    "kron_method_vector": (lambda L, a, v: a.kron(v), [TALL5, VEC5]),
}


def _as_tuple(out):
    return tuple(out) if isinstance(out, tuple) else (out,)


@pytest.mark.parametrize("name", sorted(CASES | TOP_LEVEL))
def test_values_and_gradients_match_pytorch(name):
    fn, arrays = (CASES | TOP_LEVEL)[name]
    ours = [tnn.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    outs, refs = _as_tuple(fn(tnn, *ours)), _as_tuple(fn(torch, *theirs))
    assert len(outs) == len(refs)
    our_loss = their_loss = 0
    for out, ref in zip(outs, refs):
        assert (str(out.dtype), out.shape) == (str(ref.dtype).removeprefix("torch."), ref.shape)
        np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), atol=1e-12)
        v = rng.standard_normal(tuple(ref.shape))
        our_loss, their_loss = (
            our_loss + (out * tnn.tensor(v)).sum(),
            their_loss + (ref * torch.tensor(v)).sum(),
        )
    our_loss.backward()
    their_loss.backward()
    for o, r in zip(ours, theirs):
        expected = np.zeros(r.shape) if r.grad is None else r.grad.numpy()
        np.testing.assert_allclose(o.grad.numpy(), expected, rtol=1e-9, atol=1e-11)


# results without gradients: shapes, dtypes, the parts lstsq leaves empty, float32
EXACT_SHAPES = {
    "svd_full_tall": lambda L: L.linalg.svd(L.ones(4, 2)),
    "svd_reduced_wide": lambda L: L.linalg.svd(L.ones(2, 5), full_matrices=False),
    "qr_complete": lambda L: L.linalg.qr(L.ones(4, 2), mode="complete"),
    "qr_wide": lambda L: L.linalg.qr(L.ones(2, 4)),
    "qr_r": lambda L: L.linalg.qr(L.ones(3, 2), mode="r"),
    "lstsq_parts": lambda L: L.linalg.lstsq(L.ones(2, 4, 3), L.ones(2, 4, 2)),
    "lstsq_vector": lambda L: L.linalg.lstsq(L.ones(4, 3), L.ones(4)),
    "slogdet_float32": lambda L: L.linalg.slogdet(L.eye(3)),
    "eigh_float32": lambda L: L.linalg.eigh(L.eye(3)),
    "matrix_power_int": lambda L: L.linalg.matrix_power(L.tensor([[1, 1], [0, 1]]), 3),
    "det_float32_batch": lambda L: L.linalg.det(L.ones(2, 1, 3, 3)),
    "matrix_norm_float32": lambda L: L.linalg.matrix_norm(L.ones(2, 3), 2, dtype=L.float64),
}


@pytest.mark.parametrize("name", sorted(EXACT_SHAPES))
def test_result_shapes_and_dtypes_match_pytorch(name):
    out, ref = _as_tuple(EXACT_SHAPES[name](tnn)), _as_tuple(EXACT_SHAPES[name](torch))
    assert len(out) == len(ref)
    for o, r in zip(out, ref):
        assert (str(o.dtype), o.shape) == (str(r.dtype).removeprefix("torch."), r.shape)


def test_integer_matrix_power_and_lstsq_rank_match_pytorch():
    for L in (tnn, torch):
        L.result = (
            L.linalg.matrix_power(L.tensor([[1, 1], [0, 1]]), 3),
            L.linalg.lstsq(L.tensor(SINGULAR), L.tensor(SINGULAR)).rank,
        )
    tt.assert_same_result(tnn.result, torch.result)


NAMED = {
    "slogdet": ("sign", "logabsdet"),
    "eigh": ("eigenvalues", "eigenvectors"),
    "svd": ("U", "S", "Vh"),
    "qr": ("Q", "R"),
}


@pytest.mark.parametrize("name", sorted(NAMED))
def test_named_results_have_pytorchs_fields(name):
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    ours = getattr(tnn.linalg, name)(tnn.tensor(a))
    theirs = getattr(torch.linalg, name)(torch.tensor(a))
    assert ours._fields == NAMED[name]
    for field in NAMED[name]:
        np.testing.assert_allclose(
            np.abs(getattr(ours, field).numpy()), np.abs(getattr(theirs, field).numpy())
        )


def test_det_gradient_at_a_singular_matrix_is_the_cofactor_matrix():
    """Unlike PyTorch 2.13, whose gradient of det at an exactly singular matrix is 0: the
    derivative there is the cofactor matrix (tests/linalg checks it by finite differences)."""
    a = tnn.tensor(SINGULAR, requires_grad=True)
    tnn.linalg.det(a).backward()
    cofactors = [[14.0, -1.0, -4.0], [-7.0, 0.5, 2.0], [0.0, 0.0, 0.0]]
    np.testing.assert_allclose(a.grad.numpy(), cofactors, atol=1e-12)
    b = torch.tensor(SINGULAR, requires_grad=True)
    torch.linalg.det(b).backward()
    assert not b.grad.any()


ERRORS = {
    "inv_not_square": lambda L: L.linalg.inv(L.ones(2, 3)),
    "inv_vector": lambda L: L.linalg.inv(L.ones(3)),
    "inv_int": lambda L: L.linalg.inv(L.ones(2, 2, dtype=L.int64)),
    "inv_not_a_tensor": lambda L: L.linalg.inv([[1.0]]),
    "solve_shapes": lambda L: L.linalg.solve(L.eye(3), L.ones(4, 1)),
    "solve_dtypes": lambda L: L.linalg.solve(L.eye(3), L.ones(3, dtype=L.float64)),
    "det_not_square": lambda L: L.linalg.det(L.ones(2, 3)),
    "eigh_uplo": lambda L: L.linalg.eigh(L.eye(2), UPLO="X"),
    "qr_mode": lambda L: L.linalg.qr(L.eye(2), mode="full"),
    "matrix_norm_order": lambda L: L.linalg.matrix_norm(L.ones(2, 2), 3),
    "matrix_norm_vector": lambda L: L.linalg.matrix_norm(L.ones(2)),
    "vector_norm_string_order": lambda L: L.linalg.vector_norm(L.ones(2), "fro"),
    "norm_3d_with_ord": lambda L: L.linalg.norm(L.ones(2, 2, 2), 2),
    "norm_three_dims": lambda L: L.linalg.norm(L.ones(2, 2, 2), 2, dim=(0, 1, 2)),
    "cross_length": lambda L: L.linalg.cross(L.ones(2), L.ones(2)),
    "cross_ndim": lambda L: L.linalg.cross(L.ones(2, 3), L.ones(3)),
    "multi_dot_one": lambda L: L.linalg.multi_dot([L.ones(2, 2)]),
    "multi_dot_3d": lambda L: L.linalg.multi_dot([L.ones(2, 2), L.ones(2, 2, 2), L.ones(2)]),
    "multi_dot_shapes": lambda L: L.linalg.multi_dot([L.ones(2, 3), L.ones(2, 2)]),
    "lstsq_rows": lambda L: L.linalg.lstsq(L.ones(3, 2), L.ones(4, 1)),
    "matrix_power_not_square": lambda L: L.linalg.matrix_power(L.ones(2, 3), 2),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_arguments_raise_pytorchs_exception_types(name):
    tt.assert_same_error(ERRORS[name], tnn, torch)


SINGULAR_INPUTS = {
    "inv": lambda L: L.linalg.inv(L.zeros(2, 2)),
    "solve": lambda L: L.linalg.solve(L.zeros(2, 2), L.ones(2)),
    "cholesky": lambda L: L.linalg.cholesky(-L.eye(2)),
    "matrix_power": lambda L: L.linalg.matrix_power(L.zeros(2, 2), -1),
}


@pytest.mark.parametrize("name", sorted(SINGULAR_INPUTS))
def test_singular_and_indefinite_matrices_raise_linalg_error(name):
    """``LinAlgError``, a RuntimeError in both libraries, naming the function."""
    assert issubclass(tnn.linalg.LinAlgError, RuntimeError)
    assert issubclass(torch.linalg.LinAlgError, RuntimeError)
    with pytest.raises(torch.linalg.LinAlgError):
        SINGULAR_INPUTS[name](torch)
    with pytest.raises(tnn.linalg.LinAlgError, match=rf"linalg\.(inv|{name}): the input"):
        SINGULAR_INPUTS[name](tnn)


def test_cross_without_dim_takes_the_first_dim_of_size_three_with_pytorchs_warning():
    a, b = rng5.standard_normal((2, 3, 2)), rng5.standard_normal((1, 3, 2))
    with pytest.warns(UserWarning, match="without specifying the dim"):
        ours = tnn.cross(tnn.tensor(a), tnn.tensor(b))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = torch.cross(torch.tensor(a), torch.tensor(b))
    np.testing.assert_allclose(ours.numpy(), ref.numpy(), atol=1e-14)


@pytest.mark.parametrize("count", [1, 3])
def test_chain_matmul_warns_that_it_is_deprecated_as_pytorchs(count):
    """(PyTorch warns once a process.)"""
    matrices = [TALL5, SQUARE5[0], TALL5.T][:count]
    with pytest.warns(UserWarning, match="chain_matmul is deprecated"):
        ours = tnn.chain_matmul(*map(tnn.tensor, matrices))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = torch.chain_matmul(*map(torch.tensor, matrices))
    np.testing.assert_allclose(ours.numpy(), ref.numpy(), atol=1e-12)


def test_svd_without_uv_gives_zero_filled_square_factors():
    ours, ref = (
        tnn.svd(tnn.tensor(TALL5), compute_uv=False),
        torch.svd(torch.tensor(TALL5), compute_uv=False),
    )
    for o, r in zip(ours, ref):
        np.testing.assert_allclose(o.numpy(), r.numpy(), atol=1e-12)
    assert ours._fields == ("U", "S", "V")


TOP_LEVEL_ERRORS = {
    "mv_sizes": lambda L: L.mv(L.ones(2, 3), L.ones(2)),
    "mv_dims": lambda L: L.mv(L.ones(2, 3, 1), L.ones(2)),
    "inner_sizes": lambda L: L.inner(L.ones(2, 3), L.ones(4, 2)),
    "tensordot_sizes": lambda L: L.tensordot(L.ones(2, 3), L.ones(2, 3), dims=1),
    "kron_not_a_tensor": lambda L: L.kron(L.ones(2), [1.0]),
    "det_not_square": lambda L: L.ones(2, 3).det(),
    "multi_dot_via_chain_matmul_3d": lambda L: L.linalg.multi_dot([L.ones(2, 2), L.ones(2, 2, 2)]),
}


@pytest.mark.parametrize("name", sorted(TOP_LEVEL_ERRORS))
def test_top_level_bad_arguments_raise_pytorchs_exception_types(name):
    tt.assert_same_error(TOP_LEVEL_ERRORS[name], tnn, torch)


def test_inverse_of_a_singular_matrix_raises_linalg_error():
    with pytest.raises(torch.linalg.LinAlgError):
        torch.zeros(2, 2).inverse()
    with pytest.raises(tnn.linalg.LinAlgError, match="linalg.inv: the input matrix is singular"):
        tnn.zeros(2, 2).inverse()
