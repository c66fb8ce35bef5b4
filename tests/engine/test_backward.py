"""The traversal: graph shapes, accumulation, retain_graph, hooks, grad modes, tnn.grad."""

import gc

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt


def leaf(*values, dtype=tnn.float64):
    return tnn.tensor(list(values), dtype=dtype, requires_grad=True)


def test_reused_node_gets_the_sum_of_its_gradients():
    x = leaf(3.0)
    y = x * x + x  # x used three times
    y.backward()
    assert x.grad.item() == pytest.approx(2 * 3.0 + 1)


def test_diamond_graph_sums_both_paths():
    x = leaf(0.5)
    a = x.exp()
    b, c = a * 2.0, a.tanh()
    (b + c).sum().backward()
    e = np.exp(0.5)
    assert x.grad.item() == pytest.approx(2 * e + (1 - np.tanh(e) ** 2) * e)


def test_gradients_accumulate_into_leaves_across_backward_calls():
    x = leaf(1.0, 2.0)
    (x * 3.0).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3 + 2, 3 + 4])


def test_same_tensor_added_to_itself_gives_each_leaf_its_own_array():
    x, y = leaf(1.0), leaf(2.0)
    (x + y).sum().backward()
    x.grad.zero_()
    assert y.grad.item() == 1.0


def test_intermediate_grad_only_with_retain_grad():
    x = leaf(2.0)
    h = x * x
    h2 = h * 1.0
    h.retain_grad()
    (h * 3.0 + h2).sum().backward()
    assert h.grad.item() == pytest.approx(4.0)
    assert h2.grad is None


def test_retained_grad_follows_the_tensor_through_an_in_place_op():
    x = leaf(2.0)
    h = x * x
    h.retain_grad()
    h.mul_(3.0)  # h is now 3x^2: its .grad is d(h^2)/dh = 2h of the new value
    (h * h).sum().backward()
    assert h.grad.item() == 24.0 and x.grad.item() == 288.0


def test_deep_chain_of_100000_ops_backpropagates():
    x = leaf(1.0)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.sum().backward()
    assert x.grad.item() == 1.0


def test_second_backward_without_retain_graph_raises_clear_error():
    x = leaf(1.0)
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()


def test_second_backward_with_retain_graph_accumulates():
    x = leaf(1.0)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.item() == 4.0


def test_saved_arrays_are_freed_after_backward():
    x = leaf(1.0)
    y = x.exp()
    node = y.grad_fn
    y.sum().backward()
    assert node.saved is None


def test_backward_frees_the_arrays_between_ops_and_of_constants():
    # as PyTorch: the loss of the last step, alive while the next one runs, keeps the graph's
    # shape and the leaves that need a gradient, not the activations nor constant inputs
    import weakref

    x = tnn.tensor(np.ones((3, 4)))
    w = leaf(*np.linspace(-1, 1, 4))
    columns = x.exp()  # computed without gradient: a constant input of the product
    hidden = (columns * w).tanh()
    loss = hidden.sum()
    arrays = [weakref.ref(columns._data), weakref.ref(hidden._data)]
    node = hidden.grad_fn
    del columns, hidden
    assert all(a() is not None for a in arrays)  # the graph keeps them until backward
    loss.backward()
    assert all(a() is None for a in arrays)
    mul = node.parents[0]
    assert mul is not None and mul.parents == (None, w)  # constant gone, the leaf kept
    with pytest.raises(RuntimeError, match="second time"):
        loss.backward()


def test_a_freed_node_keeps_the_history_it_used_of_an_input_changed_in_place():
    x = leaf(1.0, 2.0)
    a = x * 2
    made_a = a.grad_fn
    b = a * 3
    a.add_(b)  # a's history is now the in-place Add, recorded after b's node used a
    (a.sum() + b.sum()).backward()
    assert b.grad_fn.parents[0] is made_a  # as PyTorch's next_functions: MulBackward0
    np.testing.assert_array_equal(x.grad._data, [14.0, 14.0])


def test_retain_graph_keeps_the_inputs():
    x = leaf(1.0, 2.0)
    h = x.exp()
    y = (h * h).sum()
    y.backward(retain_graph=True)
    assert y.grad_fn.parents[0].grad_fn.parents == (h, h)


def test_backward_order_is_deterministic():
    def run():
        tnn.manual_seed(0)
        x = tnn.randn(3, 3, dtype=tnn.float64, requires_grad=True)
        seen = []
        a, b = x.exp(), x.tanh()
        a.register_hook(lambda g: seen.append("a"))
        b.register_hook(lambda g: seen.append("b"))
        (a @ b).sum().backward()
        return seen, x.grad.numpy().copy()

    first, second = run(), run()
    assert first[0] == second[0]
    np.testing.assert_array_equal(first[1], second[1])


def test_backward_of_non_scalar_needs_gradient():
    x = leaf(1.0, 2.0)
    with pytest.raises(RuntimeError, match=r"scalar outputs.*\(2,\)"):
        (x * 2.0).backward()


def test_backward_with_explicit_gradient_is_a_vector_jacobian_product():
    x = leaf(1.0, 2.0)
    (x * x).backward(tnn.tensor([1.0, 10.0], dtype=tnn.float64))
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 40.0])


def test_gradient_of_wrong_shape_is_rejected():
    x = leaf(1.0, 2.0)
    with pytest.raises(RuntimeError, match=r"\(3,\).*\(2,\)"):
        (x * 2.0).backward(np.ones(3))


def test_backward_on_tensor_without_grad_says_so():
    with pytest.raises(RuntimeError, match="does not require grad"):
        tnn.tensor([1.0]).sum().backward()


def test_no_grad_records_nothing_and_works_as_decorator():
    x = leaf(1.0)
    with tnn.no_grad():
        y = x * 2.0
    assert not y.requires_grad and y.grad_fn is None

    @tnn.no_grad()
    def f(t):
        return t * 2.0

    assert not f(x).requires_grad
    assert tnn.is_grad_enabled()


def test_enable_grad_inside_no_grad():
    x = leaf(1.0)
    with tnn.no_grad():
        with tnn.enable_grad():
            y = x * 2.0
    assert y.requires_grad


def test_grad_returns_gradients_without_touching_dot_grad():
    x, y = leaf(1.0, 2.0), leaf(3.0)
    gx, gy = tnn.grad((x * y).sum(), [x, y])
    np.testing.assert_allclose(gx.numpy(), [3.0, 3.0])
    np.testing.assert_allclose(gy.numpy(), [3.0])
    assert x.grad is None and y.grad is None


def test_grad_of_an_intermediate_tensor():
    x = leaf(2.0)
    h = x * x
    (gh,) = tnn.grad((h * h).sum(), h)
    assert gh.item() == pytest.approx(2 * 4.0)


def test_grad_runs_only_the_nodes_on_a_path_to_its_inputs():
    x, w = leaf(1.0), leaf(1.0)
    ran = []
    w.register_hook(lambda g: ran.append("w"))
    h = x * 3
    h.register_hook(lambda g: ran.append("h"))
    e = w.exp()
    y = (e + h * h).sum()
    e.mul_(2)  # ExpBackward refuses now, but grad(y, h) never needs it
    (gh,) = tnn.grad(y, h, retain_graph=True)
    assert gh.item() == 6.0 and ran == ["h"]
    (gx,) = tnn.grad(y, x, retain_graph=True)
    assert gx.item() == 18.0 and ran == ["h", "h"]
    with pytest.raises(RuntimeError, match="ExpBackward"):
        tnn.grad(y, w)


def test_grad_with_unused_input_raises_unless_allowed():
    x, z = leaf(1.0), leaf(1.0)
    with pytest.raises(RuntimeError, match="not used"):
        tnn.grad((x * 2.0).sum(), [x, z])
    gx, gz = tnn.grad((x * 2.0).sum(), [x, z], allow_unused=True)
    assert gz is None and gx.item() == 2.0


def test_hessian_vector_product_with_create_graph():
    # f(x) = sum(x^3): H = diag(6x), so H v = 6 x v
    x = leaf(1.0, -2.0, 0.5)
    v = tnn.tensor([1.0, 2.0, 3.0], dtype=tnn.float64)
    (g,) = tnn.grad((x**3).sum(), x, create_graph=True)
    (hv,) = tnn.grad((g * v).sum(), x)
    np.testing.assert_allclose(hv.numpy(), 6 * x.data * v.data)


def test_backward_create_graph_makes_grad_differentiable():
    x = leaf(0.3)
    (x.tanh()).sum().backward(create_graph=True)
    g1 = x.grad
    assert g1.requires_grad
    x.grad = None
    g1.sum().backward()
    t = np.tanh(0.3)
    assert x.grad.item() == pytest.approx(-2 * t * (1 - t * t))


def test_leaf_hook_can_replace_gradient():
    x = leaf(1.0, 2.0)
    x.register_hook(lambda g: g * 0.0 + 5.0)
    (x * 3.0).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [5.0, 5.0])


def test_hook_handle_removes_hook():
    x = leaf(1.0)
    calls = []
    handle = x.register_hook(lambda g: calls.append(1))
    handle.remove()
    (x * 2.0).sum().backward()
    assert calls == []


def test_inplace_change_of_saved_input_is_detected():
    w = leaf(1.0, 2.0)
    x = tnn.tensor([3.0, 4.0], dtype=tnn.float64)
    y = (w * x).sum()
    x.add_(1.0)
    with pytest.raises(
        RuntimeError, match="inplace.*input 1 of MulBackward, is at version 1; expected version 0"
    ):
        y.backward()


def test_inplace_on_leaf_requiring_grad_needs_no_grad():
    w = leaf(1.0)
    with pytest.raises(RuntimeError, match="add_"):
        w.add_(1.0)
    with tnn.no_grad():
        w.add_(1.0)
    assert w.item() == 2.0


def test_detect_anomaly_names_the_backward_that_returned_nan():
    x = leaf(-1.0)
    with tnn.detect_anomaly():
        y = x.sqrt()  # NaN forward is not checked, as in PyTorch
        with pytest.raises(RuntimeError, match="'SqrtBackward' returned nan values in its 0th"):
            y.backward()


def test_detect_anomaly_lets_infinities_through():
    x = leaf(0.0)
    with tnn.detect_anomaly():
        y = x.log()  # -inf forward; d sqrt/dx at 0 is inf: PyTorch raises for neither
        y.backward()
        x.grad = None
        x.sqrt().sum().backward()
    assert x.grad.item() == float("inf")


def test_float32_gradient_stays_float32_through_a_float64_cast():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    (x.double() * 2.0).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0])


def test_graph_is_freed_when_output_is_dropped():
    import weakref

    x = leaf(1.0)
    y = x.exp() * 2.0
    ref = weakref.ref(y.grad_fn)
    del y
    gc.collect()
    assert ref() is None


def test_grad_never_aliases_the_gradient_passed_to_backward():
    x = leaf(1.0, 2.0)
    seed = tnn.tensor([1.0, 1.0], dtype=tnn.float64)
    (x + 0.0).backward(seed)
    seed.mul_(5.0)
    assert x.grad.tolist() == [1.0, 1.0]


def test_retained_grad_and_leaf_grad_are_separate_arrays():
    x = leaf(1.0)
    y = x + 0.0
    y.retain_grad()
    (y + 0.0).sum().backward()
    y.grad.zero_()
    assert x.grad.item() == 1.0


def test_inplace_change_of_a_saved_output_is_detected():
    x = leaf(1.0)
    y = x.exp()
    with tnn.no_grad():
        y.add_(100.0)
    with pytest.raises(RuntimeError, match="inplace.*the output of ExpBackward, is at version 1"):
        y.sum().backward()


def test_inplace_change_through_detach_is_detected_both_ways():
    w = leaf(1.0)
    x = leaf(2.0)
    y = (w * x).sum()
    w.detach().mul_(10.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()
    d = x.detach()
    z = (w * d).sum()
    with tnn.no_grad():
        x.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.backward()


def test_grad_mode_switches_reused_nested_bare_and_on_generators():
    x = leaf(1.0)
    ng = tnn.no_grad()
    with ng:
        with ng:
            pass
        assert not tnn.is_grad_enabled()
    assert tnn.is_grad_enabled()

    @tnn.no_grad
    def bare(t):
        return t * 2.0

    @tnn.no_grad()
    def gen(t):
        yield t * 2.0
        yield t * 3.0

    assert not bare(x).requires_grad
    assert [y.requires_grad for y in gen(x)] == [False, False]
    assert tnn.is_grad_enabled()


def test_set_grad_enabled_as_call_context_and_decorator():
    tnn.set_grad_enabled(False)
    assert not tnn.is_grad_enabled()
    tnn.set_grad_enabled(True)
    with tnn.set_grad_enabled(False):
        assert not tnn.is_grad_enabled()
    assert tnn.is_grad_enabled()

    @tnn.set_grad_enabled(False)
    def f(t):
        return t * 2.0

    assert tnn.is_grad_enabled() and not f(leaf(1.0)).requires_grad


def test_views_share_version_with_their_base():
    w = leaf(1.0, 2.0, 3.0)
    a = tnn.ones(3, dtype=tnn.float64)
    y = (w * a).sum()
    a.reshape(3, 1).add_(10.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_optimizer_step_invalidates_graphs_that_saved_a_detached_weight():
    w = leaf(1.0, 2.0)
    x = leaf(3.0, 4.0)
    y = (x * w.detach()).sum()
    w.grad = tnn.ones(2, dtype=tnn.float64)
    tnn.optim.SGD([w], lr=0.1).step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_where_condition_and_index_are_copied():
    x = leaf(1.0, 2.0)
    c = tnn.tensor([True, True])
    y = tnn.where(c, x, 0.0).sum()
    c[0] = False
    y.backward()
    assert x.grad.tolist() == [1.0, 1.0]
    z = leaf(1.0, 2.0, 3.0)
    i = tnn.tensor([0, 1])
    s = z[i].sum()
    i[1] = 2
    s.backward()
    assert z.grad.tolist() == [1.0, 1.0, 0.0]


def test_np_array_of_a_tensor_is_a_copy():
    x = leaf(1.0)
    w = leaf(2.0)
    y = (x * w).sum()
    b = np.array(x.detach())
    b += 100
    y.backward()
    assert w.grad.item() == 1.0


def test_writing_a_grad_requiring_value_into_a_tensor_is_recorded():
    w = leaf(2.0)
    buf = tnn.zeros(3, dtype=tnn.float64)
    buf[1] = (w * w).sum()  # as PyTorch: buf joins the graph
    assert not buf.is_leaf and buf.tolist() == [0.0, 4.0, 0.0]
    (buf * tnn.tensor([5.0, 7.0, 11.0], dtype=tnn.float64)).sum().backward()
    assert w.grad.item() == 28.0


def test_second_derivative_with_two_inputs_sharing_one_array():
    x = leaf(1.5)
    (g,) = tnn.grad((x * x.detach()).sum(), x, create_graph=True)
    assert g.item() == 1.5 and not g.requires_grad  # d/dx of x * const is the constant
    (g2,) = tnn.grad((x.detach() / x).sum(), x, create_graph=True)
    (h,) = tnn.grad(g2.sum(), x)
    assert h.item() == pytest.approx(2 * 1.5 / 1.5**3)


def test_logsumexp_without_keepdim_in_a_recorded_backward():
    x = tnn.randn(3, 4, dtype=tnn.float64, requires_grad=True)
    y = x.logsumexp(1)
    (g,) = tnn.grad(y.sum(), x, create_graph=True)
    (y.sum() + (g * g).sum()).backward()
    assert x.grad.shape == (3, 4)
    assert tt.check_gradgrad(lambda t: t.logsumexp(1), [x.detach().requires_grad_()])
    assert tt.check_gradgrad(lambda t: t.amax(1), [x.detach().requires_grad_()])


def test_relu_of_minus_infinity_and_pow_at_zero_have_no_nan():
    with np.errstate(all="raise"):
        assert tnn.tensor([-np.inf, 1.0]).relu().tolist() == [0.0, 1.0]
    x = leaf(0.0)
    (x**0.0).sum().backward()
    assert x.grad.item() == 0.0
    p = leaf(2.0)
    (tnn.tensor([0.0], dtype=tnn.float64) ** p).sum().backward()
    assert p.grad.item() == 0.0


def test_relu_gradient_is_zero_where_the_output_is_not_positive_even_for_inf_or_nan():
    # as PyTorch's threshold_backward: 0 where the output is <= 0 whatever flows back (no
    # NaN from 0 * inf), the gradient elsewhere, at a NaN input too
    x = tnn.tensor([np.nan, -1.0, 0.0, 2.0, -3.0, 1.0], requires_grad=True)
    x.relu().backward(tnn.tensor([1.0, np.inf, np.nan, 5.0, -np.inf, np.inf]))
    assert x.grad.tolist() == [1.0, 0.0, 0.0, 5.0, 0.0, np.inf]


def test_bool_tensor_with_int_counts():
    m = tnn.tensor([True, False])
    assert (m + 1).tolist() == [2, 1] and (m * 3).tolist() == [3, 0]


def test_grad_of_the_same_input_twice_and_distinct_results():
    x, y = leaf(1.0), leaf(2.0)
    gx1, gx2 = tnn.grad((x * 3.0).sum(), [x, x])
    assert gx1.item() == gx2.item() == 3.0
    a, b = tnn.grad((x + y).sum(), [x, y])
    a.zero_()
    assert b.item() == 1.0


def test_create_graph_grad_has_the_leaf_dtype():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    (x.double() ** 2).sum().backward(create_graph=True)
    assert x.grad.dtype == np.float32


def test_out_of_range_dims_are_index_errors():
    t = tnn.ones(2, 3)
    for call in (
        lambda: t.squeeze(5),
        lambda: t.unsqueeze(7),
        lambda: t.permute(0, 3),
        lambda: t.transpose(0, 4),
    ):
        with pytest.raises(IndexError, match="out of range"):
            call()
    with pytest.raises(ValueError, match="-1"):
        tnn.ones(3).expand(-1, 3)


def test_create_graph_gradients_of_two_leaves_are_distinct_tensors():
    a, b = leaf(1.0), leaf(2.0)
    (a + b).sum().backward(create_graph=True)
    assert a.grad is not b.grad and a.grad.item() == b.grad.item() == 1.0


def test_grad_with_create_graph_keeps_the_input_dtype():
    x = tnn.tensor([1.0, 2.0], requires_grad=True)
    (g,) = tnn.grad((x.double() ** 2).sum(), x, create_graph=True)
    assert g.dtype == np.float32


def test_broadcast_bias_gradient_is_a_fresh_array():
    b = leaf(0.5)
    (tnn.ones(3, 2, dtype=tnn.float64) * b).sum().backward()
    assert b.grad._data.flags.owndata and b.grad.item() == 6.0


def test_a_hook_may_change_the_gradient_of_a_full_sum_in_place():
    # the gradient of x.sum() is a broadcast of one number; PyTorch lets a hook write into it
    x = leaf(3.0, 4.0)
    x.register_hook(lambda g: g.mul_(2))
    a = leaf(1.0, 2.0)
    h = a * 1
    h.register_hook(lambda g: g.add_(1))
    x.sum().backward()
    h.sum().backward()
    np.testing.assert_array_equal(x.grad._data, [2.0, 2.0])
    np.testing.assert_array_equal(a.grad._data, [2.0, 2.0])


def test_the_seed_gradient_reaches_no_grad_or_hook_that_could_change_it():
    """backward() seeds a scalar with a read-only 1 made once: every .grad and hook argument
    that it reaches unchanged is a copy, so changing them in place changes nothing else."""
    x = tnn.tensor(2.0, requires_grad=True)
    x.backward()
    x.grad.add_(5)
    y = x * 1
    y.register_hook(lambda g: g.mul_(3))
    y.backward()  # the hook triples its gradient in place: 6 + 3
    (x + 0).backward()  # the 1 comes through + 0 unchanged: 9 + 1
    x.grad.add_(1)
    z = tnn.tensor(2.0, requires_grad=True)
    z.backward()
    assert z.grad.item() == 1.0 and x.grad.item() == 11.0
