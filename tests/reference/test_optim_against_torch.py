"""Adadelta, Adagrad, NAdam, OneCycleLR and ReduceLROnPlateau against PyTorch over a
trajectory: same float64 start, same loss, every step compared."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import optim
from tinygrad_nn import testing as tt
from tinygrad_nn.optim import lr_scheduler

torch = tt.reference_library("torch")

START = np.random.default_rng(3).standard_normal((3, 4))


@pytest.mark.parametrize(
    "name, kw",
    [
        ("Adadelta", dict()),
        ("Adadelta", dict(lr=0.5, rho=0.8, eps=1e-5, weight_decay=0.1, maximize=True)),
        ("Adagrad", dict(lr=0.1)),
        ("Adagrad", dict(lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.3)),
        ("NAdam", dict(lr=0.01)),
        ("NAdam", dict(lr=0.01, weight_decay=0.1, momentum_decay=0.01)),
        ("NAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ],
)
def test_optimizer_trajectories_match_pytorch(name, kw):
    p = tnn.tensor(START, dtype=tnn.float64, requires_grad=True)
    q = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    ours, ref = getattr(optim, name)([p], **kw), getattr(torch.optim, name)([q], **kw)
    for _ in range(25):
        for opt, t in ((ours, p), (ref, q)):
            opt.zero_grad()
            ((t * t).sum() + (t * 3.0).tanh().sum()).backward()
            opt.step()
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-11)
    assert not np.allclose(p.detach().numpy(), START)


@pytest.mark.parametrize("opt_name", ["SGD", "Adam"])
@pytest.mark.parametrize(
    "kw",
    [
        dict(max_lr=0.5, total_steps=20),
        dict(max_lr=0.5, epochs=4, steps_per_epoch=5, pct_start=0.25, anneal_strategy="linear"),
        dict(max_lr=0.5, total_steps=17, three_phase=True, div_factor=10.0),
        dict(max_lr=0.5, total_steps=12, cycle_momentum=False, final_div_factor=100.0),
    ],
)
def test_one_cycle_rates_and_momenta_match_pytorch(opt_name, kw):
    p, q = tnn.tensor([1.0], requires_grad=True), torch.tensor([1.0], requires_grad=True)
    extra = dict(momentum=0.9) if opt_name == "SGD" else {}
    ours_opt = getattr(optim, opt_name)([p], lr=0.1, **extra)
    ref_opt = getattr(torch.optim, opt_name)([q], lr=0.1, **extra)
    ours = lr_scheduler.OneCycleLR(ours_opt, **kw)
    ref = torch.optim.lr_scheduler.OneCycleLR(ref_opt, **kw)
    key = "momentum" if opt_name == "SGD" else "betas"
    for _ in range(ref.total_steps):
        assert ours.get_last_lr() == pytest.approx(ref.get_last_lr(), rel=1e-12)
        assert np.allclose(ours_opt.param_groups[0][key], ref_opt.param_groups[0][key], rtol=1e-12)
        ours_opt.step(), ref_opt.step()
        ours.step(), ref.step()
    with pytest.raises(ValueError, match="total_steps"):
        ours.step()


@pytest.mark.parametrize(
    "kw",
    [
        dict(patience=2),
        dict(mode="max", factor=0.5, patience=1, threshold=0.1, cooldown=2),
        dict(threshold_mode="abs", threshold=0.05, patience=0, min_lr=0.02),
        dict(mode="max", threshold_mode="abs", patience=1, eps=0.1),
    ],
)
def test_reduce_on_plateau_matches_pytorch(kw):
    p, q = tnn.tensor([1.0], requires_grad=True), torch.tensor([1.0], requires_grad=True)
    ours_opt, ref_opt = optim.SGD([p], lr=0.3), torch.optim.SGD([q], lr=0.3)
    ours = lr_scheduler.ReduceLROnPlateau(ours_opt, **kw)
    ref = torch.optim.lr_scheduler.ReduceLROnPlateau(ref_opt, **kw)
    metrics = [1.0, 0.9, 0.95, 0.91, 0.92, 0.5, 0.52, 0.51, 0.6, 0.49, 0.49, 0.3, 0.31, 0.4, 0.5]
    for m in metrics + metrics[::-1]:
        ours.step(m)
        ref.step(m)
        assert ours.get_last_lr() == pytest.approx(ref.get_last_lr(), rel=1e-12)
        assert ours.num_bad_epochs == ref.num_bad_epochs
    assert ours.get_last_lr() != [0.3] or kw.get("eps") == 0.1


def _state(opt):
    """An optimizer's state dict's state as plain numbers and numpy arrays."""
    return {
        i: {k: np.asarray(v.numpy() if hasattr(v, "numpy") else v) for k, v in s.items()}
        for i, s in opt.state_dict()["state"].items()
    }


def _assert_same_state(ours, ref, rtol=0.0):
    got, want = _state(ours), _state(ref)
    assert got.keys() == want.keys()
    for i in want:
        assert got[i].keys() == want[i].keys()
        for k in want[i]:
            assert got[i][k].shape == want[i][k].shape
            np.testing.assert_allclose(got[i][k], want[i][k], rtol=rtol, atol=0)


@pytest.mark.parametrize("kw", [dict(), dict(initial_accumulator_value=0.3, lr=0.1)])
def test_adagrad_state_exists_from_construction_as_in_pytorch(kw):
    p = tnn.tensor(START, dtype=tnn.float32, requires_grad=True)
    q = torch.tensor(START, dtype=torch.float32, requires_grad=True)
    p2 = tnn.ones(2, dtype=tnn.float64, requires_grad=True)
    q2 = torch.ones(2, dtype=torch.float64, requires_grad=True)
    # a group's own initial_accumulator_value is not used for the sums, in torch
    ours = optim.Adagrad(
        [{"params": [p]}, {"params": [p2], "initial_accumulator_value": 0.7}], **kw
    )
    ref = torch.optim.Adagrad(
        [{"params": [q]}, {"params": [q2], "initial_accumulator_value": 0.7}], **kw
    )
    _assert_same_state(ours, ref)
    assert _state(ours)[0]["sum"].dtype == p.dtype and _state(ours)[1]["sum"].dtype == p2.dtype
    # a parameter added later gets its state at its first step, with the constructor's value
    p3, q3 = tnn.zeros(3, requires_grad=True), torch.zeros(3, requires_grad=True)
    ours.add_param_group({"params": [p3], "initial_accumulator_value": 0.5})
    ref.add_param_group({"params": [q3], "initial_accumulator_value": 0.5})
    _assert_same_state(ours, ref)
    p3.grad, q3.grad = tnn.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 2.0, 3.0])
    ours.step(), ref.step()
    _assert_same_state(ours, ref, rtol=1e-6)
    np.testing.assert_allclose(p3.detach().numpy(), q3.detach().numpy(), rtol=1e-6)
    assert p3.detach().numpy().all()  # it moved


def test_adagrad_state_dict_taken_before_any_step_loads_and_steps_as_in_pytorch():
    p, q = tnn.tensor(START, requires_grad=True), torch.tensor(START, requires_grad=True)
    saved_ours = optim.Adagrad([p], initial_accumulator_value=0.2).state_dict()
    saved_ref = torch.optim.Adagrad([q], initial_accumulator_value=0.2).state_dict()
    ours, ref = optim.Adagrad([p], lr=0.1), torch.optim.Adagrad([q], lr=0.1)
    ours.load_state_dict(saved_ours)
    ref.load_state_dict(saved_ref)
    for opt, t in ((ours, p), (ref, q)):
        (t * t).sum().backward()
        opt.step()
    _assert_same_state(ours, ref, rtol=1e-12)
    np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-12)


GRADS = {
    "made with create_graph": lambda lib, w, x: (w**3).sum().backward(create_graph=True),
    "a leaf that requires grad": lambda lib, w, x: lib.ones(2, requires_grad=True),
    "a view with a graph": lambda lib, w, x: (x * 1)[:2],
    "a view without one": lambda lib, w, x: lib.zeros(3)[:2],
}


def _after_zero_grad(lib, make_grad, owner):
    """What ``zero_grad(set_to_none=False)`` of an optimizer or a module leaves in ``.grad``,
    and the gradient of a plain backward after it (or the error)."""
    w = lib.nn.Parameter(lib.tensor([1.0, 2.0]))
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    if owner == "module":
        module = lib.nn.Module()
        module.w = w
        zero = module.zero_grad
    else:
        zero = lib.optim.SGD([w], lr=0.1).zero_grad
    grad = make_grad(lib, w, x)
    if grad is not None:
        w.grad = grad
    kept = w.grad
    try:
        zero(set_to_none=False)
    except RuntimeError as e:
        return "RuntimeError", "view" in str(e) and "detach()" in str(e)
    after = (w.grad.tolist(), w.grad.requires_grad, w.grad.grad_fn is None, w.grad is kept)
    (w**3).sum().backward()
    return after, (w.grad.tolist(), w.grad.requires_grad)


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
@pytest.mark.parametrize("owner", ["optimizer", "module"])
@pytest.mark.parametrize("grad", GRADS)
def test_zero_grad_without_none_detaches_the_gradient_as_pytorch(owner, grad):
    ours = _after_zero_grad(tnn, GRADS[grad], owner)
    assert ours == _after_zero_grad(torch, GRADS[grad], owner)


@pytest.mark.parametrize(
    "name, option",
    [
        ("Adagrad", "lr_decay"),
        ("Adagrad", "initial_accumulator_value"),
        ("Adagrad", "eps"),
        ("Adadelta", "eps"),
        ("NAdam", "momentum_decay"),
    ],
)
@pytest.mark.parametrize("value", [float("nan"), -1.0])
def test_a_nan_or_negative_option_is_refused_as_by_pytorch(name, option, value):
    with pytest.raises(ValueError) as ref:
        getattr(torch.optim, name)([torch.zeros(2, requires_grad=True)], **{option: value})
    with pytest.raises(ValueError) as ours:
        getattr(optim, name)([tnn.zeros(2, requires_grad=True)], **{option: value})
    assert str(ours.value) == str(ref.value)


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_step_with_a_closure_matches_pytorch(name):
    """``step(closure)`` calls the closure with grad mode on (even inside no_grad), steps on
    the gradients it made, and returns its loss, as PyTorch's."""
    p = tnn.tensor(START, dtype=tnn.float64, requires_grad=True)
    q = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    ours, ref = getattr(optim, name)([p], lr=0.1), getattr(torch.optim, name)([q], lr=0.1)
    for opt, t, lib in ((ours, p, tnn), (ref, q, torch)):

        def closure(opt=opt, t=t):
            opt.zero_grad()
            loss = (t * t).sum()
            loss.backward()
            return loss

        with lib.no_grad():
            loss = opt.step(closure)
        assert loss.item() == pytest.approx(float((START * START).sum()))
    np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-12)
    assert ours.step() is None and ref.step() is None


@pytest.mark.parametrize("lr_kind", ["tensor", "array", "numpy float"])
def test_a_learning_rate_that_is_not_a_python_number_matches_pytorch(lr_kind):
    """A Tensor learning rate changed in place is read afresh each step; a 0-d array or a
    numpy float works as a number (SGD reads its hyper-parameters through dtypes.constant)."""
    results = []
    for lib in (tnn, torch):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        lr = {"tensor": lib.tensor(0.1), "array": np.array(0.1), "numpy float": np.float64(0.1)}
        opt = lib.optim.SGD([w], lr=lr[lr_kind], momentum=0.5)
        for _ in range(2):
            opt.zero_grad()
            (w * w).sum().backward()
            opt.step()
            if lr_kind == "tensor":
                with lib.no_grad():
                    lr["tensor"].fill_(1.0)
        results.append(w.detach().numpy().copy())
    np.testing.assert_allclose(*results, rtol=1e-6)
