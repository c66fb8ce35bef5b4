"""Keeping big graphs readable: merge nodes into groups drawn as one box each.

Three kinds of group, tried in this order when a graph has more than ``max_nodes`` nodes:

* ``module``: every op a traced ``nn.Module`` computed, with its parameters and the constants
  only it uses (the module's output tensor stays visible at the boundary);
* ``chain``: a run of ops each feeding only the next (``x * c1 + c2 ...``), with the constants
  only the run uses;
* ``rest``: past that, the nodes farthest from the output, merged into one box, and the
  drawing says so.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from .graph import Edge, Graph
from .trace import Trace

__all__ = [
    "Group",
    "Layout",
    "chain_groups",
    "group_summary",
    "make_layout",
    "module_groups",
    "plan",
]


@dataclass
class Group:
    id: str
    kind: str  # "module" | "chain" | "rest"
    title: str
    members: list[str]
    module: str | None = None  # the traced module (for "module") or common owner (for "chain")


@dataclass
class Layout:
    """What gets drawn: ``order`` lists node ids and group ids in forward order; ``rep`` maps
    each graph node to what stands for it; ``edges`` keep the graph ``Edge`` unless they
    touch a group (then one edge per pair, ``None``)."""

    order: list[str]
    groups: dict[str, Group]
    rep: dict[str, str]
    edges: list[tuple[str, str, Edge | None]]
    notes: list[str] = field(default_factory=list)


def make_layout(g: Graph, groups: list[Group]) -> Layout:
    rep = {nid: nid for nid in g.nodes}
    for grp in groups:
        for m in grp.members:
            rep[m] = grp.id
    order, seen = [], set()
    for nid in g.nodes:
        r = rep[nid]
        if r not in seen:
            seen.add(r)
            order.append(r)
    edges: list[tuple[str, str, Edge | None]] = []
    pairs: set[tuple[str, str]] = set()
    for e in g.edges:
        s, d = rep[e.src], rep[e.dst]
        if s == d:
            continue
        if s == e.src and d == e.dst:
            edges.append((s, d, e))
        elif (s, d) not in pairs:
            pairs.add((s, d))
            edges.append((s, d, None))
    return Layout(order, {grp.id: grp for grp in groups}, rep, edges)


def group_summary(g: Graph, grp: Group, top: int = 3) -> str:
    """``"Mul ×5,000, Add ×5,000"``: the most frequent ops in the group."""
    counts = Counter(g.nodes[m].op for m in grp.members if g.nodes[m].kind == "op")
    parts = [op if k == 1 else f"{op} ×{k:,}" for op, k in counts.most_common(top)]
    if len(counts) > top:
        parts.append("…")
    return ", ".join(parts)


def _edges_by_op(g: Graph) -> tuple[dict[str, list[str]], dict[str, str]]:
    """For each op, the ids of its inputs (in order) and the id of its output."""
    edges, output_of = g.op_edges()
    return {op: [e.src for e in es] for op, es in edges.items()}, output_of


def _absorbable_leaves(
    g: Graph, ops: list[str], inputs: dict[str, list[str]], cons: dict[str, list[str]], ok: Any
) -> list[str]:
    """Leaf inputs of ``ops`` used by nothing else, for which ``ok(node id, node)`` holds."""
    inside = set(ops)
    found: dict[str, None] = {}
    for op in ops:
        for src in inputs.get(op, ()):
            n = g.nodes[src]
            if n.kind == "tensor" and n.fn is None and src != g.root and src not in found:
                if all(c in inside for c in cons[src]) and ok(src, n):
                    found[src] = None
    return list(found)


def module_groups(
    g: Graph, module_of: dict[str, str | None], tr: Trace, keys: list[str], start: int = 0
) -> list[Group]:
    """One group per module in ``keys`` (a key inside another listed key is skipped): its
    ops and those of its submodules, their outputs used only inside, and the parameters and
    constants only they use."""
    wanted = set(keys)
    target: dict[str | None, str | None] = {None: None}  # module -> the listed module around it
    for key in tr.modules:
        listed = [k for k in [key, *tr.ancestors(key)] if k in wanted]
        target[key] = listed[-1] if listed else None
    ops_of: dict[str, list[str]] = {}
    for nid, n in g.nodes.items():
        owner = target.get(module_of.get(nid))
        if n.kind == "op" and owner is not None:
            ops_of.setdefault(owner, []).append(nid)
    inputs, output_of = _edges_by_op(g)
    cons = g.consumers()
    groups: list[Group] = []
    for key in dict.fromkeys(keys):
        ops = ops_of.get(key)
        if target[key] != key or not ops:
            continue
        inside = set(ops)
        members = list(ops)
        for op in ops:  # outputs used only inside
            out = output_of[op]
            if out != g.root and cons[out] and all(c in inside for c in cons[out]):
                members.append(out)
        members += _absorbable_leaves(
            g,
            ops,
            inputs,
            cons,
            lambda nid, n, key=key: (
                n.role in ("param", "const") and target.get(module_of.get(nid)) == key
            ),
        )
        info = tr.modules[key]
        groups.append(
            Group(f"g{start + len(groups)}", "module", info.label, _sorted(g, members), key)
        )
    return groups


def _sorted(g: Graph, members: list[str]) -> list[str]:
    return sorted(set(members), key=g.position().__getitem__)


def default_module_keys(tr: Trace) -> list[str]:
    """What ``collapse=True`` collapses: the children of each traced root, and the roots that
    have no children (a loss module, say)."""
    parents = {info.parent for info in tr.modules.values()}
    keys = []
    for key, info in tr.modules.items():
        if info.parent is None and key not in parents:
            keys.append(key)
        elif info.parent is not None and tr.modules[info.parent].parent is None:
            keys.append(key)
    return keys


def chain_groups(
    g: Graph, module_of: dict[str, str | None], taken: set[str], start: int = 0, min_ops: int = 2
) -> list[Group]:
    """One group per maximal run of at least ``min_ops`` ops in which each op's output feeds
    only the next op, and the next op has no other computed input."""
    cons = g.consumers()
    inputs, output_of = _edges_by_op(g)
    computed_inputs = {
        f: sum(g.nodes[s].fn is not None for s in srcs) for f, srcs in inputs.items()
    }
    succ: dict[str, str] = {}
    for f, out in output_of.items():
        if f in taken or out in taken or out == g.root or len(cons[out]) != 1:
            continue
        h = cons[out][0]
        if h not in taken and computed_inputs.get(h) == 1:
            succ[f] = h
    has_pred = set(succ.values())
    groups: list[Group] = []
    for f in output_of:
        if f in has_pred or f not in succ:
            continue
        chain = [f]
        while chain[-1] in succ:
            chain.append(succ[chain[-1]])
        if len(chain) < min_ops:
            continue
        members = chain + [output_of[op] for op in chain[:-1]]
        members += _absorbable_leaves(
            g, chain, inputs, cons, lambda nid, n: n.role == "const" and nid not in taken
        )
        owners = {module_of.get(op) for op in chain}
        title = f"chain of {len(chain):,} ops"
        groups.append(
            Group(
                f"g{start + len(groups)}",
                "chain",
                title,
                _sorted(g, members),
                owners.pop() if len(owners) == 1 else None,
            )
        )
    return groups


def rest_group(g: Graph, layout: Layout, max_nodes: int, gid: str) -> tuple[Group, set[str]]:
    """Keep the ``max_nodes - 1`` drawn nodes nearest the output (breadth first against the
    data flow); merge the rest, and the groups among them, into one group."""
    into: dict[str, list[str]] = {r: [] for r in layout.order}
    for s, d, _ in layout.edges:
        into[d].append(s)
    start = layout.rep[g.root]
    keep, queue = {start}, deque([start])
    while queue and len(keep) < max_nodes - 1:
        for s in into[queue.popleft()]:
            if s not in keep and len(keep) < max_nodes - 1:
                keep.add(s)
                queue.append(s)
    dropped = [nid for nid in g.nodes if layout.rep[nid] not in keep]
    merged = {r for r in layout.order if r not in keep and r in layout.groups}
    return Group(gid, "rest", f"{len(dropped):,} more nodes", dropped), merged


def plan(
    g: Graph,
    module_of: dict[str, str | None],
    tr: Trace | None,
    collapse: bool | list[str] | None,
    max_nodes: int | None,
) -> Layout:
    """Groups for ``collapse`` (module names, or True for the top-level modules) and, past
    ``max_nodes``, the automatic collapsing described in the module docstring."""
    groups: list[Group] = []
    if collapse:
        if tr is None:
            raise ValueError("collapse needs the modules: pass trace= (see tnn.viz.trace)")
        keys = default_module_keys(tr) if collapse is True else [tr.find(c) for c in collapse]
        groups = module_groups(g, module_of, tr, keys)
    layout = make_layout(g, groups)
    if not max_nodes or len(layout.order) <= max_nodes:
        return layout
    steps = []
    if tr is not None and not collapse:
        groups = module_groups(g, module_of, tr, default_module_keys(tr))
        layout = make_layout(g, groups)
        steps.append("modules collapsed")
    if len(layout.order) > max_nodes:
        taken = {m for grp in groups for m in grp.members}
        chains = chain_groups(g, module_of, taken, start=len(groups))
        if chains:
            groups += chains
            layout = make_layout(g, groups)
            steps.append("chains of ops collapsed")
    if len(layout.order) > max_nodes:
        rest, merged = rest_group(g, layout, max_nodes, f"g{len(groups)}")
        groups = [grp for grp in groups if grp.id not in merged] + [rest]
        layout = make_layout(g, groups)
        steps.append(f"the {len(rest.members):,} nodes farthest from the output merged")
    tensors = len(g.nodes) - g.n_ops
    layout.notes.append(
        f"{g.n_ops:,} ops and {tensors:,} tensors: more than max_nodes={max_nodes}; "
        + ", ".join(steps)
    )
    return layout
