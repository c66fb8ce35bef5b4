"""What 3-d and segmentation programs need: ``cross_entropy`` / ``nll_loss`` of PyTorch's
K-dimensional form (input (N, C, d1, ..., dK), one class per position) and ``BatchNorm3d`` /
``InstanceNorm3d``. Gradients against central finite differences (float64, Hypothesis), the
K-d loss against the same loss of the flattened rows, and the errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_nn as tnn
from tinygrad_nn import nn
from tinygrad_nn import testing as tt
from tinygrad_nn.nn import functional as F

QUICK = settings(max_examples=15)
REDUCTIONS = ("mean", "sum", "none")


@st.composite
def k_dimensional(draw):
    """Logits (N, C, d1, ..., dK) with K in 1..3, class indices (N, d1, ..., dK) holding some
    ignore_index -1 (never all), probabilities of the logits' shape and the options."""
    n, c, k = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    positions = draw(hnp.array_shapes(min_dims=k, max_dims=k, max_side=2))
    z = draw(tt.tensors((n, c, *positions)))
    idx = draw(tt.arrays((n, *positions), np.int64, st.integers(-1, c - 1)))
    idx.flat[0] = c - 1  # one counted position: a mean over none is NaN
    probs = draw(tt.tensors((n, c, *positions), elements=st.floats(0.0, 1.0)))
    weight = draw(st.none() | tt.arrays((c,), elements=tt.POSITIVE).map(tnn.from_numpy))
    options = dict(
        weight=weight,
        ignore_index=-1,
        reduction=draw(st.sampled_from(REDUCTIONS)),
    )
    return z, tnn.from_numpy(idx), probs, options, draw(st.sampled_from([0.0, 0.3]))


def _rows(z):
    """(N, C, d1, ..., dK) as the (M, C) rows, by hand."""
    return np.moveaxis(z, 1, -1).reshape(-1, z.shape[1])


# -- gradients (Hypothesis, float64) --------------------------------------------------------


@QUICK
@given(k_dimensional())
def test_cross_entropy_of_class_indices_gradient_matches_finite_differences(case):
    z, idx, _, options, smoothing = case
    assert tt.check_grad(
        lambda a: F.cross_entropy(a, idx, label_smoothing=smoothing, **options), [z]
    )


@QUICK
@given(k_dimensional())
def test_cross_entropy_of_probabilities_gradient_matches_finite_differences(case):
    z, _, probs, options, smoothing = case
    del options["ignore_index"]
    assert tt.check_grad(
        lambda a, t: F.cross_entropy(a, t, label_smoothing=smoothing, **options), [z, probs]
    )


@QUICK
@given(k_dimensional())
def test_nll_loss_gradient_matches_finite_differences(case):
    z, idx, _, options, _ = case
    assert tt.check_grad(lambda a: F.nll_loss(a.log_softmax(1), idx, **options), [z])


@QUICK
@given(st.integers(1, 3), st.booleans(), st.data())
def test_batch_norm_3d_gradient_matches_finite_differences(c, training, data):
    x = data.draw(tt.tensors((2, c, 2, 1, 2)))
    bn = nn.BatchNorm3d(c, momentum=None, dtype=tnn.float64)
    bn.weight.data.copy_(data.draw(tt.tensors((c,))))
    bn(x), bn(x * 2.0)  # running statistics for eval
    bn.train(training)
    assert tt.check_grad(bn, [x])
    w, b = data.draw(tt.tensors((c,))), data.draw(tt.tensors((c,)))
    assert tt.check_grad(lambda x, w, b: F.batch_norm(x, None, None, w, b, True), [x, w, b])


@QUICK
@given(st.integers(1, 3), st.booleans(), st.data())
def test_instance_norm_3d_gradient_matches_finite_differences(c, batched, data):
    x = data.draw(tt.tensors((2, c, 1, 2, 2) if batched else (c, 2, 2, 1)))
    norm = nn.InstanceNorm3d(c, affine=True, dtype=tnn.float64)
    norm.weight.data.copy_(data.draw(tt.tensors((c,))))
    assert tt.check_grad(norm, [x])


# -- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize("positions", [(3,), (2, 3), (2, 1, 3)])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_k_dimensional_loss_is_the_loss_of_the_flattened_rows(positions, reduction):
    rng = np.random.default_rng(len(positions))
    z = rng.standard_normal((2, 4, *positions))
    idx = rng.integers(0, 4, (2, *positions))
    idx.flat[1] = -100
    probs = rng.dirichlet(np.ones(4), (2, *positions))
    w = tnn.tensor([0.5, 1.0, 2.0, 1.5], dtype=tnn.float64)
    cases = [
        (F.cross_entropy, idx, idx.reshape(-1), dict(weight=w, label_smoothing=0.2)),
        (F.cross_entropy, np.moveaxis(probs, -1, 1), probs.reshape(-1, 4), {}),
        (F.nll_loss, idx, idx.reshape(-1), dict(weight=w)),
    ]
    for loss, t, flat_t, kw in cases:
        out = loss(tnn.from_numpy(z), tnn.from_numpy(t), reduction=reduction, **kw)
        rows = loss(tnn.from_numpy(_rows(z)), tnn.from_numpy(flat_t), reduction=reduction, **kw)
        expected = rows.numpy().reshape(2, *positions) if reduction == "none" else rows.numpy()
        assert out.shape == expected.shape
        np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)


def test_nll_loss_reads_only_the_target_class_of_log_probabilities():
    logp = tnn.tensor([[[0.0, -np.inf], [-np.inf, 0.0]]]).log_softmax(1)  # (1, 2, 2)
    loss = F.nll_loss(logp, tnn.tensor([[0, 1]]), tnn.tensor([1.0, 3.0]), reduction="none")
    assert loss.tolist() == [[0.0, 0.0]]


def test_loss_modules_take_pytorchs_positional_arguments():
    z = tnn.randn(2, 3, 4, 4)
    t = tnn.randint(0, 3, (2, 4, 4))
    w = tnn.tensor([1.0, 2.0, 0.5])
    ce = nn.CrossEntropyLoss(w, None, 1, None, "sum", 0.1)
    assert ce(z, t).item() == pytest.approx(
        F.cross_entropy(z, t, w, ignore_index=1, reduction="sum", label_smoothing=0.1).item()
    )
    nll = nn.NLLLoss(w, None, 2, None, "none")
    assert nll(z, t).shape == (2, 4, 4)
    assert nll(z, t).tolist() == F.nll_loss(z, t, w, ignore_index=2, reduction="none").tolist()
    with pytest.warns(UserWarning, match="reduction='sum'"):
        summed = nn.NLLLoss(w, size_average=False)(z, t)
    assert summed.item() == pytest.approx(F.nll_loss(z, t, w, reduction="sum").item())


def test_batch_norm_3d_running_statistics_and_eval():
    rng = np.random.default_rng(3)
    xs = [rng.standard_normal((2, 3, 2, 3, 2)) * (i + 1) + i for i in range(3)]
    bn = nn.BatchNorm3d(3, momentum=None, dtype=tnn.float64)
    for x in xs:
        bn(tnn.from_numpy(x))
    axes = (0, 2, 3, 4)
    np.testing.assert_allclose(bn.running_mean.numpy(), np.mean([x.mean(axes) for x in xs], 0))
    unbiased = np.mean([x.var(axes, ddof=1) for x in xs], 0)
    np.testing.assert_allclose(bn.running_var.numpy(), unbiased)
    assert int(bn.num_batches_tracked) == 3
    y = bn.eval()(tnn.from_numpy(xs[0])).detach().numpy()
    shape = (1, 3, 1, 1, 1)
    expected = (xs[0] - bn.running_mean.numpy().reshape(shape)) / np.sqrt(
        unbiased.reshape(shape) + 1e-5
    )
    np.testing.assert_allclose(y, expected)


# -- errors ---------------------------------------------------------------------------------


def _ones(*shape):
    return tnn.ones(*shape)


def _classes(*shape):
    return tnn.zeros(*shape, dtype=tnn.int64)


@pytest.mark.parametrize(
    "call, error, words",
    [  # PyTorch's types: another batch size a ValueError, other positions a RuntimeError
        (lambda: F.cross_entropy(_ones(2, 3, 4), _classes(3, 4)), ValueError, ["(3, 4)"]),
        (lambda: F.cross_entropy(_ones(2, 3, 4), _classes(2, 5)), RuntimeError, ["(2, 5)"]),
        (lambda: F.cross_entropy(_ones(2, 3, 4), _ones(2, 4, 3)), RuntimeError, ["(2, 4, 3)"]),
        (lambda: F.cross_entropy(_ones(2, 3, 4), _ones(2, 4)), RuntimeError, ["float32"]),
        (lambda: F.nll_loss(_ones(2, 3, 4), _ones(2, 3, 4)), RuntimeError, ["got (2, 3, 4)"]),
        (lambda: F.nll_loss(_ones(2, 3, 4), _classes(2, 4, 1)), RuntimeError, ["(2, 4, 1)"]),
        (lambda: F.nll_loss(_ones(2, 3, 4), _classes(2, 4) + 3), IndexError, ["class 3"]),
    ],
)
def test_k_dimensional_losses_refuse_bad_targets_naming_both_shapes(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in ["input shape (2, 3, 4)", *words] if error is not IndexError else words:
        assert word in str(info.value)


@pytest.mark.parametrize(
    "layer, shape",
    [
        (lambda: nn.BatchNorm3d(3), (2, 3, 4, 4)),
        (lambda: nn.InstanceNorm3d(3), (3, 4, 4)),
        (lambda: nn.InstanceNorm3d(3), (1, 2, 3, 2, 2, 2)),
    ],
)
def test_3d_norms_refuse_other_ranks(layer, shape):
    with pytest.raises(ValueError, match=r"5-D|4D or 5D"):
        layer()(tnn.ones(*shape))
