"""Adamax, RAdam, Rprop, ASGD and LBFGS against PyTorch: the same start, the same loss,
20 steps, the parameters compared after every step (rtol 1e-10 in float64, 1e-5 in
float32), and the state dict carried over to a fresh optimizer mid-way."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

START = np.random.default_rng(5).standard_normal((3, 4))
BIAS = np.random.default_rng(6).standard_normal(4)
RTOL = {"float64": 1e-10, "float32": 1e-5}

CASES = [
    ("Adamax", dict(lr=0.05)),
    ("Adamax", dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, maximize=True)),
    ("RAdam", dict(lr=0.05)),
    ("RAdam", dict(lr=0.05, betas=(0.5, 0.9), weight_decay=0.1)),
    ("RAdam", dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("Rprop", dict()),
    ("Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2), maximize=True)),
    ("ASGD", dict(lr=0.05)),
    ("ASGD", dict(lr=0.05, lambd=0.01, alpha=0.5, t0=8, weight_decay=0.1)),
    ("ASGD", dict(lr=0.05, t0=4, maximize=True)),
]


def loss(lib, w, b):
    """A smooth, non-quadratic loss of two parameters."""
    return (w * w).sum() + (w * 3.0).tanh().sum() + ((w.sum(0) - b) ** 2).sum()


def params(lib, dtype):
    kind = getattr(lib, dtype)
    return [
        lib.tensor(START, dtype=kind, requires_grad=True),
        lib.tensor(BIAS, dtype=kind, requires_grad=True),
    ]


def descend(lib, opt, ps, steps):
    for _ in range(steps):
        opt.zero_grad()
        value = loss(lib, *ps)
        if opt.defaults.get("maximize"):
            value = -value
        value.backward()
        opt.step()
        yield [p.detach().numpy().copy() for p in ps]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, kw", CASES, ids=lambda x: str(x))
def test_trajectory_matches_pytorch(name, kw, dtype):
    ps, qs = params(tnn, dtype), params(torch, dtype)
    ours, ref = getattr(tnn.optim, name)(ps, **kw), getattr(torch.optim, name)(qs, **kw)
    for got, want in zip(descend(tnn, ours, ps, 20), descend(torch, ref, qs, 20)):
        for a, b in zip(got, want):
            assert a.dtype == b.dtype
            np.testing.assert_allclose(a, b, rtol=RTOL[dtype], atol=RTOL[dtype])  # weights ~ 1
    assert not np.allclose(ps[0].detach().numpy(), START)


@pytest.mark.parametrize("name, kw", CASES[::2], ids=lambda x: str(x))
def test_state_dict_round_trip_continues_the_trajectory(name, kw):
    ps = params(tnn, "float64")
    opt = getattr(tnn.optim, name)(ps, **kw)
    list(descend(tnn, opt, ps, 8))
    saved = opt.state_dict()
    fresh = getattr(tnn.optim, name)(ps, **kw)
    fresh.load_state_dict(saved)
    resumed = list(descend(tnn, fresh, ps, 6))[-1]
    qs = params(torch, "float64")
    want = list(descend(torch, getattr(torch.optim, name)(qs, **kw), qs, 14))[-1]
    for a, b in zip(resumed, want):
        np.testing.assert_allclose(a, b, rtol=1e-10)


def lbfgs_run(lib, dtype, steps, **kw):
    ps = params(lib, dtype)
    opt = lib.optim.LBFGS(ps, **kw)

    def closure():
        opt.zero_grad()
        value = loss(lib, *ps)
        value.backward()
        return value

    out = []
    for _ in range(steps):
        out.append((float(opt.step(closure).detach()), [p.detach().numpy().copy() for p in ps]))
    state = opt.state_dict()["state"][0]
    return out, state["func_evals"], state["n_iter"]


LBFGS_CASES = [
    dict(),
    dict(lr=0.5, max_iter=4, history_size=3),
    dict(lr=0.8, max_iter=3, max_eval=2, history_size=2, tolerance_change=1e-5),
]
WOLFE_CASES = [
    dict(line_search_fn="strong_wolfe"),
    dict(lr=2.0, max_iter=5, history_size=3, line_search_fn="strong_wolfe"),
    dict(lr=0.1, max_iter=4, max_eval=6, line_search_fn="strong_wolfe"),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("kw", LBFGS_CASES, ids=str)
def test_lbfgs_matches_pytorch(kw, dtype):
    """In float32 only the first steps: at the optimum, rounding decides when it stops."""
    steps = 3 if not kw else 20 if dtype == "float64" else 5
    ours, ref = lbfgs_run(tnn, dtype, steps, **kw), lbfgs_run(torch, dtype, steps, **kw)
    assert ours[1:] == ref[1:]  # the same numbers of evaluations and iterations
    for (l1, got), (l2, want) in zip(ours[0], ref[0]):
        assert l1 == pytest.approx(l2, rel=RTOL[dtype])
        for a, b in zip(got, want):
            np.testing.assert_allclose(a, b, rtol=RTOL[dtype], atol=RTOL[dtype])


@pytest.mark.parametrize("kw", WOLFE_CASES, ids=str)
def test_lbfgs_with_the_strong_wolfe_line_search_matches_pytorch(kw):
    """Every step in float64. In float32 the cubic fits through losses that the libraries
    round differently drift apart by about 1e-4, so there only the minimum reached is
    compared."""
    ours, ref = lbfgs_run(tnn, "float64", 8, **kw), lbfgs_run(torch, "float64", 8, **kw)
    assert ours[1:] == ref[1:]
    for (l1, got), (l2, want) in zip(ours[0], ref[0]):
        assert l1 == pytest.approx(l2, rel=1e-10)
        for a, b in zip(got, want):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)
    ours, ref = lbfgs_run(tnn, "float32", 8, **kw), lbfgs_run(torch, "float32", 8, **kw)
    assert ours[0][-1][0] == pytest.approx(ref[0][-1][0], rel=1e-5)


def test_lbfgs_refuses_parameter_groups_and_unknown_line_search():
    a, b = tnn.ones(2, requires_grad=True), tnn.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match="parameter groups"):
        tnn.optim.LBFGS([{"params": [a]}, {"params": [b]}])
    with pytest.raises(RuntimeError, match="only 'strong_wolfe'"):
        tnn.optim.LBFGS([a], line_search_fn="backtracking")


@pytest.mark.parametrize(
    "name, kw",
    [
        ("Rprop", dict(etas=(1.5, 2.0))),
        ("Rprop", dict(etas=(0.5, 0.9))),
        ("Adamax", dict(betas=(1.0, 0.9))),
        ("Adamax", dict(eps=-1.0)),
        ("RAdam", dict(lr=-0.1)),
        ("ASGD", dict(weight_decay=-1.0)),
        ("LBFGS", dict(lr=-1.0)),
    ],
)
def test_bad_options_raise_what_pytorch_raises(name, kw):
    with pytest.raises(ValueError) as ref:
        getattr(torch.optim, name)([torch.zeros(2, requires_grad=True)], **kw)
    with pytest.raises(ValueError) as ours:
        getattr(tnn.optim, name)([tnn.zeros(2, requires_grad=True)], **kw)
    assert str(ours.value) == str(ref.value)
