"""Adamax, RAdam, Rprop, ASGD and LBFGS follow their formulas (PyTorch comparisons over
whole trajectories are in tests/reference/test_more_optimizers_against_torch.py)."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import optim
from tinygrad_nn.optim.line_search import strong_wolfe

G = np.array([2.0, -0.5, 0.0])


def stepped(opt_cls, grads, **kw):
    """The parameter, from zeros, after one step per gradient in ``grads``."""
    p = tnn.zeros(3, dtype=tnn.float64, requires_grad=True)
    opt = opt_cls([p], **kw)
    for g in grads:
        p.grad = tnn.tensor(g, dtype=tnn.float64)
        opt.step()
    return p.detach().numpy(), opt


def test_adamax_first_step_is_lr_times_the_sign():
    # m = (1 - b1) g and u = |g| + eps, divided by 1 - b1: lr g / (|g| + eps)
    p, _ = stepped(optim.Adamax, [G], lr=0.1)
    np.testing.assert_allclose(p, -0.1 * G / (np.abs(G) + 1e-8))


def test_radam_steps_by_the_mean_while_the_variance_is_not_tractable():
    # with beta2 = 0.999, rho_t <= 5 for the first steps: plain bias-corrected momentum
    p, _ = stepped(optim.RAdam, [G, G], lr=0.1)
    np.testing.assert_allclose(p, -0.2 * G)


def test_rprop_grows_the_step_while_the_sign_holds_and_pauses_when_it_flips():
    p, opt = stepped(optim.Rprop, [G, G, -G], lr=0.1)
    grown = 0.1 * 1.2
    # steps 0.1 and 0.12 along -sign(g), then the flip: no move, the step size halves
    np.testing.assert_allclose(p, -(0.1 + grown) * np.sign(G))
    state = next(iter(opt.state.values()))
    np.testing.assert_allclose(state["step_size"], [grown * 0.5, grown * 0.5, 0.1])  # g = 0: kept
    np.testing.assert_array_equal(state["prev"], 0.0)


def test_asgd_averages_the_iterates_after_t0():
    p, opt = stepped(optim.ASGD, [G, G, G], lr=0.1, lambd=0.0, t0=1)
    iterates = [-0.1 * G, -0.2 * G, -0.3 * G]
    np.testing.assert_allclose(p, iterates[-1], rtol=1e-6)  # eta is rounded to float32
    ax = next(iter(opt.state.values()))["ax"]
    # mu is 1 for the first two steps (ax follows theta), then 1/(t - t0) = 1/1 ... 1/(3-1)
    np.testing.assert_allclose(ax, iterates[1] + (iterates[2] - iterates[1]) / 1, rtol=1e-6)


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_lbfgs_solves_a_quadratic(line_search_fn):
    rng = np.random.default_rng(0)
    q, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    a = q @ np.diag([1.0, 2.0, 3.0, 4.0]) @ q.T
    b = rng.standard_normal(4)
    x = tnn.zeros(4, dtype=tnn.float64, requires_grad=True)
    opt = optim.LBFGS(
        [x],
        max_iter=100,
        tolerance_grad=1e-12,
        tolerance_change=1e-14,
        line_search_fn=line_search_fn,
    )
    A, B = tnn.tensor(a), tnn.tensor(b)

    def closure():
        opt.zero_grad()
        loss = 0.5 * (x @ (A @ x)) - (B * x).sum()
        loss.backward()
        return loss

    first = opt.step(closure)
    assert first.item() == 0.0
    np.testing.assert_allclose(x.detach().numpy(), np.linalg.solve(a, b), rtol=1e-6)


def test_lbfgs_needs_a_closure():
    with pytest.raises(RuntimeError, match="closure"):
        optim.LBFGS([tnn.zeros(2, requires_grad=True)]).step(None)


def test_strong_wolfe_returns_a_step_meeting_both_conditions():
    """On f(t) = (t - 3)^2 along d = 1 from 0, starting at a step too long: the cubic
    through the bracket [0, 10] finds the minimum."""

    def evaluate(t):
        return (t - 3.0) ** 2, np.array([2 * (t - 3.0)])

    d = np.array([1.0])
    f, g, t, evals = strong_wolfe(evaluate, 10.0, d, 9.0, np.array([-6.0]), -6.0)
    assert f <= 9.0 + 1e-4 * t * -6.0 and abs(g.dot(d)) <= 0.9 * 6.0
    assert t == pytest.approx(3.0) and evals == 2
