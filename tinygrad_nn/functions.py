"""PyTorch's top-level functions on tensors: ``tnn.exp(x)`` beside ``x.exp()``.

Each is the Tensor method of the same name (so the gradient is the method's), taking the
input tensor first and, as PyTorch's do, an optional ``out=`` tensor that receives the
result in place (:func:`write_out`). ``tnn.max(a, b)`` and ``tnn.min(a, b)`` with two tensors
are the element-wise ``maximum``/``minimum``, as in PyTorch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from . import dtypes
from .creation import arange as _arange
from .creation import cat as _cat
from .creation import stack as _stack
from .grad_mode import state
from .shaping import atleast_3d as _atleast_3d
from .tensor import Tensor, _div_rounded, _tensor_arg, _xlogy, numpy_names
from .tensor import where as _where

_UNARY = "exp log log1p sqrt abs tanh sigmoid arctan relu sin cos sinh cosh square".split()
_WITH_ARGS = (
    "maximum minimum clamp matmul mm bmm sum mean var std amax all any argmax argmin logsumexp "
    "softmax log_softmax gather cumsum cumprod prod amin norm trace tril triu diag sort topk dot "
    "outer index_select masked_select nonzero"
).split()
# views and queries: no out= in PyTorch
_NO_OUT = (
    "reshape flatten permute transpose unsqueeze squeeze t clone numel flip roll chunk "
    "tile argsort masked_fill narrow select"
).split()
# element-wise functions: with out=, and tests of values without it (as in PyTorch)
_ELEMENTWISE = (
    "neg negative reciprocal rsqrt log2 log10 expm1 tan asin acos atan arcsin arccos erf floor "
    "ceil trunc fix frac sign sgn round atan2 arctan2 hypot fmod lerp clip erfc absolute exp2 "
    "logit sinc"
).split()
_TESTS = "isnan isinf isfinite isclose allclose equal".split()

__all__ = [
    *_UNARY,
    *_WITH_ARGS,
    *_NO_OUT,
    *_ELEMENTWISE,
    *_TESTS,
    "remainder",
    "xlogy",
    "result_type",
    "true_divide",
    "add",
    "sub",
    "mul",
    "div",
    "divide",
    "multiply",
    "subtract",
    "floor_divide",
    "pow",
    "max",
    "min",
    "cat",
    "stack",
    "hstack",
    "vstack",
    "row_stack",
    "dstack",
    "column_stack",
    "split",
    "repeat_interleave",
    "concat",
    "concatenate",
    "where",
]


def write_out(out: Any, result: Any, who: str) -> Any:
    """``result``, or with ``out`` given, ``result`` written into ``out`` and ``out`` returned
    (a tuple of tensors for a tuple result). As in PyTorch: a result that requires grad
    cannot go to ``out``; ``out`` of another shape is resized; the value is cast to
    ``out``'s dtype when that is safe within the kind (float to int is refused)."""
    if out is None:
        return result
    if isinstance(result, tuple):
        if not isinstance(out, (tuple, list)) or len(out) != len(result):
            raise TypeError(f"{who}: out must be a tuple of {len(result)} tensors")
        return type(result)(*(write_out(o, r, who) for o, r in zip(out, result)))
    if not isinstance(out, Tensor):
        raise TypeError(f"{who}: out must be a Tensor, got {type(out).__name__}")
    if result.requires_grad and state.grad_enabled:
        raise RuntimeError(
            f"{who}(): functions with out=... arguments don't support automatic "
            "differentiation, but one of the arguments requires grad."
        )
    data = result._data
    dtypes.check_cast(data.dtype, out._data.dtype, who)
    out._inplace(who)
    if out._data.shape == data.shape:
        out._data[...] = data
    else:  # resized, as PyTorch does
        out._data = data.astype(out._data.dtype)
    return out


def _checked(input: Any, who: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(
            f"{who}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    return input


def _function(name: str) -> Callable:
    """The Tensor method ``name`` as a function of the input tensor, with ``out=``."""
    method = getattr(Tensor, name)

    def function(input: Tensor, *args: Any, out: Tensor | None = None, **kwargs: Any) -> Any:
        return write_out(out, method(_checked(input, name), *args, **kwargs), name)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = method.__doc__ or f"``input.{name}(...)`` as a function."
    return function


def _plain_function(name: str) -> Callable:
    """The Tensor method ``name`` as a function without ``out=`` (views, as in PyTorch)."""
    method = getattr(Tensor, name)

    def function(input: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        return method(_checked(input, name), *args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = method.__doc__ or f"``input.{name}(...)`` as a function."
    return function


def _binary(input: Any, other: Any, op: Callable, rop: Callable, who: str) -> Tensor:
    """``op(input, other)``, or ``rop(other, input)`` when only ``other`` is a Tensor
    (``tnn.add(1, t)``, ``tnn.pow(2, t)``, as PyTorch accepts a number there)."""
    if isinstance(input, Tensor):
        return op(input, other)
    if isinstance(other, Tensor):
        return rop(other, input)
    raise TypeError(f"{who}(): expected a Tensor among the arguments, got {input!r}, {other!r}")


for _name in _UNARY + _WITH_ARGS + _ELEMENTWISE:
    globals()[_name] = _function(_name)
for _name in _NO_OUT + _TESTS:
    globals()[_name] = _plain_function(_name)


def add(input: Any, other: Any, *, alpha: float = 1, out: Tensor | None = None) -> Tensor:
    """``input + alpha * other``."""
    other = other if alpha == 1 else alpha * other
    return write_out(out, _binary(input, other, Tensor.__add__, Tensor.__radd__, "add"), "add")


def sub(input: Any, other: Any, *, alpha: float = 1, out: Tensor | None = None) -> Tensor:
    """``input - alpha * other``."""
    other = other if alpha == 1 else alpha * other
    return write_out(out, _binary(input, other, Tensor.__sub__, Tensor.__rsub__, "sub"), "sub")


def mul(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """``input * other``, element-wise with broadcasting."""
    return write_out(out, _binary(input, other, Tensor.__mul__, Tensor.__rmul__, "mul"), "mul")


def div(
    input: Any, other: Any, *, rounding_mode: str | None = None, out: Tensor | None = None
) -> Tensor:
    """``input / other`` (true division), element-wise with broadcasting; with
    ``rounding_mode`` the quotient rounded toward zero (``"trunc"``) or down (``"floor"``), as
    ``torch.div`` (see ``Tensor.div``)."""
    if rounding_mode is None:
        result = _binary(input, other, Tensor.__truediv__, Tensor.__rtruediv__, "div")
    else:
        result = _div_rounded(input, other, rounding_mode)
    return write_out(out, result, "div")


divide, multiply, subtract = div, mul, sub  # PyTorch's other names


def floor_divide(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """``input // other``: ``div(input, other, rounding_mode="floor")``, as
    ``torch.floor_divide``."""
    return write_out(out, div(input, other, rounding_mode="floor"), "floor_divide")


def pow(input: Any, exponent: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A001
    """``input ** exponent``; either may be a number."""
    result = _binary(input, exponent, Tensor.__pow__, Tensor.__rpow__, "pow")
    return write_out(out, result, "pow")


def xlogy(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    r"""$x \log y$ of ``input`` $x$ and ``other`` $y$, element-wise, 0 where $x = 0$ unless $y$
    is NaN; either may be a number, as ``torch.xlogy``."""
    return write_out(out, _xlogy(input, other), "xlogy")


def true_divide(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """``input / other``, true division (integers give the default float dtype); either may
    be a number, as ``torch.true_divide``."""
    return write_out(out, div(input, other), "true_divide")


def remainder(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """The remainder of ``input / other`` rounded down, with the sign of ``other`` (Python's
    ``%``); either may be a number, as ``torch.remainder``."""
    result = _binary(input, other, Tensor.remainder, Tensor.__rmod__, "remainder")
    return write_out(out, result, "remainder")


def max(input: Tensor, *args: Any, out: Any = None, **kwargs: Any) -> Any:  # noqa: A001
    """``max(input)`` the largest element; ``max(input, dim, keepdim=False)`` the values and
    indices along ``dim``; ``max(input, other)`` the element-wise maximum."""
    other = args[0] if args else kwargs.get("other")
    if isinstance(other, Tensor):
        return write_out(out, _checked(input, "max").maximum(other), "max")
    return write_out(out, _checked(input, "max").max(*args, **kwargs), "max")


def min(input: Tensor, *args: Any, out: Any = None, **kwargs: Any) -> Any:  # noqa: A001
    """``min(input)``, ``min(input, dim, keepdim=False)`` or the element-wise
    ``min(input, other)``, as :func:`max`."""
    other = args[0] if args else kwargs.get("other")
    if isinstance(other, Tensor):
        return write_out(out, _checked(input, "min").minimum(other), "min")
    return write_out(out, _checked(input, "min").min(*args, **kwargs), "min")


@numpy_names
def cat(tensors: Any, dim: int = 0, *, out: Tensor | None = None) -> Tensor:
    """Join tensors along an existing dimension (``axis=`` is accepted for ``dim``)."""
    return write_out(out, _cat(tensors, dim), "cat")


concat = concatenate = cat  # PyTorch's other names for cat


@numpy_names
def stack(tensors: Any, dim: int = 0, *, out: Tensor | None = None) -> Tensor:
    """Join tensors of one shape along a new dimension (``axis=`` is accepted for ``dim``)."""
    return write_out(out, _stack(tensors, dim), "stack")


def where(
    condition: Any, input: Any = None, other: Any = None, *, out: Tensor | None = None
) -> Tensor | tuple[Tensor, ...]:
    """``input`` where ``condition`` holds, else ``other`` (the gradient follows the choice);
    ``where(condition)`` alone is ``condition.nonzero(as_tuple=True)``, as in PyTorch."""
    if input is None and other is None and out is None:
        return _tensor_arg(condition, "where", "condition").nonzero(as_tuple=True)
    if input is None or other is None:
        raise TypeError("where: give both input and other, or neither")
    return write_out(out, _where(condition, input, other), "where")


def hstack(tensors: Any, *, out: Tensor | None = None) -> Tensor:
    """Join tensors column-wise: along dim 1, or dim 0 for 1-d ones (0-d ones count as 1-d),
    as ``torch.hstack``."""
    tensors = [t.reshape(1) if t.ndim == 0 else t for t in tensors]
    return write_out(out, _cat(tensors, 0 if tensors and tensors[0].ndim == 1 else 1), "hstack")


def vstack(tensors: Any, *, out: Tensor | None = None) -> Tensor:
    """Join tensors row-wise, along dim 0, 0-d and 1-d ones made rows ``(1, n)``, as
    ``torch.vstack``."""
    tensors = [t.reshape(1, -1) if t.ndim < 2 else t for t in tensors]
    return write_out(out, _cat(tensors, 0), "vstack")


row_stack = vstack  # PyTorch's other name


def dstack(tensors: Any, *, out: Tensor | None = None) -> Tensor:
    """Join tensors depth-wise, along dim 2, after ``atleast_3d`` (``(n,)`` as ``(1, n, 1)``,
    ``(m, n)`` as ``(m, n, 1)``), as ``torch.dstack``."""
    return write_out(out, _cat(_atleast_3d(tuple(tensors)), 2), "dstack")


def column_stack(tensors: Any, *, out: Tensor | None = None) -> Tensor:
    """Join tensors as columns, along dim 1, 0-d and 1-d ones made columns ``(n, 1)``, as
    ``torch.column_stack``."""
    tensors = [t.reshape(-1, 1) if t.ndim < 2 else t for t in tensors]
    return write_out(out, _cat(tensors, 1), "column_stack")


def split(
    tensor: Tensor, split_size_or_sections: int | Sequence[int], dim: int = 0
) -> tuple[Tensor, ...]:
    """Views of consecutive pieces of ``tensor`` along ``dim``, as ``torch.split``: see
    ``Tensor.split``."""
    return _checked(tensor, "split").split(split_size_or_sections, dim)


def repeat_interleave(
    input: Tensor, repeats: Any = None, dim: int | None = None, *, output_size: int | None = None
) -> Tensor:
    """``input.repeat_interleave(repeats, dim)``; with ``repeats`` omitted, ``input`` holds
    the counts and the result repeats each index ``i`` ``input[i]`` times, as
    ``torch.repeat_interleave``."""
    if repeats is None:
        counts = _checked(input, "repeat_interleave")
        return _arange(len(counts)).repeat_interleave(counts, output_size=output_size)
    return _checked(input, "repeat_interleave").repeat_interleave(
        repeats, dim, output_size=output_size
    )


def result_type(tensor: Any, other: Any) -> Any:
    """The dtype of an arithmetic op on ``tensor`` and ``other`` (tensors or Python numbers),
    as ``torch.result_type``: ``result_type(int64 tensor, 0.5)`` is the default float."""
    return dtypes.result_type(*(x._data if isinstance(x, Tensor) else x for x in (tensor, other)))
