"""Rendering and display: files, notebooks, and a clear error when ``dot`` is missing.

``graphviz`` (the Python package, ``pip install 'tinygrad_nn[graph]'``) only writes DOT
source; pictures need graphviz's ``dot`` program. Without it, building a graph and writing
``.dot`` files still work, rendering raises ``DotNotFoundError`` naming the install commands
and leaves no file behind, and a notebook shows the graph as text instead of failing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from ..atomic import atomic_write

try:
    import graphviz
except ImportError as err:  # pragma: no cover - depends on the installation
    raise ImportError(
        "tinygrad_nn.viz draws with the graphviz Python package: pip install 'tinygrad_nn[graph]' "
        "(or pip install graphviz)"
    ) from err

__all__ = ["DotNotFoundError", "TensorGraph", "dot_available", "render", "FORMATS"]

#: Output formats by file suffix; ``dot``/``gv`` are DOT source and need no ``dot`` program.
FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot"}

INSTALL_HINT = (
    "install graphviz, which provides it:\n"
    "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "  Fedora:         sudo dnf install graphviz\n"
    "  macOS:          brew install graphviz\n"
    "  conda:          conda install -c conda-forge graphviz\n"
    "  Windows:        winget install graphviz (or choco install graphviz)\n"
    "  others:         https://graphviz.org/download/\n"
    "The DOT source needs no dot program: graph.source, or save it as a .dot file."
)


class DotNotFoundError(graphviz.ExecutableNotFound):
    """Rendering needs graphviz's ``dot`` program and it is not on ``PATH``."""

    def __init__(self, what: str = "rendering") -> None:
        RuntimeError.__init__(
            self, f"{what} needs graphviz's `dot` program, which is not on PATH; {INSTALL_HINT}"
        )


def dot_available() -> bool:
    """True when graphviz's ``dot`` program is on ``PATH``."""
    return shutil.which("dot") is not None


class TensorGraph(graphviz.Digraph):
    """A ``graphviz.Digraph`` of a computation graph (what ``draw_graph`` returns).

    It behaves as any Digraph (``.source``, ``.render``, ``.pipe``, notebook display), except
    that without the ``dot`` program ``render``/``pipe`` raise ``DotNotFoundError`` before
    writing anything, and the notebook display falls back to ``text()``.
    """

    #: the text form for notebooks without ``dot``, and the size drawn (set by ``draw_graph``)
    text_form: str | None = None
    n_nodes: int = 0
    n_edges: int = 0

    def text(self) -> str:
        """The graph as plain text: one line per node, then the edges."""
        return self.text_form or self.source

    def __str__(self) -> str:
        return self.source

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        if not dot_available():
            raise DotNotFoundError("TensorGraph.pipe")
        return super().pipe(*args, **kwargs)

    def render(self, filename: Any = None, directory: Any = None, **kwargs: Any) -> str:
        """As ``graphviz.Digraph.render``; if the DOT file it writes first cannot be rendered
        because ``dot`` is missing, that DOT file is removed again."""
        if not dot_available():
            raise DotNotFoundError("TensorGraph.render")
        before = _path_state(self, filename, directory)
        try:
            return super().render(filename, directory=directory, **kwargs)
        except graphviz.ExecutableNotFound:
            _remove_new(before, Path(self.filepath))
            raise DotNotFoundError("TensorGraph.render") from None

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        fallback = {"text/plain": self.text() + "\n(drawn as text: " + _short_hint() + ")"}
        if not dot_available():
            return fallback
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except graphviz.ExecutableNotFound:
            return fallback


def _short_hint() -> str:
    return "graphviz's dot program is missing; apt-get/brew/conda install graphviz"


def _path_state(g: TensorGraph, filename: Any, directory: Any) -> tuple[Path, bool, list[Path]]:
    """The DOT path ``render`` will write, whether it exists, and its missing parent dirs."""
    d = os.fspath(directory) if directory is not None else g.directory
    f = os.fspath(filename) if filename is not None else g.filename
    path = Path(d, f)
    missing = [p for p in path.parents if not p.exists()]
    return path, path.exists(), missing


def _remove_new(before: tuple[Path, bool, list[Path]], written: Path) -> None:
    path, existed, missing = before
    if written == path and path.exists() and not existed:
        path.unlink()
    for d in missing:  # innermost first
        if d.exists() and not any(d.iterdir()):
            d.rmdir()


def render(
    graph: Any, path: str | os.PathLike, format: str | None = None, **draw_kwargs: Any
) -> Path:
    """Write ``graph`` (a Digraph, or a Tensor to draw with ``draw_kwargs``) to ``path``.

    The format comes from ``format`` or the suffix: ``.svg``, ``.png``, ``.pdf`` (rendered by
    ``dot``) or ``.dot``/``.gv`` (the source; no ``dot`` needed). The file appears complete
    or not at all: on any error nothing is left behind."""
    from ..tensor import Tensor
    from .draw import draw_graph

    path = Path(path)
    if isinstance(graph, Tensor):
        graph = draw_graph(graph, **draw_kwargs)
    elif draw_kwargs:
        raise TypeError(f"render: options {sorted(draw_kwargs)} only apply when drawing a Tensor")
    if not isinstance(graph, graphviz.Digraph):
        raise TypeError(f"render: expected a Tensor or a Digraph, got {type(graph).__name__}")
    fmt = (format or FORMATS.get(path.suffix.lower(), "")).lower()
    if fmt == "gv":
        fmt = "dot"
    if fmt not in {"svg", "png", "pdf", "dot"}:
        raise ValueError(
            f"render: cannot tell the format of {str(path)!r}; use a .svg, .png, .pdf or .dot "
            "suffix, or pass format="
        )
    if fmt == "dot":
        data = graph.source.encode("utf-8")
    else:
        if not dot_available():
            raise DotNotFoundError(f"rendering {path.name}")
        data = graphviz.Digraph.pipe(graph, format=fmt)
    _write_atomic(path, data)
    return path


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, creating its folder."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        reason = f"{str(blocker)!r} is a file" if blocker else err.strerror or str(err)
        raise NotADirectoryError(
            f"render: cannot create the folder of {str(path)!r}: {reason}"
        ) from None
    atomic_write(path, lambda fh: fh.write(data))
