r"""The element weights of the binary cross-entropies (``weight``, ``pos_weight``) and the
``weight`` buffers of the loss modules: gradients equal central differences in float64 for
drawn shapes, each weight of a shape that broadcasts to the input's (tt.check_grad, every
element, a random upstream gradient); the logits loss equals its defining formula
$-w[p\,t\log\sigma(z) + (1-t)\log(1-\sigma(z))]$ and stays finite for huge logits; weights
of a wrong shape or type are refused with errors naming them."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
import tinygrad_nn.nn as nn
import tinygrad_nn.nn.functional as F
from tinygrad_nn import testing as tt

REDUCTIONS = st.sampled_from(["mean", "sum", "none"])
#: probabilities clear of 0 and 1, where the finite differences would leave [0, 1]
INSIDE = st.floats(0.05, 0.95)


@st.composite
def weight_shapes(draw, shape):
    """Shapes that broadcast to ``shape``: some of its trailing axes, each kept or of size 1."""
    kept = draw(st.integers(0, len(shape)))
    return tuple(draw(st.sampled_from([1, side])) for side in shape[len(shape) - kept :])


@given(tt.shapes(), REDUCTIONS, st.data())
def test_binary_cross_entropy_gradient_with_a_broadcast_weight(shape, reduction, data):
    y, t = (data.draw(tt.tensors(shape, elements=INSIDE)) for _ in range(2))
    w = data.draw(tt.tensors(weight_shapes(shape)))

    def fn(y, t, w):
        return F.binary_cross_entropy(y, t, w, reduction=reduction)

    assert tt.check_grad(fn, [y, t, w])


@given(tt.shapes(), REDUCTIONS, st.data())
def test_binary_cross_entropy_with_logits_gradient_with_broadcast_weights(shape, reduction, data):
    z = data.draw(tt.tensors(shape, elements=tt.REAL.map(lambda v: v * 3)))
    t = data.draw(tt.tensors(shape, elements=st.floats(0.0, 1.0)))
    w = data.draw(tt.tensors(weight_shapes(shape)))
    p = data.draw(tt.tensors(weight_shapes(shape), elements=tt.POSITIVE))

    def fn(z, t, w, p):
        return F.binary_cross_entropy_with_logits(z, t, w, reduction=reduction, pos_weight=p)

    assert tt.check_grad(fn, [z, t, w, p])


@given(tt.shapes(min_dims=1), st.data())
def test_binary_cross_entropy_with_logits_is_its_defining_formula(shape, data):
    z, t = (
        data.draw(tt.arrays(shape, elements=e))
        for e in (st.floats(-20.0, 20.0), st.floats(0.0, 1.0))
    )
    w = data.draw(tt.arrays(weight_shapes(shape)))
    p = data.draw(tt.arrays(weight_shapes(shape), elements=tt.POSITIVE))
    log_sigma, log_one_minus_sigma = -np.logaddexp(0, -z), -np.logaddexp(0, z)  # accurate
    expected = -w * (p * t * log_sigma + (1 - t) * log_one_minus_sigma)
    loss = F.binary_cross_entropy_with_logits(
        tnn.from_numpy(z),
        tnn.from_numpy(t),
        tnn.from_numpy(w),
        reduction="none",
        pos_weight=tnn.from_numpy(p),
    )
    np.testing.assert_allclose(loss.numpy(), expected, rtol=1e-9, atol=1e-12)


def test_binary_cross_entropy_with_logits_is_finite_for_huge_logits():
    z = tnn.tensor([-1e30, -1e4, 1e4, 1e30], dtype=tnn.float64, requires_grad=True)
    t = tnn.tensor([1.0, 1.0, 0.0, 0.0], dtype=tnn.float64)
    loss = F.binary_cross_entropy_with_logits(
        z, t, reduction="none", pos_weight=tnn.tensor(3.0, dtype=tnn.float64)
    )
    np.testing.assert_allclose(loss.detach().numpy(), [3e30, 3e4, 1e4, 1e30], rtol=1e-15)
    loss.sum().backward()
    np.testing.assert_array_equal(z.grad.numpy(), [-3.0, -3.0, 1.0, 1.0])


def test_a_weight_rescales_each_elements_loss():
    y, t = tnn.tensor([[0.2, 0.7], [0.9, 0.4]]), tnn.tensor([[0.0, 1.0], [1.0, 1.0]])
    w = tnn.tensor([2.0, 0.5])
    plain = F.binary_cross_entropy(y, t, reduction="none")
    weighted = F.binary_cross_entropy(y, t, w, reduction="none")
    np.testing.assert_allclose(weighted.numpy(), plain.numpy() * [2.0, 0.5], rtol=1e-6)
    assert F.binary_cross_entropy(y, t, w).item() == pytest.approx(weighted.mean().item())


def test_pos_weight_scales_only_the_positive_targets_part():
    z, t = tnn.tensor([[0.3, -1.2]]), tnn.tensor([[1.0, 0.0]])
    plain = F.binary_cross_entropy_with_logits(z, t, reduction="none")
    weighted = F.binary_cross_entropy_with_logits(
        z, t, reduction="none", pos_weight=tnn.tensor([4.0, 4.0])
    )
    np.testing.assert_allclose(weighted.numpy(), plain.numpy() * [[4.0, 1.0]], rtol=1e-6)


@pytest.mark.parametrize("kwargs", [dict(size_average=False), dict(reduce=False)])
@pytest.mark.parametrize(
    "loss", [F.binary_cross_entropy, F.binary_cross_entropy_with_logits], ids=lambda f: f.__name__
)
def test_the_legacy_reduction_arguments_warn_and_apply(loss, kwargs):
    y, t = tnn.tensor([0.2, 0.7]), tnn.tensor([0.0, 1.0])
    with pytest.warns(UserWarning, match="size_average and reduce"):
        legacy = loss(y, t, **kwargs)
    expected = loss(y, t, reduction="sum" if "size_average" in kwargs else "none")
    np.testing.assert_array_equal(legacy.numpy(), expected.numpy())


# -- the modules' buffers ------------------------------------------------------------------------

WEIGHTED = {
    "NLLLoss": lambda w: nn.NLLLoss(w),
    "CrossEntropyLoss": lambda w: nn.CrossEntropyLoss(w),
    "BCELoss": lambda w: nn.BCELoss(w),
    "BCEWithLogitsLoss": lambda w: nn.BCEWithLogitsLoss(w, pos_weight=None if w is None else w * 2),
}


@pytest.mark.parametrize("name", sorted(WEIGHTED))
def test_loss_weights_are_buffers_in_state_dict_that_follow_double(name):
    w = tnn.tensor([0.5, 2.0])
    loss = WEIGHTED[name](w)
    names = ["weight", "pos_weight"] if name == "BCEWithLogitsLoss" else ["weight"]
    assert list(loss.state_dict()) == names == [n for n, _ in loss.named_buffers()]
    assert loss.weight is w
    assert WEIGHTED[name](None).state_dict() == {}
    loss.double()
    assert [str(b.dtype) for b in loss.buffers()] == ["float64"] * len(names)


def test_a_loss_module_computes_with_its_buffers_after_double():
    z = tnn.tensor([[0.3, -1.2]], dtype=tnn.float64)
    t = tnn.tensor([[1.0, 0.0]], dtype=tnn.float64)
    w, p = tnn.tensor([2.0, 0.5]), tnn.tensor([3.0, 1.5])
    loss = nn.BCEWithLogitsLoss(w, reduction="sum", pos_weight=p).double()(z, t)
    expected = F.binary_cross_entropy_with_logits(
        z, t, w.double(), reduction="sum", pos_weight=p.double()
    )
    assert loss.item() == expected.item()


# -- hostile inputs --------------------------------------------------------------------------------

Y, T = tnn.tensor([[0.2, 0.7, 0.5]]), tnn.tensor([[0.0, 1.0, 1.0]])
CALLS = {
    "binary_cross_entropy": lambda **kw: F.binary_cross_entropy(Y, T, **kw),
    "binary_cross_entropy_with_logits": lambda **kw: F.binary_cross_entropy_with_logits(Y, T, **kw),
    "BCELoss": lambda **kw: nn.BCELoss(**kw)(Y, T),
    "BCEWithLogitsLoss": lambda **kw: nn.BCEWithLogitsLoss(**kw)(Y, T),
}
WEIGHT_NAMES = [
    (call, name)
    for call in CALLS
    for name in (("weight", "pos_weight") if "ogits" in call else ("weight",))
]


@pytest.mark.parametrize("shape", [(2,), (4, 1), (2, 1, 3)])
@pytest.mark.parametrize(("call", "name"), WEIGHT_NAMES)
def test_a_weight_that_does_not_broadcast_to_the_input_is_refused(call, name, shape):
    """Also one that broadcasts with the input only to a larger shape, as PyTorch's."""
    expected = rf"{name} of shape \({', '.join(map(str, shape))},?\) must broadcast to the "
    with pytest.raises(RuntimeError, match=expected + r"input's shape \(1, 3\)"):
        CALLS[call](**{name: tnn.ones(*shape)})


@pytest.mark.parametrize(("call", "name"), WEIGHT_NAMES)
def test_a_weight_that_is_not_a_tensor_is_refused(call, name):
    match = (
        rf"'list' object to buffer '{name}'"
        if call[0].isupper()
        else rf"{name} must be a Tensor or None, got list"
    )
    with pytest.raises(TypeError, match=match):
        CALLS[call](**{name: [1.0, 2.0, 3.0]})


@pytest.mark.parametrize(
    "loss", [F.binary_cross_entropy, F.binary_cross_entropy_with_logits], ids=lambda f: f.__name__
)
def test_a_reduction_passed_where_the_weight_goes_says_to_name_it(loss):
    with pytest.raises(TypeError, match=r"got str 'sum' \(pass the reduction by name"):
        loss(Y, T, "sum")


def test_binary_cross_entropy_checks_the_weight_before_the_values():
    with pytest.raises(RuntimeError, match="weight of shape"):
        F.binary_cross_entropy(tnn.tensor([1.5]), tnn.tensor([1.0]), tnn.ones(2))


def test_a_nan_weight_gives_a_nan_loss_not_an_error():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = F.binary_cross_entropy(Y, T, tnn.tensor([1.0, math.nan, 1.0]), reduction="none")
    assert np.isnan(loss.numpy()).tolist() == [[False, True, False]]
