"""Views: tensors that share their base's storage, as in PyTorch.

Indexing with ints and slices, ``view``/``reshape`` (when no copy is needed), ``permute``,
``transpose``, ``t``, ``expand``, ``narrow``, ``select``, ``squeeze``, ``unsqueeze``,
``flatten`` and ``view_as`` return views: the same numpy memory and one version counter
(``Tensor._share``). Each view also remembers its base and how to make it from the base (a
function of Tensors), so that in-place ops keep every history right:

* an in-place op recorded on a view also changes its base, whose history becomes
  ``CopySlices`` (ops.py): the old base with the view's region replaced;
* after an in-place op recorded on a base or on one of its views, every view of that base
  gets the history "this view of the new base".

Nodes recorded before such a change keep the history they saw (``function.history_at``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import numpy as np

from . import ops
from .grad_mode import state
from .tensor import Tensor, wrap

Make = Callable[[Tensor], Tensor]
#: id(view) -> (a weak reference to the view, one to its base, the function that makes the
#: view from the base, and for an output of a function returning several views or a view
#: of one, which output: ``multiple``). Keyed by identity, as a Tensor's == is element-wise;
#: both held weakly, since a base's history may hold its views (no entry keeps a graph alive).
_views: dict[int, tuple[weakref.ref, weakref.ref, Make, str | None]] = {}
_prune_at = 1024


def _info(t: Tensor) -> tuple[Tensor, Make] | None:
    entry = _views.get(id(t))
    if entry is None or entry[0]() is not t:
        return None
    base = entry[1]()
    return None if base is None else (base, entry[2])


def _register(view: Tensor, base: Tensor, make: Make, origin: str | None) -> None:
    global _prune_at
    # Dead entries are dropped in bulk when the registry has doubled, not by weakref
    # callbacks (which would run inside whatever code happens to free a view).
    if len(_views) >= _prune_at:
        for key in [k for k, (ref, *_) in _views.items() if ref() is None]:
            del _views[key]
        _prune_at = max(1024, 2 * len(_views))
    _views[id(view)] = (weakref.ref(view), weakref.ref(base), make, origin)


def viewing(source: Tensor, out: Tensor, make: Callable[[Tensor], Tensor]) -> Tensor:
    """``out`` (made from ``source`` by ``make``), recorded as a view of ``source``'s base
    when numpy made it a view of the same memory; a copy is returned as it is."""
    owner = out._data.base
    if owner is None or not (owner is source._data or owner is source._data.base):
        return out
    source._share(out)
    info = _info(source)
    if info is None:
        _register(out, source, make, None)
    else:
        base, inner = info
        _register(out, base, lambda b: make(inner(b)), _views[id(source)][3])
    return out


def multiple(outputs: tuple[Tensor, ...], who: str) -> tuple[Tensor, ...]:
    """``outputs``, the views returned together by ``who`` (``unbind``, ``split``), marked
    as such when made in grad mode: PyTorch refuses to record an in-place op on one of them
    or on a view of one (``refuse_in_place``)."""
    if state.grad_enabled:
        for i, out in enumerate(outputs):
            entry = _views.get(id(out))
            if entry is not None and entry[0]() is out:
                _views[id(out)] = (*entry[:3], f"output {i} of {who}")
    return outputs


def base_of(t: Tensor) -> Tensor | None:
    """The base of view ``t`` (None for a tensor that is not a view)."""
    info = _info(t)
    return None if info is None else info[0]


def snapshot(t: Tensor, data: np.ndarray) -> Tensor:
    """A Tensor holding ``t``'s current history over ``data`` (not an alias of ``t``)."""
    old = wrap(data)
    old._version, old._requires_grad, old._ctx = t._version, t._requires_grad, t._ctx
    return old


def _rebase(t: Tensor, new: Tensor, old: Tensor) -> None:
    """``t``'s history becomes ``new``'s; nodes recorded before follow it back to ``old``.
    A ``retain_grad()`` moves along, as in PyTorch: ``.grad`` is the gradient of the latest
    version (hooks stay where they were registered)."""
    before, t._ctx, t._requires_grad = t._ctx, new._ctx, new._requires_grad
    if new._ctx is not None:
        new._ctx.previous = old
        if before is not None and before.retained is not None and before.retained() is t:
            before.retained = None
            t.retain_grad()  # now on the new history


def updated(t: Tensor, new: Tensor, old: Tensor) -> None:
    """After an in-place op recorded on ``t`` (its storage now holds ``new``'s values):
    ``t``'s history becomes ``new``'s; if ``t`` is a view, its base's becomes CopySlices;
    then every view of the base is remade from the base's new history."""
    _rebase(t, new, old)
    info = _info(t)
    base = t
    if info is not None:
        base, make = info
        chosen = np.zeros(base.shape, dtype=bool)
        writable(make(wrap(chosen))._data)[...] = True
        old_base = snapshot(base, base._data)
        merged = ops.CopySlices.apply(old_base, new, chosen=chosen, view=make)
        _rebase(base, merged, old_base)
    if base._requires_grad and base._alias is not None:
        for w in base._alias.members():
            info = _info(w)
            if info is not None and info[0] is base:
                remade = info[1](base)
                _rebase(w, remade, snapshot(w, w._data))


class _WritableAlias:
    """The memory of a read-only array ``a`` exposed writable (numpy's array interface): numpy
    makes broadcast views read-only, where PyTorch writes through expanded views."""

    def __init__(self, a: np.ndarray) -> None:
        interface = dict(a.__array_interface__)
        interface["data"] = (interface["data"][0], False)
        self.__array_interface__ = interface
        self.array = a  # keeps the memory alive


def writable(a: np.ndarray) -> np.ndarray:
    """``a``, or a writable alias of it when ``a`` is read-only."""
    return a if a.flags.writeable else np.asarray(_WritableAlias(a))


def overlaps(a: np.ndarray) -> bool:
    """Whether several elements of ``a`` are one memory location: a stride 0 along a dim of
    size > 1 (PyTorch's test before writing in place; other overlaps it does not look for)."""
    return any(s == 0 and n > 1 for s, n in zip(a.strides, a.shape))


def target(t: Tensor, name: str, region: np.ndarray | None = None) -> np.ndarray:
    """The array in-place op ``name`` writes for ``t``, whose own array is read-only: a
    writable alias of it when ``t`` is an expanded view of writable memory, as PyTorch writes
    through those. Refused, as PyTorch refuses, where several elements of the written
    ``region`` are one memory location (None: an op that writes one value everywhere, or
    index_put)."""
    entry, owner = _views.get(id(t)), t._data
    while isinstance(owner.base, np.ndarray):  # the array that holds the memory
        owner = owner.base
    if entry is None or entry[0]() is not t or not owner.flags.writeable:
        raise RuntimeError(
            f"{name}: this tensor's storage is read-only (not a view of a writable tensor); "
            "change a clone() instead"
        )
    if region is not None and overlaps(region):
        raise RuntimeError(
            f"{name}: unsupported operation: more than one element of the written-to tensor "
            f"refers to a single memory location (an expanded view of shape {tuple(t.shape)}, "
            f"strides {t._data.strides}). Please clone() the tensor before performing the "
            "operation."
        )
    return writable(t._data)


def refuse_in_place(t: Tensor, name: str) -> None:
    """PyTorch's refusals of a recorded in-place op on a view: of a leaf that requires grad,
    or of one of several views a function returned together (their gradients would have to
    be rewritten together)."""
    entry = _views.get(id(t))
    if entry is None or entry[0]() is not t:
        return
    base = entry[1]()
    if base is not None and base.is_leaf and base._requires_grad:
        raise RuntimeError(
            f"{name}: a view of a leaf Tensor that requires grad is being used in an in-place "
            "operation; change the leaf under tnn.no_grad() or work on a clone()"
        )
    origin = entry[3]
    if origin is not None:
        raise RuntimeError(
            f"{name}: this view (shape {tuple(t.shape)}) is {origin}, a function that returns "
            "several views, whose outputs may not be modified in place in a graph (as in "
            "PyTorch); use an out-of-place op, or change a clone() of it"
        )
