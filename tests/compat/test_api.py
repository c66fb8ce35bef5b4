"""PyTorch's API surface, one behaviour per test: devices, dtypes, Size, the top-level
functions (with ``out=``), the numpy keyword aliases and the seeding objects."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn
from tinygrad_nn import testing as tt

# -- devices -------------------------------------------------------------------------------


def test_cpu_device_has_pytorchs_fields_and_repr():
    d = tnn.device("cpu")
    assert (d.type, d.index, str(d), repr(d)) == ("cpu", None, "cpu", "device(type='cpu')")
    assert tnn.device("cpu:0") == tnn.device("cpu", 0) != d
    assert str(tnn.device("cpu", 0)) == "cpu:0"


def test_unknown_device_type_is_refused_when_built():
    with pytest.raises(RuntimeError, match="device type at start of device string: tpu9"):
        tnn.device("tpu9")


@pytest.mark.parametrize("where", ["cuda", "cuda:0", "mps", 0])
def test_gpu_device_is_refused_with_a_message_about_the_cpu(where):
    with pytest.raises(RuntimeError, match=r"zeros: device .* CPU with numpy"):
        tnn.zeros(2, device=where)


@pytest.mark.parametrize(
    "make",
    [
        lambda d: tnn.tensor([1.0], device=d),
        lambda d: tnn.zeros(2, device=d),
        lambda d: tnn.ones(2, device=d),
        lambda d: tnn.empty(2, device=d),
        lambda d: tnn.full((2,), 3.0, device=d),
        lambda d: tnn.arange(3, device=d),
        lambda d: tnn.linspace(0, 1, 3, device=d),
        lambda d: tnn.eye(2, device=d),
        lambda d: tnn.rand(2, device=d),
        lambda d: tnn.randn(2, device=d),
        lambda d: tnn.randint(0, 5, (2,), device=d),
        lambda d: tnn.normal(0.0, 1.0, (2,), device=d),
        lambda d: tnn.zeros_like(tnn.ones(2), device=d),
        lambda d: tnn.ones_like(tnn.ones(2), device=d),
        lambda d: tnn.full_like(tnn.ones(2), 2.0, device=d),
        lambda d: tnn.rand_like(tnn.ones(2), device=d),
        lambda d: tnn.randn_like(tnn.ones(2), device=d),
        lambda d: tnn.empty_like(tnn.ones(2), device=d),
        lambda d: tnn.as_tensor([1.0], device=d),
    ],
)
def test_every_creation_function_takes_device(make):
    assert make("cpu").device == tnn.device("cpu")
    assert make(tnn.device("cpu")).device.type == "cpu"
    with pytest.raises(RuntimeError, match="CPU with numpy"):
        make("cuda")


def test_to_reads_device_dtype_and_other_tensor_as_pytorch():
    x = tnn.ones(2)
    assert x.to("cpu") is x and x.cpu() is x and x.to(tnn.device("cpu")) is x
    assert x.to("cpu", tnn.float64).dtype == tnn.float64
    assert x.to(device="cpu", dtype=tnn.int32).dtype == tnn.int32
    assert x.to(tnn.ones(1, dtype=tnn.float16)).dtype == tnn.float16
    assert x.to(tnn.float32, copy=True) is not x
    with pytest.raises(RuntimeError, match="CPU with numpy"):
        x.to("cuda")
    with pytest.raises(RuntimeError, match="CPU with numpy"):
        x.cuda()


def test_float_to_float_conversion_stays_in_the_graph():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    x.to("cpu", tnn.float64).sum().backward()
    assert x.grad.dtype == tnn.float32 and x.grad.tolist() == [1.0, 1.0]


def test_module_to_device_and_dtype():
    m = nn.Linear(2, 3)
    assert m.to(tnn.device("cpu")) is m and m.cpu() is m
    m.to("cpu", tnn.float64)
    assert m.weight.dtype == tnn.float64 and m.bias.dtype == tnn.float64
    with pytest.raises(RuntimeError, match="CPU with numpy"):
        m.to("cuda")
    with pytest.raises(TypeError, match="floating point"):
        m.to(tnn.long)


def test_no_accelerator_is_reported():
    assert tnn.cuda.is_available() is False and tnn.cuda.device_count() == 0
    assert tnn.accelerator.is_available() is False
    assert tnn.accelerator.current_accelerator() is None
    assert tnn.backends.mps.is_available() is False
    tnn.cuda.manual_seed(0)  # accepted, as PyTorch does without CUDA
    tnn.cuda.empty_cache()
    with tnn.device("cpu"):
        assert tnn.zeros(1).device.type == "cpu"
    with pytest.raises(RuntimeError, match="CPU with numpy"), tnn.device("cuda"):
        pass
    with pytest.raises(RuntimeError, match="CPU with numpy"):
        tnn.cuda.current_device()


def test_default_device_is_the_cpu_and_stays_so():
    tnn.set_default_device("cpu")
    assert tnn.get_default_device() == tnn.device("cpu")
    with pytest.raises(RuntimeError, match="CPU with numpy"):
        tnn.set_default_device("cuda")
    assert tnn.zeros(1).device == tnn.device("cpu")


# -- dtypes --------------------------------------------------------------------------------


def test_pytorch_dtype_aliases_are_numpy_dtypes():
    assert tnn.float is tnn.float32 and tnn.double is tnn.float64 and tnn.half is tnn.float16
    assert tnn.long is tnn.int64 and tnn.int is tnn.int32 and tnn.short is tnn.int16
    assert tnn.bool == np.bool_ and tnn.uint8 == np.uint8 and tnn.int8 == np.int8
    assert tnn.ones(2).dtype == tnn.float32 == np.float32


@pytest.mark.parametrize(
    "method, dtype, name",
    [
        ("float", "float32", "FloatTensor"),
        ("double", "float64", "DoubleTensor"),
        ("half", "float16", "HalfTensor"),
        ("long", "int64", "LongTensor"),
        ("int", "int32", "IntTensor"),
        ("bool", "bool", "BoolTensor"),
    ],
)
def test_conversion_methods_and_type_names(method, dtype, name):
    y = getattr(tnn.tensor([0.0, 2.5]), method)()
    assert y.dtype == np.dtype(dtype)
    assert y.type() == "tinygrad_nn." + name
    assert tnn.ones(2).type("torch." + name).dtype == np.dtype(dtype)


def test_type_with_a_dtype_converts_and_a_cuda_type_is_refused():
    assert tnn.tensor([1, 2]).type(tnn.float).dtype == tnn.float32
    with pytest.raises(RuntimeError, match="CUDA type"):
        tnn.ones(2).type("torch.cuda.FloatTensor")
    with pytest.raises(ValueError, match="invalid type"):
        tnn.ones(2).type("torch.FancyTensor")


def test_default_dtype_round_trip():
    assert tnn.get_default_dtype() == tnn.float32
    tnn.set_default_dtype(tnn.float64)
    try:
        assert tnn.zeros(1).dtype == tnn.float64 and tnn.tensor(1.5).dtype == tnn.float64
    finally:
        tnn.set_default_dtype(tnn.float32)


def test_size_is_a_tuple_with_numel():
    x = tnn.zeros(2, 3, 4)
    assert isinstance(x.shape, tnn.Size) and isinstance(x.size(), tuple)
    assert x.size() == (2, 3, 4) and x.size(1) == 3 and x.size().numel() == 24
    assert isinstance(x.shape[1:], tnn.Size) and x.shape[1:] == (3, 4)
    assert (x.shape + (5,)).numel() == 120 and tnn.Size([]).numel() == 1
    assert repr(x.shape) == str(x.shape) == "(2, 3, 4)"


# -- formatting and indexing -------------------------------------------------------------------


def test_zero_dim_tensor_formats_as_its_number():
    assert f"{tnn.tensor(3.14159):.3f}" == "3.142" and f"{tnn.tensor(7):>3d}" == "  7"
    with pytest.raises(TypeError):
        f"{tnn.tensor([3.14159]):.3f}"


def test_integer_tensor_is_an_index():
    items = ["a", "b", "c"]
    assert items[tnn.tensor(2)] == "c" and list(range(tnn.tensor(3))) == [0, 1, 2]
    with pytest.raises(TypeError, match="integer tensors of a single element"):
        items[tnn.tensor(1.0)]


# -- functions --------------------------------------------------------------------------------


def test_from_numpy_shares_memory_and_keeps_dtype():
    a = np.ones(3)
    t = tnn.from_numpy(a)
    np.add(a, 1, out=a)
    assert t.dtype == tnn.float64 and t.tolist() == [2.0, 2.0, 2.0]
    with pytest.raises(TypeError, match="expected np.ndarray"):
        tnn.from_numpy([1.0])


def test_as_tensor_shares_when_it_can():
    a = np.zeros(2, dtype=np.float32)
    t = tnn.as_tensor(a)
    a[0] = 5
    assert t.tolist() == [5.0, 0.0] and tnn.as_tensor(t) is t
    assert tnn.as_tensor([1, 2]).dtype == tnn.int64 and tnn.as_tensor([1.0]).dtype == tnn.float
    assert tnn.is_tensor(t) and not tnn.is_tensor(a) and tnn.numel(tnn.ones(2, 3)) == 6


def test_functions_with_alpha_and_numbers_first():
    x, y = tnn.tensor([1.0, 2.0]), tnn.tensor([10.0, 20.0])
    assert tnn.add(x, y, alpha=0.5).tolist() == [6.0, 12.0]
    assert tnn.sub(x, y, alpha=0.1).tolist() == pytest.approx([0.0, 0.0])
    assert tnn.mul(2, x).tolist() == [2.0, 4.0] and tnn.div(y, x).tolist() == [10.0, 10.0]
    assert tnn.pow(2, x).tolist() == [2.0, 4.0] and tnn.pow(x, 2).tolist() == [1.0, 4.0]
    with pytest.raises(TypeError, match="argument 'input'"):
        tnn.exp(2.0)


def test_max_and_min_of_two_tensors_are_element_wise():
    a, b = tnn.tensor([1.0, 5.0]), tnn.tensor([3.0, 2.0])
    assert tnn.max(a, b).tolist() == [3.0, 5.0] and tnn.min(a, b).tolist() == [1.0, 2.0]
    assert tnn.max(a).item() == 5.0 and tnn.max(tnn.stack([a, b]), 1).indices.tolist() == [1, 0]


def test_out_writes_in_place_and_resizes():
    x = tnn.tensor([1.0, 2.0])
    out = tnn.zeros(2)
    keep = out
    assert tnn.mul(x, x, out=out) is keep and out.tolist() == [1.0, 4.0]
    small = tnn.zeros(1)
    tnn.exp(x, out=small)
    assert small.shape == (2,)
    values, indices = tnn.zeros(1), tnn.zeros(1, dtype=tnn.long)
    tnn.max(tnn.tensor([[1.0, 3.0]]), 1, out=(values, indices))
    assert values.tolist() == [3.0] and indices.tolist() == [1]


def test_out_refuses_graphs_and_unsafe_casts():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        tnn.add(x, x, out=tnn.zeros(2))
    with pytest.raises(RuntimeError, match="can't be cast"):
        tnn.add(tnn.ones(2), 1.5, out=tnn.zeros(2, dtype=tnn.long))


def test_numpy_keyword_names_are_accepted():
    x = tnn.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert x.sum(axis=0).tolist() == [4.0, 6.0]
    assert x.mean(axis=1, keepdims=True).shape == (2, 1)
    assert x.argmax(axis=1).tolist() == [1, 1] and tnn.sum(x, axis=1).tolist() == [3.0, 7.0]
    assert tnn.cat([x, x], axis=1).shape == (2, 4)
    with pytest.raises(TypeError, match="both dim= and axis="):
        x.sum(dim=0, axis=0)


def test_mm_needs_matrices_and_t_transposes():
    a = tnn.tensor([[1.0, 2.0, 3.0]])
    assert a.mm(a.t()).tolist() == [[14.0]] and a.t().shape == (3, 1)
    assert tnn.ones(3).t().shape == (3,)
    with pytest.raises(RuntimeError, match="mm: mat2 must be a 2-d tensor"):
        a.mm(tnn.ones(3))
    with pytest.raises(RuntimeError, match="<= 2 dims"):
        tnn.ones(1, 2, 3).t()


def test_bmm_needs_batches_of_one_size():
    assert tnn.bmm(tnn.ones(2, 3, 4), tnn.ones(2, 4, 5)).shape == (2, 3, 5)
    with pytest.raises(RuntimeError, match="bmm: batch sizes differ: 2 and 3"):
        tnn.ones(2, 3, 4).bmm(tnn.ones(3, 4, 5))
    with pytest.raises(RuntimeError, match="expected two 3-d tensors"):
        tnn.ones(3, 4).bmm(tnn.ones(4, 5))
    assert tnn.concat([tnn.ones(1), tnn.zeros(1)]).tolist() == [1.0, 0.0]


def test_meshgrid_indexing():
    x, y = tnn.arange(3), tnn.arange(2)
    gx, gy = tnn.meshgrid(x, y, indexing="ij")
    assert gx.shape == (3, 2) and gx[:, 0].tolist() == [0, 1, 2] and gy[0].tolist() == [0, 1]
    gx, gy = tnn.meshgrid([x, y], indexing="xy")
    np.testing.assert_array_equal(gx.numpy(), np.meshgrid(np.arange(3), np.arange(2))[0])


def test_normal_draws_in_the_shape_asked():
    tnn.manual_seed(0)
    x = tnn.normal(2.0, 0.5, size=(4000,))
    assert x.dtype == tnn.float32 and abs(x.mean().item() - 2.0) < 0.05
    assert tnn.normal(tnn.zeros(2, 3, dtype=tnn.float64), 1.0).dtype == tnn.float64
    assert tnn.normal(0.0, tnn.ones(5)).shape == (5,)
    with pytest.raises(RuntimeError, match="std must be >= 0"):
        tnn.normal(0.0, -1.0, (2,))


def test_in_place_normal_and_uniform_keep_dtype():
    w = tnn.zeros(1000, dtype=tnn.float64)
    assert w.normal_(0.0, 0.01) is w and w.dtype == tnn.float64 and w.std().item() < 0.02
    w.uniform_(-1.0, 1.0)
    assert -1.0 <= w.min().item() and w.max().item() < 1.0
    p = tnn.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="normal_"):
        p.normal_()
    p.data.normal_()  # through .data, as PyTorch code does
    assert p.abs().sum().item() > 0


def test_manual_seed_returns_a_generator_that_repeats():
    g = tnn.manual_seed(7)
    assert g.initial_seed() == 7 and g is tnn.default_generator()
    first = tnn.randn(3).tolist()
    tnn.manual_seed(7)
    assert tnn.randn(3).tolist() == first
    local = tnn.Generator().manual_seed(7)
    assert tnn.randn(3, generator=local).tolist() == first


# -- gradients of the new ops -------------------------------------------------------------------


def test_sinh_cosh_second_derivatives():
    x = tnn.tensor([-1.5, 0.0, 0.7], dtype=tnn.float64, requires_grad=True)
    assert tt.check_gradgrad(lambda t: t.sinh() * t.cosh(), [x])


def test_sinh_is_accurate_near_zero():
    assert tnn.tensor(1e-8).sinh().item() == pytest.approx(1e-8, rel=1e-6)


def test_meshgrid_and_mm_gradients():
    a = tnn.tensor([0.5, -1.0, 2.0], dtype=tnn.float64, requires_grad=True)
    b = tnn.tensor([1.5, 0.3], dtype=tnn.float64, requires_grad=True)
    assert tt.check_grad(lambda x, y: _product(tnn.meshgrid(x, y, indexing="xy")), [a, b])
    m = tnn.tensor([[1.0, 2.0], [0.5, -1.0]], dtype=tnn.float64, requires_grad=True)
    assert tt.check_grad(lambda x: x.mm(x.t()), [m])


def _product(grids):
    return grids[0] * grids[1]


def test_builtin_abs_and_all_any():
    x = tnn.tensor([[-1.5, 0.0], [2.0, 3.0]])
    assert abs(x).tolist() == [[1.5, 0.0], [2.0, 3.0]]
    assert not x.all().item() and x.any().item() and x.all(dim=1).tolist() == [False, True]
    assert tnn.any(x, axis=0, keepdims=True).shape == (1, 2)


def test_generator_state_round_trip_and_reseed():
    g = tnn.Generator().manual_seed(11)
    state = g.get_state()
    first = tnn.rand(4, generator=g).tolist()
    g.set_state(state)
    assert tnn.rand(4, generator=g).tolist() == first
    assert g.seed() == g.initial_seed() != 11
    with pytest.raises(RuntimeError, match="CPU with numpy"):
        tnn.Generator(device="cuda")


def test_pytorch_import_paths_reach_the_same_objects():
    from tinygrad_nn.utils import data as utils_data
    from tinygrad_nn.utils.data import DataLoader

    assert DataLoader is tnn.data.DataLoader and utils_data.TensorDataset is tnn.data.TensorDataset
    assert tnn.utils.data.get_worker_info is tnn.data.get_worker_info
