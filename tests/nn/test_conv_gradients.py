"""Convolution, pooling, resizing and normalisation: gradients equal central differences in
float64 (every element, a random upstream gradient) for drawn shapes, strides, paddings,
dilations and groups; the windowing op's recorded backward too (second order)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import ops
from tinygrad_nn import testing as tt
from tinygrad_nn.nn import functional as F

QUICK = settings(max_examples=15)
GRID = tt.GRID  # distinct values: no ties inside a max-pooling window


def _tensor(rng, *shape):
    return tnn.tensor(rng.standard_normal(shape), requires_grad=True)


@st.composite
def conv_cases(draw, nd, max_kernel=3):
    """A convolution whose output has at least one position: its input (batched or not),
    weight, bias and keyword arguments."""
    groups = draw(st.integers(1, 2))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, max_kernel)) for _ in range(nd))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    stride = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    if all(s == 1 for s in stride) and draw(st.booleans()):
        padding = draw(st.sampled_from(["same", "valid"]))
    else:
        padding = tuple(draw(st.integers(0, 2)) for _ in range(nd))
    size = tuple(d * (k - 1) + 1 + draw(st.integers(0, 2)) for k, d in zip(kernel, dilation))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = _tensor(rng, *draw(st.sampled_from([(), (1,), (2,)])), c_in, *size)  # () unbatched
    w = _tensor(rng, c_out, c_in // groups, *kernel)
    b = _tensor(rng, c_out) if draw(st.booleans()) else None
    kw = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    return x, w, b, kw


def _conv_gradients_match(conv, x, w, b, *args, **kw) -> bool:
    """``conv``'s gradients for ``x``, ``w`` and the bias ``b`` (when there is one) against
    central finite differences."""
    if b is None:
        return tt.check_grad(lambda x, w: conv(x, w, None, *args, **kw), [x, w])
    return tt.check_grad(lambda x, w, b: conv(x, w, b, *args, **kw), [x, w, b])


@QUICK
@given(conv_cases(2))
def test_conv2d_gradient_matches_finite_differences(case):
    x, w, b, kw = case
    assert _conv_gradients_match(F.conv2d, x, w, b, **kw)


@QUICK
@given(conv_cases(1))
def test_conv1d_gradient_matches_finite_differences(case):
    x, w, b, kw = case
    assert _conv_gradients_match(F.conv1d, x, w, b, **kw)


@settings(max_examples=8)
@given(conv_cases(3, max_kernel=2))
def test_conv3d_gradient_matches_finite_differences(case):
    x, w, b, kw = case
    assert _conv_gradients_match(F.conv3d, x, w, b, **kw)


@st.composite
def conv_transpose_cases(draw, nd):
    """A transposed convolution with an output: its input (batched or not), weight, bias and
    arguments (stride, padding, output_padding, groups, dilation)."""
    groups = draw(st.integers(1, 2))
    c_in, o_g = groups * draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3 if nd < 3 else 2)) for _ in range(nd))
    stride = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    extra = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    size = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    # padding that leaves at least one output cell on every axis
    padding = tuple(
        draw(st.integers(0, min(1, ((n - 1) * s + d * (k - 1) + e) // 2)))
        for n, s, d, k, e in zip(size, stride, dilation, kernel, extra)
    )
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = _tensor(rng, *draw(st.sampled_from([(), (2,)])), c_in, *size)  # () unbatched
    w = _tensor(rng, c_in, o_g, *kernel)
    b = _tensor(rng, groups * o_g) if draw(st.booleans()) else None
    return x, w, b, (stride, padding, extra, groups, dilation)


@QUICK
@given(conv_transpose_cases(2))
def test_conv_transpose2d_gradient_matches_finite_differences(case):
    x, w, b, args = case
    assert _conv_gradients_match(F.conv_transpose2d, x, w, b, *args)


@QUICK
@given(conv_transpose_cases(1))
def test_conv_transpose1d_gradient_matches_finite_differences(case):
    x, w, b, args = case
    assert _conv_gradients_match(F.conv_transpose1d, x, w, b, *args)


@settings(max_examples=8)
@given(conv_transpose_cases(3))
def test_conv_transpose3d_gradient_matches_finite_differences(case):
    x, w, b, args = case
    assert _conv_gradients_match(F.conv_transpose3d, x, w, b, *args)


@settings(max_examples=24)
@given(
    st.sampled_from([2, 3]),
    st.integers(1, 3),
    st.integers(1, 2),
    st.integers(0, 1),
    st.integers(1, 2),
    st.booleans(),
    st.data(),
)
def test_max_pool_gradient_matches_finite_differences(nd, k, stride, pad, dilation, ceil, data):
    k = min(k, 5 - nd)  # small volumes in 3-d
    pad = min(pad, k // 2)
    side = dilation * (k - 1) + 1 + data.draw(st.integers(0, 4 - nd))
    shape = (2, 1, side, side + 1, side)[: 2 + nd]
    x = data.draw(tt.tensors(shape, elements=GRID, unique=True))
    pool = F.max_pool2d if nd == 2 else F.max_pool3d
    assert tt.check_grad(lambda x: pool(x, k, stride, pad, dilation, ceil_mode=ceil), [x])


@QUICK
@given(
    st.integers(1, 2),
    st.integers(1, 2),
    st.integers(0, 1),
    st.booleans(),
    st.booleans(),
    st.sampled_from([None, 3]),
)
def test_avg_pool3d_gradient_matches_finite_differences(k, stride, pad, ceil, include_pad, div):
    pad = min(pad, k // 2)
    x = _tensor(np.random.default_rng(k), 2, 1, k + 1, k + 2, 3)
    fn = lambda x: F.avg_pool3d(x, k, stride, pad, ceil, include_pad, div)  # noqa: E731
    assert tt.check_grad(fn, [x])


@QUICK
@given(st.tuples(*[st.one_of(st.none(), st.integers(1, 4))] * 3), st.data())
def test_adaptive_pool3d_gradients_match_finite_differences(size, data):
    x = data.draw(tt.tensors((2, 3, 4, 3), elements=GRID, unique=True))  # unbatched
    assert tt.check_grad(lambda x: F.adaptive_avg_pool3d(x, size), [x])
    assert tt.check_grad(lambda x: F.adaptive_max_pool3d(x, size), [x])


#: positive values on a grid: roots of non-integer powers, and no ties of |x|
POSITIVE_GRID = st.integers(20, 300).map(lambda k: k / 100)


@QUICK
@given(
    st.sampled_from([1, 2, 3]),
    st.sampled_from([1, 2, 3, 1.5, float("inf"), -float("inf")]),
    st.integers(1, 2),
    st.integers(1, 2),
    st.booleans(),
    st.data(),
)
def test_lp_pool_gradient_matches_finite_differences(nd, p, k, stride, ceil, data):
    shape = (2, 1, *(k + 1,) * nd)
    x = data.draw(tt.tensors(shape, elements=POSITIVE_GRID, unique=True))
    pool = (F.lp_pool1d, F.lp_pool2d, F.lp_pool3d)[nd - 1]
    assert tt.check_grad(lambda x: pool(x, p, k, stride, ceil), [x])


def test_lp_pool_gradient_is_zero_where_the_window_sums_to_zero():
    x = tnn.tensor([[[0.0, 0.0, 1.0, -2.0]]], requires_grad=True, dtype=tnn.float64)
    F.lp_pool1d(x, 2, 2).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[[0.0, 0.0, 1 / 5**0.5, -2 / 5**0.5]]])


@QUICK
@given(st.integers(1, 3), st.integers(1, 2), st.integers(0, 1), st.booleans(), st.booleans())
def test_avg_pool2d_gradient_matches_finite_differences(k, stride, pad, ceil, include_pad):
    pad = min(pad, k // 2)
    x = _tensor(np.random.default_rng(k), 1, 2, k + 2, k + 1)
    fn = lambda x: F.avg_pool2d(x, k, stride, pad, ceil, include_pad)  # noqa: E731
    assert tt.check_grad(fn, [x])


@QUICK
@given(st.integers(1, 5), st.integers(1, 5))
def test_adaptive_avg_pool2d_gradient_matches_finite_differences(oh, ow):
    x = _tensor(np.random.default_rng(oh * 7 + ow), 1, 2, 5, 4)
    assert tt.check_grad(lambda x: F.adaptive_avg_pool2d(x, (oh, ow)), [x])


@QUICK
@given(st.sampled_from([(2, 3), (1, 2), (3, 1)]), st.integers(1, 2), st.integers(0, 1))
def test_unfold_and_fold_gradients_match_finite_differences(kernel, stride, pad):
    rng = np.random.default_rng(stride + pad)
    x = _tensor(rng, 1, 2, 4, 5)
    assert tt.check_grad(lambda x: F.unfold(x, kernel, 1, pad, stride), [x])
    cols = F.unfold(x, kernel, 1, pad, stride).detach().requires_grad_()
    assert tt.check_grad(lambda c: F.fold(c, (4, 5), kernel, 1, pad, stride), [cols])


@QUICK
@given(st.lists(st.integers(-1, 2), min_size=2, max_size=4).filter(lambda p: len(p) % 2 == 0))
def test_pad_gradient_matches_finite_differences(pads):
    x = _tensor(np.random.default_rng(0), 2, 3, 3)
    assert tt.check_grad(lambda x: F.pad(x, tuple(pads), value=0.5), [x])


@st.composite
def pad_cases(draw):
    """A non-constant padding that PyTorch accepts: mode, input shape ((N,) C and 1 to 3
    padded axes) and pads, negative ones (crops) included."""
    mode = draw(st.sampled_from(["reflect", "replicate", "circular"]))
    axes = draw(st.integers(1, 3))
    lead = tuple(draw(st.integers(1, 2)) for _ in range(draw(st.integers(1, 2))))
    sides = tuple(draw(st.integers(1, 4)) for _ in range(axes))
    pads = []
    for n in reversed(sides):  # pad starts at the last axis
        top = n - 1 if mode == "reflect" else n  # replicate has no bound; keep it small
        before = draw(st.integers(-(n - 1), top))
        # circular: the positive pad must not exceed what the other side's crop leaves
        kept = n - max(-before, 0)
        after = draw(st.integers(-(kept - 1), min(top, kept) if mode == "circular" else top))
        if mode == "circular" and before > n - max(-after, 0):
            before = n - max(-after, 0)
        pads += [before, after]
    return mode, lead + sides, tuple(pads)


@settings(max_examples=40)
@given(pad_cases(), st.integers(0, 2**16))
def test_pad_modes_gradient_matches_finite_differences(case, seed):
    mode, shape, pads = case
    x = _tensor(np.random.default_rng(seed), *shape)
    assert tt.check_grad(lambda x: F.pad(x, pads, mode=mode), [x])


@QUICK
@given(
    st.sampled_from(["reflect", "replicate", "circular"]),
    st.sampled_from([1, 2, 3]),
    st.integers(1, 3),
    st.integers(1, 2),
    st.booleans(),
    st.integers(0, 2**16),
)
def test_conv_padding_modes_gradient_matches_finite_differences(mode, nd, k, stride, same, seed):
    k = min(k, 4 - nd)  # small volumes for Conv3d
    conv = (tnn.nn.Conv1d, tnn.nn.Conv2d, tnn.nn.Conv3d)[nd - 1](
        2,
        3,
        k,
        stride=1 if same else stride,
        padding="same" if same else k - 1,
        padding_mode=mode,
    ).double()
    x = _tensor(np.random.default_rng(seed), 1, 2, *(k + 1,) * nd)
    assert tt.check_grad(conv, [x])


@st.composite
def unpool_cases(draw, nd, max_extra=3):
    """Values and indices of a max pooling with windows that do not overlap (distinct
    indices), and the unpooling's keyword arguments (``output_size`` the pooled input's
    size, left out when that is the default)."""
    k = draw(st.integers(1, 3))
    stride, pad = draw(st.integers(k, k + 1)), draw(st.integers(0, k // 2))
    sides = tuple(k + draw(st.integers(0, max_extra)) for _ in range(nd))
    x = draw(tt.tensors((2, 2, *sides), elements=GRID, unique=True, requires_grad=False))
    pool = (F.max_pool1d, F.max_pool2d, F.max_pool3d)[nd - 1]
    y, index = pool(x, k, stride, pad, return_indices=True)
    default = tuple((o - 1) * stride + k - 2 * pad for o in y.shape[2:])
    size = sides if default != sides or draw(st.booleans()) else None
    values = _tensor(np.random.default_rng(draw(st.integers(0, 2**16))), *y.shape)
    return values, index, dict(kernel_size=k, stride=stride, padding=pad, output_size=size)


@QUICK
@given(unpool_cases(2))
def test_max_unpool2d_gradient_matches_finite_differences(case):
    values, index, kw = case
    assert tt.check_grad(lambda v: F.max_unpool2d(v, index, **kw), [values])


@QUICK
@given(unpool_cases(3, max_extra=1))
def test_max_unpool3d_gradient_matches_finite_differences(case):
    values, index, kw = case
    assert tt.check_grad(lambda v: F.max_unpool3d(v, index, **kw), [values])


@QUICK
@given(unpool_cases(1))
def test_max_unpool1d_gradient_matches_finite_differences(case):
    values, index, kw = case
    assert tt.check_grad(lambda v: F.max_unpool1d(v, index, **kw), [values])
    assert tt.check_gradgrad(lambda v: F.max_unpool1d(v, index, **kw) ** 2, [values])


@QUICK
@given(
    st.sampled_from(["nearest", "bilinear"]),
    st.booleans(),
    st.integers(1, 6),
    st.integers(1, 6),
)
def test_interpolate_gradient_matches_finite_differences(mode, corners, oh, ow):
    x = _tensor(np.random.default_rng(oh), 1, 1, 3, 4)
    align = corners if mode == "bilinear" else None
    fn = lambda x: F.interpolate(x, size=(oh, ow), mode=mode, align_corners=align)  # noqa: E731
    assert tt.check_grad(fn, [x])


def test_normalisation_gradients_match_finite_differences():
    rng = np.random.default_rng(1)
    x, g, b = _tensor(rng, 3, 4, 2, 2), _tensor(rng, 4), _tensor(rng, 4)
    assert tt.check_grad(lambda x, g, b: F.batch_norm(x, None, None, g, b, True), [x, g, b])
    assert tt.check_grad(lambda x, g, b: F.group_norm(x, 2, g, b), [x, g, b])
    gl, bl = _tensor(rng, 2, 2), _tensor(rng, 2, 2)
    assert tt.check_grad(lambda x, g, b: F.layer_norm(x, (2, 2), g, b), [x, gl, bl])


def test_smooth_activation_gradients_match_finite_differences():
    x = tnn.tensor(np.linspace(-3, 3, 12), requires_grad=True)  # not 0: elu has a kink
    for fn in (F.gelu, lambda x: F.gelu(x, "tanh"), F.silu, lambda x: F.elu(x, 0.5)):
        assert tt.check_grad(fn, [x])
    assert tt.check_gradgrad(F.gelu, [x])


def test_embedding_gradient_accumulates_repeated_indices():
    w = _tensor(np.random.default_rng(2), 5, 3)
    idx = tnn.tensor([[0, 2, 2], [4, 0, 1]])
    assert tt.check_grad(lambda w: F.embedding(idx, w), [w])
    F.embedding(idx, w, padding_idx=2).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy()[:, 0], [2, 1, 0, 0, 1])


@QUICK
@given(st.integers(1, 3), st.integers(1, 2), st.integers(1, 2))
def test_windows_and_col2im_are_adjoint_and_twice_differentiable(k, stride, dilation):
    x = _tensor(np.random.default_rng(k), 1, 2, 7, 6)
    opts = dict(kernel=(k, k), stride=(stride, stride), dilation=(dilation, dilation))
    cols = ops.Windows.apply(x, **opts)
    g = np.random.default_rng(0).standard_normal(cols.shape)
    back = ops.Col2Im.apply(
        tnn.from_numpy(g), size=(7, 6), stride=opts["stride"], dilation=opts["dilation"]
    )
    # <windows(x), g> == <x, col2im(g)>: col2im is the transpose of taking windows
    assert np.isclose((cols._data * g).sum(), (x._data * back._data).sum())
    fn = lambda x: (ops.Windows.apply(x, **opts) ** 2).sum(-1)  # noqa: E731
    assert tt.check_gradgrad(fn, [x])


@QUICK
@given(st.integers(1, 3), st.integers(1, 2), st.data())
def test_max_pool2d_is_twice_differentiable(k, stride, data):
    x = data.draw(tt.tensors((1, 2, 4, 3), elements=GRID, unique=True))
    assert tt.check_gradgrad(lambda x: F.max_pool2d(x, k, stride, k // 2) ** 2, [x])
