"""Reverse-mode traversal: the chain rule applied node by node from the output back to the
leaves (notes §9–10).

``run_backward`` sorts the graph's nodes topologically (iteratively, so a 100,000-op chain
works), visits them from the output backwards, sums the gradients arriving at each node, and
reduces each broadcast gradient back to its input's shape in one place, ``sum_to``.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import Any

import numpy as np

from .function import Function, _check_finite
from .grad_mode import set_grad_enabled, state
from .tensor import Tensor


def sum_to(g: Any, shape: tuple[int, ...]) -> Any:
    """Sum a gradient of a broadcast shape back to ``shape``: over the leading axes that
    broadcasting added and over the axes where ``shape`` has size 1."""
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1
    )
    if axes:
        g = g.sum(axes, keepdim=True) if isinstance(g, Tensor) else g.sum(axes, keepdims=True)
    return g.reshape(shape)


def _toposort(roots: Sequence[Function]) -> list[Function]:
    """Nodes in reverse topological order (each node before the nodes it depends on),
    by an iterative depth-first search over parents in their stored order."""
    order: list[Function] = []
    visited: set[int] = set()
    for root in roots:
        if id(root) in visited:
            continue
        visited.add(id(root))
        stack = [(root, iter(root.parents))]
        while stack:
            fn, parents = stack[-1]
            for p in parents:
                ctx = p._ctx
                if ctx is not None and id(ctx) not in visited:
                    visited.add(id(ctx))
                    stack.append((ctx, iter(ctx.parents)))
                    break
            else:
                stack.pop()
                order.append(fn)
    order.reverse()
    return order


def _accumulate(store: dict, key: Any, g: Any) -> None:
    prev = store.get(key)
    store[key] = g if prev is None else prev + g


def _apply_hooks(hooks: list | None, g: Any, create_graph: bool) -> Any:
    for hook in hooks or ():
        new = hook(g if create_graph else Tensor(g))
        if new is not None:
            g = new if create_graph else new.data
    return g


def run_backward(
    roots: Sequence[Tensor],
    grads: Sequence[Any],
    retain_graph: bool,
    create_graph: bool,
    inputs: Sequence[Tensor] | None = None,
) -> list[Any] | None:
    """Propagate ``grads`` (one per root) back through the graph.

    Without ``inputs`` the leaves' ``.grad`` accumulate (``Tensor.backward``); with them,
    the gradients of ``inputs`` are returned instead and no ``.grad`` changes (``grad``).
    With ``create_graph`` the gradients are Tensors recorded in a new graph.
    """
    node_grads: dict[Function, Any] = {}
    leaf_grads: dict[int, Any] = {}
    leaves: dict[int, Tensor] = {}
    wanted = {id(t): i for i, t in enumerate(inputs)} if inputs is not None else None
    captured: list[Any] = [None] * len(inputs) if inputs is not None else []

    def deliver(t: Tensor, g: Any) -> None:
        if t._ctx is None:
            leaves[id(t)] = t
            _accumulate(leaf_grads, id(t), g)
        else:
            _accumulate(node_grads, t._ctx, g)

    for t, g in zip(roots, grads):
        deliver(t, g)
    # Deep graphs allocate many small objects; the cyclic collector has nothing to free here
    # and its scans cost about a third of a 100,000-op backward (benchmark row 4).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        with set_grad_enabled(create_graph):
            order = _toposort([t._ctx for t in roots if t._ctx is not None])
            wanted_nodes = _wanted_nodes(inputs) if inputs is not None else {}
            for fn in order:
                g = node_grads.pop(fn, None)
                if g is None:
                    continue
                g = _apply_hooks(fn.hooks, g, create_graph)
                if fn.retained is not None:
                    _retain(fn, g, create_graph)
                if fn in wanted_nodes:
                    for i in wanted_nodes[fn]:
                        captured[i] = g
                _visit(fn, g, retain_graph, create_graph, deliver)
    finally:
        if gc_was_enabled:
            gc.enable()
    stored: set[int] = set()  # Add hands one array to both inputs: give each leaf its own
    for key, t in leaves.items():
        g = leaf_grads[key]
        if wanted is not None:
            if key in wanted:
                captured[wanted[key]] = _apply_hooks(t._hooks, g, create_graph)
            continue
        g = _apply_hooks(t._hooks, g, create_graph)
        if id(g) in stored:
            g = g if isinstance(g, Tensor) else g.copy()
        stored.add(id(g))
        _store_leaf_grad(t, g, create_graph)
    return captured if inputs is not None else None


def _wanted_nodes(inputs: Sequence[Tensor]) -> dict[Function, list[int]]:
    nodes: dict[Function, list[int]] = {}
    for i, t in enumerate(inputs):
        if t._ctx is not None:
            nodes.setdefault(t._ctx, []).append(i)
    return nodes


def _visit(fn: Function, g: Any, retain_graph: bool, create_graph: bool, deliver: Any) -> None:
    """Apply one node's backward and hand each input its share of the gradient."""
    saved = fn.saved
    name = type(fn).__name__
    if saved is None:
        raise RuntimeError(
            f"Trying to backward through the graph a second time (at {name}): its saved "
            "arrays were freed after the first backward. Pass retain_graph=True to the "
            "first backward if you need to call it twice."
        )
    parents = fn.parents
    if fn.versions is not None and fn.versions != tuple([p._version for p in parents]):
        raise RuntimeError(
            f"An input of {name} was modified by an in-place operation after it was used: "
            "its gradient would be wrong. Compute with a copy (clone()) or change it after "
            "backward."
        )
    if create_graph:
        grads = fn.backward(g, *fn.graph_saved())
    else:
        grads = fn.backward(g, *saved)
    if not retain_graph:
        fn.saved = None
    for p, need, gp in zip(parents, fn.needs_input_grad, grads):
        if not need or gp is None:
            continue
        if gp.shape != p.data.shape:
            gp = sum_to(gp, p.data.shape)
        if state.anomaly:
            _check_finite(_array(gp), f"{name} backward")
        deliver(p, gp)


def _array(g: Any) -> np.ndarray:
    return g.data if isinstance(g, Tensor) else g


def _retain(fn: Function, g: Any, create_graph: bool) -> None:
    t = fn.retained()
    if t is not None:
        _store_leaf_grad(t, g, create_graph)


def _store_leaf_grad(t: Tensor, g: Any, create_graph: bool) -> None:
    """``t.grad += g``, out of place so that no gradient array is shared or overwritten."""
    if create_graph:
        g = g if isinstance(g, Tensor) else Tensor(g)
    else:
        g = Tensor(_own(g, t.data.dtype))
    t.grad = g if t.grad is None else t.grad + g


def _own(g: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """A writable array of ``dtype`` that no other gradient shares."""
    if g.dtype != dtype or not g.flags.writeable or g.base is not None:
        return np.array(g, dtype=dtype)
    return g


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...]:
    """The gradients of ``outputs`` with respect to ``inputs``, returned rather than
    accumulated into ``.grad`` (as ``torch.autograd.grad``). With ``create_graph=True`` the
    result is differentiable again: ``grad(grad(f, x, create_graph=True)[0] @ v, x)`` is a
    Hessian-vector product."""
    from .tensor import _initial_grad

    outs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    ins = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if grad_outputs is None or isinstance(grad_outputs, (Tensor, np.ndarray)):
        grad_outputs = [grad_outputs] * len(outs) if len(outs) == 1 else grad_outputs
    gos = list(grad_outputs) if grad_outputs is not None else [None] * len(outs)
    for i, t in enumerate(ins):
        if not t.requires_grad:
            raise RuntimeError(f"grad: input {i} (shape {t.shape}) does not require grad")
    seeds = [_initial_grad(o, g, create_graph, "grad()") for o, g in zip(outs, gos)]
    retain = create_graph if retain_graph is None else retain_graph
    found = run_backward(outs, seeds, retain, create_graph, inputs=ins)
    result: list[Tensor | None] = []
    for i, (t, g) in enumerate(zip(ins, found)):
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"grad: input {i} (shape {t.shape}) was not used to compute the outputs; "
                    "pass allow_unused=True to get None for it"
                )
            result.append(None)
        elif isinstance(g, Tensor):
            result.append(g if g.shape == t.shape else sum_to(g, t.shape))
        else:
            result.append(Tensor(_own(g, t.dtype)))
    return tuple(result)
