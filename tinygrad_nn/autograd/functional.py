r"""Derivatives of whole functions, as ``torch.autograd.functional``: ``vjp``
($v^T J$), ``jvp`` ($J v$), ``jacobian`` ($J_{ij} = \partial f_i / \partial x_j$) and
``hessian`` ($H_{ij} = \partial^2 f / \partial x_i \partial x_j$), all built on reverse mode
(``engine.grad``).

``inputs`` is a Tensor or a tuple of them, and results come in the same form. With
``create_graph=True`` the results are recorded, so they can be differentiated again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..creation import stack, zeros, zeros_like
from ..engine import grad
from ..grad_mode import enable_grad
from ..tensor import Tensor, wrap

__all__ = ["hessian", "jacobian", "jvp", "vjp"]

Inputs = Tensor | Sequence[Tensor]


def _prepare(inputs: Inputs, create_graph: bool) -> tuple[list[Tensor], bool]:
    """The inputs as Tensors that require grad: recorded views of the originals with
    ``create_graph`` (so results differentiate back to them), detached copies otherwise."""
    is_tuple = not isinstance(inputs, Tensor)
    xs = [inputs] if not is_tuple else list(inputs)
    for i, x in enumerate(xs):
        if not isinstance(x, Tensor):
            raise TypeError(f"inputs[{i}] is a {type(x).__name__}; expected a Tensor")
    prepared = [
        x.view_as(x) if create_graph and x.requires_grad else x.detach().requires_grad_()
        for x in xs
    ]
    return prepared, is_tuple


def _evaluate(
    func: Callable, inputs: Inputs, create_graph: bool, who: str
) -> tuple[list[Tensor], bool, list[Tensor], bool]:
    """The prepared inputs, whether they came as a tuple, ``func``'s outputs and whether
    they came as a tuple."""
    xs, in_tuple = _prepare(inputs, create_graph)
    outs, out_tuple = _outputs(func(*xs), who)
    return xs, in_tuple, outs, out_tuple


def _values(outs: list[Tensor], is_tuple: bool, create_graph: bool) -> Any:
    """The function's value as returned by vjp and jvp (cut from the graph unless
    ``create_graph``)."""
    return _form(outs if create_graph else [o.detach() for o in outs], is_tuple)


def _outputs(out: Any, who: str) -> tuple[list[Tensor], bool]:
    is_tuple = not isinstance(out, Tensor)
    outs = [out] if not is_tuple else list(out)
    for i, o in enumerate(outs):
        if not isinstance(o, Tensor):
            raise TypeError(f"{who}: output {i} of the function is a {type(o).__name__}")
    return outs, is_tuple


def _grads(
    outs: list[Tensor], xs: list[Tensor], vs: list[Any], create_graph: bool, strict: bool
) -> list[Tensor]:
    r"""$\sum_k v_k^T \partial o_k / \partial x$ for each ``x``; zeros where ``x`` is unused
    (an error with ``strict``)."""
    pairs = [(o, v) for o, v in zip(outs, vs) if o.requires_grad]
    found: Sequence[Tensor | None] = [None] * len(xs)
    if pairs:
        found = grad(
            [o for o, _ in pairs],
            xs,
            grad_outputs=[v for _, v in pairs],
            retain_graph=True,
            create_graph=create_graph,
            allow_unused=True,
        )
    result = []
    for i, (x, g) in enumerate(zip(xs, found)):
        if g is None:
            if strict:
                raise RuntimeError(
                    f"the output of the function is independent of input {i} (strict=True)"
                )
            g = zeros_like(x)
        result.append(g if create_graph else g.detach())
    return result


def _form(values: list[Any], is_tuple: bool) -> Any:
    return tuple(values) if is_tuple else values[0]


def _vectors(v: Any, like: list[Tensor], who: str, what: str) -> list[Tensor]:
    if v is None:
        if len(like) != 1 or like[0].numel() != 1:
            raise RuntimeError(
                f"{who}: v can be omitted only when the {what} is a single one-element tensor"
            )
        return [wrap(np.ones(like[0].shape, like[0].dtype))]
    vs = [v] if isinstance(v, Tensor) else list(v)
    if len(vs) != len(like):
        raise RuntimeError(f"{who}: v has {len(vs)} tensors but the {what} has {len(like)}")
    for i, (a, b) in enumerate(zip(vs, like)):
        if tuple(a.shape) != tuple(b.shape):
            raise RuntimeError(
                f"{who}: v[{i}] has shape {tuple(a.shape)} but the {what} has {tuple(b.shape)}"
            )
    return vs


def vjp(
    func: Callable[..., Any],
    inputs: Inputs,
    v: Any = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    r"""``(func(inputs), v^T J)``: the vector-Jacobian product, one reverse pass."""
    with enable_grad():
        xs, in_tuple, outs, out_tuple = _evaluate(func, inputs, create_graph, "vjp")
        result = _grads(outs, xs, _vectors(v, outs, "vjp", "output"), create_graph, strict)
    return _values(outs, out_tuple, create_graph), _form(result, in_tuple)


def jvp(
    func: Callable[..., Any],
    inputs: Inputs,
    v: Any = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    r"""``(func(inputs), J v)``: the Jacobian-vector product, by the double-vjp trick:
    $u \mapsto u^T J$ is linear in $u$, and its vjp with $v$ is $J v$."""
    with enable_grad():
        xs, _, outs, out_tuple = _evaluate(func, inputs, create_graph, "jvp")
        vs = _vectors(v, xs, "jvp", "input")
        us = [zeros_like(o).requires_grad_() for o in outs]
        pairs = [(g, w) for g, w in zip(_grads(outs, xs, us, True, strict), vs) if g.requires_grad]
        result = _grads([g for g, _ in pairs], us, [w for _, w in pairs], create_graph, strict)
    return _values(outs, out_tuple, create_graph), _form(result, out_tuple)


def jacobian(
    func: Callable[..., Any],
    inputs: Inputs,
    create_graph: bool = False,
    strict: bool = False,
) -> Any:
    r"""$J_{ij} = \partial f_i / \partial x_j$ of shape ``output.shape + input.shape``, one
    reverse pass per output element. For tuples of inputs (outputs) a tuple over them."""
    with enable_grad():
        xs, in_tuple, outs, out_tuple = _evaluate(func, inputs, create_graph, "jacobian")
        blocks = []
        for o in outs:
            rows: list[list[Tensor]] = [[] for _ in xs]
            for k in range(o.numel()):
                onehot = np.zeros(o.numel(), o.dtype)
                onehot[k] = 1
                seed = wrap(onehot.reshape(o.shape))
                for j, g in enumerate(_grads([o], xs, [seed], create_graph, strict)):
                    rows[j].append(g)
            per_input = [
                stack(r).reshape(o.shape + x.shape)
                if r
                else zeros(o.shape + x.shape, dtype=x.dtype)
                for r, x in zip(rows, xs)
            ]
            blocks.append(_form(per_input, in_tuple))
    return _form(blocks, out_tuple)


def hessian(
    func: Callable[..., Tensor],
    inputs: Inputs,
    create_graph: bool = False,
    strict: bool = False,
) -> Any:
    r"""$H_{ij} = \partial^2 f / \partial x_i \partial x_j$ of a scalar function: the Jacobian
    of its recorded gradient. For a tuple of inputs, ``H[i][j]`` is a tuple of tuples."""

    def gradient(*xs: Tensor) -> Any:
        out = func(*xs)
        if not isinstance(out, Tensor) or out.numel() != 1:
            raise RuntimeError("hessian: the function must return a single one-element tensor")
        gs = _grads([out], list(xs), [wrap(np.ones(out.shape, out.dtype))], True, strict)
        return _form(gs, not isinstance(inputs, Tensor))

    return jacobian(gradient, inputs, create_graph=create_graph, strict=strict)
