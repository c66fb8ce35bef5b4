"""The element-wise ops of PyTorch's maths (reciprocal, rsqrt, log2, tan, asin, atan2, hypot,
fmod, remainder, lerp, the rounding ops, exp2, logit, xlogy, sinc, ``special.entr`` ...):
gradient = central differences in float64, for drawn shapes (broadcast pairs and triples
included), first and second order, each op on the domain where it is smooth."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

REAL, POS = tt.REAL, tt.POSITIVE
#: at least 0.2 away from 0, where 1/x and the angle of (x, y) are well conditioned
AWAY = st.one_of(st.floats(-3.0, -0.2), st.floats(0.2, 3.0))
#: inside (-1, 1) with room for the finite differences: asin and acos
UNIT = st.floats(-0.9, 0.9)
#: on a 0.01 grid shifted by 0.003: never within eps of an integer, a half or a sign change,
#: where the rounding ops jump
OFF_GRID = st.integers(-300, 300).map(lambda k: k / 100 + 0.003)
#: inside (0, 1) with room for the finite differences: logit
PROBABILITY = st.floats(0.02, 0.98)
#: the same, 0.02 away from the clamp of logit(eps=0.2) at 0.2 and 0.8
OFF_CLAMP = st.one_of(st.floats(0.02, 0.18), st.floats(0.22, 0.78), st.floats(0.82, 0.98))

UNARY = {
    "reciprocal": (lambda x: x.reciprocal(), AWAY),
    "rsqrt": (lambda x: x.rsqrt(), POS),
    "log2": (lambda x: x.log2(), POS),
    "log10": (lambda x: x.log10(), POS),
    "expm1": (lambda x: x.expm1(), REAL),
    "tan": (lambda x: x.tan(), st.floats(-1.3, 1.3)),
    "asin": (lambda x: x.asin(), UNIT),
    "acos": (lambda x: x.acos(), UNIT),
    "atan": (lambda x: x.atan(), REAL),
    "erf": (lambda x: x.erf(), REAL),
    "erfc": (lambda x: x.erfc(), REAL),
    "neg": (lambda x: x.neg(), REAL),
    "exp2": (lambda x: x.exp2(), REAL),
    "logit": (lambda x: x.logit(), PROBABILITY),
    "logit_eps": (lambda x: tnn.logit(x, eps=0.2), OFF_CLAMP),
    "sinc": (lambda x: x.sinc(), REAL),
    # PyTorch's formula of the derivative cancels near 0 (to 1e-6 relative at x = 1e-5):
    # the second derivative is checked away from there
    "sinc_away_from_0": (lambda x: x.sinc(), AWAY),
    "entr": (lambda x: tnn.special.entr(x), POS),
    "ndtr": (lambda x: tnn.special.ndtr(x), REAL),
    "frac": (lambda x: x.frac(), OFF_GRID),
    # piecewise constant: gradient 0 away from the jumps
    "floor": (lambda x: x.floor(), OFF_GRID),
    "ceil": (lambda x: x.ceil(), OFF_GRID),
    "trunc": (lambda x: x.trunc(), OFF_GRID),
    "round": (lambda x: x.round(), OFF_GRID),
    "round_decimals": (lambda x: x.round(decimals=1), OFF_GRID),
    "sign": (lambda x: x.sign(), OFF_GRID),
}

BINARY = {
    "atan2": (lambda y, x: y.atan2(x), [AWAY, AWAY]),
    "hypot": (lambda x, y: x.hypot(y), [AWAY, AWAY]),
    "fmod": (lambda x, y: x.fmod(y), [REAL, AWAY]),
    "remainder": (lambda x, y: x % y, [REAL, AWAY]),
    "lerp_number_weight": (lambda x, e: x.lerp(e, 0.7), [REAL, REAL]),
    "erfc_of_product": (lambda x, y: (x * y).erfc(), [REAL, REAL]),
    "xlogy": (lambda x, y: x.xlogy(y), [REAL, POS]),
    "special_xlogy": (lambda x, y: tnn.special.xlogy(x, y), [REAL, POS]),
}
SECOND_ORDER = [
    *["reciprocal", "rsqrt", "log2", "expm1", "tan", "asin", "acos", "atan2", "hypot", "erfc"],
    *["exp2", "logit", "logit_eps", "sinc_away_from_0", "entr", "ndtr", "xlogy"],
]


def _away_from_jumps(name, x, y):
    """fmod and remainder jump where x / y is a whole number: stay 1e-4 away."""
    if name in ("fmod", "remainder"):
        q = np.asarray(x.detach().numpy()) / np.asarray(y.detach().numpy())
        assume(np.all(np.abs(q - np.round(q)) > 1e-4))


@pytest.mark.parametrize("name", sorted(UNARY))
@given(data=st.data())
def test_unary_gradient_matches_finite_differences(name, data):
    fn, elements = UNARY[name]
    x = data.draw(tt.tensors(elements=elements))
    assert tt.check_grad(fn, [x])


@pytest.mark.parametrize("name", sorted(BINARY))
@given(data=st.data())
def test_binary_gradient_matches_finite_differences(name, data):
    fn, elements = BINARY[name]
    x, y = data.draw(tt.broadcast_tensors(2, elements=elements))
    _away_from_jumps(name, x, y)
    assert tt.check_grad(fn, [x, y])


@given(tt.broadcast_tensors(3, elements=[REAL, REAL, st.floats(-0.5, 1.5)]))
def test_lerp_gradient_in_input_end_and_weight(xew):
    assert tt.check_grad(lambda x, e, w: x.lerp(e, w), list(xew))


@pytest.mark.parametrize("name", SECOND_ORDER)
@given(data=st.data())
def test_second_derivative_matches_finite_differences(name, data):
    if name in UNARY:
        fn, elements = UNARY[name]
        assert tt.check_gradgrad(fn, [data.draw(tt.tensors(elements=elements))])
    else:
        fn, elements = BINARY[name]
        assert tt.check_gradgrad(fn, list(data.draw(tt.broadcast_tensors(2, elements=elements))))


@given(tt.broadcast_tensors(3, elements=[REAL, AWAY, st.floats(-0.5, 1.5)]))
def test_second_derivative_of_mod_and_lerp(xyw):
    x, y, w = xyw
    _away_from_jumps("fmod", x, y)
    assert tt.check_gradgrad(lambda a, b: a.fmod(b) + a.remainder(b), [x, y])
    assert tt.check_gradgrad(lambda a, b, c: a.lerp(b, c), [x, y, w])
