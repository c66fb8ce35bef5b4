"""PyTorch's composed functions (tinygrad_nn.elementwise, .blas, .distances): the gradient
equals central differences in float64 on drawn, broadcast shapes (tt.check_grad: a random
upstream gradient, every element compared, tight tolerances)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

# |a - b| >= 0.01 for the pairs below: logaddexp's |a - b| has a kink at a = b (its gradient
# is smooth there, but the finite difference of each piece is not exact across it)
APART = [tt.GRID, tt.GRID.map(lambda v: v + 0.005)]


@given(tt.broadcast_tensors(2, elements=APART))
def test_logaddexp(pair):
    assert tt.check_grad(tnn.logaddexp, list(pair))


@given(tt.broadcast_tensors(2, elements=APART))
def test_logaddexp2(pair):
    assert tt.check_grad(tnn.logaddexp2, list(pair))


@given(tt.broadcast_tensors(2, elements=tt.AWAY_FROM_ZERO))
def test_copysign_of_tensors(pair):
    assert tt.check_grad(tnn.copysign, list(pair))


@given(tt.tensors(elements=tt.AWAY_FROM_ZERO), st.sampled_from([-2.0, -0.0, 0.0, 3]))
def test_copysign_of_a_number(x, sign):
    assert tt.check_grad(lambda t: t.copysign(sign), [x])


def test_logaddexp_and_copysign_second_derivatives():
    a = tnn.tensor([[0.3, -1.2, 2.0]], dtype=tnn.float64, requires_grad=True)
    b = tnn.tensor([[1.1], [-0.4]], dtype=tnn.float64, requires_grad=True)
    for fn in (tnn.logaddexp, tnn.logaddexp2, tnn.copysign):
        assert tt.check_gradgrad(fn, [a, b])


@given(tt.broadcast_tensors(3), st.sampled_from([1, -0.5, 2]))
def test_addcmul(triple, value):
    assert tt.check_grad(lambda *ts: tnn.addcmul(*ts, value=value), list(triple))


@given(tt.broadcast_tensors(3, elements=[tt.REAL, tt.REAL, tt.POSITIVE]), st.sampled_from([1, 3]))
def test_addcdiv(triple, value):
    assert tt.check_grad(lambda *ts: tnn.addcdiv(*ts, value=value), list(triple))


@st.composite
def expandable_to(draw, shape):
    """A tensor whose shape expands to ``shape``: a suffix of it, some sides made 1."""
    suffix = shape[draw(st.integers(0, len(shape))) :]
    return draw(tt.tensors(shape=tuple(n if draw(st.booleans()) else 1 for n in suffix)))


SIDES = st.integers(1, 3)
SCALES = st.sampled_from([(1, 1), (0.5, -2), (0, 1.5)])  # beta = 0: input's gradient is 0


@given(SIDES, SIDES, SIDES, SCALES, st.data())
def test_addmm(n, m, p, scales, data):
    beta, alpha = scales
    tensors = [
        data.draw(expandable_to((n, p))),
        *(data.draw(tt.tensors(shape=s)) for s in [(n, m), (m, p)]),
    ]
    assert tt.check_grad(lambda *ts: tnn.addmm(*ts, beta=beta, alpha=alpha), tensors)


@given(SIDES, SIDES, SCALES, st.data())
def test_addmv(n, m, scales, data):
    beta, alpha = scales
    tensors = [
        data.draw(expandable_to((n,))),
        *(data.draw(tt.tensors(shape=s)) for s in [(n, m), (m,)]),
    ]
    assert tt.check_grad(lambda *ts: tnn.addmv(*ts, beta=beta, alpha=alpha), tensors)


@given(SIDES, SIDES, SCALES, st.data())
def test_addr(n, m, scales, data):
    beta, alpha = scales
    tensors = [
        data.draw(expandable_to((n, m))),
        *(data.draw(tt.tensors(shape=(k,))) for k in (n, m)),
    ]
    assert tt.check_grad(lambda *ts: tnn.addr(*ts, beta=beta, alpha=alpha), tensors)


@given(SIDES, SIDES, SIDES, SIDES, SCALES, st.sampled_from(["baddbmm", "addbmm"]), st.data())
def test_baddbmm_and_addbmm(b, n, m, p, scales, name, data):
    beta, alpha = scales
    out_shape = (b, n, p) if name == "baddbmm" else (n, p)
    batches = [data.draw(tt.tensors(shape=s)) for s in [(b, n, m), (b, m, p)]]
    tensors = [data.draw(expandable_to(out_shape)), *batches]
    fn = getattr(tnn, name)
    assert tt.check_grad(lambda *ts: fn(*ts, beta=beta, alpha=alpha), tensors)


# p-norms away from their kink at a zero difference (|d|^p with p < 2): the rows drawn on a
# grid of 0.01 and distinct (unique). Ties for the largest difference (p = inf) do happen;
# the central difference there is the gradient shared among them, as norm shares it
ORDERS = st.sampled_from([1.0, 2.0, 3.0, 0.5, 1.5, float("inf")])


@st.composite
def row_sets(draw, batch=True):
    """Two tensors of rows ``(..., P, M)`` and ``(..., R, M)``, batch dims broadcasting."""
    m = draw(st.integers(1, 3))
    batches = draw(tt.broadcastable_shapes(2, max_dims=1 if batch else 0, max_side=2))
    sizes = [draw(st.integers(1, 3)) for _ in range(2)]
    shapes = [(*b, n, m) for b, n in zip(batches, sizes)]
    total = sum(int(np.prod(s)) for s in shapes)
    values = draw(tt.arrays(shape=(total,), elements=tt.GRID, unique=True))
    out, start = [], 0
    for s in shapes:
        size = int(np.prod(s))
        out.append(tnn.tensor(values[start : start + size].reshape(s), requires_grad=True))
        start += size
    return out


@given(row_sets(), ORDERS)
def test_cdist(rows, p):
    assert tt.check_grad(lambda a, b: tnn.cdist(a, b, p=p), rows)


@given(row_sets(batch=False), ORDERS)
def test_pdist(rows, p):
    assert tt.check_grad(lambda a: tnn.pdist(a, p), [tnn.cat(rows).detach().requires_grad_()])


@given(
    tt.broadcast_tensors(2, elements=[tt.GRID, tt.GRID.map(lambda v: v + 0.005)]),
    st.one_of(ORDERS, st.sampled_from([-1.5, -float("inf")])),
)
def test_dist(pair, p):
    assert tt.check_grad(lambda a, b: tnn.dist(a, b, p), list(pair))
