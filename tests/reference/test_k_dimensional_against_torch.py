"""The K-dimensional ``cross_entropy`` / ``nll_loss`` (input (N, C, d1, ..., dK)) and
``BatchNorm3d`` / ``InstanceNorm3d`` against PyTorch (when installed): same float64 inputs,
same values and gradients (one random upstream gradient, every element) for every
combination of the loss options, the same running statistics and the same exception types."""

import inspect
import itertools

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

rng = np.random.default_rng(13)
POSITIONS = {1: (5,), 2: (3, 2), 3: (2, 1, 3)}
WEIGHT = rng.uniform(0.5, 2.0, 4)
OPTIONS = list(
    itertools.product(["mean", "sum", "none"], [False, True], [None, 1], [0.0, 0.25])
)  # reduction, weight, ignore_index, label_smoothing


def _inputs(k):
    z = rng.standard_normal((2, 4, *POSITIONS[k]))
    idx = rng.integers(0, 4, (2, *POSITIONS[k]))
    idx.flat[0] = 0  # a counted position whatever ignore_index is
    probs = np.moveaxis(rng.dirichlet(np.ones(4), (2, *POSITIONS[k])), -1, 1)
    return z, idx, probs


def _kwargs(L, reduction, weight, ignore_index, label_smoothing):
    kw = dict(reduction=reduction)
    if weight:
        kw["weight"] = L.tensor(WEIGHT)
    if ignore_index is not None:
        kw["ignore_index"] = ignore_index
    if label_smoothing:
        kw["label_smoothing"] = label_smoothing
    return kw


def _compare(loss, arrays, target, options):
    """``loss(library, *leaves, target, **options)`` of ours and of torch: values, then the
    gradients of every leaf after the same random upstream gradient."""
    ours = [tnn.tensor(a, dtype=tnn.float64, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    out = loss(tnn, *ours, target(tnn), **_kwargs(tnn, *options))
    ref = loss(torch, *theirs, target(torch), **_kwargs(torch, *options))
    tt.assert_same_gradients(out, ref, ours, theirs, rng)


@pytest.mark.parametrize("options", OPTIONS, ids=str)
@pytest.mark.parametrize("k", [1, 2, 3])
def test_cross_entropy_of_class_indices_matches_pytorch(k, options):
    z, idx, _ = _inputs(k)
    _compare(
        lambda L, a, t, **kw: L.nn.functional.cross_entropy(a, t, **kw), [z], _of(idx), options
    )


@pytest.mark.parametrize("options", [o for o in OPTIONS if o[2] is None], ids=str)
@pytest.mark.parametrize("k", [1, 2, 3])
def test_cross_entropy_of_probabilities_matches_pytorch(k, options):
    """The target's gradient too: a probability target may be learnt (distillation)."""
    z, _, probs = _inputs(k)
    _compare(
        lambda L, a, p, t, **kw: L.nn.functional.cross_entropy(a, p, **kw),
        [z, probs],
        lambda L: None,
        options,
    )


@pytest.mark.parametrize("options", [o for o in OPTIONS if not o[3]], ids=str)
@pytest.mark.parametrize("k", [1, 2, 3])
def test_nll_loss_and_its_module_match_pytorch(k, options):
    z, idx, _ = _inputs(k)
    reduction, weight, ignore_index, _ = options
    _compare(
        lambda L, a, t, **kw: L.nn.functional.nll_loss(a.log_softmax(1), t, **kw),
        [z],
        _of(idx),
        options,
    )
    _compare(
        lambda L, a, t, **kw: L.nn.NLLLoss(
            kw.get("weight"), None, kw.get("ignore_index", -100), None, kw["reduction"]
        )(a, t),
        [z],
        _of(idx),
        options,
    )


def test_cross_entropy_module_of_segmentation_logits_matches_pytorch():
    z, idx, _ = _inputs(3)
    _compare(
        lambda L, a, t, **kw: L.nn.CrossEntropyLoss(
            kw["weight"], None, 2, None, "mean", kw["label_smoothing"]
        )(a, t),
        [z],
        _of(idx),
        ("mean", True, None, 0.1),
    )


def test_every_position_ignored_gives_pytorchs_nan():
    _, idx, _ = _inputs(2)
    for reduction in ("mean", "sum"):
        options = (reduction, True, -100, 0.2)
        z = np.random.default_rng(0).standard_normal((2, 4, *POSITIONS[2]))
        results = []
        for L in (tnn, torch):
            t = L.tensor(np.full_like(idx, -100))
            results.append(L.nn.functional.cross_entropy(L.tensor(z), t, **_kwargs(L, *options)))
        np.testing.assert_array_equal(results[0].numpy(), results[1].numpy())


def _of(array):
    """A target made by each library from ``array``."""
    return lambda L: L.tensor(array)


def _ones(L, *shape):
    return L.ones(shape)


def _classes(L, *shape):
    return L.zeros(shape, dtype=L.int64)


ERRORS = {
    "ce_batch": lambda L: L.nn.functional.cross_entropy(_ones(L, 2, 3, 4), _classes(L, 3, 4)),
    "ce_positions": lambda L: L.nn.functional.cross_entropy(_ones(L, 2, 3, 4), _classes(L, 2, 5)),
    "ce_extra_axis": lambda L: L.nn.functional.cross_entropy(
        _ones(L, 2, 3, 4), _classes(L, 2, 4, 1)
    ),
    "ce_probabilities_moved": lambda L: L.nn.functional.cross_entropy(
        _ones(L, 2, 3, 4), _ones(L, 2, 4, 3)
    ),
    "ce_float_indices": lambda L: L.nn.functional.cross_entropy(_ones(L, 2, 3, 4), _ones(L, 2, 4)),
    "ce_out_of_range": lambda L: L.nn.functional.cross_entropy(
        _ones(L, 2, 3, 4), _classes(L, 2, 4) + 3
    ),
    "ce_negative": lambda L: L.nn.functional.cross_entropy(
        _ones(L, 2, 3, 4, 1), _classes(L, 2, 4, 1) - 1
    ),
    "nll_batch": lambda L: L.nn.functional.nll_loss(_ones(L, 2, 3, 4), _classes(L, 1, 4)),
    "nll_positions": lambda L: L.nn.functional.nll_loss(_ones(L, 2, 3, 4, 2), _classes(L, 2, 4)),
    "nll_probabilities": lambda L: L.nn.functional.nll_loss(_ones(L, 2, 3, 4), _ones(L, 2, 3, 4)),
    "nll_float_indices": lambda L: L.nn.functional.nll_loss(_ones(L, 2, 3), _ones(L, 2)),
    "nll_out_of_range": lambda L: L.nn.functional.nll_loss(
        _ones(L, 2, 3, 4), _classes(L, 2, 4) + 3
    ),
    "nll_0d": lambda L: L.nn.functional.nll_loss(_ones(L), _classes(L)),
    "BatchNorm3d_4d": lambda L: L.nn.BatchNorm3d(3)(_ones(L, 2, 3, 4, 4)),
    "BatchNorm3d_one_value": lambda L: L.nn.BatchNorm3d(3)(_ones(L, 1, 3, 1, 1, 1)),
    "InstanceNorm3d_3d": lambda L: L.nn.InstanceNorm3d(3)(_ones(L, 3, 4, 4)),
    "InstanceNorm3d_6d": lambda L: L.nn.InstanceNorm3d(3)(_ones(L, 1, 2, 3, 2, 2, 2)),
    "InstanceNorm3d_one_voxel": lambda L: L.nn.InstanceNorm3d(3)(_ones(L, 1, 3, 1, 1, 1)),
    "InstanceNorm3d_affine_channels": lambda L: L.nn.InstanceNorm3d(3, affine=True)(
        _ones(L, 1, 4, 2, 2, 2)
    ),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_arguments_raise_what_pytorch_raises(name):
    tt.assert_same_error(ERRORS[name], tnn, torch)


VOLUMES = [rng.standard_normal((2, 3, 2, 3, 2)) * (i + 1) + i for i in range(3)]
NORMS = {
    "BatchNorm3d": lambda L: L.nn.BatchNorm3d(3, dtype=L.float64),
    "BatchNorm3d_cumulative": lambda L: L.nn.BatchNorm3d(3, momentum=None, dtype=L.float64),
    "BatchNorm3d_untracked": lambda L: L.nn.BatchNorm3d(
        3, affine=False, track_running_stats=False, dtype=L.float64
    ),
    "BatchNorm3d_no_bias": lambda L: L.nn.BatchNorm3d(3, 1e-3, 0.3, dtype=L.float64, bias=False),
    "InstanceNorm3d": lambda L: L.nn.InstanceNorm3d(3, dtype=L.float64),
    "InstanceNorm3d_tracking": lambda L: L.nn.InstanceNorm3d(
        3, momentum=0.2, affine=True, track_running_stats=True, dtype=L.float64
    ),
    "InstanceNorm3d_momentum_none": lambda L: L.nn.InstanceNorm3d(
        3, momentum=None, track_running_stats=True, dtype=L.float64
    ),
}


@pytest.mark.parametrize("name", sorted(NORMS))
def test_3d_norms_train_and_eval_as_pytorchs(name):
    """Three training steps (outputs, gradients of the input and the parameters), the running
    statistics, then eval and an unbatched volume; the printed module and state_dict keys."""
    ours, theirs = NORMS[name](tnn), NORMS[name](torch)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    with torch.no_grad():  # a non-trivial affine map
        for p, q in zip(ours.parameters(), theirs.parameters()):
            q.copy_(torch.from_numpy(rng.uniform(0.5, 1.5, tuple(q.shape))))
            p.data.copy_(tnn.from_numpy(q.numpy()))
    unbatched = name.startswith("Instance")
    for step, x in enumerate(VOLUMES + [VOLUMES[0]] + ([VOLUMES[1][0]] if unbatched else [])):
        if step == 3:
            ours.eval(), theirs.eval()
        a = tnn.tensor(x, dtype=tnn.float64, requires_grad=True)
        b = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        out, ref = ours(a), theirs(b)
        np.testing.assert_allclose(
            out.detach().numpy(), ref.detach().numpy(), rtol=1e-9, atol=1e-12
        )
        v = rng.standard_normal(tuple(ref.shape))
        out.backward(tnn.from_numpy(v))
        ref.backward(torch.from_numpy(v))
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-9, atol=1e-12)
    for (key, p), q in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-9, err_msg=key)
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key].numpy(), value.numpy(), rtol=1e-12)


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
def test_loss_functions_take_torchs_arguments_in_torchs_order(name):
    ours, theirs = (
        inspect.signature(getattr(lib.nn.functional, name)).parameters for lib in (tnn, torch)
    )
    assert list(ours) == list(theirs)
    assert [p.default for p in ours.values()] == [p.default for p in theirs.values()]


@pytest.mark.filterwarnings("ignore:size_average and reduce args will be deprecated")
@pytest.mark.parametrize(
    "args, kwargs",
    [((None, None, -1), {}), ((), {"reduce": False}), ((), {"size_average": False})],
    ids=["positional_ignore_index", "reduce_false", "size_average_false"],
)
def test_cross_entropy_takes_torchs_positional_and_legacy_arguments(args, kwargs):
    rng = np.random.default_rng(5)
    z, t = rng.standard_normal((4, 3)), np.array([0, 2, -1 if args else 0, 1])
    got, want = (
        lib.nn.functional.cross_entropy(lib.tensor(z), lib.tensor(t), *args, **kwargs)
        for lib in (tnn, torch)
    )
    np.testing.assert_allclose(got.detach().numpy(), want.detach().numpy(), rtol=1e-12)
