"""Inputs an op cannot take together raise what PyTorch raises (mostly RuntimeError), and stay
ValueErrors as numpy's are, so that code written for either catches them."""

import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

CASES = [
    "lib.ones(2) + lib.ones(3)",
    "lib.ones(2, 3) * lib.ones(3, 2)",
    "lib.ones(2, 3) @ lib.ones(2, 3)",
    "lib.matmul(lib.ones(4), lib.ones(3))",
    "lib.ones(2).expand(3)",
    "lib.ones(2, 3).expand(2, 4)",
    "lib.cat([lib.ones(2, 3), lib.ones(3, 2)])",
    "lib.cat([])",
    "lib.cat([lib.ones(()), lib.ones(())])",
    "lib.where(lib.ones(2) > 0, lib.ones(3), lib.ones(2))",
    "lib.ones(2, 3).reshape(4)",
    "lib.ones(2, 3).view(4)",
    "lib.logaddexp(lib.ones(2), lib.ones(3))",
    "lib.logical_and(lib.ones(2), lib.ones(3))",
    "lib.addcmul(lib.ones(2), lib.ones(3), lib.ones(2))",
    "lib.addmm(lib.ones(2, 2), lib.ones(2, 3), lib.ones(2, 3))",
    "lib.addmm(lib.ones(3, 3), lib.ones(2, 3), lib.ones(3, 3))",
    "lib.baddbmm(lib.ones(2, 2, 2), lib.ones(2, 2, 3), lib.ones(3, 2, 2))",
    "lib.cdist(lib.ones(2, 3), lib.ones(2, 4))",
    "lib.dist(lib.ones(2), lib.ones(3))",
]


@pytest.mark.parametrize("expr", CASES)
def test_shape_errors_are_of_torchs_type(expr):
    torch = tt.reference_library("torch")
    with pytest.raises(Exception) as theirs:
        eval(expr, {"lib": torch})
    with pytest.raises(type(theirs.value)):  # RuntimeError, or ValueError for an empty cat
        eval(expr, {"lib": tnn})


@pytest.mark.parametrize("expr", CASES)
def test_shape_errors_are_still_value_errors(expr):
    with pytest.raises(ValueError):
        eval(expr, {"lib": tnn})
