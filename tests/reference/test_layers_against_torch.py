"""The padding modules, Upsample and its fixed-mode forms, PixelShuffle/PixelUnshuffle,
AdaptiveAvgPool1d, AdaptiveMaxPool1d/2d, Dropout1d, AlphaDropout, Unfold/Fold, InstanceNorm1d/2d
and RMSNorm against PyTorch (when installed): same float64 inputs, same values and gradients
(one random upstream gradient, every element), the same printed modules, state_dict keys,
indices and exception types."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

rng = np.random.default_rng(11)
SIGNAL = rng.standard_normal((2, 3, 7))
IMAGES = rng.standard_normal((2, 4, 5, 6))
SEQ = rng.standard_normal((3, 4))


def F(L):
    return L.nn.functional


GRADIENTS = {
    "ZeroPad1d": (lambda L, x: L.nn.ZeroPad1d((1, 2))(x), [SIGNAL]),
    "ZeroPad2d": (lambda L, x: L.nn.ZeroPad2d(1)(x), [IMAGES]),
    "ConstantPad1d": (lambda L, x: L.nn.ConstantPad1d(2, 3.5)(x), [SIGNAL]),
    "ConstantPad2d": (lambda L, x: L.nn.ConstantPad2d((1, 0, 2, -1), -1.0)(x), [IMAGES]),
    "ReflectionPad1d": (lambda L, x: L.nn.ReflectionPad1d((3, 1))(x), [SIGNAL]),
    "ReflectionPad2d": (lambda L, x: L.nn.ReflectionPad2d((1, 2, 3, 0))(x), [IMAGES]),
    "ReplicationPad1d": (lambda L, x: L.nn.ReplicationPad1d(4)(x), [SIGNAL]),
    "ReplicationPad2d": (lambda L, x: L.nn.ReplicationPad2d((0, 3, 1, 2))(x), [IMAGES]),
    "CircularPad1d": (lambda L, x: L.nn.CircularPad1d(2)(x), [SIGNAL]),
    "CircularPad2d": (lambda L, x: L.nn.CircularPad2d((1, 2, 2, 1))(x), [IMAGES]),
    "Upsample_nearest": (lambda L, x: L.nn.Upsample(scale_factor=2)(x), [IMAGES]),
    "Upsample_linear_size": (
        lambda L, x: L.nn.Upsample(size=11, mode="linear", align_corners=True)(x),
        [SIGNAL],
    ),
    "Upsample_bilinear": (
        lambda L, x: L.nn.Upsample(scale_factor=(1.5, 2.0), mode="bilinear")(x),
        [IMAGES],
    ),
    "UpsamplingNearest2d": (lambda L, x: L.nn.UpsamplingNearest2d(size=(7, 9))(x), [IMAGES]),
    "UpsamplingBilinear2d": (lambda L, x: L.nn.UpsamplingBilinear2d(scale_factor=2)(x), [IMAGES]),
    "pixel_shuffle": (lambda L, x: F(L).pixel_shuffle(x, 2), [IMAGES]),
    "PixelShuffle_batch_dims": (
        lambda L, x: L.nn.PixelShuffle(2)(x.reshape(2, 1, 4, 5, 6)),
        [IMAGES],
    ),
    "pixel_unshuffle": (lambda L, x: F(L).pixel_unshuffle(x[:, :, :4], 2), [IMAGES]),
    "PixelUnshuffle_unbatched": (lambda L, x: L.nn.PixelUnshuffle(3)(x[0, :, :3, :]), [IMAGES]),
    "AdaptiveAvgPool1d": (lambda L, x: L.nn.AdaptiveAvgPool1d(3)(x), [SIGNAL]),
    "adaptive_max_pool1d": (lambda L, x: F(L).adaptive_max_pool1d(x, 3), [SIGNAL]),
    "AdaptiveMaxPool1d_unbatched": (lambda L, x: L.nn.AdaptiveMaxPool1d(4)(x[0]), [SIGNAL]),
    "adaptive_max_pool2d": (lambda L, x: F(L).adaptive_max_pool2d(x, (2, 4)), [IMAGES]),
    "AdaptiveMaxPool2d_none_side": (lambda L, x: L.nn.AdaptiveMaxPool2d((None, 4))(x), [IMAGES]),
    "AdaptiveMaxPool2d_overlapping_ties": (
        lambda L, x: L.nn.AdaptiveMaxPool2d(4)(x.round()),
        [IMAGES],
    ),
    "Dropout1d_eval": (lambda L, x: L.nn.Dropout1d(0.3).eval()(x), [SIGNAL]),
    "dropout1d_p1": (lambda L, x: F(L).dropout1d(x, 1.0), [SIGNAL]),
    "AlphaDropout_eval": (lambda L, x: L.nn.AlphaDropout(0.3).eval()(x), [SIGNAL]),
    "alpha_dropout_p1": (lambda L, x: F(L).alpha_dropout(x, 1.0, True), [SIGNAL]),
    "Unfold": (lambda L, x: L.nn.Unfold(2, padding=1, stride=2)(x), [IMAGES]),
    "Fold": (
        lambda L, x: L.nn.Fold((4, 5), 2, dilation=(1, 2))(x.reshape(2, 8, 15)[..., :9]),
        [IMAGES],
    ),
    "instance_norm": (lambda L, x: F(L).instance_norm(x), [IMAGES]),
    "instance_norm_affine": (
        lambda L, x, w: F(L).instance_norm(x, weight=w[0], bias=w[1], eps=1e-3),
        [SIGNAL, SEQ[:2, :3]],
    ),
    "InstanceNorm1d_unbatched": (lambda L, x: L.nn.InstanceNorm1d(3)(x[0]), [SIGNAL]),
    "InstanceNorm2d_affine": (
        lambda L, x: L.nn.InstanceNorm2d(4, affine=True, dtype=L.float64)(x),
        [IMAGES],
    ),
    "rms_norm": (lambda L, x: F(L).rms_norm(x, (4,)), [SEQ]),
    "rms_norm_weight_eps": (
        lambda L, x, w: F(L).rms_norm(x, (5, 6), w[0, 0], eps=1e-3),
        [IMAGES, IMAGES],
    ),
    "RMSNorm": (lambda L, x: L.nn.RMSNorm([6], dtype=L.float64)(x), [IMAGES]),
}


def _leaf(library, a):
    return library.tensor(a, dtype=library.float64, requires_grad=True)


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_values_and_gradients_match_pytorch(name):
    fn, arrays = GRADIENTS[name]
    ours, theirs = [_leaf(tnn, a) for a in arrays], [_leaf(torch, a) for a in arrays]
    out, ref = fn(tnn, *ours), fn(torch, *theirs)
    assert out.shape == tuple(ref.shape)
    # a few ulps: the normalisations and resizings sum in another order than PyTorch
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    v = rng.standard_normal(tuple(ref.shape))
    out.backward(tnn.from_numpy(v))
    ref.backward(torch.from_numpy(v))
    for o, r in zip(ours, theirs):
        got = np.zeros(r.shape) if o.grad is None else o.grad.numpy()
        np.testing.assert_allclose(got, r.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("nd", [1, 2])
def test_adaptive_max_pool_indices_are_pytorchs(nd):
    x = IMAGES[..., 0] if nd == 1 else IMAGES
    size = 3 if nd == 1 else (3, 4)
    out, idx = getattr(F(tnn), f"adaptive_max_pool{nd}d")(tnn.tensor(x), size, True)
    ref, ref_idx = getattr(F(torch), f"adaptive_max_pool{nd}d")(torch.tensor(x), size, True)
    tt.assert_same_result(idx, ref_idx)
    tt.assert_same_result(out, ref)


def test_instance_norm_running_stats_move_as_pytorchs():
    results = []
    for L in (tnn, torch):
        layer = L.nn.InstanceNorm1d(3, momentum=0.3, track_running_stats=True)
        layer(L.tensor(SIGNAL))
        layer(L.tensor(SIGNAL[:1] * 2))
        out = layer.eval()(L.tensor(SIGNAL))
        results.append(
            [layer.running_mean.numpy(), layer.running_var.numpy(), out.numpy()]
            + [int(layer.num_batches_tracked)]
        )
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


MODULES = {
    "ZeroPad2d": lambda L: L.nn.ZeroPad2d(1),
    "ZeroPad1d": lambda L: L.nn.ZeroPad1d((1, 2)),
    "ConstantPad1d": lambda L: L.nn.ConstantPad1d((1, 2), 3.5),
    "ConstantPad3d": lambda L: L.nn.ConstantPad3d(1, 0.0),
    "ReflectionPad2d": lambda L: L.nn.ReflectionPad2d((1, 0, 2, 1)),
    "ReplicationPad3d": lambda L: L.nn.ReplicationPad3d(2),
    "CircularPad1d": lambda L: L.nn.CircularPad1d(2),
    "Upsample": lambda L: L.nn.Upsample(scale_factor=2),
    "Upsample_size": lambda L: L.nn.Upsample(size=(3, 4), mode="bilinear"),
    "Upsample_tuple": lambda L: L.nn.Upsample(scale_factor=(2, 3)),
    "UpsamplingBilinear2d": lambda L: L.nn.UpsamplingBilinear2d(scale_factor=2),
    "UpsamplingNearest2d": lambda L: L.nn.UpsamplingNearest2d(size=3),
    "PixelShuffle": lambda L: L.nn.PixelShuffle(2),
    "PixelUnshuffle": lambda L: L.nn.PixelUnshuffle(3),
    "AdaptiveAvgPool1d": lambda L: L.nn.AdaptiveAvgPool1d(3),
    "AdaptiveMaxPool1d": lambda L: L.nn.AdaptiveMaxPool1d(2, True),
    "AdaptiveMaxPool2d": lambda L: L.nn.AdaptiveMaxPool2d((2, 3)),
    "Dropout1d": lambda L: L.nn.Dropout1d(),
    "AlphaDropout": lambda L: L.nn.AlphaDropout(0.2, True),
    "Unfold": lambda L: L.nn.Unfold(3),
    "Fold": lambda L: L.nn.Fold(4, 2, padding=1),
    "InstanceNorm1d": lambda L: L.nn.InstanceNorm1d(3),
    "InstanceNorm2d_tracking": lambda L: L.nn.InstanceNorm2d(
        3, affine=True, track_running_stats=True
    ),
    "RMSNorm": lambda L: L.nn.RMSNorm(4),
    "RMSNorm_shape_eps": lambda L: L.nn.RMSNorm([2, 3], eps=1e-3, elementwise_affine=False),
}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_print_and_hold_state_as_pytorchs(name):
    ours, theirs = MODULES[name](tnn), MODULES[name](torch)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())


ERRORS = {
    "pixel_shuffle_2d": lambda L: F(L).pixel_shuffle(L.ones(2, 3), 2),
    "pixel_shuffle_channels": lambda L: F(L).pixel_shuffle(L.ones(5, 2, 3), 2),
    "pixel_shuffle_factor_0": lambda L: F(L).pixel_shuffle(L.ones(4, 2, 3), 0),
    "pixel_unshuffle_width": lambda L: F(L).pixel_unshuffle(L.ones(4, 2, 3), 2),
    "adaptive_max_pool2d_ints": lambda L: F(L).adaptive_max_pool2d(L.tensor([[[1, 2]]]), 1),
    "dropout1d_4d": lambda L: F(L).dropout1d(L.ones(2, 3, 4, 5)),
    "dropout1d_p": lambda L: F(L).dropout1d(L.ones(2, 3), 1.5),
    "alpha_dropout_p": lambda L: F(L).alpha_dropout(L.ones(2, 3), -0.5),
    "alpha_dropout_ints": lambda L: F(L).alpha_dropout(L.tensor([1, 2]), 0.5, True),
    "instance_norm_one_position": lambda L: F(L).instance_norm(L.ones(2, 3, 1)),
    "InstanceNorm1d_4d": lambda L: L.nn.InstanceNorm1d(3)(L.ones(1, 3, 2, 2)),
    "InstanceNorm2d_affine_channels": lambda L: L.nn.InstanceNorm2d(3, affine=True)(
        L.ones(1, 4, 2, 2)
    ),
    "rms_norm_shape": lambda L: F(L).rms_norm(L.ones(2, 3), (2,)),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_arguments_raise_what_pytorch_raises(name):
    tt.assert_same_error(ERRORS[name], tnn, torch)


def test_instance_norm_warns_of_other_channels_without_affine_as_pytorch():
    for L in (tnn, torch):
        with pytest.warns(UserWarning, match="does not match num_features"):
            L.nn.InstanceNorm1d(3)(L.ones(2, 4, 5))
