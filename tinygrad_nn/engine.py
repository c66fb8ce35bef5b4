"""Reverse-mode traversal: the chain rule applied node by node from the output back to the
leaves (notes §9–10).

``run_backward`` visits the graph's nodes from the output backwards in topological order
(newest node first, from a heap, with no recursion, so a 100,000-op chain works), sums the
gradients arriving at each node, and reduces each broadcast gradient back to its input's
shape with one function, ``sum_to``: for ops of several inputs here, for the two one-input
nodes that broadcast (``Expand`` and a user's ``autograd.Function``) in their backward. Every
other one-input op returns its input's shape, so a chain skips the check. ``toposort``
gives the same kind of order as a list (for drawing graphs).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from heapq import heappop, heappush
from operator import attrgetter
from typing import Any

import numpy as np

from .collector import pause
from .function import (
    Function,
    _new,
    check_nan,
    detached_history,
    history_at,
    node_of,
    restore_fp,
    silence_fp,
)
from .grad_mode import state
from .tensor import OutputChanged, Tensor, wrap

__all__ = ["grad", "sum_to"]


def sum_to(g: Any, shape: tuple[int, ...]) -> Any:
    """Sum a gradient of a broadcast shape back to ``shape``: over the leading axes that
    broadcasting added and over the axes where ``shape`` has size 1."""
    graph = isinstance(g, Tensor)
    lead = g.ndim - len(shape)
    if lead:
        g = g.sum(tuple(range(lead)))
    ones = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if ones:
        g = g.sum(ones, keepdim=True) if graph else g.sum(ones, keepdims=True)
    return g  # a fresh array, not a view: the engine need not copy it before handing it out


def toposort(roots: Sequence[Function]) -> list[Function]:
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
                ctx = node_of(p)
                if ctx is not None and id(ctx) not in visited:
                    visited.add(id(ctx))
                    stack.append((ctx, iter(ctx.parents)))
                    break
            else:
                stack.pop()
                order.append(fn)
    order.reverse()
    return order


def _apply_hooks(hooks: list | None, g: Any, create_graph: bool, handed: set[int]) -> Any:
    if not create_graph and not g.flags.writeable:  # a broadcast view: a hook may write
        g = np.array(g)
    for hook in hooks or ():
        if not create_graph:  # the hook may keep its argument: no .grad may be this array
            handed.add(id(g))
        new = hook(g if create_graph else wrap(g))
        if new is not None:  # the hook's result, copied: .grad must not alias its array
            if new.shape != g.shape:
                raise RuntimeError(
                    f"hook {getattr(hook, '__name__', hook)!r} has changed the size of the "
                    f"gradient: it returned shape {tuple(new.shape)}, expected {tuple(g.shape)}"
                )
            g = new if create_graph else np.array(new._data)
    return g


def _node_hooks(fn: Function, g: Any, create_graph: bool, handed: set[int]) -> Any:
    """Run the hooks on ``fn``'s output (and keep its ``.grad`` if ``retain_grad()`` asked);
    returns the gradient they leave."""
    g = _apply_hooks(fn.hooks, g, create_graph, handed)
    if fn.retained is not None and (t := fn.retained()) is not None:
        # as PyTorch, a retained .grad is summed out of place: a reference to the old one
        # keeps its values
        new = _hand_out(g, t._data.dtype, handed)
        t._grad = new if t._grad is None else t._grad + new
    return g


class _Roots(Function):
    """The node the traversal starts from: its inputs are the roots, and its backward hands
    each root the gradient it was seeded with."""

    saves_inputs = False

    def backward(self, g: Any, seeds: tuple) -> tuple[Any, ...]:
        return seeds


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

    Nodes wait in a heap keyed by their creation number, and the newest is visited first:
    every node that uses a tensor was created after the node that made it, so a node's
    gradient is complete when it is visited. This needs no separate topological sort. While
    one node waits alone (a chain), it skips the heap.
    """
    # For grad(): each input's node (or the leaf itself) -> its positions in ``inputs``.
    wanted: dict[Any, list[int]] | None = None
    if inputs is not None:
        wanted = {}
        for i, t in enumerate(inputs):
            wanted.setdefault(t if t._ctx is None else t._ctx, []).append(i)
    captured: list[Any] = [None] * len(inputs) if inputs is not None else []
    handed: set[int] = set()  # arrays already given to the user as some .grad or result
    # The next node, when it is the only one waiting (a chain of ops: rows 3 and 4), is kept
    # out of the heap with its gradient: no heap entry nor dict item per node.
    nxt: Function | None
    nxt_g: Any = None
    if len(roots) == 1 and (ctx := roots[0]._ctx) is not None:
        # loss.backward(): the traversal starts at the loss's node (benchmark row 1)
        nxt, nxt_g = ctx, grads[0]
    else:  # several roots, or a leaf: a node that hands each root its seed
        nxt = _new(_Roots)
        nxt.parents, nxt.saved, nxt.versions = tuple(roots), (tuple(grads),), None
        nxt.needs_input_grad, nxt.hooks, nxt.retained = (True,) * len(roots), None, None
        nxt.sequence = math.inf
    # grad() runs only the nodes on a path to one of its inputs (``reach``), as PyTorch:
    # elsewhere no hook runs and no changed input refuses.
    reach = None if wanted is None else _reaching(nxt, wanted)
    node_grads: dict[Function, Any] = {}  # the gradients of the nodes in the heap
    heap: list[tuple[int, Function]] = []
    # Leaves are keyed by the Tensor itself: Tensor.__hash__ is object identity.
    leaf_grads: dict[Tensor, Any] = {}
    owned: set[Tensor] = set()  # leaves whose gradient this pass allocated: safe to add to
    anomaly = state.anomaly
    held = pause.hold()  # the collector is off while the graph is walked (collector.py)
    # Grad mode is on inside only to record a backward pass (create_graph); set directly,
    # not with set_grad_enabled, which costs a microsecond a call (benchmark row 1).
    grad_was_enabled, state.grad_enabled = state.grad_enabled, create_graph
    # inf and NaN are silent, as in PyTorch: numpy's warnings are off while the graph is
    # walked, also where a warnings filter or np.seterr would make them errors
    # (function.quietly does it for the forward ops)
    silenced = silence_fp()
    try:
        while True:
            if nxt is not None:
                fn, g, nxt = nxt, nxt_g, None
            elif heap:
                fn = heappop(heap)[1]
                g = node_grads.pop(fn)
            else:
                break
            sequence = fn.sequence  # inf for the roots' node
            if wanted is not None:
                if fn not in reach:  # grad(): no other input below fn, which is not run
                    if fn in wanted:  # an input: here PyTorch's grad() captures after hooks
                        if fn.hooks is not None:
                            g = _node_hooks(fn, g, create_graph, handed)
                        for i in wanted[fn]:
                            captured[i] = g
                    continue
                if fn in wanted:  # captured before the hooks, as PyTorch's grad()
                    for i in wanted[fn]:
                        captured[i] = g
            if fn.hooks is not None:  # hooks, or retain_grad(), on this node's output
                g = _node_hooks(fn, g, create_graph, handed)
            parents, saved, versions = fn.parents, fn.saved, fn.versions
            # Each input's edge: the node that made it as this node saw it (history_at, if
            # it was changed in place later; detached_history, if detach_() cut it), the
            # input itself if it is a leaf that needs a gradient and still requires grad
            # (PyTorch's leaf that turned it off gets none), or None. Its version is checked
            # on the way. One and two inputs are spelled out: a comprehension costs a tenth
            # of a small op (rows 3 and 4); more (Linear with a bias: row 1) take a loop,
            # which costs less than a comprehension and a separate version check.
            if saved is None:
                _refuse(fn)
            n_parents = len(parents)
            if n_parents == 1:
                (a,) = parents
                if versions is not None and versions[0] != a._version:
                    _refuse(fn)
                c = a._ctx
                if c is None:
                    if fn.needs_input_grad[0]:
                        c = (
                            a
                            if a._cut is None and a._requires_grad
                            else detached_history(a, sequence)
                        )
                elif c.sequence >= sequence:
                    c = history_at(c, sequence)
                edges = (c,)
            elif n_parents == 2:
                a, b = parents
                if versions is not None and (
                    versions[0] != a._version or versions[1] != b._version
                ):
                    _refuse(fn)
                c, d = a._ctx, b._ctx
                if c is None:
                    if fn.needs_input_grad[0]:
                        c = (
                            a
                            if a._cut is None and a._requires_grad
                            else detached_history(a, sequence)
                        )
                elif c.sequence >= sequence:
                    c = history_at(c, sequence)
                if d is None:
                    if fn.needs_input_grad[1]:
                        d = (
                            b
                            if b._cut is None and b._requires_grad
                            else detached_history(b, sequence)
                        )
                elif d.sequence >= sequence:
                    d = history_at(d, sequence)
                edges = (c, d)
            else:
                edges = []
                for q, need, i in zip(parents, fn.needs_input_grad, range(n_parents)):
                    if versions is not None and versions[i] != q._version:
                        _refuse(fn)
                    edges.append(_edge(q, need, sequence))
            if create_graph:
                grads_in = fn.backward(g, *fn.graph_saved())
            else:
                # Spelled out for up to two saved values: unpacking with * costs more than
                # a small op's numpy work (benchmark rows 3 and 4).
                n_saved = len(saved)
                if n_saved == 1:
                    grads_in = fn.backward(g, saved[0])
                elif n_saved == 2:
                    grads_in = fn.backward(g, saved[0], saved[1])
                elif n_saved == 0:
                    grads_in = fn.backward(g)
                else:
                    grads_in = fn.backward(g, *saved)
            if anomaly:
                check_nan(fn, grads_in)
            if not retain_graph:
                # Free the graph as PyTorch does: the saved arrays, and the inputs, which
                # hold their arrays (else the last loss, alive while the next step runs,
                # keeps every activation: benchmark rows memory and memory_lenet). The
                # edges keep the graph's shape.
                fn.saved = None
                fn.parents = edges
            # A link of a chain: one input has an edge, to the node that made it, and no
            # other node waits. That node is next, without the loop below (rows 3 and 4;
            # rows *_const, where the other input of a product or a sum is a constant).
            if (
                (n_parents == 1 or (n_parents == 2 and d is None))
                and nxt is None
                and not heap
                and c is not None
                and c is not a
            ):
                gp = grads_in[0]
                if gp is not None:
                    if n_parents == 2 and gp.shape != a._data.shape:
                        gp = sum_to(gp, a._data.shape)
                    nxt, nxt_g = c, gp
                continue
            # The chain rule's sum over paths, inlined: this loop runs once per edge of
            # the graph (benchmark rows 3 and 4).
            for e, p, gp in zip(edges, parents, grads_in):
                if e is None or gp is None:
                    continue
                # A one-input op's backward returns its input's shape (Expand sums its own
                # gradient back): only ops of several inputs broadcast (rows 3 and 4).
                if n_parents != 1 and gp.shape != p._data.shape:
                    gp = sum_to(gp, p._data.shape)
                if e is not p:  # a node (a leaf's edge is the leaf)
                    if e is nxt:
                        nxt_g = nxt_g + gp
                    elif nxt is None and not heap:  # nothing waits (nor has a gradient)
                        nxt, nxt_g = e, gp
                    elif (prev := node_grads.get(e)) is not None:
                        node_grads[e] = prev + gp
                    else:  # two nodes wait: both go to the heap
                        if nxt is not None:
                            node_grads[nxt] = nxt_g
                            heappush(heap, (-nxt.sequence, nxt))
                            nxt = None
                        node_grads[e] = gp
                        heappush(heap, (-e.sequence, e))
                    continue
                if wanted is not None and p not in wanted:
                    continue  # grad(): a leaf nobody asked for
                prev = leaf_grads.get(p)
                if prev is None:
                    leaf_grads[p] = gp
                elif p in owned and prev.dtype is gp.dtype:
                    # A leaf used by many ops (a shared weight) gets one term per use:
                    # add it in place once the sum is an array of our own (row 3).
                    prev += gp
                else:
                    leaf_grads[p] = total = prev + gp
                    if type(total) is np.ndarray:  # not a Tensor, nor a numpy scalar
                        owned.add(p)
    finally:
        restore_fp(silenced)
        state.grad_enabled = grad_was_enabled
        pause.end(held)
    for t, g in leaf_grads.items():
        if t._hooks is not None:
            g = _apply_hooks(t._hooks, g, create_graph, handed)
        if wanted is not None:
            for i in wanted[t]:
                captured[i] = g
        elif t._grad is None:  # the first gradient (every step of a training loop: rows 1-2)
            t._grad = _hand_out(g, t._data.dtype, handed)
        else:
            _accumulate_grad(t, _hand_out(g, t._data.dtype, handed))
    if inputs is None:
        return None
    return [
        g if g is None else _hand_out(g, t._data.dtype, handed) for t, g in zip(inputs, captured)
    ]


def _edge(q: Tensor, need: bool, sequence: float) -> Tensor | Function | None:
    """The edge of the node numbered ``sequence`` to its input ``q`` (see run_backward, which
    spells this out for one and two inputs)."""
    c = q._ctx
    if c is None:
        if not need:
            return None
        return q if q._cut is None and q._requires_grad else detached_history(q, sequence)
    return c if c.sequence < sequence else history_at(c, sequence)


def _reaching(start: Function, wanted: dict[Any, list[int]]) -> set[Function]:
    """The nodes from ``start`` down that have one of ``grad()``'s inputs (``wanted``: leaves
    and nodes) below them: the nodes whose backward ``grad()`` must run. Edges go from
    newer nodes to older ones, so the nodes in order of creation are a topological order."""
    nodes, stack = {start}, [start]
    edges: dict[Function, list] = {}
    while stack:
        fn = stack.pop()
        found = edges[fn] = [
            q if q is None or isinstance(q, Function) else _edge(q, need, fn.sequence)
            for q, need in zip(fn.parents, fn.needs_input_grad)  # a freed graph: its edges
        ]
        for e in found:
            if isinstance(e, Function) and e not in nodes:
                nodes.add(e)
                stack.append(e)
    reach: set[Function] = set()
    for fn in sorted(nodes, key=attrgetter("sequence")):
        if any(e in reach or (e is not None and e in wanted) for e in edges[fn]):
            reach.add(fn)
    return reach


def _hand_out(g: Any, dtype: np.dtype, handed: set[int]) -> Tensor:
    """A gradient ready for the user: a Tensor of ``dtype`` whose array is shared with no
    other gradient handed out in this pass (Add gives both inputs one array) and is not a
    read-only broadcast view. The one place that guards ``.grad`` against aliasing."""
    if isinstance(g, Tensor):  # create_graph: a recorded gradient, copied as PyTorch's
        # (it may be the caller's gradient= tensor, a hook's result, another .grad)
        return g.clone() if g.dtype == dtype else g.to(dtype)
    if (
        id(g) in handed
        or (g.base is not None and id(g.base) in handed)  # a view of one (Reshape's gradient)
        or g.dtype != dtype
        or not g.flags.writeable
    ):
        g = np.array(g, dtype=dtype)
    elif g.base is not None:  # a view handed out as it is: its owner may not be, later
        handed.add(id(g.base))
    handed.add(id(g))
    return wrap(g)


def _accumulate_grad(t: Tensor, g: Tensor) -> None:
    """``t.grad += g``: into the same Tensor, as PyTorch (a reference kept to ``t.grad``
    sees later passes), except that a recorded gradient (``create_graph``) or one that is a
    read-only array is replaced by the sum."""
    old = t._grad
    if old is None:
        t._grad = g
    elif old._requires_grad or g._requires_grad or not old._data.flags.writeable:
        t.grad = old + g
    else:
        old._data += g._data
        old._changed_in_place()


def _refuse(fn: Function) -> None:
    """Raise the error that says why backward cannot pass ``fn``: its saved arrays are gone,
    or a value it saved (an input, or its output) was changed in place since it was recorded;
    as PyTorch's, the message names the op, the tensor and both version numbers."""
    name = f"{type(fn).__name__}Backward"
    if fn.saved is None:
        raise RuntimeError(
            f"Trying to backward through the graph a second time (at {name}): its saved "
            "arrays were freed after the first backward. Pass retain_graph=True to the first "
            "backward if you need to call it twice."
        )
    if isinstance(fn.versions, OutputChanged):
        what, expected, now = "the output", fn.versions.expected, fn.versions.now
        shape, dtype = fn.versions.shape, fn.versions.dtype
    else:
        i, p = next((i, p) for i, p in enumerate(fn.parents) if p._version != fn.versions[i])
        what, expected, now, shape, dtype = (
            f"input {i}",
            fn.versions[i],
            p._version,
            p.shape,
            p.dtype,
        )
    raise RuntimeError(
        "one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: [{dtype} {tuple(shape)}], {what} of {name}, is at version {now}; "
        f"expected version {expected} instead. Compute with a copy (clone()) or change it "
        "after backward."
    )


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
        if not t._requires_grad:
            raise RuntimeError(f"grad: input {i} (shape {t.shape}) does not require grad")
    seeds = [_initial_grad(o, g, create_graph, "grad()") for o, g in zip(outs, gos)]
    retain = create_graph if retain_graph is None else retain_graph
    found = run_backward(outs, seeds, retain, create_graph, inputs=ins)
    for i, (t, g) in enumerate(zip(ins, found)):
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad: input {i} (shape {t.shape}) was not used to compute the outputs; "
                "pass allow_unused=True to get None for it"
            )
    return tuple(found)
