"""The element-wise functions of PyTorch's maths against PyTorch itself: values (inf, NaN and
signed zeros included), result dtypes for float, int and bool inputs and numbers, gradients,
as methods, as top-level functions and as operators (``%``)."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")
# pytest imports the package inside catch_warnings, which drops its filter of numpy's
# floating-point warnings: the silence is tested in a program of its own (the last test)
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

SPECIAL = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -0.5,
    1.5,
    -2.5,
    3.7,
    -0.3,
    1e-3,
    np.inf,
    -np.inf,
    np.nan,
    1e30,
]
X = [0.0, -0.0, 1.0, -1.0, 0.5, -2.0, 7.5, -7.5, np.inf, -np.inf, np.nan, 3e38, 5.0, 1e-3]
Y = [0.0, -0.0, -0.0, 0.0, 2.0, -0.0, 2.0, 2.0, 2.0, np.inf, 1.0, 1e-3, -np.inf, -3.0]
INTS = [-7, 7, -8, 0, 9, 5]
DIVISORS = [2, -2, 3, 5, -4, 1]

# float functions that were there before: an integer input gives float32, as in torch
OLDER = "log log1p sqrt sin cos sinh cosh arctan exp tanh sigmoid".split()
UNARY = (
    "neg negative reciprocal rsqrt log2 log10 expm1 tan asin acos atan arcsin arccos erf floor "
    "ceil trunc fix frac sign round isnan isinf isfinite exp2 logit sinc"
).split()
BINARY = "atan2 arctan2 hypot fmod remainder true_divide xlogy".split()
DTYPES = ["float32", "float64"]
rng = np.random.default_rng(0)


def _same(ours, theirs):
    """Same dtype, same values (NaN where torch has NaN, signed zeros as torch's)."""
    if isinstance(theirs, bool):
        assert ours is theirs or ours == theirs and isinstance(ours, bool)
        return
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    a, b = np.asarray(ours.detach().numpy()), theirs.detach().numpy()
    rtol = 1e-6 if a.dtype == np.float32 else 1e-13  # float32: a few ulps (expm1's gradient)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=0, equal_nan=True)
    if a.dtype.kind == "f":
        assert (np.signbit(a[a == 0]) == np.signbit(b[b == 0])).all(), (a, b)


def _grads_same(ours, theirs):
    for o, t in zip(ours, theirs):
        assert (o.grad is None) == (t.grad is None)
        if t.grad is not None:
            _same(o.grad, t.grad)


def _leaves(lib, arrays, dtype):
    return [lib.tensor(a, dtype=getattr(lib, dtype), requires_grad=True) for a in arrays]


def _run(fn, arrays, dtype):
    """``fn`` on tinygrad_nn and on torch tensors of ``arrays``: values, then gradients for
    an upstream gradient of ones."""
    ours, theirs = _leaves(tnn, arrays, dtype), _leaves(torch, arrays, dtype)
    out, ref = fn(tnn, *ours), fn(torch, *theirs)
    _same(out, ref)
    if ref.requires_grad:
        out.backward(tnn.ones_like(out))
        ref.backward(torch.ones_like(ref))
        _grads_same(ours, theirs)


def _outcome(lib, fn, *arrays):
    """The result of ``fn`` on plain tensors of ``arrays`` (their own dtypes), or ``"error"``."""
    try:
        return fn(lib, *(lib.tensor(a) for a in arrays))
    except (RuntimeError, TypeError, ValueError, NotImplementedError, ZeroDivisionError):
        return "error"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", UNARY)
def test_unary_values_and_gradients_at_special_values(name, dtype):
    _run(lambda lib, x: getattr(x, name)(), [SPECIAL], dtype)
    _run(lambda lib, x: getattr(lib, name)(x), [SPECIAL], dtype)


@pytest.mark.parametrize("name", UNARY + OLDER + ["round_decimals"])
@pytest.mark.parametrize(
    "data", [INTS, [True, False], np.array([0, 3, 250], np.uint8)], ids=["int64", "bool", "uint8"]
)
def test_int_and_bool_inputs_give_torchs_dtype_or_refusal(name, data):
    fn = (lambda lib, x: x.round(decimals=1)) if name == "round_decimals" else None
    fn = fn or (lambda lib, x: getattr(lib, name)(x))
    ours, theirs = _outcome(tnn, fn, data), _outcome(torch, fn, data)
    if isinstance(theirs, str):
        assert ours == "error"
    else:
        _same(ours, theirs)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("decimals", [-2, -1, 1, 2, 3])
def test_round_to_decimals(decimals, dtype):
    values = [1.25, 2.675, -0.125, 1234.5, 0.5, 1.5, -2.5, 15.0, 25.0, -35.0, 0.049, np.nan]
    _run(lambda lib, x: x.round(decimals=decimals), [values], dtype)
    _run(lambda lib, x: lib.round(x, decimals=decimals), [values], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", BINARY + ["mod", "rmod_number"])
def test_binary_values_and_gradients_at_special_values(name, dtype):
    fn = {
        "mod": lambda lib, x, y: x % y,
        "rmod_number": lambda lib, x, y: 2.5 % (x + y).detach(),  # torch: no gradient
    }.get(name, lambda lib, x, y: getattr(lib, name)(x, y))
    _run(fn, [X, Y], dtype)
    if name in BINARY:
        _run(lambda lib, x, y: getattr(x, name)(y), [Y, X], dtype)


@pytest.mark.parametrize("name", ["atan2", "hypot", "fmod", "remainder", "lerp"])
def test_gradients_with_broadcasting_match_torch(name):
    a, b, w = rng.standard_normal((3, 4)), rng.standard_normal((4,)), rng.uniform(-0.5, 1.5, (3, 1))
    if name == "lerp":
        fn = lambda lib, x, y, z: lib.lerp(x, y.expand(3, 4), z)  # noqa: E731
    else:
        fn = lambda lib, x, y, z: getattr(lib, name)(x, y) * z  # noqa: E731
    _run(fn, [a, b, w], "float64")


@pytest.mark.parametrize("other", [2, -3, 2.5, -0.5, "int", "float", "int32"])
@pytest.mark.parametrize(
    "name",
    ["fmod", "remainder", "mod", "rmod", "true_divide", "atan2", "rremainder", "rtrue_divide"],
)
def test_result_dtypes_with_ints_and_numbers_match_torch(name, other):
    def fn(lib, x):
        y = {"int": lib.tensor(DIVISORS), "float": lib.tensor(DIVISORS, dtype=lib.float64)}.get(
            other, lib.tensor(DIVISORS, dtype=lib.int32) if other == "int32" else other
        )
        if name == "mod":
            return x % y
        if name == "rmod":
            return y % x
        if name in ("rremainder", "rtrue_divide"):  # the number (or other tensor) first
            return getattr(lib, name[1:])(y, x)
        return getattr(lib, name)(x, y)

    for data in (INTS, np.array(INTS, np.float32)):
        ours, theirs = _outcome(tnn, fn, data), _outcome(torch, fn, data)
        if isinstance(theirs, str):
            assert ours == "error"
        else:
            _same(ours, theirs)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("eps", [0.0, 0.1, 1e-6, 0.5, 0.6, -0.1])
def test_logit_with_eps_clamps_as_torch(eps, dtype):
    # not NaN nor -0.0: torch's gradient there depends on the dtype (its vector loop or not)
    values = [v for v in SPECIAL if v == v and str(v) != "-0.0"] + [0.1, 0.9, 1e-7, 0.6, 0.4]
    _run(lambda lib, x: lib.logit(x, eps), [values], dtype)
    _run(lambda lib, x: x.logit(eps=eps), [values], dtype)


SPECIAL_UNARY = "entr ndtr expit erf erfc exp2 expm1 log1p sinc logit".split()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", SPECIAL_UNARY)
def test_special_functions_match_torch_special(name, dtype):
    _run(lambda lib, x: getattr(lib.special, name)(x), [SPECIAL], dtype)
    for data in (INTS, [True, False]):  # the default float dtype, or torch's refusal
        fn = lambda lib, x: getattr(lib.special, name)(x)  # noqa: E731
        ours, theirs = _outcome(tnn, fn, data), _outcome(torch, fn, data)
        if isinstance(theirs, str):
            assert ours == "error"
        else:  # torch's float32 ndtr rounds its far tail to 0 (ndtr(-7) = 1.3e-12)
            assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
            np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-11)


@pytest.mark.parametrize("dtype", DTYPES)
def test_special_softmax_family_and_xlogy_match_torch_special(dtype):
    a = rng.standard_normal((3, 4))
    _run(lambda lib, x: lib.special.softmax(x, 1) * lib.tensor(a).to(x.dtype), [a], dtype)
    _run(lambda lib, x: lib.special.log_softmax(x, 0, dtype=lib.float64), [a], dtype)
    _run(lambda lib, x: lib.special.logsumexp(x, 1, keepdim=True), [a], dtype)
    _run(lambda lib, x, y: lib.special.xlogy(x, y), [X, Y], dtype)
    _run(lambda lib, x: lib.xlogy(2.5, x) + lib.xlogy(x, 3), [X], dtype)
    _same(tnn.xlogy(tnn.tensor(INTS), 3), torch.xlogy(torch.tensor(INTS), 3))


POWERS = {
    "bool_to_int": lambda lib, b: b**2,
    "bool_to_zero": lambda lib, b: b**0,
    "bool_to_negative": lambda lib, b: b**-1,
    "bool_to_float": lambda lib, b: b**2.5,
    "bool_to_true": lambda lib, b: b**True,
    "bool_to_false": lambda lib, b: lib.pow(b, False),
    "bool_to_bool_tensor": lambda lib, b: lib.pow(b, b),
    "bool_to_0d_bool": lambda lib, b: b ** lib.tensor(True),
    "bool_to_int_tensor": lambda lib, b: b ** lib.tensor([-2, 0, 3]),
    "int_to_bool": lambda lib, b: lib.tensor([-2, 0, 3]) ** b,
    "int_to_negative_tensor": lambda lib, b: (
        lib.tensor([1, -1, 2, 0]) ** lib.tensor([-3, -2, -1, -1])
    ),
    "int_to_negative_number": lambda lib, b: lib.tensor([1, 2]) ** -2,
    "number_to_bool": lambda lib, b: 2**b,
    "float_to_bool": lambda lib, b: 2.5**b,
    "true_to_bool": lambda lib, b: True**b,
    "in_place_true": lambda lib, b: b.pow_(True),
    "in_place_int": lambda lib, b: b.pow_(2),
}


@pytest.mark.parametrize("name", sorted(POWERS))
def test_powers_with_bools_and_negative_integers_give_torchs_result_or_error(name):
    def outcome(lib):
        try:
            return POWERS[name](lib, lib.tensor([True, False, True]))
        except Exception as error:  # noqa: BLE001 - the type is the outcome compared
            return type(error)

    ours, theirs = outcome(tnn), outcome(torch)
    if isinstance(theirs, type):
        assert ours is theirs
    else:
        _same(ours, theirs)


@pytest.mark.parametrize("name", ["fmod", "remainder"])
def test_integer_remainder_by_zero_is_refused(name):
    for lib in (tnn, torch):
        with pytest.raises((RuntimeError, ZeroDivisionError)):
            getattr(lib, name)(lib.tensor(INTS), lib.tensor([1, 1, 0, 1, 1, 1]))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("weight", [0.0, 0.3, 0.5, 1.0, 1.7, np.nan, "tensor", "0-d"])
def test_lerp_matches_torch(weight, dtype):
    start, end = [0.0, -1.0, 3e38, np.inf, 2.5, 1.0], [1.0, 1.0, -3e38, 1.0, 2.5, -0.0]
    if isinstance(weight, str):
        w = [0.0, 0.25, 0.5, 0.75, 1.0, 2.0] if weight == "tensor" else 0.75
        _run(lambda lib, x, e, z: lib.lerp(x, e, z), [start, end, w], dtype)
    else:
        _run(lambda lib, x, e: x.lerp(e, weight), [start, end], dtype)


def test_lerp_refuses_what_torch_refuses():
    x = tnn.tensor([1.0, 2.0])
    with pytest.raises(RuntimeError, match="lerp"):
        x.lerp(x.double(), 0.5)
    with pytest.raises(RuntimeError, match="lerp"):
        tnn.tensor([1, 2]).lerp(tnn.tensor([1, 2]), 0.5)


CLOSE_A = [1.0, 1.0, np.inf, np.inf, np.nan, 1e-9, 100.0, -0.0, 1.0]
CLOSE_B = [1.0 + 1e-6, 1.1, np.inf, -np.inf, np.nan, 0.0, 100.001, 0.0, 1.0001]


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
@pytest.mark.parametrize(
    "kwargs", [{}, {"equal_nan": True}, {"rtol": 0.0, "atol": 1e-3}, {"rtol": 1e-3, "atol": 0}]
)
def test_isclose_and_allclose_match_torch(kwargs, dtype):
    a, b = np.array(CLOSE_A), np.array(CLOSE_B)
    if dtype == "int64":
        a, b = np.array(INTS), np.array(INTS) + [0, 1, 0, 0, 1, 0]
    ours = [tnn.tensor(v, dtype=getattr(tnn, dtype)) for v in (a, b)]
    theirs = [torch.tensor(v, dtype=getattr(torch, dtype)) for v in (a, b)]
    _same(ours[0].isclose(ours[1], **kwargs), theirs[0].isclose(theirs[1], **kwargs))
    _same(tnn.isclose(*ours, **kwargs), torch.isclose(*theirs, **kwargs))
    for n in (2, 4, len(a)):
        _same(
            tnn.allclose(ours[0][:n], ours[1][:n], **kwargs),
            torch.allclose(theirs[0][:n], theirs[1][:n], **kwargs),
        )


def test_isclose_refuses_mixed_dtypes_and_numbers_as_torch():
    x = tnn.tensor([1.0])
    with pytest.raises(RuntimeError, match="dtype"):
        x.isclose(x.double())
    with pytest.raises(TypeError, match="other"):
        x.isclose(1.0)


@pytest.mark.parametrize(
    "a, b",
    [([1.0, 2.0], [1.0, 2.0]), ([1.0, 2.0], [1.0, 2.5]), ([1.0], [1.0, 1.0]), ([np.nan], [np.nan])],
)
def test_equal_matches_torch(a, b):
    assert tnn.equal(tnn.tensor(a), tnn.tensor(b)) is torch.equal(torch.tensor(a), torch.tensor(b))
    assert tnn.tensor(a).equal(tnn.tensor(b).long()) is torch.tensor(a).equal(
        torch.tensor(b).long()
    )


def test_clip_is_clamp_at_top_level():
    _run(lambda lib, x: lib.clip(x, -1.0, 1.0), [SPECIAL], "float64")


PROGRAM = f"""
import numpy as np
inf, nan = np.inf, np.nan
import tinygrad_nn as tnn
for dtype in (tnn.float32, tnn.float64):
    x = tnn.tensor({X!r}, dtype=dtype, requires_grad=True)
    y = tnn.tensor({Y!r}, dtype=dtype, requires_grad=True)
    outs = [getattr(x, name)() for name in {UNARY!r}] + [x.round(decimals=2)]
    outs += [getattr(x, name)(y) for name in {BINARY!r}] + [x.lerp(y, 0.3), 1 % x]
    outs += [x.isclose(y), x.allclose(y)]
    sum(o.sum() for o in outs if isinstance(o, tnn.Tensor) and o.requires_grad).backward()
print(tnn.tensor([0, 1]).reciprocal())
"""


def test_a_program_prints_no_numpy_warning():
    assert "tensor([inf, 1.])" in tt.run_warning_free(PROGRAM)
