"""The tutorials as a reader gets them: a notebook without the test plumbing.

A tutorial file serves two readers. The tests run it quickly (``TINYGRAD_NN_FAST=1`` shrinks
epochs and simulated time) and its ``assert`` lines check its numbers; a student wants the full
run and the explanation. ``publish`` turns the percent-format file into that student's
notebook:

- ``A if FAST else B`` becomes ``B`` (the full run), and the line that reads the switch, with
  ``import os`` when nothing else needs it, is dropped;
- every top-level ``assert`` statement moves into a cell of its own, tagged ``remove-cell``:
  the docs build still executes it (a wrong number fails the build) but the page does not
  show it, and a notebook front end shows it as a separate cell;
- a hidden first cell sets numpy's print width to the width of the page's text column, so that
  a printed array never wraps in the middle of a number.

The docs hook (``tutorials.py``) publishes every tutorial this way at build time; the page's
download button gives the same ``.ipynb``; ``make notebooks`` opens them in JupyterLab.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import jupytext
import nbformat

HIDDEN = "remove-cell"  # mkdocs.yml: remove_tag_config.remove_cell_tags
SWITCH = re.compile(r"^FAST = os\.environ\.get\(\"TINYGRAD_NN_FAST\"\) == \"1\"\n?\n?", re.M)
FAST_ONLY = re.compile(r"\b[\w.]+ if FAST else ([\w.]+)")
PRINT_WIDTH = "import numpy as np\n\nnp.set_printoptions(linewidth=88)  # the text column of a page"


def _code(source: str, tags: list[str] | None = None) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    if tags:
        cell.metadata["tags"] = tags
    return cell


def _split_asserts(source: str) -> list[tuple[str, bool]]:
    """``source`` as (code, hidden) pieces: each run of top-level asserts is hidden."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # e.g. IPython magics: leave the cell alone
        return [(source, False)]
    lines = source.split("\n")
    pieces: list[tuple[str, bool]] = []
    start = 0
    for node in tree.body:
        if isinstance(node, ast.Assert):
            first, last = node.lineno - 1, node.end_lineno
            pieces.append(("\n".join(lines[start:first]), False))
            pieces.append(("\n".join(lines[first:last]), True))
            start = last
    pieces.append(("\n".join(lines[start:]), False))
    merged: list[tuple[str, bool]] = []
    for code, hidden in pieces:
        code = code.strip("\n")
        if not code.strip():
            continue
        if merged and merged[-1][1] == hidden:
            merged[-1] = (merged[-1][0] + "\n" + code, hidden)
        else:
            merged.append((code, hidden))
    return merged


def publish(path: Path) -> nbformat.NotebookNode:
    """The notebook a reader gets from the tutorial at ``path`` (see the module docstring)."""
    nb = jupytext.read(path)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    drop_os = len(re.findall(r"\bos\.", SWITCH.sub("", text))) == 0
    cells = [_code(PRINT_WIDTH, [HIDDEN])]
    for cell in nb.cells:
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        source = FAST_ONLY.sub(r"\1", SWITCH.sub("", cell.source))
        if drop_os:
            source = re.sub(r"^import os\n", "", source, flags=re.M)
        for code, hidden in _split_asserts(source):
            cells.append(_code(code, [HIDDEN] if hidden else cell.metadata.get("tags")))
    nb.cells = cells
    nb.nbformat, nb.nbformat_minor = 4, 5
    for i, cell in enumerate(nb.cells):  # stable ids: the same file on every build
        cell["id"] = f"cell-{i}"
    return nb


def visible_code(nb: nbformat.NotebookNode) -> str:
    """The code a reader sees on the page: every code cell not tagged ``remove-cell``."""
    return "\n".join(
        c.source
        for c in nb.cells
        if c.cell_type == "code" and HIDDEN not in c.metadata.get("tags", [])
    )


def write(path: Path, folder: Path) -> Path:
    """Publish the tutorial at ``path`` as ``folder/<name>.ipynb`` and return that path."""
    out = folder / f"{path.stem}.ipynb"
    nbformat.write(publish(path), out)
    return out


if __name__ == "__main__":  # python docs/_hooks/notebooks.py FOLDER: every tutorial, published
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for tutorial in sorted(
        (Path(__file__).resolve().parents[2] / "tutorials").glob("[0-9][0-9]_*.py")
    ):
        print(write(tutorial, out))
