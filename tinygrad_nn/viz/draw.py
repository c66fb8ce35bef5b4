"""``draw_graph``: a tensor's computation graph as a ``graphviz.Digraph``.

Tensors are boxes (name, shape, dtype; optionally values and gradients), ops are ellipses,
edges follow the data. Inputs, parameters, constants, intermediates and the output are
styled apart. ``backward=True`` turns the arrows round and writes on each edge the share of
the gradient that flows along it (notes §9–10); ``trace=`` groups the ops of each module in a
cluster or collapses them; past ``max_nodes`` the graph is collapsed and says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..collector import gc_paused
from ..tensor import Tensor
from .collapse import Group, Layout, group_summary, plan
from .grads import Gradients, compute_gradients, stored_gradients
from .graph import Graph, VNode, build_graph, tensor_names
from .labels import escaped, format_array, format_number, format_shape, html_lines
from .trace import Trace

if TYPE_CHECKING:
    from .display import TensorGraph

__all__ = ["draw_graph", "STYLES"]

RED, GREY = "#dc2626", "#475569"
STYLES: dict[str, dict[str, str]] = {
    "input": dict(shape="box", style="rounded,filled", fillcolor="#dbeafe", color="#2563eb"),
    "param": dict(shape="box", style="rounded,filled", fillcolor="#dcfce7", color="#16a34a"),
    "const": dict(
        shape="box",
        style="rounded,filled,dashed",
        fillcolor="#f8fafc",
        color="#94a3b8",
        fontcolor="#475569",
    ),
    "intermediate": dict(shape="box", style="rounded,filled", fillcolor="#ffffff", color=GREY),
    "output": dict(
        shape="box", style="rounded,filled", fillcolor="#fef3c7", color="#d97706", penwidth="2"
    ),
    "op": dict(shape="ellipse", style="filled", fillcolor="#e0e7ff", color="#4f46e5"),
    "group": dict(shape="box3d", style="filled", fillcolor="#f3e8ff", color="#7c3aed"),
}
"""Node styles by role (and for op nodes and collapsed groups): graphviz attributes."""
_COMMUTATIVE = {"Add", "Mul", "Maximum"}  # the other ops keep their inputs in order
_DEFAULT_TITLE = {"input": "input", "param": "parameter", "const": "constant", "output": "output"}
_LEGEND = [
    ("input", "input (requires grad)"),
    ("param", "parameter"),
    ("const", "constant / data"),
    ("intermediate", "intermediate"),
    ("output", "output"),
    ("op", "op (ellipse)"),
    ("group", "collapsed (3-D box)"),
]


def draw_graph(
    tensor: Tensor,
    *,
    names: Mapping[str, Tensor] | Iterable[tuple[str, Tensor]] | None = None,
    model: Any = None,
    trace: Trace | None = None,
    show_values: bool = False,
    show_grads: bool = False,
    backward: bool = False,
    value_limit: int = 6,
    clusters: bool = True,
    collapse: bool | str | Iterable[str] | None = None,
    max_nodes: int | None = 250,
    legend: bool = False,
    rankdir: str | None = None,
    title: str | None = None,
) -> TensorGraph:
    r"""Draw the graph that computed ``tensor`` and return it as a ``graphviz.Digraph``
    (a ``TensorGraph``: renders inline in Jupyter, ``render``/``tnn.viz.render`` write files).

    * ``names``: ``{name: tensor}`` (or ``(name, tensor)`` pairs) for labels; ``model``: take
      parameter names (``0.weight``) from ``model.named_parameters()``; ``trace``: a
      ``tnn.viz.trace`` record, for parameter names and one cluster per module.
    * ``show_values``: data of each tensor (elements up to ``value_limit``, else norm, min,
      max); ``show_grads``: the ``.grad`` stored on tensors (after ``backward()``).
    * ``backward``: the backward pass: every tensor shows :math:`\partial E/\partial x` and
      every edge the share :math:`\frac{\partial E}{\partial f}\frac{\partial f}{\partial x}`
      that flows along it, arrows pointing back to the inputs. Computed by the engine without
      touching ``.grad``; needs the graph not yet freed by ``backward()``.
    * ``clusters``: box each traced module's ops; ``collapse``: module names (``"0"``,
      ``"CrossEntropyLoss"``) to draw as one box each, or True for the top-level modules.
    * ``max_nodes``: past this many nodes, collapse modules, then chains of ops, then the
      nodes farthest from the output, and say so in the title (None: never).
    * ``legend``: a key of the styles in the picture, under the title; ``rankdir``
      (``"LR"``: left to right, ``"TB"``: top to bottom; default: TB for models, so that the
      picture fits a page's width, and for graphs more than 12 nodes deep, else LR);
      ``title``: a heading.

    An output without a name in ``names`` is called "output" in both views.
    """
    from .display import TensorGraph

    if rankdir not in (None, "LR", "TB", "RL", "BT"):
        raise ValueError(f"draw_graph: rankdir must be 'LR', 'TB', 'RL' or 'BT', got {rankdir!r}")
    if max_nodes is not None and max_nodes < 2:
        raise ValueError(f"draw_graph: max_nodes must be at least 2 (or None), got {max_nodes}")
    if value_limit < 0:
        raise ValueError(f"draw_graph: value_limit must be >= 0, got {value_limit}")
    if trace is not None and not isinstance(trace, Trace):
        raise TypeError(f"draw_graph: trace must come from tnn.viz.trace(), got {type(trace)}")
    if isinstance(collapse, str):
        collapse = [collapse]
    elif collapse is not None and collapse is not True and collapse is not False:
        collapse = list(collapse)
    label_names = tensor_names(names, model)
    for key, name in (trace.names if trace else {}).items():
        label_names.setdefault(key, name)
    with gc_paused():
        g = build_graph(tensor, label_names)
        module_of = _modules(g, trace) if trace is not None else {}
        layout = plan(g, module_of, trace, collapse, max_nodes)
        grads = None
        if backward:
            grads = compute_gradients(g)
        elif show_grads:
            grads = stored_gradients(g)

    if rankdir is None:
        rankdir = "TB" if trace is not None or _depth(layout) > 12 else "LR"
    dot = TensorGraph(
        name="computation_graph",
        graph_attr=dict(
            rankdir=rankdir,
            fontname="Helvetica",
            fontsize="11",
            nodesep="0.25",
            ranksep="0.35",
            newrank="true",
        ),
        node_attr=dict(fontname="Helvetica", fontsize="10", margin="0.08,0.04", height="0.3"),
        edge_attr=dict(color=GREY, arrowsize="0.7", fontname="Helvetica", fontsize="9"),
    )
    notes = list(layout.notes) + ([grads.note] if grads is not None and grads.note else [])
    heading = [title] if title else []
    if backward:
        e = g.nodes[g.root].name or "output"
        heading.append(
            f"backward pass: each box shows ∂{e}/∂x, each edge the gradient flowing back"
        )
    ctx = _Ctx(g, layout, grads, show_values, value_limit, backward)
    cluster_of = _clusters(layout, module_of, trace) if clusters and trace else {}
    _emit_nodes(dot, ctx, trace, cluster_of)
    for s, d, e in layout.edges:
        attrs = ctx.edge_attrs(s, d, e)
        if cluster_of and cluster_of.get(s) != cluster_of.get(d):
            attrs["minlen"] = "2"  # clusters in a row, not side by side sharing ranks
        dot.edge(s, d, **attrs)
    lines = [(line, {}) for line in heading + notes]
    key = _legend(ctx) if legend else ""
    if lines or key:  # the heading, and under it the key: both next to the graph
        text = html_lines(lines)[1:-1] if lines else ""
        table = '<TABLE BORDER="0" CELLPADDING="2" CELLSPACING="0">'
        table += f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{text}</TD></TR>'
        table += f'<TR><TD ALIGN="LEFT">{key}</TD></TR>' if key else ""
        dot.attr(label=f"<{table}</TABLE>>", labelloc="t", labeljust="l")
    dot.text_form = ctx.text()
    dot.n_nodes, dot.n_edges = len(layout.order), len(layout.edges)
    return dot


class _Ctx:
    """Labels and attributes of nodes and edges, and their plain-text form."""

    def __init__(
        self,
        g: Graph,
        layout: Layout,
        grads: Gradients | None,
        values: bool,
        limit: int,
        backward: bool,
    ) -> None:
        self.g, self.layout, self.grads = g, layout, grads
        self.values, self.limit, self.backward = values, limit, backward
        self.plain: dict[str, str] = {}

    def node_attrs(self, nid: str) -> dict[str, str]:
        if nid in self.layout.groups:
            lines = self._group_lines(self.layout.groups[nid])
            style = STYLES["group"]
        else:
            n = self.g.nodes[nid]
            lines = self._tensor_lines(n) if n.kind == "tensor" else [(n.op, {"bold": "1"})]
            style = STYLES[n.role]
            if n.kind == "op" and n.op not in _COMMUTATIVE:
                style = dict(style, ordering="in")  # inputs drawn in argument order
        self.plain[nid] = " | ".join(text.replace("\n", " ") for text, _ in lines)
        return dict(style, label=html_lines(lines))

    def _tensor_lines(self, n: VNode) -> list[tuple[str, dict[str, str]]]:
        t = n.tensor
        title = n.name or _DEFAULT_TITLE.get(n.role)
        if t is None:  # between two ops of a graph that backward() freed
            freed = ("freed by backward()", {"COLOR": GREY})
            return [(title, {"bold": "1"}), freed] if title else [freed]
        show_data = self.values
        if n.name is None and n.role == "const" and t._data.size == 1:
            title, show_data = format_number(t._data.item()), False
        lines = [(title, {"bold": "1"})] if title else []
        lines.append((f"{format_shape(t.shape)} {t.dtype}", {"POINT-SIZE": "9", "COLOR": GREY}))
        if show_data:
            lines.append(("data " + format_array(t._data, self.limit), {}))
        if self.grads is not None and n.id in self.grads.node:
            grad = format_array(self.grads.node[n.id], self.limit)
            lines.append(("grad " + grad, {"COLOR": RED}))
        return lines

    def _group_lines(self, grp: Group) -> list[tuple[str, dict[str, str]]]:
        lines = [(grp.title, {"bold": "1"}), (group_summary(self.g, grp), {"POINT-SIZE": "9"})]
        params = [self.g.nodes[m] for m in grp.members if self.g.nodes[m].role == "param"]
        for p in params[:4]:
            lines.append(
                (
                    f"{p.name or 'parameter'} {format_shape(p.tensor.shape)}",
                    {"POINT-SIZE": "9", "COLOR": "#15803d"},
                )
            )
        if len(params) > 4:
            lines.append((f"… {len(params) - 4} more parameters", {"POINT-SIZE": "9"}))
        return lines

    def edge_attrs(self, s: str, d: str, e: Any) -> dict[str, str]:
        if not self.backward:
            return {}
        src = self.g.nodes.get(s)
        if (
            src is not None
            and src.kind == "tensor"
            and src.tensor is not None
            and not src.tensor.requires_grad
        ):
            return dict(style="dashed", color="#cbd5e1", arrowhead="none")  # no gradient
        attrs = dict(dir="back", color=RED, fontcolor=RED, decorate="true")
        if e is not None and e.index is not None and self.grads is not None:
            share = self.grads.edge.get((e.src, e.dst, e.index))
            if share is not None:
                attrs["label"] = format_array(share, self.limit, short=True).replace("\n", "\\n")
        return attrs

    def text(self) -> str:
        arrow = "<-" if self.backward else "->"
        lines = [
            f"computation graph: {len(self.layout.order)} nodes, {len(self.layout.edges)} edges"
        ]
        lines += [f"  note: {n}" for n in self.layout.notes]
        lines += [f"  {nid}: {self.plain.get(nid, '')}" for nid in self.layout.order]
        lines += [f"  {s} {arrow} {d}" for s, d, _ in self.layout.edges]
        return "\n".join(lines)


def _depth(layout: Layout) -> int:
    """The number of nodes on the longest path (edges come in data-flow order)."""
    depth = dict.fromkeys(layout.order, 1)
    for s, d, _ in layout.edges:
        depth[d] = max(depth[d], depth[s] + 1)
    return max(depth.values())


def _modules(g: Graph, tr: Trace) -> dict[str, str | None]:
    """The traced module of every node: ops by the trace, tensors by their producer,
    parameters by their owner, data passed into a module outside it, and other constants
    with their consumers if these share one module."""
    module_of: dict[str, str | None] = {}
    cons = g.consumers()
    for nid, n in g.nodes.items():
        if n.kind == "op" or n.fn is not None:
            module_of[nid] = tr.owner(n.fn)
        elif n.role == "param":
            module_of[nid] = tr.param_module.get(id(n.tensor))
    for nid, n in g.nodes.items():
        if n.kind == "tensor" and n.role in ("const", "input") and n.fn is None:
            entry = tr.input_of(n.tensor)
            if entry is not None:  # data passed into a module: drawn outside it
                module_of[nid] = tr.modules[entry].parent
            elif n.role == "const":
                owners = {module_of.get(c) for c in cons[nid]}
                module_of[nid] = owners.pop() if len(owners) == 1 else None
    return module_of


def _clusters(layout: Layout, module_of: dict[str, str | None], tr: Trace) -> dict[str, str | None]:
    """The cluster each drawn node sits in: its module, or for what is inside a collapsed
    module, the module around it."""
    collapsed = {grp.module for grp in layout.groups.values() if grp.kind == "module"}

    def lift(key: str | None) -> str | None:
        if key is None or key not in tr.modules:
            return key
        outer = [k for k in [key, *tr.ancestors(key)] if k in collapsed]
        return tr.modules[outer[-1]].parent if outer else key

    out: dict[str, str | None] = {}
    for nid in layout.order:
        grp = layout.groups.get(nid)
        if grp is None:
            out[nid] = lift(module_of.get(nid))
        elif grp.kind == "module":
            out[nid] = lift(tr.modules[grp.module].parent)
        else:
            out[nid] = lift(grp.module)
    return out


def _emit_nodes(dot: Any, ctx: _Ctx, tr: Trace | None, cluster_of: dict[str, str | None]) -> None:
    inside: dict[str | None, list[str]] = {}
    for nid in ctx.layout.order:
        inside.setdefault(cluster_of.get(nid), []).append(nid)
    for nid in inside.get(None, []):
        dot.node(nid, **ctx.node_attrs(nid))
    if tr is None:
        return
    keys = list(tr.modules)
    used = set()
    for key in inside:
        while key is not None and key not in used:
            used.add(key)
            key = tr.modules[key].parent
    children: dict[str | None, list[str]] = {}
    for key in keys:
        if key in used:
            children.setdefault(tr.modules[key].parent, []).append(key)

    def cluster(parent: Any, key: str) -> None:
        with parent.subgraph(name=f"cluster_{keys.index(key)}") as c:
            c.attr(
                label=escaped(tr.modules[key].label),
                style="rounded,filled",
                fillcolor="#f8fafc",
                color="#94a3b8",
                fontcolor="#334155",
                labeljust="r",
                fontsize="10",
            )
            for nid in inside.get(key, []):
                c.node(nid, **ctx.node_attrs(nid))
            for child in children.get(key, []):
                cluster(c, child)

    for key in children.get(None, []):
        cluster(dot, key)


def _legend(ctx: _Ctx) -> str:
    """A one-row table with a swatch of each style that the picture uses."""
    used = {"group" if n in ctx.layout.groups else ctx.g.nodes[n].role for n in ctx.layout.order}
    cells = "".join(
        f'<TD BGCOLOR="{STYLES[role]["fillcolor"]}" COLOR="{STYLES[role]["color"]}" BORDER="1" '
        f'STYLE="{"rounded" if role not in ("op", "group") else ""}">'
        f'<FONT POINT-SIZE="9">{text}</FONT></TD>'
        for role, text in _LEGEND
        if role in used
    )
    return f'<TABLE BORDER="0" CELLSPACING="4" CELLPADDING="3"><TR>{cells}</TR></TABLE>'
