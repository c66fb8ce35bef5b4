"""Convolution, pooling, resizing, normalisation and the new layers against PyTorch: the
same float64 inputs and upstream gradient, values and every gradient compared; module
parameters and buffers (names, shapes, running statistics) as torch.nn's."""

import inspect
import math
import re

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn
from tinygrad_nn import testing as tt
from tinygrad_nn.checks import ShapeError
from tinygrad_nn.nn import functional as F

torch = tt.reference_library("torch")
TF = torch.nn.functional

rng = np.random.default_rng(0)
X = rng.standard_normal((2, 4, 9, 8))
X1 = rng.standard_normal((2, 4, 10))
W = rng.standard_normal((6, 2, 3, 2))
W1 = rng.standard_normal((5, 4, 3))
WT = rng.standard_normal((4, 3, 3, 2))
B = rng.standard_normal(6)
C4 = rng.standard_normal(4)
COLS = rng.standard_normal((2, 24, 16))
TABLE = rng.standard_normal((10, 3))
IDX = rng.integers(0, 10, (4, 5))
# max pooling's indices for the unpooling cases, and values of the pooled shape
UIDX = TF.max_pool2d(torch.tensor(X), 3, 2, 1, return_indices=True)[1].numpy()
POOLED = rng.standard_normal(UIDX.shape)
MAXIMA, OVERLAP_IDX = (t.numpy() for t in TF.max_pool2d(torch.tensor(X), 3, 1, return_indices=True))
UIDX1 = TF.max_pool1d(torch.tensor(X1), 2, return_indices=True)[1].numpy()
POOLED1 = rng.standard_normal(UIDX1.shape)
X3 = rng.standard_normal((2, 4, 5, 4, 6))  # (N, C, D, H, W)
W3 = rng.standard_normal((6, 2, 3, 2, 2))
WT3 = rng.standard_normal((4, 3, 2, 3, 2))
WT1 = rng.standard_normal((4, 3, 3))
UIDX3 = TF.max_pool3d(torch.tensor(X3), 2, (2, 1, 2), return_indices=True)[1].numpy()
POOLED3 = rng.standard_normal(UIDX3.shape)


def both(name, *args, **kw):
    """The same call on our functional module and on torch's."""
    return (
        lambda *a: getattr(F, name)(*a, *args, **kw),
        lambda *a: getattr(TF, name)(*a, *args, **kw),
    )


CASES = {
    "conv2d_groups_stride_dilation": (
        both("conv2d", stride=(2, 1), padding=1, dilation=(2, 1), groups=2),
        [X, W, B],
    ),
    "conv2d_same_even_kernel": (both("conv2d", padding="same", groups=2), [X, W, B]),
    "conv2d_valid": (both("conv2d", padding="valid", groups=2), [X, W]),
    "conv1d": (both("conv1d", stride=2, padding=2, dilation=2), [X1, W1]),
    "conv_transpose2d": (
        both("conv_transpose2d", stride=2, padding=1, output_padding=1, groups=2, dilation=(1, 2)),
        [X, WT, B],
    ),
    "conv3d_groups_stride_dilation": (
        both("conv3d", stride=(2, 1, 2), padding=(1, 0, 2), dilation=(1, 2, 1), groups=2),
        [X3, W3, B],
    ),
    "conv3d_same": (both("conv3d", padding="same", dilation=(2, 1, 1), groups=2), [X3, W3, B]),
    "conv3d_valid": (both("conv3d", padding="valid", groups=2), [X3, W3]),
    "conv_transpose3d": (
        both("conv_transpose3d", (2, 1, 3), (1, 0, 1), (1, 0, 2), 2, (1, 2, 1)),
        [X3, WT3, B],
    ),
    "conv_transpose1d": (
        both("conv_transpose1d", stride=3, padding=1, output_padding=2),
        [X1, WT1],
    ),
    # output_padding beyond the last window: stride 1, dilation 2
    "conv_transpose1d_dilated_output_padding": (
        both("conv_transpose1d", padding=2, output_padding=1, groups=2, dilation=2),
        [X1, WT1, B],
    ),
    "max_pool3d_padded": (both("max_pool3d", 3, 2, 1, return_indices=True), [X3]),
    "max_pool3d_ceil_dilated": (
        both("max_pool3d", 2, (2, 1, 2), 0, (1, 2, 1), True, True),
        [X3],
    ),
    "avg_pool3d_ceil_no_pad_count": (both("avg_pool3d", 3, 2, 1, True, False), [X3]),
    "avg_pool3d_divisor": (both("avg_pool3d", (2, 1, 3), divisor_override=5), [X3]),
    "adaptive_avg_pool3d": (both("adaptive_avg_pool3d", (3, None, 4)), [X3]),
    "adaptive_max_pool3d": (both("adaptive_max_pool3d", (3, 2, 4), True), [X3]),
    "max_unpool3d": (
        both("max_unpool3d", 2, (2, 1, 2), output_size=(5, 4, 6)),
        [POOLED3, UIDX3],
    ),
    "lp_pool1d": (both("lp_pool1d", 2, 3, 2), [X1]),
    "lp_pool1d_inf": (both("lp_pool1d", float("inf"), 2), [X1]),
    "lp_pool1d_minus_inf_ceil": (both("lp_pool1d", -float("inf"), 3, ceil_mode=True), [X1]),
    "lp_pool2d_odd_p_ceil": (both("lp_pool2d", 3, (2, 3), ceil_mode=True), [X]),  # some NaN
    "lp_pool3d_fractional_p": (both("lp_pool3d", 1.5, 2, (1, 2, 3)), [np.abs(X3)]),
    "max_pool2d_padded": (both("max_pool2d", 3, 2, 1, return_indices=True), [X]),
    "max_pool2d_ceil_dilated": (both("max_pool2d", 2, 2, 0, 2, True, True), [X]),
    "max_pool1d": (both("max_pool1d", 3, 2, 1, return_indices=True), [X1]),
    "avg_pool2d": (both("avg_pool2d", 3, 2, 1), [X]),
    "avg_pool2d_ceil_no_pad_count": (both("avg_pool2d", 3, 2, 1, True, False), [X]),
    "avg_pool2d_divisor": (both("avg_pool2d", 2, divisor_override=3), [X]),
    "avg_pool1d": (both("avg_pool1d", 4, 3, 2), [X1]),
    "adaptive_avg_pool2d": (both("adaptive_avg_pool2d", (4, 3)), [X]),
    "adaptive_avg_pool1d": (both("adaptive_avg_pool1d", 3), [X1]),
    "pad_and_crop": (both("pad", (1, 2, -1, 3), value=0.5), [X]),
    "pad_reflect_1d_crop": (both("pad", (3, -1), mode="reflect"), [X1]),
    "pad_reflect_2d": (both("pad", (7, 1, -2, 8), mode="reflect"), [X]),
    "pad_reflect_3d_unbatched": (both("pad", (2, 1, 0, 3, 3, -1), mode="reflect"), [X]),
    "pad_replicate_2d": (both("pad", (12, 0, -3, 10), mode="replicate"), [X]),
    "pad_replicate_1d_unbatched": (both("pad", (-4, 5), mode="replicate"), [X1[0]]),
    "pad_circular_2d": (both("pad", (8, 2, -3, 5), mode="circular"), [X]),
    "pad_circular_3d": (both("pad", (1, 1, 2, 0, 0, 4), mode="circular"), [X]),
    "pad_circular_crop": (both("pad", (-2, 3), mode="circular"), [X1]),
    "max_unpool2d": (both("max_unpool2d", 3, 2, 1, output_size=(9, 8)), [POOLED, UIDX]),
    "max_unpool2d_unbatched": (
        both("max_unpool2d", 3, 2, 1, output_size=(9, 8)),
        [POOLED[0], UIDX[0]],
    ),
    "max_unpool1d": (both("max_unpool1d", 2), [POOLED1, UIDX1]),
    "max_unpool1d_output_size": (both("max_unpool1d", 2, output_size=(2, 4, 11)), [POOLED1, UIDX1]),
    # overlapping windows repeat an index (with equal values); the gradient goes to each
    "max_unpool2d_overlapping": (both("max_unpool2d", 3, 1), [MAXIMA, OVERLAP_IDX]),
    "unfold": (both("unfold", (2, 3), dilation=(1, 2), padding=1, stride=2), [X]),
    "fold": (both("fold", (7, 8), (2, 3), padding=1, stride=2), [COLS]),
    "interpolate_nearest": (both("interpolate", size=(13, 5)), [X]),
    "interpolate_nearest_scale": (both("interpolate", scale_factor=1.7), [X]),
    "interpolate_bilinear": (both("interpolate", size=(13, 5), mode="bilinear"), [X]),
    "interpolate_bilinear_scale": (both("interpolate", scale_factor=0.6, mode="bilinear"), [X]),
    "interpolate_bilinear_corners": (
        both("interpolate", size=(4, 11), mode="bilinear", align_corners=True),
        [X],
    ),
    "interpolate_linear": (both("interpolate", size=7, mode="linear"), [X1]),
    "batch_norm_train": (both("batch_norm", None, None, training=True), [X]),
    "layer_norm": (both("layer_norm", (9, 8)), [X]),
    "group_norm": (
        (lambda x, g, b: F.group_norm(x, 2, g, b), lambda x, g, b: TF.group_norm(x, 2, g, b)),
        [X, C4, C4],
    ),
    "gelu": (both("gelu"), [X]),
    "gelu_tanh": (both("gelu", approximate="tanh"), [X]),
    "silu": (both("silu"), [X]),
    "elu": (both("elu", 0.7), [X * 3]),
    "embedding_padding_idx": (both("embedding", padding_idx=2), [IDX, TABLE]),
    # unbatched inputs (C, *spatial) give unbatched outputs
    "conv2d_unbatched": (both("conv2d", stride=(2, 1), padding=1, groups=2), [X[0], W, B]),
    "conv1d_unbatched": (both("conv1d", stride=2, padding=2), [X1[0], W1]),
    "conv_transpose2d_unbatched": (both("conv_transpose2d", stride=2, groups=2), [X[0], WT, B]),
    "conv3d_unbatched": (both("conv3d", stride=2, padding=1, groups=2), [X3[0], W3]),
    "conv_transpose3d_unbatched": (both("conv_transpose3d", stride=2, groups=2), [X3[0], WT3, B]),
    "conv_transpose1d_unbatched": (both("conv_transpose1d", stride=2), [X1[0], WT1]),
    "max_pool3d_unbatched": (both("max_pool3d", 2, 1, 1, return_indices=True), [X3[0]]),
    "avg_pool3d_unbatched": (both("avg_pool3d", 2, padding=1, ceil_mode=True), [X3[0]]),
    "adaptive_avg_pool3d_unbatched": (both("adaptive_avg_pool3d", 3), [X3[0]]),
    "adaptive_max_pool3d_unbatched": (both("adaptive_max_pool3d", (2, 3, None)), [X3[0]]),
    "lp_pool3d_unbatched": (both("lp_pool3d", 2, (2, 1, 2), ceil_mode=True), [X3[0]]),
    "max_unpool3d_unbatched": (both("max_unpool3d", 2, (2, 1, 2)), [POOLED3[0], UIDX3[0]]),
    "max_pool2d_unbatched": (both("max_pool2d", 3, 2, 1, return_indices=True), [X[0]]),
    "max_pool1d_unbatched": (both("max_pool1d", 3, 2, 1, 1, True, True), [X1[0]]),
    "avg_pool2d_unbatched": (both("avg_pool2d", 3, 2, 1, True, False), [X[0]]),
    "avg_pool1d_unbatched": (both("avg_pool1d", 4, 3, 2), [X1[0]]),
    "adaptive_avg_pool2d_unbatched": (both("adaptive_avg_pool2d", (4, None)), [X[0]]),
    "adaptive_avg_pool1d_unbatched": (both("adaptive_avg_pool1d", 3), [X1[0]]),
    "unfold_unbatched": (both("unfold", (2, 3), padding=1, stride=2), [X[0]]),
    "fold_unbatched": (both("fold", (7, 8), (2, 3), padding=1, stride=2), [COLS[0]]),
}


@pytest.mark.filterwarnings("ignore:Using padding='same'")
@pytest.mark.filterwarnings("ignore:invalid value encountered in power")  # x**p of x < 0: NaN
@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_match_torch(name):
    fns, arrays = CASES[name]
    ours_fn, torch_fn = fns
    ours = [tnn.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    theirs = [torch.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    y, ty = ours_fn(*ours), torch_fn(*theirs)
    if isinstance(y, tuple):  # values and indices
        y, idx = y
        ty, tidx = ty
        np.testing.assert_array_equal(idx.numpy(), tidx.numpy())
    assert y.shape == tuple(ty.shape)
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-10, atol=1e-12)
    g = rng.standard_normal(y.shape)
    (y * tnn.from_numpy(g)).sum().backward()
    (ty * torch.tensor(g)).sum().backward()
    for a, t in zip(ours, theirs):
        if t.grad is None:  # torch: no gradient flows there; ours must be absent or zero
            assert a.grad is None or not a.grad.numpy().any()
        else:
            np.testing.assert_allclose(a.grad.numpy(), t.grad.numpy(), rtol=1e-10, atol=1e-12)


MODULES = {
    "Conv1d": lambda m: m.Conv1d(4, 6, 3, stride=2, padding=1, groups=2),
    "Conv2d": lambda m: m.Conv2d(4, 6, (3, 2), padding="same", dilation=2, groups=2),
    "Conv2d_no_bias": lambda m: m.Conv2d(4, 2, 3, bias=False),
    "Conv2d_reflect": lambda m: m.Conv2d(4, 6, 3, stride=2, padding=(1, 2), padding_mode="reflect"),
    "Conv2d_same_circular": lambda m: m.Conv2d(
        4, 6, (3, 4), padding="same", dilation=(2, 1), groups=2, padding_mode="circular"
    ),
    "Conv1d_replicate": lambda m: m.Conv1d(4, 6, 3, padding=3, padding_mode="replicate"),
    "ConvTranspose2d": lambda m: m.ConvTranspose2d(4, 6, 3, stride=2, output_padding=1),
    "BatchNorm1d": lambda m: m.BatchNorm1d(4),
    "BatchNorm2d": lambda m: m.BatchNorm2d(4, momentum=None),
    "BatchNorm2d_untracked": lambda m: m.BatchNorm2d(4, track_running_stats=False),
    "LayerNorm": lambda m: m.LayerNorm((9, 8)),
    "GroupNorm": lambda m: m.GroupNorm(2, 4),
    "Embedding": lambda m: m.Embedding(10, 3, padding_idx=1),
    "Sequential_cnn": lambda m: m.Sequential(
        m.Conv2d(4, 8, 3, padding=1),
        m.BatchNorm2d(8),
        m.GELU(),
        m.MaxPool2d(2),
        m.Dropout2d(0.0),
        m.Conv2d(8, 4, 3),
        m.SiLU(),
        m.AdaptiveAvgPool2d((2, 2)),
        m.Flatten(),
        m.Unflatten(1, (4, 4)),
        m.AvgPool1d(2),
        m.ELU(),
    ),
    "Conv1d_reflect_unbatched": lambda m: m.Sequential(
        m.Conv1d(4, 6, 3, padding=2, padding_mode="reflect"), m.MaxPool1d(3, 2), m.AvgPool1d(2)
    ),
    "Conv2d_unbatched": lambda m: m.Sequential(
        m.Conv2d(4, 6, 3, padding=1), m.MaxPool2d(2), m.AvgPool2d(2, 1), m.AdaptiveAvgPool2d(2)
    ),
    "ConvTranspose2d_unbatched": lambda m: m.ConvTranspose2d(4, 6, 3, stride=2),
    "Sequential_3d_cnn": lambda m: m.Sequential(
        m.Conv3d(4, 6, 2, padding=1),
        m.MaxPool3d(2, 1, ceil_mode=True),
        m.AvgPool3d((1, 2, 2), count_include_pad=False, padding=(0, 1, 1)),
        m.LPPool3d(2, 2, 1),
        m.AdaptiveMaxPool3d((3, 2, 3)),
        m.AdaptiveAvgPool3d((2, 1, None)),
    ),
    "Sequential_1d_2d_lp_pools": lambda m: m.Sequential(
        m.Conv2d(4, 3, 1), m.LPPool2d(2, (2, 1)), m.Flatten(2), m.LPPool1d(1, 3, 2, ceil_mode=True)
    ),
    "Conv3d": lambda m: m.Conv3d(4, 6, (3, 2, 3), stride=(1, 2, 1), padding=1, groups=2),
    "Conv3d_same_reflect": lambda m: m.Conv3d(4, 2, 3, padding="same", padding_mode="reflect"),
    "Conv3d_replicate_unbatched": lambda m: m.Conv3d(4, 2, 2, padding=2, padding_mode="replicate"),
    "ConvTranspose1d": lambda m: m.ConvTranspose1d(4, 6, 3, stride=2, padding=1, groups=2),
    "ConvTranspose3d": lambda m: m.ConvTranspose3d(
        4, 6, 2, stride=(2, 1, 2), output_padding=(1, 0, 1)
    ),
}


def _input_for(name):
    if name.endswith("_unbatched"):
        return _input_for(name.replace("_unbatched", ""))[0]
    if "3d" in name:
        return X3
    if name.startswith(("Conv1d", "ConvTranspose1d")) or name == "BatchNorm1d":
        return X1 if name.startswith("Conv") else X1[:, :, 0]
    return IDX if name == "Embedding" else X


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_state_dict_and_training_steps_match_torch(name):
    ours, theirs = MODULES[name](nn).double(), MODULES[name](torch.nn).double()
    ts = theirs.state_dict()
    assert list(ours.state_dict()) == list(ts)
    for k, v in ours.state_dict().items():
        assert v.shape == tuple(ts[k].shape), k
    ours.load_state_dict({k: v.numpy() for k, v in ts.items()})
    x = _input_for(name)
    for mode in ("train", "train", "eval"):  # two steps update running stats, then eval
        getattr(ours, mode)(), getattr(theirs, mode)()
        y = ours(tnn.from_numpy(x))
        ty = theirs(torch.tensor(x))
        np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-9, atol=1e-12)
        g = rng.standard_normal(y.shape)
        (y * tnn.from_numpy(g)).sum().backward()
        (ty * torch.tensor(g)).sum().backward()
    for (k, p), tp in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(
            p.grad.numpy(), tp.grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=k
        )
    for k, v in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[k].numpy(), v.numpy(), rtol=1e-12, err_msg=k)


@pytest.mark.parametrize(
    "make", [lambda m: m.Conv2d(3, 16, 5), lambda m: m.ConvTranspose2d(8, 4, 3, groups=2)]
)
def test_conv_init_bounds_match_torch(make):
    """Same distribution: the largest |w| and |b| of a large layer reach the same bound."""
    tnn.manual_seed(0)
    torch.manual_seed(0)
    ours, theirs = make(nn), make(torch.nn)
    for p, tp in zip(ours.parameters(), theirs.parameters()):
        bound = tp.detach().abs().max().item()
        assert abs(np.abs(p.detach().numpy()).max() - bound) < 0.1 * bound


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.Conv2d(4, 6, (3, 4), padding="same", padding_mode="circular"),
        lambda m: m.Conv1d(4, 6, 3, padding=2, padding_mode="reflect", bias=False),
        lambda m: m.Conv3d(4, 6, (3, 1, 2), dilation=2, padding_mode="circular", bias=False),
        lambda m: m.ConvTranspose1d(4, 6, 3, stride=2, output_padding=1, groups=2),
        lambda m: m.ConvTranspose3d(4, 6, 3, padding=(1, 0, 1), dilation=(2, 1, 1)),
        lambda m: m.MaxUnpool2d(2),
        lambda m: m.MaxUnpool3d(2, 1),
        lambda m: m.MaxPool3d((2, 1, 2), padding=1, ceil_mode=True),
        lambda m: m.AvgPool3d(3, 2, 1),
        lambda m: m.LPPool1d(1.5, 2, 1, True),
        lambda m: m.LPPool3d(2, (2, 1, 2)),
        lambda m: m.AdaptiveMaxPool3d((2, None, 3)),
        lambda m: m.AdaptiveAvgPool3d(2),
        lambda m: m.MaxUnpool1d(3, 1, 1),
    ],
)
def test_reprs_match_torch(make):
    assert repr(make(nn)) == repr(make(torch.nn))


def test_max_unpool3d_module_matches_torch():
    ours, theirs = nn.MaxUnpool3d(2, (2, 1, 2)), torch.nn.MaxUnpool3d(2, (2, 1, 2))
    y = ours(tnn.from_numpy(POOLED3), tnn.from_numpy(UIDX3), output_size=X3.shape)
    ty = theirs(torch.tensor(POOLED3), torch.tensor(UIDX3), output_size=X3.shape)
    np.testing.assert_array_equal(y.numpy(), ty.numpy())


def test_max_unpool_module_matches_torch():
    ours, theirs = nn.MaxUnpool2d(3, 2, 1), torch.nn.MaxUnpool2d(3, 2, 1)
    y = ours(tnn.from_numpy(POOLED), tnn.from_numpy(UIDX), output_size=X.shape)
    ty = theirs(torch.tensor(POOLED), torch.tensor(UIDX), output_size=X.shape)
    np.testing.assert_array_equal(y.numpy(), ty.numpy())


# (shape, pad, mode): calls that torch refuses (and so must we) next to near misses it takes
PAD_EDGES = [
    ((2, 4), (1,), "reflect"),  # odd length
    ((4,), (1, 1), "reflect"),  # no channel axis
    ((2, 3, 4), (1, 1, 1, 1, 1, 1), "replicate"),  # 3 padded axes need 4 or 5 dims
    ((1, 1, 2, 2, 2, 2), (1, 1, 1, 1, 1, 1, 1, 1), "circular"),  # at most 3 axes
    ((2, 3, 4), (4, 0), "reflect"),  # reflect needs pad < size
    ((2, 3, 4), (3, 3), "reflect"),
    ((2, 3, 4), (0, 5), "circular"),  # wraps more than once
    ((2, 3, 4), (4, 4), "circular"),
    ((2, 3, 4), (-2, -2), "reflect"),  # leaves no cells
    ((2, 3, 4), (-2, -1), "replicate"),
    ((2, 3, 4), (-2, -2), "circular"),  # circular may leave none
    ((2, 3, 4), (-3, -2), "circular"),
    ((2, 3, 4), (-3, -2), "constant"),  # crops more than there is
    ((2, 3, 4), (-2, -2), "constant"),
    ((1, 2, 3, 4), (0, 0, -3, 0), "reflect"),  # one empty axis of two is allowed
    ((1, 2, 3, 4), (0, -4, -3, 0), "replicate"),  # both empty is not
    ((0, 3, 4), (1, 1), "reflect"),  # an empty batch is fine
    ((2, 0, 4), (1, 1), "reflect"),  # an empty channel axis is not
    ((0, 4), (1, 1), "replicate"),  # unbatched: the first axis is the channels
    ((2, 0, 4), (1, 1), "circular"),
    ((2, 3, 0), (0, 0), "circular"),
    ((2, 3, 4), (1, 1), "wrap"),
]


@pytest.mark.parametrize("shape, pads, mode", PAD_EDGES)
def test_pad_refuses_exactly_what_torch_refuses(shape, pads, mode):
    x = np.arange(math.prod(shape), dtype=np.float64).reshape(shape)
    try:
        expected = TF.pad(torch.tensor(x), pads, mode=mode).numpy()
    except (RuntimeError, NotImplementedError) as error:  # the same type of error
        with pytest.raises(type(error), match="pad"):
            F.pad(tnn.from_numpy(x), pads, mode=mode)
    else:
        np.testing.assert_array_equal(F.pad(tnn.from_numpy(x), pads, mode=mode).numpy(), expected)


KERNEL_TOO_LARGE = {
    "conv2d_unbatched": (lambda L, x: L.nn.functional.conv2d(x, L.ones(1, 2, 5, 5)), (2, 4, 4)),
    "conv2d": (lambda L, x: L.nn.functional.conv2d(x, L.ones(1, 2, 5, 5)), (1, 2, 4, 4)),
    "conv1d_dilated": (lambda L, x: L.nn.Conv1d(2, 1, 2, dilation=4)(x), (2, 4)),
    "conv2d_padded": (
        lambda L, x: L.nn.functional.conv2d(x, L.ones(1, 2, 7, 1), padding=1),
        (2, 4, 4),
    ),
    "unfold": (lambda L, x: L.nn.functional.unfold(x, (2, 5)), (2, 4, 4)),
    "max_pool1d": (lambda L, x: L.nn.functional.max_pool1d(x, 3), (2, 1)),
    "max_pool2d": (lambda L, x: L.nn.MaxPool2d(2, padding=1, dilation=3)(x), (2, 1, 1)),
    "max_pool3d": (lambda L, x: L.nn.functional.max_pool3d(x, 2), (1, 2, 1, 5, 5)),
    "avg_pool3d": (lambda L, x: L.nn.AvgPool3d(2)(x), (2, 1, 5, 5)),
    "lp_pool3d": (lambda L, x: L.nn.functional.lp_pool3d(x, 2, 3), (1, 2, 2, 2, 2)),
    "lp_pool1d": (lambda L, x: L.nn.LPPool1d(2, 3)(x), (1, 2, 2)),
    "conv3d": (lambda L, x: L.nn.Conv3d(2, 1, (1, 4, 1))(x), (2, 3, 3, 3)),
    "avg_pool2d": (lambda L, x: L.nn.functional.avg_pool2d(x, 3), (2, 4, 2)),
}


@pytest.mark.parametrize("name", sorted(KERNEL_TOO_LARGE))
def test_a_kernel_larger_than_the_input_raises_torchs_type_naming_the_callers_shape(name):
    call, shape = KERNEL_TOO_LARGE[name]
    tt.assert_same_error(lambda L: call(L, L.ones(shape)), tnn, torch)
    with pytest.raises(Exception) as info:
        call(tnn, tnn.ones(shape))
    assert str(shape) in str(info.value) and str((1, *shape)) not in str(info.value)


@pytest.mark.parametrize("shape", [(2, 3, 3), (1, 2, 3, 3)], ids=str)
@pytest.mark.parametrize("padding", [2, (1, 3)], ids=str)
def test_conv_transpose2d_without_output_cells_raises_torchs_type(shape, padding):
    def call(L):
        return L.nn.functional.conv_transpose2d(L.ones(shape), L.ones(2, 4, 2, 2), padding=padding)

    tt.assert_same_error(call, tnn, torch)


ERRORS_3D = {
    "output_padding_not_below_stride_or_dilation": lambda L: L.nn.functional.conv_transpose1d(
        L.ones(1, 2, 5), L.ones(2, 2, 3), stride=2, output_padding=2
    ),
    "output_padding_3d": lambda L: L.nn.ConvTranspose3d(2, 2, 3, stride=2, output_padding=2)(
        L.ones(1, 2, 2, 2, 2)
    ),
    "padding_same": lambda L: L.nn.functional.conv_transpose1d(
        L.ones(1, 2, 5), L.ones(2, 2, 3), padding="same"
    ),
    "no_output_cells_3d": lambda L: L.nn.functional.conv_transpose3d(
        L.ones(2, 1, 1, 3), L.ones(2, 1, 1, 1, 1), padding=1
    ),
    "padding_mode": lambda L: L.nn.ConvTranspose3d(2, 2, 3, padding_mode="reflect"),
    "output_size_too_large": lambda L: L.nn.ConvTranspose1d(2, 2, 3, stride=2)(
        L.ones(1, 2, 5), output_size=[13]
    ),
    "output_size_entries": lambda L: L.nn.ConvTranspose3d(2, 2, 3, stride=2)(
        L.ones(1, 2, 2, 2, 2), output_size=[5, 5]
    ),
    "pool_padding_over_half_the_kernel": lambda L: L.nn.functional.max_pool3d(
        L.ones(1, 2, 5, 5, 5), 3, padding=2
    ),
    "avg_pool_padding_over_half_the_kernel": lambda L: L.nn.AvgPool3d(3, padding=2)(
        L.ones(1, 2, 5, 5, 5)
    ),
    "pool_stride_zero": lambda L: L.nn.functional.max_pool3d(L.ones(1, 2, 5, 5, 5), 2, 0),
    "unpool3d_output_size": lambda L: L.nn.functional.max_unpool3d(
        L.ones(1, 1, 1, 1, 1), L.zeros((1, 1, 1, 1, 1), dtype=L.int64), 2, output_size=(5, 5, 5)
    ),
    "adaptive_pool3d_empty_axis": lambda L: L.nn.functional.adaptive_avg_pool3d(
        L.ones(1, 2, 0, 5, 5), 2
    ),
}


@pytest.mark.parametrize("name", sorted(ERRORS_3D))
def test_conv_transpose_and_3d_pooling_errors_are_torchs_types(name):
    tt.assert_same_error(ERRORS_3D[name], tnn, torch)


@pytest.mark.parametrize("output_size", [(11, 9, 10), (2, 6, 12, 10, 9), (12, 10, 10)], ids=str)
def test_conv_transpose3d_output_size_picks_torchs_output_padding(output_size):
    ours, theirs = (
        nn.ConvTranspose3d(4, 6, 3, stride=2).double(),
        torch.nn.ConvTranspose3d(4, 6, 3, stride=2).double(),
    )
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    y = ours(tnn.from_numpy(X3[:, :, :, :, :4]), output_size=output_size)
    ty = theirs(torch.tensor(X3[:, :, :, :, :4]), output_size=output_size)
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "name, shape, size",
    [
        ("adaptive_avg_pool2d", (0, 3, 4, 4), 2),  # an empty batch or channel axis: empty
        ("adaptive_avg_pool2d", (2, 0, 4, 4), 2),
        ("adaptive_avg_pool2d", (0, 4, 4), (2, None)),
        ("adaptive_avg_pool2d", (2, 3, 0, 4), 2),  # an empty spatial axis: refused
        ("adaptive_avg_pool2d", (3, 4, 0), (2, None)),
        ("adaptive_avg_pool1d", (0, 3, 4), 2),
        ("adaptive_avg_pool1d", (2, 0, 4), 3),
        ("adaptive_avg_pool1d", (2, 3, 0), 2),
        ("adaptive_avg_pool1d", (3, 0), 2),
    ],
)
def test_adaptive_pool_of_empty_axes_as_torchs(name, shape, size):
    """Torch's result and gradient shapes, or its RuntimeError naming the caller's shape.
    (Torch's backward refuses an empty channel axis its forward took; ours gives the empty
    gradient.)"""
    x = torch.zeros(shape, requires_grad=True)
    try:
        expected = getattr(TF, name)(x, size)
    except RuntimeError:
        with pytest.raises(RuntimeError, match=rf"{name}: .*{re.escape(str(shape))} with axis"):
            getattr(F, name)(tnn.zeros(shape), size)
        return
    ours = tnn.zeros(shape, requires_grad=True)
    out = getattr(F, name)(ours, size)
    out.sum().backward()
    assert (out.shape, ours.grad.shape) == (tuple(expected.shape), shape)
    try:
        expected.sum().backward()
    except RuntimeError as error:
        assert "grad_output to have non-zero size" in str(error)
    else:
        assert ours.grad.shape == tuple(x.grad.shape)


@pytest.mark.parametrize(
    "kw",
    [
        dict(output_size=(9, 9)),  # beyond the default size plus a stride
        dict(output_size=(2, 3, 4)),  # 3 entries: neither (H, W) nor (N, C, H, W)
        dict(output_size=(3, 3)),  # an index beyond the smaller plane
        dict(padding=2),  # a default size too small for the indices
    ],
)
def test_max_unpool_refuses_what_torch_refuses(kw):
    with pytest.raises((ValueError, RuntimeError)):
        TF.max_unpool2d(torch.tensor(POOLED), torch.tensor(UIDX), 3, 2, **{"padding": 1, **kw})
    with pytest.raises((ValueError, IndexError), match="max_unpool2d"):
        F.max_unpool2d(tnn.from_numpy(POOLED), tnn.from_numpy(UIDX), 3, 2, **{"padding": 1, **kw})


@pytest.mark.parametrize("name, args", [("fold", ((3, 3), 2)), ("unfold", (2,))])
def test_fold_and_unfold_of_an_array_raise_torchs_type_error(name, args):
    cols = np.ones((1, 4, 4))
    tt.assert_same_error(lambda L: getattr(L.nn.functional, name)(cols, *args), tnn, torch)


@pytest.mark.parametrize(
    "name",
    ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"],
)
def test_conv_layers_take_torchs_arguments_in_torchs_order(name):
    ours, theirs = (inspect.signature(getattr(lib.nn, name)).parameters for lib in (tnn, torch))
    assert list(ours) == list(theirs)
    assert [p.default for p in ours.values()] == [p.default for p in theirs.values()]


#: convolution and pooling, functions and modules, on an input of the wrong rank: the call,
#: the shape and the ranks it takes
WRONG_RANK = {
    "conv1d_1d": (lambda L, x: L.nn.functional.conv1d(x, L.ones(2, 3, 3)), (8,), "2-D or 3-D"),
    "conv1d_4d": (lambda L, x: L.nn.functional.conv1d(x, L.ones(2, 3, 3)), (1, 1, 3, 8), "3-D"),
    "conv2d_2d": (lambda L, x: L.nn.functional.conv2d(x, L.ones(2, 3, 3, 3)), (8, 8), "4-D"),
    "conv2d_5d": (
        lambda L, x: L.nn.functional.conv2d(x, L.ones(2, 3, 3, 3)),
        (1, 1, 3, 8, 8),
        "3-D or 4-D",
    ),
    "conv3d_3d": (lambda L, x: L.nn.functional.conv3d(x, L.ones(2, 3, 1, 1, 1)), (3, 4, 4), "5-D"),
    "Conv2d_2d": (lambda L, x: L.nn.Conv2d(3, 2, 3)(x), (8, 8), "3-D or 4-D"),
    "conv_transpose2d_2d": (
        lambda L, x: L.nn.functional.conv_transpose2d(x, L.ones(3, 2, 3, 3)),
        (8, 8),
        "3-D or 4-D",
    ),
    "ConvTranspose1d_4d": (lambda L, x: L.nn.ConvTranspose1d(3, 2, 3)(x), (1, 1, 3, 8), "3-D"),
    "max_pool1d_1d": (lambda L, x: L.nn.functional.max_pool1d(x, 2), (8,), "2-D or 3-D"),
    "max_pool2d_1d": (lambda L, x: L.nn.functional.max_pool2d(x, 2), (8,), "3-D or 4-D"),
    "max_pool2d_5d": (lambda L, x: L.nn.functional.max_pool2d(x, 2), (1, 1, 2, 4, 4), "4-D"),
    "MaxPool3d_3d": (lambda L, x: L.nn.MaxPool3d(2)(x), (2, 4, 4), "4-D or 5-D"),
    "avg_pool2d_5d": (lambda L, x: L.nn.functional.avg_pool2d(x, 2), (1, 1, 2, 4, 4), "4-D"),
    "AvgPool1d_4d": (lambda L, x: L.nn.AvgPool1d(2)(x), (1, 2, 2, 4), "2-D or 3-D"),
    "lp_pool2d_5d": (lambda L, x: L.nn.functional.lp_pool2d(x, 2, 2), (1, 1, 2, 4, 4), "4-D"),
    "LPPool3d_3d": (lambda L, x: L.nn.LPPool3d(2, 2)(x), (4, 4, 4), "4-D or 5-D"),
    "adaptive_avg_pool2d_2d": (
        lambda L, x: L.nn.functional.adaptive_avg_pool2d(x, 2),
        (4, 4),
        "3-D or 4-D",
    ),
    "AdaptiveMaxPool2d_5d": (lambda L, x: L.nn.AdaptiveMaxPool2d(2)(x), (1, 1, 2, 4, 4), "4-D"),
    "max_unpool2d_2d": (
        lambda L, x: L.nn.functional.max_unpool2d(x, L.zeros(x.shape, dtype=L.int64), 2),
        (2, 2),
        "3-D or 4-D",
    ),
    "unfold_5d": (lambda L, x: L.nn.functional.unfold(x, 2), (1, 1, 2, 4, 4), "3-D or 4-D"),
    "fold_1d": (lambda L, x: L.nn.functional.fold(x, (3, 3), 2), (4,), "2-D or 3-D"),
}
#: too few axes where torch 2.13 indexes an axis before it checks the rank: its IndexError
#: ("Dimension out of range") is not a statement about the rank; ours is the same ShapeError
TORCH_INDEX_ERROR = {
    "avg_pool2d_2d": (lambda L, x: L.nn.functional.avg_pool2d(x, 2), (4, 4), "3-D or 4-D"),
    "lp_pool2d_1d": (lambda L, x: L.nn.functional.lp_pool2d(x, 2, 2), (8,), "3-D or 4-D"),
    "unfold_2d": (lambda L, x: L.nn.functional.unfold(x, 2), (4, 4), "3-D or 4-D"),
}


@pytest.mark.parametrize("name", sorted(WRONG_RANK) + sorted(TORCH_INDEX_ERROR))
def test_an_input_of_the_wrong_rank_raises_torchs_type_naming_the_ranks_and_shape(name):
    call, shape, ranks = WRONG_RANK.get(name) or TORCH_INDEX_ERROR[name]
    with pytest.raises(IndexError if name in TORCH_INDEX_ERROR else RuntimeError):
        call(torch, torch.ones(shape))
    with pytest.raises(ShapeError, match=rf"{ranks}.*{re.escape(str(shape))}"):
        call(tnn, tnn.ones(shape))
