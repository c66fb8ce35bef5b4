"""Optimizers against their update rules written out by hand (PyTorch's semantics)."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import optim

G = [np.array([1.0, -2.0]), np.array([0.5, 0.5]), np.array([-1.0, 3.0])]


def run(opt_cls, steps=3, **kw):
    p = tnn.tensor([1.0, 2.0], dtype=tnn.float64, requires_grad=True)
    opt = opt_cls([p], **kw)
    for g in G[:steps]:
        p.grad = tnn.tensor(g)
        opt.step()
    return p.data


def sgd_reference(lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    p, buf = np.array([1.0, 2.0]), None
    for g in G:
        g = g + weight_decay * p
        if momentum:
            buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        p = p - lr * g
    return p


@pytest.mark.parametrize(
    "kw",
    [
        dict(lr=0.1),
        dict(lr=0.1, momentum=0.9),
        dict(lr=0.1, momentum=0.9, dampening=0.9),
        dict(lr=0.1, momentum=0.9, nesterov=True),
        dict(lr=0.1, momentum=0.5, weight_decay=0.01),
    ],
)
def test_sgd_follows_pytorch_rule(kw):
    np.testing.assert_allclose(run(optim.SGD, **kw), sgd_reference(**kw), rtol=1e-12)


def test_notes_convex_momentum_is_sgd_with_lr_scaled_by_one_minus_beta():
    # Notes §14.3 (sign corrected): V = beta V + (1 - beta) g from V = 0, W = W - kappa V
    kappa, beta = 0.2, 0.9
    w, v = np.array([1.0, 2.0]), np.zeros(2)
    for g in G:
        v = beta * v + (1 - beta) * g
        w = w - kappa * v
    np.testing.assert_allclose(run(optim.SGD, lr=(1 - beta) * kappa, momentum=beta), w, rtol=1e-12)


def test_sgd_first_momentum_step_hand_computed():
    # v = g = [1, -2]; p = [1, 2] - 0.1 * v
    np.testing.assert_allclose(run(optim.SGD, steps=1, lr=0.1, momentum=0.9), [0.9, 2.2])


def test_sgd_descends_a_quadratic():
    p = tnn.tensor([3.0, -4.0], requires_grad=True)
    opt = optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.9)
    for _ in range(200):
        opt.zero_grad()
        (p * p).sum().backward()
        opt.step()
    assert np.abs(p.detach().numpy()).max() < 1e-3


def adam_reference(
    lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, decoupled=False
):
    p, m, v, vmax = np.array([1.0, 2.0]), 0.0, 0.0, 0.0
    for t, g in enumerate(G, 1):
        if decoupled:
            p = p * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * p
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        vmax = np.maximum(vmax, v)
        vv = vmax if amsgrad else v
        p = p - lr * (m / (1 - betas[0] ** t)) / (np.sqrt(vv / (1 - betas[1] ** t)) + eps)
    return p


@pytest.mark.parametrize(
    "kw", [dict(lr=0.1), dict(lr=0.1, weight_decay=0.1), dict(lr=0.1, amsgrad=True)]
)
def test_adam_follows_pytorch_rule(kw):
    np.testing.assert_allclose(run(optim.Adam, **kw), adam_reference(**kw), rtol=1e-12)


def test_adamw_decouples_weight_decay():
    np.testing.assert_allclose(
        run(optim.AdamW, lr=0.1, weight_decay=0.1),
        adam_reference(lr=0.1, weight_decay=0.1, decoupled=True),
        rtol=1e-12,
    )


def test_adam_first_step_moves_each_weight_by_lr():
    np.testing.assert_allclose(run(optim.Adam, steps=1, lr=0.1), [0.9, 2.1], rtol=1e-6)


def test_rmsprop_follows_pytorch_rule():
    p, v, buf = np.array([1.0, 2.0]), 0.0, 0.0
    for g in G:
        v = 0.9 * v + 0.1 * g * g
        buf = 0.5 * buf + g / (np.sqrt(v) + 1e-8)
        p = p - 0.01 * buf
    np.testing.assert_allclose(run(optim.RMSprop, lr=0.01, alpha=0.9, momentum=0.5), p, rtol=1e-12)


def test_parameter_groups_have_their_own_learning_rates():
    a = tnn.tensor([1.0], requires_grad=True)
    b = tnn.tensor([1.0], requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    a.grad, b.grad = tnn.tensor([1.0]), tnn.tensor([1.0])
    opt.step()
    assert a.item() == pytest.approx(0.9) and b.item() == pytest.approx(0.5)


def test_zero_grad_and_state_dict_round_trip():
    p = tnn.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    p.grad = tnn.tensor([1.0, 1.0])
    opt.step()
    sd = opt.state_dict()
    assert sd["param_groups"][0]["params"] == [0] and "momentum_buffer" in sd["state"][0]
    opt.zero_grad()
    assert p.grad is None
    opt2 = optim.SGD([p], lr=0.1, momentum=0.9)
    opt2.load_state_dict(sd)
    np.testing.assert_array_equal(opt2.state[id(p)]["momentum_buffer"], [1.0, 1.0])


def test_optimizer_step_bumps_version_so_stale_graphs_fail():
    p = tnn.tensor([1.0], requires_grad=True)
    y = (p * p).sum()
    y.backward(retain_graph=True)
    optim.SGD([p], lr=0.1).step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_bad_hyperparameters_are_named():
    p = [tnn.tensor([1.0], requires_grad=True)]
    with pytest.raises(ValueError, match="learning rate"):
        optim.SGD(p, lr=-1)
    with pytest.raises(ValueError, match="Nesterov"):
        optim.SGD(p, lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="beta"):
        optim.Adam(p, betas=(1.0, 0.9))
    with pytest.raises(ValueError, match="empty"):
        optim.SGD([], lr=0.1)
