"""``tnn.autograd.functional`` (jacobian, hessian, vjp, jvp) against closed forms and, when it
is installed, against ``torch.autograd.functional``; ``tnn.autograd.backward`` and
``gradcheck`` in PyTorch's form."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt
from tinygrad_nn.autograd import functional as AF

X = np.array([0.5, -1.0, 2.0])
Y = np.array([[1.0, 2.0], [0.5, -0.5]])


def f_vec(x):
    return (x * x).sin() * 2


def f_scalar(x):
    return (x * x * x).sum() + (x.sin() * x).sum()


def f_two(x, y):
    return (x.reshape(3, 1) * y.sum(1).reshape(1, 2)).exp(), (y * y).sum()


def test_jacobian_of_an_elementwise_function_is_diagonal():
    x = tnn.tensor(X)
    jac = AF.jacobian(f_vec, x)
    np.testing.assert_allclose(jac.numpy(), np.diag(4 * X * np.cos(X * X)), rtol=1e-12)


def test_hessian_of_a_scalar_function():
    x = tnn.tensor(X)
    expected = np.diag(6 * X + 2 * np.cos(X) - X * np.sin(X))
    np.testing.assert_allclose(AF.hessian(f_scalar, x).numpy(), expected, rtol=1e-12)


def test_vjp_and_jvp_agree_with_the_jacobian():
    x, v = tnn.tensor(X), tnn.tensor([1.0, -2.0, 0.5])
    jac = AF.jacobian(f_vec, x).numpy()
    out, vj = AF.vjp(f_vec, x, v)
    _, jv = AF.jvp(f_vec, x, v)
    np.testing.assert_allclose(out.numpy(), f_vec(x).numpy())
    np.testing.assert_allclose(vj.numpy(), v.numpy() @ jac, rtol=1e-12)
    np.testing.assert_allclose(jv.numpy(), jac @ v.numpy(), rtol=1e-12)


def test_results_follow_the_form_of_inputs_and_outputs():
    x, y = tnn.tensor(X), tnn.tensor(Y)
    jac = AF.jacobian(f_two, (x, y))
    assert isinstance(jac, tuple) and len(jac) == 2 and len(jac[0]) == 2
    assert jac[0][0].shape == (3, 2, 3) and jac[0][1].shape == (3, 2, 2, 2)
    assert jac[1][0].shape == (3,) and jac[1][1].shape == (2, 2)
    np.testing.assert_array_equal(jac[1][0].numpy(), 0)  # (y*y).sum() does not use x


def test_strict_refuses_an_unused_input():
    with pytest.raises(RuntimeError, match="independent of input 0"):
        AF.jacobian(lambda x, y: y * 2, (tnn.tensor(X), tnn.tensor(X)), strict=True)


def test_create_graph_results_differentiate_back_to_the_inputs():
    x = tnn.tensor(X, requires_grad=True)
    _, vj = AF.vjp(f_vec, x, tnn.ones(3, dtype=tnn.float64), create_graph=True)
    vj.sum().backward()
    # d/dx of 4x cos(x^2) = 4 cos(x^2) - 8 x^2 sin(x^2)
    np.testing.assert_allclose(x.grad.numpy(), 4 * np.cos(X**2) - 8 * X**2 * np.sin(X**2))


def test_autograd_backward_of_several_roots_and_inputs():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    w = tnn.tensor([3.0, 4.0], requires_grad=True)
    a, b = (x * w).sum(), (x * x).sum()
    tnn.autograd.backward([a, b], inputs=[x])
    assert x.grad.tolist() == [5.0, 8.0] and w.grad is None
    tnn.autograd.backward((x * w).sum())
    assert x.grad.tolist() == [8.0, 12.0] and w.grad.tolist() == [1.0, 2.0]


def test_gradcheck_in_pytorch_form():
    x = tnn.tensor(X, requires_grad=True)
    assert tnn.autograd.gradcheck(lambda t: (t.sin(), t * t), (x,))
    assert tnn.autograd.gradgradcheck(f_vec, x)
    wrong = tnn.autograd.Function

    class Wrong(wrong):
        @staticmethod
        def forward(ctx, t):
            return t * 2

        @staticmethod
        def backward(ctx, g):
            return g * 3

    assert not tnn.autograd.gradcheck(Wrong.apply, (x,), raise_exception=False)
    with pytest.raises(tnn.autograd.GradcheckError):
        tnn.autograd.gradcheck(Wrong.apply, (x,))


def test_functional_matches_pytorch():
    torch = tt.reference_library("torch")
    TF = torch.autograd.functional
    x, y = tnn.tensor(X), tnn.tensor(Y)
    tx, ty = torch.tensor(X), torch.tensor(Y)
    v = np.array([0.3, -1.0, 2.0])
    ours = AF.jacobian(f_two, (x, y))
    theirs = TF.jacobian(f_two, (tx, ty))
    for row, trow in zip(ours, theirs, strict=True):
        for a, b in zip(row, trow, strict=True):
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)
    np.testing.assert_allclose(
        AF.hessian(f_scalar, x).numpy(), TF.hessian(f_scalar, tx).numpy(), rtol=1e-12
    )
    for ours_fn, their_fn in ((AF.vjp, TF.vjp), (AF.jvp, TF.jvp)):
        _, a = ours_fn(f_vec, x, tnn.tensor(v))
        _, b = their_fn(f_vec, tx, torch.tensor(v))
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)
