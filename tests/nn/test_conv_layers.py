"""The convolution, pooling, normalisation and embedding modules: shapes, parameters,
state_dict keys, initialisation, train/eval behaviour and errors, as PyTorch's."""

import math

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn
from tinygrad_nn.checks import ShapeError
from tinygrad_nn.nn import functional as F


def test_conv2d_output_shape_follows_the_size_formula():
    conv = nn.Conv2d(3, 8, kernel_size=(3, 5), stride=(2, 1), padding=(1, 2), dilation=(1, 2))
    y = conv(tnn.randn(2, 3, 11, 12))
    # floor((S + 2p - d(K-1) - 1)/s) + 1
    assert y.shape == (2, 8, (11 + 2 - 2 - 1) // 2 + 1, (12 + 4 - 8 - 1) // 1 + 1)


def test_conv2d_same_padding_keeps_the_size_even_for_even_kernels():
    conv = nn.Conv2d(2, 3, 4, padding="same", dilation=1)
    assert conv(tnn.randn(1, 2, 7, 6)).shape == (1, 3, 7, 6)


def test_conv_parameters_and_state_dict_keys_are_pytorchs():
    conv = nn.Conv2d(4, 6, 3, groups=2)
    assert conv.weight.shape == (6, 2, 3, 3) and conv.bias.shape == (6,)
    assert list(conv.state_dict()) == ["weight", "bias"]
    assert list(nn.Conv1d(2, 3, 3, bias=False).state_dict()) == ["weight"]
    assert nn.ConvTranspose2d(4, 6, 3, groups=2).weight.shape == (4, 3, 3, 3)


def test_conv_init_is_uniform_within_one_over_sqrt_fan_in():
    tnn.manual_seed(0)
    conv = nn.Conv2d(16, 32, 3)
    bound = 1 / math.sqrt(16 * 9)
    w, b = conv.weight.detach().numpy(), conv.bias.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert np.abs(b).max() <= bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.05 * bound


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: F.conv1d(tnn.ones(8), tnn.ones(2, 3, 3)), r"conv1d: .*2-D or 3-D.*\(8,\)"),
        (lambda: F.max_pool2d(tnn.ones(8, 8), 2), r"max_pool2d: .*3-D or 4-D.*\(8, 8\)"),
        (
            lambda: F.adaptive_avg_pool1d(tnn.ones(8), 2),
            r"adaptive_avg_pool1d: .*2-D or 3-D.*\(8,\)",
        ),
        (
            lambda: F.max_unpool2d(tnn.ones(2, 2), tnn.zeros(2, 2, dtype=tnn.int64), 2),
            r"max_unpool2d: .*3-D or 4-D.*\(2, 2\)",
        ),
    ],
    ids=["conv1d", "max_pool2d", "adaptive_avg_pool1d", "max_unpool2d"],
)
def test_input_of_the_wrong_rank_is_refused_naming_function_dims_and_shape(call, message):
    with pytest.raises(ShapeError, match=message):  # PyTorch's RuntimeError, and a ValueError
        call()


def test_pad_of_the_wrong_rank_is_torchs_not_implemented_naming_dims_and_shape():
    with pytest.raises(NotImplementedError, match=r"pad: .*2-D or 3-D.*\(4,\)"):
        F.pad(tnn.ones(4), (1, 1), mode="reflect")


def test_conv_rejects_wrong_input_rank_and_channels():
    conv = nn.Conv2d(3, 4, 3)
    with pytest.raises(ValueError, match="3-D or 4-D input"):
        conv(tnn.randn(8, 8))
    with pytest.raises(ValueError, match="has 2 channels.*expects 3"):
        F.conv2d(tnn.randn(1, 2, 8, 8), conv.weight)
    with pytest.raises(ValueError, match="divisible by groups"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="strided"):
        nn.Conv2d(3, 4, 3, stride=2, padding="same")


def test_conv_too_small_input_names_the_shapes():
    message = r"conv2d: input \(1, 1, 3, 3\), padded to spatial size \(3, 3\), is smaller than"
    with pytest.raises(RuntimeError, match=message + r" the kernel \(5, 5\)"):
        nn.Conv2d(1, 1, 5)(tnn.randn(1, 1, 3, 3))


def test_fold_to_an_output_smaller_than_the_kernel_names_both():
    with pytest.raises(RuntimeError, match=r"fold: output_size \(3, 3\).*kernel \(5, 5\)"):
        F.fold(tnn.ones(50, 1), (3, 3), 5)


def test_max_pool_returns_first_maximum_index_in_the_plane():
    x = tnn.tensor([[[[1.0, 3.0, 3.0, 0.0], [2.0, 3.0, -1.0, 5.0]]]])
    y, idx = nn.MaxPool2d(2, return_indices=True)(x)
    np.testing.assert_array_equal(y.numpy(), [[[[3.0, 5.0]]]])
    np.testing.assert_array_equal(idx.numpy(), [[[[1, 7]]]])


def test_max_pool_gradient_goes_to_the_first_maximum_only():
    x = tnn.tensor([[[[2.0, 2.0], [2.0, 1.0]]]], requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[[[1.0, 0.0], [0.0, 0.0]]]])


def test_max_unpool_puts_each_maximum_back_and_zeros_the_rest():
    x = tnn.tensor([[[[1.0, 3.0, 3.0, 0.0], [2.0, 3.0, -1.0, 5.0]]]])
    y, idx = nn.MaxPool2d(2, return_indices=True)(x)
    np.testing.assert_array_equal(
        nn.MaxUnpool2d(2)(y, idx).numpy(), [[[[0.0, 3.0, 0.0, 0.0], [0.0, 0.0, 0.0, 5.0]]]]
    )
    # output_size restores an odd side that pooling dropped
    y, idx = F.max_pool1d(tnn.tensor([[[4.0, 1.0, 2.0, 7.0, 9.0]]]), 2, return_indices=True)
    np.testing.assert_array_equal(
        F.max_unpool1d(y, idx, 2, output_size=(5,)).numpy(), [[[4.0, 0.0, 0.0, 7.0, 0.0]]]
    )
    empty = F.max_unpool2d(tnn.zeros(0, 1, 2, 2), tnn.zeros(0, 1, 2, 2, dtype=tnn.int64), 2)
    assert empty.shape == (0, 1, 4, 4)  # an empty batch is fine, as in PyTorch


def test_max_unpool_gradient_reads_the_upstream_gradient_at_each_index():
    v = tnn.tensor([[[[1.0, 2.0]]]], requires_grad=True)
    idx = tnn.tensor([[[[3, 3]]]])  # a repeated index: both values read its gradient
    y = F.max_unpool2d(v, idx, 2)
    assert y.shape == (1, 1, 2, 4)
    (y * tnn.arange(8.0).reshape(1, 1, 2, 4)).sum().backward()
    np.testing.assert_array_equal(v.grad.numpy(), [[[[3.0, 3.0]]]])


def test_pad_modes_read_the_border_from_the_input():
    x = tnn.tensor([[[0.0, 1.0, 2.0, 3.0]]])
    expected = {
        "reflect": [2, 1, 0, 1, 2, 3, 2],
        "replicate": [0, 0, 0, 1, 2, 3, 3],
        "circular": [2, 3, 0, 1, 2, 3, 0],
        "constant": [0, 0, 0, 1, 2, 3, 0],
    }
    for mode, row in expected.items():
        np.testing.assert_array_equal(F.pad(x, (2, 1), mode=mode).numpy(), [[row]], err_msg=mode)


def test_replicate_pad_gradient_adds_up_at_the_edges():
    x = tnn.tensor([[[1.0, 2.0, 3.0]]], requires_grad=True)
    F.pad(x, (3, 1), mode="replicate").sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[[4.0, 1.0, 2.0]]])


def test_conv_padding_mode_pads_the_input_then_convolves_without_padding():
    tnn.manual_seed(0)
    conv = nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode="circular")
    x = tnn.randn(1, 2, 5, 4)
    expected = F.conv2d(F.pad(x, (2, 2, 1, 1), mode="circular"), conv.weight, conv.bias)
    np.testing.assert_allclose(conv(x).detach().numpy(), expected.detach().numpy())
    assert list(conv.state_dict()) == ["weight", "bias"]
    assert "padding_mode=circular" in repr(conv)


def test_conv_padding_mode_errors_are_pytorchs():
    with pytest.raises(ValueError, match="padding_mode must be one of"):
        nn.Conv2d(1, 1, 3, padding_mode="mirror")
    with pytest.raises(ValueError, match="only padding_mode='zeros'"):
        nn.ConvTranspose2d(1, 1, 3, padding_mode="reflect")
    with pytest.raises(RuntimeError, match="smaller than the size 2"):
        nn.Conv1d(1, 1, 5, padding=2, padding_mode="reflect")(tnn.randn(1, 1, 2))


def test_avg_pool_and_adaptive_pool_average_their_windows():
    x = tnn.arange(16.0).reshape(1, 1, 4, 4)
    np.testing.assert_allclose(nn.AvgPool2d(2)(x).numpy(), [[[[2.5, 4.5], [10.5, 12.5]]]])
    np.testing.assert_allclose(nn.AdaptiveAvgPool2d(1)(x).numpy(), [[[[7.5]]]])
    np.testing.assert_allclose(nn.AdaptiveAvgPool2d((2, 2))(x).numpy(), nn.AvgPool2d(2)(x).numpy())


def test_batchnorm_tracks_running_statistics_in_training_only():
    tnn.manual_seed(0)
    bn = nn.BatchNorm2d(3, momentum=0.5)
    x = tnn.randn(8, 3, 4, 4) * 2 + 1
    y = bn(x)
    np.testing.assert_allclose(y.detach().numpy().mean((0, 2, 3)), 0, atol=1e-5)
    xs = x.numpy()
    np.testing.assert_allclose(bn.running_mean.numpy(), 0.5 * xs.mean((0, 2, 3)), rtol=1e-5)
    unbiased = xs.var((0, 2, 3), ddof=1)
    np.testing.assert_allclose(bn.running_var.numpy(), 0.5 + 0.5 * unbiased, rtol=1e-5)
    assert int(bn.num_batches_tracked.item()) == 1
    bn.eval()
    before = bn.running_mean.numpy().copy()
    bn(x)
    np.testing.assert_array_equal(bn.running_mean.numpy(), before)
    assert int(bn.num_batches_tracked.item()) == 1


def test_batchnorm_with_momentum_none_takes_the_cumulative_average():
    bn = nn.BatchNorm1d(2, momentum=None)
    a, b = tnn.tensor([[0.0, 1.0], [2.0, 3.0]]), tnn.tensor([[4.0, 5.0], [6.0, 7.0]])
    bn(a), bn(b)
    np.testing.assert_allclose(bn.running_mean.numpy(), [3.0, 4.0])


def test_batchnorm_without_tracking_has_no_buffers_and_uses_batch_stats():
    bn = nn.BatchNorm1d(2, track_running_stats=False, affine=False).eval()
    assert list(bn.state_dict()) == []
    y = bn(tnn.tensor([[0.0, 1.0], [2.0, 5.0]]))
    # batch variance 1 and 4 with eps 1e-5: (x - mean) / sqrt(var + eps)
    expected = [[-1 / np.sqrt(1 + 1e-5), -2 / np.sqrt(4 + 1e-5)]]
    np.testing.assert_allclose(y.numpy(), [expected[0], [-v for v in expected[0]]], rtol=1e-6)


def test_batchnorm_state_dict_keys_and_errors():
    bn = nn.BatchNorm2d(4)
    keys = ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    assert list(bn.state_dict()) == keys
    assert bn.num_batches_tracked.dtype == np.int64
    with pytest.raises(ValueError, match="4 channels"):
        bn(tnn.randn(2, 3, 2, 2))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        nn.BatchNorm1d(3)(tnn.randn(1, 3))


def test_layer_norm_and_group_norm_normalise_each_sample():
    x = tnn.randn(2, 4, 3) * 3 + 2
    y = nn.LayerNorm(3)(x).detach().numpy()
    np.testing.assert_allclose(y.mean(-1), 0, atol=1e-5)
    g = nn.GroupNorm(2, 4)(x).detach().numpy().reshape(2, 2, 6)
    xg = x.numpy().reshape(2, 2, 6)
    np.testing.assert_allclose(g.std(-1), np.sqrt(xg.var(-1) / (xg.var(-1) + 1e-5)), rtol=1e-5)
    assert list(nn.LayerNorm((4, 3)).state_dict()) == ["weight", "bias"]
    with pytest.raises(ValueError, match="divisible"):
        nn.GroupNorm(3, 4)


def test_embedding_looks_up_rows_and_zeroes_the_padding_row():
    emb = nn.Embedding(10, 3, padding_idx=0)
    np.testing.assert_array_equal(emb.weight.detach().numpy()[0], 0)
    y = emb(tnn.tensor([[1, 0], [9, 1]]))
    assert y.shape == (2, 2, 3)
    np.testing.assert_array_equal(y.detach().numpy()[0, 0], emb.weight.detach().numpy()[1])
    with pytest.raises(IndexError, match="out of range"):
        emb(tnn.tensor([10]))
    with pytest.raises(TypeError, match="integers"):
        emb(tnn.tensor([1.0]))


def test_dropout2d_zeroes_whole_channels_and_is_identity_in_eval():
    tnn.manual_seed(0)
    drop = nn.Dropout2d(0.5)
    y = drop(tnn.ones(4, 8, 3, 3)).numpy()
    per_channel = y.reshape(32, 9)
    assert set(np.unique(per_channel.std(1))) == {0.0}
    assert set(np.unique(y)) <= {0.0, 2.0} and 0 < (y == 0).mean() < 1
    drop.eval()
    np.testing.assert_array_equal(drop(tnn.ones(1, 2, 2, 2)).numpy(), 1)


def test_unflatten_inverts_flatten():
    x = tnn.randn(2, 12)
    y = nn.Unflatten(1, (3, 2, 2))(x)
    assert y.shape == (2, 3, 2, 2)
    np.testing.assert_array_equal(nn.Flatten()(y).numpy(), x.numpy())


def test_activations_have_their_formulas():
    x = tnn.tensor([-1.0, 0.5])
    np.testing.assert_allclose(nn.SiLU()(x).numpy(), x.numpy() / (1 + np.exp(-x.numpy())), 1e-6)
    np.testing.assert_allclose(nn.ELU(2.0)(x).numpy(), [2 * (np.exp(-1) - 1), 0.5], 1e-6)
    phi = np.array([0.15865525, 0.69146246])  # the standard normal cdf at -1 and 0.5
    np.testing.assert_allclose(nn.GELU()(x).numpy(), x.numpy() * phi, 1e-6)


def test_conv_transpose_output_size_formula():
    up = nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1)
    assert up(tnn.randn(1, 2, 5, 4)).shape == (1, 3, 10, 8)


def test_interpolate_nearest_repeats_pixels():
    x = tnn.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
    y = F.interpolate(x, scale_factor=2)
    np.testing.assert_array_equal(y.numpy()[0, 0], np.kron([[1, 2], [3, 4]], np.ones((2, 2))))
    with pytest.raises(ValueError, match="exactly one"):
        F.interpolate(x)


def test_adaptive_pool_of_an_empty_spatial_axis_is_refused_naming_it():
    with pytest.raises(RuntimeError, match=r"adaptive_avg_pool1d: .*\(2, 3, 0\) with axis 2 empty"):
        F.adaptive_avg_pool1d(tnn.ones(2, 3, 0), 2)
    with pytest.raises(RuntimeError, match=r"adaptive_avg_pool2d: .*\(3, 0, 4\) with axis 1 empty"):
        F.adaptive_avg_pool2d(tnn.ones(3, 0, 4), 2)


def test_adaptive_pool_of_an_empty_batch_or_channel_axis_is_empty():
    assert F.adaptive_avg_pool2d(tnn.ones(0, 3, 4, 4), 2).shape == (0, 3, 2, 2)
    assert F.adaptive_avg_pool1d(tnn.ones(2, 0, 5), 3).shape == (2, 0, 3)


def test_conv_transpose2d_without_output_cells_names_the_input_and_padding():
    message = r"conv_transpose2d: input \(2, 3, 3\) with padding \(2, 2\) .* \(0, 0\)"
    with pytest.raises(RuntimeError, match=message):
        F.conv_transpose2d(tnn.ones(2, 3, 3), tnn.ones(2, 4, 2, 2), padding=2)


def test_conv3d_and_transposed_convs_follow_the_size_formulas():
    conv = nn.Conv3d(2, 4, (3, 1, 2), stride=(2, 1, 1), padding=(1, 0, 1), groups=2)
    assert conv.weight.shape == (4, 1, 3, 1, 2)
    # floor((S + 2p - d(K-1) - 1)/s) + 1 per axis
    assert conv(tnn.randn(3, 2, 5, 4, 6)).shape == (3, 4, 3, 4, 7)
    up = nn.ConvTranspose3d(4, 2, 3, stride=2, padding=1, output_padding=(1, 0, 1))
    assert up.weight.shape == (4, 2, 3, 3, 3)
    # (S-1)s - 2p + d(K-1) + output_padding + 1 per axis
    assert up(tnn.randn(4, 3, 2, 5)).shape == (2, 6, 3, 10)
    up1 = nn.ConvTranspose1d(2, 6, 4, stride=3, dilation=2, groups=2)
    assert up1.weight.shape == (2, 3, 4) and up1(tnn.randn(1, 2, 5)).shape == (1, 6, 19)
    assert up1(tnn.randn(1, 2, 5), output_size=(21,)).shape == (1, 6, 21)


def test_3d_pools_follow_the_size_formulas_and_unpool_inverts_max_pool3d():
    x = tnn.randn(2, 3, 5, 6, 7)
    # floor or, with ceil_mode, ceil of (S + 2p - d(K-1) - 1)/s, plus 1
    assert nn.MaxPool3d(2)(x).shape == (2, 3, 2, 3, 3)
    assert nn.MaxPool3d(2, ceil_mode=True)(x).shape == (2, 3, 3, 3, 4)
    assert nn.AvgPool3d(3, 2, 1, ceil_mode=True)(x).shape == (2, 3, 3, 4, 4)
    assert nn.AdaptiveAvgPool3d((1, None, 2))(x).shape == (2, 3, 1, 6, 2)
    y, idx = nn.AdaptiveMaxPool3d(2, return_indices=True)(x)
    assert y.shape == idx.shape == (2, 3, 2, 2, 2)
    y, idx = nn.MaxPool3d(2, return_indices=True)(x)
    back = nn.MaxUnpool3d(2)(y, idx, output_size=x.shape)
    assert back.shape == x.shape
    flat_back, flat_idx = back.numpy().reshape(2, 3, -1), idx.numpy().reshape(2, 3, -1)
    np.testing.assert_array_equal(
        np.take_along_axis(flat_back, flat_idx, -1), y.numpy().reshape(2, 3, -1)
    )
    assert np.count_nonzero(back.numpy()) == y.numel()  # zeros elsewhere


def test_lp_pool_of_norm_one_is_sum_pooling_and_of_norm_inf_max_of_abs():
    x = tnn.tensor(np.arange(-8.0, 8.0).reshape(1, 1, 2, 2, 4))
    np.testing.assert_allclose(nn.LPPool3d(1, 2)(x.abs()).numpy(), [[[[[32.0, 32.0]]]]])
    np.testing.assert_allclose(F.lp_pool3d(x, float("inf"), 2).numpy(), [[[[[8.0, 7.0]]]]])
    rows = F.lp_pool1d(x[0, 0, 0], 2, 4)  # unbatched (C, L): one window a row
    np.testing.assert_allclose(rows.numpy(), [[np.sqrt(64 + 49 + 36 + 25)], [np.sqrt(30)]])
