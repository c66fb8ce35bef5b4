"""The gradients of tinygrad_nn.linalg equal central differences in float64 (tt.check_grad: a
random upstream gradient, every element compared) on drawn batches of matrices, kept where
each function is smooth: non-singular for inverses, positive-definite for Cholesky, distinct
eigen- and singular values where the vectors are used, and functions of the vectors that do
not depend on their signs (which a factorisation may choose either way)."""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

BATCHES = st.sampled_from([(), (2,), (2, 1)])


@st.composite
def matrices(draw, rows=None, cols=None, batch=None, elements=tt.REAL):
    """float64 tensors of shape ``(*batch, rows, cols)``, the sides drawn from 1 to 3 when not
    given (``cols="square"``: as many as rows)."""
    batch = draw(BATCHES) if batch is None else batch
    m = draw(st.integers(1, 3)) if rows is None else rows
    n = m if cols == "square" else draw(st.integers(1, 3)) if cols is None else cols
    return draw(tt.tensors(shape=(*batch, m, n), elements=elements))


def singular_values(x):
    return np.linalg.svd(x.detach().numpy(), compute_uv=False)


def well_conditioned(x, gap=False):
    """Singular values at least 0.3 (and, with ``gap``, at least 0.1 apart)."""
    s = singular_values(x)
    return s.min() > 0.3 and not (gap and s.shape[-1] > 1 and np.diff(-s, axis=-1).min() < 0.1)


def spd(t):
    """A symmetric positive-definite matrix made of any square ``t``: $T T^T + n I$."""
    return t @ t.mT + tnn.eye(t.shape[-1], dtype=tnn.float64) * t.shape[-1]


@given(matrices(cols="square"))
def test_inv(x):
    assume(well_conditioned(x))
    assert tt.check_grad(tnn.linalg.inv, [x])


@given(matrices(cols="square"))
def test_det_also_at_singular_matrices(x):
    assert tt.check_grad(tnn.linalg.det, [x])


def test_det_at_a_matrix_of_rank_one_less():
    x = tnn.tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.5, -1.0, 2.0]], dtype=tnn.float64)
    assert tt.check_grad(tnn.linalg.det, [x.requires_grad_()])


@given(matrices(cols="square"))
def test_slogdet_logabsdet(x):
    assume(well_conditioned(x))
    assert tt.check_grad(lambda t: tnn.linalg.slogdet(t).logabsdet, [x])


@given(matrices(cols="square", batch=()), BATCHES, st.integers(1, 2), st.booleans())
def test_solve_broadcast_batches_both_sides(a, batch, k, left):
    assume(well_conditioned(a))
    n = a.shape[-1]
    b = tnn.tensor(np.cos(np.arange(math.prod(batch) * n * k)).reshape(*batch, n, k))
    b.requires_grad_()
    if not left:
        b = b.mT.detach().requires_grad_()
    assert tt.check_grad(lambda s, t: tnn.linalg.solve(s, t, left=left), [a, b])


@given(matrices(cols="square"))
def test_solve_vector_right_hand_side(a):
    assume(well_conditioned(a))
    b = tnn.tensor(np.sin(np.arange(a.shape[-1]) + 1.0), requires_grad=True)
    assert tt.check_grad(tnn.linalg.solve, [a, b])


@given(matrices(cols="square"), st.booleans())
def test_cholesky_of_spd(x, upper):
    assert tt.check_grad(lambda t: tnn.linalg.cholesky(spd(t), upper=upper), [x])


@given(matrices(cols="square"))
def test_eigh_values_and_sign_free_vectors(x):
    w = np.linalg.eigvalsh((x + x.mT).detach().numpy())
    assume(w.shape[-1] < 2 or np.diff(w, axis=-1).min() > 0.1)

    def f(t):
        w, v = tnn.linalg.eigh(t + t.mT)
        return w, v * v

    assert tt.check_grad(lambda t: f(t)[0], [x])
    assert tt.check_grad(lambda t: f(t)[1], [x])
    assert tt.check_grad(lambda t: tnn.linalg.eigvalsh(t + t.mT, UPLO="U"), [x])


@given(matrices(), st.booleans())
def test_svd_values_and_sign_free_vectors(x, full):
    assume(well_conditioned(x, gap=True))
    k = min(x.shape[-2:])
    weights = tnn.tensor(np.arange(1.0, k + 1), dtype=tnn.float64)

    def parts(t):
        u, s, vh = tnn.linalg.svd(t, full_matrices=full)
        u, vh = u[..., :k], vh[..., :k, :]
        return s, (u * weights) @ vh, u * u, vh * vh

    for i in range(4):
        assert tt.check_grad(lambda t, i=i: parts(t)[i], [x])


@given(matrices())
def test_svdvals(x):
    assume(well_conditioned(x, gap=True))
    assert tt.check_grad(tnn.linalg.svdvals, [x])


@st.composite
def tall_or_square(draw):
    n = draw(st.integers(1, 3))
    return draw(matrices(rows=draw(st.integers(n, 3)), cols=n, elements=tt.AWAY_FROM_ZERO))


@given(tall_or_square())
def test_qr_of_tall_and_square(x):
    """Of ``x`` plus 4 on the diagonal: Householder QR (LAPACK's, PyTorch's) picks each
    column's reflection by the sign of a pivot, a jump where the pivot is 0, and reflects
    nothing where the column below it is 0, another jump; shifted, the pivots stay positive,
    and no element is 0."""
    shift = tnn.tensor(4 * np.eye(*x.shape[-2:]))
    r = np.linalg.qr((x + shift).detach().numpy())[1]
    assume(np.abs(np.diagonal(r, axis1=-2, axis2=-1)).min() > 0.3)
    assert tt.check_grad(lambda t: tnn.linalg.qr(t + shift).Q, [x])
    assert tt.check_grad(lambda t: tnn.linalg.qr(t + shift).R, [x])


@given(matrices())
def test_pinv_of_full_rank(x):
    assume(well_conditioned(x))
    assert tt.check_grad(tnn.linalg.pinv, [x])


@given(matrices(cols="square"))
def test_pinv_hermitian_of_full_rank(x):
    assume(well_conditioned(x + x.mT))
    assert tt.check_grad(lambda t: tnn.linalg.pinv(t + t.mT, hermitian=True), [x])


@given(matrices(rows=3), st.integers(1, 2))
def test_lstsq_solution(a, k):
    assume(well_conditioned(a))
    b = tnn.tensor(np.cos(np.arange(3.0 * k)).reshape(3, k), requires_grad=True)
    assert tt.check_grad(lambda s, t: tnn.linalg.lstsq(s, t).solution, [a, b])


@given(matrices(cols="square"), st.integers(-3, 5))
def test_matrix_power(x, n):
    assume(n >= 0 or well_conditioned(x))
    assert tt.check_grad(lambda t: tnn.linalg.matrix_power(t, n), [x])


@st.composite
def vectors_of_three(draw):
    """Two tensors of 3-vectors (last dim) whose batch dims broadcast, of as many dims."""
    first, second = draw(tt.broadcastable_shapes(2, max_dims=2))
    ndim = max(len(first), len(second))
    return tuple(
        draw(tt.tensors(shape=(1,) * (ndim - len(shape)) + tuple(shape) + (3,)))
        for shape in (first, second)
    )


@given(vectors_of_three())
def test_cross_broadcasts(pair):
    assert tt.check_grad(tnn.linalg.cross, list(pair))


@given(st.lists(st.integers(1, 3), min_size=3, max_size=5), st.booleans(), st.booleans())
def test_multi_dot(sides, row, column):
    shapes = list(zip(sides, sides[1:]))
    arrays = [np.sin(np.arange(p * q) + i).reshape(p, q) for i, (p, q) in enumerate(shapes)]
    if row:
        arrays[0] = arrays[0][0]
    if column:
        arrays[-1] = arrays[-1][:, 0]
    tensors = [tnn.tensor(a, requires_grad=True) for a in arrays]
    assert tt.check_grad(lambda *ts: tnn.linalg.multi_dot(ts), tensors)


ORDERS = ["fro", "nuc", 2, -2, 1, -1, math.inf, -math.inf]


@given(matrices(batch=(2,), elements=tt.AWAY_FROM_ZERO), st.sampled_from(ORDERS), st.booleans())
def test_matrix_norm(x, ord, keepdim):
    dims = (0, 2) if keepdim else (-1, -2)
    a = np.moveaxis(x.detach().numpy(), dims, (-2, -1))  # the matrices normed
    assume(well_conditioned(tnn.tensor(a), gap=True))
    a = np.abs(a)
    for sums in (a.sum(-2), a.sum(-1)):  # the max and min column (row) sums are unique
        top = np.sort(sums, axis=-1)
        assume(top.shape[-1] < 2 or np.diff(top, axis=-1).min() > 0.01)
    assert tt.check_grad(lambda t: tnn.linalg.matrix_norm(t, ord, dims, keepdim), [x])


@given(tt.tensors(shape=tt.shapes(min_dims=1), elements=tt.AWAY_FROM_ZERO), st.integers(1, 3))
def test_norm_and_vector_norm(x, p):
    assert tt.check_grad(lambda t: tnn.linalg.norm(t), [x])
    assert tt.check_grad(lambda t: tnn.linalg.vector_norm(t, p, dim=-1, keepdim=True), [x])


@pytest.mark.parametrize(
    "name, f",
    [
        ("inv", tnn.linalg.inv),
        ("det", tnn.linalg.det),
        ("logabsdet", lambda t: tnn.linalg.slogdet(t).logabsdet),
        ("solve", lambda t: tnn.linalg.solve(t, t[..., 0] * 2)),
        ("cholesky", lambda t: tnn.linalg.cholesky(spd(t))),
        ("pinv", tnn.linalg.pinv),
    ],
)
def test_second_derivatives(name, f):
    x = np.array([[2.0, 0.5, -1.0], [0.3, 1.5, 0.2], [-0.4, 0.1, 3.0]])
    x = tnn.tensor(np.stack([x, x.T * 0.7]), requires_grad=True)
    assert tt.check_gradgrad(f, [x.requires_grad_()])


@pytest.mark.parametrize(
    "name, f",
    [
        ("eigh", lambda t: tnn.linalg.eigh(t + t.mT).eigenvectors),
        ("svd", lambda t: tnn.linalg.svd(t).U),
        ("qr", lambda t: tnn.linalg.qr(t).Q),
    ],
)
def test_first_order_only_refuses_create_graph(name, f):
    x = tnn.tensor([[2.0, 0.5], [0.3, 1.5]], dtype=tnn.float64, requires_grad=True)
    with pytest.raises(NotImplementedError, match=f"linalg.{name}.*create_graph"):
        tnn.autograd.grad(f(x).sum(), x, create_graph=True)


def test_qr_of_wide_matrices_has_no_gradient_here():
    x = tnn.tensor([[2.0, 0.5, 1.0], [0.3, 1.5, -1.0]], dtype=tnn.float64, requires_grad=True)
    with pytest.raises(NotImplementedError, match="R square"):
        tnn.linalg.qr(x).Q.sum().backward()
