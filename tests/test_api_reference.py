"""Every public name has a docstring and an entry in the API reference (issue 17).

The public modules are every module of the package except the few internal ones below; each
declares ``__all__``. Every name in an ``__all__`` needs a docstring and must be rendered by a
``::: module`` directive of ``docs/api/*.md``: the directive of the module that defines it, or
of the module whose ``__all__`` lists it, and not excluded by its ``members:`` option.
mkdocstrings reads the source with griffe and the docs' griffe extensions, as this test does,
and silently drops what has no docstring; a class whose docstring is only assigned at run time
needs ``force_inspection: true``.

A new public module, class or function therefore fails here until it is documented; the test
reads the source and the pages only (no docs build), so it runs in a second.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import griffe  # the dev extra installs it (the docs build reads the source with it too)
import pytest

import tinygrad_nn

ROOT = Path(__file__).resolve().parents[1]
API = ROOT / "docs" / "api"
INTERNAL = {  # modules a user never imports: no __all__ needed, no API page
    "tinygrad_nn.__main__": "python -m tinygrad_nn",
    "tinygrad_nn.cli": "the console script; its --help is its documentation",
    "tinygrad_nn.atomic": "atomic file writes for save() and the training job",
    "tinygrad_nn.checks": "argument checks shared by the modules",
    "tinygrad_nn.ops": "the chain-rule table behind the Tensor methods",
    "tinygrad_nn.views": "the view bookkeeping behind the Tensor view methods",
    "tinygrad_nn.collector": "the engine's pause of the garbage collector while recording",
    "tinygrad_nn.functions": "the Tensor methods as functions; tinygrad_nn re-exports them",
    **{
        f"tinygrad_nn.viz.{part}": "tinygrad_nn.viz re-exports what users need of it"
        for part in ("cli", "collapse", "display", "draw", "expr", "grads", "graph", "labels")
    },
    "tinygrad_nn.viz.trace": "tinygrad_nn.viz re-exports what users need of it",
    "tinygrad_nn.sweep.cli": "the sweep command; its --help is its documentation",
}
DIRECTIVE = re.compile(r"^::: *([\w.]+)[ \t]*\n((?:(?:[ \t]+.*)?\n)*)", re.M)
MEMBERS = re.compile(r"^\s+members:\s*\[([^\]]*)\]", re.M)


def public_modules() -> list[str]:
    names = ["tinygrad_nn"] + [
        m.name for m in pkgutil.walk_packages(tinygrad_nn.__path__, "tinygrad_nn.")
    ]
    return [
        n
        for n in names
        if n not in INTERNAL and not any(part.startswith("_") for part in n.split("."))
    ]


@functools.cache
def directives() -> list[tuple[str, list[str] | None, bool, str]]:
    """(module, members or None for all, force_inspection, page) of every ``:::`` block."""
    found = []
    for page in sorted(API.glob("*.md")):
        for m in DIRECTIVE.finditer(page.read_text(encoding="utf-8")):
            options = m.group(2)
            members = MEMBERS.search(options)
            names = None
            if members:
                names = [s.strip().strip("'\"") for s in members.group(1).split(",") if s.strip()]
            forced = re.search(r"force_inspection:\s*true", options) is not None
            found.append((m.group(1), names, forced, page.name))
    return found


@functools.cache
def _package():
    """The package as mkdocstrings reads it: with the docs' griffe extensions (mkdocs.yml)."""
    hooks = ROOT / "docs" / "_hooks" / "griffe_rst.py"
    extensions = griffe.load_extensions(f"{hooks}:RuntimeMembers", f"{hooks}:PublicBases")
    return griffe.load(
        "tinygrad_nn", search_paths=[str(ROOT)], extensions=extensions, resolve_aliases=True
    )


@pytest.fixture(scope="module")
def package():
    return _package()


def _is_class(module: str, name: str) -> bool:
    try:
        return _package()[f"{module}.{name}".partition(".")[2]].is_class
    except KeyError:
        return False


def _shadowed(module: str, name: str) -> bool:
    """Whether ``module.name`` reads as a submodule to griffe (``viz.trace``, the function,
    beside ``viz/trace.py``): then the package's page cannot show it, only its own module's."""
    try:
        found = _package()[f"{module}.{name}".partition(".")[2]]
    except KeyError:
        return False
    return found.is_module


MODULES = public_modules()


@pytest.mark.parametrize("name", MODULES)
def test_public_module_declares_all(name):
    module = importlib.import_module(name)
    assert isinstance(getattr(module, "__all__", None), list), (
        f"{name} has no __all__: list its public names (or add it to INTERNAL in {__file__})"
    )
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what the module lacks: {missing}"


@functools.cache
def _exports() -> dict[str, list[tuple[str, str]]]:
    """``module.qualname`` of each public function or class -> every (module, name) it is
    exported under."""
    found: dict[str, list[tuple[str, str]]] = {}
    for name in MODULES:
        module = importlib.import_module(name)
        for public in getattr(module, "__all__", []):
            value = getattr(module, public, None)
            key = f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
            found.setdefault(key, []).append((name, public))
    return found


def _exporters(target: str) -> list[tuple[str, str]]:
    """(module, name) of the definition of ``target`` and of every re-export of it."""
    owner, _, short = target.rpartition(".")
    return [(owner, short), *_exports().get(target, [])]


def _entry(module: str, name: str, target: str):
    """The directive (module, forced, page) that renders ``module.name``, or None."""
    for where, members, forced, page in directives():
        if where == target:  # a directive of the object itself
            return where, forced, page
        for owner, short in [(module, name), *_exporters(target)]:
            if _shadowed(owner, short):
                continue
            if where == owner and (members is None or short in members):
                return where, forced, page
        inside = target.removeprefix(where + ".").split(".")  # a method: its class's entry
        if target.startswith(where + ".") and len(inside) > 1 and _is_class(where, inside[0]):
            if members is None or inside[0] in members:
                return where, forced, page
    return None


@pytest.mark.parametrize("name", MODULES)
def test_every_public_name_is_documented(name, package):
    module = importlib.import_module(name)
    problems = []
    for public in getattr(module, "__all__", []):
        value = getattr(module, public, None)
        if inspect.ismodule(value):
            assert value.__name__ in MODULES, f"{name}.{public}: an internal module is public"
            continue  # its own names are checked under its own name
        path = f"{name}.{public}"
        if inspect.isfunction(value) or inspect.isclass(value):  # where it is defined
            qualname = value.__qualname__ if "<" not in value.__qualname__ else value.__name__
            path = f"{value.__module__}.{qualname}"
        path = path.partition(".")[2]
        try:
            static = package[path] if path else package
        except KeyError:
            static = None
        target = static.final_target if static is not None and static.is_alias else static
        if target is None:
            problems.append(f"{public}: griffe does not see it, so no page can show it")
            continue
        entry = _entry(name, public, target.path)
        if entry is None:
            problems.append(f"{public} ({target.path}): no ::: directive in docs/api renders it")
            continue
        has_doc = target.docstring is not None and target.docstring.value.strip()
        runtime_doc = vars(value).get("__doc__") if inspect.isclass(value) else None
        if inspect.isfunction(value):
            runtime_doc = value.__doc__
        if not has_doc and not (entry[1] and runtime_doc):
            problems.append(f"{public} ({target.path}): no docstring, so {entry[2]} drops it")
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)
