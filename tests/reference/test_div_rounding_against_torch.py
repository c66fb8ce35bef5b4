"""``div(rounding_mode=)``, ``floor_divide`` and ``//`` against PyTorch: values (signed zeros,
infinities and NaN included), result dtypes for every pairing of int and float operands and
numbers, the refusals, and the gradient (0 for both inputs)."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

NUM = np.array([-7, 7, -8, 0, 9, -1, 5, -6])
DEN = np.array([2, -2, 3, 5, -3, 4, 1, -6])
F_NUM = np.array([-7.5, 7.25, -0.5, 0.5, 0.0, -0.0, 1.0, 5.0, -5.0, np.inf, -np.inf, np.nan, 3.0])
F_DEN = np.array([2.0, -2.0, 2.0, -2.0, -1.0, 3.0, 0.1, np.inf, -np.inf, 2.0, 3.0, 1.0, 0.0])
MODES = ["trunc", "floor"]
DTYPES = ["int64", "int32", "int16", "uint8", "float32", "float64"]


def _pair(a, b, dtype_a, dtype_b):
    ours = (tnn.tensor(a, dtype=getattr(tnn, dtype_a)), tnn.tensor(b, dtype=getattr(tnn, dtype_b)))
    theirs = tuple(torch.tensor(t.numpy()) for t in ours)
    return ours, theirs


def _same(ours, theirs):
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert (np.signbit(ours.numpy()) == np.signbit(theirs.numpy())).all()  # -0.0 as torch


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype_b", DTYPES)
@pytest.mark.parametrize("dtype_a", DTYPES)
def test_rounded_division_of_two_tensors_matches_torch_in_value_and_dtype(mode, dtype_a, dtype_b):
    unsigned = "uint8" in (dtype_a, dtype_b)
    a, b = (np.abs(NUM), np.abs(DEN)) if unsigned else (NUM, DEN)
    (x, y), (tx, ty) = _pair(a, b, dtype_a, dtype_b)
    _same(x.div(y, rounding_mode=mode), torch.div(tx, ty, rounding_mode=mode))
    _same(tnn.div(x, y, rounding_mode=mode), torch.div(tx, ty, rounding_mode=mode))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_float_edge_cases_match_torch(mode, dtype):
    (x, y), (tx, ty) = _pair(F_NUM, F_DEN, dtype, dtype)
    _same(x.div(y, rounding_mode=mode), torch.div(tx, ty, rounding_mode=mode))


@pytest.mark.parametrize("number", [2, -3, 2.5, -0.1, True])
@pytest.mark.parametrize("dtype", ["int64", "int32", "float32", "float64"])
def test_floor_division_with_a_number_on_either_side_matches_torch(dtype, number):
    (x, _), (tx, _) = _pair(NUM[NUM != 0], DEN, dtype, dtype)
    _same(x // number, tx // number)
    _same(number // x, number // tx)
    _same(tnn.floor_divide(x, number), torch.floor_divide(tx, number))
    _same(x.floor_divide(number), tx.floor_divide(number))
    for mode in MODES:
        _same(tnn.div(number, x, rounding_mode=mode), torch.div(number, tx, rounding_mode=mode))


def test_true_division_is_unchanged_and_matches_torch():
    (x, y), (tx, ty) = _pair(NUM, DEN, "int64", "int64")
    _same(x.div(y), torch.div(tx, ty))
    _same(tnn.div(x, y, rounding_mode=None), torch.div(tx, ty, rounding_mode=None))
    with np.errstate(divide="ignore", invalid="ignore"):
        np.testing.assert_array_equal((x / 0).numpy(), (tx / 0).numpy())


def test_out_receives_the_rounded_quotient_as_torch():
    (x, y), (tx, ty) = _pair(NUM, DEN, "int64", "int64")
    out, tout = tnn.empty(8, dtype=tnn.float32), torch.empty(8, dtype=torch.float32)
    tnn.floor_divide(x, y, out=out)
    torch.floor_divide(tx, ty, out=tout)
    _same(out, tout)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda lib, x: x // 0, ZeroDivisionError, "division by zero"),
        (lambda lib, x: lib.div(x, x * 0, rounding_mode="trunc"), ZeroDivisionError, "zero"),
        (lambda lib, x: x.div(x, rounding_mode="round"), ValueError, "rounding_mode"),
        (lambda lib, x: lib.div(x, x, rounding_mode="Floor"), ValueError, "'Floor'"),
        (lambda lib, x: (x > 0) // (x > 0), TypeError, "bool"),
    ],
    ids=["int-by-zero", "int-by-zero-tensor", "mode-round", "mode-case", "bool"],
)
def test_what_torch_refuses_is_refused_with_a_clear_error(call, error, match):
    with pytest.raises((RuntimeError, NotImplementedError)):
        call(torch, torch.tensor(NUM))
    with pytest.raises(error, match=match):
        call(tnn, tnn.tensor(NUM))


@pytest.mark.parametrize("mode", MODES)
def test_gradient_is_zero_for_both_inputs_as_torch(mode):
    rng = np.random.default_rng(0)
    a, b, g = rng.standard_normal((3, 4)), rng.standard_normal(4), rng.standard_normal((3, 4))
    x, y = tnn.tensor(a, requires_grad=True), tnn.tensor(b, requires_grad=True)
    tx, ty = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    x.div(y, rounding_mode=mode).backward(tnn.tensor(g))
    torch.div(tx, ty, rounding_mode=mode).backward(torch.tensor(g))
    assert x.grad.shape == (3, 4) and y.grad.shape == (4,)
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())
    np.testing.assert_array_equal(y.grad.numpy(), ty.grad.numpy())


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", ["int64", "float32"])
def test_in_place_rounded_division_changes_the_storage_as_torch(mode, dtype):
    (x, y), (tx, ty) = _pair(NUM, DEN, dtype, dtype)
    view, tview = x[2:], tx[2:]
    assert x.div_(y, rounding_mode=mode) is x
    tx.div_(ty, rounding_mode=mode)
    _same(x, tx)
    _same(view, tview)  # the views see the change
    x //= 3
    tx //= 3
    _same(x, tx)


def test_in_place_rounded_division_is_recorded_with_gradient_zero_as_torch():
    a = np.array([1.5, -2.5, 7.0])
    x, tx = tnn.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    y, ty = x * 2, tx * 2
    y.div_(0.7, rounding_mode="floor")
    ty.div_(0.7, rounding_mode="floor")
    _same(y.detach(), ty.detach())
    (y * y).sum().backward()
    (ty * ty).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


def test_in_place_rounded_division_refuses_a_float_result_in_an_int_tensor_as_torch():
    with pytest.raises(RuntimeError, match="can't be cast"):
        torch.tensor(NUM).div_(2.5, rounding_mode="floor")
    with pytest.raises(
        RuntimeError, match=r"float32 can't be cast to the desired output type int64"
    ):
        tnn.tensor(NUM).div_(2.5, rounding_mode="floor")
