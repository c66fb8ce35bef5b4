"""Forward values and gradients against PyTorch itself, when it is installed (it is not a
test dependency: ``pip install torch`` to run these). Same float64 inputs, same upstream
gradient, every element compared."""

import functools

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn, optim
from tinygrad_nn import testing as tt
from tinygrad_nn.nn import functional as F

torch = tt.reference_library("torch")
TF = torch.nn.functional

rng = np.random.default_rng(0)
A = rng.standard_normal((3, 4))
B = rng.standard_normal((3, 4))
P = rng.uniform(0.2, 2.0, (3, 4))
TIES = np.array([[1.0, 3.0, 3.0, -1.0], [2.0, 2.0, 2.0, 0.0], [0.5, -0.5, 0.5, -0.5]])
IDX = np.array([2, 0, 3])

CASES = {
    "add": (lambda x, y: x + y, [A, B[0]]),
    "sub": (lambda x, y: x - y, [A, B]),
    "mul": (lambda x, y: x * y, [A, B[:, :1]]),
    "div": (lambda x, y: x / y, [A, P]),
    "pow": (lambda x, y: x**y, [P, B]),
    "rpow": (lambda x: 2.0**x, [A]),
    "matmul_batched": (lambda x, y: x.reshape(3, 1, 4) @ y.reshape(1, 4, 3), [A, B.T.copy()]),
    "matmul_vec": (lambda x, y: x @ y, [A, B[0]]),
    "exp": (lambda x: x.exp(), [A]),
    "log": (lambda x: x.log(), [P]),
    "log1p": (lambda x: x.log1p(), [P]),
    "sqrt": (lambda x: x.sqrt(), [P]),
    "abs_with_zero": (lambda x: x.abs(), [np.array([-1.0, 0.0, 2.0])]),
    "relu_with_zero": (lambda x: x.relu(), [np.array([-1.0, 0.0, 2.0])]),
    "relu_with_nan": (lambda x: x.relu(), [np.array([np.nan, -1.0, 0.0, 2.0])]),
    "tanh": (lambda x: x.tanh(), [A]),
    "sigmoid": (lambda x: x.sigmoid(), [A * 30]),
    "softplus": (lambda x: x.softplus() if isinstance(x, tnn.Tensor) else TF.softplus(x), [A * 30]),
    "arctan": (lambda x: x.arctan(), [A]),
    "sin_cos": (lambda x: x.sin() * x.cos(), [A]),
    "sinh_cosh": (lambda x: x.sinh() * x.cosh(), [A]),
    "maximum_ties": (lambda x, y: x.maximum(y), [TIES, TIES[::-1].copy()]),
    "minimum_ties": (lambda x, y: x.minimum(y), [TIES, TIES[::-1].copy()]),
    "clamp_at_bounds": (lambda x: x.clamp(-0.5, 2.0), [TIES]),
    "max_all_ties": (lambda x: x.max(), [TIES]),
    "min_all_ties": (lambda x: x.min(), [TIES]),
    "amax_ties": (lambda x: x.amax(1), [TIES]),
    "max_dim_ties": (lambda x: x.max(1).values, [TIES]),
    "min_dim": (lambda x: x.min(0).values, [A]),
    "sum_dims": (lambda x: x.sum((0, 1), keepdim=True), [A]),
    "mean": (lambda x: x.mean(1), [A]),
    "var": (lambda x: x.var(1), [A]),
    "std_keepdim": (lambda x: x.std(0, keepdim=True), [A]),
    "logsumexp": (lambda x: x.logsumexp(1), [A * 100]),
    "softmax": (lambda x: x.softmax(0), [A]),
    "log_softmax": (lambda x: x.log_softmax(1), [A * 100]),
    "getitem_repeats": (lambda x: x[[0, 0, 2]], [A]),
    "getitem_mask": (lambda x: x[x > 0], [A]),
    "getitem_slices": (lambda x: x[1:, ::2], [A]),
    "gather": (lambda x: x.gather(1, _idx(x, np.array([[0, 0], [3, 1], [2, 2]]))), [A]),
    "transpose_reshape": (lambda x: x.transpose(0, 1).reshape(2, 6), [A]),
    "expand": (lambda x: x.reshape(3, 1, 4).expand(3, 2, 4), [A]),
    "mm_t": (lambda x, y: x.mm(y.t()), [A, B]),
    "bmm": (lambda x, y: _lib(x).bmm(x.reshape(3, 2, 2), y.reshape(3, 2, 2)), [A, B]),
    "view_as": (lambda x: x.view_as(x.t()), [A]),
    "add_alpha": (lambda x, y: _lib(x).add(x, y, alpha=-0.5), [A, B[0]]),
    "sub_alpha": (lambda x, y: x.sub(y, alpha=2.0), [A, B]),
    "max_elementwise": (lambda x, y: _lib(x).max(x, y), [TIES, TIES[::-1].copy()]),
    "min_elementwise": (lambda x, y: _lib(x).min(x, y), [TIES, TIES[::-1].copy()]),
    "pow_number_base": (lambda x: _lib(x).pow(2.0, x), [A]),
    "meshgrid_xy": (
        lambda x, y: _grid_product(_lib(x).meshgrid(x[0], y[:, 0], indexing="xy")),
        [A, B],
    ),
    "meshgrid_ij": (
        lambda x, y: _grid_product(_lib(x).meshgrid(x[0], y[:, 0], indexing="ij")),
        [A, B],
    ),
}


def _lib(x):
    """The library of a tensor: tinygrad_nn or torch (same code for both)."""
    return tnn if isinstance(x, tnn.Tensor) else torch


def _grid_product(grids):
    return grids[0] * grids[1] ** 2


def _idx(x, a):
    return tnn.tensor(a) if isinstance(x, tnn.Tensor) else torch.tensor(a)


def _compare(fn, arrays):
    ours = [tnn.tensor(a, dtype=tnn.float64, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    out, ref = fn(*ours), fn(*theirs)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-12, atol=1e-12)
    v = rng.standard_normal(ref.shape)
    out.backward(tnn.tensor(v))
    ref.backward(torch.tensor(v))
    for o, r in zip(ours, theirs):
        np.testing.assert_allclose(o.grad.numpy(), r.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
def test_op_matches_pytorch(name):
    fn, arrays = CASES[name]
    _compare(fn, arrays)


def test_cat_and_stack_match_pytorch():
    def fn(x, y):
        lib = tnn if isinstance(x, tnn.Tensor) else torch
        return lib.stack([lib.cat([x, y], 0), lib.cat([y, x], 0)], 1)

    _compare(fn, [A, B])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_losses_match_pytorch(reduction):
    probs = rng.uniform(0.05, 0.95, (3, 4))
    soft = rng.dirichlet(np.ones(4), 3)
    cases = [
        (
            lambda z: F.cross_entropy(z, tnn.tensor(IDX), reduction=reduction),
            lambda z: TF.cross_entropy(z, torch.tensor(IDX), reduction=reduction),
            A * 10,
        ),
        (
            lambda z: F.cross_entropy(z, tnn.tensor(soft), reduction=reduction),
            lambda z: TF.cross_entropy(z, torch.tensor(soft), reduction=reduction),
            A,
        ),
        (
            lambda y: F.mse_loss(y, tnn.tensor(B), reduction),
            lambda y: TF.mse_loss(y, torch.tensor(B), reduction=reduction),
            A,
        ),
        (
            lambda y: F.binary_cross_entropy(y, tnn.tensor(probs), reduction=reduction),
            lambda y: TF.binary_cross_entropy(y, torch.tensor(probs), reduction=reduction),
            probs[::-1].copy(),
        ),
        (
            lambda z: F.binary_cross_entropy_with_logits(z, tnn.tensor(probs), reduction=reduction),
            lambda z: TF.binary_cross_entropy_with_logits(
                z, torch.tensor(probs), reduction=reduction
            ),
            A * 50,
        ),
    ]
    for ours_fn, ref_fn, x in cases:
        ours = tnn.tensor(x, dtype=tnn.float64, requires_grad=True)
        theirs = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        out, ref = ours_fn(ours), ref_fn(theirs)
        np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-10)
        out.sum().backward()
        ref.sum().backward()
        np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_hessian_vector_product_matches_pytorch():
    v = rng.standard_normal(4)

    def f(x, lib):
        return (x.tanh() * x).sum() + x.softmax(0).log().sum() * 0.1

    x = tnn.tensor(A[0], dtype=tnn.float64, requires_grad=True)
    (g,) = tnn.grad(f(x, tnn), x, create_graph=True)
    (hv,) = tnn.grad((g * tnn.tensor(v)).sum(), x)
    _, ref = torch.autograd.functional.hvp(
        lambda t: f(t, torch), torch.tensor(A[0]), torch.tensor(v)
    )
    np.testing.assert_allclose(hv.numpy(), ref.numpy(), rtol=1e-10)


@pytest.mark.parametrize(
    "ours_cls, ref_cls, kw",
    [
        (optim.SGD, "SGD", dict(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.01)),
        (optim.SGD, "SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
        (optim.Adam, "Adam", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
        (optim.AdamW, "AdamW", dict(lr=0.01, weight_decay=0.1)),
        (optim.RMSprop, "RMSprop", dict(lr=0.01, momentum=0.5, centered=True, weight_decay=0.1)),
    ],
)
def test_optimizer_trajectories_match_pytorch(ours_cls, ref_cls, kw):
    p = tnn.tensor(A, dtype=tnn.float64, requires_grad=True)
    q = torch.tensor(A, dtype=torch.float64, requires_grad=True)
    ours, ref = ours_cls([p], **kw), getattr(torch.optim, ref_cls)([q], **kw)
    for _ in range(20):
        for opt, t in ((ours, p), (ref, q)):
            opt.zero_grad()
            ((t * t).sum() + (t * 3.0).tanh().sum()).backward()
            opt.step()
    assert np.isfinite(p.detach().numpy()).all() and not np.allclose(p.detach().numpy(), A)
    np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-10)


def test_linear_layer_matches_pytorch_with_copied_weights():
    ours, ref = nn.Linear(4, 3, dtype=tnn.float64), torch.nn.Linear(4, 3, dtype=torch.float64)
    ours.load_state_dict({k: v.detach().numpy() for k, v in ref.state_dict().items()})
    x = rng.standard_normal((5, 4))
    np.testing.assert_allclose(
        ours(tnn.tensor(x)).detach().numpy(), ref(torch.tensor(x)).detach().numpy(), rtol=1e-12
    )


@pytest.mark.parametrize(
    "name, kw",
    [
        ("StepLR", dict(step_size=3, gamma=0.5)),
        ("ExponentialLR", dict(gamma=0.9)),
        ("CosineAnnealingLR", dict(T_max=5, eta_min=0.01)),
    ],
)
def test_lr_schedules_match_pytorch(name, kw):
    from tinygrad_nn.optim import lr_scheduler

    p, q = tnn.tensor([1.0], requires_grad=True), torch.tensor([1.0], requires_grad=True)
    ours_opt, ref_opt = optim.SGD([p], lr=0.3), torch.optim.SGD([q], lr=0.3)
    ours = getattr(lr_scheduler, name)(ours_opt, **kw)
    ref = getattr(torch.optim.lr_scheduler, name)(ref_opt, **kw)
    for _ in range(12):
        assert ours.get_last_lr() == pytest.approx(ref.get_last_lr(), rel=1e-12)
        ours_opt.step()
        ref_opt.step()
        ours.step()
        ref.step()


def test_clip_grad_norm_matches_pytorch():
    g = [rng.standard_normal((3, 2)), rng.standard_normal(4)]
    ours = [tnn.tensor(x, requires_grad=True) for x in g]
    theirs = [torch.tensor(x, requires_grad=True) for x in g]
    for o, t, x in zip(ours, theirs, g):
        o.grad, t.grad = tnn.tensor(x * 3), torch.tensor(x * 3)
    n1 = nn.utils.clip_grad_norm_(ours, 1.0)
    n2 = torch.nn.utils.clip_grad_norm_(theirs, 1.0)
    assert n1.item() == pytest.approx(n2.item(), rel=1e-12)
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.grad.numpy(), t.grad.numpy(), rtol=1e-12)


def test_new_losses_and_activations_match_pytorch():
    logp = np.log(rng.dirichlet(np.ones(4), 3))
    _compare(
        lambda x: (
            F.nll_loss(x, tnn.tensor(IDX))
            if isinstance(x, tnn.Tensor)
            else TF.nll_loss(x, torch.tensor(IDX))
        ),
        [logp],
    )
    _compare(
        lambda x: (
            F.l1_loss(x, tnn.tensor(B))
            if isinstance(x, tnn.Tensor)
            else TF.l1_loss(x, torch.tensor(B))
        ),
        [A],
    )
    _compare(
        lambda x: F.leaky_relu(x, 0.1) if isinstance(x, tnn.Tensor) else TF.leaky_relu(x, 0.1),
        [np.array([-1.0, 0.0, 2.0])],
    )


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(
    "kw",
    [
        dict(weight=True),
        dict(ignore_index=1),
        dict(label_smoothing=0.2),
        dict(weight=True, ignore_index=0, label_smoothing=0.1),
    ],
)
def test_cross_entropy_options_match_pytorch(kw, reduction):
    w = rng.uniform(0.5, 2.0, 4)
    targets = np.array([2, 1, 0, 1])
    soft = rng.dirichlet(np.ones(4), 4)
    z = rng.standard_normal((4, 4))
    for t in (targets, soft):
        if "ignore_index" in kw and t is soft:
            continue
        ours_kw = dict(kw, reduction=reduction)
        ref_kw = dict(kw, reduction=reduction)
        if kw.get("weight"):
            ours_kw["weight"], ref_kw["weight"] = tnn.tensor(w), torch.tensor(w)
        a = tnn.tensor(z, dtype=tnn.float64, requires_grad=True)
        b = torch.tensor(z, requires_grad=True)
        out = F.cross_entropy(a, tnn.tensor(t), **ours_kw)
        ref = TF.cross_entropy(b, torch.tensor(t), **ref_kw)
        np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-10)
        out.sum().backward()
        ref.sum().backward()
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-10, atol=1e-15)


def _detached_in_place(lib, case):
    """What ``detach_()`` does to a tensor made by ``case`` (or the error it raises), and
    the gradient of a backward through a graph using it."""
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    t = {"leaf": x, "result": x * 2, "detached": (x * 2).detach(), "view": (x * 2)[:2]}[case]
    saved = (t * t).sum() if case == "result" else None
    try:
        out = t.detach_()
    except RuntimeError as e:
        return "RuntimeError", "view" in str(e) and "detach()" in str(e)
    state = (out is t, t.requires_grad, t.is_leaf, t.grad_fn is None, x.requires_grad)
    z = lib.tensor([1.0, 1.0, 1.0], requires_grad=True)
    (t * x[: len(t)] * z[: len(t)]).sum().backward()
    if saved is not None:  # a graph recorded before that saved it refuses
        with pytest.raises(RuntimeError):
            saved.backward()
    return state, None if x.grad is None else x.grad.tolist(), z.grad.tolist()


@pytest.mark.parametrize("case", ["leaf", "result", "detached", "view"])
def test_detach_in_place_matches_pytorch(case):
    assert _detached_in_place(tnn, case) == _detached_in_place(torch, case)


def _gradient_after_cut(lib, cut):
    """x's and h's gradients through a graph that used ``h`` without saving it, after ``h``
    was cut from the graph by ``cut`` (detach_ on a result, requires_grad_(False) on a leaf)
    and then used again as a constant."""
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3 if cut == "detach_" else lib.tensor([3.0, 6.0], requires_grad=True)
    u = h + 1  # Add saves nothing: no version check stops the backward
    if cut == "detach_":
        h.detach_()
    else:
        h.requires_grad_(False)
    (u * 2 + h).sum().backward()
    grads = (x.grad, h.grad)
    return [None if g is None else g.tolist() for g in grads]


@pytest.mark.parametrize("cut", ["detach_", "requires_grad_"])
def test_gradient_of_a_graph_recorded_before_a_cut_matches_pytorch(cut):
    # detach_: the old history still gets its gradient; a leaf that no longer requires
    # grad gets none (it used to get one, and a detached result used to get a .grad)
    assert _gradient_after_cut(tnn, cut) == _gradient_after_cut(torch, cut)


def _exp_then_detach(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()  # saves its output: detach_ must not make it refuse
    z = (y + 1).sum()
    y.detach_()
    z.backward()
    return x.grad


def _detach_then_require_again(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = (y * 3).sum()
    y.detach_()
    y.requires_grad_(True)  # a new leaf: the graph before still reaches y's old history
    z.backward()
    return x.grad, y.grad


def _infinite_upstream(lib, act):
    x = lib.tensor([0.0, 0.5], requires_grad=True)
    getattr(x, act)().backward(lib.tensor([float("inf"), float("inf")]))
    return x.grad


def _zeroed_recorded_gradient(lib):
    w = lib.ones(3, requires_grad=True)
    w.sum().backward(create_graph=True)  # its gradient is a broadcast of the seed
    w.grad.zero_()
    return w.grad


def _grad_of_a_hooked_intermediate(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    h.register_hook(lambda g: g * 2)  # applies to what flows on, not to grad()'s result for h
    return lib.autograd.grad((h * h).sum(), [h, x])


def _grad_skips_what_its_inputs_do_not_need(lib):
    x, w = lib.ones(3, requires_grad=True), lib.ones(3, requires_grad=True)
    calls = []
    w.register_hook(lambda g: calls.append("w"))
    x.register_hook(lambda g: calls.append("x"))
    e = w.exp()  # saves its output, changed below: only a backward through it refuses
    e.register_hook(lambda g: calls.append("e"))
    h = e + x * 2
    h.register_hook(lambda g: calls.append("h"))
    e.add_(1)
    (gx,) = lib.autograd.grad(h.sum(), x)
    (gh,) = lib.autograd.grad((h * h).sum(), h)  # nothing below h runs
    return gx, gh, lib.tensor([calls.count(k) for k in "xweh"])


def _retain_grad_then_in_place(lib):
    x = lib.ones(2, requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.mul_(3)  # y.grad is then the gradient of the new y
    z = x * 1
    z.retain_grad()
    z.add_(1)
    z.retain_grad()  # twice on one tensor: one .grad
    ((y * y).sum() + z.sum()).backward()
    return y.grad, z.grad, x.grad


def _grads_of_a_view_and_its_owner(lib):
    a = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    z = (a + 1) + x.t()  # x's gradient is a view of the array a's gradient is
    (z * lib.tensor([[3.0, 0.0], [0.0, 4.0]])).sum().backward()
    with lib.no_grad():
        a.grad.mul_(10)  # must not reach x.grad
    return a.grad, x.grad


def _hooks_keep_their_argument(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    kept = []
    x.register_hook(kept.append)
    u = x + 0
    u.register_hook(kept.append)
    (u * u).sum().backward()
    with lib.no_grad():
        x.grad.add_(100)  # the tensors the hooks kept keep their values
    return kept[0], kept[1], x.grad


def _create_graph_twice_keeps_the_seed(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    seed = lib.ones(2)
    x.backward(seed, create_graph=True)
    x.backward(seed, create_graph=True)
    return seed, x.grad


def _grad_of_a_hooked_input_with_nothing_below(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h.register_hook(lambda g: g * 10)  # applied before grad() captures, here only
    return lib.autograd.grad((h * h).sum(), h)


def _retained_grad_summed_out_of_place(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    (y * y).sum().backward(retain_graph=True)
    first = y.grad
    (y * y).sum().backward()
    return first, y.grad


def _custom_backward_returning_its_input(lib):
    class Same(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 1

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return x  # becomes x.grad: must not be x's storage

    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = Same.apply(x).sum()
    y.backward(retain_graph=True)
    y.backward()
    return x.detach(), x.grad


@pytest.mark.parametrize(
    "program",
    [
        _grads_of_a_view_and_its_owner,
        _hooks_keep_their_argument,
        _create_graph_twice_keeps_the_seed,
        _grad_of_a_hooked_input_with_nothing_below,
        _retained_grad_summed_out_of_place,
        _custom_backward_returning_its_input,
        _retain_grad_then_in_place,
        _grad_skips_what_its_inputs_do_not_need,
        _grad_of_a_hooked_intermediate,
        _exp_then_detach,
        _detach_then_require_again,
        functools.partial(_infinite_upstream, act="tanh"),
        functools.partial(_infinite_upstream, act="sigmoid"),
        _zeroed_recorded_gradient,
    ],
    ids=[
        "view-and-owner-grads",
        "hooks-keep-argument",
        "create_graph-seed",
        "grad-hooked-input-only",
        "retained-out-of-place",
        "custom-returns-input",
        "retain_grad-in-place",
        "grad-pruned",
        "grad-hooked-intermediate",
        "exp-then-detach_",
        "detach_-then-requires_grad_",
        "tanh-inf",
        "sigmoid-inf",
        "zero_",
    ],
)
def test_edge_programs_match_pytorch(program):
    def plain(result):
        results = result if isinstance(result, tuple) else (result,)
        return [None if r is None else np.array(r.detach().tolist()) for r in results]

    ours, ref = plain(program(tnn)), plain(program(torch))
    assert [r is None for r in ours] == [r is None for r in ref]
    for a, b in zip(ours, ref):
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-6)  # inf equals inf, NaN fails


@pytest.mark.parametrize("name", ["sum", "mean", "var", "std", "norm", "amax", "amin", "all"])
@pytest.mark.parametrize("dim", [(), []])
def test_an_empty_dim_reduces_as_pytorch(name, dim):
    # torch's reductions read an empty dim as every dim (all and any: as none)
    a = np.arange(6.0).reshape(2, 3)

    def run(lib):
        t = lib.tensor(a > 2 if name == "all" else a)
        out = getattr(t, name)(dim=dim)
        return out.shape, np.array(out.tolist())

    (shape, got), (ref_shape, ref) = run(tnn), run(torch)
    assert tuple(shape) == tuple(ref_shape)
    np.testing.assert_allclose(got, ref, rtol=1e-12)


@pytest.mark.parametrize(
    "data, dtype",
    [([True, False, True], "bool"), ([-(2**63), 0, 5], "int64"), ([3, 1, 2], "uint8")],
)
def test_minimum_of_integers_and_bools_matches_pytorch(data, dtype):
    # min, amin and minimum of floats are -max(-x); negation wraps integers and refuses bools
    def run(lib):
        t = lib.tensor(np.array(data, dtype))
        u = lib.tensor(np.array(data[::-1], dtype))
        return [t.min().item(), t.amin().item(), t.minimum(u).tolist()]

    assert run(tnn) == run(torch)
