r"""PyTorch's element-wise functions ``logaddexp``, ``logaddexp2``, ``copysign``,
``addcmul`` and ``addcdiv``. Each is also a Tensor method (``x.logaddexp(y)``), and
``copysign_``, ``addcmul_`` and ``addcdiv_`` change a tensor in place, as in PyTorch.
Operands broadcast; shapes that do not are a RuntimeError naming both.

``addcmul`` and ``addcdiv`` are Tensor ops put together, so their gradients are those ops'.
``logaddexp``, ``logaddexp2`` and ``copysign`` are ops of their own (``ops.LogAddExp``,
``ops.LogAddExp2``, ``ops.CopySign``) with PyTorch's gradient formulas, which no composition
of ours gives at infinities: NaN for both operands of ``logaddexp`` at $a = b = \pm\infty$,
and for $a$ of ``copysign`` at $a = \pm\infty$.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import checks, dtypes
from .functions import write_out
from .ops import CopySign, LogAddExp, LogAddExp2
from .tensor import (
    Tensor,
    _floating,
    _in_place,
    _promote,
    _tensor_arg,
    require_float,
)

__all__ = ["logaddexp", "logaddexp2", "copysign", "addcmul", "addcdiv"]


def _float_pair(input: Any, other: Any, who: str) -> tuple[Tensor, Tensor]:
    """``input`` and ``other`` (tensors) promoted to one float dtype, as PyTorch's
    ``logaddexp``: integers and bools alone are NotImplementedError."""
    x, y = _tensor_arg(input, who, "input"), _tensor_arg(other, who)
    checks.broadcast_shape(who, input=x.shape, other=y.shape)
    x, y = _promote(x, y)
    return require_float(x, who), y


def logaddexp(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    r"""$\log(e^a + e^b)$ without overflow, as ``torch.logaddexp``; its gradient is
    $\sigma(a - b)$ for $a$ and $\sigma(b - a)$ for $b$ (`LogAddExp`)."""
    x, y = _float_pair(input, other, "logaddexp")
    return write_out(out, LogAddExp.apply(x, y), "logaddexp")


def logaddexp2(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    r"""$\log_2(2^a + 2^b)$ without overflow, as ``torch.logaddexp2`` (`LogAddExp2`)."""
    x, y = _float_pair(input, other, "logaddexp2")
    return write_out(out, LogAddExp2.apply(x, y), "logaddexp2")


def copysign(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:
    r"""$|a|$ with the sign of $b$ (``other``, a tensor or a number), as ``torch.copysign``;
    integers give the default float. The gradient is PyTorch's (`CopySign`)."""
    x = _tensor_arg(input, "copysign", "input")
    if isinstance(other, Tensor):
        checks.broadcast_shape("copysign", input=x.shape, other=other.shape)
    x, y = (_floating(t) for t in _promote(x, other))
    return write_out(out, CopySign.apply(x, y), "copysign")


def _three(input: Any, tensor1: Any, tensor2: Any, who: str) -> tuple[Tensor, ...]:
    """The three tensors of ``addcmul``/``addcdiv``, checked to broadcast, in their common
    dtype (PyTorch's promotion of all three)."""
    named = {"input": input, "tensor1": tensor1, "tensor2": tensor2}
    tensors = tuple(_tensor_arg(t, who, name) for name, t in named.items())
    checks.broadcast_shape(who, **{name: t.shape for name, t in named.items()})
    return _promoted(tensors)


def _promoted(tensors: tuple[Tensor, ...]) -> tuple[Tensor, ...]:
    """``tensors`` in their common dtype, as PyTorch promotes the inputs of one op."""
    dtype = dtypes.common_dtype(*(t._data for t in tensors))
    return tuple(t if t._data.dtype == dtype else t.to(dtype) for t in tensors)


def _scale(value: Any, dtype: np.dtype) -> Any:
    """``value`` (a number or a 0-d tensor) as PyTorch uses it with tensors of ``dtype``: a
    float is truncated to an integer for integer tensors."""
    value = value.item() if isinstance(value, Tensor) else value
    return int(value) if dtype.kind in "biu" else value


def addcmul(
    input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1, out: Tensor | None = None
) -> Tensor:
    r"""$\text{input} + v\, t_1 t_2$ element-wise with broadcasting, $v$ = ``value``, as
    ``torch.addcmul``."""
    x, t1, t2 = _three(input, tensor1, tensor2, "addcmul")
    value = _scale(value, x._data.dtype)
    return write_out(out, x + (t1 if value == 1 else t1 * value) * t2, "addcmul")


def addcdiv(
    input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1, out: Tensor | None = None
) -> Tensor:
    r"""$\text{input} + v\, t_1 / t_2$ element-wise with broadcasting, $v$ = ``value``, as
    ``torch.addcdiv``; two integer tensors $t_1$, $t_2$ are refused, as PyTorch refuses
    them."""
    if all(isinstance(t, Tensor) and t._data.dtype.kind in "biu" for t in (tensor1, tensor2)):
        raise RuntimeError(
            f"addcdiv: integer division is not supported, as in PyTorch (tensor1 "
            f"{tensor1.dtype}, tensor2 {tensor2.dtype}); for the old result write "
            "(input + value * (tensor1 / tensor2).trunc()).to(input.dtype)"
        )
    x, t1, t2 = _three(input, tensor1, tensor2, "addcdiv")
    value = _scale(value, x._data.dtype)
    return write_out(out, x + (t1 if value == 1 else t1 * value) / t2, "addcdiv")


for _function in (logaddexp, logaddexp2, copysign, addcmul, addcdiv):
    setattr(Tensor, _function.__name__, _function)
for _name in ("copysign", "addcmul", "addcdiv"):
    setattr(Tensor, f"{_name}_", _in_place(_name))
