"""Hostile inputs to layers, losses, state dicts and optimizers."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn
from tinygrad_nn.nn import functional as F

from .conftest import case, refused

NAN = float("nan")


def linear():
    return nn.Linear(3, 2)


def params():
    return linear().parameters()


LAYERS = [
    case(lambda: linear()(np.ones((1, 3))), TypeError, "must be a Tensor", "linear-ndarray"),
    case(lambda: linear()([[1.0, 2.0, 3.0]]), TypeError, "must be a Tensor", "linear-list"),
    case(lambda: linear()(tnn.tensor(1.0)), ValueError, "0-d", "linear-0d"),
    case(lambda: linear()(tnn.ones(2, 4)), ValueError, "features", "linear-width"),
    case(lambda: nn.Dropout(1.5), ValueError, "between 0 and 1", "dropout-p"),
    case(lambda: nn.Dropout(NAN), ValueError, "between 0 and 1", "dropout-nan"),
    case(
        lambda: F.binary_cross_entropy(tnn.tensor([0.5]), tnn.tensor([2.0])),
        ValueError,
        "target must be probabilities",
        "bce-target-2",
    ),
    case(
        lambda: F.binary_cross_entropy(tnn.tensor([0.5]), tnn.tensor([-0.1])),
        ValueError,
        "target must be probabilities",
        "bce-target-negative",
    ),
    case(
        lambda: F.binary_cross_entropy(tnn.tensor([0.5]), tnn.tensor([NAN])),
        ValueError,
        "target",
        "bce-target-nan",
    ),
    case(
        lambda: F.binary_cross_entropy(tnn.tensor([1.5]), tnn.tensor([1.0])),
        ValueError,
        "input must be probabilities",
        "bce-input",
    ),
    case(
        lambda: F.binary_cross_entropy(tnn.ones(2, 3) / 2, tnn.ones(2, 3), tnn.ones(2)),
        RuntimeError,
        "weight of shape (2,) must broadcast to the input's shape (2, 3)",
        "bce-weight-shape",
    ),
    case(
        lambda: F.binary_cross_entropy_with_logits(
            tnn.ones(3), tnn.ones(3), pos_weight=tnn.ones(2, 3)
        ),
        RuntimeError,
        "pos_weight of shape (2, 3) must broadcast to the input's shape (3,)",
        "bce-logits-pos-weight-shape",
    ),
    case(
        lambda: F.binary_cross_entropy(tnn.ones(2) / 2, tnn.ones(2), "sum"),
        TypeError,
        "weight must be a Tensor or None, got str 'sum' (pass the reduction by name",
        "bce-reduction-as-weight",
    ),
    case(
        lambda: nn.BCEWithLogitsLoss(pos_weight=[2.0]),
        TypeError,
        "'list' object to buffer 'pos_weight'",
        "bce-logits-pos-weight-list",
    ),
    case(
        lambda: F.cross_entropy(tnn.ones(2, 3), tnn.tensor([0, 3])),
        IndexError,
        "out of range",
        "ce-class-3",
    ),
    case(
        lambda: F.cross_entropy(tnn.ones(2, 3), tnn.tensor([0, -2])),
        IndexError,
        "out of range",
        "ce-class-negative",
    ),
    case(
        lambda: F.cross_entropy(tnn.ones(2, 3), tnn.tensor(["a", "b"])),
        TypeError,
        "strings",
        "ce-string-target",
    ),
    case(
        lambda: F.cross_entropy(tnn.ones(2, 3), tnn.ones(2, 4)),
        ValueError,
        "must match",
        "ce-prob-shape",
    ),
    case(
        lambda: F.cross_entropy(tnn.ones(2, 3, 4, 5), tnn.tensor([0])),
        ValueError,
        "(2, 4, 5)",
        "ce-4d-target-of-other-batch",
    ),
    case(lambda: F.mse_loss(tnn.ones(2), tnn.ones(3)), RuntimeError, "must match", "mse-shape"),
    case(
        lambda: F.mse_loss(tnn.ones(2), tnn.ones(2), reduction="avg"),
        ValueError,
        "reduction",
        "mse-reduction",
    ),
    case(lambda: F.one_hot(tnn.tensor([0, 5]), 3), ValueError, "[0, 3)", "one-hot-range"),
    case(lambda: F.one_hot(tnn.tensor([0.5])), TypeError, "integer", "one-hot-float"),
]

STATE_DICTS = [
    case(lambda: linear().load_state_dict(None), TypeError, "dict", "none"),
    case(
        lambda: linear().load_state_dict([("weight", np.zeros((2, 3)))]),
        TypeError,
        "dict(pairs)",
        "list-of-pairs",
    ),
    case(
        lambda: linear().load_state_dict(
            {"weight": np.array([[None] * 3] * 2, dtype=object), "bias": np.zeros(2)}
        ),
        TypeError,
        "does not cast safely",
        "object-array",
    ),
    case(
        lambda: linear().load_state_dict({"weight": np.full((2, 3), "1.5"), "bias": np.zeros(2)}),
        TypeError,
        "does not cast safely",
        "strings",
    ),
    case(
        lambda: linear().load_state_dict({"weight": "abc", "bias": np.zeros(2)}),
        TypeError,
        "is a str",
        "string-value",
    ),
    case(
        lambda: linear().load_state_dict({"weight": np.ones((2, 3), complex), "bias": np.zeros(2)}),
        TypeError,
        "does not cast safely",
        "complex",
    ),
    case(
        lambda: linear().load_state_dict({"weight": np.ones((3, 2)), "bias": np.zeros(2)}),
        ValueError,
        "size mismatch",
        "transposed",
    ),
    case(
        lambda: linear().load_state_dict({"weight": np.ones((2, 3))}), KeyError, "bias", "missing"
    ),
]

OPTIMIZERS = [
    case(lambda: tnn.optim.Adam(params(), lr=NAN), ValueError, "learning rate", "adam-lr-nan"),
    case(lambda: tnn.optim.Adam(params(), lr=-1), ValueError, "learning rate", "adam-lr-neg"),
    case(lambda: tnn.optim.Adam(params(), eps=NAN), ValueError, "epsilon", "adam-eps-nan"),
    case(lambda: tnn.optim.Adam(params(), betas=(0.9,)), ValueError, "pair", "adam-one-beta"),
    case(lambda: tnn.optim.Adam(params(), betas=(0.9, 1.0)), ValueError, "beta", "adam-beta-1"),
    case(lambda: tnn.optim.Adam(params(), betas=(NAN, 0.9)), ValueError, "beta", "adam-beta-nan"),
    case(
        lambda: tnn.optim.Adam(params(), weight_decay=NAN),
        ValueError,
        "weight_decay",
        "adam-wd-nan",
    ),
    case(lambda: tnn.optim.SGD(params(), lr=NAN), ValueError, "learning rate", "sgd-lr-nan"),
    case(lambda: tnn.optim.SGD(params(), momentum=NAN), ValueError, "momentum", "sgd-mom-nan"),
    case(lambda: tnn.optim.RMSprop(params(), eps=NAN), ValueError, "epsilon", "rmsprop-eps"),
    case(lambda: tnn.optim.RMSprop(params(), alpha=NAN), ValueError, "alpha", "rmsprop-alpha"),
    case(lambda: tnn.optim.SGD([], lr=0.1), ValueError, "empty", "sgd-no-params"),
    case(lambda: tnn.optim.SGD([tnn.ones(2)], lr=0.1), TypeError, "require grad", "sgd-no-grad"),
]


def image():
    return tnn.ones(2, 3, 4)


def unpool(values=None, indices=None, **kw):
    """Unpool a 2x2 max pooling of a (1, 2, 4, 4) input, with parts swapped for bad ones."""
    y, idx = F.max_pool2d(tnn.randn(1, 2, 4, 4), 2, return_indices=True)
    return F.max_unpool2d(
        y if values is None else values, idx if indices is None else indices, 2, **kw
    )


PADDING = [
    case(lambda: F.pad(np.ones((2, 3)), (1, 1)), TypeError, "must be a Tensor", "pad-ndarray"),
    case(lambda: F.pad(image(), 2), TypeError, "sequence of ints", "pad-int"),
    case(lambda: F.pad(image(), (1.5, 1)), TypeError, "ints", "pad-float-amount"),
    case(lambda: F.pad(image(), (1, 1, 1)), RuntimeError, "odd number", "pad-odd"),
    case(lambda: F.pad(image(), (1,) * 8), RuntimeError, "for 4 axes", "pad-too-many-axes"),
    case(
        lambda: F.pad(image(), (1, 1), mode="mirror"),
        NotImplementedError,
        "mode must be",
        "pad-mode",
    ),
    case(
        lambda: F.pad(image(), (1, 1), mode="reflect", value=1.0),
        RuntimeError,
        "takes no value",
        "pad-reflect-value",
    ),
    case(
        lambda: F.pad(image(), (4, 0), mode="reflect"),
        RuntimeError,
        "smaller than the size 4",
        "pad-reflect-too-wide",
    ),
    case(
        lambda: F.pad(image(), (0, 5), mode="circular"),
        RuntimeError,
        "more than once",
        "pad-circular-wraps-twice",
    ),
    case(
        lambda: F.pad(image(), (1, -4), mode="circular"),
        RuntimeError,
        "nothing to wrap",
        "pad-circular-crops-all",
    ),
    case(
        lambda: F.pad(tnn.ones(4), (1, 1), mode="replicate"),
        NotImplementedError,
        "one (C) or two (N, C) more axes",
        "pad-replicate-no-channels",
    ),
    case(
        lambda: F.pad(tnn.ones(2, 0, 4), (1, 1), mode="reflect"),
        RuntimeError,
        "non-empty",
        "pad-reflect-empty-channels",
    ),
    case(lambda: F.pad(image(), (-3, -2)), RuntimeError, "removes more", "pad-crop-too-much"),
    case(
        lambda: nn.Conv2d(3, 3, 3, padding_mode="mirror"),
        ValueError,
        "padding_mode must be one of",
        "conv-padding-mode",
    ),
    case(
        lambda: nn.ConvTranspose2d(3, 3, 3, padding_mode="circular"),
        ValueError,
        "only padding_mode='zeros'",
        "conv-transpose-padding-mode",
    ),
    case(lambda: unpool(indices=np.zeros((1, 2, 2, 2))), TypeError, "Tensor", "unpool-ndarray"),
    case(
        lambda: unpool(indices=tnn.zeros(1, 2, 2, 2)),
        TypeError,
        "integers",
        "unpool-float-indices",
    ),
    case(
        lambda: unpool(indices=tnn.zeros(1, 2, 2, 1, dtype=tnn.int64)),
        ValueError,
        "input's shape",
        "unpool-index-shape",
    ),
    case(
        lambda: unpool(indices=tnn.full((1, 2, 2, 2), -1, dtype=tnn.int64)),
        IndexError,
        "out of range",
        "unpool-negative-index",
    ),
    case(
        lambda: unpool(indices=tnn.full((1, 2, 2, 2), 16, dtype=tnn.int64)),
        IndexError,
        "out of range",
        "unpool-index-beyond-plane",
    ),
    case(lambda: unpool(output_size=4), TypeError, "sequence", "unpool-output-size-int"),
    case(lambda: unpool(output_size=(4, 4, 4)), ValueError, "2 or 4", "unpool-output-size-3"),
    case(lambda: unpool(output_size=(6, 4)), ValueError, "between 2 and 6", "unpool-output-big"),
    case(
        lambda: F.max_unpool2d(tnn.ones(2, 2), tnn.zeros(2, 2, dtype=tnn.int64), 2),
        ValueError,
        "3-D or 4-D",
        "unpool-2d-input",
    ),
    case(
        lambda: F.max_unpool2d(tnn.ones(1, 0, 2, 2), tnn.zeros(1, 0, 2, 2, dtype=tnn.int64), 2),
        RuntimeError,
        "non-empty",
        "unpool-empty-channels",
    ),
    case(lambda: nn.MaxUnpool2d((2, 2, 2)), ValueError, "kernel_size", "unpool-kernel-3"),
]


@pytest.mark.parametrize("call, error, keyword", LAYERS + PADDING + STATE_DICTS + OPTIMIZERS)
def test_bad_input_is_refused(call, error, keyword):
    refused(call, error, keyword)


def test_refused_state_dict_changes_nothing():
    model = linear()
    before = [p.detach().numpy().copy() for p in (model.weight, model.bias)]
    with pytest.raises(TypeError):
        model.load_state_dict({"weight": np.zeros((2, 3)), "bias": np.array(["x", "y"])})
    np.testing.assert_array_equal(model.weight.detach().numpy(), before[0])
    np.testing.assert_array_equal(model.bias.detach().numpy(), before[1])


def test_float64_state_dict_loads_into_float32_weights():
    model = linear()
    model.load_state_dict({"weight": np.full((2, 3), 0.5), "bias": np.zeros(2, np.int64)})
    assert model.weight.dtype == np.float32 and model.weight.tolist()[0] == [0.5] * 3
