"""The learning-rate schedules against PyTorch's: the same optimizer settings (two parameter
groups with different rates), 30 steps, every rate (and cycled momentum) compared."""

import math

import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

STEPS = 30


def chained(lib, opt):
    s = lib.optim.lr_scheduler
    return s.ChainedScheduler(
        [s.ConstantLR(opt, factor=0.1, total_iters=2), s.ExponentialLR(opt, gamma=0.9)]
    )


def sequential(lib, opt):
    s = lib.optim.lr_scheduler
    return s.SequentialLR(
        opt,
        [
            s.LinearLR(opt, start_factor=0.1, total_iters=4),
            s.CosineAnnealingLR(opt, T_max=7, eta_min=0.01),
            s.MultiStepLR(opt, milestones=[2, 5]),
            s.ExponentialLR(opt, gamma=0.95),
        ],
        milestones=[5, 15, 22],
    )


def chained_cosine(lib, opt):
    s = lib.optim.lr_scheduler
    return s.ChainedScheduler(
        [s.CosineAnnealingLR(opt, T_max=6), s.StepLR(opt, step_size=4, gamma=0.5)], opt
    )


def scheduler(name, **kw):
    def make(lib, opt):
        return getattr(lib.optim.lr_scheduler, name)(opt, **kw)

    make.__name__ = f"{name}({', '.join(f'{k}={v}' for k, v in kw.items())})"
    return make


SCHEDULES = [
    scheduler("MultiStepLR", milestones=[3, 7, 7, 12], gamma=0.5),
    scheduler("ConstantLR"),
    scheduler("ConstantLR", factor=0.25, total_iters=9),
    scheduler("LinearLR"),
    scheduler("LinearLR", start_factor=0.8, end_factor=0.05, total_iters=20),
    scheduler("MultiplicativeLR", lr_lambda=lambda e: 0.97),
    scheduler("PolynomialLR"),
    scheduler("PolynomialLR", total_iters=20, power=2.5),
    scheduler("StepLR", step_size=4, gamma=0.7),
    scheduler("ExponentialLR", gamma=0.93),
    scheduler("CosineAnnealingLR", T_max=8, eta_min=0.001),
    scheduler("CosineAnnealingWarmRestarts", T_0=4),
    scheduler("CosineAnnealingWarmRestarts", T_0=3, T_mult=2, eta_min=0.01),
    scheduler("CyclicLR", base_lr=0.01, max_lr=[0.2, 0.1], step_size_up=4),
    scheduler("CyclicLR", base_lr=0.01, max_lr=0.3, step_size_up=3, step_size_down=5,
              mode="triangular2"),
    scheduler("CyclicLR", base_lr=[0.01, 0.02], max_lr=0.3, step_size_up=4, mode="exp_range",
              gamma=0.95, base_momentum=0.7, max_momentum=0.95),
    scheduler("CyclicLR", base_lr=0.01, max_lr=0.3, step_size_up=2, cycle_momentum=False,
              scale_fn=lambda x: 1 / (1 + x), scale_mode="iterations"),
    chained,
    chained_cosine,
    sequential,
]  # fmt: skip


def optimizer(lib):
    params = [lib.ones(2, requires_grad=True), lib.ones(3, requires_grad=True)]
    return lib.optim.SGD(
        [{"params": params[:1]}, {"params": params[1:], "lr": 0.1}], lr=0.5, momentum=0.9
    )


def run(lib, make, steps=STEPS):
    opt = optimizer(lib)
    sched = make(lib, opt)
    seen = []
    for _ in range(steps):
        seen.append((sched.get_last_lr(), [g["momentum"] for g in opt.param_groups]))
        opt.step()
        sched.step()
    return seen


def assert_same(ours, ref):
    assert len(ours) == len(ref)
    for e, ((lr, mom), (ref_lr, ref_mom)) in enumerate(zip(ours, ref)):
        assert lr == pytest.approx(ref_lr, rel=1e-12, abs=1e-15), f"epoch {e}"
        assert mom == pytest.approx(ref_mom, rel=1e-12), f"epoch {e}"


@pytest.mark.filterwarnings("ignore::UserWarning")  # torch's SequentialLR calls step(0)
@pytest.mark.parametrize("make", SCHEDULES, ids=lambda m: m.__name__)
def test_rates_match_pytorch(make):
    ours = run(tnn, make)
    assert_same(ours, run(torch, make))
    assert len({tuple(lr) for lr, _ in ours}) > 1  # the schedule moved the rate


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("make", SCHEDULES, ids=lambda m: m.__name__)
def test_state_dict_resumes_the_schedule(make):
    """Ten steps, a state dict loaded into a fresh scheduler on a fresh optimizer (with the
    optimizer's state dict), twenty more: the rates of an uninterrupted run."""
    opt = optimizer(tnn)
    sched = make(tnn, opt)
    for _ in range(10):
        opt.step()
        sched.step()
    saved, saved_opt = sched.state_dict(), opt.state_dict()
    resumed_opt = optimizer(tnn)
    resumed = make(tnn, resumed_opt)
    resumed_opt.load_state_dict(saved_opt)
    resumed.load_state_dict(saved)
    rest = []
    for _ in range(20):
        rest.append((resumed.get_last_lr(), [g["momentum"] for g in resumed_opt.param_groups]))
        resumed_opt.step()
        resumed.step()
    assert_same(rest, run(tnn, make)[10:])


@pytest.mark.parametrize("epoch", [0, 2, 3.5, 7, 10, 20.25])
@pytest.mark.parametrize("T_mult", [1, 2, 3])
def test_warm_restarts_at_a_given_epoch_match_pytorch(epoch, T_mult):
    got = []
    for lib in (tnn, torch):
        sched = lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer(lib), 3, T_mult)
        sched.step(epoch)
        got.append((sched.get_last_lr(), sched.T_cur, sched.T_i, sched.last_epoch))
    assert got[0][0] == pytest.approx(got[1][0], rel=1e-12)
    assert got[0][1:] == pytest.approx(got[1][1:], rel=1e-12)


BAD = [
    ("ConstantLR", dict(factor=1.5), ValueError),
    ("LinearLR", dict(start_factor=0.0), ValueError),
    ("LinearLR", dict(end_factor=1.5), ValueError),
    ("MultiplicativeLR", dict(lr_lambda=[lambda e: 1.0]), ValueError),
    ("CosineAnnealingWarmRestarts", dict(T_0=0), ValueError),
    ("CosineAnnealingWarmRestarts", dict(T_0=2, T_mult=0), ValueError),
    ("CosineAnnealingWarmRestarts", dict(T_0=2, eta_min="0"), ValueError),
    ("CyclicLR", dict(base_lr=0.1, max_lr=1.0, mode="sine"), ValueError),
]


@pytest.mark.parametrize("name, kw, error", BAD, ids=lambda x: str(x))
def test_bad_arguments_raise_as_in_pytorch(name, kw, error):
    with pytest.raises(error):
        getattr(torch.optim.lr_scheduler, name)(optimizer(torch), **kw)
    with pytest.raises(error):
        getattr(tnn.optim.lr_scheduler, name)(optimizer(tnn), **kw)


def test_cyclic_momentum_needs_an_optimizer_with_momentum_as_in_pytorch():
    for lib in (tnn, torch):
        opt = lib.optim.Adagrad([lib.ones(2, requires_grad=True)])
        with pytest.raises(ValueError, match="momentum"):
            lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1)


@pytest.mark.parametrize("composite", ["SequentialLR", "ChainedScheduler"])
def test_composites_refuse_schedulers_of_another_optimizer_as_pytorch(composite):
    for lib in (tnn, torch):
        s = lib.optim.lr_scheduler
        one, two = optimizer(lib), optimizer(lib)
        parts = [s.StepLR(one, 2), s.StepLR(two, 3)]
        args = (one, parts, [3]) if composite == "SequentialLR" else (parts,)
        with pytest.raises(ValueError, match="same optimizer"):
            getattr(s, composite)(*args)
        with pytest.raises(ValueError, match="at least one"):
            getattr(s, composite)(*((one, [], []) if composite == "SequentialLR" else ([],)))


def test_sequential_needs_one_milestone_fewer_than_schedulers_as_pytorch():
    for lib in (tnn, torch):
        s, opt = lib.optim.lr_scheduler, optimizer(lib)
        with pytest.raises(ValueError, match="milestone"):
            s.SequentialLR(opt, [s.StepLR(opt, 2), s.StepLR(opt, 3)], milestones=[2, 4])


def test_closed_forms_equal_the_stepped_rates():
    """``step(epoch)`` (the closed form) lands where stepping one epoch at a time does."""
    for make in SCHEDULES[:11]:
        if make.__name__.startswith("MultiplicativeLR"):  # no closed form
            continue
        stepped = run(tnn, make, steps=12)
        opt = optimizer(tnn)
        sched = make(tnn, opt)
        for e in (11, 3, 7):
            sched.step(e)
            for got, want in zip(sched.get_last_lr(), stepped[e][0]):
                assert math.isclose(got, want, rel_tol=1e-12), (make.__name__, e)
