"""Ops that meet a zero divisor, a log or square root out of their domain, an overflow or an
infinity give PyTorch's inf and NaN, forward and backward, and a program using them prints no
numpy warning (PyTorch prints none)."""

import warnings

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

X = [0.0, -0.0, 1.0, -1.0, 0.5, -2.0, np.inf, -np.inf, np.nan, 3e38, -3e38, 1e-38, 100.0]
Y = [0.0, 0.0, -0.0, 0.0, 1e-39, -0.0, np.inf, 2.0, 1.0, 1e-3, 0.5, 1e-38, -np.inf]

# Expressions in x and y (tensors of X and Y that require grad) and F (nn.functional).
OPS = {
    "div": "x / y",
    "div_by_zero": "x / 0",
    "rdiv": "1 / x",
    "div_method": "x.div(y)",
    "div_floor": "x.div(y, rounding_mode='floor')",
    "div_trunc": "x.div(y, rounding_mode='trunc')",
    "log": "x.log()",
    "log1p": "(x - 1).log1p()",
    "sqrt": "x.sqrt()",
    "pow": "x**y",
    "pow_negative": "x**-1",
    "pow_scalar": "x**1.5",
    "rpow": "2.0**x",
    "square": "x * x",
    "exp": "x.exp()",
    "sinh_cosh": "x.sinh() + x.cosh()",
    "sin_cos": "x.sin() * x.cos()",
    "add_sub": "(x + y) - (y + x)",
    "sum": "(x * y).sum()",
    "mean_var": "x.mean() + x.var()",
    "softmax": "x.softmax(0)",
    "log_softmax": "x.log_softmax(0)",
    "logsumexp": "x.logsumexp(0)",
    "matmul": "x.reshape(13, 1) @ y.reshape(1, 13)",
    "softplus": "F.softplus(x)",
    "tanh_sigmoid": "x.tanh() * x.sigmoid()",
    "mse_loss": "F.mse_loss(x, y)",
}


def _run(lib, expr, dtype):
    x = lib.tensor(X, dtype=getattr(lib, dtype), requires_grad=True)
    y = lib.tensor(Y, dtype=getattr(lib, dtype), requires_grad=True)
    out = eval(expr, {"x": x, "y": y, "F": lib.nn.functional})
    if out.requires_grad:  # rounded division has no gradient in torch
        out.backward(lib.ones_like(out))
    grads = [t.grad.numpy() if t.grad is not None else None for t in (x, y)]
    return out.detach().numpy(), grads


def _same(ours, theirs):
    assert ours.dtype == theirs.dtype
    rtol = 1e-5 if ours.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=0, equal_nan=True)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(OPS))
def test_non_finite_values_and_gradients_are_pytorchs(name, dtype):
    with warnings.catch_warnings():
        # pytest imports the package inside catch_warnings, which drops its filter on exit:
        # the silence is tested in a program of its own below
        warnings.simplefilter("ignore", RuntimeWarning)
        out, grads = _run(tnn, OPS[name], dtype)
    ref_out, ref_grads = _run(torch, OPS[name], dtype)
    _same(out, ref_out)
    for g, r in zip(grads, ref_grads):
        assert (g is None) == (r is None)
        if r is not None:
            _same(g, r)


@pytest.mark.parametrize("dtype", ["int64", "float32"])
@pytest.mark.parametrize("expr", ["x / 0", "x / 0.0", "0 / x", "x / x", "x.div(0)"])
def test_tensors_divided_by_zero_are_pytorchs(expr, dtype):
    x = [0, 1, -1, 2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ours = eval(expr, {"x": tnn.tensor(x, dtype=getattr(tnn, dtype))})
    _same(ours.numpy(), eval(expr, {"x": torch.tensor(x, dtype=getattr(torch, dtype))}).numpy())


PROGRAM = f"""
import numpy as np
inf, nan = np.inf, np.nan
import tinygrad_nn as tnn
from tinygrad_nn import optim
for expr in {list(OPS.values())!r}:
    for dtype in (tnn.float32, tnn.float64):
        x = tnn.tensor({X!r}, dtype=dtype, requires_grad=True)
        y = tnn.tensor({Y!r}, dtype=dtype, requires_grad=True)
        out = eval(expr, {{"x": x, "y": y, "F": tnn.nn.functional}})
        if out.requires_grad:
            out.backward(tnn.ones_like(out))
        for opt in (optim.SGD([x], lr=0.1, momentum=0.9), optim.Adam([x]), optim.Adagrad([x])):
            opt.step()
for t in (tnn.tensor([1]), tnn.tensor([1.0]), tnn.tensor([0.0])):
    print(t / 0, t / t * 0, repr(tnn.tensor([np.inf, np.nan, 0.0, 1e-45])))
try:
    np.array([1.0]) / 0
except RuntimeWarning:
    print("numpy itself still warns")
"""


def test_a_program_prints_no_numpy_warning():
    out = tt.run_warning_free(PROGRAM)
    assert "tensor([inf])" in out and "numpy itself still warns" in out
