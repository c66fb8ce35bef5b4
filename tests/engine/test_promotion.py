"""Type promotion follows PyTorch, not numpy: categories bool < int < float; 0-d tensors and
Python numbers lift the category but not the width; ``/`` of integers is the default float.
The Hypothesis table is compared with PyTorch's own when it is installed."""

import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import dtypes, nn

if os.environ.get("TINYGRAD_NN_REQUIRE_TORCH") == "1":
    import torch
else:
    try:
        import torch
    except ImportError:
        torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch is not installed")

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


@pytest.fixture
def default_float64():
    tnn.set_default_dtype(tnn.float64)
    yield
    tnn.set_default_dtype(tnn.float32)


def test_int_tensor_plus_float_number_is_the_default_float():
    assert (tnn.tensor([1, 2]) + 0.5).dtype == tnn.float32


def test_int_tensor_plus_float_number_follows_the_default_dtype(default_float64):
    assert (tnn.tensor([1, 2]) + 0.5).dtype == tnn.float64


def test_arange_divided_by_an_int_is_float32():
    out = tnn.arange(5) / 2
    assert out.dtype == tnn.float32
    np.testing.assert_array_equal(out.numpy(), [0, 0.5, 1, 1.5, 2])


def test_int_tensor_divided_by_int_tensor_is_float32():
    assert (tnn.tensor([3, 4]) / tnn.tensor([2, 2])).dtype == tnn.float32
    assert (1 / tnn.tensor([3, 4])).dtype == tnn.float32


def test_float32_times_float64_zero_dim_tensor_stays_float32():
    x = tnn.ones(3)
    assert (x * tnn.tensor(2.0, dtype=tnn.float64)).dtype == tnn.float32
    assert (tnn.tensor(2.0, dtype=tnn.float64) * x).dtype == tnn.float32


def test_float32_with_int64_tensor_is_float32():
    assert (tnn.ones(3) + tnn.tensor([1, 2, 3])).dtype == tnn.float32
    assert (tnn.tensor([1, 2, 3]) * tnn.ones(3)).dtype == tnn.float32


def test_float32_with_float64_tensor_with_dims_is_float64():
    assert (tnn.ones(3) + tnn.ones(3, dtype=tnn.float64)).dtype == tnn.float64


def test_int_tensor_with_float64_zero_dim_tensor_lifts_to_float64():
    assert (tnn.tensor([1, 2]) + tnn.tensor(0.5, dtype=tnn.float64)).dtype == tnn.float64


def test_bool_tensor_plus_int_counts():
    out = tnn.tensor([True, False]) + 1
    assert out.dtype == tnn.int64
    assert out.tolist() == [2, 1]


def test_python_numbers_keep_the_width_of_a_narrow_tensor():
    assert (tnn.tensor([1, 2], dtype=np.int32) * 3).dtype == np.int32
    assert (tnn.tensor([1.0], dtype=np.float16) * 3.0).dtype == np.float16


def test_tensor_class_with_a_list_is_float32_and_tensor_function_keeps_int64():
    assert tnn.Tensor([1, 2]).dtype == tnn.float32
    assert tnn.tensor([1, 2]).dtype == tnn.int64


def test_mixed_dtype_gradient_comes_back_in_each_inputs_dtype():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    s = tnn.tensor(3.0, dtype=tnn.float64, requires_grad=True)
    (x * s).sum().backward()
    assert x.grad.dtype == tnn.float32 and s.grad.dtype == tnn.float64
    np.testing.assert_allclose(x.grad.numpy(), [3, 3])
    assert s.grad.item() == 3.0


def test_maximum_and_where_promote():
    assert tnn.tensor([1, 5]).maximum(tnn.ones(2)).dtype == tnn.float32
    assert tnn.where(tnn.tensor([True, False]), tnn.tensor([1, 2]), 0.5).dtype == tnn.float32


def test_float64_input_to_float32_linear_raises_naming_both_dtypes():
    layer = nn.Linear(3, 2)
    with pytest.raises(RuntimeError, match="same dtype.*float64.*float32"):
        layer(tnn.ones(4, 3, dtype=tnn.float64))


def test_matmul_of_two_dtypes_raises():
    with pytest.raises(RuntimeError, match="same dtype"):
        tnn.ones(2, 2) @ tnn.ones(2, 2, dtype=tnn.float64)


def test_promote_types_across_categories_takes_the_higher_category():
    assert dtypes.promote_types(np.dtype("int64"), np.dtype("float16")) == np.float16
    assert dtypes.promote_types(np.dtype("uint8"), np.dtype("int8")) == np.int16


# -- the table, drawn by Hypothesis and compared with PyTorch --------------------------------

operand = st.one_of(
    st.tuples(st.just("tensor"), st.sampled_from(DTYPES), st.booleans()),  # dtype, 0-d?
    st.tuples(st.just("number"), st.sampled_from(["bool", "int", "float"]), st.just(False)),
)
NUMBERS = {"bool": True, "int": 3, "float": 0.5}


def _make(lib, spec):
    kind, name, zero_dim = spec
    if kind == "number":
        return NUMBERS[name]
    shape = () if zero_dim else (2,)
    data = np.ones(shape, dtype=name)
    if lib is tnn:
        return tnn.tensor(data)
    return torch.from_numpy(data)


def _torch_name(dtype):
    return str(dtype).removeprefix("torch.")


@needs_torch
@given(operand, operand)
def test_result_dtype_matches_pytorch(a, b):
    if a[0] == "number" and b[0] == "number":
        return
    if a[0] == "number":
        a, b = b, a
    x, y = _make(tnn, a), _make(tnn, b)
    tx, ty = _make(torch, a), _make(torch, b)
    expected = _torch_name(torch.result_type(tx, ty))
    assert str(dtypes.result_type(x._data, y._data if isinstance(y, tnn.Tensor) else y)) == (
        expected
    )
    assert str((x * y).dtype) == _torch_name((tx * ty).dtype)
    assert str((y * x).dtype) == _torch_name((ty * tx).dtype)
    if not (a[1] == "bool" and (b[0] == "number" or b[1] == "bool")):
        assert str((x / y).dtype) == _torch_name((tx / ty).dtype)


@needs_torch
@given(st.sampled_from(DTYPES[1:6]), st.sampled_from(["int", "float"]))
def test_result_dtype_with_float64_default_matches_pytorch(name, number):
    x, tx = tnn.tensor(np.ones(2, name)), torch.from_numpy(np.ones(2, name))
    tnn.set_default_dtype(tnn.float64)
    torch.set_default_dtype(torch.float64)
    try:
        assert str((x * NUMBERS[number]).dtype) == _torch_name((tx * NUMBERS[number]).dtype)
    finally:
        tnn.set_default_dtype(tnn.float32)
        torch.set_default_dtype(torch.float32)


def test_exp_tanh_and_sigmoid_of_integers_and_bools_give_the_default_float_dtype():
    for data in ([1, -2], [True, False]):
        x = tnn.tensor(data)
        for y in (x.exp(), x.tanh(), x.sigmoid(), x.logsumexp(0)):
            assert y.dtype == tnn.float32
    np.testing.assert_allclose(tnn.tensor([0, 1]).sigmoid().numpy(), [0.5, 0.7310586])
    tnn.set_default_dtype(tnn.float64)
    try:
        assert tnn.tensor([1]).exp().dtype == tnn.tensor([True]).tanh().dtype == tnn.float64
    finally:
        tnn.set_default_dtype(tnn.float32)


@pytest.mark.filterwarnings("ignore:Implicit dimension choice")
@pytest.mark.parametrize("name", ["silu", "gelu", "elu", "softplus", "leaky_relu", "softmax"])
def test_activations_without_integer_kernels_refuse_integers_naming_themselves(name):
    with pytest.raises(NotImplementedError, match=f"{name}: not implemented for int64"):
        getattr(nn.functional, name)(tnn.tensor([1, 2]))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("value", [0.9, 1e-3, 3, -0.0, 0.1 + 1e-12])
def test_a_constant_computes_as_the_python_number_would(dtype, value):
    a = np.linspace(-2, 2, 7, dtype=dtype)
    c = dtypes.constant(value, np.dtype(dtype))
    assert c.dtype == dtype and c.ndim == 0
    for got, want in ((a * c, a * value), (a - c, a - value)):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(np.signbit(got), np.signbit(want))


def test_constants_are_read_only_and_their_cache_stays_small():
    f32 = np.dtype(np.float32)
    assert dtypes.constant(0.5, f32) is dtypes.constant(0.5, f32)
    assert not dtypes.constant(0.5, f32).flags.writeable
    assert not dtypes.ONE[f32].flags.writeable and dtypes.ONE[f32] == 1
    for i in range(1, 200):  # a learning-rate schedule: a new value every step
        dtypes.constant(1 / i, f32)
    assert len(dtypes._CONSTANTS) <= 64


@pytest.mark.parametrize("name", ["mean", "var", "std", "var_mean", "std_mean"])
@pytest.mark.parametrize("data", [[1, 2, 4], [True, False, True]], ids=["int64", "bool"])
def test_mean_and_variance_of_integers_and_bools_are_refused_naming_dtype_and_fix(name, data):
    x = tnn.tensor(data)
    call = getattr(tnn, name) if name.endswith("_mean") else getattr(x, name)
    with pytest.raises(RuntimeError, match=rf"{name}\(\).*{x.dtype}.*\.float\(\)"):
        call(x) if name.endswith("_mean") else call()


def test_mean_with_a_float_dtype_casts_first_and_refuses_an_integer_dtype():
    x = tnn.tensor([[1, 2], [4, 7]])
    m = x.mean(dtype=tnn.float64)
    assert m.dtype == tnn.float64 and m.item() == 3.5
    assert tnn.mean(x, 0, keepdim=True, dtype=tnn.float32).tolist() == [[2.5, 4.5]]
    w = tnn.tensor([1.0, 2.0], requires_grad=True)
    w.mean(dtype=tnn.float64).backward()
    assert w.grad.dtype == tnn.float32 and w.grad.tolist() == [0.5, 0.5]
    with pytest.raises(RuntimeError, match="dtype must be a floating point dtype, got int64"):
        x.mean(dtype=tnn.int64)


def test_powers_of_bools_are_pytorchs():
    b = tnn.tensor([True, False, True])
    for result, dtype, values in (
        (b**2, tnn.int64, [1, 0, 1]),
        (b**0, tnn.int64, [1, 1, 1]),
        (b**2.5, tnn.float32, [1.0, 0.0, 1.0]),
        (2**b, tnn.int64, [2, 1, 2]),
        (b**True, tnn.bool, [True, False, True]),  # PyTorch copies for the exponent 1
        (tnn.pow(b, False), tnn.bool, [True, True, True]),  # and fills ones for 0
        (b.clone().pow_(True), tnn.bool, [True, False, True]),
    ):
        assert result.dtype == dtype and result.tolist() == values
    for call in (lambda: b**b, lambda: tnn.pow(True, b), lambda: b ** tnn.tensor(True)):
        with pytest.raises(NotImplementedError, match=r"pow: not implemented for bool.*\.int\(\)"):
            call()


def test_integer_powers_refuse_a_negative_number_but_compute_negative_tensor_exponents():
    for base in (tnn.tensor([True, False]), tnn.tensor([2, 3])):
        with pytest.raises(RuntimeError, match="negative integer powers.*float"):
            base**-1
    x = tnn.tensor([1, -1, -1, 2, 0, 3])
    p = tnn.tensor([-3, -3, -2, -1, -1, 2])
    assert (x**p).tolist() == [1, -1, 1, 0, 0, 9]  # as PyTorch: rounded toward zero
