"""PyTorch's composed functions (tinygrad_nn.elementwise, .blas, .distances): the gradient
equals central differences in float64 on drawn, broadcast shapes (tt.check_grad: a random
upstream gradient, every element compared, tight tolerances)."""

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


@given(tt.broadcast_tensors(3), st.sampled_from([1, -0.5, 2]))
def test_addcmul(triple, value):
    assert tt.check_grad(lambda *ts: tnn.addcmul(*ts, value=value), list(triple))


@given(tt.broadcast_tensors(3, elements=[tt.REAL, tt.REAL, tt.POSITIVE]), st.sampled_from([1, 3]))
def test_addcdiv(triple, value):
    assert tt.check_grad(lambda *ts: tnn.addcdiv(*ts, value=value), list(triple))
