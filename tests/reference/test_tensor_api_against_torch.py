"""Corners of the Tensor API against PyTorch: ``requires_grad_`` on leaves and computed
tensors; the result dtype (or the refusal) of float functions of integer and bool tensors."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # exp(250) overflows


def _outcome(fn, lib):
    """``fn(lib)``'s result, or the type of the exception it raised."""
    try:
        return fn(lib)
    except Exception as error:  # noqa: BLE001 - the type is the outcome compared
        return type(error)


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
}


@pytest.mark.parametrize("name", sorted(FLOAT_FUNCTIONS))
@pytest.mark.parametrize("data", [[-3, 0, 2], [True, False], np.array([0, 250], np.uint8)], ids=str)
def test_float_functions_of_integers_give_torchs_dtype_or_error(name, data):
    fn = FLOAT_FUNCTIONS[name]
    ours, theirs = (_outcome(lambda lib: fn(lib, lib.tensor(data)), lib) for lib in (tnn, torch))
    if isinstance(theirs, type):
        assert ours is theirs
    else:
        assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
