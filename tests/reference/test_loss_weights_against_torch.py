"""The loss weights against PyTorch (when installed): F.binary_cross_entropy and
F.binary_cross_entropy_with_logits with ``weight`` and ``pos_weight`` of broadcast shapes,
legacy ``size_average``/``reduce`` and huge logits (same float64 inputs, same values and
gradients with respect to input and target, one random upstream gradient, every element;
the dtype of mixed float32/float64 cases); the parameter names, order and defaults of the
four functions and modules; the ``state_dict()`` keys of BCELoss, BCEWithLogitsLoss, NLLLoss
and CrossEntropyLoss with and without weights, and their dtypes after ``double()``; the
exception types for weights of a wrong shape or type."""

import inspect
import warnings

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

rng = np.random.default_rng(11)
PROBS = rng.uniform(0.05, 0.95, (2, 3, 4))
TARGETS = rng.uniform(0.0, 1.0, (2, 3, 4))
LOGITS = rng.standard_normal((2, 3, 4)) * 3
HUGE = np.array([[-1e4, -40.0, 0.0, 40.0], [1e4, -1e30, 1e30, 5.0]])
HUGE_TARGETS = np.array([[1.0, 1.0, 0.5, 0.0], [0.0, 1.0, 0.0, 0.3]])
#: weights whose shapes broadcast to (2, 3, 4): full, per last axis, per middle axis, 0-d
WEIGHTS = {
    "full": rng.uniform(0.0, 2.0, (2, 3, 4)),
    "last_axis": rng.uniform(0.0, 2.0, (4,)),
    "middle_axis": rng.uniform(0.0, 2.0, (3, 1)),
    "scalar": np.array(1.7),
}


def F(L):
    return L.nn.functional


def _w(L, name):
    return None if name is None else L.tensor(WEIGHTS[name])


CASES = {}
for reduction in ("mean", "sum", "none"):
    for w in (None, *WEIGHTS):
        CASES[f"binary_cross_entropy_{w}_{reduction}"] = (
            lambda L, y, t, w=w, r=reduction: F(L).binary_cross_entropy(
                y, t, _w(L, w), reduction=r
            ),
            [PROBS, TARGETS],
        )
        CASES[f"BCELoss_{w}_{reduction}"] = (
            lambda L, y, t, w=w, r=reduction: L.nn.BCELoss(_w(L, w), reduction=r)(y, t),
            [PROBS, TARGETS],
        )
        for p in (None, *WEIGHTS):
            CASES[f"binary_cross_entropy_with_logits_{w}_{p}_{reduction}"] = (
                lambda L, z, t, w=w, p=p, r=reduction: F(L).binary_cross_entropy_with_logits(
                    z, t, _w(L, w), reduction=r, pos_weight=_w(L, p)
                ),
                [LOGITS, TARGETS],
            )
    CASES[f"BCEWithLogitsLoss_{reduction}"] = (
        lambda L, z, t, r=reduction: L.nn.BCEWithLogitsLoss(
            _w(L, "last_axis"), reduction=r, pos_weight=_w(L, "middle_axis")
        )(z, t),
        [LOGITS, TARGETS],
    )
CASES["binary_cross_entropy_with_logits_huge"] = (
    lambda L, z, t: F(L).binary_cross_entropy_with_logits(
        z, t, reduction="none", pos_weight=L.tensor([3.0, 0.5, 1.0, 2.0], dtype=L.float64)
    ),
    [HUGE, HUGE_TARGETS],
)
for legacy in ({"size_average": False}, {"reduce": False}, {"size_average": True}):
    key = "_".join(f"{k}_{v}" for k, v in legacy.items())
    CASES[f"binary_cross_entropy_{key}"] = (
        lambda L, y, t, kw=legacy: F(L).binary_cross_entropy(y, t, _w(L, "last_axis"), **kw),
        [PROBS, TARGETS],
    )
    CASES[f"BCEWithLogitsLoss_{key}"] = (
        lambda L, z, t, kw=legacy: L.nn.BCEWithLogitsLoss(pos_weight=_w(L, "last_axis"), **kw)(
            z, t
        ),
        [LOGITS, TARGETS],
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_values_and_gradients_as_pytorchs(case):
    fn, arrays = CASES[case]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the legacy arguments' warning
        tt.assert_same_case(fn, arrays, tnn, torch, np.random.default_rng(0))


@pytest.mark.parametrize("dtypes", [("float32", "float64"), ("float64", "float32")])
def test_the_logits_loss_has_the_targets_dtype_with_weights(dtypes):
    """Weights of float32 with a float32 and a float64 of input and target, either way."""
    results = []
    for L in (tnn, torch):
        z, t = (L.tensor(a.astype(d)) for a, d in zip((LOGITS, TARGETS), dtypes))
        w, p = (L.tensor(WEIGHTS[k].astype(np.float32)) for k in ("last_axis", "middle_axis"))
        out = F(L).binary_cross_entropy_with_logits(z, t, w, reduction="none", pos_weight=p)
        results.append((str(out.dtype).removeprefix("torch."), out.detach().numpy()))
    (dtype, out), (ref_dtype, ref) = results
    assert dtype == ref_dtype == dtypes[1]
    np.testing.assert_allclose(out, ref, rtol=2e-6, atol=1e-6)


@pytest.mark.parametrize("weight_dtype", ["float64", "int64"])
def test_binary_cross_entropy_has_the_inputs_dtype_whatever_the_weights(weight_dtype):
    results = []
    for L in (tnn, torch):
        y, t = (L.tensor(a.astype(np.float32)) for a in (PROBS, TARGETS))
        w = L.tensor(np.array([1, 2, 0, 3], weight_dtype))
        out = F(L).binary_cross_entropy(y, t, w, reduction="none")
        results.append((str(out.dtype).removeprefix("torch."), out.detach().numpy()))
    (dtype, out), (ref_dtype, ref) = results
    assert dtype == ref_dtype == "float32"
    np.testing.assert_allclose(out, ref, rtol=1e-6)


SIGNATURES = {
    "binary_cross_entropy": lambda L: F(L).binary_cross_entropy,
    "binary_cross_entropy_with_logits": lambda L: F(L).binary_cross_entropy_with_logits,
    "BCELoss": lambda L: L.nn.BCELoss.__init__,
    "BCEWithLogitsLoss": lambda L: L.nn.BCEWithLogitsLoss.__init__,
    "NLLLoss": lambda L: L.nn.NLLLoss.__init__,
    "CrossEntropyLoss": lambda L: L.nn.CrossEntropyLoss.__init__,
}


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_parameter_names_order_and_defaults_as_pytorchs(name):
    ours, theirs = (inspect.signature(SIGNATURES[name](L)).parameters for L in (tnn, torch))
    assert [(p.name, p.kind, p.default) for p in ours.values()] == [
        (p.name, p.kind, p.default) for p in theirs.values()
    ]


MODULES = {
    "BCELoss": lambda L, w: L.nn.BCELoss(w),
    "BCEWithLogitsLoss": lambda L, w: L.nn.BCEWithLogitsLoss(w),
    "BCEWithLogitsLoss_pos_weight": lambda L, w: L.nn.BCEWithLogitsLoss(pos_weight=w),
    "BCEWithLogitsLoss_both": lambda L, w: L.nn.BCEWithLogitsLoss(w, pos_weight=w * 2),
    "NLLLoss": lambda L, w: L.nn.NLLLoss(w),
    "CrossEntropyLoss": lambda L, w: L.nn.CrossEntropyLoss(w),
}


MODULE_CASES = [(name, True) for name in MODULES] + [
    (name, False) for name in ("BCELoss", "BCEWithLogitsLoss", "NLLLoss", "CrossEntropyLoss")
]


@pytest.mark.parametrize(("name", "weighted"), MODULE_CASES)
def test_state_dict_of_the_loss_modules_as_pytorchs(name, weighted):
    """The same keys and values; after ``double()`` the same dtypes."""
    states = []
    for L in (tnn, torch):
        w = L.tensor([0.5, 2.0, 1.0], dtype=L.float32) if weighted else None
        module = MODULES[name](L, w)
        before = {k: v.numpy().copy() for k, v in module.state_dict().items()}
        after = {
            k: str(v.dtype).removeprefix("torch.") for k, v in module.double().state_dict().items()
        }
        states.append((before, after))
    (ours, ours_after), (theirs, theirs_after) = states
    assert list(ours) == list(theirs) and ours_after == theirs_after
    for k in ours:
        np.testing.assert_array_equal(ours[k], theirs[k])


HOSTILE = {
    "bce_weight_wrong_shape": lambda L: F(L).binary_cross_entropy(
        L.tensor(PROBS), L.tensor(TARGETS), L.ones(5)
    ),
    "bce_weight_larger_than_input": lambda L: F(L).binary_cross_entropy(
        L.tensor(PROBS[0]), L.tensor(TARGETS[0]), L.ones(2, 3, 4, dtype=L.float64)
    ),
    "bce_logits_weight_wrong_shape": lambda L: F(L).binary_cross_entropy_with_logits(
        L.tensor(LOGITS), L.tensor(TARGETS), L.ones(3)
    ),
    "bce_logits_pos_weight_wrong_shape": lambda L: F(L).binary_cross_entropy_with_logits(
        L.tensor(LOGITS), L.tensor(TARGETS), pos_weight=L.ones(3)
    ),
    "bce_logits_pos_weight_larger_than_input": lambda L: F(L).binary_cross_entropy_with_logits(
        L.tensor(LOGITS[0]), L.tensor(TARGETS[0]), pos_weight=L.ones(2, 3, 4, dtype=L.float64)
    ),
    "BCELoss_weight_wrong_shape": lambda L: L.nn.BCELoss(L.ones(2, 2))(
        L.tensor(PROBS), L.tensor(TARGETS)
    ),
    "BCEWithLogitsLoss_pos_weight_wrong_shape": lambda L: L.nn.BCEWithLogitsLoss(
        pos_weight=L.ones(5)
    )(L.tensor(LOGITS), L.tensor(TARGETS)),
    "BCELoss_list_weight": lambda L: L.nn.BCELoss([1.0, 2.0]),
    "BCEWithLogitsLoss_list_pos_weight": lambda L: L.nn.BCEWithLogitsLoss(pos_weight=[1.0]),
    "CrossEntropyLoss_list_weight": lambda L: L.nn.CrossEntropyLoss([1.0, 2.0]),
    "NLLLoss_list_weight": lambda L: L.nn.NLLLoss([1.0, 2.0]),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_weights_of_a_wrong_shape_or_type_raise_pytorchs_exception_type(case):
    tt.assert_same_error(HOSTILE[case], tnn, torch)
