"""Learning-rate schedules and gradient clipping against their formulas."""

import math

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn, optim
from tinygrad_nn.optim import lr_scheduler


def lrs(make, epochs=6):
    p = tnn.tensor([1.0], requires_grad=True)
    opt = optim.SGD([p], lr=0.5)
    sched = make(opt)
    seen = []
    for _ in range(epochs):
        seen.append(sched.get_last_lr()[0])
        opt.step()
        sched.step()
    return seen


def test_step_lr():
    assert lrs(lambda o: lr_scheduler.StepLR(o, step_size=2, gamma=0.1)) == pytest.approx(
        [0.5, 0.5, 0.05, 0.05, 0.005, 0.005]
    )


def test_exponential_lr():
    assert lrs(lambda o: lr_scheduler.ExponentialLR(o, 0.5)) == pytest.approx(
        [0.5 * 0.5**e for e in range(6)]
    )


def test_cosine_annealing_lr():
    expected = [0.1 + 0.4 * (1 + math.cos(math.pi * e / 4)) / 2 for e in range(6)]
    assert lrs(lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.1)) == pytest.approx(
        expected
    )


def test_lambda_lr():
    assert lrs(lambda o: lr_scheduler.LambdaLR(o, lambda e: 1 / (e + 1))) == pytest.approx(
        [0.5 / (e + 1) for e in range(6)]
    )


def test_clip_grad_norm_scales_all_gradients_together():
    a, b = tnn.tensor([3.0], requires_grad=True), tnn.tensor([4.0], requires_grad=True)
    a.grad, b.grad = tnn.tensor([3.0]), tnn.tensor([4.0])
    total = nn.utils.clip_grad_norm_([a, b], max_norm=1.0)
    assert total.item() == pytest.approx(5.0)
    np.testing.assert_allclose([a.grad.item(), b.grad.item()], [0.6, 0.8], rtol=1e-5)


def test_clip_grad_norm_leaves_small_gradients_alone():
    a = tnn.tensor([1.0], requires_grad=True)
    a.grad = tnn.tensor([0.5])
    nn.utils.clip_grad_norm_(a, max_norm=1.0)
    assert a.grad.item() == 0.5


def test_clip_grad_value():
    a = tnn.tensor([1.0, 1.0], requires_grad=True)
    a.grad = tnn.tensor([-3.0, 0.2])
    nn.utils.clip_grad_value_([a], 1.0)
    assert a.grad.tolist() == pytest.approx([-1.0, 0.2])
