"""The tutorials as the site and the download button publish them (docs/_hooks/notebooks.py).

The reader's notebook shows no test plumbing (the ``TINYGRAD_NN_FAST`` switch, ``assert``
lines) but still runs every check, in hidden cells; the tests of tests/test_tutorials.py run
the files themselves.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = sorted((ROOT / "tutorials").glob("[0-9][0-9]_*.py"))
_spec = importlib.util.spec_from_file_location("notebooks", ROOT / "docs/_hooks/notebooks.py")
notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(notebooks)


def _top_level_asserts(code: str) -> int:
    return sum(isinstance(node, ast.Assert) for node in ast.parse(code).body)


@pytest.mark.parametrize("path", TUTORIALS, ids=[p.stem for p in TUTORIALS])
def test_published_notebook_hides_the_plumbing_and_keeps_the_checks(path):
    nb = notebooks.publish(path)
    nbformat.validate(nb)
    shown = notebooks.visible_code(nb)
    for plumbing in ("FAST", "TINYGRAD_NN"):
        assert plumbing not in shown, f"{path.name}: the page would show {plumbing!r}"
    assert not re.search(r"^assert ", shown, re.M), f"{path.name}: an assert is shown"
    hidden = [
        c.source
        for c in nb.cells
        if c.cell_type == "code" and notebooks.HIDDEN in c.metadata.get("tags", [])
    ]
    source = path.read_text(encoding="utf-8")
    cells = re.split(r"^# %%.*$", source, flags=re.M)
    expected = sum(_top_level_asserts(c) for c in cells if not c.lstrip().startswith("# "))
    assert sum(_top_level_asserts(h) for h in hidden) == expected, "every check still runs"


def test_fast_switches_take_the_full_value():
    code = "n = 21 if FAST else 81\nt = range(2 if FAST else 4)\nx = f(epochs=3 if FAST else 30)"
    assert notebooks.FAST_ONLY.sub(r"\1", code) == "n = 81\nt = range(4)\nx = f(epochs=30)"


def test_asserts_move_to_hidden_cells_in_order():
    pieces = notebooks._split_asserts(
        "a = 1\nassert a == 1\nb = (a +\n     1)\nassert (\n  b)\nc = 3"
    )
    assert pieces == [
        ("a = 1", False),
        ("assert a == 1", True),
        ("b = (a +\n     1)", False),
        ("assert (\n  b)", True),
        ("c = 3", False),
    ]
