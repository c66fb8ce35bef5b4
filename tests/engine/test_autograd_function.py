"""``tnn.autograd.Function`` in PyTorch's form: static forward/backward with a ctx, saved
tensors checked for in-place changes, needs_input_grad, non-differentiable outputs,
materialized gradients, several outputs, and double backward through a Tensor-op backward."""

import numpy as np
import pytest
from hypothesis import given

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt
from tinygrad_nn.autograd import Function


class Cube(Function):
    r"""$k x^3$ with the constant $k$ as a second, non-tensor argument."""

    @staticmethod
    def forward(ctx, x, k):
        ctx.save_for_backward(x)
        ctx.k = k
        return x * x * x * k

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x * x * ctx.k, None


class ExpOut(Function):
    """Saves its output, as ``Exp`` in ops.py does."""

    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y


class MulAdd(Function):
    """Two outputs, ``x * y`` and ``x + y``."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y, x + y

    @staticmethod
    def backward(ctx, g_prod, g_sum):
        x, y = ctx.saved_tensors
        return g_prod * y + g_sum, g_prod * x + g_sum


@given(tt.tensors())
def test_function_gradient_matches_finite_differences(x):
    assert tt.check_grad(lambda t: Cube.apply(t, 2.0), [x])


@given(tt.tensors())
def test_function_written_in_tensor_ops_supports_double_backward(x):
    assert tt.check_gradgrad(lambda t: Cube.apply(t, 0.5), [x])
    assert tt.check_gradgrad(ExpOut.apply, [x])


@given(tt.broadcast_tensors(2))
def test_function_with_two_outputs_gets_a_gradient_for_each(xy):
    x, y = xy

    def both(a, b):
        p, s = MulAdd.apply(a, b)
        return p * 2 + s * 3

    assert tt.check_grad(both, [x, y])


def test_setup_context_form_gets_inputs_and_output():
    class Square(Function):
        @staticmethod
        def forward(x):
            return x * x

        @staticmethod
        def setup_context(ctx, inputs, output):
            (x,) = inputs
            ctx.save_for_backward(x)

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 2 * x * grad

    x = tnn.tensor([3.0, -1.0], requires_grad=True)
    Square.apply(x).sum().backward()
    assert x.grad.tolist() == [6.0, -2.0]


def test_output_repr_names_the_function_node():
    y = ExpOut.apply(tnn.tensor([1.0], requires_grad=True))
    assert type(y.grad_fn).__name__ == "ExpOut" and "ExpOutBackward" in repr(y)


def test_no_node_is_recorded_without_inputs_that_require_grad():
    y = ExpOut.apply(tnn.tensor([1.0]))
    assert y.grad_fn is None and not y.requires_grad
    with tnn.no_grad():
        assert ExpOut.apply(tnn.tensor([1.0], requires_grad=True)).grad_fn is None


def test_forward_runs_without_recording():
    seen = []

    class Probe(Function):
        @staticmethod
        def forward(ctx, x):
            y = x * 2
            seen.append(y.requires_grad)
            return y

        @staticmethod
        def backward(ctx, g):
            return g * 2

    Probe.apply(tnn.tensor([1.0], requires_grad=True))
    assert seen == [False]


def test_needs_input_grad_has_one_flag_per_argument():
    seen = []

    class Probe(Function):
        @staticmethod
        def forward(ctx, x, y, scale):
            seen.append(ctx.needs_input_grad)
            return x * y * scale

        @staticmethod
        def backward(ctx, g):
            return g, None, None

    x = tnn.tensor([1.0], requires_grad=True)
    Probe.apply(x, tnn.tensor([2.0]), 3.0).sum().backward()
    assert seen == [(True, False, False)]
    assert x.grad.tolist() == [1.0]


def test_mark_non_differentiable_output_gets_no_gradient():
    class SortLike(Function):
        @staticmethod
        def forward(ctx, x):
            idx = tnn.from_numpy(np.argsort(x.numpy(force=True)).astype(np.float64))
            ctx.mark_non_differentiable(idx)
            return x * 1, idx

        @staticmethod
        def backward(ctx, g, g_idx):
            assert np.all(g_idx.numpy() == 0)  # materialized zeros
            return g

    x = tnn.tensor([3.0, 1.0], requires_grad=True)
    y, idx = SortLike.apply(x)
    assert not idx.requires_grad and y.requires_grad
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_set_materialize_grads_false_gives_none_for_unused_outputs():
    got = []

    class Two(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, ga, gb):
            got.append(gb)
            return ga * 2

    x = tnn.tensor([1.0], requires_grad=True)
    a, _ = Two.apply(x)
    a.sum().backward()
    assert got == [None] and x.grad.tolist() == [2.0]


def test_unused_output_gets_zeros_by_default():
    x, y = tnn.tensor([1.0, 2.0], requires_grad=True), tnn.tensor([3.0, 4.0], requires_grad=True)
    prod, _ = MulAdd.apply(x, y)
    prod.sum().backward()
    assert x.grad.tolist() == [3.0, 4.0] and y.grad.tolist() == [1.0, 2.0]


def test_saved_tensor_changed_in_place_is_refused_naming_both_versions():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    y = ExpOut.apply(x)
    with tnn.no_grad():
        y.mul_(2)
    with pytest.raises(RuntimeError, match="ExpOutBackward, is at version 1; expected version 0"):
        y.sum().backward()


def test_wrong_number_of_gradients_is_refused():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return g

    out = Bad.apply(tnn.tensor([1.0], requires_grad=True), tnn.tensor([1.0]))
    with pytest.raises(RuntimeError, match="incorrect number of gradients.*expected 2, got 1"):
        out.sum().backward()


def test_gradient_of_a_wrong_shape_is_refused():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return tnn.ones(5)

    out = Bad.apply(tnn.ones(3, requires_grad=True))
    with pytest.raises(RuntimeError, match=r"invalid gradient at index 0 - got \[5\]"):
        out.sum().backward()


@pytest.mark.parametrize("create_graph", [False, True])
def test_gradient_of_a_broadcast_shape_is_summed_back_as_in_pytorch(create_graph):
    class Spread(Function):
        """Returns its input's gradient broadcast to (4, 3), which PyTorch sums back."""

        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return (g * 2).expand(4, 3)

    x = tnn.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (grad,) = tnn.autograd.grad(Spread.apply(x).sum(), x, create_graph=create_graph)
    assert grad.shape == (3,)
    np.testing.assert_array_equal(grad.numpy(), [8.0, 8.0, 8.0])


def test_second_backward_without_retain_graph_is_refused():
    y = ExpOut.apply(tnn.tensor([1.0], requires_grad=True)).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="a second time"):
        y.backward()


def test_returning_an_input_unchanged_does_not_touch_the_input():
    class Identity(Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    x = tnn.tensor([1.0], requires_grad=True)
    y = Identity.apply(x)
    assert x.is_leaf and y is not x and not y.is_leaf
    (y * 3).sum().backward()
    assert x.grad.tolist() == [3.0]


def test_save_for_backward_takes_only_tensors():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x, 3.0)
            return x * 1

    with pytest.raises(TypeError, match="argument 1 is a float"):
        Bad.apply(tnn.ones(1, requires_grad=True))


def test_custom_function_matches_pytorch_custom_function():
    torch = tt.reference_library("torch")

    # the same forward and backward source, run by PyTorch
    statics = {"forward": staticmethod(Cube.forward), "backward": staticmethod(Cube.backward)}
    TorchCube = type("TorchCube", (torch.autograd.Function,), statics)

    data = np.array([0.5, -1.5, 2.0])
    x = tnn.tensor(data, requires_grad=True)
    tx = torch.tensor(data, requires_grad=True)
    (g,) = tnn.autograd.grad(Cube.apply(x, 2.0).sum(), x, create_graph=True)
    (tg,) = torch.autograd.grad(TorchCube.apply(tx, 2.0).sum(), tx, create_graph=True)
    np.testing.assert_allclose(g.numpy(force=True), tg.detach().numpy())
    (g * g).sum().backward()
    (tg * tg).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())
