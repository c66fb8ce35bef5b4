"""See the graph: computation graphs drawn with graphviz (notes §9–10).

::

    import tinygrad_nn as tnn
    a, b, c = (tnn.tensor(v, requires_grad=True) for v in (2.0, -3.0, 10.0))
    out = (a * b + c).tanh()
    out.draw(names=dict(a=a, b=b, c=c), show_values=True)      # forward
    tnn.viz.draw_graph(out, backward=True)                      # gradients on every edge

    with tnn.viz.trace(model, loss_fn) as tr:                   # clusters per nn.Module
        loss = loss_fn(model(x), t)
    tnn.viz.render(tr.draw(loss), "mlp.svg")                    # .svg .png .pdf .dot

Drawing needs the graphviz Python package (``pip install 'tinygrad_nn[graph]'``); pictures
need graphviz's ``dot`` program (``apt-get install graphviz``, ``brew install graphviz``,
``conda install graphviz``). Without ``dot``, DOT source and ``.dot`` files still work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .draw import STYLES, draw_graph
from .graph import Graph, build_graph
from .trace import Trace, trace

__all__ = [
    "DotNotFoundError",
    "Graph",
    "STYLES",
    "TensorGraph",
    "Trace",
    "build_graph",
    "dot_available",
    "draw_graph",
    "render",
    "trace",
]

if TYPE_CHECKING:  # for type checkers and the API docs; imported lazily below
    from .display import DotNotFoundError, TensorGraph, dot_available, render

_DISPLAY = {"DotNotFoundError", "TensorGraph", "dot_available", "render"}


def __getattr__(name: str) -> Any:
    # display imports the graphviz package: only when asked for.
    if name in _DISPLAY:
        from . import display

        return getattr(display, name)
    raise AttributeError(f"module 'tinygrad_nn.viz' has no attribute {name!r}")
