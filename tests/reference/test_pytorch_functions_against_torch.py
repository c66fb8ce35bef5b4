"""logaddexp, copysign, the logical functions, isin, addcmul and addcdiv against PyTorch on the
same inputs: values (infinities, NaN and signed zeros included), result dtypes of mixed
inputs, gradients, the in-place forms, and the error types of bad calls."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

INF, NAN = np.inf, np.nan
A = [0.0, -0.0, 1.0, -2.5, 30.0, -30.0, INF, -INF, INF, NAN, 1e-3, 700.0, -INF, 2.0]
B = [0.0, 0.0, -0.0, 3.0, -30.0, 29.0, INF, -INF, 1.0, 2.0, -1e-3, 699.0, 5.0, NAN]
DTYPES = {
    "float32": np.float32,
    "float64": np.float64,
    "int64": np.int64,
    "bool": np.bool_,
}


def _same(ours, theirs, rtol=1e-6):
    """Same dtype and shape, and the same values (NaN where torch's are, zeros' signs)."""
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch."), (ours, theirs)
    a, b = np.asarray(ours.detach().numpy()), theirs.detach().numpy()
    assert a.shape == b.shape
    if a.dtype.kind == "f":
        np.testing.assert_allclose(a, b, rtol=rtol, atol=0, equal_nan=True)
        assert (np.signbit(a[a == 0]) == np.signbit(b[b == 0])).all(), (a, b)
    else:
        np.testing.assert_array_equal(a, b)


def _both(fn, *arrays, dtypes=None, grad=False):
    """``fn(library, *tensors)`` on tinygrad_nn and on torch tensors of ``arrays`` (each of
    its dtype in ``dtypes``, or its own): the two results, and the leaves."""
    dtypes = dtypes or [None] * len(arrays)
    results, leaves = [], []
    for lib in (tnn, torch):
        ts = [
            lib.tensor(np.asarray(a, d) if d else a, requires_grad=grad)
            for a, d in zip(arrays, dtypes)
        ]
        results.append(fn(lib, *ts))
        leaves.append(ts)
    return results, leaves


def _values_and_gradients(fn, *arrays, dtype=np.float64):
    """Values, then the gradients of every leaf for an upstream gradient of ones."""
    (out, ref), (ours, theirs) = _both(fn, *arrays, dtypes=[dtype] * len(arrays), grad=True)
    _same(out, ref)
    out.backward(tnn.ones_like(out))
    ref.backward(torch.ones_like(ref))
    for o, t in zip(ours, theirs):
        got = np.zeros(tuple(t.shape)) if o.grad is None else o.grad.numpy()
        np.testing.assert_allclose(got, t.grad.numpy(), rtol=1e-6, atol=0, equal_nan=True)


def _same_error(fn, *arrays):
    """torch raises for ``fn``; ours raises the same exception type."""
    tt.assert_same_error(lambda lib: fn(lib, *(lib.tensor(a) for a in arrays)), tnn, torch)


# -- logaddexp, logaddexp2, copysign ---------------------------------------------------------


@pytest.mark.parametrize("name", ["logaddexp", "logaddexp2"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_logaddexp_values_at_extremes(name, dtype):
    (out, ref), _ = _both(lambda lib, a, b: getattr(lib, name)(a, b), A, B, dtypes=[dtype] * 2)
    _same(out, ref)
    (out, ref), _ = _both(lambda lib, a, b: getattr(a, name)(b), A, B, dtypes=[dtype] * 2)
    _same(out, ref)


@pytest.mark.parametrize("name", ["logaddexp", "logaddexp2"])
def test_logaddexp_gradients_where_finite_broadcast(name):
    a = np.array([[0.0, 1.0, -2.5, 30.0, 700.0]])
    b = np.array([[0.0], [-30.0], [699.5]])
    _values_and_gradients(lambda lib, x, y: getattr(lib, name)(x, y), a, b)


def _same_gradients(fn, *arrays, dtype):
    """The gradients of every leaf of ``fn`` (an upstream gradient of ones) are torch's
    exactly, NaN where torch's are NaN."""
    (out, ref), (ours, theirs) = _both(fn, *arrays, dtypes=[dtype] * len(arrays), grad=True)
    _same(out, ref)
    out.backward(tnn.ones_like(out))
    ref.backward(torch.ones_like(ref))
    for o, t in zip(ours, theirs):
        assert str(o.grad.dtype) == str(t.grad.dtype).removeprefix("torch.")
        np.testing.assert_array_equal(o.grad.numpy(), t.grad.numpy())


@pytest.mark.parametrize("name", ["logaddexp", "logaddexp2"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_logaddexp_gradients_at_infinities_are_pytorchs(name, dtype):
    """NaN for both operands at (inf, inf) and (-inf, -inf), where e^(b - a) is NaN."""
    a = [INF, -INF, INF, -INF, INF, 5.0, -INF, 2.0, NAN, 0.0]
    b = [INF, -INF, -INF, INF, 5.0, INF, 5.0, -INF, 1.0, 0.0]
    _same_gradients(lambda lib, x, y: getattr(lib, name)(x, y), a, b, dtype=dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_copysign_gradients_at_infinities_are_pytorchs(dtype):
    """NaN for a = +-inf (and NaN), where copysign(a, b) / a is; 0 for b everywhere."""
    a = [INF, -INF, INF, -INF, NAN, 0.0, -0.0, 2.0, -3.0]
    b = [1.0, 1.0, -1.0, -0.0, 1.0, -1.0, 1.0, INF, -INF]
    _same_gradients(lambda lib, x, y: lib.copysign(x, y), a, b, dtype=dtype)
    _same_gradients(lambda lib, x: x.copysign(-2), a, dtype=dtype)


@pytest.mark.parametrize("name", ["logaddexp", "logaddexp2"])
@pytest.mark.parametrize(
    "dtypes", [("int64", "float32"), ("float32", "float64"), ("bool", "float64")]
)
def test_logaddexp_result_dtype_of_mixed_inputs(name, dtypes):
    (out, ref), _ = _both(
        lambda lib, a, b: getattr(lib, name)(a, b),
        [1, 0, 3],
        [2, 1, 0],
        dtypes=[DTYPES[d] for d in dtypes],
    )
    _same(out, ref)


@pytest.mark.parametrize("name", ["logaddexp", "logaddexp2"])
def test_logaddexp_errors(name):
    _same_error(lambda lib, a, b: getattr(lib, name)(a, b), [1, 2], [3, 4])  # int64: none
    _same_error(lambda lib, a, b: getattr(lib, name)(a, b), [1.0, 2.0], [1.0, 2.0, 3.0])
    _same_error(lambda lib, a, b: getattr(lib, name)(a, 2.0), [1.0, 2.0], [0.0])
    with pytest.raises(RuntimeError, match=r"\(2,\).*\(3,\)"):
        tnn.logaddexp(tnn.ones(2), tnn.ones(3))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_copysign_values_at_extremes(dtype):
    (out, ref), _ = _both(lambda lib, a, b: lib.copysign(a, b), A, B, dtypes=[dtype] * 2)
    _same(out, ref)
    for number in (-1, 0.0, -0.0, 2.5):
        (out, ref), _ = _both(lambda lib, a, n=number: a.copysign(n), A, dtypes=[dtype])
        _same(out, ref)


def test_copysign_gradients_broadcast():
    a = np.array([[0.0, 1.0, -2.5, -0.0, 3.0]])
    b = np.array([[-1.0], [0.0], [-0.0], [2.0]])
    _values_and_gradients(lambda lib, x, y: lib.copysign(x, y), a, b)
    _values_and_gradients(lambda lib, x: lib.copysign(x, -2), a)


def test_copysign_gives_a_zero_gradient_to_other_alone():
    (out, ref), (ours, theirs) = _both(lambda lib, a, b: a.copysign(b), [1.0], [-1.0], grad=True)
    ours[0].requires_grad_(False)
    theirs[0].requires_grad_(False)
    lib_out = tnn.copysign(ours[0], ours[1])
    ref_out = torch.copysign(theirs[0], theirs[1])
    lib_out.sum().backward()
    ref_out.sum().backward()
    _same(ours[1].grad, theirs[1].grad)


@pytest.mark.parametrize(
    "dtypes", [("int64", "int64"), ("bool", "bool"), ("int64", "float64"), ("float32", "float64")]
)
def test_copysign_result_dtype(dtypes):
    (out, ref), _ = _both(
        lambda lib, a, b: lib.copysign(a, b),
        [1, 0, 3],
        [0, 1, 0],
        dtypes=[DTYPES[d] for d in dtypes],
    )
    _same(out, ref)


def test_copysign_in_place_and_errors():
    (out, ref), _ = _both(lambda lib, a, b: a.copysign_(b), [1.0, -2.0, 3.0], [-1.0, 1.0, -0.0])
    _same(out, ref)
    _same_error(lambda lib, a, b: a.copysign_(b), [1, 2], [1, -1])  # float result into int
    _same_error(lambda lib, a, b: lib.copysign(a, b), [1.0, 2.0], [1.0, 2.0, 3.0])
    tt.assert_same_error(lambda lib: lib.copysign(2.0, lib.ones(2)), tnn, torch)


# -- logical functions, isneginf, isposinf, isin -----------------------------------------------

LOGICAL = ["logical_and", "logical_or", "logical_xor"]


@pytest.mark.parametrize("name", LOGICAL)
@pytest.mark.parametrize(
    "dtypes", [("float32", "float32"), ("int64", "float64"), ("bool", "int64")]
)
def test_logical_binary_values(name, dtypes):
    a, b = [[0, 1, 2, 0], [3, 0, -1, 0]], [[0], [5]]
    (out, ref), _ = _both(
        lambda lib, x, y: getattr(lib, name)(x, y), a, b, dtypes=[DTYPES[d] for d in dtypes]
    )
    _same(out, ref)
    (out, ref), _ = _both(lambda lib, x, y: getattr(x, name)(y), a, b, dtypes=[np.float64] * 2)
    _same(out, ref)


@pytest.mark.parametrize("name", LOGICAL + ["logical_not"])
@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
def test_logical_in_place_keeps_the_dtype(name, dtype):
    def call(lib, x, y):
        return getattr(x, f"{name}_")(*([] if name == "logical_not" else [y]))

    (out, ref), _ = _both(call, [0, 1, 2, 0], [3, 0, -1, 0], dtypes=[DTYPES[dtype]] * 2)
    _same(out, ref)


def test_logical_not_and_nan():
    (out, ref), _ = _both(lambda lib, x: lib.logical_not(x), [0.0, NAN, -0.0, INF])
    _same(out, ref)


@pytest.mark.parametrize("name", LOGICAL)
def test_logical_errors(name):
    _same_error(lambda lib, x, y: getattr(lib, name)(x, y), [1.0, 0.0], [1.0, 0.0, 1.0])
    tt.assert_same_error(lambda lib: getattr(lib, name)(lib.ones(2), 1), tnn, torch)


def test_logical_results_have_no_gradient():
    x = tnn.tensor([1.0, 0.0], requires_grad=True)
    assert not tnn.logical_and(x, x).requires_grad and tnn.logical_not(x).dtype == tnn.bool


@pytest.mark.parametrize("name", ["isneginf", "isposinf"])
@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
def test_isneginf_isposinf(name, dtype):
    data = A if dtype == "float32" else [0, 1, 3]
    (out, ref), _ = _both(lambda lib, x: getattr(lib, name)(x), data, dtypes=[DTYPES[dtype]])
    _same(out, ref)
    (out, ref), _ = _both(lambda lib, x: getattr(x, name)(), data, dtypes=[DTYPES[dtype]])
    _same(out, ref)


@pytest.mark.parametrize("invert", [False, True])
def test_isin(invert):
    elements, tests = [[1.0, 2.0, NAN], [4.0, -0.0, 2.5]], [[2.0, 0.0], [NAN, 7.0]]
    (out, ref), _ = _both(lambda lib, e, t: lib.isin(e, t, invert=invert), elements, tests)
    _same(out, ref)
    (out, ref), _ = _both(
        lambda lib, e, t: lib.isin(e, t, invert=invert),
        [1, 2, 3],
        [2.0, 3.5],
        dtypes=[np.int64, None],
    )
    _same(out, ref)
    (out, ref), _ = _both(lambda lib, e: lib.isin(e, 2.0, invert=invert), elements)
    _same(out, ref)
    (out, ref), _ = _both(lambda lib, t: lib.isin(2.0, t, invert=invert), tests)
    _same(out, ref)


def test_isin_errors():
    tt.assert_same_error(lambda lib: lib.isin(2.0, 3.0), tnn, torch)
    tt.assert_same_error(lambda lib: lib.isin(lib.ones(2), [1.0]), tnn, torch)


# -- addcmul, addcdiv --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
@pytest.mark.parametrize("value", [1, 0.5, -2])
def test_addc_values_and_gradients_broadcast(name, value):
    rng = np.random.default_rng(0)
    x, t1, t2 = rng.normal(size=(3, 1)), rng.normal(size=(4,)), rng.uniform(0.5, 2, (2, 1, 4))
    _values_and_gradients(lambda lib, *ts: getattr(lib, name)(*ts, value=value), x, t1, t2)
    _values_and_gradients(lambda lib, a, *ts: getattr(a, name)(*ts, value=value), x, t1, t2)


@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
@pytest.mark.parametrize(
    "dtypes",
    [
        ("int64", "float32", "float32"),
        ("float32", "float64", "float32"),
        ("float32", "int64", "int64"),
        ("int64", "int64", "int64"),
        ("float64", "bool", "float32"),
    ],
)
@pytest.mark.parametrize("value", [2, 0.5])
def test_addc_result_dtype_or_refusal(name, dtypes, value):
    def call(lib, *ts):
        return getattr(lib, name)(*ts, value=value)

    arrays = [np.asarray(v, DTYPES[d]) for v, d in zip([[3, 1], [2, 1], [1, 2]], dtypes)]
    try:
        ref = call(torch, *map(torch.tensor, arrays))
    except RuntimeError:
        with pytest.raises(RuntimeError):
            call(tnn, *map(tnn.tensor, arrays))
        return
    _same(call(tnn, *map(tnn.tensor, arrays)), ref)


@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
def test_addc_in_place_and_errors(name):
    def in_place(lib, x, a, b):
        return getattr(x, f"{name}_")(a, b, value=0.5)

    (out, ref), _ = _both(in_place, [[1.0, 2.0]], [3.0, 4.0], [[2.0, 2.0]])
    _same(out, ref)
    _same_error(in_place, [1.0, 2.0], [[3.0], [4.0]], [2.0, 2.0])  # the result would broadcast
    _same_error(lambda lib, *ts: getattr(lib, name)(*ts), [1.0, 2.0], [1.0, 2.0, 3.0], [1.0])
    tt.assert_same_error(lambda lib: getattr(lib, name)(lib.ones(2), lib.ones(2), 3.0), tnn, torch)


def test_addcmul_value_zero_keeps_nan_of_input():
    (out, ref), _ = _both(
        lambda lib, *ts: lib.addcmul(*ts, value=0), [NAN, 1.0], [INF, 1.0], [1.0, 1.0]
    )
    _same(out, ref)


# -- addmm, addmv, addr, baddbmm, addbmm -------------------------------------------------------

# name: the shapes of (input, first, second) and of an input that only broadcasts
BLAS = {
    "addmm": [(2, 4), (2, 3), (3, 4), (4,)],
    "addmv": [(2,), (2, 3), (3,), (1,)],
    "addr": [(2, 4), (2,), (4,), (1, 4)],
    "baddbmm": [(5, 2, 4), (5, 2, 3), (5, 3, 4), (2, 1)],
    "addbmm": [(2, 4), (5, 2, 3), (5, 3, 4), (2, 1)],
}


def _blas_arrays(name, broadcast=False, nan_input=False):
    rng = np.random.default_rng(1)
    shapes = BLAS[name]
    arrays = [rng.normal(size=s) for s in (shapes[3] if broadcast else shapes[0], *shapes[1:3])]
    if nan_input:
        arrays[0][...] = NAN
    return arrays


@pytest.mark.parametrize("name", BLAS)
@pytest.mark.parametrize("scales", [(1, 1), (0.5, -2.0), (0, 3)])
@pytest.mark.parametrize("broadcast", [False, True])
def test_blas_values_and_gradients(name, scales, broadcast):
    beta, alpha = scales
    arrays = _blas_arrays(name, broadcast)
    _values_and_gradients(lambda lib, *ts: getattr(lib, name)(*ts, beta=beta, alpha=alpha), *arrays)
    _values_and_gradients(lambda lib, x, *ts: getattr(x, name)(*ts, alpha=alpha), *arrays)


@pytest.mark.parametrize("name", BLAS)
def test_blas_beta_zero_ignores_nan_in_input(name):
    arrays = _blas_arrays(name, nan_input=True)
    _values_and_gradients(lambda lib, *ts: getattr(lib, name)(*ts, beta=0), *arrays)
    (out, ref), _ = _both(lambda lib, *ts: getattr(lib, name)(*ts, beta=0.0, alpha=2), *arrays)
    _same(out, ref)


@pytest.mark.parametrize("name", BLAS)
@pytest.mark.parametrize("scales", [(1, 1), (0.5, 2), (2, 0.5), (1.5, 3)])
def test_blas_of_integers_truncate_float_scales_or_refuse(name, scales):
    beta, alpha = scales
    arrays = [np.arange(np.prod(s)).reshape(s) - 3 for s in BLAS[name][:3]]

    def call(lib):
        return getattr(lib, name)(*(lib.tensor(a) for a in arrays), beta=beta, alpha=alpha)

    try:
        ref = call(torch)
    except RuntimeError:
        with pytest.raises(RuntimeError):
            call(tnn)
        return
    _same(call(tnn), ref)


@pytest.mark.parametrize("name", BLAS)
def test_blas_in_place_and_out(name):
    arrays = _blas_arrays(name)
    (out, ref), _ = _both(lambda lib, x, *ts: getattr(x, f"{name}_")(*ts, beta=0.5), *arrays)
    _same(out, ref)
    (out, ref), _ = _both(
        lambda lib, *ts: getattr(lib, name)(*ts, out=lib.empty(0, dtype=lib.float64)), *arrays
    )
    _same(out, ref)
    if name != "addbmm":  # torch's addbmm_ resizes the tensor instead (ours refuses)
        _same_error(lambda lib, x, *ts: getattr(x, f"{name}_")(*ts), *_blas_arrays(name, True))


@pytest.mark.parametrize("name", BLAS)
@pytest.mark.parametrize("which", [0, 1, 2])
@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_blas_refuses_or_promotes_mixed_dtypes(name, which, dtype):
    arrays = _blas_arrays(name)
    dtypes = [np.float64] * 3
    dtypes[which] = dtype
    arrays = [a.astype(d) for a, d in zip(arrays, dtypes)]
    if name != "addr":  # addr promotes
        _same_error(lambda lib, *ts: getattr(lib, name)(*ts), *arrays)
        return
    (out, ref), _ = _both(lambda lib, *ts: lib.addr(*ts, beta=2), *arrays)
    _same(out, ref)
    _same_error(
        lambda lib, *ts: ts[0].addr_(*ts[1:]), *(a.astype(int) for a in arrays[:1]), *arrays[1:]
    )


BAD_SHAPES = [
    ("addmm", [(2, 4), (2, 3), (4, 4)]),
    ("addmm", [(3, 4), (2, 3), (3, 4)]),
    ("addmm", [(2, 4), (3,), (3, 4)]),
    ("addmv", [(3,), (2, 3), (3,)]),
    ("addmv", [(2,), (2, 3), (4,)]),
    ("addmv", [(2,), (3,), (3,)]),
    ("addr", [(3, 4), (2,), (4,)]),
    ("addr", [(2, 4), (2, 1), (4,)]),
    ("baddbmm", [(5, 2, 4), (5, 2, 3), (4, 3, 4)]),
    ("baddbmm", [(5, 2, 4), (5, 2, 3), (5, 2, 4)]),
    ("baddbmm", [(5, 2, 4), (2, 3), (5, 3, 4)]),
    ("baddbmm", [(3, 2, 4), (5, 2, 3), (5, 3, 4)]),
    ("addbmm", [(2, 4), (5, 2, 3), (4, 3, 4)]),
    ("addbmm", [(3, 4), (5, 2, 3), (5, 3, 4)]),
]


@pytest.mark.parametrize(("name", "shapes"), BAD_SHAPES)
def test_blas_shape_errors(name, shapes):
    _same_error(lambda lib, *ts: getattr(lib, name)(*ts), *(np.ones(s) for s in shapes))


def test_blas_shape_error_names_both_shapes():
    with pytest.raises(RuntimeError, match=r"\(2, 3\).*\(4, 4\)|2x3 and 4x4"):
        tnn.addmm(tnn.ones(2, 4), tnn.ones(2, 3), tnn.ones(4, 4))
    with pytest.raises(RuntimeError, match=r"\(3, 4\).*\(2, 4\)"):
        tnn.addmm(tnn.ones(3, 4), tnn.ones(2, 3), tnn.ones(3, 4))
