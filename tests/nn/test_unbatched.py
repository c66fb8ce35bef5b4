"""Convolution, pooling, unfolding and folding take an unbatched input (C, *spatial) as
PyTorch does: the result is the batched one's for a batch of one, without the batch axis,
and gradients flow (central differences in float64)."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn
from tinygrad_nn import testing as tt
from tinygrad_nn.nn import functional as F

rng = np.random.default_rng(0)
W2, W1, WT = (rng.standard_normal(s) for s in [(4, 2, 3, 2), (3, 2, 2), (2, 3, 2, 2)])

# name -> (function of the input, unbatched input shape)
CALLS = {
    "conv2d": (lambda x: F.conv2d(x, tnn.from_numpy(W2), stride=2, padding=1), (2, 5, 4)),
    "conv1d": (lambda x: F.conv1d(x, tnn.from_numpy(W1), padding="same"), (2, 5)),
    "conv_transpose2d": (lambda x: F.conv_transpose2d(x, tnn.from_numpy(WT), stride=2), (2, 3, 2)),
    "max_pool2d": (lambda x: F.max_pool2d(x, 2, 1, 1), (2, 4, 3)),
    "max_pool1d": (lambda x: F.max_pool1d(x, 3, 2, ceil_mode=True), (2, 6)),
    "avg_pool2d": (lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False), (2, 5, 4)),
    "avg_pool1d": (lambda x: F.avg_pool1d(x, 2), (3, 5)),
    "adaptive_avg_pool2d": (lambda x: F.adaptive_avg_pool2d(x, (2, 3)), (2, 5, 4)),
    "adaptive_avg_pool1d": (lambda x: F.adaptive_avg_pool1d(x, 2), (3, 5)),
    "unfold": (lambda x: F.unfold(x, 2, padding=1), (2, 3, 3)),
    "fold": (lambda x: F.fold(x, (3, 4), 2), (8, 6)),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_unbatched_result_is_the_batch_of_ones_without_its_batch_axis(name):
    fn, shape = CALLS[name]
    x = tnn.from_numpy(rng.permutation(np.prod(shape)).reshape(shape) / 7.0)  # no ties
    batched = fn(x.unsqueeze(0))[0]
    out = fn(x)
    assert out.shape == batched.shape
    np.testing.assert_allclose(out.numpy(), batched.numpy(), rtol=1e-12)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_unbatched_gradient_matches_finite_differences(name):
    fn, shape = CALLS[name]
    x = tnn.tensor(rng.permutation(np.prod(shape)).reshape(shape) / 7.0, requires_grad=True)
    assert tt.check_grad(fn, [x])


def test_max_pool_indices_of_an_unbatched_input_unpool_it():
    x = tnn.from_numpy(rng.standard_normal((3, 4, 4)))
    y, index = nn.MaxPool2d(2, return_indices=True)(x)
    assert y.shape == index.shape == (3, 2, 2)
    restored = nn.MaxUnpool2d(2)(y, index)
    assert restored.shape == x.shape and (restored.numpy() != 0).sum() == 12


def test_conv_layers_take_unbatched_input_in_every_padding_mode():
    x = tnn.randn(2, 6)
    for mode in ("zeros", "reflect", "replicate", "circular"):
        conv = nn.Conv1d(2, 3, 3, padding=1, padding_mode=mode)
        assert conv(x).shape == (3, 6)
        np.testing.assert_allclose(conv(x).detach().numpy(), conv(x[None])[0].detach().numpy())


@pytest.mark.parametrize(
    "call, shape, error",
    [
        (lambda x: F.max_pool2d(x, 3), (2, 1, 1), RuntimeError),
        (lambda x: nn.AvgPool1d(3)(x), (2, 1), RuntimeError),
        (lambda x: F.conv2d(x, tnn.ones(1, 3, 2, 2)), (2, 4, 4), ValueError),
        (lambda x: F.conv2d(x, tnn.ones(1, 2, 5, 5)), (2, 4, 4), RuntimeError),
        (lambda x: nn.Conv1d(2, 1, 2, dilation=4)(x), (2, 4), RuntimeError),
        (lambda x: F.unfold(x, 5), (2, 4, 4), RuntimeError),
        (lambda x: F.fold(x, (3, 3), 2), (3, 4), ValueError),
    ],
    ids=[
        "max_pool2d",
        "AvgPool1d",
        "conv2d_channels",
        "conv2d_kernel",
        "Conv1d_dilated_kernel",
        "unfold_kernel",
        "fold",
    ],
)
def test_errors_name_the_unbatched_shape_given_not_the_batch_of_one(call, shape, error):
    with pytest.raises(error) as info:
        call(tnn.ones(*shape))
    assert str(shape) in str(info.value) and str((1, *shape)) not in str(info.value)
