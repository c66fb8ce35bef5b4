"""Adagrad, Adadelta, NAdam, OneCycleLR and ReduceLROnPlateau: their first steps follow
their formulas, and bad settings are refused (PyTorch comparisons are in tests/reference)."""

import math

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import optim
from tinygrad_nn.optim import lr_scheduler


def _one_step(opt_cls, grad, **kw):
    p = tnn.tensor([0.0, 0.0], dtype=tnn.float64, requires_grad=True)
    opt = opt_cls([p], **kw)
    p.grad = tnn.tensor(grad, dtype=tnn.float64)
    opt.step()
    return p.detach().numpy()


def test_adagrad_first_step_is_lr_times_the_sign():
    # s = g^2, so the step is lr * g / (|g| + eps)
    np.testing.assert_allclose(_one_step(optim.Adagrad, [2.0, -0.5], lr=0.1), [-0.1, 0.1])


def test_adadelta_first_step_follows_its_formula():
    g, rho, eps = np.array([2.0, -0.5]), 0.9, 1e-6
    delta = math.sqrt(eps) / np.sqrt((1 - rho) * g * g + eps) * g
    np.testing.assert_allclose(_one_step(optim.Adadelta, g.tolist()), -delta)


def test_nadam_first_step_follows_its_formula():
    g, b1, b2, lr = np.array([2.0, -0.5]), 0.9, 0.999, 2e-3
    mu1, mu2 = (b1 * (1 - 0.5 * 0.96 ** (t * 4e-3)) for t in (1, 2))
    denom = np.sqrt((1 - b2) * g * g / (1 - b2)) + 1e-8
    step = (
        lr * (1 - mu1) / (1 - mu1) * g / denom + lr * mu2 / (1 - mu1 * mu2) * (1 - b1) * g / denom
    )
    np.testing.assert_allclose(_one_step(optim.NAdam, g.tolist()), -step, rtol=1e-6)


def test_optimizers_refuse_bad_settings():
    p = tnn.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="rho"):
        optim.Adadelta([p], rho=1.5)
    with pytest.raises(ValueError, match="lr_decay"):
        optim.Adagrad([p], lr_decay=-1)
    with pytest.raises(ValueError, match="momentum_decay"):
        optim.NAdam([p], momentum_decay=-1)


def test_one_cycle_rises_to_max_lr_then_anneals_below_the_start():
    opt = optim.SGD([tnn.tensor([1.0], requires_grad=True)], lr=0.1, momentum=0.9)
    sched = lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10, pct_start=0.3)
    rates, momenta = [], []
    for i in range(10):
        rates.append(sched.get_last_lr()[0])
        momenta.append(opt.param_groups[0]["momentum"])
        if i < 9:
            sched.step()
    assert rates[0] == pytest.approx(1.0 / 25) and max(rates) == pytest.approx(1.0)
    assert rates[-1] == pytest.approx(1.0 / 25 / 1e4)
    assert momenta[0] == pytest.approx(0.95) and min(momenta) == pytest.approx(0.85)


def test_reduce_on_plateau_cuts_the_rate_after_patience_bad_epochs():
    opt = optim.SGD([tnn.tensor([1.0], requires_grad=True)], lr=1.0)
    sched = lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    for loss in [1.0, 1.0, 1.0]:
        sched.step(loss)
    assert sched.get_last_lr() == [1.0]
    sched.step(1.0)  # the third epoch without improvement
    assert sched.get_last_lr() == [0.5]
    with pytest.raises(ValueError, match="factor"):
        lr_scheduler.ReduceLROnPlateau(opt, factor=2.0)
