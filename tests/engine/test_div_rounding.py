"""``div(rounding_mode=)`` and ``//``: the gradient (0 for both inputs) against central finite
differences on drawn broadcast shapes, away from the steps of the rounded quotient, and the
integer results against Python's integer arithmetic."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

MODES = st.sampled_from(["trunc", "floor"])
#: x = k + 1/4 over y in {±1/2, ±2, ±4}: x / y is at least 1/16 from an integer, far more than
#: the finite-difference step moves it
NUMERATORS = st.integers(-5, 5).map(lambda k: k + 0.25)
DENOMINATORS = st.sampled_from([-4.0, -2.0, -0.5, 0.5, 2.0, 4.0])


@given(tt.broadcast_tensors(2, elements=[NUMERATORS, DENOMINATORS]), MODES)
def test_rounded_division_gradient_matches_finite_differences(xy, mode):
    assert tt.check_grad(lambda x, y: x.div(y, rounding_mode=mode), list(xy))


@given(tt.broadcast_tensors(2, elements=[NUMERATORS, DENOMINATORS]))
def test_floor_division_operator_gradient_matches_finite_differences(xy):
    assert tt.check_grad(lambda x, y: x // y, list(xy))


INTS = st.integers(-(2**40), 2**40)
NONZERO = INTS.filter(lambda n: n != 0)


@given(st.lists(st.tuples(INTS, NONZERO), min_size=1, max_size=8))
def test_integer_results_are_pythons_floor_and_truncated_quotients(pairs):
    a, b = (tnn.tensor(list(column)) for column in zip(*pairs))
    floor = [p // q for p, q in pairs]
    trunc = [abs(p) // abs(q) * (1 if (p < 0) == (q < 0) else -1) for p, q in pairs]
    assert (a // b).tolist() == floor and (a // b).dtype == np.int64
    assert a.div(b, rounding_mode="trunc").tolist() == trunc
