r"""The backward view: the gradient at every tensor and the share that flows along every edge.

For the output :math:`E` and a tensor :math:`x`, the node shows :math:`\partial E/\partial x`;
the edge from :math:`x` into an op :math:`f` shows :math:`\frac{\partial E}{\partial f}
\frac{\partial f}{\partial x}`, the term of the chain rule for that path. A tensor used twice
(notes §9, Remark 9.1: :math:`W_{12}` reaches :math:`E` through both :math:`\beta_1` and
:math:`\beta_2`) has two edges whose shares add up to its gradient.

The totals come from the engine (``tnn.grad`` on the collected tensors, which leaves every
``.grad`` untouched); the shares from each op's own ``backward`` in ``ops.py`` and the
engine's ``sum_to`` for broadcasts. Nothing here restates a derivative.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..engine import grad, sum_to
from ..grad_mode import no_grad
from ..tensor import wrap
from .graph import Graph

__all__ = ["Gradients", "compute_gradients"]


@dataclass
class Gradients:
    """``node[id]``: the gradient at a tensor node; ``edge[(src, dst, index)]``: the share
    along a tensor -> op edge; ``note``: why some are missing, if they are."""

    node: dict[str, np.ndarray] = field(default_factory=dict)
    edge: dict[tuple[str, str, int], np.ndarray] = field(default_factory=dict)
    note: str | None = None


def stored_gradients(g: Graph) -> Gradients:
    """The ``.grad`` already on the graph's tensors (leaves after ``backward()``, and tensors
    that called ``retain_grad()``)."""
    out = Gradients()
    for nid, n in g.nodes.items():
        if n.kind == "tensor" and n.tensor is not None and n.tensor.grad is not None:
            out.node[nid] = n.tensor.grad._data
    return out


def compute_gradients(g: Graph) -> Gradients:
    """Gradients of the graph's output with respect to every tensor in it and the share
    along every edge. A non-scalar output is seeded with ones (the gradient of its sum).
    After a ``backward()`` that freed the graph only the stored ``.grad`` remain, with a note."""
    root = g.nodes[g.root].tensor
    if not root.requires_grad:
        return Gradients(note="the output does not require grad: there is no backward pass")
    ops = [n for n in g.nodes.values() if n.kind == "op"]
    if any(n.fn.saved is None for n in ops):
        out = stored_gradients(g)
        out.note = (
            "backward() freed this graph: only stored .grad are shown; draw before backward "
            "or call backward(retain_graph=True)"
        )
        return out
    tensors = [n for n in g.nodes.values() if n.kind == "tensor" and n.tensor.requires_grad]
    seed = wrap(np.ones_like(root._data))
    found = grad(
        root, [n.tensor for n in tensors], grad_outputs=seed, retain_graph=True, allow_unused=True
    )
    out = Gradients()
    for n, gr in zip(tensors, found):
        if gr is not None:
            out.node[n.id] = gr._data
    inputs, output_of = g.op_edges()  # op id -> its input edges, and its output tensor
    with no_grad():
        for n in ops:
            upstream = out.node.get(output_of[n.id])
            if upstream is None:
                continue
            shares = n.fn.backward(upstream, *n.fn.saved)
            for e, p, need, share in zip(inputs[n.id], n.fn.parents, n.fn.needs_input_grad, shares):
                if need and share is not None:
                    share = np.asarray(share)
                    if share.shape != p.shape:
                        share = sum_to(share, p.shape)
                    out.edge[(e.src, e.dst, e.index)] = share
    return out
