"""linspace against PyTorch (when installed), bit for bit: torch steps from both ends with a
fused multiply-add, which np.linspace does not (linspace(0, 4, 4)[2] is 2.6666665 in float32,
not 2.6666667), and in float16 rounds after every operation."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

rng = np.random.default_rng(5)
FLOAT_CASES = [
    (0, 4, 4),
    (0, 1, 5),
    (-3, 7, 11),
    (0.1, 0.7, 13),
    (1e-3, 10, 100),
    (-5, 5, 1000),
    (2.5, -1.3, 57),
    (3, 3, 5),
    (0, 1e-30, 7),
    (-1e10, 1e10, 999),
    (0, 1, 40000),  # more than one of torch's parallel chunks
    *zip(
        rng.normal(0, 10, 40),
        rng.normal(0, 10, 40) * 10.0 ** rng.integers(-5, 5, 40),
        rng.integers(2, 3000, 40),
    ),
]
INT_CASES = [(0, 10, 4), (-7, 13, 9), (0.5, 3.7, 4), (-2.5, 9.9, 7), (100, -3, 11), (5, 5, 3)]
INT_CASES += list(
    zip(rng.integers(-1000, 1000, 30), rng.integers(-1000, 1000, 30), rng.integers(2, 200, 30))
)
EDGES = [(0, 1, 0), (2.5, 7, 1), (0, 1, 2)]
#: float16 rounds after each operation: the cases within its range (65504), and ones where
#: the index, the step count or e - s is not exact in it or overflows
HALF_CASES = [c for c in FLOAT_CASES if max(abs(c[0]), abs(c[1])) <= 65504]
HALF_CASES += [(0, 1000, 3001), (0.1, 0.2, 7), (-60000, 60000, 5), (0, 1, 70000), (1, 0, 2049)]
#: a start rounded to float32 first (1 + 2**-11, a tie: 1), not straight to float16 (1 + 2**-10)
HALF_CASES += [(1 + 2**-11 + 2**-40, 2, n) for n in (1, 2, 5)]


@pytest.mark.parametrize(
    "dtype, cases",
    [
        ("float32", FLOAT_CASES + EDGES),
        ("float64", FLOAT_CASES + EDGES),
        ("float16", HALF_CASES + EDGES),
        ("int64", INT_CASES + EDGES),
        ("int32", INT_CASES),
        ("int16", INT_CASES),
    ],
)
def test_linspace_is_pytorchs_bit_for_bit(dtype, cases):
    for start, end, steps in cases:
        start, end, steps = float(start), float(end), int(steps)
        out, ref = (L.linspace(start, end, steps, dtype=getattr(L, dtype)) for L in (tnn, torch))
        tt.assert_same_result(out, ref)


def test_linspace_of_the_default_dtype_is_pytorchs():
    tt.assert_same_result(tnn.linspace(0, 4, 4), torch.linspace(0, 4, 4))


def test_negative_steps_raise_what_pytorch_raises():
    tt.assert_same_error(lambda L: L.linspace(0, 1, -1), tnn, torch)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy's, of inf - inf
@pytest.mark.parametrize(
    "start, end, dtype", [(0, 1e5, "float16"), (-65520, 0, "float16"), (0, 1e39, "float32")]
)
def test_an_end_beyond_the_dtypes_range_raises_what_pytorch_raises(start, end, dtype):
    tt.assert_same_error(lambda L: L.linspace(start, end, 3, dtype=getattr(L, dtype)), tnn, torch)
    tt.assert_same_result(
        tnn.linspace(-np.inf, np.inf, 3, dtype=getattr(tnn, dtype)),
        torch.linspace(-np.inf, np.inf, 3, dtype=getattr(torch, dtype)),
    )
