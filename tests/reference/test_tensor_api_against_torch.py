"""Corners of the Tensor API against PyTorch: ``requires_grad_`` on leaves and computed
tensors; the result dtype (or the refusal) of float functions of integer and bool tensors."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt
from tinygrad_nn.checks import ShapeError

torch = tt.reference_library("torch")
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # exp(250) overflows


def _outcome(fn, lib):
    """``fn(lib)``'s result, or the type of the exception it raised."""
    try:
        return fn(lib)
    except Exception as error:  # noqa: BLE001 - the type is the outcome compared
        # a ShapeError is PyTorch's RuntimeError (that is also numpy's ValueError)
        return RuntimeError if isinstance(error, ShapeError) else type(error)


def _computed(lib):
    return lib.ones(2, requires_grad=True) * 2


REQUIRES_GRAD = {
    "computed_off": lambda lib: _computed(lib).requires_grad_(False).requires_grad,
    "computed_on": lambda lib: _computed(lib).requires_grad_(True).requires_grad,
    "computed_default": lambda lib: _computed(lib).requires_grad_().is_leaf,
    "leaf_off": lambda lib: lib.ones(2, requires_grad=True).requires_grad_(False).requires_grad,
    "no_grad_result_on": lambda lib: (lib.ones(2) * 2).requires_grad_().is_leaf,
    "int_on": lambda lib: lib.ones(2, dtype=lib.int64).requires_grad_().requires_grad,
    "int_off": lambda lib: lib.ones(2, dtype=lib.int64).requires_grad_(False).requires_grad,
    "number": lambda lib: lib.ones(2).requires_grad_(1),
    "none": lambda lib: lib.ones(2).requires_grad_(None),
    "numpy_bool": lambda lib: lib.ones(2).requires_grad_(np.True_),
}


@pytest.mark.parametrize("name", sorted(REQUIRES_GRAD))
def test_requires_grad_method_is_torchs(name):
    assert _outcome(REQUIRES_GRAD[name], tnn) == _outcome(REQUIRES_GRAD[name], torch)


def _set_requires_grad(t, value):
    t.requires_grad = value
    return t.requires_grad


REQUIRES_GRAD_SET = {  # the attribute, set directly: the same rules as requires_grad_
    "computed_off": lambda lib: _set_requires_grad(_computed(lib), False),
    "computed_on": lambda lib: _set_requires_grad(_computed(lib), True),
    "leaf_off": lambda lib: _set_requires_grad(lib.ones(2, requires_grad=True), False),
    "leaf_on": lambda lib: _set_requires_grad(lib.ones(2), True),
    "no_grad_result_on": lambda lib: _set_requires_grad(lib.ones(2) * 2, True),
    "int_on": lambda lib: _set_requires_grad(lib.ones(2, dtype=lib.int64), True),
    "int_off": lambda lib: _set_requires_grad(lib.ones(2, dtype=lib.int64), False),
    "number": lambda lib: _set_requires_grad(lib.ones(2), 1),
    "none": lambda lib: _set_requires_grad(lib.ones(2), None),
    "parameter_off": lambda lib: _set_requires_grad(lib.nn.Parameter(lib.ones(2)), False),
}


@pytest.mark.parametrize("name", sorted(REQUIRES_GRAD_SET))
def test_setting_requires_grad_is_torchs(name):
    assert _outcome(REQUIRES_GRAD_SET[name], tnn) == _outcome(REQUIRES_GRAD_SET[name], torch)


def test_requires_grad_off_on_a_computed_tensor_names_detach():
    with pytest.raises(RuntimeError, match="leaf.*detach"):
        _computed(tnn).requires_grad_(False)


FLOAT_FUNCTIONS = {
    "exp": lambda lib, x: x.exp(),
    "tanh": lambda lib, x: lib.tanh(x),
    "sigmoid": lambda lib, x: lib.sigmoid(x),
    "F.sigmoid": lambda lib, x: lib.nn.functional.sigmoid(x),
    "Tanh": lambda lib, x: lib.nn.Tanh()(x),
    "logsumexp": lambda lib, x: x.logsumexp(0),
    "softmax": lambda lib, x: x.softmax(0),
    "log_softmax_dtype": lambda lib, x: lib.log_softmax(x, 0, dtype=lib.float64),
    "silu": lambda lib, x: lib.nn.functional.silu(x),
    "gelu": lambda lib, x: lib.nn.functional.gelu(x),
    "elu": lambda lib, x: lib.nn.functional.elu(x),
    "softplus": lambda lib, x: lib.nn.functional.softplus(x),
    "leaky_relu": lambda lib, x: lib.nn.functional.leaky_relu(x),
    "logsigmoid": lambda lib, x: lib.nn.functional.logsigmoid(x),
    "softmin": lambda lib, x: lib.nn.functional.softmin(x, 0),
    "mean": lambda lib, x: x.mean(),
    "mean_dim": lambda lib, x: lib.mean(x, 0, keepdim=True),
    "mean_dtype": lambda lib, x: x.mean(0, dtype=lib.float64),
    "mean_int_dtype": lambda lib, x: x.mean(dtype=lib.int64),
    "var": lambda lib, x: x.var(),
    "std": lambda lib, x: lib.std(x, 0),
    "var_mean": lambda lib, x: lib.var_mean(x),
    "std_mean": lambda lib, x: lib.std_mean(x, 0),
}


@pytest.mark.parametrize("name", sorted(FLOAT_FUNCTIONS))
@pytest.mark.parametrize("data", [[-3, 0, 2], [True, False], np.array([0, 250], np.uint8)], ids=str)
def test_float_functions_of_integers_give_torchs_dtype_or_error(name, data):
    fn = FLOAT_FUNCTIONS[name]
    ours, theirs = (_outcome(lambda lib: fn(lib, lib.tensor(data)), lib) for lib in (tnn, torch))
    if isinstance(theirs, type):  # the same error (softmin of bools: torch's neg refuses)
        assert ours is theirs or name == "softmin" and ours is NotImplementedError
    else:
        assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


# in-place op -> its arguments, given the other operand y (a tensor of c's shape)
UNARY_INPLACE = (
    "floor ceil trunc fix round frac sign sgn reciprocal neg negative exp expm1 log log2 log10 "
    "log1p sqrt rsqrt sin cos tan asin acos atan arcsin arccos arctan sinh cosh tanh sigmoid abs "
    "absolute square relu erf erfc"
).split()
INPLACE = {
    **{name: lambda y: () for name in UNARY_INPLACE},
    "tril": lambda y: (),
    "triu": lambda y: (1,),
    "round/decimals": lambda y: {"decimals": 1},
    "clamp": lambda y: (0.3, 0.6),
    "clip": lambda y: (None, 0.6),
    "pow": lambda y: (y,),
    "pow/number": lambda y: (1.5,),
    "fmod": lambda y: (y,),
    "remainder": lambda y: (y,),
    "lerp": lambda y: (y, 0.3),
    "lerp/tensor_weight": lambda y: (y, y),
    "atan2": lambda y: (y,),
    "arctan2": lambda y: (y,),
    "hypot": lambda y: (y,),
    "true_divide": lambda y: (y,),
    "divide": lambda y: (y,),
    "multiply": lambda y: (y,),
    "subtract": lambda y: {"other": y, "alpha": 2},
}
X = [[0.25, 0.5, 0.9], [0.3, 0.8, 0.45]]
Y = [[0.7, 0.2, 0.35], [0.6, 0.4, 0.75]]


def _call_in_place(name, c, y):
    args = INPLACE[name](y)
    method = getattr(c, name.split("/")[0] + "_")
    return method(**args) if isinstance(args, dict) else method(*args)


def _in_graph(lib, name):
    """The in-place op on a computed tensor: its value and the gradients of both leaves."""
    x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
    y = lib.tensor(Y, dtype=lib.float64, requires_grad=True)
    c = x * 1.0
    assert _call_in_place(name, c, y) is c
    (c * lib.tensor(Y, dtype=lib.float64)).sum().backward()
    grad_y = None if y.grad is None else (y.grad + 0).numpy()  # + 0: torch's zero tensors
    return c.detach().numpy(), (x.grad + 0).numpy(), grad_y


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_in_place_ops_in_a_graph_give_torchs_values_and_gradients(name):
    ours, theirs = _in_graph(tnn, name), _in_graph(torch, name)
    for a, b in zip(ours, theirs):
        if b is None:  # no gradient reached y in torch: none or zeros here
            assert a is None or not a.any()
        else:
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
@pytest.mark.parametrize("name", sorted(INPLACE))
def test_in_place_ops_outside_a_graph_and_on_integers_are_torchs(name, dtype):
    def run(lib):
        c = (lib.tensor(X) * 10).to(getattr(lib, dtype))
        return _call_in_place(name, c, (lib.tensor(Y) * 10).to(getattr(lib, dtype))).numpy()

    ours, theirs = _outcome(run, tnn), _outcome(run, torch)
    if isinstance(theirs, type):  # an error of ours, not numpy's (the type may differ)
        assert isinstance(ours, type) and ours.__module__ == "builtins", ours
    else:
        assert ours.dtype == theirs.dtype
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_in_place_change_of_a_saved_value_is_refused_at_backward_as_torch(name):
    def run(lib):
        x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        c = x * 1.0
        d = c * c  # saves c
        _call_in_place(name, c, lib.tensor(Y, dtype=lib.float64))
        d.sum().backward()
        return x.grad.numpy()

    ours, theirs = _outcome(run, tnn), _outcome(run, torch)
    assert theirs is RuntimeError and ours is RuntimeError


@pytest.mark.parametrize(
    "program",
    [
        lambda lib: lib.tensor(7).clamp(min=2),
        lambda lib: lib.tensor(True).clamp(max=0),
        lambda lib: lib.tensor(3).sign(),
        lambda lib: lib.tensor(-3).sgn(),
        lambda lib: lib.tensor(3).clamp_(0, 1),
        lambda lib: lib.tensor(3).sign_(),
        lambda lib: ~lib.tensor(3),
    ],
    ids=["clamp", "clamp-bool", "sign", "sgn", "clamp_", "sign_", "invert"],
)
def test_zero_d_integer_results_are_zero_d_as_torchs(program):
    """numpy gives a scalar for a 0-d operation, which Tensor() would read as a size."""
    tt.assert_same_result(program(tnn), program(torch))


def test_retain_grad_without_requires_grad_is_refused_as_torch():
    for lib in (tnn, torch):
        with pytest.raises(RuntimeError, match="requires_grad=False"):
            lib.tensor([1.0]).retain_grad()


EXPANDED = {
    "add_": lambda e: e.add_(1),
    "mul_tensor": lambda e: e.mul_(e.new_ones(3, 4) * 2),
    "copy_": lambda e: e.copy_(e.new_ones(3, 4)),
    "copy_0d": lambda e: e.copy_(e.new_tensor(5.0)),
    "exp_": lambda e: e.exp_(),
    "uniform_": lambda e: e.uniform_(),
    "fill_": lambda e: e.fill_(2.0),
    "zero_": lambda e: e.zero_(),
    "setitem_row": lambda e: e.__setitem__(1, e.new_ones(4)),
    "setitem_column": lambda e: e.__setitem__((slice(None), 0), 5.0),
    "setitem_all": lambda e: e.__setitem__(Ellipsis, 5.0),
    "setitem_index_list": lambda e: e.__setitem__(e.new_tensor([0, 2]).long(), 3.0),
    "row_view_add_": lambda e: e[0].add_(1),
    "transposed_add_": lambda e: e.t().add_(1),
}


@pytest.mark.parametrize("name", sorted(EXPANDED))
@pytest.mark.parametrize("grad", [False, True], ids=["plain", "in_graph"])
def test_in_place_ops_on_expanded_views_are_torchs(name, grad):
    """Refused with torch's error where elements share memory, except fills; else written
    through to the base."""

    def outcome(lib):
        x = lib.tensor([[1.0, 2.0, 3.0, 4.0]], requires_grad=grad)
        base = x * 1 if grad else x
        try:
            EXPANDED[name](base.expand(3, 4))
        except RuntimeError as error:
            assert "single memory location" in str(error)
            return RuntimeError
        return base.detach()

    if grad and name == "setitem_index_list":  # ours refuses to record it (test_views.py)
        return
    ours, theirs = outcome(tnn), outcome(torch)
    if theirs is RuntimeError or name == "uniform_":
        assert ours is theirs
    else:
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


SEVERAL_VIEWS = {
    "unbind": lambda t: t.unbind(1),
    "split": lambda t: t.split(1),
    "split_one_piece": lambda t: t.split(2),
    "split_sizes": lambda t: t.split([1, 2], 1),
    "chunk": lambda t: t.chunk(2),
}
CHANGES = {
    "add_": lambda v: v.add_(1),
    "fill_": lambda v: v.fill_(2.0),
    "exp_": lambda v: v.exp_(),
    "setitem": lambda v: v.__setitem__(0, 5.0),
    "view_of_it": lambda v: v.reshape(-1)[:1].mul_(2),
    "detached": lambda v: v.detach().add_(1),
    "add_grad_value": lambda v: v.add_(v.new_ones(()).requires_grad_()),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize("name", sorted(SEVERAL_VIEWS))
@pytest.mark.parametrize("mode", ["requires_grad", "plain", "no_grad"])
def test_in_place_ops_on_outputs_of_unbind_split_chunk_are_torchs(mode, name, change):
    """Refused when recorded (an input requires grad, in grad mode); allowed otherwise."""

    def outcome(lib):
        y = lib.ones(2, 3, requires_grad=mode != "plain") * 1
        try:
            if mode == "no_grad":
                with lib.no_grad():
                    CHANGES[change](SEVERAL_VIEWS[name](y)[0])
            else:
                CHANGES[change](SEVERAL_VIEWS[name](y)[0])
        except RuntimeError:
            return RuntimeError
        return y.detach()

    ours, theirs = outcome(tnn), outcome(torch)
    if theirs is RuntimeError:
        assert ours is theirs
    else:
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)  # exp: an ulp


def _listed(t):
    """A tensor's dtype name and values, comparable across the libraries."""
    return str(t.dtype).replace("torch.", ""), t.tolist()


RUNTIME = {
    "stride": lambda lib: lib.ones(2, 3).t().stride(),
    "stride_dim": lambda lib: lib.ones(2, 3, 4).stride(-2),
    "contiguous_stride": lambda lib: lib.ones(2, 3).t().contiguous().stride(),
    "is_contiguous": lambda lib: (
        lib.ones(2, 3).is_contiguous(),
        lib.ones(2, 3).t().is_contiguous(),
    ),
    "clone_preserve": lambda lib: lib.ones(2, 3).t().clone().stride(),
    "clone_contiguous": lambda lib: (
        lib.ones(2, 3).t().clone(memory_format=lib.contiguous_format).stride()
    ),
    "sizes": lambda lib: (
        lib.ones(2, 3).element_size(),
        lib.ones(2, 3).nbytes,
        lib.ones(2, 3).itemsize,
    ),
    "counts": lambda lib: (lib.ones(2, 3).ndimension(), lib.ones(2, 3).nelement()),
    "signed": lambda lib: [
        lib.ones(1, dtype=d).is_signed() for d in (lib.uint8, lib.int8, lib.bool, lib.float32)
    ],
    "conj_real": lambda lib: _listed(lib.tensor([1.0, 2.0]).conj() + lib.tensor([1.0, 2.0]).real),
    "imag": lambda lib: lib.ones(2).imag,
    "H": lambda lib: _listed(lib.tensor([[1.0, 2.0], [3.0, 4.0]]).H),
    "H_3d": lambda lib: lib.ones(2, 2, 2).H,
    "mH": lambda lib: lib.ones(2, 3, 4).mH.shape,
    "adjoint": lambda lib: lib.ones(2, 3, 4).adjoint().shape,
    "in_number": lambda lib: (2.0 in lib.tensor([1.0, 2.0]), 3 in lib.tensor([1.0, 2.0])),
    "in_tensor": lambda lib: lib.tensor([1.0]) in lib.tensor([1.0, 2.0]),
    "in_string": lambda lib: "a" in lib.tensor([1.0]),
    "where_alone": lambda lib: [
        _listed(t) for t in lib.where(lib.tensor([[True, False], [True, True]]))
    ],
    "where_ints": lambda lib: _listed(lib.where(lib.tensor([True, False]), 1, 0)),
    "where_mixed": lambda lib: _listed(lib.where(lib.tensor([True, False]), 1, 0.5)),
    "where_bools": lambda lib: _listed(lib.where(lib.tensor([True, False]), True, False)),
    "where_method": lambda lib: _listed(lib.ones(2).where(lib.tensor([True, False]), 0.0)),
    "squeeze_tuple": lambda lib: lib.ones(1, 2, 1).squeeze((0, 2)).shape,
    "squeeze_list_kept": lambda lib: lib.ones(1, 2, 1).squeeze([0, 1]).shape,
    "squeeze_empty": lambda lib: lib.ones(1, 2, 1).squeeze(()).shape,
    "clamp_tensors": lambda lib: _listed(
        lib.tensor([1.0, 5.0]).clamp(lib.tensor(2.0), lib.tensor([1.0, 9.0]))
    ),
    "clamp_int_by_float": lambda lib: _listed(lib.tensor([1, 5]).clamp(min=lib.tensor([2.0, 2.0]))),
    "clamp_mixed": lambda lib: lib.tensor([1.0]).clamp(lib.tensor([2.0]), 3.0),
    "item_many": lambda lib: lib.ones(2).item(),
    "reshape_bad": lambda lib: lib.ones(4).reshape(3),
    "view_bad": lambda lib: lib.ones(4).view(3),
    "finfo": lambda lib: [
        (f.bits, f.eps, f.max, f.min, f.tiny, f.resolution)
        for f in (lib.finfo(lib.float32), lib.finfo(lib.float64), lib.finfo(lib.float16))
    ],
    "finfo_default": lambda lib: lib.finfo().eps,
    "iinfo": lambda lib: [
        (i.bits, i.max, i.min)
        for i in (lib.iinfo(lib.int64), lib.iinfo(lib.uint8), lib.iinfo(lib.int16))
    ],
    "finfo_int": lambda lib: lib.finfo(lib.int32),
    "iinfo_float": lambda lib: lib.iinfo(lib.float32),
    "can_cast": lambda lib: [
        lib.can_cast(a, b)
        for a in (lib.bool, lib.int32, lib.float64)
        for b in (lib.bool, lib.int64, lib.float32)
    ],
    "result_type": lambda lib: str(lib.result_type(lib.tensor([1, 2]), 1.5)).replace("torch.", ""),
    "inference_mode": lambda lib: _inference(lib),
    "bernoulli_dtype": lambda lib: lib.bernoulli(
        lib.tensor([0.0, 1.0], dtype=lib.float64)
    ).tolist(),
    "bernoulli_bad": lambda lib: lib.bernoulli(lib.tensor([1.5])),
    "bernoulli_int": lambda lib: lib.bernoulli(lib.tensor([1, 0])),
    "multinomial_shape": lambda lib: lib.multinomial(lib.ones(2, 3), 5, replacement=True).shape,
    "multinomial_certain": lambda lib: lib.multinomial(lib.tensor([0.0, 1.0, 0.0]), 1).tolist(),
    "multinomial_zeros_last": lambda lib: lib.multinomial(lib.tensor([1.0, 0.0]), 2).tolist(),
    "multinomial_too_many": lambda lib: lib.multinomial(lib.tensor([1.0, 1.0]), 3),
    "multinomial_negative": lambda lib: lib.multinomial(lib.tensor([1.0, -1.0]), 1),
    "multinomial_3d": lambda lib: lib.multinomial(lib.ones(2, 2, 2), 1),
    "poisson_dtype": lambda lib: str(lib.poisson(lib.ones(2, dtype=lib.float64)).dtype).replace(
        "torch.", ""
    ),
    "randint_like": lambda lib: (
        str(lib.randint_like(lib.ones(2), 5).dtype).replace("torch.", ""),
        lib.randint_like(lib.ones(3, dtype=lib.int64), 3, 4).tolist(),
    ),
}


def _inference(lib):
    x = lib.ones(2, requires_grad=True)
    with lib.inference_mode():
        inside = ((x * 2).requires_grad, lib.is_inference_mode_enabled())
    with lib.no_grad(), lib.inference_mode(False):
        off = (x * 2).requires_grad
    return inside, off, lib.is_inference_mode_enabled()


@pytest.mark.parametrize("name", sorted(RUNTIME))
def test_runtime_and_metadata_are_torchs(name):
    assert _outcome(RUNTIME[name], tnn) == _outcome(RUNTIME[name], torch)


WRITES = {
    "index_fill": lambda lib, x: x.index_fill(1, lib.tensor([0, 2, -1]), 2.5),
    "index_fill_tensor": lambda lib, x: x.index_fill(0, lib.tensor(1), x[0, 0] * 3),
    "index_fill_int": lambda lib, x: lib.zeros(3, dtype=lib.int64).index_fill(
        0, lib.tensor([1]), 1.5
    ),
    "index_copy": lambda lib, x: x.index_copy(1, lib.tensor([3, 0]), x[:, :2] * 2),
    "index_copy_": lambda lib, x: (x * 1).index_copy_(0, lib.tensor([2]), x[:1] + 1),
    "masked_scatter": lambda lib, x: x.masked_scatter(x > 5, lib.arange(12.0) * 10),
    "masked_scatter_broadcast": lambda lib, x: x.masked_scatter(
        lib.tensor([True, False, True, False]), x.flip(0) * 2
    ),
    "masked_scatter_": lambda lib, x: (x * 1).masked_scatter_(x < 3, -x),
    "bad_index_dtype": lambda lib, x: x.index_fill(0, lib.tensor([0.0]), 1.0),
    "bad_index_2d": lambda lib, x: x.index_fill(0, lib.tensor([[0]]), 1.0),
    "bad_index_range": lambda lib, x: x.index_copy(0, lib.tensor([5]), x[:1]),
    "bad_count": lambda lib, x: x.index_copy(0, lib.tensor([0]), x[:2]),
    "bad_mask_dtype": lambda lib, x: x.masked_scatter(lib.ones(3, 4, dtype=lib.int64), x),
    "short_source": lambda lib, x: x.masked_scatter(x > 0, lib.ones(2)),
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_index_and_mask_writes_are_torchs_with_gradients(name):
    def run(lib):
        x = lib.tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
        out = WRITES[name](lib, x)
        if out.requires_grad:
            (
                out
                * lib.tensor(np.arange(out.numel(), dtype=float).reshape(out.shape)).to(out.dtype)
            ).sum().backward()
        return _listed(out.detach()), None if x.grad is None else x.grad.tolist()

    assert _outcome(run, tnn) == _outcome(run, torch)


_DATA = [[0.0, 1, 2, 5], [2, 1, 0, 3], [1, 1, 1, 2]]
NUMERICS = {
    "cov": lambda lib: lib.cov(lib.tensor(_DATA)),
    "cov_correction": lambda lib: lib.cov(lib.tensor(_DATA), correction=0),
    "cov_weights": lambda lib: lib.cov(
        lib.tensor(_DATA), fweights=lib.tensor([1, 2, 1, 3]), aweights=lib.tensor([0.5, 1, 2, 1.0])
    ),
    "cov_one_variable": lambda lib: lib.tensor(_DATA[0]).cov(),
    "cov_ints": lambda lib: lib.cov(lib.tensor([[1, 2, 4]])),
    "cov_3d": lambda lib: lib.cov(lib.ones(2, 2, 2)),
    "cov_float_fweights": lambda lib: lib.cov(lib.tensor(_DATA), fweights=lib.ones(4)),
    "corrcoef": lambda lib: lib.corrcoef(lib.tensor(_DATA)),
    "corrcoef_one": lambda lib: lib.tensor(_DATA[0]).corrcoef(),
    "logspace": lambda lib: lib.logspace(0, 2, 3),
    "logspace_base": lambda lib: lib.logspace(0, 3, 4, base=2, dtype=lib.float64),
    "unique_consecutive": lambda lib: lib.unique_consecutive(
        lib.tensor([1, 1, 2, 2, 3, 1, 1, 2]), return_inverse=True, return_counts=True
    ),
    "unique_consecutive_dim": lambda lib: lib.tensor([[1, 1], [1, 1], [2, 3]]).unique_consecutive(
        dim=0, return_counts=True
    ),
    **{
        f"{name}_{n}_{periodic}": (
            lambda lib, name=name, n=n, periodic=periodic: getattr(lib, name)(n, periodic)
        )
        for name in (
            "hann_window",
            "hamming_window",
            "bartlett_window",
            "blackman_window",
            "kaiser_window",
        )
        for n in (0, 1, 6)
        for periodic in (True, False)
    },
    "window_float64": lambda lib: lib.hann_window(4, dtype=lib.float64),
    "kaiser_beta": lambda lib: lib.kaiser_window(7, False, beta=5.0),
}


@pytest.mark.parametrize("name", sorted(NUMERICS))
def test_statistics_windows_and_sequences_are_torchs(name):
    ours, theirs = (_outcome(NUMERICS[name], lib) for lib in (tnn, torch))
    if isinstance(theirs, type):
        assert ours is theirs
        return
    for a, b in zip(*(r if isinstance(r, tuple) else (r,) for r in (ours, theirs))):
        assert str(a.dtype) == str(b.dtype).replace("torch.", "") and tuple(a.shape) == tuple(
            b.shape
        )
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-7)


MOMENTS = {
    "var": lambda x: x.var(),
    "var_dim": lambda x: x.var(0),
    "var_unbiased_kw": lambda x: x.var(unbiased=False),
    "var_unbiased_positional": lambda x: x.var(1, False),
    "var_unbiased_keepdim": lambda x: x.var(1, False, True),
    "var_bool_first": lambda x: x.var(False),
    "std_correction": lambda x: x.std(dim=0, correction=0),
    "std_keepdim": lambda x: x.std(1, keepdim=True),
    "std_unbiased": lambda x: x.std(unbiased=False),
    "both": lambda x: x.var(0, unbiased=True, correction=0),
}


@pytest.mark.parametrize("name", sorted(MOMENTS))
def test_var_and_std_take_torchs_argument_forms(name):
    def run(lib):
        x = lib.tensor([[1.0, 2.0, 4.0], [3.0, 5.0, 9.0]], dtype=lib.float64, requires_grad=True)
        out = MOMENTS[name](x)
        out.sum().backward()
        return np.round(out.tolist(), 12).tolist(), np.round(x.grad.tolist(), 12).tolist()

    assert _outcome(run, tnn) == _outcome(run, torch)
