"""Convolution, pooling, resizing, normalisation and the new layers against PyTorch: the
same float64 inputs and upstream gradient, values and every gradient compared; module
parameters and buffers (names, shapes, running statistics) as torch.nn's."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn
from tinygrad_nn import testing as tt
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
}


@pytest.mark.filterwarnings("ignore:Using padding='same'")
@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_match_torch(name):
    fns, arrays = CASES[name]
    ours_fn, torch_fn = fns
    ours = [tnn.Tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    theirs = [torch.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    y, ty = ours_fn(*ours), torch_fn(*theirs)
    if isinstance(y, tuple):  # values and indices
        y, idx = y
        ty, tidx = ty
        np.testing.assert_array_equal(idx.numpy(), tidx.numpy())
    assert y.shape == tuple(ty.shape)
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-10, atol=1e-12)
    g = rng.standard_normal(y.shape)
    (y * tnn.Tensor(g)).sum().backward()
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
}


def _input_for(name):
    if name.startswith("Conv1d") or name == "BatchNorm1d":
        return X1 if name.startswith("Conv1d") else X1[:, :, 0]
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
        y = ours(tnn.Tensor(x))
        ty = theirs(torch.tensor(x))
        np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-9, atol=1e-12)
        g = rng.standard_normal(y.shape)
        (y * tnn.Tensor(g)).sum().backward()
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
