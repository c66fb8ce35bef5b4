"""Hostile inputs to tensors: creation, dtypes, dims, indexing, conversion to numpy, and the
gradients PyTorch defines at edge cases (std of a constant, max over a NaN)."""

from __future__ import annotations

import datetime
import decimal
import fractions

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

from .conftest import case, refused

try:  # the PyTorch-equal results are also written out below
    torch = tt.reference_library("torch")
except pytest.skip.Exception:
    torch = None

NAN = float("nan")

CREATION = [
    case(lambda: tnn.tensor([2**70]), TypeError, "does not fit in 64 bits", "int-too-big"),
    case(lambda: tnn.tensor([-(2**64)]), TypeError, "64 bits", "negative-int-too-big"),
    case(lambda: tnn.tensor([1, None]), TypeError, "NoneType", "none-in-list"),
    case(lambda: tnn.tensor(None), TypeError, "NoneType", "none"),
    case(lambda: tnn.tensor("abc"), TypeError, "strings", "string"),
    case(lambda: tnn.tensor(["1.5", "2"]), TypeError, "strings", "list-of-strings"),
    case(lambda: tnn.tensor(["1.5"], dtype="float32"), TypeError, "strings", "string-as-float"),
    case(lambda: tnn.tensor(b"ab"), TypeError, "bytes", "bytes"),
    case(lambda: tnn.tensor([1 + 2j]), TypeError, "complex", "complex-list"),
    case(lambda: tnn.tensor(np.ones(2, np.complex64)), TypeError, "complex", "complex-array"),
    case(lambda: tnn.tensor([1.0], dtype=np.complex128), TypeError, "complex", "complex-dtype"),
    case(lambda: tnn.Tensor(np.ones(2, np.complex128)), TypeError, "complex", "Tensor-complex"),
    case(lambda: tnn.Tensor(np.array([{}], dtype=object)), TypeError, "objects", "Tensor-object"),
    case(lambda: tnn.Tensor(np.array(["a"])), TypeError, "strings", "Tensor-strings"),
    case(
        lambda: tnn.tensor([datetime.datetime(2020, 1, 1)]), TypeError, "datetime", "datetime-list"
    ),
    case(
        lambda: tnn.tensor(np.array(["2020-01-01"], dtype="datetime64[D]")),
        TypeError,
        "dates",
        "datetime64",
    ),
    case(lambda: tnn.tensor(np.array([1], dtype="timedelta64[s]")), TypeError, "time", "timedelta"),
    case(lambda: tnn.tensor([decimal.Decimal(1)]), TypeError, "Decimal", "decimal"),
    case(lambda: tnn.tensor([fractions.Fraction(1, 3)]), TypeError, "Fraction", "fraction"),
    case(lambda: tnn.tensor({"a": 1}), TypeError, "dict", "dict"),
    case(lambda: tnn.tensor([[1, 2], [3]]), ValueError, "different lengths", "ragged"),
    case(lambda: tnn.tensor([1.0], dtype="not a dtype"), TypeError, "dtype", "bad-dtype-name"),
    case(lambda: tnn.tensor([1.0], dtype=object), TypeError, "objects", "object-dtype"),
    case(lambda: tnn.ones(2).to(np.complex64), TypeError, "complex", "to-complex"),
    case(lambda: tnn.ones(2).to(object), TypeError, "objects", "to-object"),
    case(lambda: tnn.arange(0, 10, 0), ValueError, "nonzero", "arange-step-0"),
    case(lambda: tnn.arange(0, NAN), ValueError, "finite", "arange-nan"),
    case(lambda: tnn.arange(float("inf")), ValueError, "finite", "arange-inf"),
    case(lambda: tnn.arange("10"), TypeError, "number", "arange-string"),
    case(
        lambda: tnn.tensor([1, 2]).requires_grad_(),
        RuntimeError,
        "floating point",
        "int-requires-grad",
    ),
]

DIMS = [
    case(lambda: tnn.ones(2, 3).size(5), IndexError, "out of range", "size-5"),
    case(lambda: tnn.ones(2, 3).size(1.5), TypeError, "int", "size-float"),
    case(lambda: tnn.tensor(1.0).size(0), IndexError, "out of range", "size-of-0d"),
    case(lambda: tnn.ones(2, 3).sum(dim=1.5), TypeError, "int", "sum-float-dim"),
    case(lambda: tnn.ones(2, 3).sum(dim="0"), TypeError, "int", "sum-string-dim"),
    case(lambda: tnn.ones(2, 3).sum(dim=(0, 0)), ValueError, "more than once", "sum-dup-dim"),
    case(lambda: tnn.ones(2, 3).sum(dim=(1, -1)), ValueError, "more than once", "sum-dup-neg"),
    case(lambda: tnn.ones(2, 3).mean(dim=(0, 5)), IndexError, "out of range", "mean-dim-5"),
    case(lambda: tnn.ones(2, 3).sum(dim=True), TypeError, "int", "sum-bool-dim"),
    case(lambda: tnn.ones(2, 3).std(dim=[0, 0]), ValueError, "more than once", "std-dup"),
    case(lambda: tnn.ones(2, 3).transpose(0, 2), IndexError, "out of range", "transpose"),
    case(lambda: tnn.ones(2, 3).unsqueeze(0.5), TypeError, "int", "unsqueeze-float"),
    case(lambda: tnn.ones(2, 3).flatten(0, 7), IndexError, "out of range", "flatten"),
    case(lambda: tnn.ones(2, 3).reshape(4, 2), RuntimeError, "cannot reshape", "reshape"),
    case(lambda: tnn.ones(2, 3).permute(0, 0), ValueError, "permutation", "permute-dup"),
    case(lambda: tnn.ones(3).gather(0, tnn.tensor([-1])), IndexError, "do not wrap", "gather-neg"),
    case(lambda: tnn.ones(3).gather(0, tnn.tensor([3])), IndexError, "out of range", "gather-big"),
    case(lambda: tnn.ones(3).gather(0, tnn.tensor([0.5])), TypeError, "integers", "gather-float"),
    case(lambda: tnn.ones(2, 2).gather(0, tnn.tensor([0])), ValueError, "dims", "gather-ndim"),
    case(lambda: len(tnn.tensor(1.0)), TypeError, "0-d", "len-0d"),
    case(lambda: tnn.ones(3).item(), RuntimeError, "3 elements", "item"),
    case(lambda: bool(tnn.ones(3)), RuntimeError, "ambiguous", "bool"),
    case(lambda: tnn.ones(3).backward(), RuntimeError, "does not require grad", "backward"),
]


@pytest.mark.parametrize("call, error, keyword", CREATION + DIMS)
def test_bad_tensor_input_is_refused(call, error, keyword):
    refused(call, error, keyword)


@pytest.mark.parametrize(
    "make",
    [lambda t: t.numpy(), lambda t: np.asarray(t), lambda t: t.detach().numpy()],
    ids=["numpy", "asarray", "detach-numpy"],
)
def test_array_handed_out_cannot_corrupt_a_saved_tensor(make):
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    y = tnn.tensor([3.0, 4.0])
    z = (x * y).sum()  # saves y's array for backward
    with pytest.raises(ValueError, match="read-only"):
        make(y)[0] = 100.0
    z.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 4.0])


def test_numpy_refused_on_a_tensor_that_requires_grad():
    refused(lambda: tnn.ones(2, requires_grad=True).numpy(), RuntimeError, "detach")


def test_np_array_gives_a_writable_copy():
    y = tnn.tensor([3.0, 4.0])
    a = np.array(y)
    a[0] = 100.0
    assert y.tolist() == [3.0, 4.0]


def test_in_place_change_of_a_saved_tensor_is_refused_at_backward():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    y = tnn.tensor([3.0, 4.0])
    z = (x * y).sum()
    y[0] = 100.0
    refused(z.backward, RuntimeError, "inplace")


def test_complex_scalar_operand_is_refused():
    refused(lambda: tnn.ones(2, requires_grad=True) * 1j, TypeError, "complex")


def _grad(values, reduce, dtype=np.float64):
    x = tnn.tensor(values, dtype=dtype, requires_grad=True)
    reduce(x).backward()
    return x.grad.numpy()


def _torch_grad(values, reduce):
    x = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    reduce(x).backward()
    return x.grad.numpy()


EDGE_GRADIENTS = [
    # (values, reduction, PyTorch's gradient)
    pytest.param([2.0, 2.0, 2.0], lambda x: x.std(), [0.0, 0.0, 0.0], id="std-constant"),
    pytest.param(
        [[1.0, 1.0], [1.0, 2.0]],
        lambda x: x.std(1).sum(),
        [[0.0, 0.0], [-0.7071067811865476, 0.7071067811865476]],
        id="std-one-constant-row",
    ),
    pytest.param([5.0], lambda x: x.std(), [NAN], id="std-one-element"),
    pytest.param([1.0, NAN, 3.0], lambda x: x.max(), [0.0, 1.0, 0.0], id="max-nan"),
    pytest.param([1.0, NAN, NAN], lambda x: x.max(), [0.0, 0.5, 0.5], id="max-two-nans"),
    pytest.param([1.0, NAN, 3.0], lambda x: x.min(), [0.0, 1.0, 0.0], id="min-nan"),
    pytest.param([1.0, NAN, 3.0], lambda x: x.amax(), [NAN, NAN, NAN], id="amax-nan"),
    pytest.param([[1.0, NAN, 3.0]], lambda x: x.max(1).values.sum(), [[0, 1, 0]], id="max-dim"),
    pytest.param([1.0, 3.0, 3.0], lambda x: x.max(), [0.0, 0.5, 0.5], id="max-tie"),
]


@pytest.mark.parametrize("values, reduce, expected", EDGE_GRADIENTS)
def test_edge_gradients_are_pytorchs(values, reduce, expected):
    with np.errstate(all="ignore"):
        got = _grad(values, reduce)
    np.testing.assert_allclose(got, expected, rtol=1e-12, equal_nan=True)
    if torch is not None:
        np.testing.assert_allclose(got, _torch_grad(values, reduce), rtol=1e-12, equal_nan=True)
