"""The computation graph behind a tensor, as plain data: one node per tensor and per op.

``build_graph(root)`` walks ``root -> root._ctx -> parents -> their _ctx ...`` (the graph the
engine keeps, notes §9) iteratively and numbers what it finds in a forward topological order
(inputs first, the output last), so ids, the DOT source and the layout are the same on
every run. Nothing here needs graphviz.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..engine import toposort
from ..function import node_of
from ..ops import ScalarOp
from ..tensor import Tensor

__all__ = ["Edge", "Graph", "VNode", "build_graph", "tensor_names"]

#: Roles of tensor nodes, styled apart in the drawing.
ROLES = ("input", "param", "const", "intermediate", "output")


@dataclass
class VNode:
    """A node of the drawn graph: a tensor (``kind="tensor"``) or an op (``kind="op"``)."""

    id: str
    kind: str
    role: str
    tensor: Tensor | None = None  # None: a tensor between ops of a graph backward freed
    fn: Any = None  # the op (for an op node) or the op that produced the tensor
    name: str | None = None
    module: Any = None  # key of the traced module that owns it (see ``trace``)

    @property
    def op(self) -> str:
        """The op's class name (``Add``, ``MatMul`` ...); empty for tensors."""
        return type(self.fn).__name__ if self.kind == "op" else ""


@dataclass
class Edge:
    """Data flows ``src -> dst``: a tensor into an op (``index`` = argument position) or an
    op into its output tensor (``index`` is None)."""

    src: str
    dst: str
    index: int | None = None


@dataclass
class Graph:
    """Nodes in forward topological order and edges in data-flow order."""

    nodes: dict[str, VNode] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    root: str = ""
    _position: dict[str, int] | None = field(default=None, repr=False)

    @property
    def n_ops(self) -> int:
        return sum(1 for n in self.nodes.values() if n.kind == "op")

    def position(self) -> dict[str, int]:
        """Each node's place in the forward order (computed once; add no nodes after)."""
        if self._position is None or len(self._position) != len(self.nodes):
            self._position = {nid: i for i, nid in enumerate(self.nodes)}
        return self._position

    def op_edges(self) -> tuple[dict[str, list[Edge]], dict[str, str]]:
        """For each op, its input edges (in argument order) and the id of its output."""
        inputs: dict[str, list[Edge]] = {n.id: [] for n in self.nodes.values() if n.kind == "op"}
        output_of: dict[str, str] = {}
        for e in self.edges:
            if e.index is None:
                output_of[e.src] = e.dst
            else:
                inputs[e.dst].append(e)
        return inputs, output_of

    def consumers(self) -> dict[str, list[str]]:
        """For each node id, the ids it feeds (in edge order)."""
        out: dict[str, list[str]] = {k: [] for k in self.nodes}
        for e in self.edges:
            out[e.src].append(e.dst)
        return out


def tensor_names(*sources: Any) -> dict[int, str]:
    """``id(tensor) -> name`` from mappings ``{name: tensor}``, iterables of ``(name, tensor)``
    pairs (``model.named_parameters()``) or objects with ``named_parameters()``. Earlier
    sources win."""
    names: dict[int, str] = {}
    for src in sources:
        if src is None:
            continue
        if hasattr(src, "named_parameters"):
            pairs: Iterable = src.named_parameters()
        elif isinstance(src, Mapping):
            pairs = src.items()
        else:
            pairs = src
        for name, t in pairs:
            if not isinstance(t, Tensor):
                raise TypeError(f"names: {name!r} maps to {type(t).__name__}, not a Tensor")
            names.setdefault(id(t), str(name))
    return names


def _forward_order(root: Tensor) -> list[Any]:
    """The op nodes reachable from ``root``, each after the ops it depends on: the engine's
    own iterative topological sort, read forwards."""
    return [] if root._ctx is None else toposort([root._ctx])[::-1]


def _is_parameter(t: Tensor) -> bool:
    return any(c.__name__ == "Parameter" for c in type(t).__mro__)


def build_graph(root: Tensor, names: Mapping[int, str] | None = None) -> Graph:
    """The graph that computed ``root``. ``names`` maps ``id(tensor)`` to a display name
    (see ``tensor_names``). Op nodes are ``f0, f1, ...`` and tensor nodes ``t0, t1, ...``,
    numbered inputs first."""
    if not isinstance(root, Tensor):
        raise TypeError(f"draw_graph: expected a Tensor, got {type(root).__name__}")
    names = names or {}
    g = Graph()
    leaf_ids: dict[int, str] = {}  # id(leaf tensor) -> node id
    out_ids: dict[int, str] = {}  # id(op node) -> node id of its output tensor
    counts = {"t": 0, "f": 0}

    def new_id(prefix: str) -> str:
        i = counts[prefix]
        counts[prefix] += 1
        return f"{prefix}{i}"

    def leaf(t: Tensor) -> str:
        key = id(t)
        if key not in leaf_ids:
            if _is_parameter(t):
                role = "param"
            else:
                role = "input" if t.requires_grad else "const"
            nid = leaf_ids[key] = new_id("t")
            g.nodes[nid] = VNode(nid, "tensor", role, tensor=t, name=names.get(key))
        return leaf_ids[key]

    # The output tensor object of each op: the first parent (or the root) that points to it.
    # A backward pass that freed the graph (see Function.parents) leaves nodes in place of
    # the tensors between ops, and no constants: those tensors are drawn without data.
    tensor_of: dict[int, Tensor] = {}
    order = _forward_order(root)
    for fn in order:
        for p in fn.parents:
            if isinstance(p, Tensor) and p._ctx is not None:
                tensor_of.setdefault(id(p._ctx), p)
    if root._ctx is not None:
        tensor_of[id(root._ctx)] = root

    for fn in order:
        # an op of a tensor and a Python number (ops.ScalarOp) draws the number as a constant
        operands = (*fn.parents, Tensor(fn.c)) if isinstance(fn, ScalarOp) else fn.parents
        for p in operands:
            if isinstance(p, Tensor) and p._ctx is None:
                leaf(p)
        fid = new_id("f")
        g.nodes[fid] = VNode(fid, "op", "op", fn=fn)
        for i, p in enumerate(operands):
            node = node_of(p)
            if node is not None:
                g.edges.append(Edge(out_ids[id(node)], fid, i))
            elif p is not None:
                g.edges.append(Edge(leaf_ids[id(p)], fid, i))
        t = tensor_of.get(id(fn))
        if t is None and fn.retained is not None:  # freed, but kept by retain_grad()
            t = fn.retained()
        tid = out_ids[id(fn)] = new_id("t")
        name = None if t is None else names.get(id(t))
        g.nodes[tid] = VNode(tid, "tensor", "intermediate", tensor=t, fn=fn, name=name)
        g.edges.append(Edge(fid, tid))

    g.root = leaf(root) if root._ctx is None else out_ids[id(root._ctx)]
    g.nodes[g.root].role = "output"
    return g
