"""nn.Module and containers behave as PyTorch's."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn


def mlp():
    tnn.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Dropout(0.5), nn.Linear(4, 2))


def test_parameters_registered_by_attribute_assignment_with_pytorch_keys():
    assert [k for k, _ in mlp().named_parameters()] == ["0.weight", "0.bias", "3.weight", "3.bias"]
    assert list(mlp().state_dict()) == ["0.weight", "0.bias", "3.weight", "3.bias"]


def test_linear_weight_and_bias_shapes_and_default_init_bound():
    layer = nn.Linear(100, 7)
    assert layer.weight.shape == (7, 100) and layer.bias.shape == (7,)
    bound = 1 / np.sqrt(100)
    assert (
        np.abs(layer.weight.numpy(force=True)).max() <= bound
        and np.abs(layer.bias.numpy(force=True)).max() <= bound
    )
    assert layer.weight.data.std() == pytest.approx(bound / np.sqrt(3), rel=0.1)


def test_linear_computes_x_wT_plus_b():
    layer = nn.Linear(3, 2)
    x = tnn.randn(5, 3)
    np.testing.assert_allclose(
        layer(x).data, x.data @ layer.weight.data.T + layer.bias.data, rtol=1e-6
    )


def test_linear_without_bias():
    layer = nn.Linear(3, 2, bias=False)
    assert layer.bias is None and [k for k, _ in layer.named_parameters()] == ["weight"]


def test_linear_rejects_wrong_feature_count_naming_both_shapes():
    with pytest.raises(ValueError, match=r"5 features.*\(2, 5\).*expects 3.*\(4, 3\)"):
        nn.Linear(3, 4)(tnn.ones(2, 5))


def test_unknown_attribute_raises_attribute_error():
    with pytest.raises(AttributeError, match="'Linear' object has no attribute 'wieght'"):
        _ = nn.Linear(2, 2).wieght


def test_children_modules_and_repr():
    m = mlp()
    assert len(list(m.children())) == 4 and len(list(m.modules())) == 5
    assert "(0): Linear(in_features=3, out_features=4, bias=True)" in repr(m)
    assert "(2): Dropout(p=0.5, inplace=False)" in repr(m)


def test_train_and_eval_set_the_flag_on_every_submodule():
    m = mlp().eval()
    assert not any(x.training for x in m.modules())
    assert all(x.training for x in m.train().modules())


def test_zero_grad_sets_gradients_to_none():
    m = mlp()
    m(tnn.randn(2, 3)).sum().backward()
    assert all(p.grad is not None for p in m.parameters())
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())


def test_state_dict_round_trip_keeps_parameter_identity():
    a, b = mlp(), nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Dropout(0.5), nn.Linear(4, 2))
    w = b[0].weight
    b.load_state_dict(a.state_dict())
    assert b[0].weight is w
    np.testing.assert_array_equal(w.data, a[0].weight.data)


def test_load_state_dict_names_mismatched_key_and_shapes():
    sd = mlp().state_dict()
    sd["0.weight"] = tnn.zeros(5, 3)
    with pytest.raises(ValueError, match=r"0\.weight.*\(5, 3\).*\(4, 3\)"):
        mlp().load_state_dict(sd)


def test_load_state_dict_names_missing_and_unexpected_keys():
    sd = mlp().state_dict()
    sd["extra"] = sd.pop("3.bias")
    with pytest.raises(KeyError, match=r"3\.bias.*extra"):
        mlp().load_state_dict(sd)


def test_double_and_float_convert_parameters_in_place():
    m = mlp()
    p = m[0].weight
    m.double()
    assert p.dtype == np.float64 and m[0].weight is p
    assert m(tnn.randn(2, 3, dtype=tnn.float64)).dtype == np.float64
    assert m.float()[0].weight.dtype == np.float32


def test_shared_parameters_are_listed_once():
    layer = nn.Linear(2, 2)
    assert len(list(nn.Sequential(layer, layer).parameters())) == 2


def test_forward_hook_sees_output_and_can_be_removed():
    m = mlp()
    seen = []
    handle = m[0].register_forward_hook(lambda mod, inp, out: seen.append(out.shape))
    m(tnn.randn(2, 3))
    handle.remove()
    m(tnn.randn(2, 3))
    assert seen == [(2, 4)]


def test_module_list_registers_parameters():
    ml = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 1)])
    assert [k for k, _ in ml.named_parameters()] == ["0.weight", "0.bias", "1.weight", "1.bias"]


def test_xavier_and_he_init_have_the_right_variance():
    w = nn.Parameter(np.zeros((400, 300), np.float32))
    nn.init.xavier_uniform_(w)
    assert w.detach().numpy().var() == pytest.approx(2 / 700, rel=0.05)
    nn.init.kaiming_normal_(w, nonlinearity="relu")
    assert w.detach().numpy().var() == pytest.approx(2 / 300, rel=0.05)
    nn.init.xavier_normal_(w, gain=nn.init.calculate_gain("tanh"))
    assert w.detach().numpy().var() == pytest.approx((5 / 3) ** 2 * 2 / 700, rel=0.05)


def test_two_forward_hooks_and_remove_then_add():
    layer = nn.Linear(2, 2)
    calls = []

    def hook(m, i, o):
        calls.append(1)

    first = layer.register_forward_hook(hook)
    layer.register_forward_hook(hook)
    first.remove()
    layer.register_forward_hook(hook)
    layer(tnn.ones(1, 2))
    assert calls == [1, 1]


def test_forward_hook_can_replace_the_output():
    layer = nn.Linear(2, 2)
    layer.register_forward_hook(lambda m, i, o: o * 0.0)
    assert layer(tnn.ones(1, 2)).tolist() == [[0.0, 0.0]]


def test_buffer_stays_a_buffer_when_reassigned():
    m = nn.Module()
    m.register_buffer("running", tnn.zeros(3))
    m.running = tnn.ones(3)
    assert list(m.state_dict()) == ["running"] and m.state_dict()["running"].tolist() == [1.0] * 3


def test_state_dict_lists_shared_modules_under_every_path_as_pytorch():
    layer = nn.Linear(2, 2)
    tied = nn.Sequential(layer, layer)
    assert list(tied.state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias"]
    tied.load_state_dict(tied.state_dict())  # and loads back
    assert len(list(tied.parameters())) == 2


def test_sequential_slice_keeps_the_names():
    assert list(mlp()[3:].state_dict()) == ["3.weight", "3.bias"]


def test_to_accepts_dtype_strings_and_device_cpu():
    m = mlp()
    assert m.to("float64")[0].weight.dtype == np.float64
    assert m.to("cpu")[0].weight.dtype == np.float64
    with pytest.raises(TypeError, match="int64"):
        m.to("int64")


def test_load_state_dict_non_strict_reports_the_keys():
    sd = mlp().state_dict()
    sd.pop("3.bias")
    result = mlp().load_state_dict(sd, strict=False)
    assert result.missing_keys == ["3.bias"] and result.unexpected_keys == []


def test_linear_with_zero_inputs_is_allowed():
    assert nn.Linear(0, 3)(tnn.zeros(2, 0)).shape == (2, 3)


def test_module_list_slice_keeps_names():
    ml = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 1)])
    assert list(ml[1:].state_dict()) == ["1.weight", "1.bias"] and len(ml) == 2


def test_backward_hooks_see_the_module_gradients_and_go_when_removed():
    layer = nn.Linear(2, 1)
    with tnn.no_grad():
        layer.weight.copy_(tnn.tensor([[2.0, -3.0]]))
    seen = []
    handle = layer.register_full_backward_hook(
        lambda m, grad_input, grad_output: seen.append(
            (grad_input[0].tolist(), grad_output[0].tolist())
        )
    )
    x = tnn.ones(1, 2, requires_grad=True)
    (layer(x) * 5).sum().backward()
    assert seen == [([[10.0, -15.0]], [[5.0]])]
    handle.remove()
    assert not layer._wrapped
    layer(x).sum().backward()
    assert len(seen) == 1


def test_forward_pre_hook_replaces_the_arguments():
    layer = nn.Identity()
    layer.register_forward_pre_hook(lambda m, args: args[0] + 1)  # one value: the only argument
    assert layer(tnn.zeros(2)).tolist() == [1.0, 1.0]


def test_to_replaces_buffers_and_converts_gradients_as_pytorch():
    """Parameters change dtype in place with their .grad; a buffer is replaced by a converted
    copy, so the caller's tensor (a loss's weight) keeps its dtype (torch's Module._apply)."""
    w = tnn.tensor([2.0, 0.5])
    loss = nn.CrossEntropyLoss(weight=w).double()
    assert w.dtype == np.float32 and loss.weight.dtype == np.float64
    m = mlp()
    m(tnn.randn(2, 3)).sum().backward()
    p, before = m[0].weight, m[0].weight.grad.numpy()
    m.double()
    assert m[0].weight is p and p.grad.dtype == np.float64
    np.testing.assert_array_equal(p.grad.numpy(), before)
