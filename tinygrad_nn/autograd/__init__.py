"""``tnn.autograd``, as ``torch.autograd``: user-defined ``Function``s, ``grad``,
``backward``, ``gradcheck`` and the ``functional`` helpers (``jacobian``, ``hessian``,
``vjp``, ``jvp``). The traversal itself is ``tinygrad_nn.engine``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .. import gradcheck as _checks
from ..engine import _accumulate_grad, grad, run_backward
from ..grad_mode import detect_anomaly, enable_grad, no_grad, set_grad_enabled
from ..tensor import Tensor, _initial_grad
from . import functional
from .function import Function, FunctionCtx

__all__ = [
    "Function",
    "FunctionCtx",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "functional",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "no_grad",
    "set_grad_enabled",
]

GradcheckError = _checks.GradcheckError


def _tensors(x: Tensor | Sequence[Any]) -> list[Any]:
    return [x] if isinstance(x, Tensor) else list(x)


def backward(
    tensors: Tensor | Sequence[Tensor],
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Tensor | Sequence[Tensor] | None = None,
) -> None:
    """Accumulate the gradients of ``tensors`` (weighted by ``grad_tensors``) into the
    ``.grad`` of the leaves, or only of ``inputs`` when given (``torch.autograd.backward``)."""
    roots = _tensors(tensors)
    if grad_tensors is None:
        grad_tensors = [None] * len(roots)
    seeds = [
        _initial_grad(t, g, create_graph, "backward()")
        for t, g in zip(roots, _tensors(grad_tensors))
    ]
    retain = create_graph if retain_graph is None else retain_graph
    wanted = None if inputs is None else _tensors(inputs)
    found = run_backward(roots, seeds, retain, create_graph, inputs=wanted)
    for t, g in zip(wanted or (), found or ()):
        if g is not None:
            _accumulate_grad(t, g)


def _flat_output(func: Callable) -> Callable:
    """``func`` with its output (a Tensor or a tuple of them) as one flat Tensor."""
    from ..creation import cat

    def flat(*xs: Any) -> Tensor:
        out = func(*xs)
        return out if isinstance(out, Tensor) else cat([o.reshape(-1) for o in out])

    return flat


def _check(
    check: Callable, func: Callable, inputs: Any, tolerances: tuple, raise_exception: bool
) -> bool:
    try:
        return check(_flat_output(func), _tensors(inputs), *tolerances)
    except GradcheckError:
        if raise_exception:
            raise
        return False


def gradcheck(
    func: Callable,
    inputs: Tensor | Sequence[Any],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check the gradients of ``func`` at float64 ``inputs`` against central differences,
    every element (``torch.autograd.gradcheck``); True, or a ``GradcheckError`` (False with
    ``raise_exception=False``) naming the input, the element and both values."""
    return _check(_checks.gradcheck, func, inputs, (eps, atol, rtol), raise_exception)


def gradgradcheck(
    func: Callable,
    inputs: Tensor | Sequence[Any],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """``gradcheck`` of the first derivative: checks second derivatives."""
    return _check(_checks.gradgradcheck, func, inputs, (eps, atol, rtol), raise_exception)
