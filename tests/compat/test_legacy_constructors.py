"""PyTorch's legacy constructors: ``Tensor(2, 3)``, ``Tensor(Size)``, ``Tensor()`` and the typed
``FloatTensor`` ... ``BoolTensor``, with data or sizes; shapes, dtypes and values against torch,
and the refusals where torch refuses (with an error that names what was expected)."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

TYPED = ["FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "BoolTensor"]
SIZES = [(), (0,), (3,), (2, 3), (2, 0, 4), (1, 2, 1, 2)]
DATA = [
    [],
    [1, 2],
    [[1.5, -2.7], [0.0, 3.9]],
    [True, False],
    np.arange(6.0).reshape(2, 3) - 2.5,
    np.array([0, 3, -7], dtype=np.int32),
]


def _new(lib, name, *args):
    return getattr(lib, name)(*args)


@pytest.fixture
def torch():
    return tt.reference_library("torch")


def _shape_and_dtype(t):
    return tuple(t.shape), str(t.dtype).replace("torch.", "")


@pytest.mark.parametrize("size", SIZES, ids=str)
@pytest.mark.parametrize("name", ["Tensor", *TYPED])
def test_sizes_give_torchs_shape_and_dtype(torch, name, size):
    ours, theirs = _new(tnn, name, *size), _new(torch, name, *size)
    assert _shape_and_dtype(ours) == _shape_and_dtype(theirs)
    assert ours.requires_grad is False and ours._data.flags.owndata


@pytest.mark.parametrize("size", [(2, 3), (0,), ()], ids=str)
@pytest.mark.parametrize("name", ["Tensor", *TYPED])
def test_a_size_object_is_a_shape_not_data(torch, name, size):
    ours, theirs = _new(tnn, name, tnn.Size(size)), _new(torch, name, torch.Size(size))
    assert _shape_and_dtype(ours) == _shape_and_dtype(theirs)


@pytest.mark.parametrize("data", DATA, ids=lambda d: str(np.asarray(d).tolist()))
@pytest.mark.parametrize("name", TYPED)
def test_data_is_converted_as_torch_converts_it(torch, name, data):
    ours, theirs = _new(tnn, name, data), _new(torch, name, data)
    assert _shape_and_dtype(ours) == _shape_and_dtype(theirs)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("data", DATA[:4], ids=str)
def test_tensor_of_a_list_is_default_float_as_torch(torch, data):
    ours, theirs = tnn.Tensor(data), torch.Tensor(data)
    assert _shape_and_dtype(ours) == _shape_and_dtype(theirs)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


ARRAYS = [
    np.array([1.5, -2.0]),  # float64: converted, as by torch
    np.array([[1, 2]], np.int32),
    np.array([True, False]),
    np.array([0.5], np.float16),
    np.zeros((0, 2)),
]


@pytest.mark.parametrize("data", ARRAYS, ids=lambda a: str(a.dtype))
def test_tensor_of_an_array_is_default_float_as_torch(torch, data):
    ours, theirs = tnn.Tensor(data), torch.Tensor(data)
    assert _shape_and_dtype(ours) == _shape_and_dtype(theirs)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_tensor_of_a_default_float_array_shares_it_and_others_are_copied():
    a, b = np.ones(2, np.float32), np.ones(2)
    x, y = tnn.Tensor(a), tnn.Tensor(b)
    a[0] = b[0] = 5.0
    assert x.dtype == y.dtype == np.float32
    np.testing.assert_array_equal(x.numpy(), [5.0, 1.0])
    np.testing.assert_array_equal(y.numpy(), [1.0, 1.0])
    assert tnn.from_numpy(b).dtype == np.float64  # from_numpy keeps any dtype


def test_sizes_follow_the_default_dtype(torch):
    tnn.set_default_dtype(tnn.float64)
    torch.set_default_dtype(torch.float64)
    try:
        assert _shape_and_dtype(tnn.Tensor(2, 3)) == _shape_and_dtype(torch.Tensor(2, 3))
        assert tnn.FloatTensor(2).dtype == np.float32  # a typed constructor keeps its type
        assert _shape_and_dtype(tnn.Tensor(np.ones(2, np.float32))) == _shape_and_dtype(
            torch.Tensor(np.ones(2, np.float32))
        )
    finally:
        tnn.set_default_dtype(tnn.float32)
        torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize("name", TYPED)
def test_isinstance_asks_for_the_dtype_as_torch(torch, name):
    for make in ("zeros", "ones"):
        for dtype in ("float32", "float64", "int64", "int32", "bool"):
            ours = getattr(tnn, make)(2, dtype=getattr(tnn, dtype))
            theirs = getattr(torch, make)(2, dtype=getattr(torch, dtype))
            assert isinstance(ours, getattr(tnn, name)) == isinstance(theirs, getattr(torch, name))
    assert not isinstance(np.zeros(2, np.float32), tnn.FloatTensor)


def test_a_tensor_of_the_same_dtype_is_aliased_in_the_graph():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    y = tnn.FloatTensor(x)
    assert y is not x and y.requires_grad and np.shares_memory(y._data, x._data)
    (y * y).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])


def test_requires_grad_still_works_by_position_and_keyword():
    assert tnn.Tensor(np.ones(2), True).requires_grad
    assert tnn.Tensor([1.0], requires_grad=True).requires_grad
    assert tnn.Tensor(2, requires_grad=True).shape == (2,)
    assert tnn.Tensor(2, 0).shape == (2, 0)  # an int in second place is a size, as torch
    assert tnn.Tensor(np.int64(2), True).requires_grad  # a bool there is the flag (not torch's)


# numpy integers (scalars and 0-d arrays) are sizes wherever ints are, and True and False
# after the first size are 1 and 0, as in torch
NUMPY_SIZES = [
    (np.int64(3),),
    (np.int32(0),),
    (np.uint8(2),),
    (np.int64(2), 3),
    (2, np.int16(3)),
    (np.int64(2), np.uint64(3), 1),
    (2, np.array(3)),
    (2, 3, True),
    (np.int64(2), 3, False),
]


@pytest.mark.parametrize("size", NUMPY_SIZES, ids=str)
@pytest.mark.parametrize("name", ["Tensor", *TYPED])
def test_numpy_integers_are_sizes_as_in_torch(torch, name, size):
    ours, theirs = _new(tnn, name, *size), _new(torch, name, *size)
    assert _shape_and_dtype(ours) == _shape_and_dtype(theirs)
    assert ours.requires_grad is False


@pytest.mark.parametrize("size", [(np.array(3),), (np.int64(2), True), (2, False)], ids=str)
@pytest.mark.parametrize("name", ["Tensor", *TYPED])
def test_constructors_take_a_0d_integer_array_or_a_later_bool_as_a_size(torch, name, size):
    if name == "Tensor" and type(size[-1]) is bool:
        pytest.skip("Tensor(2, True) is requires_grad: see above")
    ours, theirs = _new(tnn, name, *size), _new(torch, name, *size)
    assert _shape_and_dtype(ours) == _shape_and_dtype(theirs)


BAD = [
    (lambda lib: lib.Tensor(2, -1), ValueError, "negative"),
    (lambda lib: lib.LongTensor(-3), ValueError, "negative"),
    (lambda lib: lib.Tensor(2, 3.0), TypeError, "takes ints"),
    (lambda lib: lib.Tensor(2, [3]), TypeError, "takes ints"),
    (lambda lib: lib.FloatTensor([1.0], 2), TypeError, "takes ints"),
    (lambda lib: lib.IntTensor([2**31]), ValueError, "int32 without overflow"),
    (lambda lib: lib.LongTensor([float("nan")]), ValueError, "NaN"),
    (lambda lib: lib.IntTensor([float("inf")]), ValueError, "infinity"),
    (lambda lib: lib.FloatTensor(lib.zeros(2, dtype=lib.float64)), TypeError, "float32"),
    (lambda lib: lib.LongTensor(lib.zeros(2)), TypeError, "int64"),
    (lambda lib: lib.FloatTensor(["a"]), TypeError, "str"),
    (lambda lib: lib.FloatTensor([[1.0], [2.0, 3.0]]), ValueError, "different lengths"),
    (lambda lib: lib.Tensor(np.int64(-1)), ValueError, "negative"),
    (lambda lib: lib.FloatTensor(np.int8(2), np.int8(-3)), ValueError, "negative"),
    (lambda lib: lib.Tensor(np.int64(2), 3.0), TypeError, "takes ints"),
    (lambda lib: lib.Tensor(2, np.bool_(True)), TypeError, "takes ints"),
    (lambda lib: lib.Tensor(True, 2), TypeError, "requires_grad must be a bool"),
    (lambda lib: lib.FloatTensor(True), TypeError, "takes ints"),
    (lambda lib: lib.LongTensor(np.timedelta64(3)), TypeError, "time spans"),
    (lambda lib: lib.Tensor(2, np.array([3])), TypeError, "takes ints"),
    (lambda lib: lib.Tensor(2.0, 3), TypeError, "requires_grad must be a bool"),
    (lambda lib: lib.Tensor([1.0], 1), TypeError, "requires_grad must be a bool"),
]


@pytest.mark.parametrize("call, error, keyword", BAD, ids=range(len(BAD)))
def test_what_torch_refuses_is_refused_with_a_clear_error(torch, call, error, keyword):
    with pytest.raises((TypeError, ValueError, RuntimeError)):
        call(torch)
    with pytest.raises(error, match=keyword):
        call(tnn)
