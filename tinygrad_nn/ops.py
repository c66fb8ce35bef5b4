r"""The primitive ops and their gradients: the whole chain-rule table in one file.

Each op computes its value in ``forward`` and, in ``backward``, the vector-Jacobian
product $\bar x = \bar y \, \partial y / \partial x$ for each input. A backward may
return a gradient of the *broadcast* shape: the engine sums it back to the input's shape in
one place (``engine.sum_to``). Everything else in ``Tensor`` (``mean``, ``var``,
``softmax``, ``minimum``, ``clamp``, ``stack`` ...) is composed from these.

Backward code runs on numpy arrays or, when ``create_graph=True``, on Tensors; the few
helpers below spell an operation once for both.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from . import dtypes
from .engine import sum_to
from .function import Function
from .tensor import Tensor, array_of, wrap

# PyTorch computes inf and NaN silently (1 / 0, log(0), exp(1000), inf - inf); numpy warns.
# A filter ignores its floating-point warnings from the package's own calls: it costs nothing
# until a warning is raised, where np.errstate around each op would cost 1.1 us, as much as a
# whole 16-element division (benchmark row 3). Filters added later (warnings.simplefilter)
# come first, and an import inside warnings.catch_warnings() (pytest's collection) loses it
# with the block: then the warning shows, and where a filter makes it an error, the op runs
# again without it (function.quietly). The neuron simulators keep numpy's warnings, as Nengo
# and Brian2 do.
warnings.filterwarnings(
    "ignore",
    message="(divide by zero|overflow|invalid value|underflow) encountered",
    category=RuntimeWarning,
    module=r"tinygrad_nn\.(?!neurons\b|hopfield\b)",
)

# ``x.sum(axis)`` and ``x.max(axis)`` call these ufunc methods through a Python wrapper that
# costs more than the reduction of a small batch: the fused ops call them directly (row 1).
_add_reduce, _max_reduce = np.add.reduce, np.maximum.reduce

# -- helpers that work on numpy arrays and on Tensors alike ---------------------------------


_ONE = dtypes.ONE  # 1 as a 0-d array of a dtype, for 1 - y (rows 1, 3, 4)


# ``_ONES[n, dtype]``: BLAS sums a batch or the classes as a dot product with it in half the
# time of ``np.add.reduce``. ``_OFFSETS[n, n_classes]``: where each of n samples starts in
# flattened logits.
_ONES = dtypes.MadeOnce(np.ones)
_OFFSETS = dtypes.MadeOnce(lambda n, n_classes: np.arange(0, n * n_classes, n_classes))
_BLAS_DTYPES = frozenset(map(np.dtype, ("float32", "float64")))
# Longer sums go to np.add.reduce: its pairwise sum keeps float32's precision over a million
# terms, where a dot product's error grows with the length (4e-6 at 4 million).
_DOT_TERMS = 4096


def _sum_rows(g: np.ndarray) -> np.ndarray:
    r"""$\sum_n g_n$ over the first axis (a bias's gradient over the batch, a batch's loss)."""
    if g.dtype in _BLAS_DTYPES and g.shape[0] <= _DOT_TERMS:
        return _ONES[g.shape[0], g.dtype].dot(g)  # the method: np.dot and @ cost more
    return _add_reduce(g, 0)


def _sum_last(e: np.ndarray) -> np.ndarray:
    r"""$\sum_k e_k$ over the last axis, kept as an axis of size 1 (a softmax's denominator)."""
    if e.dtype in _BLAS_DTYPES and e.shape[-1] <= _DOT_TERMS:
        total = e.dot(_ONES[e.shape[-1], e.dtype])
        return total.reshape(total.shape + (1,))
    return _add_reduce(e, -1, keepdims=True)


def _expand(g: Any, shape: tuple[int, ...]) -> Any:
    if isinstance(g, Tensor):
        return Expand.apply(g, shape=shape)
    if g.size == 1:  # the gradient of a full sum or mean: a read-only view with 0 strides,
        # made directly (np.broadcast_to costs 2 us, the backward of a scalar loss: row 1)
        view = np.ndarray(shape, g.dtype, np.ascontiguousarray(g), 0, (0,) * len(shape))
        view.flags.writeable = False
        return view
    return np.broadcast_to(g, shape)


def _exp(v: Any) -> Any:
    return Exp.apply(v) if isinstance(v, Tensor) else np.exp(v)


def _log(v: Any) -> Any:
    return Log.apply(v) if isinstance(v, Tensor) else np.log(v)


def _rsqrt(v: Any) -> Any:
    return Rsqrt.apply(v) if isinstance(v, Tensor) else np.reciprocal(np.sqrt(v))


def _permute(g: Any, perm: tuple[int, ...]) -> Any:
    return Permute.apply(g, perm=perm) if isinstance(g, Tensor) else g.transpose(perm)


def _masked(g: Any, mask: np.ndarray) -> Any:
    """``g`` where ``mask`` holds, exactly 0 elsewhere (no NaN from ``0 * inf``)."""
    if isinstance(g, Tensor):
        return Where.apply(wrap(mask), g, wrap(np.zeros((), g.dtype)))
    # g * mask is 3x faster than np.where, and exact unless it made a NaN (0 * inf, or a NaN
    # of g). Its max is NaN exactly then (np.maximum propagates NaN, and NaN != NaN): one
    # read of the result, where np.isfinite(g).all() wrote a mask and read it (mlp_mnist).
    out = g * mask
    if out.size and (top := _max_reduce(out, None)) != top:
        return np.where(mask, g, 0).astype(g.dtype, copy=False)
    return out


def to_float(x: np.ndarray) -> np.ndarray:
    """An integer or bool array's values in the default float dtype (float32), the dtype of
    PyTorch's float functions of such tensors. The forwards of exp, tanh and the logistic
    call it after their one test ``x.dtype.kind == "f"``, so a float input pays nothing more
    (rows 1-4); the other float functions cast before their op (``tensor._floating``)."""
    return x.astype(dtypes.get_default_dtype())


def _cast(g: Any, dtype: np.dtype) -> Any:
    return Cast.apply(g, dtype=dtype) if isinstance(g, Tensor) else g.astype(dtype, copy=False)


# -- element-wise arithmetic ----------------------------------------------------------------
# Sub and Div could be composed from Add, Mul and Pow; they are primitives because each
# composed op is one more node per use (benchmark row 3, "2,000 small ops").


class Add(Function):
    saves_inputs = False

    def forward(self, x, y):
        return x + y

    def backward(self, g):
        return g, g


class Sub(Function):
    saves_inputs = False

    def forward(self, x, y):
        return x - y

    def backward(self, g):
        return g, (-g if self.needs_input_grad[1] else None)


class Mul(Function):
    def forward(self, x, y):
        self.saved = (x, y)
        return x * y

    def backward(self, g, x, y):
        need_x, need_y = self.needs_input_grad
        return (g * y if need_x else None), (g * x if need_y else None)


class Div(Function):
    def forward(self, x, y):
        self.saved = (x, y)
        return x / y

    def backward(self, g, x, y):
        gx = g / y
        return gx, (-gx * x / y if self.needs_input_grad[1] else None)


def _integer_division(x: np.ndarray, y: np.ndarray, who: str) -> bool:
    """Whether ``x // y`` is a division of integers, which PyTorch refuses by zero (floats
    give inf or NaN); a bool ``x`` is refused, as in PyTorch."""
    if x.dtype.kind == "b":
        raise TypeError(f"{who}: not defined for bool tensors (as in PyTorch)")
    if x.dtype.kind in "iu":
        if not np.all(y):
            raise ZeroDivisionError(
                f"{who}: integer division by zero, as PyTorch refuses it; divide floats to get inf"
            )
        return True
    return False


class DivRounded(Function):
    r"""The quotient rounded down, $\lfloor x / y \rfloor$ (``mode="floor"``, Python's ``//``),
    or toward zero (``"trunc"``), as ``torch.div(x, y, rounding_mode=mode)``: integers stay
    integers and refuse a zero divisor; floats give $\pm\infty$ or NaN for it. Piecewise
    constant, so $\bar x = \bar y = 0$ (PyTorch's gradient)."""

    saves_inputs = False

    def forward(self, x, y, mode):
        if _integer_division(x, y, f"div (rounding_mode={mode!r})"):
            if mode == "trunc":  # x - fmod(x, y) is a multiple of y: floor and trunc agree on it
                x = x - np.fmod(x, y)
            with np.errstate(over="ignore"):  # the one overflow, INT_MIN // -1, wraps as torch
                return np.floor_divide(x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.floor_divide(x, y) if mode == "floor" else np.trunc(x / y)

    def backward(self, g):
        zero = _masked(g, np.False_)  # one array for both inputs: the engine copies as needed
        return tuple(zero if need else None for need in self.needs_input_grad)


class Pow(Function):
    r"""$x^p$: $\bar x = \bar y\, p x^{p-1}$, $\bar p = \bar y\, x^p \ln x$."""

    output_saved_at = 2

    def forward(self, x, p):
        try:
            out = x**p
        except ValueError:  # numpy refuses negative integer exponents: PyTorch's values
            out = _integer_power(x, p)
        self.saved = (x, p, out)
        return out

    def backward(self, g, x, p, out):
        # As PyTorch: the gradient is 0 (not 0 * inf = NaN) for p = 0, and so is the
        # exponent's gradient where x = 0.
        need_x, need_p = self.needs_input_grad
        with np.errstate(divide="ignore", invalid="ignore"):
            gx = _masked(g * p * x ** (p - 1), array_of(p) != 0) if need_x else None
            gp = _masked(g * out * _log(x), array_of(x) != 0) if need_p else None
        return gx, gp


def _integer_power(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    r"""Integers to integer powers, negative ones included, as PyTorch: $x^p$ rounded toward
    zero, which for $p < 0$ is 1 at $x = 1$, $\pm 1$ at $x = -1$ and 0 elsewhere."""
    out = x ** np.abs(p)  # the sign of (-1)^|p| is that of (-1)^p
    return np.where((p < 0) & (np.abs(x) != 1), 0, out).astype(out.dtype, copy=False)


class Neg(Function):
    saves_inputs = False

    def forward(self, x):
        return -x

    def backward(self, g):
        return (-g,)


class Maximum(Function):
    """Element-wise max; at ties the gradient is shared half and half (as PyTorch)."""

    saves_inputs = False

    def forward(self, x, y):
        out = np.maximum(x, y)
        self.saved = (((x > y) + 0.5 * (x == y)).astype(out.dtype),)
        return out

    def backward(self, g, w):
        return g * w, g * (1 - w)


class Where(Function):
    """``cond ? x : y`` with a constant boolean ``cond``."""

    saves_inputs = False

    def forward(self, cond, x, y):
        self.saved = (cond,)
        return np.where(cond, x, y)

    def backward(self, g, cond):
        need_x, need_y = self.needs_input_grad[1:]
        return None, (_masked(g, cond) if need_x else None), (_masked(g, ~cond) if need_y else None)


class LogAddExp(Function):
    r"""$\log(e^a + e^b) = \max(a, b) + \log(1 + e^{-|a - b|})$, $a - b$ taken as 0 where
    $a = b$; PyTorch's gradient $\bar a = \bar y / (1 + e^{b - a})$,
    $\bar b = \bar y / (1 + e^{a - b})$ (NaN at $a = b = \pm\infty$, where $b - a$ is)."""

    ufunc: Any = np.exp  # the power e^z; its Tensor method has the ufunc's name
    scale = 1.0  # of log1p: 1 / ln(base)

    def forward(self, x, y):
        self.saved = (x, y)
        gap = np.where(x == y, 0, x - y)
        return np.maximum(x, y) + np.log1p(self.ufunc(-np.abs(gap))) * self.scale

    def backward(self, g, x, y):
        need_x, need_y = self.needs_input_grad
        return (
            g / (self._power(y - x) + 1) if need_x else None,
            g / (self._power(x - y) + 1) if need_y else None,
        )

    def _power(self, z: Any) -> Any:
        if isinstance(z, Tensor):
            return getattr(z, self.ufunc.__name__)()
        return self.ufunc(z)


class LogAddExp2(LogAddExp):
    r"""$\log_2(2^a + 2^b) = \max(a, b) + \log(1 + 2^{-|a - b|}) / \ln 2$; PyTorch's gradient
    $\bar a = \bar y / (1 + 2^{b - a})$, $\bar b = \bar y / (1 + 2^{a - b})$."""

    ufunc = np.exp2
    scale = 1 / math.log(2)


class CopySign(Function):
    r"""$y = |a|$ with the sign of $b$ (``np.copysign``: $-0$ and NaNs with the sign bit count
    as negative). PyTorch's gradient: $\bar a = \bar y\, y / a$, 0 where $a = 0$ (so NaN at
    $a = \pm\infty$ or NaN), and $\bar b = 0$. The ratio $y / a$ is $\pm 1$ (its derivative
    0) or NaN: it is kept as a constant."""

    saves_inputs = False

    def forward(self, x, y):
        out = np.copysign(x, y)
        self.saved = (np.where(x == 0, 0, out / x).astype(out.dtype, copy=False),)
        return out

    def backward(self, g, ratio):
        need_x, need_y = self.needs_input_grad
        return (g * ratio if need_x else None), (_masked(g, np.False_) if need_y else None)


# -- a Python number as one operand -----------------------------------------------------------
# ``x * 0.5`` is one node with one input (Tensor's operators choose these ops when PyTorch's
# promotion keeps x's dtype): no Tensor is made for the number and backward has one edge to
# follow (benchmark rows ops_2k_number and chain_100k_number). ``x - c`` is ``x + (-c)``,
# exact in floating point; ``c + x`` and ``c * x`` are the same ops, both being commutative.


class ScalarOp(Function):
    """An op of one tensor and a number ``c``, kept on the node as a 0-d array of the
    tensor's dtype (numpy computes with it faster than with a Python number; ``viz`` draws
    it as a constant input)."""

    __slots__ = ("c",)


class AddScalar(ScalarOp):
    saves_inputs = False

    def forward(self, x, c):
        self.c = c
        return x + c

    def backward(self, g):
        return (g,)


class RSubScalar(ScalarOp):
    """``c - x``."""

    saves_inputs = False

    def forward(self, x, c):
        self.c = c
        return c - x

    def backward(self, g):
        return (-g,)


class MulScalar(ScalarOp):
    saves_inputs = False

    def forward(self, x, c):
        self.c = c
        return x * c

    def backward(self, g):
        return (g * self.c,)


class DivScalar(ScalarOp):
    saves_inputs = False

    def forward(self, x, c):
        self.c = c
        return x / c

    def backward(self, g):
        return (g / self.c,)


class PowScalar(ScalarOp):
    r"""$x^c$: $\bar x = \bar y\, c x^{c-1}$, and 0 for $c = 0$ (as ``Pow``)."""

    def forward(self, x, c):
        self.c = c
        self.saved = (x,)
        try:
            return x**c
        except ValueError:  # numpy's refusal, as PyTorch's but a RuntimeError there
            raise RuntimeError(
                f"pow: integers to negative integer powers are not allowed ({x.dtype} tensor "
                f"to the power {c}), as in PyTorch; use a float base, e.g. .float()"
            ) from None

    def backward(self, g, x):
        c = self.c
        with np.errstate(divide="ignore", invalid="ignore"):
            return (_masked(g * c * x ** (c - 1), c != 0),)


# -- element-wise functions -----------------------------------------------------------------


class Exp(Function):
    r"""$e^x$, $\bar x = \bar y\, y$; integers and bools give the default float dtype."""

    output_saved_at = 0
    saves_inputs = False

    def forward(self, x):
        out = np.exp(x if x.dtype.kind == "f" else to_float(x))
        self.saved = (out,)
        return out

    def backward(self, g, out):
        return (g * out,)


class Log(Function):
    def forward(self, x):
        self.saved = (x,)
        return np.log(x)

    def backward(self, g, x):
        return (g / x,)


class Log1p(Function):
    r"""$\log(1 + x)$, accurate for small $x$."""

    def forward(self, x):
        self.saved = (x,)
        return np.log1p(x)

    def backward(self, g, x):
        return (g / (x + 1),)


class _OfOutput(Function):
    """An element-wise op ``y = ufunc(x)`` whose derivative is written in ``y``: it saves its
    output, not its input (a subclass gives ``ufunc`` and ``backward``)."""

    output_saved_at = 0
    saves_inputs = False
    ufunc: Callable[[np.ndarray], np.ndarray]

    def forward(self, x):
        out = self.ufunc(x)
        self.saved = (out,)
        return out


class Sqrt(_OfOutput):
    r"""$\sqrt x$, $\bar x = \bar y / (2y)$."""

    ufunc = np.sqrt

    def backward(self, g, out):
        return (g / (out * 2),)


class Abs(Function):
    r"""$|x|$, with $\mathrm{sign}(0) = 0$ as in PyTorch."""

    saves_inputs = False

    def forward(self, x):
        self.saved = (np.sign(x),)
        return np.abs(x)

    def backward(self, g, sign):
        return (g * sign,)


class Tanh(Function):
    r"""$\tanh'(z) = 1 - \tanh^2(z)$ (notes §3.1); integers and bools give the default float
    dtype."""

    output_saved_at = 0
    saves_inputs = False

    def forward(self, x):
        out = np.tanh(x if x.dtype.kind == "f" else to_float(x))
        self.saved = (out,)
        return out

    def backward(self, g, out):
        return (g * (_ONE[out.dtype] - out * out),)


class Sigmoid(Function):
    r"""Logistic $\sigma(z) = 1/(1+e^{-z})$, $\sigma' = \sigma(1-\sigma)$ (notes §3.1).

    This form keeps full relative precision in both tails; where $e^{-z}$ overflows
    ($z < -88.7$ in float32) it gives $1/\infty = 0$, off by less than $6 \cdot 10^{-39}$."""

    output_saved_at = 0
    saves_inputs = False

    def forward(self, x):
        out = _stable_sigmoid(x)
        self.saved = (out,)
        return out

    def backward(self, g, out):
        d = _ONE[out.dtype] - out
        if isinstance(d, Tensor):  # a recorded backward
            return (g * out * d,)
        d *= out  # in place on the fresh 1 - out: two arrays fewer (row 1)
        d *= g
        return (d,)


class Sin(Function):
    r"""$\sin x$, $\sin' = \cos$."""

    def forward(self, x):
        self.saved = (x,)
        return np.sin(x)

    def backward(self, g, x):
        return (g * (Cos.apply(x) if isinstance(x, Tensor) else np.cos(x)),)


class Cos(Function):
    r"""$\cos x$, $\cos' = -\sin$."""

    def forward(self, x):
        self.saved = (x,)
        return np.cos(x)

    def backward(self, g, x):
        return (-g * (Sin.apply(x) if isinstance(x, Tensor) else np.sin(x)),)


class Sinh(Function):
    r"""$\sinh x$, $\sinh' = \cosh$."""

    def forward(self, x):
        self.saved = (x,)
        return np.sinh(x)

    def backward(self, g, x):
        return (g * (Cosh.apply(x) if isinstance(x, Tensor) else np.cosh(x)),)


class Cosh(Function):
    r"""$\cosh x$, $\cosh' = \sinh$."""

    def forward(self, x):
        self.saved = (x,)
        return np.cosh(x)

    def backward(self, g, x):
        return (g * (Sinh.apply(x) if isinstance(x, Tensor) else np.sinh(x)),)


class Arctan(Function):
    r"""$\arctan(z)$, $\arctan'(z) = 1/(1+z^2)$ (notes §3.1)."""

    def forward(self, x):
        self.saved = (x,)
        return np.arctan(x)

    def backward(self, g, x):
        return (g / (x * x + 1),)


class Softplus(Function):
    r"""$\log(1 + e^z)$, computed as ``logaddexp(0, z)`` (no overflow); its derivative
    is the logistic $\sigma(z)$."""

    def forward(self, x):
        self.saved = (x,)
        return np.logaddexp(0, x)

    def backward(self, g, x):
        return (g * (Sigmoid.apply(x) if isinstance(x, Tensor) else _stable_sigmoid(x)),)


def _stable_sigmoid(x: np.ndarray) -> np.ndarray:
    r"""$1/(1+e^{-x})$ in four in-place passes (benchmark row 1); integers and bools give the
    default float dtype. $e^{-x}$ overflows to inf for very negative $x$: the warnings filter
    above silences it (function.quietly where warnings are errors), as for every op."""
    out = np.negative(x if x.dtype.kind == "f" else to_float(x))
    if type(out) is not np.ndarray:  # a 0-d input gives a numpy scalar
        out = np.array(out)
    np.exp(out, out=out)
    out += _ONE[out.dtype]
    return np.reciprocal(out, out=out)


class Erf(Function):
    r"""The error function $\mathrm{erf}(x) = \frac{2}{\sqrt\pi}\int_0^x e^{-t^2} dt$
    (numpy has none: the C library's, element by element),
    $\mathrm{erf}'(x) = \frac{2}{\sqrt\pi} e^{-x^2}$."""

    function, sign = np.frompyfunc(math.erf, 1, 1), 1

    def forward(self, x):
        self.saved = (x,)
        return np.asarray(self.function(x), dtype=x.dtype)  # float: Tensor.erf casts integers

    def backward(self, g, x):
        return (g * _exp(-(x * x)) * (self.sign * 2 / math.sqrt(math.pi)),)


class Erfc(Erf):
    r"""$\mathrm{erfc}(x) = 1 - \mathrm{erf}(x)$, the C library's, accurate where erf rounds to
    1 (erfc(10) = 2e-45); $\mathrm{erfc}' = -\mathrm{erf}'$."""

    function, sign = np.frompyfunc(math.erfc, 1, 1), -1


class Reciprocal(_OfOutput):
    r"""$1/x$, $\bar x = -\bar y / x^2$ (as $-\bar y\, y^2$)."""

    ufunc = np.reciprocal

    def backward(self, g, out):
        return (-g * (out * out),)


class Rsqrt(_OfOutput):
    r"""$x^{-1/2}$, $\bar x = -\frac12 \bar y\, y^3$."""

    ufunc = staticmethod(_rsqrt)  # on arrays: 1 / sqrt(x)

    def backward(self, g, out):
        return (g * (out * out * out) * -0.5,)


class LogBase(Function):
    r"""$\log_b x$ for ``base`` $b$ = 2 or 10, $\bar x = \bar y / (x \ln b)$."""

    def forward(self, x, base):
        self.saved = (x, math.log(base))
        return np.log2(x) if base == 2 else np.log10(x)

    def backward(self, g, x, ln_base):
        return (g / (x * ln_base),)


class Expm1(_OfOutput):
    r"""$e^x - 1$, accurate for small $x$; $\bar x = \bar y\,(y + 1)$."""

    ufunc = np.expm1

    def backward(self, g, out):
        return (g * (out + 1),)


class Exp2(_OfOutput):
    r"""$2^x$, $\bar x = \bar y\, y \ln 2$."""

    ufunc = np.exp2

    def backward(self, g, out):
        return (g * out * math.log(2),)


class Logit(Function):
    r"""$\operatorname{logit}(x) = \log\frac{z}{1 - z}$, the inverse of the logistic, with
    $z = x$, or with ``eps`` $\ge 0$ $x$ clamped to $[\epsilon, 1 - \epsilon]$ as
    ``torch.logit``: $\bar x = \bar y / (x (1 - x))$, and 0 where the clamp holds $x$."""

    def forward(self, x, eps=None):
        z, bounds = x, None
        if eps is not None and eps >= 0:  # PyTorch's clamp, in x's dtype: below lo first
            lo = x.dtype.type(eps)
            bounds = (lo, 1 - lo)
            z = np.where(x < lo, lo, np.where(x > bounds[1], bounds[1], x))
        self.saved = (x, bounds)
        return np.log(z / (1 - z))

    def backward(self, g, x, bounds):
        a = array_of(x)
        if bounds is not None:  # + 0: a +0 where clamped, as PyTorch (g * 0 may be -0)
            return (_masked(g / (x * (1 - x)), ~((a < bounds[0]) | (a > bounds[1]))) + 0,)
        # As PyTorch: +inf at x = -0 too (adding 0 makes -0 +0), NaN outside [0, 1]
        grad, outside = g / (x * (1 - x) + 0), (a < 0) | (a > 1)
        if outside.any():
            grad = grad + np.where(outside, np.nan, 0).astype(a.dtype)
        return (grad,)


def _xlogy(x: Any, y: Any) -> Any:
    r"""$x \log y$, 0 where $x = 0$ unless $y$ is NaN: arrays, or Tensors (recorded)."""
    if isinstance(x, Tensor):
        return Xlogy.apply(x, y)
    return np.where((x == 0) & ~np.isnan(y), 0, x * np.log(y))


class Xlogy(Function):
    r"""$x \log y$, and 0 where $x = 0$ (unless $y$ is NaN), as ``torch.xlogy``:
    $\bar x = \mathrm{xlogy}(\bar z, y)$, 0 where $x = 0$ and $y \le 0$;
    $\bar y = \bar z\, x / y$."""

    def forward(self, x, y):
        self.saved = (x, y)
        return _xlogy(x, y)

    def backward(self, g, x, y):
        need_x, need_y = self.needs_input_grad
        gx = None
        if need_x:
            a, b = array_of(x), array_of(y)
            gx = _masked(_xlogy(g, y), ~((a == 0) & (b <= 0)))
        return gx, (g * x / y if need_y else None)


class Entr(Function):
    r"""The entropy term $-x \ln x$ for $x > 0$, 0 at $x = 0$ and $-\infty$ for $x < 0$, as
    ``torch.special.entr``: $\bar x = -\bar y\,(1 + \ln x)$."""

    def forward(self, x):
        self.saved = (x,)
        out = np.where(x == 0, 0, -x * np.log(x))
        return np.where(x < 0, -np.inf, out).astype(x.dtype, copy=False)

    def backward(self, g, x):
        return (-g * (_log(x) + 1),)


class Sinc(Function):
    r"""The normalised $\mathrm{sinc}(x) = \sin(\pi x) / (\pi x)$, 1 at 0:
    $\bar x = \bar y\, (\pi x \cos \pi x - \sin \pi x) / (\pi x^2)$, and 0 where
    $\pi x^2$ is 0 (at 0, and where it underflows: the derivative, $-\pi^2 x / 3$ there, is
    below the smallest float)."""

    def forward(self, x):
        self.saved = (x,)
        px = x * math.pi
        return np.where(x == 0, 1, np.sin(px) / px)

    def backward(self, g, x):
        px = x * math.pi
        if isinstance(x, Tensor):
            cos, sin = Cos.apply(px), Sin.apply(px)
        else:
            cos, sin = np.cos(px), np.sin(px)
        den = px * x
        return (_masked(g * (px * cos - sin) / den, array_of(den) != 0),)


class Tan(_OfOutput):
    r"""$\tan x$, $\tan' = 1 + \tan^2$."""

    ufunc = np.tan

    def backward(self, g, out):
        return (g * (out * out + 1),)


class Arcsin(Function):
    r"""$\arcsin x$, $\arcsin'(x) = 1/\sqrt{1 - x^2}$; ``Arccos`` is its negative."""

    ufunc, sign = np.arcsin, 1

    def forward(self, x):
        self.saved = (x,)
        return self.ufunc(x)

    def backward(self, g, x):
        return (g * _rsqrt(1 - x * x) * self.sign,)


class Arccos(Arcsin):
    r"""$\arccos x$, $\arccos'(x) = -1/\sqrt{1 - x^2}$."""

    ufunc, sign = np.arccos, -1


class Arctan2(Function):
    r"""$\operatorname{atan2}(y, x)$, the angle of the point $(x, y)$:
    $\bar y = \bar z\, x / (x^2 + y^2)$, $\bar x = -\bar z\, y / (x^2 + y^2)$, and 0 at
    the origin (where $1 / (x^2 + y^2)$ is infinite), as PyTorch."""

    def forward(self, y, x):
        self.saved = (y, x)
        return np.arctan2(y, x)

    def backward(self, g, y, x):
        r = 1 / (x * x + y * y)
        r = _masked(r, ~np.isinf(array_of(r)))
        need_y, need_x = self.needs_input_grad
        return (g * x * r if need_y else None), (g * -y * r if need_x else None)


class Hypot(Function):
    r"""$z = \sqrt{x^2 + y^2}$ without overflow: $\bar x = \bar z\, x / z$,
    $\bar y = \bar z\, y / z$."""

    output_saved_at = 2

    def forward(self, x, y):
        out = np.hypot(x, y)
        self.saved = (x, y, out)
        return out

    def backward(self, g, x, y, out):
        scaled = g / out
        need_x, need_y = self.needs_input_grad
        return (scaled * x if need_x else None), (scaled * y if need_y else None)


class Mod(Function):
    r"""The remainder $x - q y$ of the quotient $q$ rounded toward zero (``mode="trunc"``,
    ``torch.fmod``: the sign of $x$) or down (``"floor"``, ``torch.remainder`` and Python's
    ``%``: the sign of $y$). $\bar x = \bar r$, $\bar y = -\bar r q$ ($q$ is piecewise
    constant). Integers refuse a zero divisor, as PyTorch."""

    def forward(self, x, y, mode):
        self.saved = (x, y, mode)
        if _integer_division(x, y, "fmod" if mode == "trunc" else "remainder"):
            return np.fmod(x, y) if mode == "trunc" else np.remainder(x, y)
        out = np.fmod(x, y)
        if mode == "floor":  # PyTorch's rule: fmod moved by y when the signs differ (-0 kept)
            out = np.where((out != 0) & ((y < 0) != (out < 0)), out + y, out)
        return out

    def backward(self, g, x, y, mode):
        need_x, need_y = self.needs_input_grad
        gy = None
        if need_y:
            x, y = array_of(x), array_of(y)
            q = np.trunc(x / y) if mode == "trunc" else np.floor_divide(x, y)
            gy = g * -q
        return (g if need_x else None), gy


class Lerp(Function):
    r"""$x + w\,(e - x)$, computed as $e - (e - x)(1 - w)$ where $w \ge 1/2$ (PyTorch's form,
    exact at $w = 1$): $\bar x = \bar y\,(1 - w)$, $\bar e = \bar y\, w$,
    $\bar w = \bar y\,(e - x)$."""

    def forward(self, x, end, weight):
        self.saved = (x, end, weight)
        diff = end - x
        return np.where(weight < 0.5, x + weight * diff, end - diff * (1 - weight))

    def backward(self, g, x, end, weight):
        need_x, need_end, need_w = self.needs_input_grad
        return (
            g * (1 - weight) if need_x else None,
            g * weight if need_end else None,
            g * (end - x) if need_w else None,
        )


class PiecewiseConstant(Function):
    r"""An op whose value is constant between jumps (``floor``, ``ceil``, ``trunc``,
    ``sign``, ``round``): $\bar x = 0$, PyTorch's gradient."""

    saves_inputs = False
    ufunc: Any = None

    def forward(self, x):
        return type(self).ufunc(x)

    def backward(self, g):
        return (_masked(g, np.False_),)


class Floor(PiecewiseConstant):
    ufunc = np.floor


class Ceil(PiecewiseConstant):
    ufunc = np.ceil


class Trunc(PiecewiseConstant):
    ufunc = np.trunc


class Sign(PiecewiseConstant):
    """-1, 0 or 1; 0 for NaN, as PyTorch."""

    def forward(self, x):
        return np.where(np.isnan(x), x.dtype.type(0), np.sign(x))


class Round(PiecewiseConstant):
    r"""Rounded half to even to ``decimals`` places, as PyTorch: $\mathrm{rint}(x\,10^d)/10^d$,
    or $\mathrm{rint}(x / 10^{-d})\,10^{-d}$ for $d < 0$, in the input's dtype."""

    def forward(self, x, decimals=0):
        if decimals == 0:
            return np.rint(x)
        scale = np.array(10.0 ** abs(decimals), x.dtype)
        if decimals > 0:
            return np.rint(x * scale) / scale
        return np.rint(x / scale) * scale


class Relu(Function):
    r"""$\max(0, z)$; its derivative is the step $[z > 0]$ (notes §3.2), read from the
    output (positive exactly where $z$ is), so that no mask is kept (benchmark row 5). At a
    NaN input the gradient passes, as in PyTorch (its mask is ``not out <= 0``)."""

    output_saved_at = 0
    saves_inputs = False

    def forward(self, x):
        out = np.maximum(x, 0)  # not x * (x > 0): that is NaN at -inf
        self.saved = (out,)
        return out

    def backward(self, g, out):
        return (_masked(g, array_of(out) != 0),)  # out >= 0, or NaN


class Cast(Function):
    """Change of dtype, a copy laid out in numpy's ``order``; the gradient is cast back to
    the input's dtype."""

    saves_inputs = False

    def forward(self, x, dtype, order="K"):
        self.saved = (x.dtype,)
        return x.astype(dtype, order=order)

    def backward(self, g, dtype):
        return (_cast(g, dtype),)


# -- reductions -----------------------------------------------------------------------------


def _keepdim_shape(shape: tuple[int, ...], axis: tuple[int, ...] | None) -> tuple[int, ...]:
    if axis is None:
        return (1,) * len(shape)
    return tuple(1 if i in axis else n for i, n in enumerate(shape))


def _reduced_shape(shape: tuple[int, ...], axis: tuple[int, ...] | None) -> tuple[int, ...]:
    if axis is None:
        return ()
    return tuple(n for i, n in enumerate(shape) if i not in axis)


class Sum(Function):
    r"""$y = \sum_{i \in axis} x_i$: the gradient is copied back to every summand."""

    saves_inputs = False

    def forward(self, x, axis, keepdim):
        self.saved = (x.shape, axis)
        return _add_reduce(x, axis, keepdims=keepdim)

    def backward(self, g, shape, axis):
        return (_expand(g.reshape(_keepdim_shape(shape, axis)), shape),)


class Max(Function):
    """Largest element over ``axis``; ties share the gradient equally (as ``torch.amax``).
    With ``nan_wins`` (``torch.max()`` of all elements) a NaN maximum sends the gradient to
    the NaN elements; without it the gradient is NaN, as ``torch.amax``'s."""

    output_saved_at = 1

    def forward(self, x, axis, keepdim, nan_wins=False):
        kept = x.max(axis=axis, keepdims=True)
        out = kept if keepdim else kept.reshape(_reduced_shape(x.shape, axis))
        self.saved = (x, out, kept.shape, nan_wins)
        return out

    def backward(self, g, x, out, kshape, nan_wins):
        mask = array_of(x) == array_of(out).reshape(kshape)
        if nan_wins and not mask.any():
            mask = np.isnan(array_of(x))
        share = mask / mask.sum(axis=_axes_of(mask.shape, kshape), keepdims=True)
        return (_expand(g.reshape(kshape), x.shape) * share.astype(array_of(x).dtype),)


def _axes_of(shape: tuple[int, ...], kshape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(i for i, (n, k) in enumerate(zip(shape, kshape)) if k == 1 and n != 1)


class LogSumExp(Function):
    r"""$\log \sum_i e^{x_i}$, computed as $m + \log\sum_i e^{x_i - m}$ with
    $m = \max_i x_i$ so that it never overflows; its gradient is the softmax. With
    ``posinf_nan`` a sum holding $+\infty$ gives NaN ($\infty/\infty$ in the softmax). An
    empty sum is $\log 0 = -\infty$, as in PyTorch."""

    output_saved_at = 1

    def forward(self, x, axis, keepdim, posinf_nan=False):
        m = x.max(axis=axis, keepdims=True, initial=-np.inf)
        m = np.where(np.isfinite(m), m, 0)
        with np.errstate(divide="ignore"):  # log(0) = -inf when every x is -inf
            kept = np.log(np.exp(x - m).sum(axis=axis, keepdims=True)) + m
        if posinf_nan:  # for log_softmax: a row holding +inf has no softmax, NaN as in PyTorch
            kept = np.where(kept == np.inf, np.nan, kept)
        out = kept if keepdim else kept.reshape(_reduced_shape(x.shape, axis))
        self.saved = (x, out, kept.shape)  # the output as returned, for a recorded backward
        return out

    def backward(self, g, x, out, kshape):
        return (g.reshape(kshape) * _exp(x - out.reshape(kshape)),)


class Svdvals(Function):
    r"""The singular values $s$ of each matrix (the last two axes), largest first, of
    $x = U \operatorname{diag}(s) V^T$; $\bar x = U \operatorname{diag}(\bar s) V^T$ (for
    distinct non-zero $s$; where some coincide or vanish, the SVD's choice of $U$, $V$ gives
    one subgradient). Not differentiable twice here: ``create_graph=True`` is refused."""

    saves_inputs = False

    def forward(self, x):
        u, s, vh = np.linalg.svd(x, full_matrices=False)
        self.saved = (u, vh)
        return s

    def backward(self, g, u, vh):
        if isinstance(g, Tensor):
            raise NotImplementedError(
                "the gradient of singular values (norm(p='nuc')) cannot be differentiated "
                "again (create_graph=True)"
            )
        return ((u * g[..., None, :]) @ vh,)


# -- products and cumulative sums along one axis ----------------------------------------------


class Prod(Function):
    r"""$y = \prod_i x_i$ along ``axis`` (every element when None). The gradient is
    $\bar x_k = \bar y \prod_{i \ne k} x_i$, the product of the elements before $k$ times
    that of the elements after it (exclusive cumulative products): no division, so it is
    exact where some $x_i = 0$, as PyTorch's."""

    def forward(self, x, axis, keepdim):
        self.saved = (x, axis)
        return np.prod(x, axis=axis, keepdims=keepdim)

    def backward(self, g, x, axis):
        shape, every = x.shape, axis is None
        if every:
            x, axis = x.reshape(-1), 0
        before = _exclusive_cumprod(x, axis)
        after = _flip(_exclusive_cumprod(_flip(x, (axis,)), axis), (axis,))
        kshape = _keepdim_shape(shape, None if every else (axis,))
        return (g.reshape(kshape) * (before * after).reshape(shape),)


class CumSum(Function):
    r"""$y_i = \sum_{j \le i} x_j$ along ``axis``; $\bar x_j = \sum_{i \ge j} \bar y_i$, the
    cumulative sum of $\bar y$ taken from the end."""

    saves_inputs = False

    def forward(self, x, axis):
        self.saved = (axis,)
        return np.cumsum(x, axis)

    def backward(self, g, axis):
        return (_reverse_cumsum(g, axis),)


class CumProd(Function):
    r"""$y_i = \prod_{j \le i} x_j$ along ``axis``. The gradient
    $\bar x_k = \sum_{i \ge k} \bar y_i \prod_{j \le i, j \ne k} x_j = P_k S_k$ with
    $P_k = \prod_{j < k} x_j$ and $S_k = \bar y_k + x_{k+1} S_{k+1}$. Without zeros it is
    $(\sum_{i \ge k} \bar y_i y_i) / x_k$, one reversed cumulative sum; with zeros, and
    when recorded (its derivative by $x$ would divide by $x_k^2$, which underflows), the
    recurrence, exact at zeros as PyTorch's."""

    output_saved_at = 1

    def forward(self, x, axis):
        out = np.cumprod(x, axis)
        self.saved = (x, out, axis)
        return out

    def backward(self, g, x, out, axis):
        if not isinstance(x, Tensor) and np.all(x != 0):
            return (_reverse_cumsum(g * out, axis) / x,)
        lead = (slice(None),) * axis
        s = [g[lead + (slice(-1, None),)]]
        for k in range(x.shape[axis] - 2, -1, -1):
            s.append(g[lead + (slice(k, k + 1),)] + x[lead + (slice(k + 1, k + 2),)] * s[-1])
        return (_exclusive_cumprod(x, axis) * _cat(s[::-1], axis),)


class LogCumSumExp(Function):
    r"""$y_i = \log\sum_{j \le i} e^{x_j}$ along ``axis`` (``np.logaddexp.accumulate``,
    stable). $\bar x_j = \sum_{i \ge j} \bar y_i e^{x_j - y_i}$, summed in log space from
    the end for the positive and the negative parts of $\bar y$ apart, so that no term
    overflows (PyTorch's way). Not differentiable twice: ``create_graph=True`` is refused."""

    output_saved_at = 1

    def forward(self, x, axis):
        out = np.logaddexp.accumulate(x, axis)
        self.saved = (x, out, axis)
        return out

    def backward(self, g, x, out, axis):
        if isinstance(g, Tensor):
            raise NotImplementedError(
                "the gradient of logcumsumexp cannot be differentiated again (create_graph=True)"
            )
        axes = (axis,)

        def part(v: np.ndarray) -> np.ndarray:  # exp(x_j + log sum_{i >= j} v_i e^{-y_i})
            with np.errstate(divide="ignore", invalid="ignore"):
                terms = np.log(np.where(v > 0, v, 0)) - out
                tail = np.flip(np.logaddexp.accumulate(np.flip(terms, axes), axis), axes)
                return np.exp(x + tail)

        return (part(g) - part(-g),)


def _reverse_cumsum(v: Any, axis: int) -> Any:
    r"""$\sum_{i \ge k} v_i$ along ``axis``."""
    axes = (axis,)
    if isinstance(v, Tensor):
        return Flip.apply(CumSum.apply(Flip.apply(v, axes=axes), axis=axis), axes=axes)
    return np.flip(np.cumsum(np.flip(v, axes), axis), axes)


def _exclusive_cumprod(v: Any, axis: int) -> Any:
    r"""$\prod_{j < k} v_j$ along ``axis`` (1 for the first element)."""
    lead = (slice(None),) * axis
    shape = v.shape[:axis] + (1,) + v.shape[axis + 1 :]
    if isinstance(v, Tensor):
        ones = wrap(np.ones(shape, v.dtype))
        return Cat.apply(ones, CumProd.apply(v, axis=axis)[lead + (slice(0, -1),)], axis=axis)
    return np.concatenate(
        [np.ones(shape, v.dtype), np.cumprod(v, axis)[lead + (slice(0, -1),)]], axis
    )


def _flip(v: Any, axes: tuple[int, ...]) -> Any:
    return Flip.apply(v, axes=axes) if isinstance(v, Tensor) else np.flip(v, axes)


def _cat(parts: list, axis: int) -> Any:
    if isinstance(parts[0], Tensor):
        return Cat.apply(*parts, axis=axis)
    return np.concatenate(parts, axis)


# -- linear algebra -------------------------------------------------------------------------


class MatMul(Function):
    r"""$Y = AB$: $\bar A = \bar Y B^T$, $\bar B = A^T \bar Y$ (notes §10.1);
    1-D operands are promoted as numpy does, batch dimensions broadcast."""

    def forward(self, a, b):
        self.saved = (a, b)
        return a @ b

    def backward(self, g, a, b):
        a1 = a.reshape((1,) + a.shape) if a.ndim == 1 else a
        b1 = b.reshape(b.shape + (1,)) if b.ndim == 1 else b
        if a.ndim == 1:
            g = g.reshape(g.shape[:-1] + (1,) + g.shape[-1:]) if b.ndim > 1 else g.reshape((1,))
        if b.ndim == 1:
            g = g.reshape(g.shape + (1,))
        need_a, need_b = self.needs_input_grad
        ga = gb = None
        if need_a:
            ga = g @ _swap_last(b1)
            ga = ga[..., 0, :] if a.ndim == 1 else ga
        if need_b:
            gb = _swap_last(a1) @ g
            gb = gb[..., 0] if b.ndim == 1 else gb
        return ga, gb


def _swap_last(v: Any) -> Any:
    if v.ndim < 2:
        return v
    perm = tuple(range(v.ndim - 2)) + (v.ndim - 1, v.ndim - 2)
    return _permute(v, perm)


class Einsum(Function):
    r"""Einstein summation $y_{\text{out}} = \sum \prod_k x_k$ over the letters not in the
    output, each operand's letters given in ``inputs`` (``...`` already spelled out, sizes
    already equal). The gradient of operand $k$ is the same sum of $\bar y$ and the other
    operands, with $k$'s letters as the output: letters only $k$ has are broadcast back, and
    a letter $k$ repeats (a diagonal, ``"ii->i"``) puts the gradient on that diagonal."""

    def forward(self, *xs, inputs, output):
        self.saved = (*xs, inputs, output)
        out = np.einsum(",".join(inputs) + "->" + output, *xs, optimize=len(xs) > 1)
        return out.copy() if len(xs) == 1 and np.may_share_memory(out, xs[0]) else out

    def backward(self, g, *saved):
        *xs, inputs, output = saved
        grads = []
        for k, (x, letters) in enumerate(zip(xs, inputs)):
            if not self.needs_input_grad[k]:
                grads.append(None)
                continue
            others = [j for j in range(len(xs)) if j != k]
            seen = set(output).union(*(inputs[j] for j in others))
            unique = "".join(dict.fromkeys(letters))
            size = dict(zip(letters, x.shape))
            kept = "".join(c for c in unique if c in seen)
            grad = _einsum_of(
                (output, *(inputs[j] for j in others)), kept, g, *(xs[j] for j in others)
            )
            full = tuple(size[c] for c in unique)
            if len(kept) < len(unique):  # letters summed inside operand k: broadcast back
                grad = _expand(
                    grad.reshape(tuple(size[c] if c in seen else 1 for c in unique)), full
                )
            if len(unique) < len(letters):  # repeated letters: the gradient on the diagonal
                index = tuple(
                    np.arange(size[c]).reshape([-1 if u == c else 1 for u in unique])
                    for c in letters
                )
                if isinstance(grad, Tensor):
                    grad = IndexPut.apply(grad, shape=x.shape, index=index)
                else:
                    grad, placed = np.zeros(x.shape, g.dtype), grad
                    grad[index] = placed
            grads.append(grad)
        return tuple(grads)


def _einsum_of(inputs: tuple[str, ...], output: str, *xs: Any) -> Any:
    """``np.einsum`` of arrays, or the recorded ``Einsum`` of Tensors (``create_graph``)."""
    if isinstance(xs[0], Tensor):
        return Einsum.apply(*xs, inputs=inputs, output=output)
    return np.einsum(",".join(inputs) + "->" + output, *xs, optimize=len(xs) > 1)


# -- movement -------------------------------------------------------------------------------


class Reshape(Function):
    saves_inputs = False

    def forward(self, x, shape):
        self.saved = (x.shape,)
        return x.reshape(shape)

    def backward(self, g, shape):
        return (g.reshape(shape),)


class Permute(Function):
    saves_inputs = False

    def forward(self, x, perm):
        self.saved = (tuple(np.argsort(perm)),)
        return x.transpose(perm)

    def backward(self, g, inverse):
        return (_permute(g, inverse),)


class Expand(Function):
    """Broadcast to ``shape``; the gradient is summed back to the input's shape by
    ``engine.sum_to``, the one place that reduces broadcast gradients."""

    saves_inputs = False

    def forward(self, x, shape):
        self.saved = (x.shape,)
        return np.broadcast_to(x, shape)

    def backward(self, g, shape):
        return (sum_to(g, shape),)


class GetItem(Function):
    """``x[index]`` for slices, integers and integer or boolean arrays; the gradient is
    scattered back and repeated indices accumulate."""

    saves_inputs = False

    def forward(self, x, index):
        self.saved = (x.shape, index)
        out = x[index]
        if type(out) is not np.ndarray:  # a scalar: give a 0-d view instead, as PyTorch
            out = x[(index if isinstance(index, tuple) else (index,)) + (Ellipsis,)]
        return out

    def backward(self, g, shape, index):
        if isinstance(g, Tensor):
            return (ScatterAdd.apply(g, shape=shape, index=index),)
        return (_scatter_add(g, shape, index),)


class ScatterAdd(Function):
    """The adjoint of ``GetItem``: a zero array of ``shape`` with ``g`` added at ``index``."""

    saves_inputs = False

    def forward(self, g, shape, index):
        self.saved = (index,)
        return _scatter_add(g, shape, index)

    def backward(self, g, index):
        return (g[index],)


class IndexPut(Function):
    r"""A zero array of ``shape`` with ``x`` written at ``index`` (``index_put`` without
    accumulating; of places written twice, the last write stays): $y[i_j] = x_j$. The gradient
    reads every place back, $\bar x_j = \bar y[i_j]$, repeats included (PyTorch's rule for
    ``max_unpool``)."""

    saves_inputs = False

    def forward(self, x, shape, index):
        self.saved = (index,)
        out = np.zeros(shape, dtype=x.dtype)
        out[index] = x
        return out

    def backward(self, g, index):
        return (g[index],)


class CopySlices(Function):
    r"""An in-place op on a view, seen from its base (as PyTorch's CopySlices): the old
    ``base`` with the region the view selects (``chosen``) replaced by ``value``. The base's
    gradient is $\bar y$ outside the region and 0 inside; the value's is the region of
    $\bar y$ (``view`` applied to it)."""

    saves_inputs = False

    def forward(self, base, value, chosen, view):
        self.saved = (chosen, view)
        return base  # the base's storage already holds the value, written through the view

    def backward(self, g, chosen, view):
        if isinstance(g, Tensor):
            return _masked(g, ~chosen), view(g)
        return _masked(g, ~chosen), np.array(view(wrap(g))._data)


def _scatter_add(g: np.ndarray, shape: tuple[int, ...], index: Any) -> np.ndarray:
    out = np.zeros(shape, dtype=g.dtype)
    if _is_basic(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


def _is_basic(index: Any) -> bool:
    """True for indices made of ints, slices, ``None`` and ``...`` (no repeats possible)."""
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, np.integer, slice)) or i is None or i is Ellipsis for i in items)


class Flip(Function):
    """The elements in reverse order along ``axes`` (a copy, as ``torch.flip``); its own
    adjoint: the gradient is flipped back."""

    saves_inputs = False

    def forward(self, x, axes):
        self.saved = (axes,)
        return np.flip(x, axes).copy()

    def backward(self, g, axes):
        return (_flip(g, axes),)


class TakeAlong(Function):
    r"""$y[\dots, j] = x[\dots, i_j]$ along the last axis (``np.take_along_axis``), for
    ``index`` with one entry per row (max pooling's picked element): the gradient is put back
    at the picked places, a plain assignment since no row picks twice."""

    saves_inputs = False

    def forward(self, x, index):
        if index.shape[-1] != 1:
            raise ValueError(f"TakeAlong: index must pick one entry per row, got {index.shape}")
        self.saved = (x.shape, index)
        return np.take_along_axis(x, index, axis=-1)

    def backward(self, g, shape, index):
        if isinstance(g, Tensor):  # recorded: a one-hot mask times the broadcast gradient
            onehot = np.arange(shape[-1]) == index
            return (Where.apply(wrap(onehot), _expand(g, shape), wrap(np.zeros((), g.dtype))),)
        out = np.zeros(shape, g.dtype)
        np.put_along_axis(out, index, g, axis=-1)
        return (out,)


class Cat(Function):
    saves_inputs = False

    def forward(self, *xs, axis):
        self.saved = (axis, tuple(np.cumsum([x.shape[axis] for x in xs]).tolist()))
        return np.concatenate(xs, axis=axis)

    def backward(self, g, axis, ends):
        lead = (slice(None),) * (axis % g.ndim)
        starts = [0, *ends[:-1]]
        return tuple(g[lead + (slice(s, e),)] for s, e in zip(starts, ends))


# -- windows: the one windowing op that convolution, pooling and unfold share -----------------


class Pad(Function):
    r"""Constant padding: $y = $ ``value`` outside, $y[p + i] = x[i]$ inside; the gradient
    is the inside of $\bar y$. ``pad`` holds one ``(before, after)`` pair per axis."""

    saves_inputs = False

    def forward(self, x, pad, value):
        inside = tuple(slice(b, b + n) for (b, _), n in zip(pad, x.shape))
        self.saved = (inside,)
        out = np.full(tuple(n + b + a for (b, a), n in zip(pad, x.shape)), value, x.dtype)
        out[inside] = x
        return out

    def backward(self, g, inside):
        return (g[inside],)


class Windows(Function):
    r"""Sliding windows over the last $d$ axes, as a view (im2col without a copy): for
    ``x`` of shape $(\dots, S_1..S_d)$ the output has shape $(\dots, O_1..O_d, K_1..K_d)$ with
    $y[\dots, o, k] = x[\dots, o\,s + k\,\delta]$ (stride $s$, dilation $\delta$),
    $O = \lfloor (S - \delta(K-1) - 1)/s \rfloor + 1$.

    Its backward is col2im: every window's gradient is added back where the window came
    from, $\bar x[\dots, o s + k\delta] \mathrel{+}= \bar y[\dots, o, k]$, one strided add
    per kernel offset $k$ (``Col2Im``, the adjoint)."""

    saves_inputs = False

    def forward(self, x, kernel, stride, dilation):
        self.saved = (x.shape[-len(kernel) :], kernel, stride, dilation)
        return _windows(x, kernel, stride, dilation)

    def backward(self, g, size, kernel, stride, dilation):
        if isinstance(g, Tensor):
            return (Col2Im.apply(g, size=size, stride=stride, dilation=dilation),)
        return (_col2im(g, size, stride, dilation),)


class Col2Im(Function):
    r"""The adjoint of ``Windows``: windows $(\dots, O, K)$ summed into an array whose last
    axes have ``size``, $y[\dots, o s + k\delta] = \sum x[\dots, o, k]$ (``F.fold`` and the
    transposed convolution); its backward takes the windows of $\bar y$."""

    saves_inputs = False

    def forward(self, cols, size, stride, dilation):
        self.saved = (cols.shape[cols.ndim - len(size) :], stride, dilation)
        return _col2im(cols, size, stride, dilation)

    def backward(self, g, kernel, stride, dilation):
        if isinstance(g, Tensor):
            return (Windows.apply(g, kernel=kernel, stride=stride, dilation=dilation),)
        return (_windows(g, kernel, stride, dilation),)


def _windows(x: np.ndarray, kernel: tuple, stride: tuple, dilation: tuple) -> np.ndarray:
    nd = len(kernel)
    size, steps = x.shape[-nd:], x.strides[-nd:]
    out = tuple(
        (n - d * (k - 1) - 1) // s + 1 for n, k, s, d in zip(size, kernel, stride, dilation)
    )
    if min(out) < 1:
        raise ValueError(
            f"the window (kernel {kernel}, dilation {dilation}) is larger than the padded "
            f"input {size}"
        )
    return np.lib.stride_tricks.as_strided(
        x,
        x.shape[:-nd] + out + tuple(kernel),
        x.strides[:-nd]
        + tuple(st * s for st, s in zip(steps, stride))
        + tuple(st * d for st, d in zip(steps, dilation)),
        writeable=False,
    )


def _col2im(cols: np.ndarray, size: tuple, stride: tuple, dilation: tuple) -> np.ndarray:
    nd = len(size)
    lead, out, kernel = cols.shape[: -2 * nd], cols.shape[-2 * nd : -nd], cols.shape[-nd:]
    x = np.zeros(lead + tuple(size), cols.dtype)
    for k in np.ndindex(*kernel):  # one strided add per kernel offset, not per pixel
        at = tuple(
            slice(i * d, i * d + s * (o - 1) + 1, s) for i, d, s, o in zip(k, dilation, stride, out)
        )
        x[(Ellipsis, *at)] += cols[(Ellipsis, *k)]
    return x


# -- fused ops of the nn layer ----------------------------------------------------------------
# One node instead of three or five: they cut the per-step time of a small MLP (benchmark
# rows 1-2). Their gradients are the textbook ones, checked against the composed versions.


class Linear(Function):
    r"""$Y = X W^T + b$ (notes §5.1): $\bar X = \bar Y W$,
    $\bar W = \bar Y^T X$, $\bar b = \sum_n \bar Y_n$ (notes §14.1)."""

    def forward(self, x, w, b=None):
        self.saved = (x, w)
        out = x @ w.T
        if b is not None:
            out += b
        return out

    def backward(self, g, x, w):
        needs = self.needs_input_grad
        if g.ndim != 2:  # one sample, or several batch axes: make it a batch of rows
            g2, x = g.reshape((-1, g.shape[-1])), x.reshape((-1, x.shape[-1]))
        else:
            g2 = g
        gx = g @ w if needs[0] else None
        gw = g2.T @ x if needs[1] else None
        gb = None
        if len(needs) > 2 and needs[2]:
            gb = g2.sum(0) if isinstance(g2, Tensor) else _sum_rows(g2)
        return gx, gw, gb


class CrossEntropy(Function):
    r"""Per-sample $E = -\sum_k t_k \log \mathrm{softmax}(z)_k$ over the last axis, for
    logits ``z`` and targets ``t`` that are class indices (int) or probabilities (float).
    $\partial E / \partial z = \mathrm{softmax}(z) - t$ (notes §6.3).

    ``reduction`` ``"mean"`` or ``"sum"`` reduces the per-sample losses in this same node
    (one node instead of three: benchmark rows 1-2); ``"none"`` keeps them."""

    def forward(self, z, t, reduction="none"):
        shifted = z - _max_reduce(z, -1, keepdims=True)
        e = np.exp(shifted)
        total = _sum_last(e)
        log_total = np.log(total)
        if t.dtype.kind in "iu":
            # E = log(total) - shifted[t], read at each sample's class: no log-softmax array;
            # the same positions give backward its one-hot (mlp_small and mlp_mnist)
            logp, at = None, _class_positions(t, z.shape[-1])
            loss = log_total.reshape(t.shape) - shifted.take(at)
        else:
            logp, at = shifted - log_total, None
            loss = -(t * logp).sum(axis=-1)
        # e and its sum are kept so that backward's softmax is one division, not another exp
        self.saved = (z, t, logp, at, reduction, e, total)
        if reduction == "none":
            return loss
        total_loss = _sum_rows(loss) if loss.ndim == 1 else _add_reduce(loss, None)
        # sum / n: np.mean costs three times as much (row 1)
        return total_loss / loss.size if reduction == "mean" else total_loss

    def backward(self, g, z, t, logp, at, reduction, e, total):
        if isinstance(z, Tensor):  # a recorded backward differentiates through log_softmax
            logp = z.log_softmax(-1)
            p = logp.exp()
        else:
            p = e / total  # softmax(z), a fresh array
        n = None  # the mean's count, divided out of a plain backward's array in place (row 1)
        if reduction == "none":
            g = g.reshape(g.shape + (1,))  # one upstream gradient per sample
        elif reduction == "mean":
            n = max(math.prod(z.shape[:-1]), 1)
            if isinstance(z, Tensor) or self.needs_input_grad[1]:
                g, n = g / n, None
        if at is not None:
            grad_z = _minus_one_hot(p, at)
        else:  # -d/dz sum_k t_k log p_k = p sum_k t_k - t (= p - t for a distribution)
            total = t.sum(-1, keepdim=True) if isinstance(t, Tensor) else t.sum(-1, keepdims=True)
            grad_z = p * total - t
        grad_t = -g * logp if self.needs_input_grad[1] else None
        if isinstance(grad_z, np.ndarray):  # a fresh array: scale it in place (rows 1-2)
            grad_z *= g
            if n is not None:
                grad_z /= dtypes.constant(n, grad_z.dtype)
            return grad_z, grad_t
        return g * grad_z, grad_t


def _class_positions(t: np.ndarray, n_classes: int) -> np.ndarray:
    """The position of each sample's class ``t`` in the flattened logits (sample index
    times ``n_classes`` plus ``t``): one ``take`` reads them all, one ``.flat`` writes."""
    starts = _OFFSETS[t.size, n_classes]
    if t.ndim != 1:
        starts = starts.reshape(t.shape)
    return np.add(starts, t, dtype=np.intp)  # intp for any integer t (uint64 + int64 is float)


def _minus_one_hot(p: Any, at: np.ndarray) -> Any:
    """``p - onehot``, the ones at the flat positions ``at``; in place when ``p`` is an
    array (backward's softmax, fresh from its division)."""
    if isinstance(p, np.ndarray):
        flat = p.ravel()  # a view when p is C-contiguous (the usual case); .flat costs more
        if flat.base is p:  # (row 1)
            flat[at] -= 1
        else:  # p follows the layout of logits that were a transposed view
            p.flat[at] -= 1
        return p
    onehot = np.zeros(p.shape, dtype=p.dtype)
    onehot.flat[at] = 1
    return p - onehot


# -- matrix functions of tinygrad_nn.linalg ---------------------------------------------------
# numpy.linalg's factorisations over the last two axes (batch axes broadcast), with the
# textbook vector-Jacobian products. An op with several results (slogdet, eigh, svd, qr) returns
# them packed in one array that tinygrad_nn.linalg slices into views: one node, one
# factorisation, and each result's gradient arrives as a block of the packed one.


class LinAlgError(RuntimeError):
    """A matrix that a factorisation cannot take (singular, not positive-definite), as
    ``torch.linalg.LinAlgError``, a ``RuntimeError``."""


@contextlib.contextmanager
def _factorising(who: str, reason: str) -> Any:
    """numpy's ``LinAlgError`` (a ValueError) raised as ``LinAlgError`` naming the function."""
    try:
        yield
    except np.linalg.LinAlgError as err:
        raise LinAlgError(f"linalg.{who}: {reason} ({err})") from None


def _inv(v: Any) -> Any:
    return Inv.apply(v) if isinstance(v, Tensor) else np.linalg.inv(v)


def _solve(a: Any, b: Any) -> Any:
    return Solve.apply(a, b) if isinstance(a, Tensor) else np.linalg.solve(a, b)


def _tril(v: Any, k: int) -> Any:
    return v.tril(k) if isinstance(v, Tensor) else np.tril(v, k)


def _first_order(g: Any, who: str) -> None:
    if isinstance(g, Tensor):
        raise NotImplementedError(
            f"the gradient of linalg.{who} cannot be differentiated again (create_graph=True)"
        )


def _diag_embed(v: np.ndarray) -> np.ndarray:
    """Matrices with the vectors ``v`` (last axis) on their diagonals."""
    return v[..., None, :] * np.eye(v.shape[-1], dtype=v.dtype)


def _gaps(w: np.ndarray) -> np.ndarray:
    r"""$E_{ij} = w_j - w_i$, with 1 on the diagonal (where the quotients it divides are 0)."""
    gaps = w[..., None, :] - w[..., :, None]
    return gaps + np.eye(w.shape[-1], dtype=w.dtype)


class Inv(Function):
    r"""$Y = A^{-1}$: $\bar A = -A^{-T} \bar Y A^{-T} = -Y^T \bar Y Y^T$."""

    output_saved_at = 0
    saves_inputs = False

    def forward(self, a):
        with _factorising("inv", "the input matrix is singular"):
            out = np.linalg.inv(a)
        self.saved = (out,)
        return out

    def backward(self, g, out):
        t = _swap_last(out)
        return (-(t @ g @ t),)


class Det(Function):
    r"""$y = \det A$: $\bar A = \bar y \det(A) A^{-T}$ (Jacobi's formula). The cofactor matrix
    $\det(A) A^{-T}$ is computed as $\det(U)\det(V)\, U \operatorname{diag}(\prod_{j \ne i} s_j)
    V^T$ from $A = U \operatorname{diag}(s) V^T$, which holds at singular $A$ too (PyTorch's
    gradient there); a recorded backward uses $\det(A) A^{-T}$."""

    output_saved_at = 1

    def forward(self, a):
        out = np.asarray(np.linalg.det(a))
        self.saved = (a, out)
        return out

    def backward(self, g, a, out):
        if isinstance(g, Tensor):
            scale = (g * out).reshape(tuple(g.shape) + (1, 1))
            return (scale * _swap_last(Inv.apply(a)),)
        return (g[..., None, None] * _cofactors(a),)


def _cofactors(a: np.ndarray) -> np.ndarray:
    r"""$\det(A) A^{-T}$, also where $A$ is singular (see ``Det``)."""
    u, s, vh = np.linalg.svd(a)
    n = s.shape[-1]
    others = np.where(np.eye(n, dtype=bool), 1, s[..., None, :]).prod(-1)  # prod over j != i
    sign = np.linalg.det(u) * np.linalg.det(vh)
    return sign[..., None, None] * ((u * others[..., None, :]) @ vh)


class Slogdet(Function):
    r"""The sign of $\det A$ and $\log|\det A|$, packed on a last axis of 2:
    $\bar A = \bar l\, A^{-T}$ for the logarithm $l$ (the sign is piecewise constant)."""

    def forward(self, a):
        sign, logabsdet = np.linalg.slogdet(a)
        self.saved = (a,)
        return np.stack([sign, logabsdet], -1)

    def backward(self, g, a):
        gl = g[..., 1]
        return (gl.reshape(tuple(gl.shape) + (1, 1)) * _swap_last(_inv(a)),)


class Solve(Function):
    r"""$X = A^{-1} B$ for matrices $B$ (batch axes broadcast): $\bar B = A^{-T} \bar X$,
    $\bar A = -\bar B X^T$."""

    output_saved_at = 1

    def forward(self, a, b):
        with _factorising("solve", "the input matrix A is singular"):
            out = np.linalg.solve(a, b)
        self.saved = (a, out)
        return out

    def backward(self, g, a, out):
        gb = _solve(_swap_last(a), g)
        return (-(gb @ _swap_last(out)) if self.needs_input_grad[0] else None), gb


class Cholesky(Function):
    r"""The lower-triangular $L$ with $A = L L^T$, from $A$'s lower triangle. With
    $P = \operatorname{tril}(L^T \bar L)$ and $\Phi = \frac12 (P + \operatorname{tril}(P, -1)^T)$
    (the symmetric matrix of $P$'s lower triangle, its diagonal halved),
    $\bar A = L^{-T} \Phi L^{-1}$, symmetric as PyTorch's."""

    output_saved_at = 0
    saves_inputs = False

    def forward(self, a):
        with _factorising("cholesky", "the input is not positive-definite"):
            out = np.linalg.cholesky(a)
        self.saved = (out,)
        return out

    def backward(self, g, low):
        p = _tril(_swap_last(low) @ g, 0)
        phi = (p + _swap_last(_tril(p, -1))) * 0.5
        inverse = _inv(low)
        return (_swap_last(inverse) @ phi @ inverse,)


class Eigh(Function):
    r"""The eigenvalues $w$ (ascending) and orthonormal eigenvectors $V$ of symmetric matrices
    (from the triangle ``uplo``), packed as rows: $w$, then $V$.
    $\bar A = V \big(\operatorname{diag}(\bar w) + \tfrac12 (V^T \bar V - \bar V^T V) / E\big) V^T$
    with $E_{ij} = w_j - w_i$: defined where the eigenvalues are distinct (or $\bar V = 0$).
    First order only."""

    saves_inputs = False

    def forward(self, a, uplo):
        with _factorising("eigh", "the algorithm did not converge"):
            w, v = np.linalg.eigh(a, UPLO=uplo)
        self.saved = (w, v)
        return np.concatenate([w[..., None, :], v], -2)

    def backward(self, g, w, v):
        _first_order(g, "eigh")
        inner, gv = _diag_embed(g[..., 0, :]), g[..., 1:, :]
        if gv.any():
            vtgv = _swap_last(v) @ gv
            inner = inner + (vtgv - _swap_last(vtgv)) * 0.5 / _gaps(w)
        return (v @ inner @ _swap_last(v),)


class Svd(Function):
    r"""$A = U \operatorname{diag}(s) V^T$ (``full_matrices``: $U$, $V$ square), packed as
    rows: $U^T$, then $s$ as a column, then $V^T$. With $k = \min(m, n)$, only the first $k$
    columns of $U$ and $V$ get a gradient (as in PyTorch):
    $\bar A = U \big((\operatorname{skew}(U^T \bar U) S + S \operatorname{skew}(V^T \bar V)) / E
    + \operatorname{diag}(\bar s)\big) V^T$ plus, for $m > n$, $(I - UU^T) \bar U S^{-1} V^T$
    (for $m < n$, $U S^{-1} \bar V^T (I - VV^T)$), where $\operatorname{skew}(X) = X - X^T$
    and $E_{ij} = s_j^2 - s_i^2$: defined for distinct non-zero $s$ (or $\bar U = \bar V = 0$).
    First order only."""

    saves_inputs = False

    def forward(self, a, full_matrices):
        with _factorising("svd", "the algorithm did not converge"):
            u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
        (m, n), k = a.shape[-2:], s.shape[-1]
        out = np.zeros(a.shape[:-2] + (max(u.shape[-1], vh.shape[-2]), m + 1 + n), a.dtype)
        out[..., : u.shape[-1], :m] = _swap_last(u)
        out[..., :k, m] = s
        out[..., : vh.shape[-2], m + 1 :] = vh
        self.saved = (u[..., :k], s, vh[..., :k, :])
        return out

    def backward(self, g, u, s, vh):
        _first_order(g, "svd")
        m, k = u.shape[-2], s.shape[-1]
        gu, gs, gvh = _swap_last(g[..., :k, :m]), g[..., :k, m], g[..., :k, m + 1 :]
        if not (gu.any() or gvh.any()):  # singular values alone: U diag(gs) V^T
            return ((u * gs[..., None, :]) @ vh,)
        rows, cols = s[..., :, None], s[..., None, :]
        uhgu, vhgv = _swap_last(u) @ gu, vh @ _swap_last(gvh)
        uhgu, vhgv = uhgu - _swap_last(uhgu), vhgv - _swap_last(vhgv)
        inner = (uhgu * cols + rows * vhgv) / _gaps(s * s) + _diag_embed(gs)
        if m > vh.shape[-1]:  # tall: the part of gU outside U's span
            gus = gu / cols
            return ((u @ inner + gus - u @ (_swap_last(u) @ gus)) @ vh,)
        if m < vh.shape[-1]:  # wide: the part of gV outside V's span
            sgvh = gvh / rows
            return (u @ (inner @ vh + sgvh - (sgvh @ _swap_last(vh)) @ vh),)
        return (u @ inner @ vh,)


class Qr(Function):
    r"""$A = QR$ with orthonormal columns of $Q$ and upper-triangular $R$, packed as $Q^T$ beside
    $R$. For square $R$ (``"reduced"`` with $m \ge n$): $M = R \bar R^T - \bar Q^T Q$,
    $\bar A = (\bar Q + Q \operatorname{copyltu}(M)) R^{-T}$ with
    $\operatorname{copyltu}(M) = \operatorname{tril}(M) + \operatorname{tril}(M, -1)^T$.
    First order only."""

    saves_inputs = False

    def forward(self, a, mode):
        q, r = np.linalg.qr(a, mode=mode)
        self.saved = (q, r)
        return np.concatenate([_swap_last(q), r], -1)

    def backward(self, g, q, r):
        _first_order(g, "qr")
        m, n = q.shape[-2], r.shape[-1]
        if r.shape[-2] != n:
            raise NotImplementedError(
                f"linalg.qr: the gradient is implemented for R square (mode='reduced' with at "
                f"least as many rows as columns), got A of {m} by {n}"
            )
        gq, gr = _swap_last(g[..., :m]), g[..., m:]
        mm = r @ _swap_last(gr) - _swap_last(gq) @ q
        b = gq + q @ (np.tril(mm) + _swap_last(np.tril(mm, -1)))
        return (_swap_last(np.linalg.solve(r, _swap_last(b))),)


class Pinv(Function):
    r"""The pseudo-inverse $A^+ = V \operatorname{diag}(1/s) U^T$ over the singular values
    above $\max(\text{atol}, \text{rtol}\, s_1)$ (eigenvalues in absolute value with
    ``hermitian``). For $A$ of locally constant rank:
    $\bar A = -A^{+T} \bar Y A^{+T} + (I - AA^+) \bar Y^T A^+ A^{+T}
    + A^{+T} A^+ \bar Y^T (I - A^+ A)$."""

    output_saved_at = 1

    def forward(self, a, atol, rtol, hermitian):
        if hermitian:
            w, v = np.linalg.eigh(a)
            s, left, right = np.abs(w), v, _swap_last(v)
            values = w
        else:
            left, s, right = np.linalg.svd(a, full_matrices=False)
            values = s
        top = s.max(-1, keepdims=True, initial=0)
        kept = s > np.maximum(atol, rtol * top)
        scale = np.where(kept, 1 / np.where(kept, values, 1), 0).astype(a.dtype)
        out = (_swap_last(right) * scale[..., None, :]) @ _swap_last(left)
        self.saved = (a, out)
        return out

    def backward(self, g, a, out):
        p, pt, gt = out, _swap_last(out), _swap_last(g)
        first = -(pt @ g @ pt)
        left = (gt - a @ (p @ gt)) @ (p @ pt)
        right = (pt @ p) @ (gt - (gt @ p) @ a)
        return (first + left + right,)
