"""Which ``nn.Module`` computed which op: the record behind module clusters.

``with tnn.viz.trace(model, loss_fn) as tr: loss = loss_fn(model(x), t)`` puts a forward hook
(``Module.register_forward_hook``) on every module for the duration of the block. When a
module returns, its hook walks the graph back from the output to the module's inputs and
claims the ops it finds that no inner module claimed (inner modules return first). Nothing
is recorded, and nothing costs anything, outside a ``trace`` block.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..function import node_of
from ..tensor import Tensor

__all__ = ["ModuleInfo", "Trace", "trace"]


@dataclass
class ModuleInfo:
    """A traced module: ``key`` is unique in the trace, ``label`` is what the cluster shows
    (``"0: Linear"``, or the class name for a root), ``parent`` the enclosing module's key."""

    key: str
    label: str
    parent: str | None
    module: Any
    path: str


def _tensors(obj: Any) -> Iterator[Tensor]:
    """The tensors in a module's inputs or output (nested tuples, lists and dicts)."""
    if isinstance(obj, Tensor):
        yield obj
    elif isinstance(obj, (tuple, list)):
        for o in obj:
            yield from _tensors(o)
    elif isinstance(obj, dict):
        for o in obj.values():
            yield from _tensors(o)


class Trace:
    """The module of each op recorded during a ``with trace(...)`` block.

    ``modules`` maps keys to ``ModuleInfo`` (parents before children); ``owner(fn)`` is the
    key of the innermost module whose forward created the op ``fn``; ``names`` maps
    ``id(parameter)`` to its dotted name (``"0.weight"``).
    """

    def __init__(self, *roots: Any) -> None:
        if not roots:
            raise TypeError("trace: pass the modules to trace, e.g. trace(model, loss_fn)")
        self.modules: dict[str, ModuleInfo] = {}
        self.names: dict[int, str] = {}
        self.param_module: dict[int, str] = {}
        self._owner: dict[int, str] = {}
        self._input_of: dict[int, str] = {}  # id(leaf) -> outermost module it was passed to
        self._keep: list[Any] = []  # what the dicts above key by id, so that ids stay unique
        self._handles: list[Any] = []
        self._roots = roots
        seen: set[int] = set()
        for i, root in enumerate(roots):
            if not hasattr(root, "named_modules") or not hasattr(root, "register_forward_hook"):
                raise TypeError(
                    f"trace: argument {i} ({type(root).__name__}) is not an nn.Module "
                    "(it needs named_modules() and register_forward_hook())"
                )
            for path, m in root.named_modules():
                if id(m) in seen:
                    continue
                seen.add(id(m))
                self._add(i, root, path, m)

    def _add(self, i: int, root: Any, path: str, m: Any) -> None:
        cls = type(m).__name__
        prefix = "" if i == 0 else type(root).__name__
        key = f"{i}:{path}"
        if path:
            parent_path = path.rpartition(".")[0]
            parent: str | None = f"{i}:{parent_path}"
            label = f"{prefix + '.' if prefix else ''}{path}: {cls}"
        else:
            parent, label = None, cls
        self.modules[key] = ModuleInfo(key, label, parent, m, path)
        for name, p in m.named_parameters(recurse=False):
            full = ".".join(s for s in (prefix, path, name) if s)
            self.names.setdefault(id(p), full)
            self.param_module.setdefault(id(p), key)

    def ancestors(self, key: str) -> list[str]:
        """The traced modules around module ``key``, innermost first."""
        out, parent = [], self.modules[key].parent
        while parent is not None and parent in self.modules:
            out.append(parent)
            parent = self.modules[parent].parent
        return out

    def owner(self, fn: Any) -> str | None:
        return self._owner.get(id(fn))

    def input_of(self, t: Tensor) -> str | None:
        """The outermost traced module that received the leaf ``t`` as an input."""
        return self._input_of.get(id(t))

    def find(self, name: str) -> str:
        """The key of the module called ``name``: its path (``"0"``, ``"encoder.1"``) or
        its cluster label (``"0: Linear"``, ``"CrossEntropyLoss"``)."""
        for key, info in self.modules.items():
            if name == info.label or (info.path and name == info.path):
                return key
        known = ", ".join(repr(i.path or i.label) for i in self.modules.values())
        raise ValueError(f"collapse: no traced module called {name!r}; known: {known}")

    def _hook(self, key: str) -> Any:
        def hook(module: Any, inputs: tuple, output: Any) -> None:
            self._claim(key, inputs, output)

        return hook

    def _claim(self, key: str, inputs: Any, output: Any) -> None:
        for t in _tensors(inputs):
            if t._ctx is None:  # outer modules return later and overwrite: outermost wins
                self._input_of[id(t)] = key
                self._keep.append(t)
        stop = {id(t._ctx) for t in _tensors(inputs) if t._ctx is not None}
        stack = [t._ctx for t in _tensors(output) if t._ctx is not None]
        seen: set[int] = set()
        while stack:
            fn = stack.pop()
            if id(fn) in seen or id(fn) in stop:
                continue
            seen.add(id(fn))
            if id(fn) not in self._owner:
                self._owner[id(fn)] = key
                self._keep.append(fn)
            stack.extend(n for n in map(node_of, fn.parents) if n is not None)

    def __enter__(self) -> Trace:
        for key, info in self.modules.items():
            self._handles.append(info.module.register_forward_hook(self._hook(key)))
        return self

    def __exit__(self, *exc: Any) -> None:
        for h in self._handles:
            h.remove()
        self._handles.clear()

    def draw(self, tensor: Tensor, **kwargs: Any) -> Any:
        """``draw_graph(tensor, trace=self, **kwargs)``."""
        from .draw import draw_graph

        return draw_graph(tensor, trace=self, **kwargs)


def trace(*modules: Any) -> Trace:
    """Record which module computes which op while the ``with`` block runs::

    with tnn.viz.trace(model, loss_fn) as tr:
        loss = loss_fn(model(x), t)
    tr.draw(loss)  # clusters per module, parameters named "0.weight", ...
    """
    return Trace(*modules)
